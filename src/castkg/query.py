"""SPARQL over castkg graphs: load data, prepare queries, run them, write the results.

Every query runs on pyoxigraph (one engine for the CLI, the store and the endpoint). The
default graph a query sees is the RDF merge of all article graphs, so a query over
``castkg.trig`` or a store sees the same triples, each once, as one over ``castkg.ttl``.
(Oxigraph's own "default graph as union" repeats a triple once per graph that holds it,
which would make counts depend on the file format; castkg therefore keeps the merge in the
default graph itself: :func:`merge_into_default_graph`.) The standard prefixes (ckg, ckr,
rdf, rdfs, skos, xsd, prov, schema) are known to every query without a ``PREFIX`` line.

Results are materialised into a :class:`Result` and written by small serialisers for the
W3C SPARQL 1.1 Query Results formats (JSON, XML, CSV, TSV), Turtle for graph results and an
aligned text table whose columns count Chinese characters as two cells wide.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import Dataset, Graph

from castkg.errors import QueryError

log = logging.getLogger(__name__)

STANDARD_PREFIXES: dict[str, str] = {
    "ckg": "https://w3id.org/castkg/ontology#",
    "ckr": "https://w3id.org/castkg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
}
"""Prefixes every query may use without declaring them (a query's own PREFIX wins)."""

FORMATS = ("table", "csv", "tsv", "json", "xml")
"""Output formats of :func:`format_result` for SELECT and ASK results."""

QUERIES_DIR_CANDIDATES = (
    Path(__file__).resolve().parent / "resources" / "queries",  # installed package data
    Path(__file__).resolve().parents[2] / "queries",  # a source checkout (editable install)
)

_XSD = STANDARD_PREFIXES["xsd"]
_RDF_LANG_STRING = STANDARD_PREFIXES["rdf"] + "langString"
_XSD_STRING = _XSD + "string"

# One lexer for the few things castkg needs to know about a query's text: where its
# variables are (for --param) and whether it uses SERVICE, skipping strings, IRIs, comments.
_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)"
    r"|(?P<word>[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\-.\u00B7-\uFFFF]*(?::[^\s{}()\[\];,]*)?)"
)
_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_QUERY_KEYWORDS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})

Data = ox.Store
"""What queries run on: a pyoxigraph store, in memory or on disk."""


# --- data -------------------------------------------------------------------


def _rdf_format(path: Path) -> ox.RdfFormat:
    suffix = path.suffix.lower()
    formats = {
        ".ttl": ox.RdfFormat.TURTLE,
        ".turtle": ox.RdfFormat.TURTLE,
        ".trig": ox.RdfFormat.TRIG,
        ".nt": ox.RdfFormat.N_TRIPLES,
        ".nq": ox.RdfFormat.N_QUADS,
        ".rdf": ox.RdfFormat.RDF_XML,
        ".owl": ox.RdfFormat.RDF_XML,
        ".jsonld": ox.RdfFormat.JSON_LD,
        ".n3": ox.RdfFormat.N3,
    }
    if suffix not in formats:
        raise QueryError(
            f"{path}: cannot tell the RDF format from '{suffix}'; "
            f"give a .ttl, .trig, .nt, .nq, .rdf or .jsonld file, an output folder or a store"
        )
    return formats[suffix]


def data_file(path: Path) -> Path | None:
    """Return the graph file to read for ``path``: itself, or an output folder's castkg.trig/.ttl.

    Returns ``None`` for a folder that is not an output folder (it may be a store).
    """
    if path.is_file():
        return path
    for name in ("castkg.trig", "castkg.ttl"):
        if (path / name).is_file():
            return path / name
    return None


def load_data(path: str | Path) -> Data:
    """Open the data at ``path`` for querying.

    ``path`` is an RDF file (castkg.ttl, castkg.trig, …), an output folder of ``castkg build``
    (its castkg.trig, else castkg.ttl) or a store folder made by ``castkg build --store``
    (opened read-only). Raises :class:`QueryError` when there is nothing to read there.
    """
    from castkg.store import is_store, open_oxigraph  # late: store imports this module

    path = Path(path)
    if not path.exists():
        raise QueryError(
            f"{path}: no such file or folder; give castkg.ttl, castkg.trig, "
            f"an output folder or a store folder"
        )
    graph_file = data_file(path)
    if graph_file is None:
        if is_store(path):
            return open_oxigraph(path, read_only=True)
        raise QueryError(
            f"{path}: folder holds neither castkg.trig, castkg.ttl nor a castkg store; "
            f"run `castkg build … -o {path}` or `--store {path}` first"
        )
    store = ox.Store()
    try:
        store.load(path=str(graph_file), format=_rdf_format(graph_file))
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"{graph_file}: cannot load: {exc}") from exc
    merge_into_default_graph(store)
    log.info("loaded %d quads from %s", len(store), graph_file)
    return store


def merge_into_default_graph(store: Data) -> None:
    """Add every triple of the named graphs of ``store`` to its default graph (once each)."""
    default = ox.DefaultGraph()
    store.extend(
        [
            ox.Quad(quad.subject, quad.predicate, quad.object, default)
            for quad in store.quads_for_pattern(None, None, None)
            if not isinstance(quad.graph_name, ox.DefaultGraph)
        ]
    )


def to_oxigraph(data: Data | Graph | str | Path) -> Data:
    """Return a pyoxigraph store holding ``data`` (a store, an rdflib Graph or Dataset, or a path).

    An rdflib Dataset backed by oxrdflib (as :func:`castkg.store.open_store` returns) is used
    in place; any other rdflib graph is copied, graph names included.
    """
    if isinstance(data, ox.Store):
        return data
    if isinstance(data, str | Path):
        return load_data(data)
    if isinstance(data, Graph):
        inner = getattr(data.store, "_inner", None)  # oxrdflib.OxigraphStore keeps its pyoxigraph store here
        if isinstance(inner, ox.Store):
            return inner
        store = ox.Store()
        if isinstance(data, Dataset):
            store.load(data.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
            merge_into_default_graph(store)
        else:
            store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return store
    raise QueryError(
        f"cannot query a {type(data).__name__}; give a path, an rdflib Graph or a pyoxigraph Store"
    )


# --- named queries ----------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A parameter a named query takes through ``--param NAME=VALUE``."""

    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped in ``queries/NAME.rq``, with the question it answers."""

    name: str
    path: Path
    question_zh: str
    question_en: str
    params: tuple[Param, ...] = ()

    @property
    def text(self) -> str:
        """The query's text, header comment included."""
        return self.path.read_text(encoding="utf-8")


_HEADER_LINE = re.compile(r"#\s*(?P<key>问|Q|param)\s*(?P<rest>.*)")
_PARAM = re.compile(r"(?P<name>[A-Za-z_]\w*)\s*\((?P<kind>required|optional)\)\s*:\s*(?P<text>.*)")


def parse_header(path: Path) -> NamedQuery:
    """Read a named query's opening comment: ``# 问：…``, ``# Q: …``, ``# param NAME (required|optional): …``.

    Raises :class:`QueryError` when the question in either language is missing.
    """
    zh = en = ""
    params: list[Param] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.match(line)
        if not match:
            continue
        key, rest = match["key"], match["rest"].lstrip(":：").strip()
        if key == "问":
            zh = rest
        elif key == "Q":
            en = rest
        else:
            param = _PARAM.match(rest)
            if not param:
                raise QueryError(
                    f"{path}:{number}: write a parameter as '# param NAME (required|optional): description'"
                )
            params.append(Param(param["name"], param["kind"] == "required", param["text"].strip()))
    if not zh or not en:
        raise QueryError(f"{path}: a named query opens with '# 问：…' and '# Q: …' comment lines")
    return NamedQuery(path.stem, path, zh, en, tuple(params))


def queries_dir() -> Path:
    """Return the folder of the shipped named queries. Raises :class:`QueryError` if there is none."""
    for candidate in QUERIES_DIR_CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise QueryError("the named queries are not installed (no castkg/resources/queries nor queries/ folder)")


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Return the named queries of ``folder`` (default: the shipped ones), by name, sorted."""
    folder = folder or queries_dir()
    return {path.stem: parse_header(path) for path in sorted(folder.glob("*.rq"))}


def named_query(name: str) -> NamedQuery:
    """Return the shipped named query ``name``; raises :class:`QueryError` listing the known names."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query '{name}'; known: {', '.join(queries)} (see `castkg query --list`)")
    return queries[name]


# --- preparing a query ------------------------------------------------------


def _tokens(text: str) -> Iterable[re.Match[str]]:
    return _TOKEN.finditer(text)


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
    if prefixed and prefixed[1] in STANDARD_PREFIXES:
        return f"<{STANDARD_PREFIXES[prefixed[1]]}{prefixed[2]}>"
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
    for token in _tokens(text):
        if token.lastgroup == "var" and token.group()[1:] in params:
            name = token.group()[1:]
            seen.add(name)
            out.append(text[last : token.start()])
            out.append(param_term(params[name]))
            last = token.end()
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
    lines = [
        f"PREFIX {prefix}: <{iri}>" for prefix, iri in STANDARD_PREFIXES.items() if prefix not in declared
    ]
    return "\n".join(lines + [text])


def keywords(text: str) -> list[str]:
    """Return the query's bare keywords in order, upper-cased (no strings, IRIs, comments, prefixed names)."""
    found = []
    for token in _tokens(text):
        bare = token.lastgroup == "word" and ":" not in token.group()
        if bare and (token.start() == 0 or text[token.start() - 1] != ":"):
            found.append(token.group().upper())
    return found


def uses_service(text: str) -> bool:
    """Return whether the query calls out to another endpoint with ``SERVICE``."""
    return "SERVICE" in keywords(text)


def is_update(text: str) -> bool:
    """Return whether ``text`` is a SPARQL Update rather than a query (its first operation keyword)."""
    for word in keywords(text):
        if word in _QUERY_KEYWORDS:
            return False
        if word in _UPDATE_KEYWORDS:
            return True
    return False


def check_params(query: NamedQuery, params: Mapping[str, str]) -> None:
    """Raise :class:`QueryError` when a required parameter of ``query`` is missing or an unknown one given."""
    known = {param.name for param in query.params}
    for param in query.params:
        if param.required and param.name not in params:
            raise QueryError(f"query '{query.name}' needs --param {param.name}=… ({param.description})")
    for name in params:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise QueryError(f"query '{query.name}' takes no parameter '{name}'; its parameters: {listed}")


# --- running ----------------------------------------------------------------


@dataclass
class Result:
    """A query's answer, materialised: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    kind: TypingLiteral["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]] = field(
        default_factory=list
    )
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1

    def values(self) -> list[tuple[str | None, ...]]:
        """Return the rows as plain strings: an IRI's text, a literal's lexical form, ``_:id``, or None."""
        return [tuple(None if term is None else term_text(term) for term in row) for row in self.rows]


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
        answer = store.query(prepared, prefixes=STANDARD_PREFIXES)
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


# --- writing results --------------------------------------------------------


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """The W3C CSV form of a term: an IRI's text, a literal's lexical form, ``_:id`` for a blank node."""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def short_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A term as a person reads it in a table: ``prefix:local`` for IRIs under a standard prefix."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in STANDARD_PREFIXES.items():
            local = term.value[len(namespace) :]
            if (
                term.value.startswith(namespace)
                and re.fullmatch(r"[\w.-]*", local)
                and not local.endswith(".")
            ):
                return f"{prefix}:{local}"
    return term_text(term)


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide and fullwidth characters count two."""
    return sum(
        2 if unicodedata.east_asian_width(char) in ("W", "F") else 0 if unicodedata.combining(char) else 1
        for char in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def to_table(result: Result) -> str:
    """Write a SELECT or ASK result as an aligned text table with a row count."""
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    header = [f"?{name}" for name in result.variables]
    cells = [[short_text(term).replace("\n", " ") for term in row] for row in result.rows]
    widths = [
        max([display_width(h)] + [display_width(row[i]) for row in cells]) for i, h in enumerate(header)
    ]
    lines = [
        "  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def to_json(result: Result) -> str:
    """Write a SELECT or ASK result in the W3C SPARQL 1.1 Query Results JSON format."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    bindings = [
        {name: _json_term(term) for name, term in zip(result.variables, row, strict=True) if term is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
        f"</predicate><object>{_xml_term(term.object)}</object></triple>"
    )


def to_xml(result: Result) -> str:
    """Write a SELECT or ASK result in the W3C SPARQL Query Results XML format."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
    ]
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>")
    out.append("<results>")
    for row in result.rows:
        bindings = "".join(
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(result.variables, row, strict=True)
            if term is not None
        )
        out.append(f"<result>{bindings}</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def to_csv(result: Result) -> str:
    """Write a SELECT result in the W3C SPARQL 1.1 CSV format (plain values, CRLF line ends)."""
    if result.kind == "ask":
        return "_askResult\r\n" + ("true" if result.boolean else "false") + "\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if term is None else term_text(term) for term in row])
    return buffer.getvalue()


def _tsv_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if (
        isinstance(term, ox.Literal)
        and term.datatype.value == _XSD + "integer"
        and re.fullmatch(r"[+-]?\d+", term.value)
    ):
        return term.value  # the TSV format allows numbers in their short Turtle form
    return str(term)  # N-Triples syntax, with \t and \n escaped


def to_tsv(result: Result) -> str:
    """Write a SELECT result in the W3C SPARQL 1.1 TSV format (terms in Turtle syntax)."""
    if result.kind == "ask":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join(_tsv_term(term) for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def to_turtle(result: Result) -> str:
    """Write a CONSTRUCT or DESCRIBE result as Turtle with the standard prefixes."""
    data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=STANDARD_PREFIXES)
    text = data.decode("utf-8") if data else ""
    return text if text.endswith("\n") or not text else text + "\n"


_WRITERS = {"table": to_table, "json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}


def format_result(result: Result, fmt: str = "table") -> str:
    """Write ``result`` in ``fmt`` (one of :data:`FORMATS`); graph results are always Turtle."""
    if result.kind == "graph":
        return to_turtle(result)
    if fmt not in _WRITERS:
        raise QueryError(f"unknown result format '{fmt}'; choose one of {', '.join(FORMATS)}")
    return _WRITERS[fmt](result)
