"""A read-only SPARQL 1.1 Protocol endpoint over a castkg graph or store (``castkg serve``).

``/sparql`` answers GET, POST ``application/x-www-form-urlencoded`` and POST
``application/sparql-query``; the Accept header picks JSON, XML, CSV or TSV results (Turtle for
CONSTRUCT and DESCRIBE). ``/`` serves the graph's ``graph.html``.

Safety, by construction rather than by hope:

* read-only: updates are answered 403 and the store is opened read-only (or held in memory);
* no outbound requests: a query with ``SERVICE`` is answered 403 before it runs;
* every query runs in a forked worker process that is killed at the deadline (503), so a
  pathological query (a huge cross join, an aggregate over it) cannot stall the server,
  and an answer over the row limit is refused (422) instead of being built in full;
* at most ``max_concurrent`` queries run at once (503 when busy); bodies over 1 MB get 413.

The server is the standard library's ``ThreadingHTTPServer``: the endpoint is small, so a web
framework would add a dependency without removing code.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from castkg.errors import QueryError
from castkg.query import (
    Data,
    RowLimitExceeded,
    ServiceRefused,
    data_file,
    format_result,
    is_store,
    is_update,
    load_data,
    run_query,
    uses_service,
)

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20
"""Largest request body accepted, in bytes."""

RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
"""Media types the endpoint writes SELECT and ASK results in, and the writer of each."""

MEDIA_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = ("text/turtle", "application/turtle", "application/x-turtle")


@dataclass(frozen=True)
class EndpointConfig:
    """Limits of the endpoint."""

    timeout: float = 30.0
    """Seconds a query may run (evaluation and writing) before it is cut with 503."""
    max_rows: int = 100_000
    """Most rows (or triples) an answer may have; more is refused with 422."""
    max_concurrent: int = 4
    """Queries running at once; one more waits up to ``timeout``, then gets 503."""


@dataclass(frozen=True)
class Response:
    """What the endpoint sends back: status, media type, body."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def text(cls, status: int, message: str) -> Response:
        """A plain-text response of one human line."""
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def negotiate(accept: str | None) -> tuple[str | None, bool]:
    """Pick the results format for an Accept header: (writer name or None, whether Turtle is acceptable).

    Follows q-values; ``*/*``, ``application/*`` or no header mean JSON. Returns ``(None, …)``
    when no SPARQL results type is acceptable.
    """
    if not accept or not accept.strip():
        return "json", True
    choices: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        parts = [part.strip() for part in item.split(";")]
        media, quality = parts[0].lower(), 1.0
        for part in parts[1:]:
            if part.startswith("q="):
                try:
                    quality = float(part[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            choices.append((-quality, position, media))
    choices.sort()
    turtle = any(media in GRAPH_TYPES or media in ("*/*", "text/*") for _, _, media in choices)
    for _, _, media in choices:
        if media in RESULT_TYPES:
            return RESULT_TYPES[media], turtle
        if media in ("*/*", "application/*"):
            return "json", True
        if media == "text/*":
            return "csv", True
    return None, turtle


def not_acceptable(accept: str | None) -> str:
    """The message for an Accept header the endpoint cannot satisfy."""
    return f"cannot answer in {accept!r}; accept one of {', '.join(MEDIA_TYPE.values())} or text/turtle"


def _answer_in_child(
    data: Data | Path, text: str, fmt: str | None, max_rows: int, accept: str | None, sender: object
) -> None:
    """Worker process body: run, write, send ``(status, media type, body)``, exit without cleanup."""
    status, media, body = 500, "text/plain; charset=utf-8", b"internal error\n"
    try:
        store = ox.Store.read_only(str(data)) if isinstance(data, Path) else data
        result = run_query(text, store, source="query", max_rows=max_rows, allow_service=False)
        if result.kind == "graph":
            status, media, body = 200, "text/turtle; charset=utf-8", format_result(result).encode("utf-8")
        elif fmt is None:  # the client accepts Turtle only, and this is not a graph
            status, body = 406, (not_acceptable(accept) + "\n").encode("utf-8")
        else:
            status, media = 200, MEDIA_TYPE[fmt] + "; charset=utf-8"
            body = format_result(result, fmt).encode("utf-8")
    except RowLimitExceeded as exc:
        status, body = 422, f"{exc}\n".encode()
    except ServiceRefused as exc:
        status, body = 403, f"{exc}\n".encode()
    except QueryError as exc:
        status, body = 400, f"{exc}\n".encode()
    except Exception as exc:  # a bug in castkg: report it, keep the server up
        status, body = 500, f"internal error: {type(exc).__name__}: {exc}\n".encode()
    finally:
        try:
            sender.send((status, media, body))  # type: ignore[attr-defined]
        finally:
            os._exit(0)  # no atexit handlers or finalizers of the parent's state in the child


class SparqlEndpoint:
    """Answers SPARQL queries on one dataset, each in a worker process with a deadline."""

    def __init__(self, data: Data | Path, config: EndpointConfig, graph_html: Path | None = None) -> None:
        """Serve ``data``: an in-memory pyoxigraph store, or a store folder (opened read-only per query)."""
        self.data = data
        self.config = config
        self.graph_html = graph_html
        self._slots = threading.BoundedSemaphore(config.max_concurrent)
        self._context = multiprocessing.get_context("fork")

    def answer(self, text: str, accept: str | None) -> Response:
        """Answer the query ``text`` for a client that accepts ``accept``."""
        if is_update(text):
            return Response.text(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if uses_service(text):
            return Response.text(
                403,
                "SERVICE is not allowed: this endpoint makes no outbound requests; "
                "query the other endpoint yourself",
            )
        fmt, turtle = negotiate(accept)
        if fmt is None and not turtle:
            return Response.text(406, not_acceptable(accept))
        if not self._slots.acquire(timeout=self.config.timeout):
            return Response.text(503, "the endpoint is busy; retry shortly")
        try:
            return self._run(text, fmt, accept)
        finally:
            self._slots.release()

    def _run(self, text: str, fmt: str | None, accept: str | None) -> Response:
        receiver, sender = self._context.Pipe(duplex=False)
        worker = self._context.Process(
            target=_answer_in_child,
            args=(self.data, text, fmt, self.config.max_rows, accept, sender),
            daemon=True,
        )
        worker.start()
        sender.close()
        try:
            if not receiver.poll(self.config.timeout):
                log.warning("query cut after %.1fs", self.config.timeout)
                return Response.text(
                    503,
                    f"the query ran longer than {self.config.timeout:g}s and was stopped; "
                    f"narrow it or add LIMIT",
                )
            status, media, body = receiver.recv()
            return Response(status, media, body)
        except EOFError:
            return Response.text(500, "the query worker stopped without an answer")
        finally:
            receiver.close()
            if worker.is_alive():
                worker.kill()
            worker.join()


def _handler(endpoint: SparqlEndpoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "castkg-sparql"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (the stdlib's name)
            log.info("%s %s", self.address_string(), format % args)

        def _send(self, response: Response, head_only: bool = False) -> None:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            if urlsplit(self.path).path == "/sparql":
                self.send_header("Vary", "Accept")
            self.end_headers()
            if not head_only:
                self.wfile.write(response.body)

        def _query(self, fields: dict[str, list[str]], body_query: str | None = None) -> None:
            if "update" in fields:
                self._send(Response.text(403, "this endpoint is read-only: SPARQL Update is not accepted"))
                return
            for unsupported in ("default-graph-uri", "named-graph-uri"):
                if unsupported in fields:
                    self._send(
                        Response.text(
                            400, f"{unsupported} is not supported; use FROM / FROM NAMED in the query"
                        )
                    )
                    return
            queries = [body_query] if body_query is not None else fields.get("query", [])
            if len(queries) != 1 or not queries[0].strip():
                self._send(Response.text(400, "give exactly one SPARQL query: ?query=… or a POST body"))
                return
            accept = self.headers.get("Accept")
            fmt = (fields.get("format") or [""])[0].lower()
            if (
                fmt in MEDIA_TYPE
            ):  # a convenience some endpoints (and SPARQLWrapper) use: ?format=json|xml|csv|tsv
                accept = MEDIA_TYPE[fmt]
            elif fmt == "turtle":
                accept = "text/turtle"
            self._send(endpoint.answer(queries[0], accept))

        def do_GET(self) -> None:  # noqa: N802  (the stdlib's name)
            url = urlsplit(self.path)
            if url.path == "/sparql":
                self._query(parse_qs(url.query))
            elif url.path in ("/", "/index.html", "/graph.html"):
                self._graph_html()
            else:
                self._send(
                    Response.text(
                        404, f"no {url.path} here: the SPARQL endpoint is /sparql, the graph view /"
                    )
                )

        def do_HEAD(self) -> None:  # noqa: N802
            if urlsplit(self.path).path in ("/", "/index.html", "/graph.html") and endpoint.graph_html:
                self._graph_html(head_only=True)
            else:
                self._send(Response.text(405, "HEAD is answered for / only"), head_only=True)

        def _graph_html(self, head_only: bool = False) -> None:
            page = endpoint.graph_html
            if page is None or not page.is_file():
                self._send(
                    Response.text(
                        404,
                        "no graph.html beside the data; `castkg build … -o DIR` writes "
                        "DIR/graph.html; the SPARQL endpoint is /sparql",
                    )
                )
                return
            self._send(Response(200, "text/html; charset=utf-8", page.read_bytes()), head_only)

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if url.path != "/sparql":
                self._send(Response.text(404, "POST queries to /sparql"))
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.close_connection = True
                if length <= 16 * MAX_BODY:  # read it away, so the client is not cut off mid-send
                    for _ in range(0, length, 65536):
                        self.rfile.read(min(65536, length))
                        length -= 65536
                self._send(Response.text(413, f"the request body is over {MAX_BODY} bytes"))
                return
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            fields = parse_qs(url.query)
            if media == "application/x-www-form-urlencoded":
                fields.update(parse_qs(body))
                self._query(fields)
            elif media == "application/sparql-query":
                self._query(fields, body_query=body)
            elif media == "application/sparql-update":
                self._send(Response.text(403, "this endpoint is read-only: SPARQL Update is not accepted"))
            else:
                self._send(
                    Response.text(
                        415,
                        "POST a query as application/sparql-query or "
                        "application/x-www-form-urlencoded (query=…)",
                    )
                )

        def do_PUT(self) -> None:  # noqa: N802
            self._send(Response.text(405, "this endpoint is read-only"))

        do_DELETE = do_PUT  # noqa: N815
        do_PATCH = do_PUT  # noqa: N815

    return Handler


def graph_html_for(path: Path) -> Path | None:
    """The ``graph.html`` that belongs with the data at ``path`` (beside it or in its folder), if any."""
    for candidate in (
        (path / "graph.html", path.parent / "graph.html") if path.is_dir() else (path.parent / "graph.html",)
    ):
        if candidate.is_file():
            return candidate
    return None


def make_server(
    data_path: Path, host: str = "127.0.0.1", port: int = 8000, config: EndpointConfig | None = None
) -> ThreadingHTTPServer:
    """Load the data at ``data_path`` and return a server for it bound to ``host:port`` (not yet serving).

    Raises :class:`QueryError` or :class:`~castkg.errors.StoreError` when the data cannot be
    opened, and :class:`QueryError` when the address cannot be bound.
    """
    data_path = Path(data_path)
    data: Data | Path
    if data_path.is_dir() and data_file(data_path) is None and is_store(data_path):
        load_data(data_path)  # fails early, with a clear message, when the store cannot be opened
        data = data_path.resolve()
    else:
        data = load_data(data_path)
    endpoint = SparqlEndpoint(data, config or EndpointConfig(), graph_html_for(data_path))
    try:
        server = ThreadingHTTPServer((host, port), _handler(endpoint))
    except OSError as exc:
        raise QueryError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port"
        ) from exc
    server.daemon_threads = True
    return server


def serve(
    data_path: Path, host: str = "127.0.0.1", port: int = 8000, config: EndpointConfig | None = None
) -> None:
    """Serve the data at ``data_path`` until interrupted (see :func:`make_server`)."""
    server = make_server(data_path, host, port, config)
    try:
        server.serve_forever()
    finally:
        server.server_close()


__all__ = ["EndpointConfig", "Response", "SparqlEndpoint", "make_server", "negotiate", "serve"]
