"""Stage 2, segment: a document → its articles (title, blocks, ranked lists, signature).

A CAST bulletin file holds one or more news items, each "title, body paragraphs,
signature", the signature being the signing department line(s) and a date. Text that
went through PDF extraction is broken mid-word and mid-number across (blank) lines;
this stage repairs those wraps and cuts the file into :class:`~castkg.model.Article`.

How a document is read, in order:

1. Lines are stripped of surrounding whitespace (full-width ``\\u3000`` indents too);
   blank lines and editor lines such as ``（责任编辑：…）`` are dropped. Blank lines
   carry no meaning: PDF extraction puts them inside sentences.
2. *Meta lines* are found: a signature date (``[2021-01-29]``, ``［…］``, ``【…】``,
   ``（2021年1月29日）``, a bare ``2021-01-29`` after optional names, ``2021年1月29日``
   alone on its line) or a label line (``来源：…``, ``发布时间：…``, ``发布日期：…``,
   ``发布单位：…``, ``作者：…``). A meta line after body text ends the article (the meta
   lines right after it belong to the same signature); one before any body text
   (just below the title) is the article's header.
3. The signature's names are the short lines right above the meta line (or at the
   very end of the article) that end no sentence and whose last name ends like an
   organisation (部, 厅, 中心, 社, 会 …); at most three, never the title. Names before
   the date on the date line itself count too. Names are split on ``、``, ``，``,
   ``,``, ``;`` and spaces.
4. The title is the article's first line when it ends no sentence and has at most
   60 characters; otherwise the article has no title line and its title is the first
   sentence of its first paragraph (which stays in the body).
5. Ranked-list headings are lines starting ``1 ``, ``1.``, ``1．``, ``1、``, ``1)``,
   ``(1)``, ``一、``, ``（一）``, ``①`` that form a run 1, 2, 3 … of one style (at least
   two items), or bullet lines (``- ``, ``* ``, ``•`` …, ranked 1..n in order). A number
   followed by 年, 月, 个, 余, 万, % … (also after a space: "3 500余个") is never an item. The
   longest run is the article's list; ``第一，`` and ``一是`` are not treated as items
   (they number arguments inside prose). An item line that holds a whole sentence
   and more is cut after its first sentence: that sentence is the heading.
6. Every other line continues the previous one unless the previous one ends a
   sentence (``。！？；…`` or ``：``, optionally followed by closing quotes or
   brackets). Pieces join with no space, except a single space between two Latin
   letters.
7. An article keeps its first 100,000 characters and a run without a sentence end is
   cut every 2,000 (see :mod:`castkg.limits`); what is cut is reported.

Characters are kept as written; no block contains a line break.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from castkg.errors import InputError
from castkg.limits import MAX_ARTICLE_CHARS, MAX_SENTENCE_CHARS
from castkg.model import Article, Block, Document, ListItem
from castkg.normalise import chinese_integer

log = logging.getLogger(__name__)

TITLE_MAX = 60
"""The longest first line still taken as a title."""
SIGNATURE_LINE_MAX = 30
"""The longest line still taken as a signature (department) line."""
SIGNATURE_LINES_MAX = 3
META_LINE_MAX = 80
_ORG_SUFFIXES = frozenset("部厅心室馆社会协院所局处委组站团盟报刊网台办司科队")
"""Last characters of a signing body's name (调研宣传部, 办公厅, 信息中心, 科技导报社 …): a short
line above a date that ends otherwise is the broken end of a paragraph, not a signature."""

_CLOSERS = "”’」』）)】》〕〉\"'"
_SENTENCE_END = re.compile(rf"(?:[。！？；…!?;：:]|(?<![0-9０-９])[.．])[{re.escape(_CLOSERS)}]*$")
_SENTENCE_BREAK = re.compile(rf"[。！？；!?;][{re.escape(_CLOSERS)}]*")
_HARD_PUNCT = re.compile(r"[。！？!?]")

_EDITOR_LINE = re.compile(
    r"^[（(【\[]?\s*(?:责任编辑|责编|编辑|审核|审校|校对|初审|终审|复审)\s*[：:][^）)】\]]*[）)】\]]?$"
)

_OPEN = "[［【(（〔"
_CLOSE = "]］】)）〕"
_ISO_DATE = re.compile(r"(\d{4})\s*[-/.．－／]\s*(\d{1,2})\s*[-/.．－／]\s*(\d{1,2})")
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_TIME = r"(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_BRACKETED_DATE = re.compile(
    rf"^(?P<prefix>[^{re.escape(_OPEN)}]*?)\s*[{re.escape(_OPEN)}]"
    rf"\s*(?P<date>[^{re.escape(_OPEN + _CLOSE)}]+?)\s*[{re.escape(_CLOSE)}]$"
)
_BARE_ISO_DATE = re.compile(rf"^(?:(?P<prefix>.*?)\s+)?(?P<date>{_ISO_DATE.pattern}{_TIME})$")
_DATE_ONLY = re.compile(rf"(?:{_ISO_DATE.pattern}|{_CN_DATE.pattern}){_TIME}")
_CN_DATE_ALONE = re.compile(rf"^(?P<date>{_CN_DATE.pattern})$")
_LABEL = re.compile(r"(来源|发布单位|发布机构|发布者|供稿单位|供稿|作者|发布时间|发布日期|日期)\s*[：:]")
_DATE_LABELS = frozenset({"发布时间", "发布日期", "日期"})
_PUBLISHER_LABELS = frozenset({"来源", "发布单位", "发布机构", "发布者", "供稿单位", "供稿"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NAME_SEPARATORS = re.compile(r"[、，,;；/\s]+")

_NOT_AFTER_NUMBER = re.compile(
    r"^(?:[年月日号时分秒%％‰个余多万亿]|\d+(?:[.．]\d+)?[%％‰个余多万亿名项种场次人])"
)
"""What follows a line-initial number that is a quantity, not a rank ("3 500余个", "1 万人");
a year may follow a rank ("10 2021年全国科普日…")."""
_ITEM_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("arabic", re.compile(r"^(?P<n>\d{1,2})(?:[.．、](?!\d)|[)）]|(?=[ \t\u3000]))\s*(?P<h>\S.*)$")),
    ("arabic-paren", re.compile(r"^[(（](?P<n>\d{1,2})[)）]\s*(?P<h>\S.*)$")),
    ("chinese", re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})[、．.]\s*(?P<h>\S.*)$")),
    ("chinese-paren", re.compile(r"^[(（](?P<n>[一二三四五六七八九十]{1,3})[)）]\s*(?P<h>\S.*)$")),
    ("circled", re.compile(r"^(?P<n>[\u2460-\u2473])\s*(?P<h>\S.*)$")),
    ("bullet", re.compile(r"^(?:[-*+]\s+|[•●▪■◆◇]\s*)(?P<h>\S.*)$")),
)


# --- public entry point -----------------------------------------------------


def segment(document: Document, on_error: Callable[[InputError], None] | None = None) -> list[Article]:
    """Split a document into articles, repairing PDF-broken line wraps.

    Returns the articles in document order, indexed from 1; a document without a
    signature is one article dated by ``document.date``; a document with no text
    gives an empty list. Raises nothing.

    Two caps keep the later stages' cost small: an article keeps the first
    ``MAX_ARTICLE_CHARS`` characters of its list headings and body, and a run of more
    than ``MAX_SENTENCE_CHARS`` characters without a sentence end is cut into pieces of
    at most that size (after a comma, 、 or space near the end when there is one), each
    piece its own paragraph. Each article so cut is reported to ``on_error`` (by
    default, logged as a warning).
    """
    report = on_error or _log_cut
    entries = _entries(document.text)
    articles: list[Article] = []
    for chunk in _chunks(entries):
        article = _article(chunk, document, len(articles) + 1, report)
        if article is not None:
            articles.append(article)
    log.debug("segmented %s into %d articles", document.source, len(articles))
    return articles


def _log_cut(error: InputError) -> None:
    log.warning("%s", error)


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends a sentence (or a ``：`` lead-in), closing quotes and brackets allowed."""
    return bool(_SENTENCE_END.search(line))


def parse_date(text: str) -> dt.date | None:
    """The date that ``text`` states as ``2021-01-29``, ``2021/1/29``, ``2021.01.29`` or
    ``2021年1月29日`` (full-width digits too), or ``None`` when it states no real date."""
    match = _ISO_DATE.search(text) or _CN_DATE.search(text)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# --- lines and meta lines ---------------------------------------------------


@dataclass(frozen=True)
class _Meta:
    """A signature date or label line: the names and the date it states."""

    names: tuple[str, ...]
    date: dt.date | None


_Entry = str | _Meta


@dataclass
class _Chunk:
    """The entries of one article, and the meta lines that closed it (if any)."""

    entries: list[_Entry] = field(default_factory=list)
    footer: list[_Meta] = field(default_factory=list)
    footer_names: list[str] = field(default_factory=list)


def _entries(text: str) -> list[_Entry]:
    entries: list[_Entry] = []
    for raw in _LINE_BREAK.split(text):
        line = raw.strip()
        if not line or _EDITOR_LINE.match(line):
            continue
        meta = _meta(line)
        entries.append(meta if meta is not None else line)
    return entries


def _meta(line: str) -> _Meta | None:
    """The meta line ``line`` is, or None for an ordinary line."""
    if len(line) > META_LINE_MAX:
        return None
    labelled = _labelled_meta(line)
    if labelled is not None:
        return labelled
    for pattern in (_BRACKETED_DATE, _BARE_ISO_DATE, _CN_DATE_ALONE):
        match = pattern.match(line)
        if match is None:
            continue
        inner = match["date"].strip()
        date = parse_date(inner)
        prefix = (match.groupdict().get("prefix") or "").strip()
        if date is None or not _DATE_ONLY.fullmatch(inner) or not _is_name_text(prefix):
            continue
        return _Meta(_split_names(prefix), date)
    return None


def _labelled_meta(line: str) -> _Meta | None:
    bare = line.strip(_OPEN + _CLOSE + " ")
    labels = list(_LABEL.finditer(bare))
    if not labels or labels[0].start() != 0 or _HARD_PUNCT.search(bare):
        return None
    names: list[str] = []
    date: dt.date | None = None
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(bare)
        value = bare[label.end() : end].strip()
        if label[1] in _DATE_LABELS:
            date = date or parse_date(value)
        elif label[1] in _PUBLISHER_LABELS:
            names.extend(_split_names(value))
    return _Meta(tuple(names), date)


def _is_name_text(text: str) -> bool:
    """Whether ``text`` can be the department names of a signature."""
    if not text:
        return True
    return len(text) <= SIGNATURE_LINE_MAX * 2 and not _HARD_PUNCT.search(text) and not ends_sentence(text)


def _split_names(text: str) -> tuple[str, ...]:
    return tuple(name for name in _NAME_SEPARATORS.split(text) if name)


# --- articles ---------------------------------------------------------------


def _is_body(entry: _Entry) -> bool:
    """Whether the entry is body text, so that a meta line after it closes the article."""
    return isinstance(entry, str) and bool(
        ends_sentence(entry) or len(entry) > TITLE_MAX or _item_form(entry)
    )


def _chunks(entries: list[_Entry]) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    current = _Chunk()
    has_body = False  # kept as the entries come: asking again at each meta line is quadratic
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if isinstance(entry, str) or not has_body:
            current.entries.append(entry)
            has_body = has_body or _is_body(entry)
            continue
        current.footer.append(entry)
        while index < len(entries) and isinstance(entries[index], _Meta):
            current.footer.append(entries[index])  # type: ignore[arg-type]
            index += 1
        chunks.append(current)
        current = _Chunk()
        has_body = False
    if current.entries:
        chunks.append(current)
    return chunks


def _is_title(line: _Entry) -> bool:
    return (
        isinstance(line, str)
        and not ends_sentence(line)
        and len(line) <= TITLE_MAX
        and _item_form(line) is None
    )


def _is_signature_line(line: _Entry) -> bool:
    """Whether ``line`` reads as department names: short, no sentence, last name ending like a body."""
    if (
        not isinstance(line, str)
        or len(line) > SIGNATURE_LINE_MAX
        or _HARD_PUNCT.search(line)
        or ends_sentence(line)
        or _item_form(line) is not None
    ):
        return False
    names = _split_names(line)
    return bool(names) and names[-1][-1] in _ORG_SUFFIXES


def _signature_above(entries: list[_Entry], end: int, first: int) -> list[int]:
    """Indices of the signature lines right above ``entries[end]``, never before ``first``."""
    start = end
    while start > first and end - start < SIGNATURE_LINES_MAX and _is_signature_line(entries[start - 1]):
        start -= 1
    if start < end and start > first:
        above = entries[start - 1]
        if isinstance(above, str) and not ends_sentence(above) and _item_form(above) is None:
            start += 1  # the top line continues a paragraph broken before the signature
    return list(range(start, end))


def _article(
    chunk: _Chunk, document: Document, index: int, report: Callable[[InputError], None]
) -> Article | None:
    entries = chunk.entries
    has_title = bool(entries) and _is_title(entries[0])
    first_body = 1 if has_title else 0
    dropped: set[int] = set()
    footer_names: list[str] = []
    header_metas: list[_Meta] = []
    for position, entry in enumerate(entries):
        if isinstance(entry, _Meta):
            signature = _signature_above(entries, position, first_body)
            dropped.update(signature)
            header_metas.append(_Meta(_names(entries, signature) + entry.names, entry.date))
    # Department lines close an article even when no date follows them.
    signature = _signature_above(entries, len(entries), first_body)
    dropped.update(signature)
    footer_names = list(_names(entries, signature))
    for meta in chunk.footer:
        footer_names.extend(meta.names)
    body = [
        entry for position, entry in enumerate(entries) if position >= first_body and position not in dropped
    ]
    items, blocks, cut = _body(body)
    if cut:
        report(InputError(f"{document.source}#{index}: {cut}"))
    if not blocks and not items:
        log.debug("%s: a part with no body text (%r), skipped", document.source, entries[:1])
        return None
    title = entries[0] if has_title else _first_sentence(blocks, items)
    metas = chunk.footer + header_metas
    publishers = footer_names or [name for meta in header_metas for name in meta.names]
    date = next((meta.date for meta in metas if meta.date is not None), document.date)
    return Article(
        source=document.source,
        index=index,
        title=str(title),
        blocks=tuple(blocks),
        items=tuple(items),
        publishers=tuple(dict.fromkeys(publishers)),
        date=date,
    )


def _names(entries: list[_Entry], positions: list[int]) -> tuple[str, ...]:
    return tuple(name for position in positions for name in _split_names(str(entries[position])))


def _first_sentence(blocks: list[Block], items: list[ListItem]) -> str:
    text = blocks[0].text if blocks else items[0].heading
    match = _SENTENCE_BREAK.search(text)
    return text[: match.start()] if match else text


# --- ranked lists and paragraphs --------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    position: int
    style: str
    rank: int
    heading: str
    weak: bool = False
    """The heading starts with a quantity (2 19场专题论坛…): an item only where it goes on a run."""


def _item_form(line: str) -> _Candidate | None:
    """The ranked-list heading ``line`` could be (style, rank, heading), or None."""
    for style, pattern in _ITEM_FORMS:
        match = pattern.match(line)
        if match is None:
            continue
        heading = match["h"].strip()
        if style == "bullet":
            return _Candidate(-1, style, 0, heading)
        weak = bool(_NOT_AFTER_NUMBER.match(heading)) and style in ("arabic", "chinese")
        counted = re.match(r"\d+(?:[.．]\d+)?[个余多万亿名项种场次人]", heading)
        if weak and (ends_sentence(heading) or not counted):
            return None  # 3 500余个学会参与。, 1 万人: a number's tail in a sentence, never a heading
        rank = _rank(match["n"])
        return _Candidate(-1, style, rank, heading, weak) if rank else None
    return None


def _rank(number: str) -> int:
    if "\u2460" <= number <= "\u2473":
        return ord(number) - 0x2460 + 1
    if number.isdecimal():
        return int(number)
    if len(number) > 1 and "十" not in number:
        return 0  # 一二 is no rank
    return chinese_integer(number) or 0


def _ranked_run(lines: list[_Entry]) -> list[_Candidate]:
    """The article's list: the longest run 1, 2, 3 … of one numbered style, or its bullets."""
    runs: list[list[_Candidate]] = []
    open_runs: dict[str, list[_Candidate]] = {}
    bullets: list[_Candidate] = []
    for position, line in enumerate(lines):
        if not isinstance(line, str):
            continue
        found = _item_form(line)
        if found is None:
            continue
        candidate = _Candidate(position, found.style, found.rank, found.heading, found.weak)
        if candidate.style == "bullet":
            bullets.append(_Candidate(position, "bullet", len(bullets) + 1, candidate.heading))
            continue
        run = open_runs.get(candidate.style)
        if candidate.weak and not (run and candidate.rank == run[-1].rank + 1):
            continue  # "3 500余个" opens nothing; "2 19场专题论坛…" goes on the run 1, 2, …
        if candidate.rank == 1:
            open_runs[candidate.style] = [candidate]
            runs.append(open_runs[candidate.style])
        elif run and candidate.rank == run[-1].rank + 1:
            run.append(candidate)
    numbered = [run for run in runs if len(run) >= 2]
    choices = numbered + ([bullets] if bullets else [])
    if not choices:
        return []
    return max(choices, key=lambda run: (len(run), -run[0].position))


def _body(lines: list[_Entry]) -> tuple[list[ListItem], list[Block], str]:
    """The list items and the paragraphs (wraps joined) of an article's body lines, within the
    article and sentence caps; the third value says what the caps cut ("" when nothing)."""
    run = {candidate.position: candidate for candidate in _ranked_run(lines)}
    items: list[ListItem] = []
    blocks: list[Block] = []
    pieces: list[str] = []  # the paragraph being joined: adding line by line to a str is quadratic
    item: int | None = None
    room = MAX_ARTICLE_CHARS
    truncated = False
    runs_cut = 0

    def close() -> None:
        nonlocal pieces, runs_cut
        if pieces:
            parts = _bounded_runs("".join(pieces))
            runs_cut += len(parts) - 1
            blocks.extend(Block(text, item) for text in parts)
        pieces = []

    for position, line in enumerate(lines):
        if isinstance(line, _Meta):
            close()
            continue
        if room <= 0:
            truncated = True
            break
        candidate = run.get(position)
        if candidate is not None:
            close()
            heading, rest = _split_heading(candidate.heading)
            if len(heading) > MAX_SENTENCE_CHARS:
                cut = _cut_point(candidate.heading, 0)
                heading, rest = candidate.heading[:cut], candidate.heading[cut:].strip()
                runs_cut += 1
            truncated = truncated or len(heading) > room
            heading = heading[:room]
            items.append(ListItem(rank=candidate.rank, heading=heading))
            room -= len(heading)
            item = len(items) - 1
            line = rest
            if not line:
                continue
        truncated = truncated or len(line) > room
        line = line[:room]
        if not line:
            continue
        room -= len(line)
        if pieces and _is_latin_letter(pieces[-1][-1]) and _is_latin_letter(line[0]):
            pieces.append(" ")  # a wrap between two Latin letters was a space
        pieces.append(line)
        if ends_sentence(line):
            close()
    close()
    said = []
    if truncated:
        total = sum(len(line) for line in lines if isinstance(line, str))
        said.append(
            f"{total:,} characters, more than the {MAX_ARTICLE_CHARS:,} read per article: the rest is "
            "skipped (split the input into articles)"
        )
    if runs_cut:
        said.append(
            f"text without a sentence end cut {runs_cut} time(s) into pieces of at most "
            f"{MAX_SENTENCE_CHARS:,} characters"
        )
    return items, blocks, "; ".join(said)


def _split_heading(text: str) -> tuple[str, str]:
    """A list item's heading and the body text that followed it on the same line."""
    match = _SENTENCE_BREAK.search(text)
    if match is None:
        return text, ""
    heading = text[: match.start()].strip()
    rest = text[match.end() :].strip()
    if not heading:
        return text, ""
    return heading, rest


_CLAUSE_BREAK = re.compile(r"[，,、；;：:\s]")


def _cut_point(text: str, start: int) -> int:
    """Where the piece of the sentence-less run at ``text[start:]`` ends: after the last comma,
    、 or space in the second half of the sentence cap, else at the cap."""
    best = -1
    for match in _CLAUSE_BREAK.finditer(text, start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS):
        best = match.end()
    return best if best > 0 else start + MAX_SENTENCE_CHARS


def _bounded_runs(text: str) -> list[str]:
    """``text`` cut so that no run between sentence ends is longer than the sentence cap."""
    if len(text) <= MAX_SENTENCE_CHARS:
        return [text]
    parts: list[str] = []
    start = 0  # where the current part begins
    run = 0  # where the current run without a sentence end begins
    for end in [match.end() for match in _SENTENCE_BREAK.finditer(text)] + [len(text)]:
        while end - run > MAX_SENTENCE_CHARS:
            cut = _cut_point(text, run)
            parts.append(text[start:cut])
            start = run = cut
        run = end
    parts.append(text[start:])
    return [part for part in parts if part]


def _is_latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()
