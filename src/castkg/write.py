"""Stage 6, write: the Dataset → the contract's files (castkg.ttl, castkg.trig, graph.html).

Output is byte-identical for the same input: rdflib's Turtle and TriG writers sort
subjects and predicates, the graphs carry no blank nodes, and no timestamp is written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from castkg.mapping import PREFIXES, bind_prefixes

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
    trig.write_bytes(trig_bytes(dataset))
    page = None
    if view:
        from castkg.view import write_view

        page = target / VIEW
        write_view(graph, page)
    log.info("wrote %s, %s%s", turtle, trig, f", {page}" if page else "")
    return Written(turtle, trig, page)


def trig_bytes(dataset: Dataset) -> bytes:
    """The named graphs as TriG, in IRI order.

    rdflib's TriG writer visits graphs in set order, which changes between processes; here each
    graph is written by the (sorted) Turtle writer under one shared prefix header.
    """
    header = Graph()
    bind_prefixes(header)
    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(header.namespaces())
             if prefix in PREFIXES]
    blocks = []
    for context in sorted(dataset.contexts(), key=lambda c: str(c.identifier)):
        if not len(context) or context.identifier == dataset.default_context.identifier:
            continue
        graph = Graph()
        bind_prefixes(graph)
        for triple in context:
            graph.add(triple)
        body = graph.serialize(format="turtle")
        body = "\n".join(line for line in body.splitlines() if not line.startswith("@prefix")).strip()
        name = graph.namespace_manager.normalizeUri(context.identifier)
        blocks.append(f"{name} {{\n" + "\n".join(f"    {l}" if l else "" for l in body.splitlines()) + "\n}\n")
    return ("\n".join(lines) + "\n\n" + "\n".join(blocks)).encode("utf-8")
