#!/usr/bin/env python3
"""errors.py RESULT.json [ID…] — missed/unmatched entities, missed facts and measures, failed questions."""

import json
import sys

with open(sys.argv[1], encoding="utf-8") as file:
    res = json.load(file)
for pid in sys.argv[2:] or sorted(res):
    r = res[pid]
    print(f"=== {pid}  F1 {r['entities']['f1']}  facts {r['facts']['found']}/{r['facts']['gold']}")
    for cls, c in r["per_class"].items():
        if c["missed"] or c["unmatched"]:
            print(f"  {cls}: missed {c['missed']}  unmatched {c['unmatched']}")
    if r["identity"]["split"]:
        print("  split", r["identity"]["split"])
    for f in r["facts"]["missed"]:
        print("  fact-missed", f)
    for m in r["measures"]["missed"]:
        print("  measure-missed", m)
    for q in r["questions"]["failed"]:
        print("  q-failed", q["id"], q["ask"], "got", q["got"][:3], "want", q["want"][:3])
