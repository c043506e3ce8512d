#!/usr/bin/env python3
"""Generates a synthetic population and a day of traffic for `clearance simulate` benchmarks.

Usage: simulate-data.py [--shapes] [--iso] OUT_DIR [PRINCIPALS] [REQUESTS]   (defaults 200000 and 1000000)
Writes OUT_DIR/principals.jsonl and OUT_DIR/requests.jsonl. Seeded: the same arguments give the same files.
The data is synthetic (made-up names and ids); it exercises every field the decision point reads.

With --shapes it also writes six directives of shapes beyond the examples' into OUT_DIR/baseline/ (three)
and OUT_DIR/draft/ (all six): a negated conjunction, an unguarded attribute read that errors for most
principals (fail closed), literal `true`, has() with a string function, exists/all over citizenships,
and request-time arithmetic with a duration and a calendar field; principals get the attributes they read.

With --iso the same records are written the way another generator might write them: request times
from datetime.isoformat() (microseconds and a +00:00 offset), json.dumps' default separators, every
line's keys in a shuffled order.
"""
import json
import os
import random
import sys

args = [a for a in sys.argv[1:] if a not in ("--shapes", "--iso")]
shapes = "--shapes" in sys.argv[1:]
iso = "--iso" in sys.argv[1:]
order = random.Random(7)  # key order and microseconds for --iso, apart from the records' own stream


def line(record, compact=False):
    if iso:
        items = list(record.items())
        order.shuffle(items)
        return json.dumps(dict(items)) + "\n"
    return (json.dumps(record, separators=(",", ":")) if compact else json.dumps(record)) + "\n"


out = args[0]
n_principals = int(args[1]) if len(args) > 1 else 200_000
n_requests = int(args[2]) if len(args) > 2 else 1_000_000
rnd = random.Random(20261126)

# Citizenship mix of a large user base: mostly U.S., a long tail, some D:5 and sanctioned countries.
countries = ["US"] * 55 + ["IN"] * 8 + ["CN"] * 6 + ["GB"] * 4 + ["DE"] * 4 + ["FR"] * 3 + ["CA"] * 3 + ["BR"] * 3 \
    + ["JP"] * 2 + ["KR"] * 2 + ["RU"] * 2 + ["IR"] + ["VE"] + ["NG"] + ["MX"] * 2 + ["IL"] + ["PL"] + ["SE"]
orgs = [f"org-{i:04d}" for i in range(2000)]

with open(f"{out}/principals.jsonl", "w") as f:
    for i in range(n_principals):
        pid = f"p{i:07d}"
        if i % 100 == 99:  # one in a hundred principals is an organisation
            inc = rnd.choice(countries)
            f.write(line({"id": pid, "kind": "organization", "name": f"Company {i}", "incorporated_in": inc}))
            continue
        cit = [rnd.choice(countries)]
        if rnd.random() < 0.06:
            cit.append(rnd.choice(countries))
        p = {"id": pid, "kind": "person", "name": f"Person {i}", "citizenships": sorted(set(cit)),
             "residence_country": "US" if rnd.random() < 0.7 else rnd.choice(countries),
             "identity_assurance": rnd.choice([1, 1, 2, 2, 2, 3])}
        if "US" not in cit and rnd.random() < 0.08:
            p["lawful_permanent_resident_of"] = "US"
        if rnd.random() < 0.01:
            p["protected_individual"] = True
        if rnd.random() < 0.6:
            p["organization"] = rnd.choice(orgs)
        if rnd.random() < 0.05:
            p["attributes"] = {"employee": "true"}
        if shapes:  # 'tier' is missing for 90% (the unguarded read errors), 'team' for 70%
            attrs = p.setdefault("attributes", {})
            if rnd.random() < 0.1:
                attrs["tier"] = rnd.choice(["trusted", "standard"])
            if rnd.random() < 0.3:
                attrs["team"] = rnd.choice(["ext-research", "core", "ext-sales", "infra"])
        if rnd.random() < 0.02:
            p["licenses"] = [{"id": f"D{i:07d}", "type": "deemed-export-license", "models": ["frontier-x*"],
                              "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}]
        f.write(line(p))

models = ["frontier-x-1"] * 30 + ["frontier-x-2"] * 10 + ["frontier-y-2"] * 20 + ["open-small"] * 25 + ["open-large"] * 15
req_countries = ["US"] * 70 + ["IN", "CN", "GB", "DE", "FR", "CA", "BR", "JP", "KR", "RU", "MX", "IL", "PL", "SE", "NG"] \
    + ["IR", "CU", "KP", "SY"] + [""] * 3
with open(f"{out}/requests.jsonl", "w") as f:
    for i in range(n_requests):
        t = 1795564800 + (i * 86400) // n_requests  # 2026-11-25T00:00:00Z, spread over 24 h in order
        hh, rem = divmod(t - 1795564800, 3600)
        mm, ss = divmod(rem, 60)
        pid = f"p{rnd.randrange(n_principals):07d}" if rnd.random() > 0.001 else f"ghost-{i}"
        r = {"id": f"r{i}", "principal": pid, "model": rnd.choice(models),
             "time": (f"2026-11-25T{hh:02d}:{mm:02d}:{ss:02d}.{order.randrange(1000000):06d}+00:00" if iso
                      else f"2026-11-25T{hh:02d}:{mm:02d}:{ss:02d}Z")}
        c = rnd.choice(req_countries)
        if c:
            r["country"] = c
        if rnd.random() < 0.03:
            r["capabilities"] = ["offensive-cyber.exploit-dev"]
        f.write(line(r, compact=True))

if shapes:
    directives = {
        "neg-conjunction": ("frontier-*", "!(principal.us_person && principal.identity_assurance >= 2)",
                            "exempt:\n  licenses: [deemed-export-license]\n"),
        "unguarded-tier": ("open-large", "principal.attributes['tier'] != 'trusted'", ""),
        "always-offensive": ("*", "true", "", ["offensive-cyber*"]),
        "external-team": ("frontier-y-*",
                          "has(principal.attributes.team) && principal.attributes['team'].startsWith('ext-')", ""),
        "d5-nationals": ("*", "principal.citizenships.exists(c, c in ['CN', 'RU', 'IR', 'KP', 'VE'])"
                              " && !principal.citizenships.all(c, c == 'US')", ""),
        "late-shift-d5": ("*", "request.time - timestamp('2026-11-25T00:00:00Z') > duration('18h')"
                               " && request.time.getHours() < 23 && request.country in ['CN', 'RU']", ""),
    }
    baseline = {"neg-conjunction", "always-offensive", "d5-nationals"}
    for folder in ("baseline", "draft"):
        os.makedirs(f"{out}/{folder}", exist_ok=True)
    for did, spec in directives.items():
        models, cond, extra = spec[0], spec[1], spec[2]
        caps = spec[3] if len(spec) > 3 else None
        text = (f"id: {did}\ntitle: Generated {did}\nauthority: synthetic benchmark\n"
                f"effective_from: 2026-01-01T00:00:00Z\nscope:\n  models: [\"{models}\"]\n"
                + (f"  capabilities: {json.dumps(caps)}\n" if caps else "")
                + f"applies_to: {json.dumps(cond)}\neffect: deny\n" + extra)
        for folder in ("draft",) + (("baseline",) if did in baseline else ()):
            with open(f"{out}/{folder}/{did}.yaml", "w") as f:
                f.write(text)
