"""Stage 1, read: paths → documents (decoded text of .txt, .md, .html, .jsonl inputs).

Named files and folders are read in the order given; folders recursively, in sorted
order, keeping only the known extensions (names starting with a dot are skipped, and
symbolic links to folders are not followed). Bytes are decoded as UTF-8 (with or
without BOM), then GB18030, then whatever charset-normalizer recognises among the
Chinese and Unicode encodings; line ends become ``\\n``. The characters themselves are
kept as written (no NFKC here: later stages match on NFKC but quote the original as
evidence), except NUL characters, which are dropped, and unpaired surrogates (which
JSON's ``\\ud800`` escapes can make), which become U+FFFD.

HTML is reduced to its article text, Markdown to plain lines, and each JSON Lines
record becomes its own document; a JSON Lines file is read one line at a time, so its
size does not bound memory. An input that cannot be read, or whose reading fails in
any way, is reported to ``on_error`` as an :class:`~castkg.errors.InputError` and
skipped; the rest still read. A file name that is not valid UTF-8 is shown, and used
as the document's source, with its odd bytes written ``\\xff``.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from charset_normalizer import from_bytes

from castkg.errors import InputError, OverBudgetError
from castkg.limits import MAX_FILE_BYTES, SECONDS_PER_INPUT, OverBudget, cpu_budget
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
_SNIFF_BYTES = 1024 * 1024
"""How much of a JSON Lines file decides its encoding."""
_UNPAIRED_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# --- public entry point -----------------------------------------------------


def read_paths(
    paths: Iterable[str | Path],
    on_error: ErrorHandler,
    *,
    strict: bool = False,
    seconds: float | None = SECONDS_PER_INPUT,
) -> Iterator[Document]:
    """Yield one Document per readable input under ``paths``; report each bad one to ``on_error``.

    ``paths`` are files or folders; a folder is searched recursively in sorted order for
    ``.txt``, ``.md``, ``.html``/``.htm`` and ``.jsonl`` files, a named file of another
    extension is read as text. ``Document.source`` is the path as given, relative where
    it was relative, in POSIX form as pathlib normalises it (``./a//b.txt`` → ``a/b.txt``);
    a file found in a folder is the folder so written joined with its relative path.

    Returns a lazy iterator of :class:`Document` (one per file, one per JSON Lines record).
    Raises nothing for a bad input: a missing path, a pipe or device, an empty, binary,
    undecodable or too large file, a bad JSON Lines record, a file that takes more than
    ``seconds`` of CPU to read, and any exception while reading a file are each passed to
    ``on_error`` as an :class:`InputError` and skipped. With ``strict`` an unexpected
    exception (a bug) is raised instead.
    """
    for path in input_files(paths, on_error):
        yield from read_file(path, on_error, strict=strict, seconds=seconds)


def input_files(paths: Iterable[str | Path], on_error: ErrorHandler) -> Iterator[Path]:
    """The files :func:`read_paths` reads under ``paths``, in the order it reads them; a missing
    path, a broken link and a folder without inputs are reported to ``on_error`` where they come."""
    for given in paths:
        yield from _files_given(str(given), on_error)


def read_file(
    path: Path,
    on_error: ErrorHandler,
    *,
    strict: bool = False,
    seconds: float | None = SECONDS_PER_INPUT,
    data: bytes | None = None,
) -> Iterator[Document]:
    """The documents of one input file (one, or one per JSON Lines record), as :func:`read_paths`
    reads it; ``data`` is the file's bytes when the caller has read them already (then the file
    itself is not opened: it may be on another machine). Every failure is reported to ``on_error``."""
    yield from _guarded(path, on_error, strict, seconds, data)


def open_input(path: Path, limit: int) -> bytes | None:
    """The bytes of the input file ``path`` when it has at most ``limit`` of them, else None.
    Raises :class:`InputError` as reading it would (a pipe, a device, a folder, not readable)."""
    with _open_regular(path, shown(path)) as stream:
        data = stream.read(limit + 1)
    return data if len(data) <= limit else None


def shown(path: str | Path) -> str:
    """A path as castkg shows and records it: POSIX form, bytes that are not UTF-8 as ``\\xff``
    and control characters as ``\\x0a``, so that it is valid text on one line."""
    text = os.fsencode(Path(path).as_posix()).decode("utf-8", "backslashreplace")
    return _CONTROL_IN_NAME.sub(lambda match: f"\\x{ord(match[0]):02x}", text)


def _files_given(given: str, on_error: ErrorHandler) -> Iterator[Path]:
    path = Path(given)
    if path.is_dir():
        files = _files_in_folder(path, on_error)
        if not files:
            on_error(
                InputError(f"{shown(given)}: no .txt, .md, .html or .jsonl files in this folder, skipped")
            )
        for relative in files:
            yield path / relative
    elif path.exists():
        yield path
    elif path.is_symlink():
        on_error(InputError(f"{shown(given)}: a broken or looping symbolic link, skipped"))
    else:
        on_error(InputError(f"{shown(given)}: no such file or folder"))


def _files_in_folder(folder: Path, on_error: ErrorHandler) -> list[Path]:
    """The candidate input files under ``folder``, relative to it, in sorted order.

    Hidden names are skipped; symbolic links to folders are not followed (so a link loop is
    harmless); a subfolder that cannot be listed is reported.
    """

    def unlisted(error: OSError) -> None:
        on_error(InputError(f"{shown(error.filename or folder)}: cannot list ({error.strerror}), skipped"))

    found: list[Path] = []
    for top, folders, names in os.walk(folder, onerror=unlisted):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_SUFFIXES:
                found.append(Path(top, name).relative_to(folder))
    return sorted(found, key=lambda relative: relative.parts)


# --- one file ---------------------------------------------------------------


def _guarded(
    path: Path, on_error: ErrorHandler, strict: bool, seconds: float | None, data: bytes | None = None
) -> Iterator[Document]:
    """The documents of one file; any failure while reading it is that file's, reported and skipped."""
    source = shown(path)
    try:
        yield from _read_file(path, source, on_error, seconds, data)
    except Exception as error:  # a bug in reading one file must not lose the others
        if strict:
            raise
        on_error(
            InputError(
                f"{source}: reading failed ({_one_line(error)}); skipped, rerun with --debug for the "
                "traceback and please report it"
            )
        )


def _one_line(error: BaseException, limit: int = 200) -> str:
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open_regular(path: Path, source: str) -> BinaryIO:
    """The file opened for reading; a pipe, socket or device is refused without blocking on it."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise InputError(f"{source}: cannot read ({error.strerror or error}), skipped") from error
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe, socket or device)"
        raise InputError(f"{source}: {kind}, skipped")
    return os.fdopen(descriptor, "rb")


def _read_file(
    path: Path, source: str, on_error: ErrorHandler, seconds: float | None, data: bytes | None = None
) -> Iterator[Document]:
    suffix = path.suffix.lower()
    try:
        stream = _open_regular(path, source) if data is None else io.BytesIO(data)
    except InputError as error:
        on_error(error)
        return
    with stream:
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_documents(stream, source, on_error)
            return
        try:
            document = _whole_file(stream, suffix, source, seconds)
        except InputError as error:
            on_error(error)
            return
    log.debug("read %s (%s, %d characters)", source, document.encoding, len(document.text))
    yield document


def _whole_file(stream: BinaryIO, suffix: str, source: str, seconds: float | None) -> Document:
    """A text, Markdown or HTML file as one Document; raises InputError when it cannot be one."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"{source}: larger than {MAX_FILE_BYTES // 2**20} MiB, skipped; split it into smaller files"
        )
    date: dt.date | None = None
    try:
        with cpu_budget(seconds):
            text, encoding = decode(data, source)
            if suffix in HTML_SUFFIXES:
                text = html_to_text(text)
            elif suffix in MARKDOWN_SUFFIXES:
                text, date = markdown_to_text(text)
    except OverBudget:
        raise OverBudgetError(
            f"{source}: reading took more than {seconds:g} s of CPU; skipped (an unusual shape of page: "
            "please report it; castkg build --cpu-budget raises the budget)"
        ) from None
    if not text.strip():
        raise InputError(f"{source}: no article text found, skipped")
    return Document(source=source, text=text, encoding=encoding, date=date)


def clean_text(text: str) -> str:
    """``text`` without NUL characters and with each unpaired surrogate replaced by U+FFFD."""
    return _UNPAIRED_SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Decode the bytes of one input file into text with ``\\n`` line ends.

    NUL characters are dropped and unpaired surrogates replaced (:func:`clean_text`).
    Returns ``(text, encoding name)``. Raises :class:`InputError` when the file is empty
    (or whitespace only), binary (more than a few control characters, NUL included), or
    in no encoding castkg recognises.
    """
    if not data.strip():
        raise InputError(f"{source}: empty file, skipped")
    text, encoding = _decode_bytes(data, source)
    text = normalise_line_ends(text.removeprefix("\ufeff"))
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise InputError(f"{source}: not text (binary content), skipped")
    text = clean_text(text)
    if not text.strip():
        raise InputError(f"{source}: empty file, skipped")
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
    if b"\x00" in data:  # UTF-16 or UTF-32 without a byte-order mark, or text with a stray NUL
        wide = _detect(data)
        if wide is not None and wide[1].startswith(("utf_16", "utf_32")):
            return wide
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


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""Control codes other than tab, line and page breaks (\\t \\n \\v \\f \\r)."""


def _control_share(text: str) -> float:
    """The share of characters that are control codes other than tab, line and page breaks."""
    return len(_CONTROL_CHARS.findall(text)) / max(len(text), 1)


def normalise_line_ends(text: str) -> str:
    """Return ``text`` with CRLF and lone CR line ends turned into ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- JSON Lines -------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WHOLE_FILE_ENCODINGS = ("utf-16", "utf-32")
"""Encodings whose line breaks are not the byte 0x0A: such a JSON Lines file is read whole."""


def _jsonl_encoding(stream: BinaryIO, source: str) -> str:
    """The encoding of a JSON Lines file, decided by its first MiB (cut after a whole line)."""
    head = stream.read(_SNIFF_BYTES)
    end = head.rfind(b"\n")
    if end < 0 and len(head) == _SNIFF_BYTES:
        head += stream.readline(MAX_FILE_BYTES)  # the first line is longer than the sample
    elif end >= 0:
        head = head[: end + 1]
    return decode(head, source)[1]


def _jsonl_documents(stream: BinaryIO, source: str, on_error: ErrorHandler) -> Iterator[Document]:
    try:
        encoding = _jsonl_encoding(stream, source)
    except InputError as error:
        on_error(error)
        return
    stream.seek(0)
    seen: set[str] = set()
    for number, line in _jsonl_lines(stream, encoding):
        if line is None:
            on_error(
                InputError(f"{source}:{number}: longer than {MAX_FILE_BYTES // 2**20} MiB; line skipped")
            )
            continue
        if not line.strip():
            continue
        try:
            record_id, record_text, date = _parse_record(line, encoding)
        except ValueError as error:
            on_error(InputError(f"{source}:{number}: {_flat(error)}; line skipped"))
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


def _flat(error: ValueError) -> str:
    return " ".join(str(error).split())


def _jsonl_lines(stream: BinaryIO, encoding: str) -> Iterator[tuple[int, bytes | None]]:
    """Numbered raw lines (CRLF and CR end lines too); None for a line over the size cap."""
    if encoding.replace("_", "-").startswith(_WHOLE_FILE_ENCODINGS):
        data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            yield 1, None  # too large to read whole: reported as its first line
            return
        text = data.decode(encoding, "replace")
        for number, line in enumerate(normalise_line_ends(text).split("\n"), start=1):
            yield number, line.encode(encoding)
        return
    number = 0
    while raw := stream.readline(MAX_FILE_BYTES + 1):
        if len(raw) > MAX_FILE_BYTES and not raw.endswith(b"\n"):
            while (rest := stream.readline(_SNIFF_BYTES)) and not rest.endswith(b"\n"):
                pass  # the rest of the over-long line
            number += 1
            yield number, None
            continue
        pieces = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        if raw.endswith((b"\n", b"\r")):
            pieces.pop()
        for piece in pieces:
            number += 1
            yield number, piece


def _parse_record(line: bytes, encoding: str) -> tuple[str, str, dt.date | None]:
    """One JSON Lines record as (id, text, date). Raises ValueError saying what is wrong."""
    try:
        decoded = line.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ValueError(f"not {encoding} text (byte {error.start + 1})") from error
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg} at column {error.colno})") from error
    except RecursionError as error:
        raise ValueError("JSON nested too deep") from error
    if not isinstance(record, dict):
        raise ValueError('not a JSON object with "id" and "text"')
    record_id = record.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int) or str(record_id) == "":
        raise ValueError('"id" missing or not a string or integer')
    record_text = record.get("text")
    if not isinstance(record_text, str) or not record_text.strip():
        raise ValueError('"text" missing or empty')
    text = clean_text(record_text)
    if not text.strip():
        raise ValueError('"text" missing or empty')
    return _clean_id(str(record_id)), text, _parse_date(record.get("date"))


def _clean_id(record_id: str) -> str:
    return _CONTROL_IN_NAME.sub(lambda match: f"\\x{ord(match[0]):02x}", clean_text(record_id))


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
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)")
_MD_CLOSING_HASHES = re.compile(r"(?:^|\s)#+$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_BULLET = re.compile(r"^(\s*)([-*+])\s+")
# Each inline pattern stops at the next opening of its own kind (possessive quantifiers, no
# bracket inside link text, no delimiter inside emphasis): with ".+?" a line of 20,000 "*a "
# took 35 s, each opening searching to the end of the line for its close.
_MD_IMAGE = re.compile(r"!\[[^\][]*+\]\([^()]*+\)")
_MD_LINK = re.compile(r"\[([^\][]*+)\]\((?:[^()]++|\([^()]*+\))*+\)")
_MD_REF_LINK = re.compile(r"\[([^\][]++)\]\[[^\][]*+\]")
_MD_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")
_MD_EMPHASIS_STAR = re.compile(r"\*(?=\S)([^*]+?)(?<=\S)\*")
_MD_EMPHASIS_UNDERSCORE = re.compile(
    r"(?<![A-Za-z0-9])_(?=\S)((?:[^_]|(?<=[A-Za-z0-9])_(?=[A-Za-z0-9]))+?)(?<=\S)_(?![A-Za-z0-9])"
)
_MD_STRIKE = re.compile(r"~~(?=\S)((?:(?!~~).)+?)(?<=\S)~~")
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
        line = _MD_CLOSING_HASHES.sub("", line[heading.end() :].rstrip()).rstrip()
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
    in_article = _inside(soup, ("article", "main"))
    page_title = _page_title(soup, in_article)
    containers = _containers(soup)
    for tag in soup.find_all(_PAGE_FURNITURE):
        if not tag.decomposed and id(tag) not in in_article:
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


def _inside(soup: BeautifulSoup, names: tuple[str, ...]) -> set[int]:
    """The ids of every element inside an element of one of ``names``, found in one pass.

    Inside an ``<article>`` or ``<main>`` a header or footer holds the article's own title and
    signature rather than the page's furniture.
    """
    inside: set[int] = set()
    for outer in soup.find_all(names):
        if id(outer) not in inside:
            inside.update(id(tag) for tag in outer.descendants if isinstance(tag, Tag))
    return inside


def _page_title(soup: BeautifulSoup, in_article: set[int]) -> str:
    in_furniture = _inside(soup, _PAGE_FURNITURE)
    for h1 in soup.find_all("h1"):
        if id(h1) not in in_furniture or id(h1) in in_article:
            text = _clean_inline(h1.get_text())
            if text:
                return text
    title = soup.find("title")
    return _site_name_cut(_clean_inline(title.get_text())) if isinstance(title, Tag) else ""


def _containers(soup: BeautifulSoup) -> list[Tag]:
    articles = [
        tag for tag in soup.find_all("article") if not any(parent.name == "article" for parent in tag.parents)
    ]
    if articles:
        return articles
    main = soup.find("main")
    if isinstance(main, Tag):
        return [main]
    parents: dict[int, Tag] = {}  # in order of their first <p>
    lengths: dict[int, int] = {}  # the text length of each one's <p> children, summed in one pass
    for paragraph in soup.find_all("p"):
        parent = paragraph.parent
        if isinstance(parent, Tag):
            parents.setdefault(id(parent), parent)
            lengths[id(parent)] = lengths.get(id(parent), 0) + len(paragraph.get_text(strip=True))
    best = max(parents, key=lambda key: lengths[key], default=None)  # the first of the longest
    if best is not None and lengths[best] > 0:
        return [_with_its_heading(parents[best])]
    body = soup.find("body")
    return [body] if isinstance(body, Tag) else []


HEADING_LEVELS = 8
"""How many ancestors of the article's paragraphs are looked at for its title and byline."""
WRAPPER_SLACK = 10
"""An ancestor adding at most this many characters is a wrapper (a <tr>, a <tbody>), climbed through."""
HEADING_EXTRA_CHARS = 300
"""At most this much text (or half the article's, when that is more) may stand around the article
in its parent for the parent to be read instead: the title and byline above the paragraphs."""


def _with_its_heading(container: Tag) -> Tag:
    """The element holding the most paragraph text, or the nearest ancestor that adds little to it:
    the title and byline (date, source) a page puts right above its paragraphs, in a <div> or in
    the table rows around them. Wrappers that add no text are climbed through; one step that adds
    text is taken when it adds at most ``HEADING_EXTRA_CHARS`` (or half the article's text). The
    segment stage drops what else of the page that brings (share bars, related lists)."""
    own = len(container.get_text(strip=True))
    budget = max(HEADING_EXTRA_CHARS, own // 2)
    current, size = container, own
    for _ in range(HEADING_LEVELS):
        parent = current.parent
        if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
            break
        extra = len(parent.get_text(strip=True)) - size
        if extra > WRAPPER_SLACK:
            if extra > budget:
                break
            return parent
        current, size = parent, size + extra
    return container


def _site_name_cut(title: str) -> str:
    """A page's <title> without the site and channel names after it (…启动_新闻频道_某某网)."""
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    return max(parts, key=len).strip() if parts else title


_TITLE_SEPARATORS = re.compile(r"\s*(?:_+|\||(?<!\d)-(?!\d)|\s[–—]\s)\s*")


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
    """Turns one container's tree into lines; block elements end the current line.

    The tree is walked with an explicit stack, not recursion, so that no nesting depth
    (500 inline tags, a list 1,000 levels deep) can exhaust Python's stack.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.buffer: list[str] = []
        self.prefix = ""
        self.items_seen: dict[int, int] = {}
        """Per ``<ol>`` (by id), how many of its ``<li>`` were walked: the next one's number."""

    def walk(self, node: Tag) -> None:
        stack: list[tuple[Iterator[object], bool]] = [(iter(node.children), False)]
        while stack:
            children, is_block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if is_block:
                    self.flush()
                    self.prefix = ""
            elif isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    self.buffer.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    self.flush()
                    continue
                is_block = child.name in _BLOCK_TAGS
                if is_block:
                    self.flush()
                    if child.name == "li":
                        self.prefix = self._item_marker(child)
                stack.append((iter(child.children), is_block))

    def _item_marker(self, item: Tag) -> str:
        parent = item.parent
        if not isinstance(parent, Tag) or parent.name != "ol":
            return "- "
        start = parent.get("start")
        first = int(start) if isinstance(start, str) and start.strip().isdigit() else 1
        earlier = self.items_seen.get(id(parent), 0)
        self.items_seen[id(parent)] = earlier + 1
        return f"{first + earlier} "

    def flush(self) -> None:
        text = _clean_inline("".join(self.buffer))
        self.buffer = []
        if not text:
            return
        self.lines.append(self.prefix + text)
        self.prefix = ""
