"""The query worker's sandbox, for real: no network (seccomp), a memory limit, crashes contained.

The second layer behind the SERVICE guard is tested without the guard: pyoxigraph is asked
to call a recording server from inside a worker. With the network blocked the server hears
nothing; without the block the same call reaches it (so the test can fail). A Python-level
block (replacing ``socket.socket``) is shown not to stop pyoxigraph, which is why castkg
blocks the system calls instead.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from castkg.query.sandbox import (
    Limits,
    QueryCrashed,
    QueryOutOfMemory,
    QueryTimeout,
    network_block_available,
    run_isolated,
)

sys.path.insert(0, os.path.dirname(__file__))
from test_service_guard import Recorder  # noqa: E402

needs_seccomp = pytest.mark.skipif(not network_block_available(), reason="no seccomp filter on this platform")


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    yield server
    server.close()


def call_out(url: str) -> list[str]:
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    return [str(row["s"]) for row in ox.Store().query(query)]  # type: ignore[union-attr]


@needs_seccomp
def test_worker_without_network_cannot_reach_another_server(recorder: Recorder) -> None:
    before = len(recorder.hits)
    assert run_isolated(lambda: call_out(recorder.url), Limits(timeout=20)) == ['"SECRET"']
    assert len(recorder.hits) == before + 1  # the call does go out when nothing blocks it
    with pytest.raises(Exception, match="Permission denied"):
        run_isolated(lambda: call_out(recorder.url), Limits(timeout=20, network=False))
    assert len(recorder.hits) == before + 1


def test_a_python_level_block_does_not_stop_pyoxigraph(recorder: Recorder) -> None:
    def patched() -> list[str]:
        def refuse(*args: object, **kwargs: object) -> socket.socket:
            raise PermissionError("no sockets")

        socket.socket = refuse  # type: ignore[assignment,misc]
        socket.create_connection = refuse  # type: ignore[assignment]
        return call_out(recorder.url)

    before = len(recorder.hits)
    assert run_isolated(patched, Limits(timeout=20)) == ['"SECRET"']
    assert len(recorder.hits) == before + 1


def _what_the_block_allows() -> dict[str, str]:
    outcome = {}
    attempts = {
        "tcp4": lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
        "udp4": lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
        "tcp6": lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM),
        "netlink": lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW),
        "unix": lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM),
        "socketpair": lambda: socket.socketpair()[0],
    }
    for name, attempt in attempts.items():
        try:
            attempt().close()
            outcome[name] = "allowed"
        except OSError as exc:
            outcome[name] = errno.errorcode.get(exc.errno or 0, str(exc))
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        unix.connect("/nonexistent/castkg.sock")
        outcome["connect"] = "allowed"
    except OSError as exc:
        outcome["connect"] = errno.errorcode.get(exc.errno or 0, str(exc))
    finally:
        unix.close()
    read, write = os.pipe()
    os.write(write, b"ok")
    outcome["pipe"] = os.read(read, 2).decode()
    return outcome


@needs_seccomp
def test_what_the_network_block_refuses() -> None:
    assert run_isolated(_what_the_block_allows, Limits(timeout=20, network=False)) == {
        "tcp4": "EACCES",
        "udp4": "EACCES",
        "tcp6": "EACCES",
        "netlink": "EACCES",
        "unix": "allowed",
        "socketpair": "allowed",
        "connect": "EACCES",  # any connect(), so not even an inherited socket can be pointed elsewhere
        "pipe": "ok",
    }
    unblocked = run_isolated(_what_the_block_allows, Limits(timeout=20))
    assert unblocked["tcp4"] == "allowed" and unblocked["connect"] == "ENOENT"


CROSS_JOIN_SORT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


def _sort_a_cross_join() -> int:
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)))
        for i in range(300)
    )
    return len(list(store.query(CROSS_JOIN_SORT)))  # type: ignore[arg-type]


def test_memory_limit_stops_a_sort_of_a_cross_join() -> None:
    started = time.monotonic()
    with pytest.raises(QueryOutOfMemory, match=r"more memory than a query may use \(256 MB\)"):
        run_isolated(_sort_a_cross_join, Limits(timeout=60, max_memory=256 << 20))
    assert time.monotonic() - started < 30


def test_a_crash_of_the_engine_is_an_error_not_an_outage() -> None:
    deep = "SELECT (" + "CONCAT(" * 100_000 + "'a'" + ")" * 100_000 + " AS ?x) {}"
    with pytest.raises(QueryCrashed, match=r"crashed \(SIG(SEGV|ABRT)\)"):
        run_isolated(lambda: list(ox.Store().query(deep)), Limits(timeout=60))  # type: ignore[call-overload]
    assert run_isolated(lambda: 1 + 1, Limits(timeout=10)) == 2


def test_the_deadline_kills_the_worker() -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="ran longer than 1s"):
        run_isolated(lambda: time.sleep(30), Limits(timeout=1))
    assert time.monotonic() - started < 5
