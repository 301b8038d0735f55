"""The persistent store: a corpus built once into an on-disk Oxigraph store, queried many times.

The store keeps the dataset's shape: one named graph per article (graph IRI = article IRI).
:func:`update_store` adds a build to it, replacing the graphs of every source file the build
covers, so rebuilding a file never duplicates or leaves stale facts. :func:`open_store` gives
the store back as an rdflib ``Dataset`` (through oxrdflib), which is what users program against;
castkg's own queries run on the pyoxigraph store underneath.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from castkg.errors import StoreError
from castkg.graphs import PREFIXES
from castkg.query.data import is_store, open_oxigraph, to_oxigraph

log = logging.getLogger(__name__)

_ARTICLES = """
SELECT DISTINCT ?article ?file WHERE { ?article a ckg:Article ; ckg:sourceFile ?file }"""


@dataclass(frozen=True)
class StoreStats:
    """What :func:`update_store` did and what the store holds afterwards."""

    added_articles: int
    """Article graphs written from the new build."""
    removed_articles: int
    """Article graphs dropped because their source file was rebuilt (or their article rewritten)."""
    articles: int
    """Article graphs in the store afterwards."""
    quads: int
    """Quads in the store afterwards (the article graphs' triples, and their merge in the default graph)."""


def store_articles(store: ox.Store) -> dict[str, set[str]]:
    """Return the article graphs of ``store`` by source file: file → {article IRI = graph IRI}."""
    by_file: dict[str, set[str]] = {}
    solutions = store.query(_ARTICLES, prefixes=PREFIXES)
    assert isinstance(solutions, ox.QuerySolutions)  # _ARTICLES is a SELECT query
    for solution in solutions:
        by_file.setdefault(solution["file"].value, set()).add(solution["article"].value)
    return by_file


def _in_a_named_graph(store: ox.Store, triple: ox.Triple) -> bool:
    return any(
        not isinstance(quad.graph_name, ox.DefaultGraph)
        for quad in store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
    )


def update_store(store_dir: Path, dataset: Dataset) -> StoreStats:
    """Write the article graphs of ``dataset`` into the store at ``store_dir`` (made when missing).

    Every article graph of the store whose ``ckg:sourceFile`` is a source file of ``dataset``
    is dropped first (so a rebuilt file's old articles go, even when the new build has fewer),
    as is any graph with the IRI of a new article; then the new graphs are added. The store's
    default graph is kept equal to the merge of its graphs (each triple once, see
    :mod:`castkg.query`): nothing is stored in it that no article graph (or the dataset's own
    default graph) holds, and a triple leaves it when its last graph goes.
    Returns :class:`StoreStats`; raises :class:`StoreError`.
    """
    started = time.perf_counter()
    incoming = to_oxigraph(dataset)
    new_by_file = store_articles(incoming)
    new_graphs = {graph for graphs in new_by_file.values() for graph in graphs}
    store = open_oxigraph(Path(store_dir))
    try:
        old_by_file = store_articles(store)
        stale = {graph for file in new_by_file for graph in old_by_file.get(file, ())}
        stale |= {graph.value for graph in store.named_graphs() if graph.value in new_graphs}
        dropped: set[ox.Triple] = set()
        for graph in sorted(stale):
            name = ox.NamedNode(graph)
            dropped.update(quad.triple for quad in store.quads_for_pattern(None, None, None, name))
            store.remove_graph(name)
        store.extend(incoming.quads_for_pattern(None, None, None))
        default = ox.DefaultGraph()
        orphans = [
            ox.Quad(t.subject, t.predicate, t.object, default)
            for t in sorted(dropped, key=str)
            if not _in_a_named_graph(store, t)
            and not any(True for _ in incoming.quads_for_pattern(t.subject, t.predicate, t.object, default))
        ]
        for quad in orphans:
            store.remove(quad)
        store.flush()
        stats = StoreStats(
            added_articles=len(new_graphs),
            removed_articles=len(stale),
            articles=sum(len(graphs) for graphs in store_articles(store).values()),
            quads=len(store),
        )
    except OSError as exc:
        raise StoreError(f"{store_dir}: cannot write the store ({exc})") from exc
    finally:
        del store  # closes the RocksDB handle so readers and the next writer can open it
    log.info(
        "store %s: %d article graphs written, %d replaced, %d articles, %d quads in %.2fs",
        store_dir,
        stats.added_articles,
        stats.removed_articles,
        stats.articles,
        stats.quads,
        time.perf_counter() - started,
    )
    return stats


def open_store(store_dir: Path, read_only: bool = True) -> Dataset:
    """Return the store at ``store_dir`` as an rdflib ``Dataset`` backed by Oxigraph (via oxrdflib).

    Its default graph is the merge of the article graphs, as for a fresh build; pass it to
    :func:`castkg.query.run_query` (which runs on the Oxigraph store directly) or use rdflib's API.
    Raises :class:`StoreError` when ``store_dir`` is not a store.
    """
    from oxrdflib import OxigraphStore

    store = open_oxigraph(Path(store_dir), read_only=read_only)
    return Dataset(store=OxigraphStore(store=store))


__all__ = ["StoreStats", "is_store", "open_oxigraph", "open_store", "store_articles", "update_store"]
