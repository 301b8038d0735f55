"""Small real HTTP (and not quite HTTP) servers on 127.0.0.1 for the push fault tests.

Each listens on a port the OS chooses, answers every connection in its own thread and is
stopped by ``close()`` (or by leaving its ``with`` block). They speak over real sockets to
castkg's real HTTP client: a server that answers late, one that trickles its answer a byte
at a time, one that answers something that is not HTTP, one that hangs up, and a tiny Graph
Store that can require a login and refuse the n-th PUT.
"""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


def read_request(conn: socket.socket) -> Request | None:
    """Read one HTTP request (head and Content-Length body) from ``conn``; None if it closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(method, target, headers, body)


class Server:
    """A TCP server on 127.0.0.1 whose connections are each handled by ``handle(conn)`` in a thread."""

    def __init__(self, handle: Callable[[socket.socket], None]) -> None:
        self._handle = handle
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/store"
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn, suppress(OSError):  # the client went away (a deadline cut it): nothing to answer
            self._handle(conn)

    def close(self) -> None:
        self._stopped.set()
        self._listener.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def slow(delay: float) -> Server:
    """Reads the request, waits ``delay`` seconds, then answers 204."""

    def handle(conn: socket.socket) -> None:
        read_request(conn)
        time.sleep(delay)
        conn.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")

    return Server(handle)


def trickling(interval: float, seconds: float = 30.0) -> Server:
    """Reads the request, then sends a never-ending header one byte every ``interval`` seconds
    (each byte well inside any per-read timeout), for at most ``seconds``."""

    def handle(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 204 No Content\r\nX-Slow: ")
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            time.sleep(interval)
            conn.sendall(b"x")

    return Server(handle)


def not_http() -> Server:
    """Answers with an SSH banner, as a server on the wrong port would."""

    def handle(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    return Server(handle)


def hangs_up() -> Server:
    """Reads the request and closes the connection without a word."""

    def handle(conn: socket.socket) -> None:
        read_request(conn)

    return Server(handle)


@dataclass
class GraphStore:
    """A tiny Graph Store Protocol server: PUT ?graph=IRI or ?default stores the body.

    ``fail_on`` (1-based) PUTs get 500; with ``login`` set, a request without that basic-auth
    login gets 401.
    """

    fail_on: set[int] = field(default_factory=set)
    login: tuple[str, str] | None = None
    graphs: dict[str | None, bytes] = field(default_factory=dict)
    puts: list[str | None] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    server: Server | None = None

    def start(self) -> GraphStore:
        self.server = Server(self._handle)
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def _answer(self, conn: socket.socket, status: str, text: str = "") -> None:
        body = text.encode("utf-8")
        conn.sendall(
            f"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n".encode("ascii")
            + body
        )

    def _handle(self, conn: socket.socket) -> None:
        request = read_request(conn)
        if request is None:
            return
        self.authorizations.append(request.headers.get("authorization", ""))
        if self.login is not None:
            expected = "Basic " + base64.b64encode(":".join(self.login).encode()).decode()
            if request.headers.get("authorization") != expected:
                self._answer(conn, "401 Unauthorized", "login required\n")
                return
        if request.method != "PUT":
            self._answer(conn, "405 Method Not Allowed")
            return
        query = parse_qs(urlsplit(request.target).query, keep_blank_values=True)
        graph = query["graph"][0] if "graph" in query else None
        self.puts.append(graph)
        if len(self.puts) in self.fail_on:
            self._answer(conn, "500 Internal Server Error", "disk full\n")
            return
        self.graphs[graph] = request.body
        self._answer(conn, "204 No Content")

    def close(self) -> None:
        if self.server is not None:
            self.server.close()

    def __enter__(self) -> GraphStore:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
