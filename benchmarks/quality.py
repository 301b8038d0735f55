"""Extraction quality: score castkg's graph of each gold-annotated bulletin with the shared scorer.

    python benchmarks/quality.py [--markdown]

Builds each bulletin on its own (the seed from ../shared/seed, our bulletins in data/ with
their golds in tests/gold/, the blind set in tests/heldout/), runs
../shared/eval/score.py on it and prints one row per bulletin: entity precision, recall and
F1, split and merged entities, facts recall, measures recall, questions passed. A report,
not a test: tests/test_scores.py holds the thresholds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import castkg
from castkg.write import write_graph

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def cases() -> list[tuple[str, Path, Path]]:
    """(name, bulletin, gold) for the seed, data/ and the blind sets tests/heldout*/."""
    found = []
    seed_gold = SHARED / "eval" / "seed-gold.json"
    if seed_gold.is_file():
        for document in json.loads(seed_gold.read_text(encoding="utf-8"))["documents"]:
            found.append(("seed", SHARED / "seed" / document, seed_gold))
    folders = [(ROOT / "tests" / "gold", "data")] + [
        (f, f.name) for f in sorted((ROOT / "tests").glob("heldout*"))
    ]
    for folder, kind in folders:
        for gold in sorted(folder.glob("*.json")):
            for document in json.loads(gold.read_text(encoding="utf-8"))["documents"]:
                base = ROOT / "data" if kind == "data" else folder
                found.append((f"{kind}/{Path(document).stem}", base / document, gold))
    return found


def score(bulletin: Path, gold: Path) -> dict:
    """The scorer's JSON result for castkg's graph of ``bulletin``."""
    with tempfile.TemporaryDirectory() as out:
        write_graph(castkg.build([bulletin]), out)
        result = subprocess.run(
            [
                sys.executable,
                str(SHARED / "eval" / "score.py"),
                str(gold),
                f"{out}/castkg.ttl",
                "--ontology",
                str(ROOT / "ontology" / "castkg.ttl"),
                "--json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.parse_args()
    print(
        "| bulletin | entity P | entity R | entity F1 | split | merged | facts R | measures R | questions |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, bulletin, gold in cases():
        r = score(bulletin, gold)
        e, ident, q = r["entities"], r["identity"], r["questions"]
        print(
            f"| {name} | {e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} | {len(ident['split'])} | "
            f"{len(ident['merged'])} | {r['facts']['recall']} | {r['measures']['recall']} | "
            f"{q['passed']}/{q['total']} |"
        )


if __name__ == "__main__":
    main()
