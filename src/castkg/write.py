"""Stage 6, write: the Dataset → the contract's graph files (castkg.ttl, castkg.trig).

Output is byte-identical for the same input: Oxigraph's writers serialise one sorted list
of quads, the graphs carry no blank nodes, and no timestamp is written. The third file of a
build, graph.html, is the view's (:mod:`castkg.view`); :func:`castkg.outputs.write_outputs`
writes all three and swaps them in together.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
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
