"""Extraction quality on real published pages: per page and micro-averaged, by set and by script.

    python benchmarks/realpages.py PAGES_DIR [--set dev …] [--only r001 …] [--per-page] [--json OUT]

PAGES_DIR is a folder kept outside the repository (real page text never enters it) holding
``all/<id>.txt`` (a page's text), ``gold/<id>.json`` (its gold, in the shared scorer's format, made
blind by annotators who never saw the rules), ``manifest.jsonl`` (one JSON object per page with at
least ``id`` and ``script``: simplified, traditional or mixed) and ``splits.json`` (set name → ids).
Each page is built on its own, scored with ../shared/eval/score.py, and the figures the README
reports are printed: micro entity precision, recall and F1 (summed over pages), facts recall,
measures recall and questions passed, per set and per script. A report, not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import score  # noqa: E402  (benchmarks/quality.py: build one input, run the shared scorer)


def micro(results: Iterable[dict]) -> dict[str, float | int]:
    """Summed counts and the micro-averaged figures over ``results`` (the scorer's JSON)."""
    total: dict[str, int] = defaultdict(int)
    for r in results:
        e = r["entities"]
        total["pages"] += 1
        total["gold"] += e["gold"]
        total["found"] += e["found"]
        total["kg"] += e["kg"]
        total["kg_matched"] += e["kg_matched"]
        total["facts"] += r["facts"]["gold"]
        total["facts_found"] += r["facts"]["found"]
        total["measures"] += r["measures"]["gold"]
        total["measures_found"] += r["measures"]["found"]
        total["questions"] += r["questions"]["total"]
        total["passed"] += r["questions"]["passed"]
        total["split"] += len(r["identity"]["split"])
        total["merged"] += len(r["identity"]["merged"])

    def ratio(a: str, b: str) -> float:
        return total[a] / total[b] if total[b] else 0.0

    precision, recall = ratio("kg_matched", "kg"), ratio("found", "gold")
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        **total,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "facts_recall": ratio("facts_found", "facts"),
        "measures_recall": ratio("measures_found", "measures"),
        "questions_rate": ratio("passed", "questions"),
    }


def row(name: str, m: dict) -> str:
    """One Markdown table row of micro figures."""
    return (
        f"| {name} | {m['pages']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
        f"{m['split']} | {m['merged']} | {m['facts_recall']:.3f} ({m['facts_found']}/{m['facts']}) | "
        f"{m['measures_recall']:.3f} ({m['measures_found']}/{m['measures']}) | "
        f"{m['questions_rate']:.0%} ({m['passed']}/{m['questions']}) |"
    )


HEADER = (
    "| set | pages | entity P | entity R | entity F1 | split | merged | facts R | measures R | questions |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pages", type=Path, help="folder with all/, gold/, manifest.jsonl, splits.json")
    parser.add_argument("--set", nargs="*", default=None, help="sets of splits.json to score (default: all)")
    parser.add_argument("--only", nargs="*", default=None, help="only these page ids")
    parser.add_argument("--per-page", action="store_true", help="also print one row per page")
    parser.add_argument("--json", type=Path, default=None, help="write every page's scorer result here")
    args = parser.parse_args()

    manifest = {
        record["id"]: record
        for line in (args.pages / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
        for record in [json.loads(line)]
    }
    splits = json.loads((args.pages / "splits.json").read_text(encoding="utf-8"))
    sets = {name: ids for name, ids in splits.items() if isinstance(ids, list)}
    chosen = args.set or sorted(sets)
    results: dict[str, dict] = {}
    for name in chosen:
        for page in sets[name]:
            gold = args.pages / "gold" / f"{page}.json"
            if args.only and page not in args.only:
                continue
            if not gold.is_file():
                print(f"no gold for {page}: skipped", file=sys.stderr)
                continue
            results[page] = score(args.pages / "all" / f"{page}.txt", gold)
    if args.per_page:
        print("| page | set | script | entity P | entity R | entity F1 | facts R | measures R | questions |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name in chosen:
            for page in sets[name]:
                if page in results:
                    r = results[page]
                    e, q = r["entities"], r["questions"]
                    print(
                        f"| {page} | {name} | {manifest[page]['script']} | {e['precision']:.3f} | "
                        f"{e['recall']:.3f} | {e['f1']:.3f} | {r['facts']['recall']} | "
                        f"{r['measures']['recall']} | {q['passed']}/{q['total']} |"
                    )
        print()
    print(HEADER)
    for name in chosen:
        ids = [p for p in sets[name] if p in results]
        if not ids:
            continue
        print(row(name, micro(results[p] for p in ids)))
        for script in ("simplified", "traditional", "mixed"):
            scripted = [p for p in ids if manifest[p]["script"] == script]
            if scripted:
                print(row(f"{name} · {script}", micro(results[p] for p in scripted)))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
