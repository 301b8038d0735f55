"""Which articles castkg reads as traditional script, against the script a page is labelled with.

    python benchmarks/script_gate.py PAGES_DIR [--set dev …]        # real pages kept outside the repository
    python benchmarks/script_gate.py --files data/*.txt tests/heldout*/*.txt

For each article: whether it is taken for traditional script (``castkg.extract.text.
in_traditional_script``), the share of its CJK characters OpenCC's t2s changes, and how many of its
sentences were converted. A simplified page must show share 0.000 and no converted sentence (the
converter would change 乾安县 or the surname 於); a traditional or mixed page must be taken for
traditional. Lines starting with ``!!`` break that. A report, not a test.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from castkg.extract.text import in_traditional_script, split_sentences
from castkg.read import read_paths
from castkg.script import changed_share
from castkg.segment import segment


def report(path: Path, script: str) -> list[str]:
    """One line per article of ``path``, labelled ``script`` (simplified, traditional, mixed or '')."""
    lines = []
    for document in read_paths([path], lambda error: logging.warning("%s", error)):
        for article in segment(document, lambda error: logging.warning("%s", error)):
            sentences = split_sentences(article)
            converted = sum(1 for s in sentences if s.source is not None and s.source.written != s.text)
            changed, total = changed_share("".join(s.original for s in sentences))
            traditional = in_traditional_script(article)
            wrong = (script == "simplified" and (traditional or converted)) or (
                script in ("traditional", "mixed") and not traditional
            )
            lines.append(
                f"{'!! ' if wrong else ''}{article.key}\t{script or '-'}\ttraditional={traditional}\t"
                f"share={changed / total if total else 0:.3f}\tconverted={converted}/{len(sentences)}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pages", type=Path, nargs="?", help="folder with all/, manifest.jsonl, splits.json")
    parser.add_argument("--set", nargs="*", default=["dev"], help="sets of splits.json (default: dev)")
    parser.add_argument("--files", nargs="*", type=Path, default=[], help="bulletins of our own, unlabelled")
    args = parser.parse_args()
    jobs: list[tuple[Path, str]] = [(f, "simplified") for f in args.files]
    if args.pages:
        manifest = {
            record["id"]: record
            for line in (args.pages / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
            for record in [json.loads(line)]
        }
        splits = json.loads((args.pages / "splits.json").read_text(encoding="utf-8"))
        for name in args.set:
            jobs += [(args.pages / "all" / f"{page}.txt", manifest[page]["script"]) for page in splits[name]]
    wrong = 0
    for path, script in jobs:
        for line in report(path, script):
            wrong += line.startswith("!!")
            print(line)
    print(f"{len(jobs)} files, {wrong} articles read in the wrong script", file=sys.stderr)


if __name__ == "__main__":
    main()
