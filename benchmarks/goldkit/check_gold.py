#!/usr/bin/env python3
"""check_gold.py ID… — gold-raw/ID.json against all/ID.txt: format, ids, names in the text, SPARQL."""

import json
import os
import sys
import unicodedata
from pathlib import Path

from rdflib.plugins.sparql import prepareQuery

ROOT = Path(os.environ.get("CASTKG_PAGES", "/work/pages"))
CLASSES = {"Organization", "Platform", "Event", "Initiative", "Award", "Person", "Place", "Publication"}
PREDS = {
    "publishedBy",
    "datePublished",
    "startDate",
    "endDate",
    "organizer",
    "chair",
    "location",
    "involves",
    "partOf",
    "rank",
    "launchedBy",
    "subOrganizationOf",
    "holds",
}
VALUE_PREDS = {"startDate", "endDate", "datePublished", "rank"}


def norm(s):
    return unicodedata.normalize("NFKC", s)


def check(pid):
    errs = []
    text = norm((ROOT / "all" / f"{pid}.txt").read_text(encoding="utf-8"))
    g = json.loads((ROOT / "gold-raw" / f"{pid}.json").read_text(encoding="utf-8"))
    if g.get("documents") != [f"{pid}.txt"]:
        errs.append(f'"documents" must be ["{pid}.txt"]')
    ids = {}
    for e in g.get("entities", []):
        if e.get("id") in ids:
            errs.append(f"duplicate id {e.get('id')}")
        ids[e.get("id")] = e
        if e.get("class") not in CLASSES:
            errs.append(f"{e.get('id')}: class {e.get('class')!r} not one of {sorted(CLASSES)}")
        names = e.get("names") or []
        if not names:
            errs.append(f"{e.get('id')}: no names")
        elif not any(norm(n) in text for n in names):
            errs.append(f"{e.get('id')}: none of its names occurs in the text as written: {names}")
    for f in g.get("facts", []):
        if f.get("p") not in PREDS:
            errs.append(f"fact {f}: predicate not one of {sorted(PREDS)}")
        if f.get("s") not in ids:
            errs.append(f"fact {f}: unknown subject id")
        if "o" in f and f["o"] not in ids:
            errs.append(f"fact {f}: unknown object id")
        if ("o" in f) == ("value" in f):
            errs.append(f"fact {f}: give exactly one of o / value")
        if f.get("p") in VALUE_PREDS and "value" not in f:
            errs.append(f"fact {f}: {f['p']} takes a value")
    for m in g.get("measures", []):
        if m.get("of") is not None and m["of"] not in ids:
            errs.append(f"measure {m}: unknown 'of'")
        if not isinstance(m.get("value"), (int, float)):
            errs.append(f"measure {m}: value must be a number")
        if not m.get("counts"):
            errs.append(f"measure {m}: counts missing")
    for q in g.get("questions", []):
        try:
            prepareQuery(q["sparql"])
        except Exception as exc:
            errs.append(f"question {q.get('id')}: SPARQL does not parse: {str(exc)[:120]}")
        if not isinstance(q.get("expect"), list) or not all(isinstance(r, list) for r in q["expect"]):
            errs.append(f"question {q.get('id')}: expect must be a list of rows (lists)")
    n = {k: len(g.get(k, [])) for k in ("entities", "facts", "measures", "questions")}
    print(f"{pid}: {'OK' if not errs else 'ERRORS'} {n}")
    for e in errs:
        print("   ", e)
    return not errs


ok = all([check(p) for p in sys.argv[1:]])
sys.exit(0 if ok else 1)
