"""Stage 2, segment: a document → its articles (title, blocks, ranked lists, signature).

A CAST bulletin file holds one or more news items, each "title, body paragraphs,
signature", the signature being the signing department line(s) and a date. Text that
went through PDF extraction is broken mid-word and mid-number across (blank) lines;
this stage repairs those wraps and cuts the file into :class:`~castkg.model.Article`.

How a document is read, in order:

1. Lines are stripped of surrounding whitespace (full-width ``\\u3000`` indents too) and of
   HTML tags and anti-copy noise a page leaked into its text; blank lines and editor lines
   such as ``（责任编辑：…）`` are dropped. Blank lines carry no meaning: PDF extraction puts
   them inside sentences. A web page's furniture is dropped next, as ``ontology/rules/page.yaml``
   says (:mod:`castkg.page`): lines that are furniture anywhere (crumbs, bylines of people,
   counters, share, login and contact lines, footers, captions …), menus and tool bars,
   everything from a related list, comment box or footer on once news text has come, a line
   repeated word for word, a photo credit (and a caption that then repeats other text).
   A dateline (新华社北京5月30日电（记者…）, 本报讯) is cut from its line with its credits, and
   kept as the article's place and day; a closing credit ((记者 李珂)) is cut.
2. *Meta lines* are found: a signature date (``[2021-01-29]``, ``［…］``, ``【…】``,
   ``（2021年1月29日）``, a bare ``2021-01-29`` after optional names, ``2021年1月29日``
   alone on its line) or a page's byline (labels of page.yaml: ``来源：…``, ``发布时间：…``,
   ``作者：…``, ``浏览次数：…``, or a timestamp with a source beside it). A byline gives the
   date and, from its 来源/供稿 label (not a website, paper or agency) or an unlabelled body
   of the CAST family, the signing names. A meta line after body text ends the article (the
   meta lines right after it belong to the same signature); one before any body text
   (just below the title) is the article's header. When a page's byline stands above the
   text, the title is the line right above it and what stands above the title is dropped.
3. The signature's names are the short lines right above the meta line (or at the
   very end of the article) that end no sentence and whose last name ends like an
   organisation (部, 厅, 中心, 社, 会 …); at most three, never the title. Names before
   the date on the date line itself count too. Names are split on ``、``, ``，``,
   ``,``, ``;`` and spaces.
   A last line naming a body of the CAST family and people (奉化区科协 陈振豪, 新和县科协
   张梦歌 供稿) signs the article too.
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
import itertools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from castkg.errors import InputError
from castkg.limits import MAX_ARTICLE_CHARS, MAX_SENTENCE_CHARS
from castkg.model import Article, Block, Dateline, Document, ListItem
from castkg.normalise import chinese_integer
from castkg.page import PageRules, load_page_rules
from castkg.script import normalise

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
_CN_DATE = re.compile(
    r"(\d{4})\s*年\s*[-－]?\s*(\d{1,2})\s*月\s*[-－]?\s*(\d{1,2})\s*[日号]"
)  # 2018年-09月-06日 on some mirrors
_TIME = r"(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_BRACKETED_DATE = re.compile(
    rf"^(?P<prefix>[^{re.escape(_OPEN)}]*?)\s*[{re.escape(_OPEN)}]"
    rf"\s*(?P<date>[^{re.escape(_OPEN + _CLOSE)}]+?)\s*[{re.escape(_CLOSE)}]$"
)
_BARE_ISO_DATE = re.compile(rf"^(?:(?P<prefix>.*?)\s+)?(?P<date>{_ISO_DATE.pattern}{_TIME})$")
_TITLE_STAMP = re.compile(rf"\s(?P<date>{_ISO_DATE.pattern}){_TIME}\s*[|｜丨]?\s*$")
_DATE_ONLY = re.compile(rf"(?:{_ISO_DATE.pattern}|{_CN_DATE.pattern}){_TIME}")
_CN_DATE_ALONE = re.compile(rf"^(?P<date>{_CN_DATE.pattern})$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NAME_SEPARATORS = re.compile(r"[、，,;；/\s]+")
_SITE_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
"""A site's address before a page's date (http://www.example.com 2020-08-15): it names no body."""

_NOT_AFTER_NUMBER = re.compile(
    r"^(?:[年月日号时分秒%％‰个余多万亿]|\d+(?:[.．]\d+)?[%％‰个余多万亿名项种场次人])"
)
"""What follows a line-initial number that is a quantity, not a rank ("3 500余个", "1 万人");
a year may follow a rank ("10 2021年全国科普日…")."""
_TABLE_ROW = re.compile(r"[|｜][^|｜]*[|｜]")
"""A row of a table copied as text (1 | 某某植物园 | 某院士 | 某市科协 |): its number counts rows, it
ranks nothing, and its cells are no list item's heading."""

_ITEM_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("arabic", re.compile(r"^(?P<n>\d{1,2})(?:[.．、](?!\d)|[)）]|(?=[ \t\u3000]))\s*(?P<h>\S.*)$")),
    ("arabic-paren", re.compile(r"^[(（](?P<n>\d{1,2})[)）]\s*(?P<h>\S.*)$")),
    ("chinese", re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})[、．.]\s*(?P<h>\S.*)$")),
    ("chinese-paren", re.compile(r"^[(（](?P<n>[一二三四五六七八九十]{1,3})[)）]\s*(?P<h>\S.*)$")),
    ("circled", re.compile(r"^(?P<n>[\u2460-\u2473])\s*(?P<h>\S.*)$")),
    ("bullet", re.compile(r"^(?:[-*+]\s+|[•●▪■◆◇]\s*)(?P<h>\S.*)$")),
)


# --- public entry point -----------------------------------------------------


def segment(
    document: Document,
    on_error: Callable[[InputError], None] | None = None,
    page: PageRules | None = None,
) -> list[Article]:
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

    ``page`` says what a published page wraps around its news text (default: the shipped
    ``ontology/rules/page.yaml``, read for the call); the pipeline passes those of its rules' folder.
    """
    report = on_error or _log_cut
    page = page or load_page_rules()
    entries = _entries(document.text, page)
    articles: list[Article] = []
    for chunk in _chunks(entries):
        article = _article(chunk, document, len(articles) + 1, report, page)
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
    page: bool = False
    """A page's own byline (时间：… 来源：… 浏览次数：…), not a bulletin's signature form."""


@dataclass(frozen=True)
class _Dateline:
    """A dateline cut from the start (or end) of a line: its place and day as written."""

    place: str | None
    month: int | None
    day: int | None
    agency: str | None = None


_Entry = str | _Meta | _Dateline


@dataclass
class _Chunk:
    """The entries of one article, and the meta lines that closed it (if any)."""

    entries: list[_Entry] = field(default_factory=list)
    footer: list[_Meta] = field(default_factory=list)
    footer_names: list[str] = field(default_factory=list)


def _entries(text: str, page: PageRules) -> list[_Entry]:
    """The document's lines as entries, a page's furniture left out: lines that are furniture
    anywhere, lists of links before the news text, listings of other pages, everything from a
    related list, comment box or footer on once news text has come, repeated lines (a page printed
    twice, a caption repeating the text), photo credits and datelines (kept as :class:`_Dateline`
    entries)."""
    lines = [line for raw in _LINE_BREAK.split(text) if (line := page.without_leaks(raw).strip())]
    lines, forms = _headlines_and_bylines(lines, page)
    keys = [_repeat_key(form) for form, _ in forms]
    matched = [form for form, _ in forms]
    links = page.link_lists(matched)
    listing = _listing(matched, page)
    table = _table_rows(matched)
    entries: list[_Entry] = []
    seen: set[str] = set()
    news = False  # news text has come: a tail cue now ends the page
    for position, line in enumerate(lines):
        form, offsets = forms[position]
        if (position in links and not news) or position in listing:
            continue  # a portal's menu or its other headlines, before the news text; other pages listed
        labelled = page.label_pattern.match(form, len(form) - len(form.lstrip("[【(（ ")))
        signature = None if labelled else _meta(line)  # [来源:某客户端] 2023-03-17: a page's byline
        if signature is not None:
            if page.furniture_of(form):  # 张三 2024-06-05: a byline's date, signed by no body
                signature = replace(signature, names=())
            entries.append(signature)
            continue
        if page.is_noise(form) or _EDITOR_LINE.match(line):
            continue
        if page.ends_page(form):
            if news:
                break
            continue
        meta = _page_meta(form, page)
        if meta is not None:
            entries.append(meta)
            continue
        if page.furniture_of(form) or (page.is_menu(form) and position not in table):
            continue
        inline = page.inline_credit.search(form)
        if inline is not None:  # …致辞。 中新网 记者 某某 摄开幕式后: the credit out, both sentences kept
            cut = _offset(line, offsets, inline.start()), _offset(line, offsets, inline.end())
            line = line[: cut[0]] + line[cut[1] :]
            form, offsets = page.matching_form(line)
        credit = page.photo_credit.search(form)
        if credit is not None:
            line = line[: _offset(line, offsets, credit.start())].rstrip()
            form, offsets = page.matching_form(line)
            key = _repeat_key(form)
            if not key or any(key in other for other in keys[:position] + keys[position + 1 :]):
                continue  # a caption that repeats the text
            if page.furniture_of(form):
                continue  # 活动现场。 主办方供图: a caption, once its credit is cut
        key = keys[position] if credit is None else _repeat_key(form)
        if len(key) >= REPEAT_MIN:
            if key in seen:
                continue
            seen.add(key)
        pieces = _cut_datelines(line, form, offsets, page)
        entries.extend(pieces)
        news = news or any(isinstance(piece, str) and _is_news(piece) for piece in pieces)
    return entries


def _headlines_and_bylines(
    lines: list[str], page: PageRules
) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """The lines, a line cut in two where a byline runs on after a headline (…举行发布时间:2018-11-21
    …), and each one's matching form."""
    parts: list[str] = []
    forms: list[tuple[str, list[int]]] = []
    for line in lines:
        form = page.matching_form(line)
        match = page.inline_byline.search(form[0])
        if match is None:
            parts.append(line)
            forms.append(form)
            continue
        cut = _offset(line, form[1], match.start())
        for part in (line[:cut].rstrip(), line[cut:].strip()):
            parts.append(part)
            forms.append(page.matching_form(part))
    return parts, forms


def _listing(forms: list[str], page: PageRules) -> set[int]:
    """The lines of a listing of other pages copied with the text: each excerpt cut short with its
    stamps after it, and the title right before it (a line that ends no sentence)."""
    excerpts, stamps = page.listing_lines(forms)
    listed = {*excerpts, *stamps}
    titles = {p - 1 for p in excerpts if p > 0 and p - 1 not in listed and not ends_sentence(forms[p - 1])}
    return listed | titles


def _table_rows(forms: list[str]) -> set[int]:
    """The lines of a table copied as text in Markdown's form: the header row, the ``---|---|`` row
    and the rows after it, whose short cells (智能制造工厂 | 上海第二工业大学 |) are no menu. A row
    here holds one bar at least (Markdown's outer bars are optional), not two as :data:`_TABLE_ROW`
    asks of a line that may be a ranked item."""
    rows: set[int] = set()
    for position, form in enumerate(forms):
        if not _TABLE_DELIMITER.match(form):
            continue
        start = position - 1 if position and "|" in forms[position - 1] else position
        end = position + 1
        while end < len(forms) and "|" in forms[end]:
            end += 1
        rows.update(range(start, end))
    return rows


_TABLE_DELIMITER = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
"""The row under a Markdown table's header (---|---|, | :--- | ---: |)."""


REPEAT_MIN = 12
"""The shortest line (in characters other than punctuation) whose repetition is dropped."""
_WORD = re.compile(r"[\w\u3400-\u9fff]")
_NOT_WORD = re.compile(r"[\W_]+")


def _repeat_key(form: str) -> str:
    return _NOT_WORD.sub("", form)


def _is_news(line: str) -> bool:
    """Whether a line is news text (a sentence of some length), after which a page's tail may come."""
    return len(line) > TITLE_MAX or (ends_sentence(line) and len(line) >= 20)


def _offset(line: str, offsets: list[int], index: int) -> int:
    """The offset in ``line`` of character ``index`` of its matching form (its end past the last)."""
    return offsets[index] if index < len(offsets) else len(line)


def _cut_datelines(line: str, form: str, offsets: list[int], page: PageRules) -> list[_Entry]:
    """The line with a dateline and its credits cut out (a :class:`_Dateline` entry before the
    rest), and a closing credit (记者 李珂) cut from its end."""
    pieces: list[_Entry] = []
    found = page.dateline(form)
    if found is not None:
        _, match = found
        groups = match.groupdict()
        place = groups.get("place") or groups.get("place2")
        month, day = groups.get("m"), groups.get("d")
        pieces.append(
            _Dateline(place, int(month) if month else None, int(day) if day else None, groups.get("agency"))
        )
        if match.start() == 0:
            line = line[_offset(line, offsets, match.end()) :].lstrip()
            form, offsets = page.matching_form(line)
            credit = page.after_dateline.match(form)
            if credit is not None:
                line = line[_offset(line, offsets, credit.end()) :].lstrip(" ,，:：\u3000")
                form, offsets = page.matching_form(line)
        else:
            line = line[: _offset(line, offsets, match.start())].rstrip()
            form, offsets = page.matching_form(line)
    closing = page.closing_credit.search(form)
    if closing is not None and closing.start() > 0:
        line = line[: _offset(line, offsets, closing.start())].rstrip()
    if line and _WORD.search(line):
        pieces.append(line)
    return pieces


_URL = re.compile(
    r"\S*(?:https?://|www\.)(?:(?!\?\d{4}[-/.])\S)*"
)  # not a mirror's garbled space: …com?2012-03-09
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_LEADING_MARKS = re.compile(r"^[\s\-–—•·*|]+")
_BRACKETED_SHORT = re.compile(r"[\[【][^\]】]{0,8}[\]】]")
_BRACKETED_LABEL = re.compile(r"[\[【]([^\[\]【】:]{1,8}:[^\[\]【】]{1,40})[\]】]")
_CLAUSE_PUNCT = re.compile(r"[,，、;；]")
_VALUE_END = re.compile(r"\s{2,}|\|")


def _page_meta(form: str, page: PageRules) -> _Meta | None:
    """The page byline ``form`` (a line's matching form) is, with the page's date and the names
    its 来源/供稿 label (or, unlabelled, a body of the CAST family) gives; None for another line."""
    if len(form) > PAGE_META_MAX or "。" in form or _ENDS_STATEMENT.search(form):
        return None
    text = _BRACKETED_SHORT.sub(" ", page.count_phrase.sub(" ", _URL.sub(" ", form)))
    text = _LEADING_MARKS.sub("", _BRACKETED_LABEL.sub(r" \1 ", text))  # [日期:2017-05-18] 作者:…
    text = text.strip(" ,，")
    date = parse_date(text)
    labels = list(page.label_pattern.finditer(text))
    names: list[str] = []
    rest = text
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        value = _VALUE_END.split(text[label.end() : end].strip())[0].strip()
        if page.labels[label["label"]] == "source" or page.signs(value, labelled=False):
            names.extend(n for n in _split_names(value) if page.signs(n, labelled=True))
        rest = rest.replace(text[label.start() : end], " ")
    rest = _CLOCK.sub(" ", _DATE_ONLY.sub(" ", rest))
    leftover = [chunk for chunk in re.split(r"[\s|]+", rest) if chunk]
    starts_labelled = bool(labels) and labels[0].start() == 0
    dated = (  # 2017年7月18日 即时资讯; not 2024年11月03日 星期天, the day a site shows its reader
        _CN_DATE_OPENING.match(text) is not None
        and sum(map(len, leftover)) <= DATED_LINE_TAIL_MAX
        and page.furniture_of(form) is None
    )
    stamped = date is not None and (bool(_CLOCK.search(text)) or bool(_ISO_DATE.match(text)) or dated)
    if starts_labelled:
        if date is None and not any(page.labels[m["label"]] == "source" for m in labels):
            return None
    elif not stamped or _CLAUSE_PUNCT.search(rest.strip()) or sum(map(len, leftover)) > SIGNATURE_LINE_MAX:
        return None
    names.extend(chunk for chunk in leftover if page.signs(chunk, labelled=False))
    return _Meta(tuple(dict.fromkeys(names)), date, page=True)


_CN_DATE_OPENING = re.compile(rf"^{_CN_DATE.pattern}(?=\s|$)")
DATED_LINE_TAIL_MAX = 8
"""The most characters after a page's date written in Chinese (2017年7月18日 即时资讯) on its line."""
_ENDS_STATEMENT = re.compile(rf"[。！？!?][{re.escape(_CLOSERS)}]*$")
PAGE_META_MAX = 160
"""The longest line still read as a page's byline (date, source, counts …)."""


def _meta(line: str) -> _Meta | None:
    """The signature form (date, names and date) ``line`` is, or None for an ordinary line."""
    if len(line) > META_LINE_MAX:
        return None
    for pattern in (_BRACKETED_DATE, _BARE_ISO_DATE, _CN_DATE_ALONE):
        match = pattern.match(line)
        if match is None:
            continue
        inner = match["date"].strip()
        date = parse_date(inner)
        prefix = _SITE_ADDRESS.sub("", match.groupdict().get("prefix") or "").strip()
        if date is None or not _DATE_ONLY.fullmatch(inner) or not _is_name_text(prefix):
            continue
        return _Meta(_split_names(prefix), date)
    return None


def _is_name_text(text: str) -> bool:
    """Whether ``text`` can be the department names of a signature."""
    if not text:
        return True
    return len(text) <= SIGNATURE_LINE_MAX * 2 and not _HARD_PUNCT.search(text) and not ends_sentence(text)


def _split_names(text: str) -> tuple[str, ...]:
    """The names a signature lists; marks alone (- 2018-08-17, a list's dash) name nobody."""
    return tuple(name for name in _NAME_SEPARATORS.split(text) if _WORD.search(name))


# --- articles ---------------------------------------------------------------


def _is_body(entry: _Entry) -> bool:
    """Whether the entry is body text, so that a meta line after it closes the article (a bullet
    alone does not: pages put them before their menus and site names)."""
    if not isinstance(entry, str):
        return False
    if len(entry) <= _LABEL_MAX and entry.rstrip().endswith((":", "：")):
        return False  # 发布于： with its date on the next line: a byline's label, not news text
    item = _item_form(entry)
    return bool(ends_sentence(entry) or len(entry) > TITLE_MAX or (item and item.style != "bullet"))


_LABEL_MAX = 8
"""The longest line ending in a colon read as a label whose value is on the next line."""


def _chunks(entries: list[_Entry]) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    current = _Chunk()
    has_body = False  # kept as the entries come: asking again at each meta line is quadratic
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if not isinstance(entry, _Meta) or not has_body:
            current.entries.append(entry)
            has_body = has_body or _is_body(entry)
            continue
        if entry.page and _ends_in_title(current.entries) and _news_follows(entries, index):
            title = current.entries.pop()  # a title, then its page's byline: a new article opens
            if chunks or any(isinstance(e, (_Meta, _Dateline)) for e in current.entries):
                chunks.append(current)
            # else what stood above the page's first title is its header (site names, a slogan,
            # the page's description): no article
            current = _Chunk(entries=[title, entry])
            has_body = False
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


def _news_follows(entries: list[_Entry], index: int) -> bool:
    """Whether news text comes from ``entries[index]`` on, before the next signature or byline
    (past the byline lines that stand together there)."""
    rest = itertools.dropwhile(lambda e: isinstance(e, _Meta), itertools.islice(entries, index, None))
    return any(_is_body(entry) for entry in itertools.takewhile(lambda e: not isinstance(e, _Meta), rest))


def _ends_in_title(entries: list[_Entry]) -> bool:
    """Whether the last entry reads as a title, not as the closing line of news text or a signature."""
    return bool(entries) and _is_title(entries[-1]) and not _is_signature_line(entries[-1])


def _is_title(line: _Entry) -> bool:
    return (
        isinstance(line, str)
        and not ends_sentence(line)
        and len(line) <= TITLE_MAX * 3
        and len(normalise(line).text) <= TITLE_MAX  # a mirror's pinyin glosses make no title longer
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
    chunk: _Chunk,
    document: Document,
    index: int,
    report: Callable[[InputError], None],
    page: PageRules,
) -> Article | None:
    entries = chunk.entries
    title_at = _title_at(entries)
    first_body = 0 if title_at is None else title_at + 1
    dropped: set[int] = set()
    header_metas: list[_Meta] = []
    for position, entry in enumerate(entries):
        if isinstance(entry, _Meta):
            signature = [] if entry.page else _signature_above(entries, position, first_body)
            dropped.update(signature)
            header_metas.append(_Meta(_names(entries, signature) + entry.names, entry.date))
    # Department lines close an article even when no date follows them.
    signature = _signature_above(entries, len(entries), first_body)
    dropped.update(signature)
    footer_names = list(_names(entries, signature))
    signed = None if signature else _signature_line(entries, first_body, page)
    if signed is not None:
        dropped.add(signed[0])
        footer_names.extend(_split_names(signed[1]))
    for meta in chunk.footer:
        footer_names.extend(meta.names)
    body = [
        entry for position, entry in enumerate(entries) if position >= first_body and position not in dropped
    ]
    items, blocks, cut = _body(body, page)
    if cut:
        report(InputError(f"{document.source}#{index}: {cut}"))
    if not blocks and not items:
        log.debug("%s: a part with no body text (%r), skipped", document.source, entries[:1])
        return None
    title = entries[title_at] if title_at is not None else _first_sentence(blocks, items)
    metas = chunk.footer + header_metas
    publishers = footer_names or [name for meta in header_metas for name in meta.names]
    date = next((meta.date for meta in metas if meta.date is not None), document.date)
    stamp = _TITLE_STAMP.search(str(title))
    if stamp is not None:  # 标题 科普宣传网 2023-04-12 |: a page's title line with its date at the end
        title = str(title)[: stamp.start()].rstrip()
        date = date or parse_date(stamp["date"])
    return Article(
        source=document.source,
        index=index,
        title=str(title),
        blocks=tuple(blocks),
        items=tuple(items),
        publishers=tuple(dict.fromkeys(publishers)),
        date=date,
        dateline=_dateline(entries, date),
    )


def _title_at(entries: list[_Entry]) -> int | None:
    """Where the article's title line is: its first line (after any byline lines) when that reads as
    a title, except on a page whose byline (date, source) stands below the title and above the news
    text: then the title is the line right above the byline, and what stands above the title (site
    names, menus, ads) is no news text."""
    if not entries:
        return None
    first_meta = next((i for i, entry in enumerate(entries) if isinstance(entry, _Meta)), None)
    if first_meta and not any(_is_news_line(entry) for entry in entries[:first_meta]):
        bylines = []
        for entry in entries[first_meta:]:
            if not isinstance(entry, _Meta):
                break
            bylines.append(entry)
        if any(byline.page for byline in bylines):  # a page's byline, not a bulletin's signature
            titles = [position for position in range(first_meta) if _is_title(entries[position])]
            if titles:
                return titles[-1]
    opening = next((i for i, entry in enumerate(entries) if not isinstance(entry, _Meta)), None)
    if opening is not None and _is_title(entries[opening]):
        return opening  # a byline above the title (来源：… 2023-03-17): the title is the line after it
    return None


def _is_news_line(entry: _Entry) -> bool:
    return isinstance(entry, str) and (ends_sentence(entry) or len(entry) > TITLE_MAX)


def _signature_line(entries: list[_Entry], first: int, page: PageRules) -> tuple[int, str] | None:
    """The last line of an article when it signs it without a label (奉化区科协 陈振豪, 新和县科协
    张梦歌 供稿): its position and the body's name."""
    position = next(
        (i for i in range(len(entries) - 1, first - 1, -1) if isinstance(entries[i], str)),
        None,
    )
    if position is None or position == first:
        return None
    line = str(entries[position])
    if len(line) > SIGNATURE_LINE_MAX + 10 or ends_sentence(line):
        return None
    form, offsets = page.matching_form(line)
    match = page.signature_line.match(form)
    if match is None or not (match["people"] or match["label"]):
        return None
    body = match["body"]
    if not page.signs(body, labelled=match["label"] is not None):
        return None
    return position, line[: _offset(line, offsets, match.end("body"))]


def _dateline(entries: list[_Entry], date: dt.date | None) -> Dateline | None:
    """The article's dateline: its place, and its day with the year of the article's date (the
    year before when that day would fall after the date)."""
    found = next((entry for entry in entries if isinstance(entry, _Dateline)), None)
    if found is None:
        return None
    day = None
    if found.month and found.day and date is not None:
        for year in (date.year, date.year - 1):
            try:
                candidate = dt.date(year, found.month, found.day)
            except ValueError:
                continue
            if candidate <= date:
                day = candidate
                break
    if found.place is None and day is None and found.agency is None:
        return None
    month_day = (found.month, found.day) if found.month and found.day else None
    return Dateline(found.place, day, found.agency, month_day)


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
    if _TABLE_ROW.search(line):
        return None
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


def _ranked_run(lines: list[_Entry], page: PageRules) -> list[_Candidate]:
    """The article's list: the longest run 1, 2, 3 … of one numbered style, or its bullets; not a
    run that a notice's attachments or instructions head (附件：, 说明：)."""
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
    numbered = [run for run in runs if len(run) >= 2 and not _aside(lines, run[0].position, page)]
    choices = numbered + ([bullets] if bullets else [])
    if not choices:
        return []
    return max(choices, key=lambda run: (len(run), -run[0].position))


def _aside(lines: list[_Entry], position: int, page: PageRules) -> bool:
    """Whether the line right before ``position`` heads a notice's attachments or instructions."""
    before = lines[position - 1] if position else None
    return isinstance(before, str) and page.form(before).strip().rstrip(":：") in page.aside_list_heads


def _body(lines: list[_Entry], page: PageRules) -> tuple[list[ListItem], list[Block], str]:
    """The list items and the paragraphs (wraps joined) of an article's body lines, within the
    article and sentence caps; the third value says what the caps cut ("" when nothing)."""
    run = {candidate.position: candidate for candidate in _ranked_run(lines, page)}
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
        if not isinstance(line, str):
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
