"""castkg serve: a real SPARQL 1.1 Protocol endpoint on a free loopback port, asked by real clients.

SPARQLWrapper (a third-party client) and curl ask it in every format; answers are read back
with pyoxigraph's and rdflib's independent parsers. The service description is parsed by
rdflib. Updates, SERVICE, a runaway query, an over-large answer and request, bad framing of
requests, half-open connections, foreign Host headers and origins are each refused with their
status while a normal query keeps being answered.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from castkg.endpoint import MAX_BODY, EndpointConfig, EndpointServer, make_server, negotiate, view_for
from castkg.query import ONTOLOGY_GRAPH, load_data
from castkg.store import update_store

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
CURL = "/usr/bin/curl"
LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE { "
    "<https://w3id.org/castkg/id/org-demo> rdfs:label ?label }"
)
CHAIR = "CONSTRUCT WHERE { ?e <https://w3id.org/castkg/ontology#chair> ?p }"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
SORTED_CROSS_JOIN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?c ?f ?i ?l"
TIMEOUT = 2.0
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def start(server: EndpointServer) -> tuple[str, threading.Thread]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    return f"http://{host}:{port}", thread


def stop(server: EndpointServer, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    (folder / "castkg.trig").write_bytes(FIXTURE.read_bytes())
    (folder / "graph.html").write_text("<!doctype html><title>castkg graph</title>", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def url(data_dir: Path) -> Iterator[str]:
    server = make_server(
        data_dir,
        "127.0.0.1",
        0,
        EndpointConfig(
            timeout=TIMEOUT, max_rows=50, max_concurrent=2, short_query_seconds=1.0, request_timeout=2.0
        ),
    )
    assert server.server_address[0] == "127.0.0.1"
    base, thread = start(server)
    yield base
    stop(server, thread)


def http(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get(url: str, query: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return http(f"{url}/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers)


def raw(url: str, request: bytes, read_timeout: float = 10) -> bytes:
    """Send bytes as they are on a fresh connection; return everything the server sends back."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=read_timeout) as conn:
        conn.sendall(request)
        chunks = []
        while True:
            try:
                chunk = conn.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def labels(body: bytes, kind: ox.QueryResultsFormat) -> list[str]:
    """The ?label column of a results document, read by an independent parser (csv for the lossy CSV)."""
    if kind == ox.QueryResultsFormat.CSV:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert rows[0] == ["label"]
        return [row[0] for row in rows[1:]]
    return [s["label"].value for s in ox.parse_query_results(body, format=kind)]  # type: ignore[union-attr]


def curl(*args: str) -> tuple[int, bytes]:
    done = subprocess.run(
        [CURL, "-s", "-o", "-", "-w", "\n%{http_code}", *args], capture_output=True, check=True, timeout=30
    )
    body, _, code = done.stdout.rpartition(b"\n")
    return int(code), body


def test_negotiate() -> None:
    assert negotiate(None) == "json" and negotiate(None, "graph") == "turtle"
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml") == "xml"
    assert negotiate("text/html, */*;q=0.1") == "json"
    assert negotiate("image/png") is None
    assert negotiate("text/turtle") is None  # not a results format
    assert negotiate("application/rdf+xml", "graph") == "rdfxml"
    assert negotiate("application/ld+json;q=0.9, application/n-triples", "graph") == "ntriples"
    assert negotiate("application/sparql-results+json", "graph") is None


# ---- every format, through a real third-party client ------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "kind"),
    [
        (JSON, ox.QueryResultsFormat.JSON),
        (XML, ox.QueryResultsFormat.XML),
        (CSV, ox.QueryResultsFormat.CSV),
        (TSV, ox.QueryResultsFormat.TSV),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_in_each_format(
    url: str, fmt: str, kind: ox.QueryResultsFormat, method: str
) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(LABELS)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    assert labels(client.query().response.read(), kind) == ["示例学会"]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(url: str, fmt: str) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery("ASK { ?e <https://w3id.org/castkg/ontology#chair> ?p }")
    client.setReturnFormat(fmt)
    converted = client.queryAndConvert()
    if fmt == JSON:
        assert converted == {"head": {}, "boolean": True}
    else:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


# SPARQLWrapper's default return format is XML: for CONSTRUCT it asks for RDF/XML.
@pytest.mark.parametrize("fmt", [None, XML, RDFXML, TURTLE, N3, JSONLD])
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_sparqlwrapper_graph_answers_in_each_format(url: str, fmt: str | None, form: str) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    if form == "CONSTRUCT":
        client.setQuery(CHAIR)
    else:
        client.setQuery("DESCRIBE <https://w3id.org/castkg/id/person-zhang>")
    if fmt is not None:
        client.setReturnFormat(fmt)
    converted = client.queryAndConvert()
    graph = rdflib.Graph()
    if isinstance(converted, rdflib.Graph):
        graph = converted
    else:  # SPARQLWrapper hands Turtle and N3 back as bytes
        graph.parse(data=converted, format="turtle")
    chair = rdflib.URIRef("https://w3id.org/castkg/ontology#chair")
    zhang = rdflib.URIRef("https://w3id.org/castkg/id/person-zhang")
    if form == "CONSTRUCT":
        assert set(graph) == {(rdflib.URIRef("https://w3id.org/castkg/id/event-meeting"), chair, zhang)}
    else:
        assert (zhang, rdflib.RDFS.label, rdflib.Literal("张三", lang="zh")) in graph


def test_sparqlwrapper_bad_query(url: str) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery("SELECT ?x WHERE { ?x }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="1:"):
        client.query()


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", ox.QueryResultsFormat.CSV),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ],
)
def test_curl_each_results_format(url: str, accept: str, kind: ox.QueryResultsFormat) -> None:
    code, body = curl("-G", f"{url}/sparql", "--data-urlencode", f"query={LABELS}", "-H", f"Accept: {accept}")
    assert code == 200
    assert labels(body, kind) == ["示例学会"]
    code, body = curl(
        "-X",
        "POST",
        f"{url}/sparql",
        "--data-binary",
        LABELS,
        "-H",
        f"Accept: {accept}",
        "-H",
        "Content-Type: application/sparql-query",
    )
    assert code == 200
    assert labels(body, kind) == ["示例学会"]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_curl_each_graph_format(url: str, accept: str, fmt: ox.RdfFormat) -> None:
    code, headers, body = get(url, CHAIR, Accept=accept)
    assert code == 200 and headers["Content-Type"].startswith(accept)
    assert [str(t) for t in ox.parse(body, format=fmt)] == [
        "<https://w3id.org/castkg/id/event-meeting> <https://w3id.org/castkg/ontology#chair> "
        "<https://w3id.org/castkg/id/person-zhang>"
    ]


def test_a_turtle_only_client_is_refused_before_a_select_runs(url: str) -> None:
    started = time.monotonic()
    code, _, body = get(url, CROSS_JOIN, Accept="text/turtle")
    assert code == 406 and b"cannot write SELECT and ASK results as 'text/turtle'" in body
    assert time.monotonic() - started < 1.0  # the cross join would run for TIMEOUT seconds


def test_service_description(url: str) -> None:
    for accept, fmt in (
        ("text/turtle", "turtle"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        (None, "turtle"),
    ):
        code, headers, body = http(f"{url}/sparql", headers={"Accept": accept} if accept else {})
        assert code == 200, body
        graph = rdflib.Graph().parse(data=body, format=fmt)
        service = rdflib.URIRef(f"{url}/sparql")
        assert (service, rdflib.RDF.type, SD.Service) in graph
        assert (service, SD.endpoint, service) in graph
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
        formats = set(graph.objects(service, SD.resultFormat))
        assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
        assert rdflib.URIRef("http://www.w3.org/ns/formats/RDF_XML") in formats
        names = set(graph.objects(None, SD.name))
        assert names == {rdflib.URIRef(ONTOLOGY_GRAPH)}


# ---- browsers: CORS, OPTIONS, HEAD, Host and Origin ---------------------------------------------


def test_cors_preflight_head_and_simple_requests(url: str) -> None:
    code, headers, body = http(
        f"{url}/sparql",
        method="OPTIONS",
        headers={
            "Origin": "http://elsewhere.example:5000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert code == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"] == "content-type, accept"
    code, headers, body = get(url, LABELS, Origin="http://elsewhere.example:5000")
    assert code == 200 and headers["Access-Control-Allow-Origin"] == "*"
    full = get(url, LABELS)[2]
    code, headers, body = http(f"{url}/sparql?" + urllib.parse.urlencode({"query": LABELS}), method="HEAD")
    assert code == 200 and body == b"" and int(headers["Content-Length"]) == len(full)
    assert http(f"{url}/", method="HEAD")[0] == 200


@pytest.mark.parametrize(
    ("host", "code"),
    [
        ("evil.example", 403),
        ("evil.example:80", 403),
        ("localhost", 200),
        ("LOCALHOST:8000", 200),
        ("127.0.0.1:1234", 200),
        ("[::1]:8000", 200),
        ("10.1.2.3", 200),  # an address cannot be rebound by DNS
        ("localhost:80/x>", 403),  # not a host at all (it would end up in the service description)
        ("localhost evil", 403),
    ],
)
def test_host_header_guards_against_dns_rebinding(url: str, host: str, code: int) -> None:
    status, _, body = get(url, LABELS, Host=host)
    assert status == code, body
    if code == 403:
        assert b"DNS rebinding" in body and b"--allow-host" in body


def test_allowed_hosts_and_origins_are_configurable(data_dir: Path) -> None:
    config = EndpointConfig(allowed_hosts=("kg.example",), allowed_origins=("http://app.example",))
    server = make_server(data_dir, "127.0.0.1", 0, config)
    base, thread = start(server)
    try:
        assert get(base, LABELS, Host="kg.example:8000")[0] == 200
        assert get(base, LABELS, Host="other.example")[0] == 403
        code, headers, _ = get(base, LABELS, Origin="http://app.example")
        assert code == 200 and headers["Access-Control-Allow-Origin"] == "http://app.example"
        code, headers, body = get(base, LABELS, Origin="http://evil.example")
        assert code == 403 and "Access-Control-Allow-Origin" not in headers
        assert get(base, LABELS)[0] == 200  # no Origin: not a browser's cross-site request
    finally:
        stop(server, thread)


# ---- read-only, no outbound requests ------------------------------------------------------------


def test_updates_are_refused(url: str) -> None:
    update = "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }"
    assert curl("-X", "POST", f"{url}/sparql", "--data-urlencode", f"update={update}")[0] == 403
    assert curl("-X", "POST", f"{url}/sparql", "--data-urlencode", f"query={update}")[0] == 403
    assert (
        curl(
            "-X",
            "POST",
            f"{url}/sparql",
            "--data-binary",
            update,
            "-H",
            "Content-Type: application/sparql-update",
        )[0]
        == 403
    )
    assert curl("-X", "PUT", f"{url}/sparql", "--data-binary", "x")[0] == 405
    code, _, body = get(url, "ASK { <http://e/a> ?p ?o }")
    assert (code, json.loads(body)["boolean"]) == (200, False)


def test_service_is_refused_and_never_called(url: str) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    code, body = curl("-X", "POST", f"{url}/sparql", "--data-urlencode", f"query={query}")
    assert code == 403 and b"SERVICE is not allowed" in body
    with pytest.raises(TimeoutError):
        listener.accept()  # nobody came
    listener.close()


# ---- limits --------------------------------------------------------------------------------------


def test_runaway_query_is_cut_while_others_are_answered(url: str) -> None:
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["code"], _, outcome["body"] = http(
            f"{url}/sparql", data=CROSS_JOIN.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    code, _, body = get(url, LABELS)
    assert code == 200 and "示例学会" in body.decode()
    assert time.monotonic() - started < TIMEOUT  # answered while the runaway query still ran
    assert thread.is_alive()
    thread.join(30)
    assert outcome["code"] == 503
    assert b"longer than 2s" in outcome["body"]  # type: ignore[operator]
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 2  # type: ignore[operator]
    assert multiprocessing.active_children() == []  # the worker was killed, not left running
    assert get(url, LABELS)[0] == 200


def test_a_slot_is_kept_for_short_queries(url: str) -> None:
    """Two long queries take the general slots; a short one still runs, a third long one is cut early."""
    outcomes: list[tuple[int, bytes]] = []

    def long_query() -> None:
        code, _, body = get(url, CROSS_JOIN)
        outcomes.append((code, body))

    runners = [threading.Thread(target=long_query) for _ in range(2)]
    for runner in runners:
        runner.start()
    time.sleep(0.5)
    started = time.monotonic()
    assert get(url, LABELS)[0] == 200
    assert time.monotonic() - started < 1.2  # a general slot frees only when a long query is cut, at 2 s
    started = time.monotonic()
    code, _, body = get(url, CROSS_JOIN)  # the short slot's deadline is 1 s
    assert code == 503 and b"busy with long queries" in body
    assert time.monotonic() - started < 1.8
    for runner in runners:
        runner.join(30)
    assert [code for code, _ in outcomes] == [503, 503]


def test_memory_limit_stops_a_sort_over_a_cross_join(data_dir: Path) -> None:
    server = make_server(data_dir, "127.0.0.1", 0, EndpointConfig(timeout=60, max_memory_mb=256))
    base, thread = start(server)
    try:
        started = time.monotonic()
        code, _, body = get(base, SORTED_CROSS_JOIN)
        assert code == 503 and b"more memory than a query may use (256 MB)" in body
        assert time.monotonic() - started < 30
        assert get(base, LABELS)[0] == 200
    finally:
        stop(server, thread)


def test_deep_nesting_is_refused_before_parsing(url: str) -> None:
    query = "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }"
    code, _, body = http(
        f"{url}/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert (code, body) == (
        400,
        b"query:1:123: the query nests brackets 20002 deep; castkg accepts at most 100: flatten it\n",
    )
    assert get(url, LABELS)[0] == 200


def test_row_limit_and_request_size(url: str) -> None:
    code, body = curl("-G", f"{url}/sparql", "--data-urlencode", "query=SELECT * WHERE { ?s ?p ?o }")
    assert code == 422 and b"more than 50 rows" in body
    code, _, body = http(
        f"{url}/sparql", data=b"#" * (2 << 20), headers={"Content-Type": "application/sparql-query"}
    )
    assert code == 413
    assert (
        curl("-G", f"{url}/sparql", "--data-urlencode", "query=SELECT * WHERE { ?s ?p ?o } LIMIT 50")[0]
        == 200
    )


def _post(url: str, body: bytes, *headers: str) -> bytes:
    host = urllib.parse.urlsplit(url).netloc
    head = "\r\n".join(
        ["POST /sparql HTTP/1.1", f"Host: {host}", "Content-Type: application/sparql-query", *headers]
    )
    return raw(url, head.encode() + b"\r\n\r\n" + body)


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "+5", "٣", "5, 6"])
def test_bad_content_length_is_400(url: str, length: str, capsys: pytest.CaptureFixture[str]) -> None:
    answer = _post(url, LABELS.encode(), f"Content-Length: {length}")
    assert answer.startswith(b"HTTP/1.1 400 ") and b"is not a number of bytes" in answer
    assert "Traceback" not in capsys.readouterr().err
    assert get(url, LABELS)[0] == 200


def test_a_client_that_hangs_up_leaves_no_traceback(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    for _ in range(5):
        conn = socket.create_connection((host, int(port)), timeout=10)
        query = urllib.parse.urlencode({"query": LABELS})
        conn.sendall(f"GET /sparql?{query} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()  # a reset, before the answer is written
    time.sleep(0.5)
    assert get(url, LABELS)[0] == 200
    assert "Traceback" not in capsys.readouterr().err


def test_chunked_bodies_are_read_and_bounded(url: str) -> None:
    query = LABELS.encode()
    chunked = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (10, query[:10], len(query) - 10, query[10:])
    answer = _post(url, chunked, "Transfer-Encoding: chunked", "Accept: text/csv", "Connection: close")
    assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith("label\r\n示例学会\r\n".encode())
    big = b"%x\r\n%s\r\n" % (MAX_BODY, b"#" * MAX_BODY) + b"10\r\n" + b"#" * 16 + b"\r\n0\r\n\r\n"
    assert _post(url, big, "Transfer-Encoding: chunked").startswith(b"HTTP/1.1 413 ")
    assert _post(url, b"zz\r\nabc\r\n0\r\n\r\n", "Transfer-Encoding: chunked").startswith(b"HTTP/1.1 400 ")
    both = _post(url, chunked, "Transfer-Encoding: chunked", f"Content-Length: {len(chunked)}")
    assert both.startswith(b"HTTP/1.1 400 ")


def test_half_open_requests_time_out(url: str) -> None:
    """request_timeout is 2 s here: a client that stops mid-request is disconnected, not waited for."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    conns = [socket.create_connection((host, int(port)), timeout=10) for _ in range(20)]
    for conn in conns:
        conn.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nSELECT")
    started = time.monotonic()
    for conn in conns:
        assert conn.recv(100) == b""  # closed by the server
        conn.close()
    assert time.monotonic() - started < 8
    assert get(url, LABELS)[0] == 200


def test_connections_beyond_the_limit_get_503_at_once(data_dir: Path) -> None:
    server = make_server(data_dir, "127.0.0.1", 0, EndpointConfig(max_connections=8, request_timeout=5))
    base, thread = start(server)
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    idle = [socket.create_connection((host, int(port)), timeout=10) for _ in range(8)]
    try:
        time.sleep(0.3)
        answer = raw(base, b"GET /sparql HTTP/1.1\r\nHost: localhost\r\n\r\n", read_timeout=5)
        assert answer.startswith(b"HTTP/1.1 503 ") and b"too many connections" in answer
        assert server.request_queue_size >= 128
    finally:
        for conn in idle:
            conn.close()
    try:
        time.sleep(0.3)
        assert get(base, LABELS)[0] == 200
    finally:
        stop(server, thread)


def test_misc_requests(url: str) -> None:
    assert (
        curl("-G", f"{url}/sparql", "--data-urlencode", f"query={LABELS}", "-H", "Accept: image/png")[0]
        == 406
    )
    assert (
        curl("-X", "POST", f"{url}/sparql", "--data-binary", LABELS, "-H", "Content-Type: text/plain")[0]
        == 415
    )
    assert curl(f"{url}/nothing")[0] == 404
    assert curl(f"{url}/sparql?query=")[0] == 400


# ---- pages, the ontology, stores -----------------------------------------------------------------


def test_graph_view_at_root_and_query_page(url: str) -> None:
    code, headers, body = http(f"{url}/")
    assert (code, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert b"castkg graph" in body
    code, _, body = http(f"{url}/query")
    assert code == 200 and b"castkg SPARQL" in body and b"<script>" in body
    assert b'src="http' not in body and b'href="http' not in body  # bundled: works offline


def test_view_belongs_to_a_build_only(tmp_path: Path) -> None:
    (tmp_path / "other.ttl").write_text("", encoding="utf-8")
    (tmp_path / "graph.html").write_text("<html>", encoding="utf-8")
    assert view_for(tmp_path / "other.ttl") is None  # a graph.html that merely sits beside a file
    assert view_for(tmp_path) is None
    (tmp_path / "castkg.trig").write_text("", encoding="utf-8")
    assert view_for(tmp_path) == tmp_path / "graph.html"
    assert view_for(tmp_path / "castkg.trig") == tmp_path / "graph.html"


def test_ontology_graph_and_supertypes(data_dir: Path) -> None:
    by_schema = "SELECT ?e WHERE { ?e a schema:Event }"
    ontology = f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ckg:Event rdfs:subClassOf schema:Event }} }}"
    for supertypes, events in ((False, []), (True, ["https://w3id.org/castkg/id/event-meeting"])):
        server = make_server(data_dir, "127.0.0.1", 0, EndpointConfig(), supertypes=supertypes)
        base, thread = start(server)
        try:
            body = json.loads(get(base, by_schema)[2])
            assert [row["e"]["value"] for row in body["results"]["bindings"]] == events
            assert json.loads(get(base, ontology)[2])["boolean"] is True
        finally:
            stop(server, thread)


def test_store_backed_endpoint(tmp_path: Path) -> None:
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    update_store(tmp_path / "kg.store", dataset)
    server = make_server(tmp_path / "kg.store", "127.0.0.1", 0, EndpointConfig(), supertypes=True)
    base, thread = start(server)
    try:
        assert labels(get(base, LABELS)[2], ox.QueryResultsFormat.JSON) == ["示例学会"]
        body = json.loads(get(base, "SELECT ?e WHERE { ?e a schema:Event }")[2])
        assert len(body["results"]["bindings"]) == 1
        code, _, page = http(f"{base}/")
        assert code == 200 and b"castkg SPARQL" in page  # the query page: a store has no view
    finally:
        stop(server, thread)
    untouched = load_data(tmp_path / "kg.store")  # the endpoint added the ontology to a snapshot
    assert all(graph.value != ONTOLOGY_GRAPH for graph in untouched.named_graphs())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_cli_serve_binds_loopback_and_answers() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "castkg", "serve", "--data", str(FIXTURE), "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stderr.readline()  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}/sparql" in banner and "query page" in banner
        code, body = curl(
            "-G",
            f"http://127.0.0.1:{port}/sparql",
            "--data-urlencode",
            f"query={LABELS}",
            "-H",
            "Accept: text/csv",
        )
        assert (code, body.decode()) == (200, "label\r\n示例学会\r\n")
        code, page = curl(f"http://127.0.0.1:{port}/")
        assert code == 200 and b"castkg SPARQL" in page  # no graph.html beside a bare .trig: the query page
    finally:
        process.terminate()
        process.wait(10)
