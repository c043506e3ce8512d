#!/usr/bin/env python3
"""Generates a synthetic population and a day of traffic for `clearance simulate` benchmarks.

Usage: simulate-data.py OUT_DIR [PRINCIPALS] [REQUESTS]   (defaults 200000 and 1000000)
Writes OUT_DIR/principals.jsonl and OUT_DIR/requests.jsonl. Seeded: the same arguments give the same files.
The data is synthetic (made-up names and ids); it exercises every field the decision point reads.
"""
import json
import random
import sys

out = sys.argv[1]
n_principals = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
n_requests = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
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
            f.write(json.dumps({"id": pid, "kind": "organization", "name": f"Company {i}", "incorporated_in": inc}) + "\n")
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
        if rnd.random() < 0.02:
            p["licenses"] = [{"id": f"D{i:07d}", "type": "deemed-export-license", "models": ["frontier-x*"],
                              "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}]
        f.write(json.dumps(p) + "\n")

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
             "time": f"2026-11-25T{hh:02d}:{mm:02d}:{ss:02d}Z"}
        c = rnd.choice(req_countries)
        if c:
            r["country"] = c
        if rnd.random() < 0.03:
            r["capabilities"] = ["offensive-cyber.exploit-dev"]
        f.write(json.dumps(r, separators=(",", ":")) + "\n")
