"""Loading a built graph, and exporting it for Gephi, Cytoscape and other tools.

GraphML and GEXF are the view's network (entities and their links, with labels and
classes as attributes) written by networkx; JSON-LD and N-Triples are the whole RDF
graph written by rdflib.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph
from rdflib.util import guess_format

from castkg.errors import InputError
from castkg.graphs import built_graph, union_graph
from castkg.view.model import View, to_networkx

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("graphml", "gexf", "jsonld", "nt")


def _parse(path: Path) -> Graph:
    fmt = guess_format(str(path)) or "turtle"
    graph: Graph = Dataset() if fmt in ("trig", "nquads") else Graph()
    try:
        graph.parse(str(path), format=fmt)
    except Exception as exc:  # rdflib raises many kinds; report the file and the reason in one line
        raise InputError(f"{path}: not readable as {fmt}: {exc}") from exc
    return graph


def load_graph(paths: Iterable[str | Path]) -> Graph:
    """The graph at ``paths``: RDF files (Turtle, TriG, N-Triples, JSON-LD …), ``castkg build``
    output folders, or bulletins, which are built with :func:`castkg.build`.

    Raises :class:`InputError` when a path does not exist or does not parse.
    """
    merged = Graph()
    bulletins: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        built = built_graph(path) if path.is_dir() else None
        if built is not None:
            merged += union_graph(_parse(built))
        elif path.is_file() and guess_format(str(path)) is not None:
            merged += union_graph(_parse(path))
        else:
            bulletins.append(path)
    if bulletins:
        from castkg import build  # the pipeline, only when bulletins are given

        merged += union_graph(build(bulletins))
    return merged


def export_network(view: View, fmt: str, path: str | Path) -> None:
    """Write the view's network as GraphML or GEXF (labels, classes and property labels as attributes)."""
    network = to_networkx(view)
    if fmt == "graphml":
        nx.write_graphml(network, str(path), encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        nx.write_gexf(network, str(path), encoding="utf-8", prettyprint=True)
    else:
        raise InputError(f"unknown network format {fmt!r}; known: graphml, gexf")


def export(graph: Graph, view: View, fmt: str, path: str | Path) -> None:
    """Write ``graph`` (jsonld, nt) or its ``view`` (graphml, gexf) to ``path`` in format ``fmt``.

    RDF is written with canonical blank-node labels and N-Triples sorted, so the same graph
    gives the same bytes.

    Raises :class:`InputError` for an unknown format.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt in ("graphml", "gexf"):
        export_network(view, fmt, target)
    elif fmt == "jsonld":
        target.write_text(
            to_canonical_graph(union_graph(graph)).serialize(format="json-ld", indent=2, sort_keys=True),
            encoding="utf-8",
        )
    elif fmt == "nt":
        lines = sorted(to_canonical_graph(union_graph(graph)).serialize(format="nt").splitlines())
        target.write_text("".join(line + "\n" for line in lines if line.strip()), encoding="utf-8")
    else:
        raise InputError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")
    log.info("export: wrote %s as %s", target, fmt)
