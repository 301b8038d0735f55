"""Running a query: parameters substituted, prefixes known, SERVICE and row limits enforced,
pyoxigraph's answer materialised into a :class:`~castkg.query.results.Result`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from castkg.errors import QueryError
from castkg.graphs import PREFIXES
from castkg.query.data import Data, to_oxigraph
from castkg.query.results import Result
from castkg.query.scan import service_positions, tokens

_XSD = PREFIXES["xsd"]

_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_QUERY_KEYWORDS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})


def param_term(value: str) -> str:
    """Write a ``--param`` value as a SPARQL term.

    ``<…>``, ``http(s)://…``, ``urn:…`` and ``prefix:local`` with a standard prefix give an IRI;
    an integer or decimal a number; ``YYYY-MM-DD`` an ``xsd:date``; anything else a plain string.
    """
    value = value.strip()
    if re.fullmatch(r"<[^<>\"{}|^`\\\s]*>", value):
        return value
    if re.fullmatch(r"(https?|urn):[^<>\"{}|^`\\\s]+", value):
        return f"<{value}>"
    prefixed = re.fullmatch(r"([A-Za-z][\w-]*):([\w.-]*)", value)
    if prefixed and prefixed[1] in PREFIXES:
        return f"<{PREFIXES[prefixed[1]]}{prefixed[2]}>"
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", value):
        return value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f'"{value}"^^<{_XSD}date>'
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid SPARQL string literal


def substitute(text: str, params: Mapping[str, str]) -> str:
    """Replace each ``?name``/``$name`` of the query by the term of ``params[name]``.

    Strings, IRIs and comments are left alone. Raises :class:`QueryError` for a parameter
    whose variable does not occur in the query.
    """
    if not params:
        return text
    seen: set[str] = set()
    out: list[str] = []
    last = 0
    for token in tokens(text):
        if token.kind == "var" and token.text[1:] in params:
            name = token.text[1:]
            seen.add(name)
            out.append(text[last : token.start])
            out.append(param_term(params[name]))
            last = token.end
    out.append(text[last:])
    unused = sorted(set(params) - seen)
    if unused:
        raise QueryError(f"--param {unused[0]}=…: the query has no variable ?{unused[0]}")
    return "".join(out)


def prepare(text: str, params: Mapping[str, str] | None = None) -> str:
    """Return ``text`` ready for any SPARQL server: params substituted, missing standard PREFIX lines added.

    castkg's own runner needs neither step spelled out; other servers (after ``castkg push``) do.
    """
    text = substitute(text, params or {})
    declared = {match.group(1) for match in re.finditer(r"(?im)^\s*PREFIX\s+([\w-]*):", text)}
    lines = [f"PREFIX {prefix}: <{iri}>" for prefix, iri in PREFIXES.items() if prefix not in declared]
    return "\n".join(lines + [text])


def keywords(text: str) -> list[str]:
    """Return the query's bare keywords in order, upper-cased (no strings, IRIs, comments, prefixed names)."""
    return [token.text.upper() for token in tokens(text) if token.kind == "word"]


def uses_service(text: str, prefixes: Mapping[str, str] = PREFIXES) -> bool:
    """Return whether the query may call out to another endpoint with ``SERVICE``.

    Sound against the parser that runs the query (see :mod:`castkg.query.scan`): a query for
    which this is false cannot make an outbound request. ``prefixes`` are the prefixes the
    query runs with besides its own ``PREFIX`` lines.
    """
    return bool(service_positions(text, prefixes))


def is_update(text: str) -> bool:
    """Return whether ``text`` is a SPARQL Update rather than a query (its first operation keyword)."""
    for word in keywords(text):
        if word in _QUERY_KEYWORDS:
            return False
        if word in _UPDATE_KEYWORDS:
            return True
    return False


class RowLimitExceeded(QueryError):
    """A query's answer has more rows than allowed."""


class ServiceRefused(QueryError):
    """A query uses SERVICE where no outbound request may be made."""


def syntax_error(exc: SyntaxError, source: str, text: str) -> QueryError:
    """Turn pyoxigraph's parse error into a QueryError naming line and column, with the line shown."""
    message = str(exc)
    match = _ERROR_AT.match(message)
    if not match:
        return QueryError(f"{source}: SPARQL syntax error: {message}")
    line, column, detail = int(match[1]), int(match[2]), match[3].strip()
    lines = text.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    near = f" near '{shown[:60]}'" if shown else ""
    return QueryError(f"{source}:{line}:{column}: SPARQL syntax error: {detail}{near}")


def run_query(
    text: str,
    data: Data | Graph | str | Path,
    params: Mapping[str, str] | None = None,
    *,
    source: str = "query",
    max_rows: int | None = None,
    allow_service: bool = True,
) -> Result:
    """Run the SPARQL query ``text`` on ``data`` (see :func:`to_oxigraph`) and return its :class:`Result`.

    ``params`` substitute the query's variables (see :func:`substitute`); the standard prefixes
    are known; the default graph is the merge of all graphs. ``source`` names the query in
    messages. Raises :class:`QueryError` for a query that does not parse (with line and column),
    cannot run, or uses ``SERVICE`` when ``allow_service`` is false (:class:`ServiceRefused`),
    and :class:`RowLimitExceeded` when ``max_rows`` is given and exceeded.
    """
    store = to_oxigraph(data)
    prepared = substitute(text, params or {})
    if not allow_service and uses_service(prepared):
        raise ServiceRefused(
            f"{source}: SERVICE is not allowed here: this endpoint makes no outbound "
            f"requests; query the other endpoint yourself"
        )
    try:
        answer = store.query(prepared, prefixes=PREFIXES)
    except SyntaxError as exc:
        if is_update(prepared):
            raise QueryError(
                f"{source}: this is a SPARQL Update; castkg only reads (use a query: "
                f"SELECT, ASK, CONSTRUCT or DESCRIBE)"
            ) from exc
        raise syntax_error(exc, source, prepared) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{source}: cannot run the query: {exc}") from exc
    try:
        return _materialise(answer, max_rows)
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{source}: the query failed while running: {exc}") from exc


def _materialise(answer: object, max_rows: int | None) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    limit = f"more than {max_rows}"
    if isinstance(answer, ox.QueryTriples):
        triples = []
        for triple in answer:
            triples.append(triple)
            if max_rows is not None and len(triples) > max_rows:
                raise RowLimitExceeded(
                    f"the answer has {limit} triples; narrow the query or add LIMIT {max_rows}"
                )
        return Result("graph", triples=triples)
    assert isinstance(answer, ox.QuerySolutions)
    variables = [variable.value for variable in answer.variables]
    rows = []
    for solution in answer:
        rows.append(tuple(solution[name] for name in variables))
        if max_rows is not None and len(rows) > max_rows:
            raise RowLimitExceeded(f"the answer has {limit} rows; narrow the query or add LIMIT {max_rows}")
    return Result("select", variables=variables, rows=rows)
