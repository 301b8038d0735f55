"""castkg push when things go wrong: every URL, network and server fault gives exit 2 and one exact
line, each request has one deadline for all of it, a per-article push that fails part-way says
how far it got and resumes from there, and no password is ever printed.

The servers are small real ones on 127.0.0.1 (``faultservers``); the happy path against a real
``oxigraph serve`` is in test_push.py.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS

import faultservers
from castkg.cli import cli
from castkg.errors import StoreError
from castkg.push import PartialPush, parse_endpoint, push
from conftest import run_castkg, stderr_lines

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
CKG = "https://w3id.org/castkg/ontology#"
NO_ENV = {"CASTKG_PUSH_USER": "", "CASTKG_PUSH_PASSWORD": "", "NETRC": "/nonexistent"}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_error_line(*args: str, env: dict[str, str] | None = None) -> str:
    """Run ``castkg push ARGS`` (in this process, through click): it must exit 2 with exactly one
    stderr line and print nothing else."""
    result = CliRunner(env={**NO_ENV, **(env or {})}).invoke(cli, ["push", *args])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2, result.stderr
    assert len(lines) == 1 and result.stdout == "", result.stderr
    return lines[0]


def five_articles(tmp_path: Path) -> tuple[Path, list[str]]:
    """A TriG file of five small article graphs; returns it and the graph IRIs in IRI order."""
    dataset = Dataset()
    names = [f"https://w3id.org/castkg/id/article_{n}" for n in "abcde"]
    for name in names:
        graph = dataset.graph(URIRef(name))
        graph.add((URIRef(name), RDF.type, URIRef(CKG + "Article")))
        graph.add((URIRef(name), RDFS.label, Literal(f"示例 {name[-1]}", lang="zh")))
    path = tmp_path / "five.trig"
    dataset.serialize(path, format="trig")
    return path, names


# --- deadlines ---------------------------------------------------------------------------


def test_a_slow_server_is_a_deadline_not_an_unreachable_server() -> None:
    with faultservers.slow(delay=20) as server:  # a real castkg process, as a user runs it
        done = run_castkg("push", FIXTURE, "--endpoint", server.url, "--timeout", "1", env=NO_ENV)
    assert done.returncode == 2 and done.stdout == ""
    [line] = stderr_lines(done)
    assert line == (
        f"castkg: error: {server.url}: no complete answer for the default graph within 1 s (--timeout); "
        f"the server may still store it: retry with a longer --timeout"
    )


@pytest.mark.parametrize("make", [lambda: faultservers.slow(20), lambda: faultservers.trickling(0.2)])
def test_the_deadline_covers_the_whole_request(make) -> None:
    """A trickling answer (a byte every 0.2 s, far inside any per-read timeout) is cut at the deadline."""
    with make() as server:
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"no complete answer .* within 1\.5 s"):
            push(FIXTURE, server.url, timeout=1.5)
        elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 4.0, elapsed


# --- what the server says, or does not --------------------------------------------------


def test_an_answer_that_is_not_http() -> None:
    with faultservers.not_http() as server:
        line = one_error_line(str(FIXTURE), "--endpoint", server.url, "--timeout", "10")
    assert line == (
        f"castkg: error: {server.url}: the answer is not HTTP (BadStatusLine); "
        f"is this the server's Graph Store endpoint?"
    )


def test_a_server_that_hangs_up() -> None:
    with faultservers.hangs_up() as server:
        line = one_error_line(str(FIXTURE), "--endpoint", server.url, "--timeout", "10")
    assert line == (
        f"castkg: error: {server.url}: the server closed the connection before answering for the "
        f"default graph; is this its Graph Store endpoint?"
    )


def test_nothing_listening() -> None:
    url = f"http://127.0.0.1:{closed_port()}/store"
    line = one_error_line(str(FIXTURE), "--endpoint", url)
    assert (
        line == f"castkg: error: {url}: cannot reach the server (Connection refused); "
        "is it running at that address?"
    )


def test_a_host_that_does_not_exist() -> None:
    line = one_error_line(
        str(FIXTURE), "--endpoint", "http://no-such-host.invalid:7878/store", "--timeout", "20"
    )
    assert line.startswith("castkg: error: http://no-such-host.invalid:7878/store: cannot find the host (")
    assert line.endswith("); check the URL")


# --- malformed URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, message",
    [
        (
            "http://127.0.0.1:78x8/store",
            "http://127.0.0.1:78x8/store: not a valid URL "
            "(Port could not be cast to integer value as '78x8'); "
            "give the Graph Store endpoint, e.g. http://127.0.0.1:7878/store",
        ),
        (
            "http://127.0.0.1:99999/store",
            "http://127.0.0.1:99999/store: not a valid URL (Port out of range 0-65535); "
            "give the Graph Store endpoint, e.g. http://127.0.0.1:7878/store",
        ),
        (
            "http://[::1/store",
            "http://[::1/store: not a valid URL (Invalid IPv6 URL); "
            "give the Graph Store endpoint, e.g. http://127.0.0.1:7878/store",
        ),
        (
            "ftp://127.0.0.1/store",
            "ftp://127.0.0.1/store: give the Graph Store endpoint as an http:// or https:// URL with a host, "
            "e.g. http://127.0.0.1:7878/store",
        ),
        (
            "http:///store",
            "http:///store: give the Graph Store endpoint as an http:// or https:// URL with a host, "
            "e.g. http://127.0.0.1:7878/store",
        ),
        (
            "127.0.0.1:7878/store",
            "127.0.0.1:7878/store: give the Graph Store endpoint as an http:// or https:// URL with a host, "
            "e.g. http://127.0.0.1:7878/store",
        ),
        (
            "http://127.0.0.1:7878/my store",
            "http://127.0.0.1:7878/my store: not a valid URL (it holds a space); percent-encode it as %20",
        ),
        (
            "http://a..b/store",
            "http://a..b/store: not a usable URL "
            "(encoding with 'idna' codec failed (UnicodeError: label empty or too long))",
        ),
    ],
)
def test_a_malformed_url(url: str, message: str) -> None:
    assert one_error_line(str(FIXTURE), "--endpoint", url) == f"castkg: error: {message}"


# --- credentials -------------------------------------------------------------------------------


def test_a_password_in_the_url_is_used_and_never_printed() -> None:
    with faultservers.GraphStore(login=("alice", "s3cret")) as store:
        url = store.url.replace("http://", "http://alice:s3cret@")
        done = run_castkg("push", FIXTURE, "--endpoint", url, env=NO_ENV)
        assert done.returncode == 0, done.stderr
        assert "s3cret" not in done.stderr + done.stdout
        assert f"to {store.url.replace('http://', 'http://alice:***@')}" in done.stderr
        assert store.graphs and store.authorizations[-1].startswith("Basic ")
    port = closed_port()
    for extra in ([], ["--debug"]):  # a failure, with or without a traceback
        failed = run_castkg("push", FIXTURE, "--endpoint", f"http://alice:s3cret@127.0.0.1:{port}/s", *extra)
        assert failed.returncode == (1 if extra else 2), failed.stderr  # --debug: Python's traceback exit
        assert "s3cret" not in failed.stderr + failed.stdout
        assert "http://alice:***@127.0.0.1" in failed.stderr


def test_login_from_environment_variables() -> None:
    with faultservers.GraphStore(login=("alice", "s3cret")) as store:
        done = run_castkg(
            "push",
            FIXTURE,
            "--endpoint",
            store.url,
            env={**NO_ENV, "CASTKG_PUSH_USER": "alice", "CASTKG_PUSH_PASSWORD": "s3cret"},
        )
        assert done.returncode == 0, done.stderr
        assert "s3cret" not in done.stderr + done.stdout and None in store.graphs


def test_login_from_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login alice password s3cret\n", encoding="utf-8")
    netrc.chmod(0o600)
    with faultservers.GraphStore(login=("alice", "s3cret")) as store:
        done = run_castkg("push", FIXTURE, "--endpoint", store.url, env={**NO_ENV, "NETRC": str(netrc)})
        assert done.returncode == 0, done.stderr
        assert None in store.graphs


def test_no_login_and_a_wrong_login() -> None:
    with faultservers.GraphStore(login=("alice", "s3cret")) as store:
        assert one_error_line(str(FIXTURE), "--endpoint", store.url) == (
            f"castkg: error: {store.url}: the server refused the default graph with 401 Unauthorized: "
            f"login required; give a login (CASTKG_PUSH_USER/CASTKG_PUSH_PASSWORD or ~/.netrc)"
        )
        wrong = {"CASTKG_PUSH_USER": "alice", "CASTKG_PUSH_PASSWORD": "guess"}
        assert one_error_line(str(FIXTURE), "--endpoint", store.url, env=wrong) == (
            f"castkg: error: {store.url}: the server refused the default graph with 401 Unauthorized: "
            f"login required; the login was not accepted"
        )
        assert store.graphs == {}


def test_a_password_without_a_user() -> None:
    with pytest.raises(StoreError) as raised:
        parse_endpoint("http://127.0.0.1:1/s", {"CASTKG_PUSH_PASSWORD": "s3cret", "NETRC": "/nonexistent"})
    assert str(raised.value) == (
        "http://127.0.0.1:1/s: a password is set (CASTKG_PUSH_PASSWORD) but no user; "
        "set CASTKG_PUSH_USER or put user@ in the URL"
    )


def test_tokens_in_the_query_are_masked() -> None:
    shown = parse_endpoint("https://u:p@qlever.example/api?access-token=abc123&x=1", {}).shown
    assert shown == "https://u:***@qlever.example/api?access-token=***&x=1"


# --- a per-article push that fails part-way ------------------------------------------------------


def test_a_partial_per_article_push_says_how_far_it_got_and_resumes(tmp_path: Path) -> None:
    data, names = five_articles(tmp_path)
    with faultservers.GraphStore(fail_on={3}) as store:
        line = one_error_line(str(data), "--endpoint", store.url, "--per-article")
        assert line == (
            f"castkg: error: {store.url}: the server refused graph <{names[2]}> with 500 Internal Server "
            f"Error: disk full; is this its Graph Store endpoint, and may you write to it? (the 2 article "
            f"graphs before it in IRI order were replaced, graph 3 of 5 was not; resume with "
            f"--resume-from {names[2]})"
        )
        assert sorted(g for g in store.graphs if g) == names[:2]
        done = run_castkg("push", data, "--endpoint", store.url, "--per-article", "--resume-from", names[2])
        assert done.returncode == 0, done.stderr
        assert store.puts[3:] == names[2:], "the resumed push starts at the failed graph"
        assert sorted(g for g in store.graphs if g) == names
        assert (
            "pushed 6 triples in 3 graphs" in done.stderr and "resumed after 2 article graphs" in done.stderr
        )


def test_partial_push_from_python_lists_the_graphs_that_landed(tmp_path: Path) -> None:
    data, names = five_articles(tmp_path)
    with faultservers.GraphStore(fail_on={4}) as store, pytest.raises(PartialPush) as raised:
        push(data, store.url, per_article=True, timeout=10)
    assert raised.value.landed == tuple(names[:3]) and raised.value.failed == names[3]


def test_resume_from_an_unknown_graph(tmp_path: Path) -> None:
    data, _ = five_articles(tmp_path)
    with faultservers.GraphStore() as store:
        line = one_error_line(str(data), "--endpoint", store.url, "--per-article", "--resume-from", "urn:x")
        assert line == "castkg: error: --resume-from urn:x: not one of the 5 article graphs to push"
        assert store.puts == []
