"""Assigns every disagreement between rolecall and iam-simulate to one class.

Each class has a predicate on the request (does it carry the feature?) and,
where possible, a neutraliser: a rewrite that removes the feature while
keeping rolecall's reading of the request (a date becomes the same instant
in ISO 8601, an unset variable in a resource becomes an ARN that matches
nothing, ...). Both engines rerun each neutralised request, and a request
is put in the class whose neutraliser alone makes them agree. The class
without a neutraliser (the root user calling AssumeRole) is chosen when
rolecall's deciding rule is that class's. Requests that need two features
are settled as described at REASON_CLASS. Anything else is "unclassified".

A neutraliser must keep rolecall's decision: one that changes it removed
more than the feature, and does not count.

Used by compare.py; `decide(for_rolecall, for_iam_simulate)` must return one
(rolecall decision, iam-simulate decision) pair per request. A neutraliser
returns one request for both engines, or a (for rolecall, for iam-simulate)
pair.
"""
import copy
import datetime
import json
import re

EPOCH = re.compile(r"^\d+$")
VAR = re.compile(r"\$\{([^}]*)\}")
NO_MATCH_ARN = "arn:aws:s3:::rolecall-differential-no-match/none"
NOBODY = "arn:aws:iam::333333333333:user/nobody"


def docs(r):
    """Every policy document of a request (the objects themselves)."""
    for key in ("identity_policies", "permission_boundaries"):
        yield from r.get(key, [])
    for key in ("resource_policy", "session_policy"):
        if key in r:
            yield r[key]
    for key in ("scps", "rcps"):
        for level in r.get(key, []):
            yield from level


def statements(doc):
    s = doc.get("Statement", [])
    return s if isinstance(s, list) else [s]


def as_list(v):
    return v if isinstance(v, list) else [v]


def versioned(doc):
    return doc.get("Version") == "2012-10-17"


def versioned_statements(r):
    """The statements of the request's documents that support variables."""
    for doc in docs(r):
        if versioned(doc):
            yield from statements(doc)


def context_has(r, key):
    return key.lower() in {k.lower() for k in r.get("context", {})}


def context_value(r, key):
    for k, v in r.get("context", {}).items():
        if k.lower() == key.lower():
            return v
    return None


def caller_chain(r):
    """The identities AWS may check for the caller in a NotPrincipal list."""
    p = r["principal"]
    m = re.match(r"^arn:aws:(iam|sts)::(\d{12}):(.*)$", p)
    if not m:
        return {p}
    account, rest = m.group(2), m.group(3)
    chain = {account, f"arn:aws:iam::{account}:root", p}
    if rest.startswith("assumed-role/"):
        chain.add(f"arn:aws:iam::{account}:role/{rest.split('/')[1]}")
    return chain


# --- predicates and neutralisers, one pair per class ----------------------

def is_root(r):
    return r["principal"].endswith(":root")


def is_assume_role(r):
    return r["action"].lower().startswith("sts:assumerole")


def root_pred(r):
    return is_root(r) and not is_assume_role(r)


def root_fix(r):
    # Tell iam-simulate what AWS grants the root user (its account's full
    # access) as an identity-based policy. rolecall gets the request
    # unchanged: it rejects identity policies for the root user, which has
    # none in AWS.
    v = copy.deepcopy(r)
    v.setdefault("identity_policies", []).append(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    return r, v


def root_assume_pred(r):
    return is_root(r) and is_assume_role(r)


def no_trust_pred(r):
    return is_assume_role(r) and "resource_policy" not in r


def no_trust_fix(r):
    # A trust policy that trusts someone else: rolecall's reading (no trust
    # for the caller) stays.
    v = copy.deepcopy(r)
    v["resource_policy"] = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": NOBODY}, "Action": "sts:AssumeRole", "Resource": "*"}]}
    return v


def date_blocks(doc):
    for s in statements(doc):
        for op, block in s.get("Condition", {}).items():
            if "Date" in op.split(":")[-1]:
                yield block


def kind_of_date(v):
    return "epoch" if EPOCH.match(str(v)) else "iso"


def date_pred(r):
    for doc in docs(r):
        for block in date_blocks(doc):
            for key, values in block.items():
                req = context_value(r, key)
                if req is None:
                    continue
                kinds = {kind_of_date(x) for x in as_list(values) + as_list(req)}
                if len(kinds) > 1:
                    return True
    return False


def to_iso(v):
    if EPOCH.match(str(v)):
        return datetime.datetime.fromtimestamp(int(v), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return v


def date_fix(r):
    # Every epoch date becomes the same instant in ISO 8601.
    v = copy.deepcopy(r)
    for doc in docs(v):
        for block in date_blocks(doc):
            for key, values in block.items():
                block[key] = [to_iso(x) for x in values] if isinstance(values, list) else to_iso(values)
    return v


def no_version_pred(r):
    return any(not versioned(d) and "${" in json.dumps(d) for d in docs(r))


def no_version_fix(r):
    # `${k}` becomes the plain text `$(k)`: literal text for both engines,
    # which is what rolecall reads `${k}` as without Version 2012-10-17.
    v = copy.deepcopy(r)

    def literal(x):
        if isinstance(x, str):
            return VAR.sub(lambda m: "$(" + m.group(1) + ")", x)
        if isinstance(x, list):
            return [literal(y) for y in x]
        if isinstance(x, dict):
            return {k: literal(y) for k, y in x.items()}
        return x
    for doc in docs(v):
        if not versioned(doc) and "${" in json.dumps(doc):
            doc["Statement"] = literal(doc["Statement"])
    return v


def unset_vars(r, entry):
    return [k for k in VAR.findall(entry) if "," not in k and not context_has(r, k.strip())]


def unset_resource_pred(r):
    for s in versioned_statements(r):
        for elem in ("Resource", "NotResource"):
            if any(unset_vars(r, e) for e in as_list(s.get(elem, []))):
                return True
    return False


def unset_resource_fix(r):
    # An entry with an unset variable matches nothing (rolecall's reading):
    # it becomes an ARN that matches nothing.
    v = copy.deepcopy(r)
    for s in versioned_statements(v):
        for elem in ("Resource", "NotResource"):
            if elem in s:
                new = [NO_MATCH_ARN if unset_vars(r, e) else e for e in as_list(s[elem])]
                s[elem] = new if isinstance(s[elem], list) else new[0]
    return v


def unset_condition_pred(r):
    for s in versioned_statements(r):
        for block in s.get("Condition", {}).values():
            for values in block.values():
                if any(isinstance(x, str) and unset_vars(r, x) for x in as_list(values)):
                    return True
    return False


def unset_condition_fix(r):
    # A condition value with an unset variable equals and matches nothing
    # (rolecall's reading): it becomes text no request value equals.
    v = copy.deepcopy(r)
    for s in versioned_statements(v):
        for block in s.get("Condition", {}).values():
            for key, values in block.items():
                new = ["rolecall-differential-no-match" if isinstance(x, str) and unset_vars(r, x) else x
                       for x in as_list(values)]
                block[key] = new if isinstance(values, list) else new[0]
    return v


def not_principal_statements(doc):
    for s in statements(doc):
        if s.get("Effect") == "Deny" and isinstance(s.get("NotPrincipal"), dict):
            yield s


def not_principal_pred(r):
    chain = caller_chain(r)
    doc = r.get("resource_policy")
    if not doc:
        return False
    return any(set(as_list(s["NotPrincipal"].get("AWS", []))) & chain for s in not_principal_statements(doc))


def not_principal_fix(r):
    # Drop every entry naming part of the caller's chain: rolecall, which
    # wants the whole chain named, still denies.
    chain = caller_chain(r)
    v = copy.deepcopy(r)
    for s in not_principal_statements(v["resource_policy"]):
        if "AWS" in s["NotPrincipal"]:
            rest = [p for p in as_list(s["NotPrincipal"]["AWS"]) if p not in chain]
            s["NotPrincipal"]["AWS"] = rest or [NOBODY]
    return v


def is_everyone(principal):
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in as_list(principal.get("AWS", []))


def names_session(principal, arn):
    return isinstance(principal, dict) and arn in as_list(principal.get("AWS", []))


def star_session_pred(r):
    m = re.match(r"^arn:aws:sts::(\d{12}):assumed-role/", r["principal"])
    if not m or m.group(1) != r.get("resource_account"):
        return False
    if "session_policy" not in r and "permission_boundaries" not in r:
        return False
    doc = r.get("resource_policy")
    return bool(doc) and any(s.get("Effect") == "Allow" and (is_everyone(s.get("Principal")) or
                                                             names_session(s.get("Principal"), r["principal"]))
                             for s in statements(doc))


def star_session_fix(r):
    # Without the session policy and boundary, nothing limits the session.
    v = copy.deepcopy(r)
    v.pop("session_policy", None)
    v.pop("permission_boundaries", None)
    return v


def null_blocks(doc):
    for s in statements(doc):
        for op, block in s.get("Condition", {}).items():
            if op == "Null":
                yield block


def null_empty_pred(r):
    return any(context_value(r, key) == [] for doc in docs(r) for block in null_blocks(doc) for key in block)


def null_empty_fix(r):
    # An empty list is a null data set (rolecall's reading): drop the key.
    v = copy.deepcopy(r)
    for doc in docs(r):
        for block in null_blocks(doc):
            for key in block:
                if context_value(r, key) == []:
                    for k in list(v["context"]):
                        if k.lower() == key.lower():
                            del v["context"][k]
    return v


# (name, predicate, neutraliser or None), in the order of the README table.
CLASSES = [
    ("root user", root_pred, root_fix),
    ("root user calling AssumeRole", root_assume_pred, None),
    ("AssumeRole without trust policy", no_trust_pred, no_trust_fix),
    ("date: epoch vs ISO 8601", date_pred, date_fix),
    ("variable without Version 2012-10-17", no_version_pred, no_version_fix),
    ("Resource/NotResource variable with no value", unset_resource_pred, unset_resource_fix),
    ("Condition variable with no value", unset_condition_pred, unset_condition_fix),
    ("NotPrincipal Deny naming part of the caller", not_principal_pred, not_principal_fix),
    ("grant to * or the session ARN, session limited", star_session_pred, star_session_fix),
    ("Null on an empty list", null_empty_pred, null_empty_fix),
]


# When several features each explain a disagreement (removing either one
# makes the engines agree), or only removing them together does, the
# disagreement needs all of them. It goes to the class of rolecall's
# deciding rule if that rule names one of them, else to the first of them in
# TIE_ORDER: the feature of a statement before the facts about the caller
# (root user, AssumeRole without a trust policy), which matter only because
# rolecall's deciding rule was elsewhere.
REASON_CLASS = {
    "root_user": "root user",
    "root_cannot_assume_role": "root user calling AssumeRole",
    "resource_policy_required": "AssumeRole without trust policy",
}


TIE_ORDER = [c[0] for c in CLASSES if c[0] not in REASON_CLASS.values()] + list(REASON_CLASS.values())


def combined_fix(r, cs):
    ours, theirs = r, r
    for _, _, fix in cs:
        if fix:
            v = fix(theirs)
            if isinstance(v, tuple):
                theirs = v[1]
            else:
                ours, theirs = fix(ours), v
    return ours, theirs


def classify_all(disagreements, ours, reasons, decide):
    """disagreements: requests on which the engines disagree; ours and
    reasons: rolecall's decision and reason code on each. Returns one
    (class name, details) per request."""
    candidates = [[c for c in CLASSES if c[1](r)] for r in disagreements]
    trials = []
    for i, (r, cs) in enumerate(zip(disagreements, candidates)):
        for name, _, fix in cs:
            if fix:
                v = fix(r)
                trials.append((i, (name,)) + (v if isinstance(v, tuple) else (v, v)))
        if sum(1 for c in cs if c[2]) > 1:
            trials.append((i, tuple(c[0] for c in cs if c[2])) + combined_fix(r, cs))
    answers = decide([t[2] for t in trials], [t[3] for t in trials]) if trials else []
    settles = [[] for _ in disagreements]
    for (i, names, _, _), (o, t) in zip(trials, answers):
        if o == t == ours[i]:
            settles[i].append(names)
    out = []
    order = TIE_ORDER
    for cs, s, reason in zip(candidates, settles, reasons):
        matching = [c[0] for c in cs]
        alone = [n[0] for n in s if len(n) == 1]
        # A class without a neutraliser is defined by rolecall's deciding
        # rule: it counts only when that rule is the class's.
        without_fix = [c[0] for c in cs if not c[2] and REASON_CLASS.get(reason) == c[0]]
        if len(alone) == 1 and not without_fix:
            name, how = alone[0], "alone"
        elif not s and len(without_fix) == 1:
            name, how = without_fix[0], "predicate"
        elif s:
            # several features needed: every one settling alone, or all together
            needed = (alone or list(s[0])) + without_fix
            name = REASON_CLASS.get(reason)
            if name not in needed:
                name = min(needed, key=order.index)
            how = "tie: either alone" if alone else "tie: only together"
        else:
            name, how = "unclassified", ""
        out.append((name, {"matching": matching, "settled_by": [list(n) for n in s], "how": how}))
    return out
