"""Web pages of our own making (tests/inputs/html/: our text in the templates of a provincial 科协
site, a society's table layout and a news portal's mirror) read and segmented: the article's
paragraphs are exactly the news text we wrote, its title, date and signature come from the page,
and nothing of the menus, bylines, share bars, related lists, comments or footers is left."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from castkg.model import Block
from castkg.read import read_paths
from castkg.segment import segment

PAGES = Path(__file__).resolve().parent / "inputs" / "html"
EXPECTED = {
    "site_province": (dt.date(2024, 5, 31), ("湖北省科协",)),
    "site_society": (dt.date(2024, 3, 18), ("学会办公室",)),
    "site_mirror": (dt.date(2023, 9, 17), ()),
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_a_page_reads_as_its_news_text(page: str) -> None:
    title, _, body = (PAGES / f"{page}.body.txt").read_text(encoding="utf-8").partition("\n")
    (document,) = read_paths([PAGES / f"{page}.html"], on_error=pytest.fail)
    (article,) = segment(document)
    date, publishers = EXPECTED[page]
    assert (article.title, article.date, article.publishers) == (title, date, publishers)
    assert article.blocks == tuple(Block(line) for line in body.splitlines() if line)
