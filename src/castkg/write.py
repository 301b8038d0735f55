"""Stage 6, write: the Dataset → the contract's files (castkg.ttl, castkg.trig, graph.html).

Output is byte-identical for the same input: rdflib's Turtle and TriG writers sort
subjects and predicates, the graphs carry no blank nodes, and no timestamp is written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from castkg.mapping import bind_prefixes

log = logging.getLogger(__name__)

TURTLE, TRIG, VIEW = "castkg.ttl", "castkg.trig", "graph.html"


@dataclass(frozen=True)
class Written:
    """The files one build wrote."""

    turtle: Path
    trig: Path
    view: Path | None


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of every named graph, as one graph with the contract's prefixes."""
    graph = Graph()
    bind_prefixes(graph)
    for context in dataset.contexts():
        for triple in context:
            graph.add(triple)
    return graph


def write_outputs(dataset: Dataset, directory: str | Path, view: bool = True) -> Written:
    """Write the whole graph as Turtle, the article graphs as TriG and the browser view into ``directory``."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    graph = union_graph(dataset)
    turtle, trig = target / TURTLE, target / TRIG
    turtle.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    trig.write_bytes(_without_default_graph(dataset).serialize(format="trig", encoding="utf-8"))
    page = None
    if view:
        from castkg.view import write_view

        page = target / VIEW
        write_view(graph, page)
    log.info("wrote %s, %s%s", turtle, trig, f", {page}" if page else "")
    return Written(turtle, trig, page)


def _without_default_graph(dataset: Dataset) -> Dataset:
    """A copy holding only the named graphs, so the TriG has no empty default graph block."""
    copy = Dataset()
    bind_prefixes(copy)
    for context in dataset.contexts():
        if len(context) and context.identifier != dataset.default_context.identifier:
            named = copy.graph(context.identifier)
            for triple in context:
                named.add(triple)
    return copy
