"""Reading a SPARQL query's text the way Oxigraph's parser reads it, without running it.

Two readers:

* :func:`service_positions` decides whether a query can call ``SERVICE``. It is the endpoint's
  guard against outbound requests, so it is built to be *sound* against the parser that
  really runs the query (pyoxigraph's, a PEG grammar with backtracking), not against the
  grammar in the SPARQL specification: Oxigraph matches keywords without word boundaries
  (``SERVICEex:s{}`` is ``SERVICE ex:s {}``), takes ``<`` as an IRI or as "less than"
  depending on context, and falls back from ``ex:local`` to ``ex:`` when ``local`` makes a
  bad IRI. The keyword needs the seven ASCII letters ``service`` in a row, so the reader looks
  only at those places and asks whether *any* way Oxigraph could read the text around them
  puts them in code; only text that every reading puts in a string, a comment, a variable
  name or a valid prefixed name is let through. Where it is unsure, it says "SERVICE".
* :func:`tokens` is the everyday reader (one reading, the usual one) behind the messages:
  the query form, prefixes used, variables, nesting depth, the token at an error position.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

# The character classes of Oxigraph's grammar, plus the astral planes: a superset is the safe
# side (Oxigraph rejects an astral character in code, so reading one as a name hides nothing
# that Oxigraph would run).
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = re.compile(f"[{_BASE}][{_CHARS}]*(?:\\.+[{_CHARS}]+)*")
_PN_LOCAL = re.compile(f"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*(?:\\.+(?:[{_CHARS}:]|{_PLX})+)?")
_PN_RUN_CHAR = re.compile(f"[{_CHARS}.]")
_VARNAME = re.compile(f"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f\u2040]*")
_BNODE_LABEL = re.compile(f"[{_U}0-9][{_CHARS}]*(?:\\.+[{_CHARS}]+)*")
_ESCAPE = r"""\\[tbnrf"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""
# Oxigraph's strings, as its PEG reads them: the long forms take at most two quotes before
# each character and never give them back (atomic groups, possessive repetition).
_STRINGS = {
    '"""': re.compile(f'"""(?:(?>(?:""|")?)(?:[^"\\\\]|{_ESCAPE}))*+"""'),
    "'''": re.compile(f"'''(?:(?>(?:''|')?)(?:[^'\\\\]|{_ESCAPE}))*+'''"),
    '"': re.compile(f'"(?:[^"\\\\\\n\\r]|{_ESCAPE})*"'),
    "'": re.compile(f"'(?:[^'\\\\\\n\\r]|{_ESCAPE})*'"),
}
_LINE_END = re.compile(r"[\r\n]")
_SPECIAL = re.compile(r"""["'#<:\\?$/]""")
_SERVICE = re.compile("service", re.IGNORECASE | re.ASCII)
_WS = re.compile(r"(?:[ \t\r\n]|#[^\r\n]*)*")
_IRIREF = re.compile(r"<([^>]*)>")
# What an IRI between < and > can hold for Oxigraph: a raw space, control character, quote,
# brace, bar, caret, backtick, < or stray backslash always makes it refuse the IRI.
_IRI_BODY = re.compile(r"(?:[^\x00-\x20<>\"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_DECLARATION = re.compile("base|prefix", re.IGNORECASE | re.ASCII)


def _bad_code_point(code: int) -> bool:
    return code > 0x10FFFF or 0xD800 <= code <= 0xDFFF


def _has_bad_escape(text: str) -> bool:
    """Whether a string holds a ``\\u``/``\\U`` escape Oxigraph refuses (a surrogate, past U+10FFFF)."""
    return any(_bad_code_point(int(match[1] or match[2], 16)) for match in _UCHAR.finditer(text))


def _skip_space(text: str, position: int) -> int:
    """The offset after the spaces and comments at ``position``."""
    match = _WS.match(text, position)
    return match.end() if match else position


def _valid_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _unescape_iri(text: str) -> str | None:
    """An IRIREF's content with its ``\\u``/``\\U`` escapes decoded; None for any other backslash."""
    out, last = [], 0
    for match in _UCHAR.finditer(text):
        out.append(text[last : match.start()])
        code = int(match[1] or match[2], 16)
        if _bad_code_point(code):
            return None
        out.append(chr(code))
        last = match.end()
    out.append(text[last:])
    result = "".join(out)
    return None if "\\" in "".join(out[::2]) else result


@dataclass(frozen=True)
class Prologue:
    """The ``BASE``/``PREFIX`` lines that open a query, read as Oxigraph reads them."""

    prefixes: dict[str, str] | None
    """The prefixes in force after the prologue (``known`` plus the declared ones), or None when
    they cannot be known exactly (a ``BASE`` line, an escape castkg does not decode …)."""
    end: int
    """Where the prologue (and the space after it) ends: the query form starts here."""
    declared: tuple[str, ...] = ()
    """The prefixes the query declares itself, in order."""


def prologue(text: str, known: Mapping[str, str]) -> Prologue:
    """Read the query's opening ``PREFIX`` and ``BASE`` declarations, starting from ``known``."""
    prefixes: dict[str, str] | None = dict(known)
    declared: list[str] = []
    position = _skip_space(text, 0)
    while True:
        keyword = _DECLARATION.match(text, position)
        word = keyword.group().upper() if keyword else ""
        if word == "BASE":
            after = _skip_space(text, position + 4)
            iri = _IRIREF.match(text, after)
            if not iri:
                break
            prefixes = None  # relative IRIs may follow; castkg does not resolve them itself
            position = _skip_space(text, iri.end())
        elif word == "PREFIX":
            after = _skip_space(text, position + 6)
            name = _PN_PREFIX.match(text, after)
            colon = name.end() if name else after
            if not text.startswith(":", colon):
                break
            iri = _IRIREF.match(text, _skip_space(text, colon + 1))
            if not iri:
                break
            prefix = text[after:colon]
            value = _unescape_iri(iri[1])
            declared.append(prefix)
            if prefixes is not None:
                if value is None or not _valid_iri(value):
                    prefixes = None
                else:
                    prefixes[prefix] = value
            position = _skip_space(text, iri.end())
        else:
            break
    return Prologue(prefixes, position, tuple(declared))


class _ServiceReader:
    """Every way Oxigraph's parser could split the text into code, strings and comments.

    A state is a position where some reading is in code; each is followed once. A reading
    forks where Oxigraph's grammar could go two ways (``<``: an IRI or "less than"; ``\"\"\"``:
    a long string or an empty one; ``p:local``: a prefixed name or the prefix alone) and ends
    where Oxigraph would fail for sure (a backslash in code, ``//``, an undeclared prefix).
    """

    def __init__(self, text: str, prefixes: Mapping[str, str] | None) -> None:
        self.text = text
        self.prefixes = prefixes
        self.occurrences = [match.start() for match in _SERVICE.finditer(text)]
        self.flagged: set[int] = set()

    def run(self) -> list[int]:
        if not self.occurrences:
            return []
        seen: set[int] = set()
        todo = [0]
        while todo:
            start = todo.pop()
            if start not in seen and start <= len(self.text):
                seen.add(start)
                todo.extend(self._code(start))
        return sorted(self.flagged)

    def _flag(self, start: int, end: int) -> None:
        """Every ``service`` starting in text[start:end] is code in some reading."""
        index = bisect_left(self.occurrences, start)
        while index < len(self.occurrences) and self.occurrences[index] < end:
            self.flagged.add(self.occurrences[index])
            index += 1

    def _code(self, position: int) -> list[int]:
        """Follow code from ``position`` to the next fork; return where the readings go on."""
        text = self.text
        while True:
            special = _SPECIAL.search(text, position)
            end = special.start() if special else len(text)
            if special and text[end] == ":":
                run = end
                while run > position and _PN_RUN_CHAR.match(text, run - 1):
                    run -= 1
                self._flag(position, run)
                return self._prefixed_name(run, end)
            self._flag(position, end)
            if not special:
                return []
            char = text[end]
            if char == "#":
                line_end = _LINE_END.search(text, end)
                if not line_end:
                    return []
                position = line_end.start()
            elif char in "\"'":
                return self._string(end)
            elif char == "<":  # "less than" (or "<<"), or an IRI when what follows can be one
                body_match = _IRI_BODY.match(text, end + 1)
                body = body_match.end() if body_match else end + 1
                return [end + 1] + ([body + 1] if text.startswith(">", body) else [])
            elif char == "\\":
                return []  # a backslash outside strings, IRIs and local names: Oxigraph fails here
            elif char in "?$":
                name = _VARNAME.match(text, end + 1)
                position = name.end() if name else end + 1
            elif text.startswith("//", end):
                return []  # no SPARQL reading has two slashes in code
            else:
                position = end + 1

    def _string(self, start: int) -> list[int]:
        text = self.text
        quote = text[start]
        if text.startswith(quote * 3, start):
            long = _STRINGS[quote * 3].match(text, start)
            if long and not _has_bad_escape(long.group()):
                return [long.end()]
            # the long string fails: Oxigraph reads an empty string, then goes on in code
            return [start + 2] + ([long.end()] if long else [])
        short = _STRINGS[quote].match(text, start)
        return [short.end()] if short else []

    def _prefixed_name(self, run: int, colon: int) -> list[int]:
        """Readings of ``PREFIX:local`` where the prefix may start anywhere in text[run:colon]."""
        text = self.text
        local_match = _PN_LOCAL.match(text, colon + 1)
        local_end = local_match.end() if local_match else colon + 1
        local = text[colon + 1 : local_end].replace("\\", "")
        readings: list[int] = []
        if colon > run and text[colon - 1] == "_":  # _:label, a blank node
            label = _BNODE_LABEL.match(text, colon + 1)
            label_end = label.end() if label else colon + 1
            self._flag(run, label_end)
            readings.append(label_end)
        if self.prefixes is None:  # any split may be a declared prefix, with any IRI
            self._flag(run, colon)
            return readings + [colon + 1, local_end]
        for prefix, namespace in self.prefixes.items():
            split = colon - len(prefix)
            if split < run or text[split:colon] != prefix or (prefix and not _PN_PREFIX.fullmatch(prefix)):
                continue  # this declared prefix cannot be read here; an undeclared one fails
            self._flag(run, split)  # what comes before the prefix is code in this reading
            if local and _valid_iri(namespace + local):
                readings.append(local_end)
            else:
                readings.append(colon + 1)  # Oxigraph falls back to the bare prefix: the rest is code
        return readings


_ANY_DECLARATION = re.compile(
    f"prefix(?:[ \t\r\n]|#[^\r\n]*)*((?:{_PN_PREFIX.pattern})?):", re.IGNORECASE | re.ASCII
)


def service_positions(text: str, prefixes: Mapping[str, str]) -> list[int]:
    """Where ``text`` may call ``SERVICE``: the offsets of every ``service`` (any case) that some
    reading of Oxigraph's grammar puts in code. Empty means the query cannot make an outbound
    call. ``prefixes`` are those the query runs with before its own ``PREFIX`` lines."""
    head = prologue(text, prefixes)
    known = head.prefixes
    if known is not None and any(match[1] not in head.declared for match in _ANY_DECLARATION.finditer(text)):
        known = None  # a declaration castkg did not read as Oxigraph would: take no prefix as known
    return _ServiceReader(text, known).run()


@dataclass(frozen=True)
class Token:
    """One token of the usual reading of a query."""

    kind: str
    """``string``, ``iri``, ``var``, ``pname``, ``bnode``, ``number``, ``word``, ``punct``."""
    text: str
    start: int

    @property
    def end(self) -> int:
        """Offset just after the token."""
        return self.start + len(self.text)


_STRING = "|".join(_STRINGS[quotes].pattern for quotes in ('"""', "'''", '"', "'"))
_TOKEN = re.compile(
    rf"""(?P<ws>(?:[ \t\r\n]|\#[^\r\n]*)+)
    |(?P<string>{_STRING})
    |(?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}})*>)
    |(?P<var>[?$]{_VARNAME.pattern})
    |(?P<bnode>_:{_BNODE_LABEL.pattern})
    |(?P<pname>(?:{_PN_PREFIX.pattern})?:(?:{_PN_LOCAL.pattern})?)
    |(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*|@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<punct>\^\^|&&|\|\||!=|<=|>=|<<|>>|.)""",
    re.VERBOSE | re.DOTALL,
)


def tokens(text: str) -> Iterator[Token]:
    """The tokens of the usual reading of ``text`` (whitespace and comments left out)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind != "ws":
            yield Token(kind, match.group(), match.start())


OPENERS, CLOSERS = "([{", ")]}"


def nesting(text: str, limit: int) -> tuple[int, int]:
    """The deepest nesting of brackets of the usual reading, and the offset of the first bracket
    that goes past ``limit`` levels (-1 when none does)."""
    depth = deepest = 0
    beyond = -1
    for token in tokens(text):
        if token.kind == "punct" and token.text in OPENERS:
            depth += 1
            deepest = max(deepest, depth)
            if depth > limit and beyond < 0:
                beyond = token.start
        elif token.kind == "punct" and token.text in CLOSERS:
            depth = max(depth - 1, 0)
    return deepest, beyond


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset``, as Oxigraph counts them."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def offset_of(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column."""
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found == -1:
            return len(text)
        start = found + 1
    return min(start + column - 1, len(text))
