"""Load a castkg graph into any server that speaks the SPARQL 1.1 Graph Store HTTP Protocol.

Every graph is sent with ``PUT``, which replaces the target graph, so pushing the same data
twice leaves the server as after one push. A server that cannot be reached or answers
anything but 2xx is an error (:class:`~castkg.errors.StoreError`), never a success.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from rdflib import Graph

from castkg.errors import StoreError
from castkg.graphs import PREFIXES
from castkg.query import Data, to_oxigraph

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PushStats:
    """What :func:`push` sent."""

    graphs: int
    triples: int
    """Triples sent, summed over the graphs (a triple in two article graphs counts twice)."""


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of ``graph`` (an IRI) at ``endpoint``, or of its default graph."""
    separator = "&" if "?" in endpoint else "?"
    return (
        f"{endpoint}{separator}default"
        if graph is None
        else f"{endpoint}{separator}graph={quote(graph, safe='')}"
    )


def _turtle(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""


def put_graph(endpoint: str, graph: str | None, triples: list[ox.Triple], timeout: float = 60.0) -> None:
    """Replace ``graph`` (None: the default graph) at the Graph Store ``endpoint`` by ``triples``.

    Raises :class:`StoreError` when the server cannot be reached or does not answer 2xx.
    """
    url = graph_store_url(endpoint, graph)
    request = urllib.request.Request(
        url, data=_turtle(triples), method="PUT", headers={"Content-Type": "text/turtle; charset=utf-8"}
    )
    target = f"graph <{graph}>" if graph else "the default graph"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", errors="replace").strip().splitlines()
        said = f": {detail[0]}" if detail else ""
        raise StoreError(
            f"{endpoint}: the server refused {target} with {exc.code} {exc.reason}{said}; "
            f"is this its Graph Store endpoint, and may you write to it?"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(
            f"{endpoint}: cannot reach the server ({reason}); is it running at that address?"
        ) from exc
    if not 200 <= status < 300:
        raise StoreError(
            f"{endpoint}: the server answered {status} for {target}; nothing is known to be stored"
        )


def push(
    data: Data | Graph | str | Path,
    endpoint: str,
    graph: str | None = None,
    per_article: bool = False,
    timeout: float = 60.0,
) -> PushStats:
    """Send ``data`` to the Graph Store Protocol ``endpoint``.

    By default the whole graph (the merge of the article graphs) replaces the server's default
    graph; with ``graph`` it replaces that named graph instead; with ``per_article`` each article
    graph replaces the server's graph of the same IRI (and triples outside every article graph,
    if any, replace the default graph). Raises :class:`StoreError` on the first failure.
    """
    if urlsplit(endpoint).scheme not in ("http", "https"):
        raise StoreError(
            f"{endpoint}: give the Graph Store endpoint as an http:// or https:// URL, "
            f"e.g. http://localhost:7878/store"
        )
    if graph is not None and per_article:
        raise StoreError("give either --graph IRI or --per-article, not both")
    store = to_oxigraph(data)
    started = time.perf_counter()
    default = ox.DefaultGraph()
    merged = [quad.triple for quad in store.quads_for_pattern(None, None, None, default)]
    sent: list[tuple[str | None, int]] = []
    if per_article:
        for name in sorted(store.named_graphs(), key=str):
            if not isinstance(name, ox.NamedNode):
                continue
            triples = [quad.triple for quad in store.quads_for_pattern(None, None, None, name)]
            put_graph(endpoint, name.value, triples, timeout)
            sent.append((name.value, len(triples)))
        outside = [
            t
            for t in merged
            if not any(
                not isinstance(q.graph_name, ox.DefaultGraph)
                for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)
            )
        ]
        if outside:
            put_graph(endpoint, None, outside, timeout)
            sent.append((None, len(outside)))
    else:
        put_graph(endpoint, graph, merged, timeout)
        sent.append((graph, len(merged)))
    stats = PushStats(graphs=len(sent), triples=sum(count for _, count in sent))
    log.info(
        "pushed %d triples in %d graphs to %s in %.2fs",
        stats.triples,
        stats.graphs,
        endpoint,
        time.perf_counter() - started,
    )
    return stats
