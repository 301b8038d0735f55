"""HTML readers compared: castkg's own reader, trafilatura and readability-lxml, each alone and followed
by castkg's page filter (the segment stage), on real pages and on pages of our own.

    python benchmarks/html_readers.py [PAGES_DIR]

PAGES_DIR (kept outside the repository: real page text never enters it) holds ``html/<id>.html``;
each real page's news text is the element ``BODIES`` names (a CSS selector, picked by hand from the
page's markup). Our own pages are ``tests/inputs/html/*.html``, each with ``*.body.txt`` (its title
and paragraphs, as we wrote them). For every page and reader the table gives:

- body: the share of the news text's characters found in the reader's text (fragments between
  punctuation marks, compared without whitespace);
- leak: characters of the reader's text that are not news text (furniture kept);
- P: castkg's entity precision on the reader's text, against castkg on the news text alone (an
  entity found only in furniture is a false one; class and preferred label compared).

A report, not a test. trafilatura and readability-lxml are optional: a reader that is not installed
is skipped.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup
from rdflib import RDF, RDFS

import castkg
from castkg.graphs import union_graph
from castkg.model import Document
from castkg.namespace import CKG, ENTITY_CLASSES
from castkg.page import load_page_rules
from castkg.read import html_to_text
from castkg.rules import Rules, load_rules
from castkg.segment import segment

ROOT = Path(__file__).resolve().parents[1]
OURS = ROOT / "tests" / "inputs" / "html"
BODIES = {
    "h01": "div.detailCon",
    "h02": 'td[style*="line-height:166%"]',
    "h03": "div#z",
    "h04": "div#UCAP-CONTENT",
    "h05": "div.single-content",
}
"""Each real page's news text: the element holding it (its title is not counted)."""
_FRAGMENT = re.compile(r"[^，。；：！？、,.;:!?（）()“”\"《》\s]{4,}")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def castkg_reader(html: str) -> str:
    return html_to_text(html)


def trafilatura_reader(html: str) -> str:
    import trafilatura

    found = trafilatura.bare_extraction(html, include_comments=False, include_tables=True)
    if not found:
        return ""
    title = getattr(found, "title", None) or ""
    text = getattr(found, "text", None) or ""
    return "\n\n".join(part for part in (title, text) if part)


def readability_reader(html: str) -> str:
    from readability import Document as Readable

    page = Readable(html)
    return "\n\n".join(part for part in (page.short_title(), html_to_text(page.summary())) if part)


READERS: dict[str, Callable[[str], str]] = {
    "castkg": castkg_reader,
    "trafilatura": trafilatura_reader,
    "readability": readability_reader,
}


def filtered(text: str, rules: Rules) -> str:
    """What castkg's segment stage keeps of a reader's text: titles and paragraphs."""
    articles = segment(Document("page.txt", text), page=load_page_rules(rules.directory))
    return "\n".join(line for a in articles for line in (a.title, *(b.text for b in a.blocks)))


def body_share(body: str, text: str) -> float:
    fragments = _FRAGMENT.findall(unicodedata.normalize("NFKC", body))
    seen = compact(text)
    total = sum(map(len, fragments))
    return sum(len(f) for f in fragments if compact(f) in seen) / total if total else 0.0


def leaked(body: str, text: str) -> int:
    known = compact(body)
    return sum(
        len(compact(f))
        for f in _FRAGMENT.findall(unicodedata.normalize("NFKC", text))
        if compact(f) not in known
    )


def entities(text: str, rules: Rules) -> set[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.txt"
        path.write_text(text, encoding="utf-8")
        graph = union_graph(castkg.build([path], rules=rules, on_input_error=lambda error: None))
    found = set()
    for cls in ENTITY_CLASSES:
        for node in graph.subjects(RDF.type, CKG[cls]):
            labels = [str(x) for x in graph.objects(node, RDFS.label) if getattr(x, "language", None) == "zh"]
            found.update((cls, label) for label in labels)
    return found


def pages(folder: Path | None) -> list[tuple[str, str, str, str]]:
    """(id, html, news text, title) of every page measured."""
    found = []
    if folder is not None:
        for page, selector in BODIES.items():
            path = folder / "html" / f"{page}.html"
            if not path.is_file():
                print(f"{path}: not found, skipped", file=sys.stderr)
                continue
            html = path.read_text(encoding="utf-8", errors="replace")
            element = BeautifulSoup(html, "lxml").select_one(selector)
            body = element.get_text("\n", strip=True) if element is not None else ""
            found.append((page, html, body, ""))
    for path in sorted(OURS.glob("*.html")):
        title, _, body = path.with_suffix(".body.txt").read_text(encoding="utf-8").partition("\n")
        found.append((path.stem, path.read_text(encoding="utf-8"), body, title))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pages", type=Path, nargs="?", default=None, help="folder with html/<id>.html")
    args = parser.parse_args()
    readers = {}
    for name, reader in READERS.items():
        try:
            reader("<html><body><p>试</p></body></html>")
        except ImportError:
            print(f"{name}: not installed, skipped", file=sys.stderr)
            continue
        readers[name] = reader
    print("| page | reader | body | leak | P | body, filtered | leak, filtered | P, filtered |")
    print("|---|---|---|---|---|---|---|---|")
    totals: dict[str, list[list[float]]] = {}
    rules = load_rules()
    for page, html, body, title in pages(args.pages):
        truth = entities("\n".join(part for part in (title, body) if part), rules)
        for name, reader in readers.items():
            text = reader(html)
            kept = filtered(text, rules)
            row = []
            for version in (text, kept):
                found = entities(version, rules)
                precision = len(found & truth) / len(found) if found else 1.0
                row += [body_share(body, version), float(leaked(body + title, version)), precision]
            totals.setdefault(name, []).append(row)
            print(
                f"| {page} | {name} | {row[0]:.2f} | {row[1]:.0f} | {row[2]:.2f} | "
                f"{row[3]:.2f} | {row[4]:.0f} | {row[5]:.2f} |"
            )
    print()
    print("| reader | body | leak | P | body, filtered | leak, filtered | P, filtered |")
    print("|---|---|---|---|---|---|---|")
    for name, rows in totals.items():
        means = [sum(column) / len(column) for column in zip(*rows, strict=True)]
        print(
            f"| {name} (mean of {len(rows)}) | {means[0]:.2f} | {means[1]:.0f} | {means[2]:.2f} | "
            f"{means[3]:.2f} | {means[4]:.0f} | {means[5]:.2f} |"
        )


if __name__ == "__main__":
    main()
