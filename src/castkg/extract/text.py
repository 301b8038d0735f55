"""Sentences, clauses and day dates of an article's text (the normalised form every rule matches on)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from castkg.model import Article, Sentence
from castkg.normalise import chinese_integer, make_date, year_for
from castkg.registry import PATTERNS, WORDS
from castkg.rules import Rules
from castkg.script import is_traditional, normalise, sentence_is_traditional

SENTENCE_MARKS = "。！？!?；;"
"""Marks that end a sentence."""
SENTENCE_END = re.compile(rf"[^{SENTENCE_MARKS}]*(?:[{SENTENCE_MARKS}]+[”’」』)\]]*|$)")
CLAUSE_MARKS = ",，;；:：。！？!?"
CJK = re.compile(r"[\u3400-\u9fff]")
OPEN_QUOTES, CLOSE_QUOTES = '“‘「『"', '”’」』"'

TITLE_BLOCK = -1
LEADING_NUMBERING = PATTERNS.need("leading_numbering")
"""A year or an ordinal opening a name: 2020年度, 第22届, 首届."""
MEETING_NUMBERING = PATTERNS.need("meeting_numbering")
"""What numbers a body's meeting, opening its name: 2021年第4次, 三届二次, 第八届委员会第二次."""
NUMBERED_MEETINGS = WORDS.need("numbered_meetings")
TERM_NUMBERING = PATTERNS.need("term_numbering")
"""A term and a session opening a meeting's name: 三届二次, 第八届委员会第二次."""
TERM_MEETINGS = WORDS.need("term_meetings")
EVENT_JOINERS = WORDS.need("event_joiners")
REMARK = re.compile(r"[(（][\u4e00-\u9fff]{1,4}[)）]")
"""A short remark in brackets inside a name, or a note after one: 党组(扩大)会议, 甲(新任)."""
DAY_DATE = PATTERNS.need("day_date", groups=("y", "m", "d", "day", "y2", "m2", "d2"))
LIST_YEAR = PATTERNS.need("list_year")


def is_numbered_meeting(name: str, rules: Rules) -> bool:
    """Is ``name`` a body's meeting named by its number alone (2021年第4次党组会议, 三届二次会议暨…,
    四届三次全委(扩大)会议), which only its body tells apart from another's?"""
    first = REMARK.sub("", name)
    for joiner in rules.words(EVENT_JOINERS):
        first = first.split(joiner, 1)[0]
    bare = rules.pattern(MEETING_NUMBERING).sub("", first)
    if bare == first:
        return False
    if bare in rules.words(NUMBERED_MEETINGS):
        return True
    return bare in rules.words(TERM_MEETINGS) and rules.pattern(TERM_NUMBERING).match(first) is not None


def heading_block(item: int) -> int:
    """The block number given to the heading of ranked-list item ``item``."""
    return -2 - item


def nfkc(text: str) -> str:
    """NFKC form without invisible characters and pinyin glosses, with runs of whitespace removed
    next to CJK characters and collapsed elsewhere (:func:`castkg.script.normalise`, no script
    conversion)."""
    return normalise(text).text


def evidence(original: str) -> str:
    """A sentence as evidence: the original characters, whitespace normalised."""
    return re.sub(r"\s+", " ", original).strip()


def in_traditional_script(article: Article) -> bool:
    """Is ``article`` (title, list headings, body, signature) written in traditional script?"""
    parts = (article.title, *(i.heading for i in article.items), *(b.text for b in article.blocks))
    return is_traditional("".join((*parts, *article.publishers)))


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """The title, each list heading and each body sentence, in reading order; in simplified script
    when the article (or the sentence) is written in traditional script (:mod:`castkg.script`)."""
    pieces: list[tuple[int, str, int | None]] = [(TITLE_BLOCK, article.title, None)]
    headed: set[int] = set()
    for number, block in enumerate(article.blocks):
        if block.item is not None and block.item not in headed:
            headed.add(block.item)
            pieces.append((heading_block(block.item), article.items[block.item].heading, block.item))
        pieces.extend((number, s, block.item) for s in SENTENCE_END.findall(block.text) if s.strip())
    for index, item in enumerate(article.items):  # items with no body paragraph
        if index not in headed:
            pieces.append((heading_block(index), item.heading, index))
    traditional = in_traditional_script(article)
    sentences = []
    for i, (number, text, in_item) in enumerate(pieces):
        source = normalise(text, simplify=traditional or sentence_is_traditional(text))
        sentences.append(
            Sentence(index=i, block=number, original=text, text=source.text, item=in_item, source=source)
        )
    return tuple(sentences)


def clause_bounds(text: str, position: int) -> tuple[int, int]:
    """Start and end of the clause (between commas, semicolons, colons) around ``position``; a
    comma or colon between digits (8:30, 1,000) ends no clause."""
    start = position
    while True:
        start = max((text.rfind(mark, 0, start) for mark in CLAUSE_MARKS), default=-1)
        if start < 0 or not _inside_number(text, start):
            break
    end = position
    while True:
        ends = [i for i in (text.find(mark, end) for mark in CLAUSE_MARKS) if i >= 0]
        end = min(ends, default=len(text))
        if end == len(text) or not _inside_number(text, end):
            break
        end += 1
    return start + 1, end


def _inside_number(text: str, index: int) -> bool:
    inner = 0 < index < len(text) - 1
    return text[index] in ",:" and inner and text[index - 1].isdigit() and text[index + 1].isdigit()


# --- day dates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DaySpan:
    """A stated day or range of days, before the year is known."""

    start: int
    end: int
    year: int | None
    month: int
    day: int
    end_year: int | None
    end_month: int | None
    end_day: int | None

    def resolve(
        self, reference: dt.date | None, list_year: int | None, past: bool
    ) -> tuple[dt.date, dt.date] | None:
        """Start and end dates, the year inferred per the contract when the text gives none."""
        year = self.year or year_for(self.month, self.day, reference, list_year, past)
        if year is None:
            return None
        first = make_date(year, self.month, self.day)
        if first is None:
            return None
        if self.end_day is None:
            return first, first
        month = self.end_month or self.month
        last = make_date(self.end_year or (year + 1 if month < self.month else year), month, self.end_day)
        return (first, last) if last and last >= first else (first, first)


def find_days(text: str, rules: Rules) -> list[DaySpan]:
    """Every day date in ``text`` (1月29日, 8月10—15日, 5月28日至30日, 2021年5月30日); no bare month."""
    spans = []
    for match in rules.pattern(DAY_DATE).finditer(text):
        if match["day"] is None and match["d2"] is None:
            continue
        spans.append(
            DaySpan(
                match.start(),
                match.end(),
                _int(match["y"]),
                day_number(match["m"]),
                day_number(match["d"]),
                _int(match["y2"]),
                _int(match["m2"]),
                _int(match["d2"]),
            )
        )
    return [s for s in spans if 1 <= s.month <= 12 and 1 <= s.day <= 31]


def _int(text: str | None) -> int | None:
    return day_number(text) if text else None


def day_number(text: str) -> int:
    """A month's or a day's number as written, in digits or in Chinese numerals (十八, 廿二, 卅一);
    0 for none (a date that is then dropped)."""
    if text.isdigit():
        return int(text)
    return chinese_integer(text) or 0


def year_in(text: str, rules: Rules) -> int | None:
    """The year a list's name gives ("2020年度科协十大事件" → 2020)."""
    match = rules.pattern(LIST_YEAR).search(text)
    return int(match[1]) if match else None
