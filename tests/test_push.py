"""castkg push against a real Oxigraph server (``oxigraph serve``) started on a free loopback port.

The graph is pushed, queried back through the server's own SPARQL endpoint, and compared with
the same queries run locally; a second push must leave the server unchanged; a closed port and
a wrong path must give one clear line and a non-zero exit.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset
from SPARQLWrapper import JSON, SPARQLWrapper

import castkg
from castkg.mapping import ENTITIES
from castkg.push import push
from castkg.query import load_data, named_queries, prepare, run_query

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_49d197ff665d3f42.txt"
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A fresh Oxigraph server on a free loopback port; yields its base URL and stops it after."""
    if not Path(OXIGRAPH).is_file():
        pytest.skip("the oxigraph server CLI is not installed (pip install oxigraph)")
    port = free_port()
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(tmp_path / "oxdb"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph serve did not start")
        yield base
    finally:
        process.terminate()
        process.wait(10)


def remote_rows(base: str, query: str) -> list[tuple[str | None, ...]]:
    client = SPARQLWrapper(f"{base}/query")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    names = answer["head"]["vars"]
    return [tuple(b[n]["value"] if n in b else None for n in names) for b in answer["results"]["bindings"]]


def push_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "castkg", "push", *args], capture_output=True, text=True, timeout=120
    )


def seed_trig(tmp_path: Path) -> Path:
    if not SEED.is_file():
        pytest.skip("the seed bulletin is not next to the repository")
    try:
        dataset = castkg.build([SEED])
    except NotImplementedError as exc:
        pytest.skip(f"the pipeline is not implemented yet ({exc})")
    path = tmp_path / "castkg.trig"
    dataset.serialize(path, format="trig")
    return path


@pytest.fixture(params=["fixture", "seed"])
def graph_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return FIXTURE if request.param == "fixture" else seed_trig(tmp_path)


def test_push_query_back_and_push_again(oxigraph: str, graph_file: Path) -> None:
    local = load_data(graph_file)
    store = f"{oxigraph}/store"
    done = push_cli(str(graph_file), "--endpoint", store)
    assert done.returncode == 0, done.stderr
    local_count = run_query(COUNT_DEFAULT, local).values()
    assert remote_rows(oxigraph, COUNT_DEFAULT) == local_count
    assert f"pushed {local_count[0][0]} triples in 1 graph" in done.stderr
    ranking = named_queries()["ranking"].text
    assert remote_rows(oxigraph, prepare(ranking)) == run_query(ranking, local).values()
    assert len(run_query(ranking, local).values()) > 0

    assert push_cli(str(graph_file), "--endpoint", store).returncode == 0
    assert remote_rows(oxigraph, COUNT_DEFAULT) == local_count


def test_push_per_article_twice(oxigraph: str, graph_file: Path) -> None:
    local = load_data(graph_file)
    for _ in range(2):
        done = push_cli(str(graph_file), "--endpoint", f"{oxigraph}/store", "--per-article")
        assert done.returncode == 0, done.stderr
        assert remote_rows(oxigraph, COUNT_GRAPHS) == run_query(COUNT_GRAPHS, local).values()
    assert remote_rows(oxigraph, COUNT_DEFAULT) == [("0",)]
    articles = run_query("SELECT (COUNT(*) AS ?n) WHERE { ?a a ckg:Article }", local).values()
    graphs = [row for row in remote_rows(oxigraph, COUNT_GRAPHS) if row[0] != str(ENTITIES)]
    assert len(graphs) == int(articles[0][0])  # one graph per article, and a build's graph of entities


def test_push_into_a_named_graph(oxigraph: str) -> None:
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    stats = push(dataset, f"{oxigraph}/store", graph="https://example.org/castkg")
    assert stats.graphs == 1
    assert remote_rows(oxigraph, COUNT_GRAPHS) == [("https://example.org/castkg", str(stats.triples))]
    assert stats.triples == int(run_query(COUNT_DEFAULT, dataset).values()[0][0])


def test_push_to_a_closed_port_fails_clearly() -> None:
    done = push_cli(str(FIXTURE), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert (
        len(lines) == 1 and lines[0].startswith("castkg: error: ") and "cannot reach the server" in lines[0]
    )
    assert "pushed" not in done.stderr and done.stdout == ""


def test_push_to_a_wrong_path_fails_clearly(oxigraph: str) -> None:
    done = push_cli(str(FIXTURE), "--endpoint", f"{oxigraph}/no-such-service")
    assert done.returncode == 2
    assert "refused the default graph with 404" in done.stderr and "pushed" not in done.stderr
