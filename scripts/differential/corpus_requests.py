#!/usr/bin/env python3
"""Prints every conformance-corpus request (policy names resolved) as JSON
Lines, for measuring another engine on the same requests as our bench.

Usage: corpus_requests.py [CORPUS_DIR]
"""
import json
import os
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "tests", "conformance")


def resolve(value, policies):
    if isinstance(value, str):
        doc = dict(policies[value])
        doc["__name"] = value
        return doc
    return value


for folder, _, names in sorted(os.walk(ROOT)):
    for name in sorted(n for n in names if n.endswith(".json")):
        doc = json.load(open(os.path.join(folder, name)))
        policies = doc.get("policies", {})
        for case in doc["cases"]:
            if case["expect"].get("error"):
                continue
            r = dict(case["request"])
            for key in ("identity_policies", "permission_boundaries"):
                if key in r:
                    r[key] = [resolve(p, policies) for p in r[key]]
            for key in ("resource_policy", "session_policy"):
                if key in r:
                    r[key] = resolve(r[key], policies)
            for key in ("scps", "rcps"):
                if key in r:
                    r[key] = [[resolve(p, policies) for p in level] for level in r[key]]
            print(json.dumps(r, separators=(",", ":")))
