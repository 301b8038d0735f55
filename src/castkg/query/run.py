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
from castkg.query.diagnose import syntax_error
from castkg.query.results import Result
from castkg.query.sandbox import on_big_stack
from castkg.query.scan import Token, line_column, nesting, prologue, service_positions, tokens

_XSD = PREFIXES["xsd"]

_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


def _param_kind(value: str) -> tuple[str, str]:
    """What a ``--param`` value stands for: (``iri``|``number``|``date``|``string``, its lexical form)."""
    value = value.strip()
    if re.fullmatch(r"<[^<>\"{}|^`\\\s]*>", value):
        return "iri", value[1:-1]
    if re.fullmatch(r"(https?|urn):[^<>\"{}|^`\\\s]+", value):
        return "iri", value
    prefixed = re.fullmatch(r"([A-Za-z][\w-]*):([\w.-]*)", value)
    if prefixed and prefixed[1] in PREFIXES:
        return "iri", PREFIXES[prefixed[1]] + prefixed[2]
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", value):
        return "number", value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date", value
    return "string", value


def param_term(value: str) -> str:
    """Write a ``--param`` value as a SPARQL term.

    ``<…>``, ``http(s)://…``, ``urn:…`` and ``prefix:local`` with a standard prefix give an IRI;
    an integer or decimal a number; ``YYYY-MM-DD`` an ``xsd:date``; anything else a plain string.
    """
    kind, lexical = _param_kind(value)
    if kind == "iri":
        return f"<{lexical}>"
    if kind == "number":
        return lexical
    if kind == "date":
        return f'"{lexical}"^^<{_XSD}date>'
    return json.dumps(lexical, ensure_ascii=False)  # a JSON string is a valid SPARQL string literal


def param_value(value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term of a ``--param`` value (as :func:`param_term` writes it)."""
    kind, lexical = _param_kind(value)
    if kind == "iri":
        return ox.NamedNode(lexical)
    if kind == "number":
        datatype = "decimal" if "." in lexical else "integer"
        return ox.Literal(lexical, datatype=ox.NamedNode(_XSD + datatype))
    if kind == "date":
        return ox.Literal(lexical, datatype=ox.NamedNode(_XSD + "date"))
    return ox.Literal(lexical)


def _projected(text: str) -> list[Token]:
    """The bare variables of the top-level SELECT clause (``SELECT ?a ?b WHERE``), as tokens."""
    head = prologue(text, PREFIXES)
    found: list[Token] = []
    depth = 0
    for index, token in enumerate(tokens(text[head.end :])):
        if index == 0:
            if token.kind != "word" or not token.text.upper().startswith("SELECT"):
                return []
            continue
        if (
            token.kind == "punct"
            and token.text == "{"
            or token.kind == "word"
            and token.text.upper()
            in (
                "WHERE",
                "FROM",
            )
        ):
            break
        if token.kind == "punct" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        elif token.kind == "var" and depth == 0:
            found.append(Token(token.kind, token.text, token.start + head.end))
    return found


def substitute(text: str, params: Mapping[str, str], keep: frozenset[int] = frozenset()) -> str:
    """Replace each ``?name``/``$name`` of the query by the term of ``params[name]``.

    Strings, IRIs and comments are left alone, and so are the variables that start at the
    offsets in ``keep``. Raises :class:`QueryError` for a parameter whose variable does not
    occur in the query.
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
            if token.start in keep:
                continue
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
    A parameter whose variable is in the SELECT list stays a variable there and is bound by a
    final ``VALUES`` clause (a term cannot stand in the SELECT list).
    """
    params = params or {}
    projected = [token for token in _projected(text) if token.text[1:] in params]
    text = substitute(text, params, keep=frozenset(token.start for token in projected))
    for name in dict.fromkeys(token.text[1:] for token in projected):
        text += f"\nVALUES ?{name} {{ {param_term(params[name])} }}"
    declared = set(prologue(text, {}).declared)
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


_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def query_form(text: str) -> str | None:
    """The query's form (``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``), read after its
    ``PREFIX``/``BASE`` lines; None when the text does not start like a query."""
    head = prologue(text, PREFIXES)
    for token in tokens(text[head.end :]):
        word = token.text.upper() if token.kind == "word" else ""
        return next((form for form in _FORMS if word.startswith(form)), None)
    return None


def is_update(text: str) -> bool:
    """Return whether ``text`` is a SPARQL Update rather than a query (its first keyword)."""
    head = prologue(text, PREFIXES)
    for token in tokens(text[head.end :]):
        word = token.text.upper() if token.kind == "word" else ""
        return any(word.startswith(keyword) for keyword in _UPDATE_KEYWORDS)
    return False


MAX_DEPTH = 100
"""Deepest nesting of brackets a query may have: Oxigraph's parser recurses once per level."""


class RowLimitExceeded(QueryError):
    """A query's answer has more rows than allowed."""


class ServiceRefused(QueryError):
    """A query uses SERVICE where no outbound request may be made."""


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
    params = params or {}
    projected = [token for token in _projected(text) if token.text[1:] in params]
    prepared = substitute(text, params, keep=frozenset(token.start for token in projected))
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(token.text[1:]): param_value(params[token.text[1:]]) for token in projected
    }
    if not allow_service and uses_service(prepared):
        raise ServiceRefused(
            f"{source}: SERVICE is not allowed here: this endpoint makes no outbound "
            f"requests; query the other endpoint yourself"
        )
    depth, where = nesting(prepared, MAX_DEPTH)
    if where >= 0:
        line, column = line_column(prepared, where)
        raise QueryError(
            f"{source}:{line}:{column}: the query nests brackets {depth} deep; castkg accepts at most "
            f"{MAX_DEPTH}: flatten it"
        )
    return on_big_stack(lambda: _run(store, prepared, substitutions, source, max_rows))


def _run(
    store: Data,
    text: str,
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple],
    source: str,
    max_rows: int | None,
) -> Result:
    try:
        answer = store.query(text, prefixes=PREFIXES, substitutions=substitutions or None)
    except SyntaxError as exc:
        if is_update(text):
            raise QueryError(
                f"{source}: this is a SPARQL Update; castkg only reads (use a query: "
                f"SELECT, ASK, CONSTRUCT or DESCRIBE)"
            ) from exc
        raise syntax_error(exc, source, text) from exc
    except PermissionError as exc:
        raise _network_refused(source) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{source}: cannot run the query: {exc}") from exc
    try:
        return _materialise(answer, max_rows)
    except PermissionError as exc:
        raise _network_refused(source) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{source}: the query failed while running: {exc}") from exc


def _network_refused(source: str) -> ServiceRefused:
    """The error for a query whose network access the worker's sandbox refused (SERVICE)."""
    return ServiceRefused(
        f"{source}: the query tried to reach the network (SERVICE) and was stopped: "
        f"this endpoint makes no outbound requests"
    )


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
