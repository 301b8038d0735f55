#!/usr/bin/env python3
"""prepare.py — gold-raw/ → gold/ and splits.json from manifest.jsonl's "set".

Measures move to the article (the contract puts a measure on a ranked-list item, else the Article)
and `holds` facts are dropped (Position is no scored class)."""

import json
import os
from pathlib import Path

ROOT = Path(os.environ.get("CASTKG_PAGES", "/work/pages"))
splits = {}
for line in (ROOT / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
    if not line.strip():
        continue
    r = json.loads(line)
    splits.setdefault(r["set"], []).append(r["id"])
    raw = ROOT / "gold-raw" / f"{r['id']}.json"
    if not raw.exists():
        print("no gold-raw for", r["id"])
        continue
    g = json.loads(raw.read_text(encoding="utf-8"))
    g["facts"] = [f for f in g.get("facts", []) if f.get("p") != "holds"]
    for m in g.get("measures", []):
        m["of"] = None
    (ROOT / "gold" / f"{r['id']}.json").write_text(
        json.dumps(g, ensure_ascii=False, indent=1), encoding="utf-8"
    )
(ROOT / "splits.json").write_text(
    json.dumps({k: sorted(v) for k, v in splits.items()}, indent=1), encoding="utf-8"
)
print({k: len(v) for k, v in splits.items()})
