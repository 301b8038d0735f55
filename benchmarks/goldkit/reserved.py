#!/usr/bin/env python3
"""reserved.py URL… — exit 1 (and say why) if any URL is reserved or already used; 0 if all are free."""

import json
import os
import sys
from pathlib import Path


def key(u: str) -> str:
    u = u.strip().lower()
    for p in ("https://", "http://"):
        if u.startswith(p):
            u = u[len(p) :]
    if u.startswith("www."):
        u = u[4:]
    return u.rstrip("/")


RESERVED_FILE = Path(os.environ.get("CASTKG_SHARED", "/work/shared")) / "eval" / "reserved-urls.txt"
reserved = {
    key(line) for line in RESERVED_FILE.read_text().splitlines() if line.strip() and not line.startswith("#")
}
used = set()
for f in (
    Path(__file__).resolve().parent.parent / "realpages-sets.jsonl",
    Path(os.environ.get("CASTKG_PAGES", "/work/pages")) / "manifest.jsonl",
):
    if f.exists():
        used |= {key(json.loads(line)["url"]) for line in f.read_text().splitlines() if line.strip()}
bad = 0
for u in sys.argv[1:]:
    k = key(u)
    if k in reserved or any(k.split("?")[0] == r.split("?")[0] for r in reserved):
        print(f"RESERVED (do not read or use): {u}")
        bad = 1
    elif k in used:
        print(f"ALREADY USED: {u}")
        bad = 1
    else:
        print(f"free: {u}")
sys.exit(bad)
