"""castkg serve: a real SPARQL 1.1 Protocol endpoint on a free loopback port, asked by real clients.

SPARQLWrapper (a third-party client) and curl ask it in every results format; answers are read
back with pyoxigraph's independent results parsers. Updates, SERVICE, a runaway query, an
over-large answer and an over-large request are each refused with their status while a
normal query keeps being answered.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from castkg.endpoint import EndpointConfig, make_server, negotiate

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
CURL = "/usr/bin/curl"
LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE { "
    "<https://w3id.org/castkg/id/org-demo> rdfs:label ?label }"
)
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    (folder / "castkg.trig").write_bytes(FIXTURE.read_bytes())
    (folder / "graph.html").write_text("<!doctype html><title>castkg graph</title>", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def url(data_dir: Path) -> Iterator[str]:
    server = make_server(
        data_dir, "127.0.0.1", 0, EndpointConfig(timeout=TIMEOUT, max_rows=50, max_concurrent=3)
    )
    assert server.server_address[0] == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def http(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def labels(body: bytes, kind: ox.QueryResultsFormat) -> list[str]:
    """The ?label column of a results document, read by an independent parser (csv for the lossy CSV)."""
    if kind == ox.QueryResultsFormat.CSV:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert rows[0] == ["label"]
        return [row[0] for row in rows[1:]]
    return [s["label"].value for s in ox.parse_query_results(body, format=kind)]


def curl(*args: str) -> tuple[int, bytes]:
    done = subprocess.run(
        [CURL, "-s", "-o", "-", "-w", "\n%{http_code}", *args], capture_output=True, check=True, timeout=30
    )
    body, _, code = done.stdout.rpartition(b"\n")
    return int(code), body


def test_negotiate() -> None:
    assert negotiate(None) == ("json", True)
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml") == ("xml", False)
    assert negotiate("text/html, */*;q=0.1")[0] == "json"
    assert negotiate("image/png")[0] is None


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
def test_sparqlwrapper_each_format(url: str, fmt: str, kind: ox.QueryResultsFormat, method: str) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(LABELS)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    response = client.query()
    body = response.response.read()
    assert labels(body, kind) == ["示例学会"]


def test_sparqlwrapper_json_and_construct(url: str) -> None:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(LABELS)
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]
    assert bindings == [{"label": {"type": "literal", "value": "示例学会", "xml:lang": "zh"}}]
    client.setQuery("CONSTRUCT WHERE { ?e <https://w3id.org/castkg/ontology#chair> ?p }")
    client.setReturnFormat(TURTLE)
    turtle = client.queryAndConvert()  # SPARQLWrapper hands Turtle back as bytes
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == 1


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
def test_curl_each_format(url: str, accept: str, kind: ox.QueryResultsFormat) -> None:
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


def test_curl_construct_gives_turtle(url: str) -> None:
    code, body = curl(
        "-X",
        "POST",
        f"{url}/sparql",
        "--data-urlencode",
        "query=CONSTRUCT WHERE { ?e ckg:chair ?p }",
        "-H",
        "Accept: text/turtle",
    )
    assert code == 200
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == 1


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
    code, _, body = http(f"{url}/sparql?query=" + urllib.request.quote("ASK { <http://e/a> ?p ?o }"))
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
    code, _, body = http(f"{url}/sparql?query=" + urllib.request.quote(LABELS))
    assert code == 200 and "示例学会" in body.decode()
    assert time.monotonic() - started < TIMEOUT  # answered while the runaway query still ran
    assert thread.is_alive()
    thread.join(30)
    assert outcome["code"] == 503
    assert b"longer than 2s" in outcome["body"]  # type: ignore[operator]
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 2  # type: ignore[operator]
    assert multiprocessing.active_children() == []  # the worker was killed, not left running
    assert http(f"{url}/sparql?query=" + urllib.request.quote(LABELS))[0] == 200


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


def test_misc_requests(url: str) -> None:
    assert curl(f"{url}/sparql")[0] == 400
    assert (
        curl("-G", f"{url}/sparql", "--data-urlencode", f"query={LABELS}", "-H", "Accept: image/png")[0]
        == 406
    )
    assert (
        curl("-X", "POST", f"{url}/sparql", "--data-binary", LABELS, "-H", "Content-Type: text/plain")[0]
        == 415
    )
    assert curl(f"{url}/nothing")[0] == 404
    assert (
        curl("-G", f"{url}/sparql", "--data-urlencode", f"query={LABELS}", "-H", "Accept: text/turtle")[0]
        == 406
    )


def test_graph_html_at_root(url: str) -> None:
    code, media, body = http(f"{url}/")
    assert (code, media) == (200, "text/html; charset=utf-8")
    assert b"castkg graph" in body


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_cli_serve_binds_loopback_and_answers(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "castkg", "serve", "--data", str(FIXTURE), "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stderr.readline()  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}/sparql" in banner
        code, body = curl(
            "-G",
            f"http://127.0.0.1:{port}/sparql",
            "--data-urlencode",
            f"query={LABELS}",
            "-H",
            "Accept: text/csv",
        )
        assert (code, body.decode()) == (200, "label\r\n示例学会\r\n")
        assert curl(f"http://127.0.0.1:{port}/")[0] == 404  # no graph.html beside a bare .trig
    finally:
        process.terminate()
        process.wait(10)
