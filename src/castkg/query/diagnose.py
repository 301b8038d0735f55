"""Messages that help: a query's syntax errors, unknown prefixes and misspelt castkg terms, in one line.

pyoxigraph reports a syntax error as the furthest place its parser reached and everything it
would have accepted there (Unicode ranges included). castkg turns that into one line naming
the place (line:column), the token found and a short list of what could come instead, and
recognises the two commonest mistakes: an undeclared prefix and a misspelt query form.
Terms in castkg's namespace that the ontology does not declare are reported with the
nearest declared one, as warnings: such a query runs, and finds nothing.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping

import pyoxigraph as ox

from castkg.errors import QueryError
from castkg.graphs import PREFIXES, ontology_file
from castkg.query.scan import Token, line_column, offset_of, prologue, tokens

_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
_CKG = PREFIXES["ckg"]
_SHOWN = 6
KEYWORDS = tuple(
    re.findall(
        r"\S+",
        """SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED AS GROUP BY ORDER ASC
    DESC HAVING LIMIT OFFSET VALUES UNDEF OPTIONAL UNION MINUS GRAPH SERVICE SILENT FILTER BIND EXISTS
    NOT IN STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN
    UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES
    SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM
    ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    SEPARATOR TRUE FALSE""",
    )
)
"""SPARQL 1.1's keywords and function names, for "did you mean"."""


@functools.cache
def ontology_terms() -> frozenset[str]:
    """The local names the ontology declares in the ``ckg:`` namespace."""
    terms = set()
    for triple in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE):
        subject = triple.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(_CKG):
            terms.add(subject.value[len(_CKG) :])
    return frozenset(terms)


def _known_prefixes(text: str, prefixes: Mapping[str, str]) -> list[str]:
    return list(dict.fromkeys([*prefixes, *prologue(text, prefixes).declared]))


def _items(detail: str) -> list[str]:
    detail = detail.removeprefix("expected one of ").removeprefix("expected ")
    found = re.findall(r"\[[^\]]*\]|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^,\s][^,]*", detail)
    return [item.strip() for item in found]


def _keywords_only(items: list[str]) -> bool:
    """Whether Oxigraph expected only keywords: its keyword rule reads as many characters as the
    keyword has before it fails, so it reports a place that many characters too far."""
    return bool(items) and all(
        item == "[_]" or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", item) for item in items
    )


def _expected(detail: str) -> str:
    """The short form of what Oxigraph expected: keywords and punctuation, not character ranges."""
    items = _items(detail)
    shown = []
    for item in items:
        if item.startswith("['0'"):
            item = "a digit"
        elif "'A' ..= 'Z'" in item or "'a' ..= 'z'" in item:
            item = "a name"
        if not item or item.startswith("[") or item in ("Prefix not found", "IRI parsing failed"):
            continue
        if item.startswith('"') and item.endswith('"'):
            item = item[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        shown.append(item)
    shown = list(dict.fromkeys(shown))
    if not shown:
        return ""
    if len(shown) == 1:
        return f"; expected {shown[0]}"
    listed = ", ".join(shown[:_SHOWN]) + (", …" if len(shown) > _SHOWN else "")
    return f"; expected one of {listed}"


def _token_at(text: str, offset: int) -> Token | None:
    for token in tokens(text[offset:]):
        return Token(token.kind, token.text, token.start + offset)
    return None


def _found(token: Token | None) -> str:
    if token is None:
        return "the end of the query"
    shown = token.text if len(token.text) <= 40 else token.text[:37] + "…"
    return repr(shown.replace("\n", " "))


def syntax_error(
    exc: SyntaxError, source: str, text: str, prefixes: Mapping[str, str] = PREFIXES
) -> QueryError:
    """Turn pyoxigraph's parse error into one line: ``SOURCE:LINE:COLUMN: …`` with the token found."""
    message = str(exc)
    match = _ERROR_AT.match(message)
    if not match:
        return QueryError(f"{source}: SPARQL syntax error: {' '.join(message.split())}")
    line, column, detail = int(match[1]), int(match[2]), " ".join(match[3].split())
    offset = offset_of(text, line, column)
    known = _known_prefixes(text, prefixes)
    head = prologue(text, prefixes)
    first = _token_at(text, head.end)
    if (
        first is not None
        and first.kind == "word"
        and not any(first.text.upper().startswith(f) for f in _FORMS)
    ) and first.text.upper() not in ("PREFIX", "BASE", "VALUES"):
        where = "{}:{}:{}".format(source, *line_column(text, first.start))
        guess = difflib.get_close_matches(first.text.upper(), _FORMS, n=1, cutoff=0.6)
        hint = f"; did you mean {guess[0]}?" if guess else ""
        return QueryError(
            f"{where}: SPARQL syntax error: found {first.text!r} where a query starts with "
            f"SELECT, CONSTRUCT, ASK or DESCRIBE{hint}"
        )
    if "Prefix not found" in detail:
        unknown = [
            token
            for token in tokens(text)
            if token.kind == "pname" and token.text.split(":", 1)[0] not in known and token.start < offset
        ]
        if unknown:
            prefix = unknown[-1].text.split(":", 1)[0]
            where = "{}:{}:{}".format(source, *line_column(text, unknown[-1].start))
            return QueryError(
                f"{where}: unknown prefix {prefix}: (known: {', '.join(known)}); "
                f"declare it with PREFIX {prefix}: <…>"
            )
    items = _items(detail)
    if _keywords_only(items):
        shortest = min(len(item) for item in items if item != "[_]") if items != ["[_]"] else 0
        offset = max(offset - shortest, 0)
        while offset > 0 and text[offset - 1] not in " \t\r\n{}().;,":  # back to the token's start
            offset -= 1
        line, column = line_column(text, offset)
    found = _token_at(text, offset)
    if found is not None and found.kind == "word" and found.text.upper() not in KEYWORDS:
        guess = difflib.get_close_matches(found.text.upper(), KEYWORDS, n=1, cutoff=0.7)
        if guess:
            where = f"{source}:{line}:{column}"
            return QueryError(
                f"{where}: SPARQL syntax error: found {_found(found)}; did you mean {guess[0]}?"
            )
    return QueryError(
        f"{source}:{line}:{column}: SPARQL syntax error: found {_found(found)}{_expected(detail)}"
    )


def unknown_terms(text: str, prefixes: Mapping[str, str] = PREFIXES, source: str | None = None) -> list[str]:
    """Warnings for the ``ckg:`` terms of ``text`` the ontology does not declare, with the nearest one."""
    namespaces = prologue(text, prefixes).prefixes or dict(prefixes)
    declared = ontology_terms()
    warnings = []
    for token in tokens(text):
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            iri = namespaces.get(prefix, "") + local.replace("\\", "")
        elif token.kind == "iri":
            iri = token.text[1:-1]
        else:
            continue
        if not iri.startswith(_CKG) or iri[len(_CKG) :] in declared or not iri[len(_CKG) :]:
            continue
        local = iri[len(_CKG) :]
        shown = token.text if token.kind == "pname" else f"<{iri}>"
        where = "{}:{}:{}: ".format(source, *line_column(text, token.start)) if source else ""
        guess = difflib.get_close_matches(local, sorted(declared), n=1, cutoff=0.6)
        hint = f"; did you mean ckg:{guess[0]}?" if guess else ""
        warnings.append(f"{where}{shown} is not in the castkg ontology{hint}")
    return list(dict.fromkeys(warnings))
