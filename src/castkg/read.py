"""Stage 1, read: paths → documents (decoded text of .txt, .md, .html, .jsonl inputs).

Named files and folders are read in the order given; folders recursively, in sorted
order, keeping only the known extensions (names starting with a dot are skipped).
Bytes are decoded as UTF-8 (with or without BOM), then GB18030, then whatever
charset-normalizer recognises among the Chinese and Unicode encodings; line ends
become ``\\n``. The characters themselves are kept as written (no NFKC here: later
stages match on NFKC but quote the original as evidence).

HTML is reduced to its article text, Markdown to plain lines, and each JSON Lines
record becomes its own document. An input that cannot be read is reported to
``on_error`` as an :class:`~castkg.errors.InputError` and skipped; the rest still read.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from charset_normalizer import from_bytes

from castkg.errors import InputError
from castkg.model import Document

log = logging.getLogger(__name__)

ErrorHandler = Callable[[InputError], None]

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

# Encodings accepted from charset-normalizer: a Chinese bulletin decoded as Latin-1 or
# cp1252 is never right, so only Unicode and Chinese (plus neighbouring CJK) encodings count.
_DETECTED_ENCODINGS = frozenset(
    {
        "utf_16",
        "utf_16_le",
        "utf_16_be",
        "utf_32",
        "utf_32_le",
        "utf_32_be",
        "big5",
        "big5hkscs",
        "cp950",
        "gb2312",
        "gbk",
        "gb18030",
        "hz",
        "euc_jp",
        "shift_jis",
        "cp932",
        "euc_kr",
        "cp949",
    }
)
_MAX_CONTROL_SHARE = 0.05
_MIN_GB2312_SHARE = 0.9


# --- public entry point -----------------------------------------------------


def read_paths(paths: Iterable[str | Path], on_error: ErrorHandler) -> Iterator[Document]:
    """Yield one Document per readable input under ``paths``; report each bad one to ``on_error``.

    ``paths`` are files or folders; a folder is searched recursively in sorted order for
    ``.txt``, ``.md``, ``.html``/``.htm`` and ``.jsonl`` files, a named file of another
    extension is read as text. ``Document.source`` is the path as given, relative where
    it was relative, in POSIX form as pathlib normalises it (``./a//b.txt`` → ``a/b.txt``);
    a file found in a folder is the folder so written joined with its relative path.

    Returns an iterator of :class:`Document` (one per file, one per JSON Lines record).
    Raises nothing for a bad input: a missing path, an empty, binary or undecodable
    file, a bad JSON Lines record are each passed to ``on_error`` as an
    :class:`InputError` and skipped.
    """
    for given in paths:
        yield from _read_given(str(given), on_error)


def _read_given(given: str, on_error: ErrorHandler) -> Iterator[Document]:
    path = Path(given)
    if path.is_dir():
        files = _files_in_folder(path)
        if not files:
            on_error(InputError(f"{given}: no .txt, .md, .html or .jsonl files in this folder, skipped"))
        for relative in files:
            yield from _read_file(path / relative, (path / relative).as_posix(), on_error)
    elif path.is_file():
        yield from _read_file(path, Path(given).as_posix(), on_error)
    else:
        on_error(InputError(f"{given}: no such file or folder"))


def _files_in_folder(folder: Path) -> list[Path]:
    """The input files under ``folder``, relative to it, in sorted order."""
    found = [
        candidate.relative_to(folder)
        for candidate in folder.rglob("*")
        if candidate.is_file() and candidate.suffix.lower() in KNOWN_SUFFIXES
    ]
    return sorted(
        (relative for relative in found if not any(part.startswith(".") for part in relative.parts)),
        key=lambda relative: relative.parts,
    )


# --- one file ---------------------------------------------------------------


def _read_file(path: Path, source: str, on_error: ErrorHandler) -> Iterator[Document]:
    try:
        data = path.read_bytes()
    except OSError as error:
        on_error(InputError(f"{source}: cannot read ({error.strerror or error}), skipped"))
        return
    try:
        text, encoding = decode(data, source)
    except InputError as error:
        on_error(error)
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_documents(text, encoding, source, on_error)
        return
    date: dt.date | None = None
    if suffix in HTML_SUFFIXES:
        text = html_to_text(text)
    elif suffix in MARKDOWN_SUFFIXES:
        text, date = markdown_to_text(text)
    if not text.strip():
        on_error(InputError(f"{source}: no article text found, skipped"))
        return
    log.debug("read %s (%s, %d characters)", source, encoding, len(text))
    yield Document(source=source, text=text, encoding=encoding, date=date)


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Decode the bytes of one input file into text with ``\\n`` line ends.

    Returns ``(text, encoding name)``. Raises :class:`InputError` when the file is empty
    (or whitespace only), binary, or in no encoding castkg recognises.
    """
    if not data.strip():
        raise InputError(f"{source}: empty file, skipped")
    text, encoding = _decode_bytes(data, source)
    text = normalise_line_ends(text.removeprefix("\ufeff"))
    if not text.strip():
        raise InputError(f"{source}: empty file, skipped")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputError(f"{source}: not text (binary content), skipped")
    return text, encoding


def _decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise _undecodable(source, f"invalid {encoding} after its byte-order mark") from error
    if b"\x00" in data:
        raise InputError(f"{source}: not text (binary content), skipped")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    gb_text: str | None
    try:
        gb_text = data.decode("gb18030")
    except UnicodeDecodeError:
        gb_text = None
    if gb_text is not None and _looks_simplified(gb_text):
        return gb_text, "gb18030"
    detected = _detect(data)
    if detected is not None:
        return detected
    if gb_text is not None:
        return gb_text, "gb18030"
    raise _undecodable(source, "not UTF-8, GB18030 or another Chinese or Unicode encoding")


def _undecodable(source: str, why: str) -> InputError:
    return InputError(f"{source}: cannot decode ({why}); save it as UTF-8 and retry, skipped")


def _looks_simplified(text: str) -> bool:
    """Whether GB18030-decoded text reads as Chinese: nearly all its Han characters are in GB2312.

    Big5 bytes also decode as GB18030, but into rare characters; this tells the two apart.
    """
    han = [char for char in text if "\u4e00" <= char <= "\u9fff"]
    if not han:
        return True
    common = sum(1 for char in han if _in_gb2312(char))
    return common / len(han) >= _MIN_GB2312_SHARE


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, when it is a Unicode or East Asian encoding."""
    best = from_bytes(data).best()
    if best is None or best.encoding not in _DETECTED_ENCODINGS:
        return None
    return str(best), best.encoding


def _control_share(text: str) -> float:
    """The share of characters that are control codes other than tab, line and page breaks."""
    controls = sum(
        1 for char in text if (ord(char) < 32 and char not in "\t\n\f\v") or 0x7F <= ord(char) <= 0x9F
    )
    return controls / max(len(text), 1)


def normalise_line_ends(text: str) -> str:
    """Return ``text`` with CRLF and lone CR line ends turned into ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- JSON Lines -------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _jsonl_documents(text: str, encoding: str, source: str, on_error: ErrorHandler) -> Iterator[Document]:
    seen: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record_id, record_text, date = _parse_record(line)
        except ValueError as error:
            on_error(InputError(f"{source}:{number}: {error}; line skipped"))
            continue
        if record_id in seen:
            on_error(InputError(f"{source}:{number}: duplicate id {record_id!r}; line skipped"))
            continue
        seen.add(record_id)
        yield Document(
            source=f"{source}#{record_id}",
            text=normalise_line_ends(record_text),
            encoding=encoding,
            date=date,
        )
    if not seen:
        on_error(InputError(f"{source}: no usable JSON Lines record, skipped"))


def _parse_record(line: str) -> tuple[str, str, dt.date | None]:
    """One JSON Lines record as (id, text, date). Raises ValueError saying what is wrong."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg} at column {error.colno})") from error
    if not isinstance(record, dict):
        raise ValueError('not a JSON object with "id" and "text"')
    record_id = record.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int) or str(record_id) == "":
        raise ValueError('"id" missing or not a string or integer')
    record_text = record.get("text")
    if not isinstance(record_text, str) or not record_text.strip():
        raise ValueError('"text" missing or empty')
    return str(record_id), record_text, _parse_date(record.get("date"))


def _parse_date(value: object) -> dt.date | None:
    if value is None:
        return None
    match = _ISO_DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'"date" {value!r} is not YYYY-MM-DD')
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise ValueError(f'"date" {value!r} is not a real day') from error


# --- Markdown ---------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_FRONT_DATE = re.compile(r"^date:\s*[\"']?(\d{4}-\d{2}-\d{2})", re.MULTILINE)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_BULLET = re.compile(r"^(\s*)([-*+])\s+")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_MD_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EMPHASIS_STAR = re.compile(r"(?<!\*)\*(?=\S)(.+?)(?<=\S)\*(?!\*)")
_MD_EMPHASIS_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9_])_(?=\S)(.+?)(?<=\S)_(?![A-Za-z0-9_])")
_MD_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_MD_CODE = re.compile(r"`([^`]*)`")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!~>|])")


def markdown_to_text(text: str) -> tuple[str, dt.date | None]:
    """Reduce Markdown to plain lines: heading marks, emphasis, links and images removed.

    Bullets and numbers stay, so the segmenter still sees the lists. A YAML front matter
    block is dropped; its ``date: YYYY-MM-DD``, if any, is returned. Returns
    ``(text, date or None)``; raises nothing.
    """
    date: dt.date | None = None
    front = _FRONT_MATTER.match(text)
    if front:
        found = _FRONT_DATE.search(front[1])
        if found:
            try:
                date = dt.date.fromisoformat(found[1])
            except ValueError:
                date = None
        text = text[front.end() :]
    lines: list[str] = []
    in_fence = False
    for raw in text.split("\n"):
        if raw.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            lines.append(raw)
            continue
        lines.append(_markdown_line(raw, lines))
    return "\n".join(lines), date


def _markdown_line(raw: str, done: list[str]) -> str:
    if _MD_SETEXT.match(raw) and done and done[-1].strip():
        return ""  # the underline of a Setext heading; the heading line itself is already kept
    if _MD_RULE.match(raw) or _MD_LINK_DEFINITION.match(raw):
        return ""
    line = _MD_QUOTE.sub("", raw)
    heading = _MD_HEADING.match(line)
    if heading:
        line = heading[1]
    bullet = _MD_BULLET.match(line)
    prefix = ""
    if bullet:
        prefix, line = f"{bullet[1]}{bullet[2]} ", line[bullet.end() :]
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_REF_LINK.sub(r"\1", line)
    line = _MD_CODE.sub(r"\1", line)
    line = _MD_STRONG.sub(r"\2", line)
    line = _MD_EMPHASIS_STAR.sub(r"\1", line)
    line = _MD_EMPHASIS_UNDERSCORE.sub(r"\1", line)
    line = _MD_STRIKE.sub(r"\1", line)
    line = _MD_ESCAPE.sub(r"\1", line)
    return (prefix + line).rstrip()


# --- HTML -------------------------------------------------------------------

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "input",
    "select",
    "textarea",
    "canvas",
    "object",
    "embed",
    "menu",
    "dialog",
)
_PAGE_FURNITURE = ("header", "footer")
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "caption",
        "figure",
        "figcaption",
        "address",
        "header",
        "footer",
        "hr",
        "center",
    }
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
_LATIN = re.compile(r"[A-Za-z]")


def html_to_text(html: str) -> str:
    """Reduce an HTML page to its article text, one line per title, paragraph, heading or item.

    Navigation, scripts, styles, forms and asides are dropped everywhere, and the page
    header and footer too; the article is every top-level ``<article>``, else ``<main>``,
    else the element holding the most ``<p>`` text. An article without a heading gets
    the page's ``<h1>`` (else its ``<title>``) as first line. An ``<li>`` of an ``<ol>``
    becomes ``"N text"`` and of a ``<ul>`` ``"- text"``, so the segmenter sees the list.
    Blocks are separated by blank lines. Returns the text (empty when the page has none).
    """
    soup = BeautifulSoup(html, "lxml")
    for element in soup.find_all(string=lambda value: isinstance(value, Comment)):
        element.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    page_title = _page_title(soup)
    containers = _containers(soup)
    for tag in soup.find_all(_PAGE_FURNITURE):
        if not tag.decomposed and not _in_article(tag):
            tag.decompose()
    parts: list[str] = []
    for container in containers:
        if container.decomposed:
            continue
        lines: list[str] = []
        if page_title and container.find(_HEADINGS) is None:
            lines.append(page_title)
        _Walker(lines).walk(container)
        if lines:
            parts.append("\n\n".join(lines))
    return "\n\n".join(parts)


def _in_article(tag: Tag) -> bool:
    """Whether ``tag`` sits in an ``<article>`` or ``<main>``, where a header or footer holds
    the article's own title and signature rather than the page's furniture."""
    return any(parent.name in ("article", "main") for parent in tag.parents)


def _page_title(soup: BeautifulSoup) -> str:
    for h1 in soup.find_all("h1"):
        in_furniture = any(parent.name in _PAGE_FURNITURE for parent in h1.parents)
        if not in_furniture or _in_article(h1):
            text = _clean_inline(h1.get_text())
            if text:
                return text
    title = soup.find("title")
    return _clean_inline(title.get_text()) if isinstance(title, Tag) else ""


def _containers(soup: BeautifulSoup) -> list[Tag]:
    articles = [
        tag for tag in soup.find_all("article") if not any(parent.name == "article" for parent in tag.parents)
    ]
    if articles:
        return articles
    main = soup.find("main")
    if isinstance(main, Tag):
        return [main]
    best: Tag | None = None
    best_length = 0
    for paragraph in soup.find_all("p"):
        parent = paragraph.parent
        if not isinstance(parent, Tag):
            continue
        length = sum(len(p.get_text(strip=True)) for p in parent.find_all("p", recursive=False))
        if length > best_length:
            best, best_length = parent, length
    if best is not None:
        return [best]
    body = soup.find("body")
    return [body] if isinstance(body, Tag) else []


def _clean_inline(text: str) -> str:
    return _join_wrapped(text).strip()


def _join_wrapped(text: str) -> str:
    """Collapse HTML whitespace: a run holding a line break is a source wrap (dropped between
    CJK characters, a space between Latin letters); any other run becomes one space."""

    def replace(match: re.Match[str]) -> str:
        run = match.group()
        if "\n" not in run and "\r" not in run:
            return " "
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not before or not after:
            return ""
        return " " if (before.isascii() and after.isascii()) else ""

    return _SPACE_RUN.sub(replace, text)


class _Walker:
    """Turns one container's tree into lines; block elements end the current line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.buffer: list[str] = []
        self.prefix = ""

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    self.buffer.append(str(child))
            elif isinstance(child, Tag):
                self._tag(child)

    def _tag(self, tag: Tag) -> None:
        if tag.name == "br":
            self.flush()
            return
        if tag.name not in _BLOCK_TAGS:
            self.walk(tag)
            return
        self.flush()
        if tag.name == "li":
            self.prefix = self._item_marker(tag)
        self.walk(tag)
        self.flush()
        self.prefix = ""

    @staticmethod
    def _item_marker(item: Tag) -> str:
        parent = item.parent
        if not isinstance(parent, Tag) or parent.name != "ol":
            return "- "
        start = parent.get("start")
        first = int(start) if isinstance(start, str) and start.strip().isdigit() else 1
        earlier = sum(1 for sibling in item.find_previous_siblings("li"))
        return f"{first + earlier} "

    def flush(self) -> None:
        text = _clean_inline("".join(self.buffer))
        self.buffer = []
        if not text:
            return
        self.lines.append(self.prefix + text)
        self.prefix = ""
