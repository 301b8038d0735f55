"""The persistent store: a corpus built once into an on-disk Oxigraph store, queried many times.

The store keeps the dataset's shape: one named graph per article (graph IRI = article IRI), and
the graph of the entities' labels (:data:`castkg.mapping.ENTITIES`). :func:`update_store` adds a
build to it, replacing the graphs of every source file the build covers, so rebuilding a file never
duplicates or leaves stale facts, then makes the graph of entities again from all the article
graphs it holds (:func:`refresh_entities`), so the store equals a fresh build of the same files.
:func:`open_store` gives the store back as an rdflib ``Dataset`` (through oxrdflib), which is what
users program against; castkg's own queries run on the pyoxigraph store underneath.

An update is built aside and swapped in (:class:`StoreUpdate`): the store is copied beside
itself (RocksDB checkpoint: hard links, no data copied), the copy is updated, fsynced and
renamed over the store (:mod:`castkg.transaction`). A kill at any moment leaves the store as
it was or as updated. While a copy is being written it holds
:data:`~castkg.query.data.UPDATE_MARKER`, which every open refuses.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox
from rdflib import RDF, RDFS, Dataset, Graph
from rdflib.namespace import SKOS

from castkg.errors import StoreError
from castkg.graphs import PREFIXES, bind_prefixes
from castkg.mapping import ENTITIES, entity_graph
from castkg.namespace import CKG
from castkg.query.data import (
    UPDATE_MARKER,
    check_complete,
    is_store,
    merge_into_default_graph,
    open_oxigraph,
    to_oxigraph,
)
from castkg.rules import Rules, load_rules
from castkg.transaction import FolderTransaction
from castkg.write import oxigraph_iri, oxigraph_term

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

    def __str__(self) -> str:
        return (
            f"{self.added_articles} article graphs written, {self.removed_articles} old ones dropped; "
            f"it now holds {self.articles} articles ({self.quads} quads)"
        )


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


class StoreUpdate:
    """One update of the store at ``store_dir``, built aside and swapped in::

        with StoreUpdate(store_dir) as update:  # checks the folder and takes its lock, before any work
            stats = update.apply(dataset)       # a copy of the store gets the new article graphs
            update.commit()                     # the copy replaces the store; without it nothing changes

    :meth:`copy` is the pyoxigraph store being written, for writers that add graphs as they go.

    Raises :class:`StoreError` when the folder cannot be a store or cannot be written.
    """

    def __init__(self, store_dir: str | Path, shown: str | None = None) -> None:
        self.store_dir = Path(store_dir)
        self.shown = shown if shown is not None else str(store_dir)
        self._transaction = FolderTransaction(store_dir, self.shown, StoreError)
        self._copy: ox.Store | None = None

    def check(self) -> None:
        """Raise :class:`StoreError` unless ``store_dir`` is a complete store, an empty folder or new."""
        path, shown = self.store_dir, self.shown
        if path.exists() and not path.is_dir():
            raise StoreError(f"{shown}: is a file; --store takes a folder (an Oxigraph store)")
        if not path.is_dir():
            return
        if not is_store(path):
            if any(path.iterdir()):
                raise StoreError(
                    f"{shown}: folder is not empty and is not a store; give an empty or new folder"
                )
            return
        check_complete(path)
        _check_no_writer(path, shown)

    def copy(self) -> ox.Store:
        """The copy of the store that this update writes into, made on first use: the store's
        checkpoint (or a new store), marked as being updated until :meth:`commit`."""
        if self._copy is None:
            staging = self._transaction.staging
            try:
                if is_store(self.store_dir):
                    staging.rmdir()  # a backup wants a folder that does not exist yet
                    ox.Store.read_only(str(self.store_dir)).backup(str(staging))
                (staging / UPDATE_MARKER).touch()
                self._copy = ox.Store(str(staging))
            except OSError as exc:
                raise StoreError(f"{self.shown}: cannot write the store ({exc})") from exc
        return self._copy

    def apply(self, dataset: Dataset, rules: Rules | None = None) -> StoreStats:
        """Write the article graphs of ``dataset`` into the copy and make its graph of entities
        again with ``rules`` (default: the project's; see :func:`update_store`)."""
        return self._apply(to_oxigraph(dataset), rules)

    def apply_file(self, trig: str | Path, rules: Rules | None = None) -> StoreStats:
        """As :meth:`apply`, of the graphs in the TriG file ``trig`` (a build's castkg.trig),
        loaded by Oxigraph's bulk loader into a scratch store on disk, never into Python. The
        scratch store is made beside ``trig`` (in a build, inside the output's staging folder, so
        a killed build leaves nothing the next one does not clean up)."""
        scratch = Path(tempfile.mkdtemp(prefix=".incoming-", dir=Path(trig).parent))
        try:
            incoming = ox.Store(str(scratch))
            incoming.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
            merge_into_default_graph(incoming)  # as to_oxigraph does of a Dataset
            stats = self._apply(incoming, rules)
            del incoming  # closes the store before its folder goes
            return stats
        except OSError as exc:
            raise StoreError(f"{self.shown}: cannot write the store ({exc})") from exc
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _apply(self, incoming: ox.Store, rules: Rules | None) -> StoreStats:
        started = time.perf_counter()
        store = self.copy()
        try:
            stats = _update(store, incoming)
            refresh_entities(store, rules or load_rules())
            stats = replace(stats, quads=len(store))
            store.flush()
        except OSError as exc:
            raise StoreError(f"{self.shown}: cannot write the store ({exc})") from exc
        log.info(
            "store %s: %d article graphs written, %d replaced, %d articles, %d quads in %.2fs",
            self.shown,
            stats.added_articles,
            stats.removed_articles,
            stats.articles,
            stats.quads,
            time.perf_counter() - started,
        )
        return stats

    def commit(self) -> None:
        """Replace the store by the updated copy (closed first)."""
        if self._copy is not None:
            try:
                self._copy.flush()
            except OSError as exc:
                raise StoreError(f"{self.shown}: cannot write the store ({exc})") from exc
            self._copy = None  # the last reference: closes the RocksDB handle before the swap
        (self._transaction.staging / UPDATE_MARKER).unlink(missing_ok=True)
        self._transaction.commit()

    def __enter__(self) -> StoreUpdate:
        self.check()
        self._transaction.begin()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._copy = None
        self._transaction.abort()


def _check_no_writer(store_dir: Path, shown: str) -> None:
    """Raise :class:`StoreError` when another program (``oxigraph serve`` …) holds the store's
    RocksDB lock; castkg's own writers are kept apart by the transaction's lock."""
    lock = store_dir / "LOCK"
    if not lock.is_file():
        return
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise StoreError(f"{shown}: another program is writing the store; stop it first") from None
    finally:
        os.close(fd)  # also frees the lock just taken


def _update(store: ox.Store, incoming: ox.Store) -> StoreStats:
    """Replace in ``store`` the article graphs of every source file of ``incoming`` by its graphs
    (its graph of entities is left out: :func:`refresh_entities` makes the store's again)."""
    new_by_file = store_articles(incoming)
    new_graphs = {graph for graphs in new_by_file.values() for graph in graphs}
    old_by_file = store_articles(store)
    stale = {graph for file in new_by_file for graph in old_by_file.get(file, ())}
    stale |= {graph.value for graph in store.named_graphs() if graph.value in new_graphs}
    dropped: set[ox.Triple] = set()
    for graph in sorted(stale):
        name = ox.NamedNode(graph)
        dropped.update(quad.triple for quad in store.quads_for_pattern(None, None, None, name))
        store.remove_graph(name)
    entities = ox.NamedNode(str(ENTITIES))
    store.extend(q for q in incoming.quads_for_pattern(None, None, None) if q.graph_name != entities)
    default = ox.DefaultGraph()
    orphans = [
        ox.Quad(t.subject, t.predicate, t.object, default)
        for t in sorted(dropped, key=str)
        if not _in_a_named_graph(store, t)
        and not any(True for _ in incoming.quads_for_pattern(t.subject, t.predicate, t.object, default))
    ]
    for quad in orphans:
        store.remove(quad)
    return StoreStats(
        added_articles=len(new_graphs),
        removed_articles=len(stale),
        articles=sum(len(graphs) for graphs in store_articles(store).values()),
        quads=len(store),
    )


def refresh_entities(store: ox.Store, rules: Rules) -> None:
    """Make the graph of entities of ``store`` again from its article graphs and ``rules``
    (:func:`castkg.mapping.entity_graph`, as a build makes it), keeping the default graph the merge
    of the named graphs: a label no longer right leaves it unless an article graph states it."""
    name = ox.NamedNode(str(ENTITIES))
    read = [RDF.type, RDFS.label, SKOS.altLabel, CKG.organization, CKG.role]
    quads = [
        quad
        for predicate in read
        for quad in store.quads_for_pattern(None, oxigraph_iri(predicate), None, None)
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name != name
    ]
    articles = Graph()
    articles.parse(
        data=(ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b"").decode(),
        format="nt",
    )
    new = {
        ox.Triple(oxigraph_iri(s), oxigraph_iri(p), oxigraph_term(o))
        for s, p, o in entity_graph(articles, rules)
    }
    old = {quad.triple for quad in store.quads_for_pattern(None, None, None, name)}
    store.remove_graph(name)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in sorted(new, key=str))
    default = ox.DefaultGraph()
    for triple in sorted(old - new, key=str):
        if not _in_a_named_graph(store, triple):
            store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, default))
    store.extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in sorted(new, key=str))


def update_store(store_dir: str | Path, dataset: Dataset, rules: Rules | None = None) -> StoreStats:
    """Write the article graphs of ``dataset`` into the store at ``store_dir`` (made when missing).

    Every article graph of the store whose ``ckg:sourceFile`` is a source file of ``dataset``
    is dropped first (so a rebuilt file's old articles go, even when the new build has fewer),
    as is any graph with the IRI of a new article; then the new graphs are added, and the graph of
    entities is made again from all the article graphs (with ``rules``, default the project's).
    The store's default graph is kept equal to the merge of its graphs (each triple once, see
    :mod:`castkg.query`): nothing is stored in it that no article graph (or the dataset's own
    default graph) holds, and a triple leaves it when its last graph goes. The update is built
    aside and swapped in (:class:`StoreUpdate`), so an interrupted one changes nothing.
    Returns :class:`StoreStats`; raises :class:`StoreError`.
    """
    with StoreUpdate(store_dir) as update:
        stats = update.apply(dataset, rules)
        update.commit()
    return stats


def store_graph(store_dir: str | Path) -> Graph:
    """The store's whole graph (the merge of its article graphs) as an in-memory rdflib ``Graph``.

    Raises :class:`StoreError` when ``store_dir`` is not a complete store.
    """
    store = open_oxigraph(Path(store_dir), read_only=True)
    triples = [quad.triple for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    graph = Graph()
    bind_prefixes(graph)
    return graph.parse(data=data.decode("utf-8"), format="nt")


def open_store(store_dir: Path, read_only: bool = True) -> Dataset:
    """Return the store at ``store_dir`` as an rdflib ``Dataset`` backed by Oxigraph (via oxrdflib).

    Its default graph is the merge of the article graphs, as for a fresh build; pass it to
    :func:`castkg.query.run_query` (which runs on the Oxigraph store directly) or use rdflib's API.
    Raises :class:`StoreError` when ``store_dir`` is not a store.
    """
    from oxrdflib import OxigraphStore

    store = open_oxigraph(Path(store_dir), read_only=read_only)
    return Dataset(store=OxigraphStore(store=store))


__all__ = [
    "StoreStats",
    "StoreUpdate",
    "is_store",
    "open_oxigraph",
    "refresh_entities",
    "open_store",
    "store_articles",
    "store_graph",
    "update_store",
]
