"""A read-only SPARQL 1.1 Protocol endpoint over a castkg graph or store (``castkg serve``).

``/sparql`` answers GET, HEAD and POST (``application/x-www-form-urlencoded`` or
``application/sparql-query``); without a query it gives its SPARQL 1.1 service description.
Content negotiation picks JSON, XML, CSV or TSV for SELECT and ASK, Turtle, N-Triples,
JSON-LD or RDF/XML for CONSTRUCT and DESCRIBE (``?format=`` too). ``/`` serves the graph's
view when it was built with the data, else a small query page (``/query`` always). CORS is
answered for every origin (or an allow-list), with OPTIONS preflights.

Safety, by construction rather than by hope:

* read-only: updates are answered 403, and a query runs on a store opened read-only or
  held in memory, in a worker process;
* no outbound requests, two layers: a query that may use ``SERVICE`` is refused (403) by a
  guard that follows Oxigraph's own grammar (:mod:`castkg.query.scan`), and each query
  worker runs under a seccomp filter that refuses it network sockets
  (:func:`castkg.query.sandbox.block_network`);
* DNS rebinding: a request whose ``Host`` is not a loopback name, an IP address or a name
  given with ``allowed_hosts`` is refused;
* bounded: each query runs in a forked worker with a deadline, an address-space limit and a
  deep stack (503 at the deadline or the memory limit, and a worker crash is an answer, not
  an outage); at most ``max_concurrent`` long queries run at once, and one more slot is kept
  for short queries; bodies over 1 MB (chunked or not) get 413, a bad ``Content-Length``
  400; every socket has a timeout and at most ``max_connections`` are served at once;
  an answer over the row limit is refused (422) instead of being built in full.

The server is the standard library's ``ThreadingHTTPServer``: the endpoint is small, so a web
framework would add a dependency without removing code.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import logging
import re
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from castkg.errors import QueryError
from castkg.graphs import PREFIXES, TRIG, TURTLE, VIEW
from castkg.query import (
    Data,
    RowLimitExceeded,
    ServiceRefused,
    data_file,
    format_result,
    is_store,
    is_update,
    load_data,
    query_form,
    run_query,
    unknown_terms,
    uses_service,
)
from castkg.query.data import ONTOLOGY_GRAPH, add_ontology, has_ontology
from castkg.query.sandbox import (
    Limits,
    QueryCrashed,
    QueryOutOfMemory,
    QueryTimeout,
    network_block_available,
    run_isolated,
)

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20
"""Largest request body accepted, in bytes (chunked or not)."""
READ_AWAY = 16 * MAX_BODY
"""A body up to this size is read and dropped before the 413, so the client hears the answer."""
STATIC = Path(__file__).resolve().parent / "query" / "static"

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
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",  # Turtle is N3
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}
"""Media types the endpoint writes CONSTRUCT and DESCRIBE answers (and its description) in."""
MEDIA_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
# ?format= / ?output= values, as SPARQLWrapper and other clients send them, per kind of answer.
_FORMAT_PARAMETER = {
    "results": {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"},
    "graph": {
        "turtle": "turtle",
        "ttl": "turtle",
        "n3": "turtle",
        "nt": "ntriples",
        "ntriples": "ntriples",
        "n-triples": "ntriples",
        "json-ld": "jsonld",
        "jsonld": "jsonld",
        "json": "jsonld",
        "xml": "rdfxml",
        "rdf": "rdfxml",
        "rdf+xml": "rdfxml",
        "rdfxml": "rdfxml",
    },
}
_DESCRIPTION = (
    "castkg: the knowledge graph of CAST news bulletins, read-only. The default graph is the merge "
    "of the article graphs; each article is a named graph; the ontology is the named graph "
    f"<{ONTOLOGY_GRAPH}>."
)
_OFFERED = {"results": (RESULT_TYPES, "json"), "graph": (GRAPH_TYPES, "turtle")}
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
_METHODS = "GET, HEAD, POST, OPTIONS"
_READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
_BUSY = b"too many connections; retry shortly\n"
_DIGITS = re.compile(r"[0-9]{1,15}")
_HOST = re.compile(r"(?:[A-Za-z0-9_\-.]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?", re.ASCII)
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,8}")


@dataclass(frozen=True)
class EndpointConfig:
    """Limits and access rules of the endpoint."""

    timeout: float = 30.0
    """Seconds a query may run (evaluation and writing) before it is cut with 503."""
    max_rows: int = 100_000
    """Most rows (or triples) an answer may have; more is refused with 422."""
    max_concurrent: int = 4
    """Queries running at once on the general slots; one more waits up to ``timeout``, then gets 503."""
    short_query_seconds: float = 2.0
    """A further slot runs queries while the general ones are all taken, cut after this many seconds."""
    max_memory_mb: int = 1024
    """Megabytes of address space a query worker may use beyond what it inherits."""
    request_timeout: float = 10.0
    """Seconds a connection may sit idle or dribble a request before it is closed."""
    max_connections: int = 256
    """Connections served at once; more are answered 503 at once."""
    allowed_hosts: tuple[str, ...] = ()
    """Host names served besides loopback names and IP addresses (``*``: any host)."""
    allowed_origins: tuple[str, ...] = ("*",)
    """Origins whose browser requests are served and may read answers (``*``: any origin)."""


@dataclass(frozen=True)
class Response:
    """What the endpoint sends back: status, media type, body, extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def text(cls, status: int, message: str) -> Response:
        """A plain-text response of one human line."""
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def negotiate(accept: str | None, kind: str = "results") -> str | None:
    """Pick the writer for an Accept header and a kind of answer (``results`` or ``graph``).

    Follows q-values and the order of equal ones; ``*/*``, no header or an empty one mean the
    kind's default (JSON results, Turtle graphs); ``type/*`` means the first offered type of
    that family. Returns None when nothing acceptable can be written.
    """
    offered, default = _OFFERED[kind]
    if not accept or not accept.strip():
        return default
    choices: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        parts = [part.strip() for part in item.split(";")]
        media, quality = parts[0].lower(), 1.0
        for part in parts[1:]:
            if part.replace(" ", "").startswith("q="):
                try:
                    quality = float(part.split("=", 1)[1])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            choices.append((-quality, position, media))
    for _, _, media in sorted(choices):
        if media in offered:
            return offered[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            family = media[:-1]
            match = next(
                (fmt for offered_media, fmt in offered.items() if offered_media.startswith(family)), None
            )
            if match:
                return match
    return None


def not_acceptable(accept: str | None, kind: str) -> str:
    """The message for an Accept header the endpoint cannot satisfy for this kind of answer."""
    what = "SELECT and ASK results" if kind == "results" else "CONSTRUCT and DESCRIBE answers"
    writers = _OFFERED[kind][0]
    names = ", ".join(sorted({MEDIA_TYPE[fmt] for fmt in writers.values()}))
    return f"cannot write {what} as {accept!r}; accept one of {names}"


def write_answer(text: str, data: Data | Path, fmt: str, max_rows: int) -> Response:
    """Run ``text`` on ``data`` and write its answer with writer ``fmt`` (in a query worker)."""
    store = ox.Store.read_only(str(data)) if isinstance(data, Path) else data
    result = run_query(text, store, source="query", max_rows=max_rows, allow_service=False)
    if result.kind == "graph":
        fmt = fmt if fmt in _RDF_FORMATS else "turtle"
        if fmt == "turtle":
            body = format_result(result).encode("utf-8")
        else:
            body = ox.serialize(result.triples, format=_RDF_FORMATS[fmt], prefixes=PREFIXES) or b""
    else:
        fmt = fmt if fmt in ("json", "xml", "csv", "tsv") else "json"
        body = format_result(result, fmt).encode("utf-8")
    warnings = unknown_terms(text)  # the query ran, and may have found nothing because of these
    headers = (("castkg-warning", "; ".join(warnings)),) if warnings else ()
    return Response(200, f"{MEDIA_TYPE[fmt]}; charset=utf-8", body, headers)


class QuerySlots:
    """``general`` slots for any query, and one more for short queries when they are all taken."""

    def __init__(self, general: int) -> None:
        self._lock = threading.Condition()
        self._free = general
        self._short_free = 1

    def acquire(self, wait: float) -> str | None:
        """Take a slot within ``wait`` seconds: ``"general"``, ``"short"`` or None (none came free)."""
        with self._lock:
            if not self._lock.wait_for(lambda: self._free > 0 or self._short_free > 0, timeout=wait):
                return None
            if self._free > 0:
                self._free -= 1
                return "general"
            self._short_free -= 1
            return "short"

    def release(self, slot: str) -> None:
        """Give back a slot taken with :meth:`acquire`."""
        with self._lock:
            if slot == "general":
                self._free += 1
            else:
                self._short_free += 1
            self._lock.notify()


class SparqlEndpoint:
    """Answers SPARQL queries on one dataset, each in a sandboxed worker process with a deadline."""

    def __init__(
        self,
        data: Data | Path,
        config: EndpointConfig,
        view: Path | None = None,
        bound_host: str = "127.0.0.1",
        cleanup: Path | None = None,
    ) -> None:
        """Serve ``data``: an in-memory pyoxigraph store, or a store folder (opened read-only per query).

        ``view`` is the graph.html built with the data (served at ``/``); ``cleanup`` a
        folder to remove when the endpoint closes (a snapshot of a store).
        """
        self.data = data
        self.config = config
        self.view = view
        self._cleanup = cleanup
        self._slots = QuerySlots(config.max_concurrent)
        self._hosts = {host.lower().strip("[]") for host in config.allowed_hosts}
        if bound_host not in ("", "0.0.0.0", "::"):
            self._hosts.add(bound_host.lower().strip("[]"))
        self.sandboxed = network_block_available()
        if not self.sandboxed:
            log.warning(
                "this platform cannot deny query workers network sockets; the SERVICE guard is the only "
                "layer against outbound requests"
            )
        self.triples = self._count_default_graph()

    def _count_default_graph(self) -> int:
        store = ox.Store.read_only(str(self.data)) if isinstance(self.data, Path) else self.data
        counted = run_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", store).values()
        return int(counted[0][0] or 0)

    def close(self) -> None:
        """Remove what the endpoint made for itself (a store snapshot)."""
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)
            self._cleanup = None

    def host_allowed(self, host: str) -> bool:
        """Whether a request for ``Host: host`` is served (the guard against DNS rebinding)."""
        if not _HOST.fullmatch(host.strip()):
            return False  # not a host[:port] at all
        if "*" in self._hosts:
            return True
        name = host.strip().lower()
        if name.startswith("["):
            name = name[1 : name.find("]")] if "]" in name else name
        elif name.count(":") == 1:
            name = name.split(":", 1)[0]
        if name in _LOOPBACK_NAMES or name in self._hosts:
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True  # an address cannot be rebound to another machine by DNS

    def origin_allowed(self, origin: str | None) -> bool:
        """Whether a browser request from ``origin`` is served (requests without one always are)."""
        return origin is None or "*" in self.config.allowed_origins or origin in self.config.allowed_origins

    def cors_headers(self, origin: str | None) -> list[tuple[str, str]]:
        """The CORS headers of an answer to a request from ``origin``."""
        expose = ("Access-Control-Expose-Headers", "castkg-warning")
        if "*" in self.config.allowed_origins:
            return [("Access-Control-Allow-Origin", "*"), expose]
        if origin is not None and origin in self.config.allowed_origins:
            return [("Access-Control-Allow-Origin", origin), expose, ("Vary", "Origin")]
        return [("Vary", "Origin")]

    def answer(self, text: str, accept: str | None, fmt_parameter: str | None = None) -> Response:
        """Answer the query ``text`` for a client that accepts ``accept`` (or asked ``?format=``)."""
        if is_update(text):
            return Response.text(403, _READ_ONLY)
        if uses_service(text):
            return Response.text(
                403,
                "SERVICE is not allowed: this endpoint makes no outbound requests; "
                "query the other endpoint yourself",
            )
        kind = "graph" if query_form(text) in ("CONSTRUCT", "DESCRIBE") else "results"
        fmt = _FORMAT_PARAMETER[kind].get((fmt_parameter or "").lower()) or negotiate(accept, kind)
        if fmt is None:  # decided before anything runs
            return Response.text(406, not_acceptable(accept, kind))
        slot = self._slots.acquire(self.config.timeout)
        if slot is None:
            return Response.text(503, "the endpoint is busy; retry shortly")
        short = slot == "short"
        limits = Limits(
            timeout=min(self.config.timeout, self.config.short_query_seconds)
            if short
            else self.config.timeout,
            max_memory=self.config.max_memory_mb << 20,
            network=not self.sandboxed,
        )
        try:
            return run_isolated(
                functools.partial(write_answer, text, self.data, fmt, self.config.max_rows), limits
            )
        except RowLimitExceeded as exc:
            return Response.text(422, str(exc))
        except ServiceRefused as exc:
            return Response.text(403, str(exc))
        except QueryTimeout as exc:
            if short:
                return Response.text(
                    503,
                    f"the endpoint is busy with long queries and this one ran past "
                    f"{self.config.short_query_seconds:g}s; retry shortly",
                )
            log.warning("query cut after %.1fs", limits.timeout or 0)
            return Response.text(503, str(exc))
        except QueryOutOfMemory as exc:
            log.warning("query stopped at the memory limit")
            return Response.text(503, str(exc))
        except QueryCrashed as exc:
            log.warning("query worker crashed: %s", exc)
            return Response.text(400, str(exc))
        except QueryError as exc:
            return Response.text(400, str(exc))
        finally:
            self._slots.release(slot)

    def description(
        self, endpoint_url: str, accept: str | None, fmt_parameter: str | None = None
    ) -> Response:
        """The SPARQL 1.1 service description of the endpoint at ``endpoint_url``."""
        fmt = _FORMAT_PARAMETER["graph"].get((fmt_parameter or "").lower()) or negotiate(accept, "graph")
        if fmt is None:
            return Response.text(406, not_acceptable(accept, "graph"))
        result_formats = ", ".join(
            f"<http://www.w3.org/ns/formats/{name}>"
            for name in (
                "SPARQL_Results_JSON",
                "SPARQL_Results_XML",
                "SPARQL_Results_CSV",
                "SPARQL_Results_TSV",
                "Turtle",
                "N-Triples",
                "JSON-LD",
                "RDF_XML",
            )
        )
        turtle = f"""
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{endpoint_url}> a sd:Service ;
    sd:endpoint <{endpoint_url}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat {result_formats} ;
    dcterms:description "{_DESCRIPTION}"@en ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; void:triples {self.triples} ] ;
        sd:namedGraph [ a sd:NamedGraph ; sd:name <{ONTOLOGY_GRAPH}> ]
    ] .
"""
        triples = list(ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE))
        prefixes = {
            "sd": "http://www.w3.org/ns/sparql-service-description#",
            "void": "http://rdfs.org/ns/void#",
        }
        body = ox.serialize(triples, format=_RDF_FORMATS[fmt], prefixes=prefixes) or b""
        return Response(200, f"{MEDIA_TYPE[fmt]}; charset=utf-8", body)

    def page(self, path: str) -> Response:
        """``/``: the graph view built with the data, else the query page; ``/query``: the query page."""
        if path in ("/", "/index.html", "/graph.html") and self.view is not None and self.view.is_file():
            return Response(200, "text/html; charset=utf-8", self.view.read_bytes())
        if path == "/graph.html":
            return Response.text(404, "this endpoint has no graph view; the query page is /query")
        return Response(200, "text/html; charset=utf-8", (STATIC / "sparql.html").read_bytes())


class EndpointServer(ThreadingHTTPServer):
    """A threading HTTP server that serves at most ``max_connections`` connections at once."""

    daemon_threads = True
    request_queue_size = 256  # the listen backlog: bursts of new connections wait, they are not reset

    def __init__(self, address: tuple[str, int], endpoint: SparqlEndpoint) -> None:
        self.endpoint = endpoint
        self._connections = threading.BoundedSemaphore(endpoint.config.max_connections)
        super().__init__(address, _handler(endpoint))

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        if not self._connections.acquire(blocking=False):
            message = b"too many connections; retry shortly\n"
            with contextlib.suppress(OSError):
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    b"Connection: close\r\nContent-Length: "
                    + str(len(message)).encode()
                    + b"\r\n\r\n"
                    + message
                )
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)  # type: ignore[arg-type]
        except BaseException:
            self._connections.release()
            raise

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)  # type: ignore[arg-type]
        finally:
            self._connections.release()

    def handle_error(self, request: object, client_address: object) -> None:
        """A bug in a request's handling: one log line (the traceback only at debug level)."""
        log.error("internal error while answering %s (rerun with --debug for the traceback)", client_address)
        log.debug("traceback", exc_info=True)

    def server_close(self) -> None:
        super().server_close()
        self.endpoint.close()


class _BadRequest(Exception):
    """A request the endpoint answers with ``response`` and then closes the connection."""

    def __init__(self, response: Response | None) -> None:
        super().__init__(response.body.decode() if response else "connection closed")
        self.response = response


def _handler(endpoint: SparqlEndpoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "castkg-sparql"
        protocol_version = "HTTP/1.1"
        timeout = endpoint.config.request_timeout  # on every socket read and write
        disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (the stdlib's name)
            log.info("%s %s", self.address_string(), format % args)

        def _send(self, response: Response, head_only: bool = False) -> None:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in endpoint.cors_headers(self.headers.get("Origin")):
                self.send_header(name, value)
            if urlsplit(self.path).path == "/sparql":
                self.send_header("Vary", "Accept, Origin")
            for name, value in response.headers:
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if not head_only:
                self.wfile.write(response.body)

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            except (ConnectionError, TimeoutError):  # the client went away or stalled: nothing to say
                self.close_connection = True

        def _admitted(self, head_only: bool = False) -> bool:
            """Check Host and Origin; answer 403 and return False when the request is refused."""
            host = self.headers.get("Host")
            if host is not None and not endpoint.host_allowed(host):
                self.close_connection = True
                self._send(
                    Response.text(
                        403,
                        f"Host {host!r} is not served here (a guard against DNS rebinding); "
                        f"start castkg serve with --allow-host NAME to serve that name",
                    ),
                    head_only,
                )
                return False
            if not endpoint.origin_allowed(self.headers.get("Origin")):
                self.close_connection = True
                self._send(
                    Response.text(403, f"requests from {self.headers.get('Origin')!r} are not served here"),
                    head_only,
                )
                return False
            return True

        def _endpoint_url(self) -> str:
            address = self.server.server_address
            host = self.headers.get("Host") or f"{address[0]!s}:{address[1]!s}"  # type: ignore[index]
            return f"http://{host}/sparql"

        def _query(
            self, fields: dict[str, list[str]], body_query: str | None = None, head_only: bool = False
        ) -> None:
            if "update" in fields:
                self._send(Response.text(403, _READ_ONLY), head_only)
                return
            for unsupported in ("default-graph-uri", "named-graph-uri"):
                if unsupported in fields:
                    message = f"{unsupported} is not supported; use FROM / FROM NAMED in the query"
                    self._send(Response.text(400, message), head_only)
                    return
            fmt = next(iter(fields.get("format") or fields.get("output") or []), None)
            queries = [body_query] if body_query is not None else fields.get("query", [])
            if not queries:
                self._send(
                    endpoint.description(self._endpoint_url(), self.headers.get("Accept"), fmt), head_only
                )
                return
            if len(queries) != 1 or not queries[0].strip():
                self._send(
                    Response.text(400, "give exactly one SPARQL query: ?query=… or a POST body"), head_only
                )
                return
            self._send(endpoint.answer(queries[0], self.headers.get("Accept"), fmt), head_only)

        def _get(self, head_only: bool) -> None:
            if not self._admitted(head_only):
                return
            url = urlsplit(self.path)
            if url.path == "/sparql":
                try:
                    fields = parse_qs(url.query, keep_blank_values=True, max_num_fields=64)
                except ValueError:
                    self._send(Response.text(400, "too many parameters"), head_only)
                    return
                self._query(fields, head_only=head_only)
            elif url.path in ("/", "/index.html", "/graph.html", "/query"):
                self._send(endpoint.page(url.path), head_only)
            else:
                message = f"no {url.path} here: the SPARQL endpoint is /sparql, the query page /query"
                self._send(Response.text(404, message), head_only)

        def do_GET(self) -> None:  # noqa: N802  (the stdlib's name)
            self._get(head_only=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._get(head_only=True)

        def do_OPTIONS(self) -> None:  # noqa: N802
            if not self._admitted():
                return
            requested = self.headers.get("Access-Control-Request-Headers")
            headers = [
                ("Allow", _METHODS),
                ("Access-Control-Allow-Methods", _METHODS),
                ("Access-Control-Allow-Headers", requested or "Accept, Content-Type"),
                ("Access-Control-Max-Age", "600"),
            ]
            self._send(Response(204, "text/plain; charset=utf-8", b"", tuple(headers)))

        def _body(self) -> bytes:
            """The request body, bounded; raises :class:`_BadRequest` with the answer to give instead."""
            encoding = self.headers.get("Transfer-Encoding")
            lengths = self.headers.get_all("Content-Length") or []
            if encoding is not None:
                if lengths:
                    raise _BadRequest(
                        Response.text(400, "give Content-Length or Transfer-Encoding, not both")
                    )
                if encoding.strip().lower() != "chunked":
                    raise _BadRequest(Response.text(501, f"Transfer-Encoding {encoding!r} is not supported"))
                return self._chunked()
            if not lengths:
                return b""
            if len({value.strip() for value in lengths}) != 1 or not _DIGITS.fullmatch(lengths[0].strip()):
                raise _BadRequest(
                    Response.text(400, f"Content-Length {', '.join(lengths)!r} is not a number of bytes")
                )
            length = int(lengths[0])
            if length > MAX_BODY:
                if length <= READ_AWAY:  # read it away, so the client is not cut off mid-send
                    while length > 0:
                        chunk = self.rfile.read(min(65536, length))
                        if not chunk:
                            break
                        length -= len(chunk)
                raise _BadRequest(Response.text(413, f"the request body is over {MAX_BODY} bytes"))
            body = self.rfile.read(length)
            if len(body) < length:
                raise _BadRequest(None)  # the client went away mid-body
            return body

        def _chunked(self) -> bytes:
            parts: list[bytes] = []
            total = 0
            while True:
                line = self.rfile.readline(1024)
                size_text = line.split(b";", 1)[0].strip()
                if not line.endswith(b"\n") or not _CHUNK_SIZE.fullmatch(size_text):
                    raise _BadRequest(Response.text(400, "a malformed chunk in a chunked body"))
                size = int(size_text, 16)
                if size == 0:
                    for _ in range(64):  # trailer fields, then the empty line
                        if self.rfile.readline(1024) in (b"\r\n", b"\n", b""):
                            return b"".join(parts)
                    raise _BadRequest(Response.text(400, "too many trailer fields in a chunked body"))
                total += size
                if total > MAX_BODY:
                    raise _BadRequest(Response.text(413, f"the request body is over {MAX_BODY} bytes"))
                data = self.rfile.read(size)
                if len(data) < size:
                    raise _BadRequest(None)
                if self.rfile.read(2) not in (b"\r\n",):
                    raise _BadRequest(Response.text(400, "a malformed chunk in a chunked body"))
                parts.append(data)

        def do_POST(self) -> None:  # noqa: N802
            if not self._admitted():
                self.close_connection = True
                return
            url = urlsplit(self.path)
            try:
                body = self._body()
            except _BadRequest as refused:
                self.close_connection = True
                if refused.response is not None:
                    self._send(refused.response)
                return
            except TimeoutError:
                self.close_connection = True
                return
            if url.path != "/sparql":
                self._send(Response.text(404, "POST queries to /sparql"))
                return
            text = body.decode("utf-8", errors="replace")
            media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            try:
                fields = parse_qs(url.query, keep_blank_values=True, max_num_fields=64)
                if media == "application/x-www-form-urlencoded":
                    fields.update(parse_qs(text, keep_blank_values=True, max_num_fields=64))
            except ValueError:
                self._send(Response.text(400, "too many parameters"))
                return
            if media == "application/x-www-form-urlencoded":
                self._query(fields)
            elif media == "application/sparql-query":
                self._query(fields, body_query=text)
            elif media == "application/sparql-update":
                self._send(Response.text(403, _READ_ONLY))
            else:
                self._send(
                    Response.text(
                        415,
                        "POST a query as application/sparql-query or "
                        "application/x-www-form-urlencoded (query=…)",
                    )
                )

        def do_PUT(self) -> None:  # noqa: N802
            self.close_connection = True
            self._send(Response.text(405, "this endpoint is read-only"))

        do_DELETE = do_PUT  # noqa: N815
        do_PATCH = do_PUT  # noqa: N815

    return Handler


def view_for(path: Path) -> Path | None:
    """The graph.html a ``castkg build -o DIR`` wrote with the data at ``path``, if any.

    Only a build's own output qualifies: DIR itself, or DIR/castkg.trig or DIR/castkg.ttl, with
    DIR/graph.html beside it; a graph.html that merely sits next to some other file does not.
    """
    folder = path if path.is_dir() else path.parent
    if path.is_file() and path.name not in (TRIG, TURTLE):
        return None
    if not any((folder / name).is_file() for name in (TRIG, TURTLE)):
        return None
    page = folder / VIEW
    return page if page.is_file() else None


def _store_snapshot(store_dir: Path, supertypes: bool) -> tuple[Path, Path | None]:
    """The store to serve for ``store_dir``: itself when it has what the endpoint needs, else a
    snapshot (a RocksDB checkpoint: hard links where it can) with the ontology added."""
    store = ox.Store.read_only(str(store_dir))
    if has_ontology(store) and not supertypes:
        return store_dir, None
    folder = Path(tempfile.mkdtemp(prefix="castkg-serve-"))
    snapshot = folder / "store"
    store.backup(str(snapshot))
    del store
    writable = ox.Store(str(snapshot))
    add_ontology(writable, supertypes=supertypes)
    writable.flush()
    del writable
    log.info("serving a snapshot of %s with the ontology graph; restart to see later builds", store_dir)
    return snapshot, folder


def make_server(
    data_path: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    config: EndpointConfig | None = None,
    *,
    supertypes: bool = False,
) -> EndpointServer:
    """Load the data at ``data_path`` and return a server for it bound to ``host:port`` (not yet serving).

    The ontology is added as the named graph :data:`~castkg.query.data.ONTOLOGY_GRAPH`; with
    ``supertypes`` the schema.org, ORG and PROV-O classes of every typed thing are stated in the
    default graph too. Raises :class:`QueryError` or :class:`~castkg.errors.StoreError` when the
    data cannot be opened, and :class:`QueryError` when the address cannot be bound.
    """
    data_path = Path(data_path)
    data: Data | Path
    cleanup = None
    if data_path.is_dir() and data_file(data_path) is None and is_store(data_path):
        load_data(data_path)  # fails early, with a clear message, when the store cannot be opened
        data, cleanup = _store_snapshot(data_path.resolve(), supertypes)
    else:
        data = load_data(data_path)
        add_ontology(data, supertypes=supertypes)
    config = config or EndpointConfig()
    endpoint = SparqlEndpoint(data, config, view_for(data_path), bound_host=host, cleanup=cleanup)
    try:
        return EndpointServer((host, port), endpoint)
    except OSError as exc:
        endpoint.close()
        raise QueryError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port"
        ) from exc


def serve(
    data_path: Path, host: str = "127.0.0.1", port: int = 8000, config: EndpointConfig | None = None
) -> None:
    """Serve the data at ``data_path`` until interrupted (see :func:`make_server`)."""
    server = make_server(data_path, host, port, config)
    try:
        server.serve_forever()
    finally:
        server.server_close()


__all__ = [
    "EndpointConfig",
    "EndpointServer",
    "Response",
    "SparqlEndpoint",
    "make_server",
    "negotiate",
    "serve",
    "view_for",
    "write_answer",
]
