#!/usr/bin/env python3
"""Compare rolecall's who-can-assume graph with PMapper's on a snapshot.

PMapper (principalmapper, https://github.com/nccgroup/PMapper) normally
gathers IAM data with boto3. Here its own gathering code reads the
snapshot's `<account>.authorization-details.json` files through a stand-in
IAM client (the same pages `get-account-authorization-details` returns, no
access keys, passwords or MFA devices), then its offline edge checkers and
its cross-account check run unchanged.

    python3 -m venv /tmp/pmapper-venv
    /tmp/pmapper-venv/bin/pip install principalmapper
    rolecall graph SNAPSHOT --format json > rolecall.json
    /tmp/pmapper-venv/bin/python scripts/compare-pmapper.py SNAPSHOT rolecall.json

Prints the edges each tool finds between IAM users and roles that the
other does not, grouped by the reason rolecall gives (its edge conditions).

    compare-pmapper.py enrich SNAPSHOT OUT

copies a generated snapshot with the setups PMapper is known to get wrong
added: MFA conditions on every fourth user-trusting role, a permissions
boundary without `sts:*` on every fifth user and role, wildcard assume
grants on every third user (so that cross-account edges exist), and roles
that may assume the account's integration roles, which trust their own
account too (every tenth role with a boundary, every tenth without).
"""

import collections
import collections.abc
import json
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

# PMapper 1.1.5 imports ABCs from `collections`, which Python 3.10 removed.
for _name in ("Mapping", "MutableMapping", "Sequence", "Iterable"):
    setattr(collections, _name, getattr(collections.abc, _name))

from principalmapper.common import Graph  # noqa: E402
from principalmapper.graphing import gathering  # noqa: E402
from principalmapper.graphing.cross_account_edges import get_edges_between_graphs  # noqa: E402
from principalmapper.graphing.edge_identification import obtain_edges  # noqa: E402


def decode(doc):
    """Policy documents as boto3 hands them over: dicts."""
    if isinstance(doc, str):
        text = doc if doc.lstrip().startswith("{") else urllib.parse.unquote(doc)
        return json.loads(text)
    return doc


def normalise(page):
    for kind in ("UserDetailList", "GroupDetailList", "RoleDetailList"):
        for entity in page.get(kind, []):
            for key in ("UserPolicyList", "GroupPolicyList", "RolePolicyList"):
                for p in entity.get(key, []):
                    p["PolicyDocument"] = decode(p["PolicyDocument"])
            if "AssumeRolePolicyDocument" in entity:
                entity["AssumeRolePolicyDocument"] = decode(entity["AssumeRolePolicyDocument"])
            for profile in entity.get("InstanceProfileList", []):
                for role in profile.get("Roles", []):
                    if "AssumeRolePolicyDocument" in role:
                        role["AssumeRolePolicyDocument"] = decode(role["AssumeRolePolicyDocument"])
    for p in page.get("Policies", []):
        for v in p.get("PolicyVersionList", []):
            v["Document"] = decode(v["Document"])
    return page


class Paginator:
    def __init__(self, pages):
        self.pages = pages

    def paginate(self, **_):
        return self.pages


class SnapshotIam:
    """The IAM client calls PMapper's gathering makes, answered from a file."""

    def __init__(self, page):
        self.page = page

    def get_paginator(self, name):
        if name == "get_account_authorization_details":
            return Paginator([self.page])
        return Paginator([{"VirtualMFADevices": []}])

    def list_access_keys(self, UserName):
        return {"AccessKeyMetadata": []}

    def get_login_profile(self, UserName):
        raise Exception("NoSuchEntity")

    def list_mfa_devices(self, UserName):
        return {"MFADevices": []}


def scps_for(org, account):
    """SCP levels for an account, root first, from organization.json."""
    if not org:
        return None
    accounts = org.get("Accounts") or org.get("accounts") or []
    policies = org.get("Policies") or org.get("policies") or []
    units = {u.get("Id") or u.get("id"): u for u in (org.get("OrganizationalUnits") or org.get("organizational_units") or [])}
    entry = next((a for a in accounts if (a.get("Id") or a.get("id")) == account), None)
    if entry is None:
        return None
    path = entry.get("ou_path")
    if path is None:
        path, parent = [], entry.get("ParentId") or entry.get("parent_id")
        while parent:
            path.insert(0, parent)
            parent = (units.get(parent) or {}).get("ParentId") or (units.get(parent) or {}).get("parent_id")
    levels = []
    for node in path + [account]:
        level = []
        for p in policies:
            summary = p.get("PolicySummary", p)
            kind = summary.get("Type") or p.get("type")
            if kind != "SERVICE_CONTROL_POLICY":
                continue
            if node in (p.get("Targets") or p.get("targets") or []):
                content = p.get("Content") or p.get("content")
                level.append(decode(content))
        levels.append(level)
    return levels


def enrich(src, dst):
    import shutil
    shutil.copytree(src, dst, dirs_exist_ok=True)
    for path in sorted(dst.glob("*.authorization-details.json")):
        account = path.name.split(".")[0]
        page = normalise(json.loads(path.read_text()))
        boundary = f"arn:aws:iam::{account}:policy/boundary-without-sts"
        page["Policies"].append({
            "PolicyName": "boundary-without-sts", "Arn": boundary, "Path": "/",
            "DefaultVersionId": "v1", "IsAttachable": True,
            "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "NotAction": "sts:*", "Resource": "*"}]}}],
        })
        for i, user in enumerate(page["UserDetailList"]):
            if i % 5 == 0:
                user["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                               "PermissionsBoundaryArn": boundary}
            if i % 3 == 0:
                for p in user.get("UserPolicyList", []):
                    for st in p["PolicyDocument"]["Statement"]:
                        if st.get("Action") == "sts:AssumeRole":
                            st["Resource"] = "arn:aws:iam::*:role/integration-*"
        for i, role in enumerate(page["RoleDetailList"]):
            if i % 5 == 0:
                role["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                               "PermissionsBoundaryArn": boundary}
            if i % 10 in (0, 3):
                role["RolePolicyList"].append({"PolicyName": "assume-integration", "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                   "Resource": f"arn:aws:iam::{account}:role/integration-*"}]}})
            trust = role["AssumeRolePolicyDocument"]
            for st in trust["Statement"]:
                aws = st.get("Principal", {}).get("AWS", "")
                if ":user/" in str(aws) and i % 4 == 0:
                    st["Condition"] = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
                elif ":user/" in str(aws) and i % 4 == 1:
                    st["Principal"]["AWS"] = [aws, account]
        path.write_text(json.dumps(page, indent=1))


def main():
    if sys.argv[1] == "enrich":
        enrich(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    snapshot, rolecall_json = Path(sys.argv[1]), sys.argv[2]
    org_file = snapshot / "organization.json"
    org = json.loads(org_file.read_text()) if org_file.exists() else None
    graphs, scps, bounded = [], {}, set()
    start = time.time()
    for path in sorted(snapshot.glob("*.authorization-details.json")):
        account = path.name.split(".")[0]
        page = normalise(json.loads(path.read_text()))
        for entity in page["UserDetailList"] + page["RoleDetailList"]:
            if "PermissionsBoundary" in entity:
                bounded.add(entity["Arn"])
        result = gathering.get_nodes_groups_and_policies(SnapshotIam(page))
        scps[account] = scps_for(org, account)
        gathering.update_admin_status(result["nodes"], scps[account])
        edges = obtain_edges(None, ["sts", "iam", "ec2", "lambda", "cloudformation", "codebuild", "sagemaker"],
                             result["nodes"], scps=scps[account])
        graphs.append(Graph(result["nodes"], edges, result["policies"], result["groups"],
                            {"account_id": account, "pmapper_version": "1.1.5"}))
        print(f"pmapper: {account}: {len(result['nodes'])} principals, {len(edges)} edges "
              f"({time.time() - start:.1f} s)", file=sys.stderr)
    cross = []
    for i, a in enumerate(graphs):
        for b in graphs[i + 1:]:
            cross += get_edges_between_graphs(a, b, scps[a.metadata["account_id"]], scps[b.metadata["account_id"]])
    print(f"pmapper: {len(cross)} cross-account edges; total {time.time() - start:.1f} s", file=sys.stderr)

    pmapper = {}
    for g in graphs:
        for e in g.edges:
            pmapper[(e.source.arn, e.destination.arn)] = e.reason
    for e in cross:
        pmapper[(e.source.arn, e.destination.arn)] = e.reason

    rolecall = {}
    for e in json.load(open(rolecall_json))["edges"]:
        if ":user/" in e["from"] or ":role/" in e["from"]:
            if e["from"].split(":")[4] and e.get("external"):
                continue  # principals outside the snapshot: PMapper has no node for them
            rolecall.setdefault((e["from"], e["to"]), []).append(e)

    only_rolecall = [k for k in rolecall if k not in pmapper]
    only_pmapper = [k for k in pmapper if k not in rolecall]
    both = [k for k in rolecall if k in pmapper]
    print(json.dumps({
        "pmapper_edges": len(pmapper),
        "rolecall_edges": len(rolecall),
        "both": len(both),
        "only_rolecall": len(only_rolecall),
        "only_pmapper": len(only_pmapper),
    }, indent=2))

    def why(key):
        if key[0] == key[1]:
            return "a role assuming itself (PMapper skips self-edges)"
        keys = set()
        for e in rolecall[key]:
            for c in e["conditions"]:
                keys.add(f'{c["effect"]} {c["key"]}')
        kinds = sorted({e["kind"] for e in rolecall[key]})
        return f'{"/".join(kinds)} if {", ".join(sorted(keys))}' if keys else "/".join(kinds) + " unconditional"

    print("\nonly rolecall, by its conditions:")
    for reason, n in Counter(why(k) for k in only_rolecall).most_common():
        example = next(k for k in only_rolecall if why(k) == reason)
        print(f"  {n:6}  {reason}   e.g. {example[0]} -> {example[1]}")
    def pm_why(key):
        kind = "role" if ":role/" in key[0] else "user"
        boundary = "with" if key[0] in bounded else "without"
        return f"{pmapper[key]} (source: a {kind} {boundary} a permissions boundary)"

    print("\nonly PMapper, by PMapper's reason:")
    for reason, n in Counter(pm_why(k) for k in only_pmapper).most_common():
        example = next(k for k in only_pmapper if pm_why(k) == reason)
        print(f"  {n:6}  {reason}   e.g. {example[0]} -> {example[1]}")


if __name__ == "__main__":
    main()
