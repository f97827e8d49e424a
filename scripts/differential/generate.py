#!/usr/bin/env python3
"""Random requests and policies for differential testing, one
`rolecall simulate` request per line (JSON Lines) on standard output.

Usage: generate.py COUNT [SEED]

Every part is drawn from small vocabularies so that matches happen often:
all condition operator families (with IfExists, ForAnyValue/ForAllValues),
wildcards, NotAction/NotResource/NotPrincipal, policy variables, and every
policy type (identity, resource, boundary, SCP and RCP levels, session).
The context holds the principal keys AWS sets (aws:PrincipalArn, …) so an
engine that does not add them itself sees the same request.
"""
import json
import random
import sys

A, B = "111111111111", "222222222222"

PRINCIPALS = [
    ("user", f"arn:aws:iam::{A}:user/alice", A),
    ("user", f"arn:aws:iam::{A}:user/bob", A),
    ("user", f"arn:aws:iam::{B}:user/carol", B),
    ("session", f"arn:aws:sts::{A}:assumed-role/Dev/s1", A),
    ("session", f"arn:aws:sts::{B}:assumed-role/Ops/s2", B),
    ("root", f"arn:aws:iam::{A}:root", A),
    ("service", "ec2.amazonaws.com", None),
    ("anonymous", "anonymous", None),
]

# action -> list of (resource, resource account)
ACTIONS = {
    "s3:GetObject": [("arn:aws:s3:::bkt-a/home/alice/x.txt", A), ("arn:aws:s3:::bkt-b/data/y.csv", B)],
    "s3:PutObject": [("arn:aws:s3:::bkt-a/home/bob/z.txt", A)],
    "s3:ListBucket": [("arn:aws:s3:::bkt-a", A), ("arn:aws:s3:::bkt-b", B)],
    "sqs:SendMessage": [(f"arn:aws:sqs:us-east-1:{A}:q1", A), (f"arn:aws:sqs:us-east-1:{B}:q2", B)],
    "iam:GetUser": [(f"arn:aws:iam::{A}:user/alice", A)],
    "ec2:StartInstances": [(f"arn:aws:ec2:us-east-1:{A}:instance/i-0123456789abcdef0", A)],
    "sts:AssumeRole": [(f"arn:aws:iam::{A}:role/Target", A), (f"arn:aws:iam::{B}:role/Target", B)],
}

ACTION_PATTERNS = ["*", "s3:*", "s3:Get*", "s3:GetObject", "S3:getobject", "s3:*Object", "s3:List*",
                   "sqs:*", "sqs:Send*", "iam:Get?ser", "iam:*", "ec2:Start*", "ec2:*Instances",
                   "sts:AssumeRole", "sts:*"]

RESOURCE_PATTERNS = ["*", "arn:aws:s3:::bkt-a/*", "arn:aws:s3:::bkt-?/*", "arn:aws:s3:::bkt-a",
                     "arn:aws:s3:::*", "arn:aws:s3:::bkt-a/home/${aws:username}/*",
                     "arn:aws:s3:::bkt-*/data/*", f"arn:aws:sqs:*:{A}:q*", "arn:aws:sqs:us-east-1:*:*",
                     f"arn:aws:iam::{A}:user/*", "arn:aws:iam::*:role/*", f"arn:aws:iam::{B}:role/Target",
                     f"arn:aws:ec2:*:{A}:instance/*", "arn:aws:ec2:us-east-?:*:instance/*"]

AWS_PRINCIPALS = ["*", A, B, f"arn:aws:iam::{A}:root", f"arn:aws:iam::{B}:root",
                  f"arn:aws:iam::{A}:user/alice", f"arn:aws:iam::{B}:user/carol",
                  f"arn:aws:iam::{A}:role/Dev", f"arn:aws:iam::{B}:role/Ops",
                  f"arn:aws:sts::{A}:assumed-role/Dev/s1"]

IPS = ["203.0.113.7", "198.51.100.20", "10.1.2.3", "2001:db8::1"]
CIDRS = ["203.0.113.0/24", "198.51.100.0/25", "10.0.0.0/8", "2001:db8::/32", "203.0.113.7/32"]
DATES = ["2024-01-01T00:00:00Z", "2025-06-15T12:00:00Z", "2023-03-01T08:30:00Z", "1704067200", "1750000000"]
TEAMS = ["red", "blue", "Red"]
TAG_KEYS = ["team", "env", "cost"]


def condition_block(rng):
    """One operator block over a key from a small set."""
    family = rng.choice(["string", "string", "numeric", "date", "bool", "ip", "arn", "null", "multi"])
    ifexists = "IfExists" if rng.random() < 0.25 else ""
    if family == "string":
        op = rng.choice(["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
                         "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"])
        key = rng.choice(["aws:PrincipalTag/team", "aws:username", "s3:prefix"])
        values = {"aws:PrincipalTag/team": ["red", "blue", "r*", "RED", "${aws:PrincipalTag/team}"],
                  "aws:username": ["alice", "bob", "a*", "${aws:username}"],
                  "s3:prefix": ["home/", "home/*", "data/?", "${aws:username}/*"]}[key]
        v = rng.sample(values, rng.randint(1, 2))
    elif family == "numeric":
        op = rng.choice(["NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
                         "NumericGreaterThan", "NumericGreaterThanEquals"])
        key, v = "s3:max-keys", [rng.choice(["10", "100", "5.5", "-1"])]
    elif family == "date":
        op = rng.choice(["DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
                         "DateGreaterThan", "DateGreaterThanEquals"])
        key, v = "aws:CurrentTime", [rng.choice(DATES)]
    elif family == "bool":
        op, key, v = "Bool", rng.choice(["aws:MultiFactorAuthPresent", "aws:SecureTransport"]), [rng.choice(["true", "false"])]
    elif family == "ip":
        op, key = rng.choice(["IpAddress", "NotIpAddress"]), "aws:SourceIp"
        v = rng.sample(CIDRS, rng.randint(1, 2))
    elif family == "arn":
        op = rng.choice(["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"])
        key = "aws:PrincipalArn"
        v = [rng.choice([f"arn:aws:iam::{A}:user/*", f"arn:aws:iam::{A}:role/Dev", "arn:aws:iam::*:role/*",
                         f"arn:aws:iam::{A}:user/alice"])]
    elif family == "null":
        op, key, v = "Null", rng.choice(["aws:PrincipalTag/team", "aws:SourceIp", "aws:TagKeys"]), [rng.choice(["true", "false"])]
        ifexists = ""
    else:
        op = rng.choice(["ForAnyValue:StringEquals", "ForAllValues:StringEquals",
                         "ForAnyValue:StringLike", "ForAllValues:StringNotEquals"])
        key, v = "aws:TagKeys", rng.sample(TAG_KEYS + ["c*"], rng.randint(1, 2))
        ifexists = ""
    name = op + ifexists
    return name, {key: v if len(v) > 1 or rng.random() < 0.5 else v[0]}


def statement(rng, kind, effect=None):
    effect = effect or rng.choice(["Allow", "Allow", "Deny"])
    s = {"Effect": effect}
    if rng.random() < 0.3:
        s["Sid"] = f"S{rng.randint(0, 99)}"
    if kind in ("resource", "rcp"):
        if kind == "rcp":
            s["Effect"] = "Deny"
            s["Principal"] = "*"
        elif effect == "Deny" and rng.random() < 0.15:
            s["NotPrincipal"] = {"AWS": rng.sample(AWS_PRINCIPALS[1:], rng.randint(1, 3))}
        else:
            r = rng.random()
            if r < 0.2:
                s["Principal"] = "*"
            elif r < 0.3:
                s["Principal"] = {"Service": "ec2.amazonaws.com"}
            else:
                s["Principal"] = {"AWS": rng.sample(AWS_PRINCIPALS, rng.randint(1, 2))}
    actions = rng.sample(ACTION_PATTERNS, rng.randint(1, 3))
    if rng.random() < 0.12 and kind != "rcp":
        s["NotAction"] = actions
    else:
        s["Action"] = actions if len(actions) > 1 else actions[0]
    resources = rng.sample(RESOURCE_PATTERNS, rng.randint(1, 2))
    if rng.random() < 0.1:
        s["NotResource"] = resources
    else:
        s["Resource"] = resources if len(resources) > 1 else resources[0]
    if rng.random() < 0.45:
        cond = {}
        for _ in range(rng.randint(1, 2)):
            name, entry = condition_block(rng)
            cond.setdefault(name, {}).update(entry)
        s["Condition"] = cond
    return s


def policy(rng, kind, effect=None):
    p = {}
    # RCPs must carry Version 2012-10-17 ("RCP syntax").
    if kind == "rcp" or rng.random() < 0.9:
        p["Version"] = "2012-10-17"
    p["Statement"] = [statement(rng, kind, effect) for _ in range(rng.randint(1, 3))]
    return p


def context(rng, kind, arn, account, action):
    ctx = {}
    if kind in ("user", "session", "root"):
        if kind == "session":
            role = arn.split("/")[1]
            ctx["aws:PrincipalArn"] = f"arn:aws:iam::{account}:role/{role}"
        else:
            ctx["aws:PrincipalArn"] = arn
        ctx["aws:PrincipalAccount"] = account
        if kind == "user":
            ctx["aws:username"] = arn.rsplit("/", 1)[1]
    if kind == "service":
        ctx["aws:PrincipalServiceName"] = "ec2.amazonaws.com"
    if rng.random() < 0.5:
        ctx["aws:PrincipalTag/team"] = rng.choice(TEAMS)
    if rng.random() < 0.5:
        ctx["aws:SourceIp"] = rng.choice(IPS)
    if rng.random() < 0.5:
        ctx["aws:CurrentTime"] = rng.choice(DATES[:3])
    if rng.random() < 0.4:
        ctx["aws:MultiFactorAuthPresent"] = rng.choice(["true", "false"])
    if rng.random() < 0.3:
        ctx["aws:SecureTransport"] = rng.choice(["true", "false"])
    # Service keys only where the service sets them (s3:ListBucket), so an
    # engine that drops keys an action cannot have sees the same request.
    if action == "s3:ListBucket" and rng.random() < 0.6:
        ctx["s3:max-keys"] = rng.choice(["10", "50", "100", "200"])
    if action == "s3:ListBucket" and rng.random() < 0.6:
        ctx["s3:prefix"] = rng.choice(["home/alice/", "data/1", "home/"])
    if rng.random() < 0.4:
        ctx["aws:TagKeys"] = rng.sample(TAG_KEYS, rng.randint(0, 3))
    return ctx


def request(rng):
    kind, arn, account = rng.choice(PRINCIPALS)
    action = rng.choice(list(ACTIONS))
    resource, resource_account = rng.choice(ACTIONS[action])
    r = {"principal": arn, "action": action, "resource": resource, "resource_account": resource_account,
         "context": context(rng, kind, arn, account, action)}
    if kind in ("user", "session") and rng.random() < 0.9:
        r["identity_policies"] = [policy(rng, "identity", "Allow" if i == 0 else None) for i in range(rng.randint(1, 2))]
    if rng.random() < 0.6:
        r["resource_policy"] = policy(rng, "resource")
    if kind in ("user", "session") and rng.random() < 0.2:
        r["permission_boundaries"] = [policy(rng, "boundary", "Allow")]
    if kind == "session" and rng.random() < 0.2:
        r["session_policy"] = policy(rng, "session", "Allow")
    if account and rng.random() < 0.25:
        r["scps"] = [[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]] + \
                    [[policy(rng, "scp")] for _ in range(rng.randint(0, 1))]
    if rng.random() < 0.15:
        r["rcps"] = [[policy(rng, "rcp")]]
    return r


def main():
    count = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    for _ in range(count):
        out.write(json.dumps(request(rng), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
