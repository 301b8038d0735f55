"""Load a castkg graph into any server that speaks the SPARQL 1.1 Graph Store HTTP Protocol.

Every graph is sent with ``PUT``, which replaces the target graph, so pushing the same data
twice leaves the server as after one push. A server that cannot be reached or answers
anything but 2xx is an error (:class:`~castkg.errors.StoreError`), never a success.

Each request has one deadline for all of it (name lookup, connecting, sending, the answer),
however slowly the server trickles its reply. Credentials come from the URL
(``http://user:pass@host/…``), from ``CASTKG_PUSH_USER``/``CASTKG_PUSH_PASSWORD`` or from
``~/.netrc`` (or ``$NETRC``), are sent as HTTP basic auth, and are never printed: messages name
the endpoint with its password (and any token in its query) masked. A per-article push that
fails part-way says how many graphs the server had already replaced and where to resume.
"""

from __future__ import annotations

import base64
import http.client
import logging
import netrc
import os
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import pyoxigraph as ox
from rdflib import Graph

from castkg.errors import StoreError
from castkg.graphs import PREFIXES
from castkg.query import Data, to_oxigraph

log = logging.getLogger(__name__)

USER_VARIABLE, PASSWORD_VARIABLE = "CASTKG_PUSH_USER", "CASTKG_PUSH_PASSWORD"
"""The environment variables castkg reads a Graph Store login from."""

_SECRET_PARAMETERS = ("token", "pass", "secret", "key", "auth")
"""Query parameters of an endpoint URL whose value is masked in messages (QLever's access-token …)."""

_ANSWER_LIMIT = 64 * 1024
"""The most of a server's answer castkg reads (it only quotes the first line of an error)."""


@dataclass(frozen=True)
class PushStats:
    """What :func:`push` sent."""

    graphs: int
    triples: int
    """Triples sent, summed over the graphs (a triple in two article graphs counts twice)."""
    skipped: int = 0
    """Article graphs left out because they sort before ``resume_from``."""


@dataclass(frozen=True)
class Endpoint:
    """A Graph Store endpoint: the URL requests go to (no credentials in it), how messages name
    it (secrets masked), and the basic-auth login, if any."""

    url: str
    shown: str
    login: tuple[str, str] | None = None

    def graph_url(self, graph: str | None) -> str:
        """The Graph Store Protocol URL of ``graph`` (an IRI), or of the default graph."""
        return graph_store_url(self.url, graph)


class PartialPush(StoreError):
    """A per-article push that failed after the server had replaced some graphs."""

    def __init__(self, message: str, landed: tuple[str, ...], failed: str | None) -> None:
        super().__init__(message)
        self.landed, self.failed = landed, failed


class _Expired(Exception):
    """The request's deadline passed."""


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of ``graph`` (an IRI) at ``endpoint``, or of its default graph."""
    separator = "&" if "?" in endpoint else "?"
    return (
        f"{endpoint}{separator}default"
        if graph is None
        else f"{endpoint}{separator}graph={quote(graph, safe='')}"
    )


def _masked(parts: urllib.parse.SplitResult, host: str) -> str:
    user = f"{parts.username}{':***' if parts.password is not None else ''}@" if parts.username else ""
    query = urlencode(
        [
            (name, "***" if any(word in name.lower() for word in _SECRET_PARAMETERS) else value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*:/",
    )
    return urlunsplit((parts.scheme, user + host, parts.path, query, parts.fragment))


def _masked_text(endpoint: str) -> str:
    """``endpoint`` as text, its password masked, for a URL too broken to take apart."""
    return re.sub(r"//([^/@:]*):[^/@]*@", r"//\1:***@", endpoint)


def parse_endpoint(endpoint: str, environ: Mapping[str, str] | None = None) -> Endpoint:
    """Check the endpoint URL and find its login (URL, then environment, then netrc).

    Raises :class:`StoreError` for a URL that is not a usable http(s) URL, or a password
    given without a user.
    """
    environ = os.environ if environ is None else environ
    try:
        parts = urlsplit(endpoint.strip())
        port = parts.port  # raises ValueError for a port that is not a number in range
        hostname = parts.hostname
    except ValueError as exc:
        shown = _masked_text(endpoint)
        raise StoreError(
            f"{shown}: not a valid URL ({exc}); give the Graph Store endpoint, e.g. http://127.0.0.1:7878/store"
        ) from None
    host = parts.netloc.rpartition("@")[2]
    shown = _masked(parts, host)
    if parts.scheme not in ("http", "https") or not hostname:
        raise StoreError(
            f"{shown}: give the Graph Store endpoint as an http:// or https:// URL with a host, "
            f"e.g. http://127.0.0.1:7878/store"
        )
    if any(ch.isspace() for ch in endpoint.strip()):
        raise StoreError(f"{shown}: not a valid URL (it holds a space); percent-encode it as %20")
    url = urlunsplit((parts.scheme, host, parts.path or "/", parts.query, ""))
    user = unquote(parts.username) if parts.username else environ.get(USER_VARIABLE) or None
    password = (
        unquote(parts.password) if parts.password is not None else environ.get(PASSWORD_VARIABLE) or None
    )
    if password is None:
        found = _netrc_login(hostname, environ)
        if found and (user is None or user == found[0]):
            user, password = found
    if password is not None and not user:
        raise StoreError(
            f"{shown}: a password is set ({PASSWORD_VARIABLE}) but no user; "
            f"set {USER_VARIABLE} or put user@ in the URL"
        )
    log.debug("endpoint %s, port %s, login %s", shown, port, "yes" if user else "no")
    return Endpoint(url, shown, (user, password or "") if user else None)


def _netrc_login(host: str, environ: Mapping[str, str]) -> tuple[str, str] | None:
    """The login and password ~/.netrc (or $NETRC) gives for ``host``, if any."""
    path = Path(environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        log.warning("%s: not read (%s)", path, exc)
        return None
    if not entry or not entry[0]:
        return None
    return entry[0], entry[2] or ""


def _turtle(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""


class _WatchedHTTP(http.client.HTTPConnection):
    """An HTTP connection that hands its socket over once connected, so a deadline can cut it."""

    def __init__(self, *args, on_socket: Callable[[socket.socket], None], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._on_socket = on_socket

    def connect(self) -> None:
        super().connect()
        self._on_socket(self.sock)


class _WatchedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, on_socket: Callable[[socket.socket], None], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._on_socket = on_socket

    def connect(self) -> None:
        super().connect()
        self._on_socket(self.sock)


class _Request:
    """One HTTP request run under one deadline: in a worker thread, whose socket is shut when
    the deadline passes (a per-read timeout alone lets a trickling server go on for ever)."""

    def __init__(self, request: urllib.request.Request, timeout: float) -> None:
        self.request, self.timeout = request, timeout
        self.sockets: list[socket.socket] = []
        self.cancelled = threading.Event()
        self.answer: tuple[int, str, bytes] | None = None
        self.error: BaseException | None = None

    def _socket(self, sock: socket.socket) -> None:
        self.sockets.append(sock)
        if self.cancelled.is_set():  # connected after the deadline: never send
            sock.close()
            raise _Expired

    def _run(self) -> None:
        watch = partial(_WatchedHTTP, on_socket=self._socket)
        watch_tls = partial(_WatchedHTTPS, on_socket=self._socket)

        class Plain(urllib.request.HTTPHandler):
            def http_open(self, req):  # type: ignore[no-untyped-def]
                return self.do_open(watch, req)

        class Secure(urllib.request.HTTPSHandler):
            def https_open(self, req):  # type: ignore[no-untyped-def]
                return self.do_open(watch_tls, req, context=ssl.create_default_context())

        opener = urllib.request.build_opener(Plain, Secure)
        try:
            with opener.open(self.request, timeout=self.timeout) as response:
                self.answer = (response.status, response.reason, response.read(_ANSWER_LIMIT))
        except urllib.error.HTTPError as exc:
            try:
                body = exc.read(_ANSWER_LIMIT)
            except (OSError, http.client.HTTPException):
                body = b""
            self.answer = (exc.code, str(exc.reason), body)
        except BaseException as exc:  # handed to the caller, which words it
            self.error = exc

    def send(self) -> tuple[int, str, bytes]:
        """Return the answer's status, reason and start of body; raise what failed, or _Expired."""
        worker = threading.Thread(target=self._run, name="castkg-push", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            self.cancelled.set()
            for sock in self.sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            worker.join(1.0)
            raise _Expired
        if self.error is not None:
            raise self.error
        assert self.answer is not None
        return self.answer


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def put_graph(
    endpoint: Endpoint | str, graph: str | None, triples: list[ox.Triple], timeout: float = 60.0
) -> None:
    """Replace ``graph`` (None: the default graph) at the Graph Store ``endpoint`` by ``triples``.

    ``timeout`` bounds the whole request. Raises :class:`StoreError` with one line saying what
    happened: the server cannot be reached, did not answer in time, did not answer HTTP, or
    did not answer 2xx.
    """
    target = endpoint if isinstance(endpoint, Endpoint) else parse_endpoint(endpoint)
    headers = {"Content-Type": "text/turtle; charset=utf-8"}
    if target.login:
        token = base64.b64encode(f"{target.login[0]}:{target.login[1]}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    request = urllib.request.Request(
        target.graph_url(graph), data=_turtle(triples), method="PUT", headers=headers
    )
    what = f"graph <{graph}>" if graph else "the default graph"
    shown = target.shown
    try:
        status, reason, body = _Request(request, timeout).send()
    except _Expired:
        raise StoreError(
            f"{shown}: no complete answer for {what} within {timeout:g} s (--timeout); "
            f"the server may still store it: retry with a longer --timeout"
        ) from None
    except socket.gaierror as exc:
        raise StoreError(f"{shown}: cannot find the host ({_reason(exc)}); check the URL") from None
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        raise StoreError(
            f"{shown}: the server closed the connection before answering for {what}; "
            f"is this its Graph Store endpoint?"
        ) from None
    except http.client.HTTPException as exc:
        raise StoreError(
            f"{shown}: the answer is not HTTP ({type(exc).__name__}); "
            f"is this the server's Graph Store endpoint?"
        ) from None
    except ssl.SSLError as exc:
        raise StoreError(f"{shown}: the TLS connection failed ({_reason(exc)})") from None
    except (urllib.error.URLError, OSError) as exc:
        inner = getattr(exc, "reason", exc)
        if isinstance(inner, socket.gaierror):
            raise StoreError(f"{shown}: cannot find the host ({_reason(inner)}); check the URL") from None
        if isinstance(inner, TimeoutError):
            raise StoreError(
                f"{shown}: no complete answer for {what} within {timeout:g} s (--timeout); "
                f"the server may still store it: retry with a longer --timeout"
            ) from None
        if isinstance(inner, ConnectionResetError | BrokenPipeError):
            raise StoreError(
                f"{shown}: the server closed the connection before answering for {what}; "
                f"is this its Graph Store endpoint?"
            ) from None
        if isinstance(inner, ssl.SSLError):
            raise StoreError(f"{shown}: the TLS connection failed ({_reason(inner)})") from None
        raise StoreError(
            f"{shown}: cannot reach the server ({_reason(exc)}); is it running at that address?"
        ) from None
    except ValueError as exc:  # urllib's word for a URL it cannot use
        raise StoreError(f"{shown}: not a usable URL ({exc})") from None
    if not 200 <= status < 300:
        said = _first_line(body, target)
        hint = (
            f"give a login ({USER_VARIABLE}/{PASSWORD_VARIABLE} or ~/.netrc)"
            if status == 401 and not target.login
            else "the login was not accepted"
            if status in (401, 403) and target.login
            else "is this its Graph Store endpoint, and may you write to it?"
        )
        raise StoreError(f"{shown}: the server refused {what} with {status} {reason}{said}; {hint}")


def _first_line(body: bytes, endpoint: Endpoint) -> str:
    """The first line of a server's error body, with the login masked should the server echo it."""
    lines = body.decode("utf-8", errors="replace").strip().splitlines()
    if not lines:
        return ""
    line = lines[0][:200]
    if endpoint.login and endpoint.login[1]:
        line = line.replace(endpoint.login[1], "***")
    return f": {line}"


def push(
    data: Data | Graph | str | Path,
    endpoint: str,
    graph: str | None = None,
    per_article: bool = False,
    timeout: float = 60.0,
    resume_from: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> PushStats:
    """Send ``data`` to the Graph Store Protocol ``endpoint``.

    By default the whole graph (the merge of the article graphs) replaces the server's default
    graph; with ``graph`` it replaces that named graph instead; with ``per_article`` each article
    graph replaces the server's graph of the same IRI, in IRI order from ``resume_from`` (an
    article graph IRI) on, and triples outside every article graph, if any, replace the default
    graph. ``timeout`` bounds each request as a whole. Raises :class:`StoreError` on the first
    failure; :class:`PartialPush` when article graphs had already been replaced.
    """
    target = parse_endpoint(endpoint, environ)
    if graph is not None and per_article:
        raise StoreError("give either --graph IRI or --per-article, not both")
    if resume_from is not None and not per_article:
        raise StoreError("--resume-from goes with --per-article")
    if target.login and target.url.startswith("http://") and not _is_loopback(urlsplit(target.url).hostname):
        log.warning("%s: the password goes unencrypted over http://; use https://", target.shown)
    store = to_oxigraph(data)
    started = time.perf_counter()
    default = ox.DefaultGraph()
    merged = [quad.triple for quad in store.quads_for_pattern(None, None, None, default)]
    sent: list[tuple[str | None, int]] = []
    skipped = 0
    if per_article:
        names = sorted(name.value for name in store.named_graphs() if isinstance(name, ox.NamedNode))
        if resume_from is not None:
            if resume_from not in names:
                raise StoreError(
                    f"--resume-from {resume_from}: not one of the {len(names)} article graphs to push"
                )
            skipped = names.index(resume_from)
            names = names[skipped:]
        for index, name in enumerate(names):
            node = ox.NamedNode(name)
            triples = [quad.triple for quad in store.quads_for_pattern(None, None, None, node)]
            try:
                put_graph(target, name, triples, timeout)
            except StoreError as exc:
                done = skipped + index
                raise _partial(exc, [n for n, _ in sent if n], name, done, skipped + len(names)) from exc
            sent.append((name, len(triples)))
            log.info("replaced <%s> (%d triples)", name, len(triples))
        outside = [
            t
            for t in merged
            if not any(
                not isinstance(q.graph_name, ox.DefaultGraph)
                for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)
            )
        ]
        if outside:
            try:
                put_graph(target, None, outside, timeout)
            except StoreError as exc:
                total = skipped + len(names)
                raise _partial(exc, [n for n, _ in sent if n], None, total, total) from exc
            sent.append((None, len(outside)))
    else:
        put_graph(target, graph, merged, timeout)
        sent.append((graph, len(merged)))
    stats = PushStats(graphs=len(sent), triples=sum(count for _, count in sent), skipped=skipped)
    log.info(
        "pushed %d triples in %d graphs to %s in %.2fs",
        stats.triples,
        stats.graphs,
        target.shown,
        time.perf_counter() - started,
    )
    return stats


def _partial(error: StoreError, landed: list[str], failed: str | None, done: int, total: int) -> StoreError:
    """The error of a per-article push that stopped at graph number ``done`` (from 0) of ``total``."""
    if not landed and done == 0:
        return error
    if failed is None:
        where = f"all {total} article graphs were replaced; only the triples outside them were not"
        return PartialPush(f"{error} ({where}; run the push again)", tuple(landed), None)
    before = f"the {done} article graphs before it in IRI order were replaced"
    return PartialPush(
        f"{error} ({before}, graph {done + 1} of {total} was not; resume with --resume-from {failed})",
        tuple(landed),
        failed,
    )


def _is_loopback(host: str | None) -> bool:
    if host in (None, "localhost"):
        return True
    try:
        import ipaddress

        return ipaddress.ip_address(host).is_loopback  # type: ignore[arg-type]
    except ValueError:
        return False
