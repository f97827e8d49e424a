#!/usr/bin/env python3
"""Runs requests through both engines, counts every disagreement by class,
and prints each group of disagreements with a minimised example.

Usage: compare.py REQUESTS.jsonl ROLECALL_BIN IAM_SIMULATE_DIR [--validated]

Every disagreement is assigned to one documented class by classify.py (by
removing the class's feature and checking that the engines then agree);
the table of exact counts comes first. Then, per group (rolecall decision,
iam-simulate decision, rolecall reason code), two requests are minimised:
policies, statements, statement elements, condition operators and context
keys are removed one at a time while the two engines still disagree the
same way.
"""
import copy
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict

import classify

HERE = os.path.dirname(os.path.abspath(__file__))


def run_ours(binary, requests):
    text = "\n".join(json.dumps(r) for r in requests) + "\n"
    out = subprocess.run([binary, "simulate", "--request", "-", "--format", "json"],
                         input=text, capture_output=True, text=True, check=False).stdout
    answers = []
    for line in out.splitlines():
        a = json.loads(line)
        if "error" in a:
            answers.append(("error", a["error"]["kind"]))
        else:
            answers.append((a["decision"], a["trace"]["reason"]["code"]))
    return answers


def run_theirs(sim_dir, requests, validated):
    text = "\n".join(json.dumps(r) for r in requests) + "\n"
    args = ["node", os.path.join(HERE, "iam-simulate.mjs")] + (["--validated"] if validated else [])
    out = subprocess.run(args, input=text, capture_output=True, text=True, check=False,
                         env=dict(os.environ, IAM_SIMULATE_DIR=sim_dir)).stdout
    return [("error", "") if "error" in a else (a["decision"], "")
            for a in (json.loads(line) for line in out.splitlines())]


def variants(r):
    """Every request with one part removed."""
    def policy_lists(req):
        for key in ("identity_policies", "permission_boundaries"):
            for i in range(len(req.get(key, []))):
                yield (key, i)
        for key in ("resource_policy", "session_policy"):
            if key in req:
                yield (key, None)
        for key in ("scps", "rcps"):
            for l, level in enumerate(req.get(key, [])):
                for i in range(len(level)):
                    yield (key, (l, i))

    def get(req, where):
        key, idx = where
        if idx is None:
            return req[key]
        if isinstance(idx, tuple):
            return req[key][idx[0]][idx[1]]
        return req[key][idx]

    # drop whole optional members
    for key in ("identity_policies", "resource_policy", "permission_boundaries", "session_policy", "scps", "rcps"):
        if key in r:
            v = copy.deepcopy(r)
            del v[key]
            yield v
    for where in list(policy_lists(r)):
        key, idx = where
        if idx is not None and not isinstance(idx, tuple) and len(r[key]) > 1:
            v = copy.deepcopy(r)
            del v[key][idx]
            yield v
        doc = get(r, where)
        stmts = doc.get("Statement", [])
        for s_i in range(len(stmts)):
            if len(stmts) > 1:
                v = copy.deepcopy(r)
                del get(v, where)["Statement"][s_i]
                yield v
            for elem in ("Sid", "Condition"):
                if elem in stmts[s_i]:
                    v = copy.deepcopy(r)
                    del get(v, where)["Statement"][s_i][elem]
                    yield v
            for elem in ("Action", "NotAction", "Resource", "NotResource"):
                val = stmts[s_i].get(elem)
                if isinstance(val, list) and len(val) > 1:
                    for k in range(len(val)):
                        v = copy.deepcopy(r)
                        del get(v, where)["Statement"][s_i][elem][k]
                        yield v
            cond = stmts[s_i].get("Condition", {})
            if len(cond) > 1:
                for op in cond:
                    v = copy.deepcopy(r)
                    del get(v, where)["Statement"][s_i]["Condition"][op]
                    yield v
        if "Version" in doc:
            pass
    for k in list(r.get("context", {})):
        v = copy.deepcopy(r)
        del v["context"][k]
        yield v


def minimise(r, want, binary, sim_dir, validated, rounds=25):
    for _ in range(rounds):
        cands = list(variants(r))
        if not cands:
            return r
        ours = run_ours(binary, cands)
        theirs = run_theirs(sim_dir, cands, validated)
        for c, o, t in zip(cands, ours, theirs):
            if (o[0], t[0]) == want:
                r = c
                break
        else:
            return r
    return r


def features(r):
    f = set()
    text = json.dumps(r)
    kind = r["principal"]
    f.add("root" if kind.endswith(":root") else "service" if kind.endswith(".amazonaws.com")
          else "anonymous" if kind == "anonymous" else "session" if ":assumed-role/" in kind else "user")
    for word, name in (("${", "variable"), ("NotPrincipal", "NotPrincipal"), ("NotAction", "NotAction"),
                       ("NotResource", "NotResource"), ("Date", "date-operator"), ("IfExists", "IfExists"),
                       ("ForAllValues", "ForAllValues"), ("ForAnyValue", "ForAnyValue"), ("Null", "Null")):
        if word in text:
            f.add(name)
    if any("Version" not in p for p in r.get("identity_policies", [])) or \
            ("resource_policy" in r and "Version" not in r["resource_policy"]):
        f.add("no-version")
    if r.get("resource_account") and r.get("context", {}).get("aws:PrincipalAccount") not in (None, r["resource_account"]):
        f.add("cross-account")
    if r["action"] == "sts:AssumeRole":
        f.add("assume-role")
    return tuple(sorted(f))


def main():
    path, binary, sim_dir = sys.argv[1:4]
    validated = "--validated" in sys.argv
    requests = [json.loads(l) for l in open(path) if l.strip()]
    ours, theirs = [], []
    for i in range(0, len(requests), 5000):
        chunk = requests[i:i + 5000]
        ours += run_ours(binary, chunk)
        theirs += run_theirs(sim_dir, chunk, validated)
    compared = agree = 0
    errors = Counter()
    classes = defaultdict(list)
    for r, o, t in zip(requests, ours, theirs):
        if o[0] == "error" or t[0] == "error":
            errors[(o[0] == "error", t[0] == "error")] += 1
            continue
        compared += 1
        if o[0] == t[0]:
            agree += 1
        else:
            classes[(o[0], t[0], o[1])].append(r)
    print(f"requests: {len(requests)}; compared: {compared}; agree: {agree}; disagree: {compared - agree}")
    print(f"skipped (rolecall error, iam-simulate error): {dict(errors)}")
    for (o, t, reason), rs in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        print(f"class: rolecall {o}, iam-simulate {t}, rolecall reason {reason}: {len(rs)}", flush=True)

    def decide(for_ours, for_theirs):
        a, b = [], []
        for i in range(0, len(for_ours), 5000):
            a += run_ours(binary, for_ours[i:i + 5000])
            b += run_theirs(sim_dir, for_theirs[i:i + 5000], validated)
        return [(x[0], y[0]) for x, y in zip(a, b)]

    dis = [(r, o, reason) for (o, _, reason), rs in classes.items() for r in rs]
    result = classify.classify_all([d[0] for d in dis], [d[1] for d in dis], [d[2] for d in dis], decide)
    counts = Counter(name for name, _ in result)
    ties = Counter(name for name, det in result if det["how"].startswith("tie"))
    print(f"classification of all {len(dis)} disagreements (class: count; of which needing another feature too):")
    for name in [c[0] for c in classify.CLASSES] + ["unclassified"]:
        print(f"  {name}: {counts.get(name, 0)}; {ties.get(name, 0)}", flush=True)
    how = Counter(det["how"] for _, det in result if det["how"].startswith("tie"))
    print(f"needing two features: {dict(how)}", flush=True)
    for (r, o, reason), (name, det) in zip(dis, result):
        if name == "unclassified":
            print(json.dumps({"unclassified": r, "rolecall": o, "reason": reason, **det}), flush=True)
    report = []
    for (o, t, reason), rs in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        sub = defaultdict(list)
        for r in rs[:2]:
            m = minimise(r, (o, t), binary, sim_dir, validated)
            sub[features(m)].append(m)
        for feats, ms in sorted(sub.items(), key=lambda kv: -len(kv[1])):
            smallest = min(ms, key=lambda m: len(json.dumps(m)))
            report.append({"rolecall": o, "iam_simulate": t, "reason": reason, "count_in_sample": len(ms),
                           "class_total": len(rs), "features": feats, "example": smallest})
            print(json.dumps(report[-1]), flush=True)


if __name__ == "__main__":
    main()
