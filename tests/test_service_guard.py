"""No outbound request: the SERVICE guard against Oxigraph's real parser, and a real second server.

A recording HTTP server on 127.0.0.1 stands for "another server with private data": it answers
every request with a secret and counts the requests. The issue's query (a prefixed name with
an escaped ``\\#``, then SERVICE) must be refused by the endpoint by GET and POST, with no
request reaching the recorder. The guard is then checked on known tricks of Oxigraph's grammar
and fuzzed with queries built from grammar pieces: every query pyoxigraph parses that holds a
SERVICE (or that, when run, reaches the recorder) must be caught, and queries whose only
"service" is in strings, comments, IRIs, variables or prefixed names must pass.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from castkg.endpoint import EndpointConfig, make_server
from castkg.graphs import PREFIXES
from castkg.query import uses_service

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"


class Recorder:
    """A second local server that answers any request with a secret and remembers it was asked."""

    def __init__(self) -> None:
        hits: list[str] = []
        self.hits = hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(f"{self.command} {self.path}")
                body = json.dumps(
                    {
                        "head": {"vars": ["s"]},
                        "results": {"bindings": [{"s": {"type": "literal", "value": "SECRET"}}]},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    yield server
    server.close()


def issue_query(target: str) -> str:
    """The query of issue 11: after ``:a\\#b`` castkg's old scan took the rest of the line for a comment."""
    return f"PREFIX : <http://e/>\nSELECT * WHERE {{ :a\\#b ?p ?o . SERVICE <{target}> {{ ?s ?p2 ?o2 }} }}"


def test_the_issue_query_does_reach_a_server_when_nothing_guards_it(recorder: Recorder) -> None:
    """The premise of the regression test: pyoxigraph on its own does make the request."""
    before = len(recorder.hits)
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a#b"), ox.NamedNode("http://e/p"), ox.Literal("x")))
    rows = [str(row["s"]) for row in store.query(issue_query(recorder.url))]  # type: ignore[union-attr]
    assert rows == ['"SECRET"'] and len(recorder.hits) == before + 1


@pytest.mark.server
def test_the_issue_query_is_refused_by_get_and_post(recorder: Recorder, tmp_path: Path) -> None:
    (tmp_path / "castkg.trig").write_bytes(FIXTURE.read_bytes())
    server = make_server(tmp_path, "127.0.0.1", 0, EndpointConfig(timeout=5))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    query = issue_query(recorder.url)
    before = len(recorder.hits)
    requests = [
        urllib.request.Request(endpoint + "?" + urllib.parse.urlencode({"query": query})),
        urllib.request.Request(
            endpoint,
            data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        urllib.request.Request(
            endpoint, data=query.encode(), headers={"Content-Type": "application/sparql-query"}
        ),
    ]
    try:
        for request in requests:
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=30)
            assert refused.value.code == 403
            assert b"SERVICE" in refused.value.read()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert recorder.hits[before:] == []


# Oxigraph's grammar, not the specification's: keywords need no word boundary, "<" is an IRI
# or "less than" by context, and ex:local falls back to ex: when the IRI it makes is bad.
TRICKS = [
    "PREFIX : <http://e/>\nSELECT * WHERE { :a\\#b ?p ?o . SERVICE <{url}> { ?s ?p ?o } }",
    "PREFIX : <http://e/>\nSELECT * WHERE { :a\\'b ?p ?o . SERVICE <{url}> { ?s ?p ?o } } # '",
    "SELECT * WHERE { ?s ?p trueSERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 1SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 'x'SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { {}SeRvIcE sIlEnT<{url}>{} }",
    "PREFIX ex: <http://e/> SELECT * WHERE { SERVICEex:s{} }",
    "PREFIX w: <http://[::1]> SELECT * WHERE { ?s w:1.SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?s<?o)SERVICE?x#>\n{} }",
    "PREFIX x: <http://e/> SELECT * WHERE { ?s ?p ?o FILTER(?s<x:b)SERVICE<{url}>#>\n{} }",
    'SELECT * WHERE { VALUES ?x { """a""""" } SERVICE <{url}> {} }',
    "SELECT * WHERE { ?s ?p ?o # a comment ends at a carriage return\rSERVICE <{url}> {} }",
    "ASK { FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
]
BENIGN = [
    "SELECT ?x WHERE { ?x a schema:Service }",
    "SELECT ?x WHERE { ?x a <https://schema.org/Service> }",
    "SELECT ?x WHERE { ?x a ckr:org_cast-rural-technical-service-center }",
    "SELECT ?service WHERE { ?service a ckg:Platform } # the service list",
    "SELECT ?x WHERE { ?x rdfs:label ?l FILTER(CONTAINS(?l, 'Service')) }",
    'SELECT ?x WHERE { ?x ?p """a long\nService""" }',
    'SELECT ?x WHERE { ?x ?p ?o FILTER(?o < 3) ?x ?q "a > b, service" }',
    "SELECT ?x WHERE { ?x ?p <urn:x:Service> }",
    "PREFIX service: <http://e/service/> SELECT ?x WHERE { ?x a service:Desk }",
]


@pytest.mark.parametrize("template", TRICKS)
def test_tricks_of_the_grammar_are_caught(template: str, recorder: Recorder) -> None:
    query = template.replace("{url}", recorder.url)
    ox.Store().query(query, prefixes=PREFIXES)  # pyoxigraph parses it: this is a real query
    assert uses_service(query)


@pytest.mark.parametrize("query", BENIGN)
def test_service_as_a_word_is_not_a_call(query: str) -> None:
    ox.Store().query(query, prefixes=PREFIXES)
    assert not uses_service(query)


# ---- fuzzing against pyoxigraph -------------------------------------------------------------

PROLOGUE = "PREFIX ex: <http://e/>\nPREFIX : <http://e/>\n"
HOSTILE_PROLOGUE = PROLOGUE + "PREFIX w: <http://[::1]>\nPREFIX h: <http://h:80>\n"
SPACE = st.sampled_from([" ", "\n", "\t", "\r\n", "  \n "])
VARIABLES = ["?s", "?o", "?service", "$SERVICE", "?x_1"]
IRIS = [
    "<http://e/a>",
    "<http://e/service#x>",
    "<urn:x:Service>",
    "<http://e/a'b#c>",
    "<http://e/\\u0053ERVICE>",
]
NAMES = [
    "ex:a",
    "ex:a\\#b",
    "ex:a\\'b",
    "ex:service",
    "ex:a.b",
    "schema:Service",
    ":x",
    "ex:\\#",
    "ckr:org_x-service-center",
    "ex:a\\#SERVICE",
]
FRAGMENTS = [
    "a",
    "#",
    "'",
    '"',
    "service",
    "SERVICE",
    "<",
    ">",
    "{",
    "}",
    " ",
    "\\\\",
    "\\u0053",
    "\\'",
    '\\"',
    "中文",
]


@st.composite
def literal(draw: st.DrawFn) -> str:
    """A well-formed string literal in one of the four quote forms, holding awkward characters."""
    quote = draw(st.sampled_from(['"', "'", '"""', "'''"]))
    parts = draw(st.lists(st.sampled_from(FRAGMENTS + (["\n"] if len(quote) == 3 else [])), max_size=6))
    body = "".join("\\" + part if part == quote[0] else part for part in parts)  # a bare quote is escaped
    suffix = draw(st.sampled_from(["", "@en", "^^xsd:string"]))
    return quote + body + quote + suffix


def term(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["var", "iri", "name", "literal", "number"]))
    if kind == "var":
        return draw(st.sampled_from(VARIABLES))
    if kind == "iri":
        return draw(st.sampled_from(IRIS))
    if kind == "name":
        return draw(st.sampled_from(NAMES))
    if kind == "literal":
        return draw(literal())
    return draw(st.sampled_from(["1", "2.5", "true"]))


@st.composite
def benign_item(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["triple", "triple", "filter", "comment", "optional"]))
    space = draw(SPACE)
    if kind == "triple":
        subject = draw(st.sampled_from(VARIABLES + IRIS + NAMES))
        predicate = draw(st.sampled_from(["?p", "a", "ex:p", "<http://e/service>", "schema:serviceType"]))
        return f"{subject}{space}{predicate} {term(draw)} ."
    if kind == "filter":
        op = draw(st.sampled_from(["<", ">", "<=", "=", "!="]))
        return f"FILTER({draw(st.sampled_from(VARIABLES))}{space}{op}{draw(SPACE)}{term(draw)})"
    if kind == "comment":
        return "# " + "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=5))) + "\n"
    return f"OPTIONAL {{ ?s ?p {term(draw)} }}"


def service_call(draw: st.DrawFn, url: str) -> str:
    keyword = draw(st.sampled_from(["SERVICE", "service", "SeRvIcE"]))
    silent = draw(st.sampled_from(["", " SILENT", "silent"]))
    target = draw(st.sampled_from([f"<{url}>", f" <{url}>", " ?svc", "?svc"]))
    return f"{keyword}{silent}{target}{draw(SPACE)}{{ ?s ?p ?o }}"


@st.composite
def hostile_item(draw: st.DrawFn, url: str) -> str:
    call = service_call(draw, url)
    glue = draw(
        st.sampled_from(
            [
                "",
                " ",
                ". ",
                "?s ?p 1",
                "?s ?p true",
                "?s ?p 'x'",
                "{}",
                "?s w:1.",
                "?s h:",
                "FILTER(?s<?o)",
                ":a\\#b ?p ?o .",
                "?s ?p ?o # ' \n",
            ]
        )
    )
    return glue + call


@st.composite
def fuzz_query(draw: st.DrawFn, url: str) -> tuple[str, bool, bool]:
    """(query, whether it holds a SERVICE by construction, whether it is built only of benign pieces)."""
    hostile = draw(st.booleans())
    items = draw(st.lists(benign_item(), min_size=0 if hostile else 1, max_size=5))
    with_service = hostile and (not items or draw(st.booleans()))
    if with_service:
        items.insert(draw(st.integers(0, len(items))), draw(hostile_item(url)))
    body = draw(SPACE).join(items)
    form = draw(st.sampled_from(["SELECT * WHERE", "select*where", "ASK", "CONSTRUCT { ?s ?p ?o } WHERE"]))
    return (HOSTILE_PROLOGUE if hostile else PROLOGUE) + f"{form} {{ {body} }}", with_service, not hostile


FUZZ_DATA = [
    ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x")),
    ox.Quad(ox.NamedNode("http://e/a#b"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/a")),
]


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow]
)
@given(data=st.data())
def test_fuzz_against_pyoxigraph(data: st.DataObject, recorder: Recorder) -> None:
    query, with_service, benign = data.draw(fuzz_query(recorder.url))
    store = ox.Store()
    store.extend(FUZZ_DATA)
    before = len(recorder.hits)
    answer: object = None
    try:
        answer = store.query(query, prefixes=PREFIXES)  # ASK runs here, the others when read
    except SyntaxError:
        assume(False)
    except (OSError, RuntimeError, ValueError):
        pass  # it parsed, then failed while running (an unbound service name, say)
    detected = uses_service(query)
    if with_service:
        assert detected, query
    try:
        if isinstance(answer, ox.QuerySolutions | ox.QueryTriples):
            list(answer)
    except (OSError, RuntimeError, ValueError):
        pass
    called = len(recorder.hits) > before
    event(f"service={with_service} benign={benign} called={called} detected={detected}")
    if called:  # it did call out: the guard must have said so
        assert detected, query
    if benign:
        assert not detected, query


@pytest.mark.parametrize("clause", ["FROM <{url}>", "FROM NAMED <{url}>", "FROM <{url}> FROM NAMED <{url}>"])
def test_from_never_fetches(clause: str, recorder: Recorder) -> None:
    """Any remote fetch, not only SERVICE: Oxigraph takes FROM as a choice among its own graphs."""
    dataset = clause.replace("{url}", recorder.url)
    query = f"SELECT * {dataset} WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
    before = len(recorder.hits)
    store = ox.Store()
    store.extend(FUZZ_DATA)
    assert list(store.query(query)) == []  # type: ignore[call-overload]
    assert recorder.hits[before:] == [] and not uses_service(query)
