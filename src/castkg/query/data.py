"""Loading data for queries: RDF files, build folders, store folders and rdflib graphs into pyoxigraph.

Every query runs on pyoxigraph (one engine for the CLI, the store and the endpoint). The
default graph a query sees is the RDF merge of all article graphs, so a query over
``castkg.trig`` or a store sees the same triples, each once, as one over ``castkg.ttl``.
(Oxigraph's own "default graph as union" repeats a triple once per graph that holds it,
which would make counts depend on the file format; castkg therefore keeps the merge in the
default graph itself: :func:`merge_into_default_graph`.)
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from castkg.errors import QueryError, StoreError
from castkg.graphs import built_graph, ontology_file

log = logging.getLogger(__name__)

Data = ox.Store
"""What queries run on: a pyoxigraph store, in memory or on disk."""


def _rdf_format(path: Path) -> ox.RdfFormat:
    suffix = path.suffix.lower()
    formats = {
        ".ttl": ox.RdfFormat.TURTLE,
        ".turtle": ox.RdfFormat.TURTLE,
        ".trig": ox.RdfFormat.TRIG,
        ".nt": ox.RdfFormat.N_TRIPLES,
        ".nq": ox.RdfFormat.N_QUADS,
        ".rdf": ox.RdfFormat.RDF_XML,
        ".owl": ox.RdfFormat.RDF_XML,
        ".jsonld": ox.RdfFormat.JSON_LD,
        ".n3": ox.RdfFormat.N3,
    }
    if suffix not in formats:
        raise QueryError(
            f"{path}: cannot tell the RDF format from '{suffix}'; "
            f"give a .ttl, .trig, .nt, .nq, .rdf or .jsonld file, an output folder or a store"
        )
    return formats[suffix]


def data_file(path: Path) -> Path | None:
    """Return the graph file to read for ``path``: itself, or an output folder's castkg.trig/.ttl.

    Returns ``None`` for a folder that is not an output folder (it may be a store).
    """
    return path if path.is_file() else built_graph(path)


UPDATE_MARKER = "castkg-update-in-progress"
"""A file castkg keeps in a store folder while it writes it; a store holding it is incomplete."""


def is_store(path: Path) -> bool:
    """Return whether ``path`` is an Oxigraph (RocksDB) store folder."""
    return path.is_dir() and (path / "CURRENT").is_file()


def check_complete(store_dir: Path) -> None:
    """Raise :class:`StoreError` when the store at ``store_dir`` was left in the middle of an update."""
    if (Path(store_dir) / UPDATE_MARKER).exists():
        raise StoreError(
            f"{store_dir}: the store is incomplete (an update of it was interrupted); "
            f"delete the folder and build the store again"
        )


def open_oxigraph(store_dir: Path, read_only: bool = False) -> ox.Store:
    """Open the pyoxigraph store at ``store_dir`` (created when missing unless ``read_only``).

    Raises :class:`StoreError` when the folder is not a store, is incomplete (it holds
    :data:`UPDATE_MARKER`) or is locked by another writer.
    """
    store_dir = Path(store_dir)
    check_complete(store_dir)
    try:
        if read_only:
            if not is_store(store_dir):
                raise StoreError(
                    f"{store_dir}: not a castkg store; make one with `castkg build … --store {store_dir}`"
                )
            return ox.Store.read_only(str(store_dir))
        if store_dir.exists() and any(store_dir.iterdir()) and not is_store(store_dir):
            raise StoreError(
                f"{store_dir}: folder is not empty and is not a store; give an empty or new folder"
            )
        store_dir.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(store_dir))
    except OSError as exc:
        raise StoreError(
            f"{store_dir}: cannot open the store ({exc}); is another castkg writing to it?"
        ) from exc


def load_data(path: str | Path) -> Data:
    """Open the data at ``path`` for querying.

    ``path`` is an RDF file (castkg.ttl, castkg.trig, …), an output folder of ``castkg build``
    (its castkg.trig, else castkg.ttl) or a store folder made by ``castkg build --store``
    (opened read-only). Raises :class:`QueryError` when there is nothing to read there.
    """
    path = Path(path)
    if not path.exists():
        raise QueryError(
            f"{path}: no such file or folder; give castkg.ttl, castkg.trig, "
            f"an output folder or a store folder"
        )
    graph_file = data_file(path)
    if graph_file is None:
        if is_store(path):
            return open_oxigraph(path, read_only=True)
        raise QueryError(
            f"{path}: folder holds neither castkg.trig, castkg.ttl nor a castkg store; "
            f"run `castkg build … -o {path}` or `--store {path}` first"
        )
    store = ox.Store()
    try:
        store.load(path=str(graph_file), format=_rdf_format(graph_file))
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"{graph_file}: cannot load: {exc}") from exc
    merge_into_default_graph(store)
    log.info("loaded %d quads from %s", len(store), graph_file)
    return store


def merge_into_default_graph(store: Data) -> None:
    """Add every triple of the named graphs of ``store`` to its default graph (once each)."""
    default = ox.DefaultGraph()
    store.extend(
        [
            ox.Quad(quad.subject, quad.predicate, quad.object, default)
            for quad in store.quads_for_pattern(None, None, None)
            if not isinstance(quad.graph_name, ox.DefaultGraph)
        ]
    )


def to_oxigraph(data: Data | Graph | str | Path) -> Data:
    """Return a pyoxigraph store holding ``data`` (a store, an rdflib Graph or Dataset, or a path).

    An rdflib Dataset backed by oxrdflib (as :func:`castkg.store.open_store` returns) is used
    in place; any other rdflib graph is copied, graph names included.
    """
    if isinstance(data, ox.Store):
        return data
    if isinstance(data, str | Path):
        return load_data(data)
    if isinstance(data, Graph):
        inner = getattr(data.store, "_inner", None)  # oxrdflib.OxigraphStore keeps its pyoxigraph store here
        if isinstance(inner, ox.Store):
            return inner
        store = ox.Store()
        if isinstance(data, Dataset):
            store.load(data.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
            merge_into_default_graph(store)
        else:
            store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return store
    raise QueryError(
        f"cannot query a {type(data).__name__}; give a path, an rdflib Graph or a pyoxigraph Store"
    )


ONTOLOGY_GRAPH = "https://w3id.org/castkg/ontology"
"""The named graph that holds castkg's ontology (``ontology/castkg.ttl``) where queries can see it."""

_SUPERTYPES = f"""
INSERT {{ ?thing a ?super }}
WHERE {{
  ?thing a ?class .
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?super }}
  FILTER(isIRI(?super))
}}"""


def has_ontology(store: Data) -> bool:
    """Return whether ``store`` holds the ontology graph."""
    return any(graph.value == ONTOLOGY_GRAPH for graph in store.named_graphs())


def add_ontology(store: Data, supertypes: bool = False) -> int:
    """Put castkg's ontology into ``store`` as the named graph :data:`ONTOLOGY_GRAPH` (replacing it).

    With ``supertypes``, also state in the default graph every class each typed thing has
    through ``rdfs:subClassOf`` (``?x a ckg:Event`` gives ``?x a schema:Event``), so queries by
    schema.org, ORG or PROV-O class find castkg's data. Returns the number of quads added.
    """
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    before = len(store)
    if has_ontology(store):
        store.remove_graph(graph)
    try:
        store.load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE, to_graph=graph)
    except (SyntaxError, OSError) as exc:
        raise QueryError(f"{ontology_file()}: cannot load the ontology: {exc}") from exc
    if supertypes:
        store.update(_SUPERTYPES)
    return len(store) - before
