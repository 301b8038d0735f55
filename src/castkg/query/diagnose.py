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


def _expected(detail: str) -> str:
    """The short form of what Oxigraph expected: keywords and punctuation, not character ranges."""
    detail = detail.removeprefix("expected one of ").removeprefix("expected ")
    items = re.findall(r"\[[^\]]*\]|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^,\s][^,]*", detail)
    shown = []
    for item in (item.strip() for item in items):
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
            token = unknown[-1]
            prefix = token.text.split(":", 1)[0]
            where = "{}:{}:{}".format(source, *line_column(text, token.start))
            return QueryError(
                f"{where}: unknown prefix {prefix}: (known: {', '.join(known)}); "
                f"declare it with PREFIX {prefix}: <…>"
            )
    found = _found(_token_at(text, offset))
    return QueryError(f"{source}:{line}:{column}: SPARQL syntax error: found {found}{_expected(detail)}")


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
