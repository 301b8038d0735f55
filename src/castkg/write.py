"""Stage 6, write: the Dataset → the contract's graph files (castkg.ttl, castkg.trig).

Output is byte-identical for the same input: Oxigraph's writers serialise one sorted list
of quads, the graphs carry no blank nodes, and no timestamp is written. The third file of a
build, graph.html, is the view's (:mod:`castkg.view`); :func:`castkg.outputs.write_outputs`
writes all three and swaps them in together.
"""

from __future__ import annotations

import heapq
import logging
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from castkg.graphs import PREFIXES, TRIG, TURTLE
from castkg.transaction import write_atomic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Written:
    """The files one build wrote."""

    turtle: Path
    trig: Path
    triples: int
    view: Path | None = None


def oxigraph_term(term: Node) -> ox.NamedNode | ox.Literal:
    """The pyoxigraph form of an rdflib IRI or literal (castkg writes no blank nodes)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return (
            ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            if term.datatype
            else ox.Literal(str(term))
        )
    raise TypeError(f"castkg writes only IRIs and literals, not {term!r}")


def oxigraph_iri(term: Node) -> ox.NamedNode:
    """The pyoxigraph form of an rdflib IRI in a subject, predicate or graph position."""
    node = oxigraph_term(term)
    if not isinstance(node, ox.NamedNode):
        raise TypeError(f"castkg writes only IRIs as subjects, predicates and graphs, not {term!r}")
    return node


def _iri(node: ox.NamedNode | ox.BlankNode | ox.Triple | ox.DefaultGraph) -> str:
    """The IRI of a node made by :func:`oxigraph_iri`."""
    if not isinstance(node, ox.NamedNode):
        raise TypeError(f"expected an IRI, not {node!r}")
    return node.value


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """The named graphs' quads in one stable order (graph, subject, predicate, object)."""
    quads = [
        ox.Quad(oxigraph_iri(s), oxigraph_iri(p), oxigraph_term(o), oxigraph_iri(g))
        for s, p, o, g in dataset.quads((None, None, None, None))
        if g is not None and g != DATASET_DEFAULT_GRAPH_ID
    ]
    return sorted(
        quads, key=lambda q: (_iri(q.graph_name), _iri(q.subject), q.predicate.value, str(q.object))
    )


def _serialized(statements: Iterable[ox.Triple] | Iterable[ox.Quad], format: ox.RdfFormat) -> bytes:
    """``statements`` serialised in ``format`` with the contract's prefixes."""
    data = ox.serialize(statements, format=format, prefixes=PREFIXES)
    assert data is not None  # serialize returns the bytes when given no output
    return data


def write_graph(dataset: Dataset, directory: str | Path) -> Written:
    """Write the whole graph as Turtle and the article graphs as TriG into ``directory``.

    Serialised by Oxigraph from one sorted list of quads, so the same input gives the same bytes.
    Each file is replaced whole (written aside, fsynced, renamed); to replace the two files and
    the view together, as ``castkg build`` does, use :class:`castkg.outputs.OutputFolder`.
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    quads = sorted_quads(dataset)
    triples = sorted(
        {ox.Triple(q.subject, q.predicate, q.object) for q in quads},
        key=lambda t: (_iri(t.subject), t.predicate.value, str(t.object)),
    )
    turtle, trig = target / TURTLE, target / TRIG
    write_atomic(turtle, _serialized(triples, ox.RdfFormat.TURTLE))
    write_atomic(trig, _serialized(quads, ox.RdfFormat.TRIG))
    log.info("wrote %s, %s (%d triples)", turtle, trig, len(triples))
    return Written(turtle, trig, len(triples))


# --- streaming: graph by graph -------------------------------------------------------------------

_RUN_TRIPLES = 400_000
"""Triples of the union sorted in memory at a time before they go to a run file on disk."""
_BATCH = 20_000
"""Lines handed to Oxigraph's parser at a time."""


class GraphSpool:
    """The article graphs of a build, added one by one as they are made, written at the end as the
    same castkg.ttl and castkg.trig as :func:`write_graph` writes of a Dataset of those graphs.

    Each graph's lines go to an N-Quads file in ``folder`` (a scratch folder, removed by
    :meth:`close`), and its triples to sorted runs for the union, so memory holds one sorted run
    and an index of where each graph's lines are, never the whole graph."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=False)
        self.quads_path = self.folder / "graphs.nq"
        self._quads = open(self.quads_path, "wb")  # noqa: SIM115 - closed by write() or close()
        self._index: dict[str, list[tuple[int, int]]] = {}
        self._run: list[str] = []
        self._runs: list[Path] = []

    def add(self, graph: str, triples: Iterable[tuple[str, str, str]]) -> None:
        """Add the graph ``graph`` (an IRI): its triples as (subject IRI, predicate IRI, object in
        N-Triples form). A graph added twice is the union of both."""
        lines = sorted(set(triples))
        data = "".join(f"<{s}> <{p}> {o} <{graph}> .\n" for s, p, o in lines).encode()
        self._index.setdefault(graph, []).append((self._quads.tell(), len(data)))
        self._quads.write(data)
        self._run.extend(f"{s}\0{p}\0{o}" for s, p, o in lines)
        if len(self._run) >= _RUN_TRIPLES:
            self._flush_run()

    def _flush_run(self) -> None:
        if not self._run:
            return
        path = self.folder / f"run-{len(self._runs):05d}.txt"
        with open(path, "w", encoding="utf-8", newline="\n") as file:
            file.writelines(f"{key}\n" for key in sorted(set(self._run)))
        self._runs.append(path)
        self._run = []

    def _graph_lines(self) -> Iterator[bytes]:
        """Every graph's N-Quads lines, graph by graph in IRI order, each graph's sorted."""
        with open(self.quads_path, "rb") as quads:
            for graph in sorted(self._index):
                chunks = []
                for offset, length in self._index[graph]:
                    quads.seek(offset)
                    chunks.append(quads.read(length))
                if len(chunks) == 1:
                    yield chunks[0]
                    continue
                tail = f" <{graph}> .".encode()
                lines = {line for chunk in chunks for line in chunk.splitlines()}
                keyed = {}
                for line in lines:  # <s> <p> object <graph> .
                    s, p, o = line[: -len(tail)].decode().split(" ", 2)
                    keyed[(s[1:-1], p[1:-1], o)] = line
                yield b"".join(keyed[key] + b"\n" for key in sorted(keyed))

    def _union_lines(self) -> Iterator[bytes]:
        """The triples of all graphs, each once, sorted (subject, predicate, object), as N-Triples
        in batches."""
        files = [open(path, encoding="utf-8", newline="\n") for path in self._runs]  # noqa: SIM115
        try:
            batch: list[str] = []
            last = None
            for key in heapq.merge(*files):
                if key == last:
                    continue
                last = key
                s, p, o = key.rstrip("\n").split("\0", 2)
                batch.append(f"<{s}> <{p}> {o} .\n")
                if len(batch) >= _BATCH:
                    yield "".join(batch).encode()
                    batch = []
            if batch:
                yield "".join(batch).encode()
        finally:
            for file in files:
                file.close()

    def write(self, directory: str | Path) -> Written:
        """Write castkg.ttl and castkg.trig into ``directory``; the same bytes as
        :func:`write_graph` of a Dataset holding the graphs added."""
        self._quads.close()
        self._flush_run()
        target = Path(directory)
        turtle, trig = target / TURTLE, target / TRIG
        quads = (q for data in self._graph_lines() for q in ox.parse(data, format=ox.RdfFormat.N_QUADS))
        ox.serialize(quads, trig, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
        count = [0]

        def triples() -> Iterator[ox.Triple]:
            for data in self._union_lines():
                for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
                    count[0] += 1
                    yield triple  # type: ignore[misc]

        ox.serialize(triples(), turtle, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        log.info("wrote %s, %s (%d triples)", turtle, trig, count[0])
        return Written(turtle, trig, count[0])

    def close(self) -> None:
        """Remove the scratch folder."""
        self._quads.close()
        shutil.rmtree(self.folder, ignore_errors=True)
