"""Loading a built graph, and exporting it for Gephi, Cytoscape, spreadsheets and other tools.

GraphML, GEXF and CSV (``nodes.csv`` and ``edges.csv``) are the view's network (entities and
their links, with labels and classes as attributes); JSON-LD (compacted with castkg's published
context, ``ontology/context.jsonld``) and N-Triples are the whole RDF graph written by rdflib.
Every file is written aside and renamed into place, so an interrupted export leaves no half file.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph
from rdflib.util import guess_format

from castkg.errors import InputError, OutputError
from castkg.graphs import built_graph, ontology_dir, union_graph
from castkg.transaction import write_atomic
from castkg.view.model import View, to_networkx

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("graphml", "gexf", "csv", "jsonld", "nt")

CONTEXT_IRI = "https://w3id.org/castkg/context.jsonld"
"""Where castkg's JSON-LD context is published; the JSON-LD export names it as its ``@context``.
The same file ships as ``ontology/context.jsonld``."""

NODE_COLUMNS = ("Id", "Label", "Class", "English", "Aliases", "Articles", "Degree")
EDGE_COLUMNS = ("Source", "Target", "Type", "Label", "Property")
"""The CSV columns: Gephi's spreadsheet import reads Id/Label and Source/Target/Type/Label by name."""


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


def context_file() -> Path:
    """castkg's JSON-LD context, ``ontology/context.jsonld``."""
    return ontology_dir() / "context.jsonld"


@cache
def jsonld_context() -> dict[str, Any]:
    """The term definitions of castkg's JSON-LD context (the ``@context`` object of its file)."""
    path = context_file()
    try:
        context = json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"{path}: cannot read the JSON-LD context ({exc}); restore ontology/") from exc
    assert isinstance(context, dict)
    return context


def _sorted_json(value: Any) -> Any:
    """``value`` with every list sorted, so the same graph gives the same bytes."""
    if isinstance(value, dict):
        return {key: _sorted_json(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def to_jsonld(graph: Graph) -> bytes:
    """``graph`` (its union, for a Dataset) as compact JSON-LD: short keys (label, organizer …)
    defined by castkg's context, which the document names by its published IRI."""
    canonical = to_canonical_graph(union_graph(graph))
    document = json.loads(canonical.serialize(format="json-ld", context=jsonld_context()))
    document.pop("@context", None)
    nodes = document.pop("@graph", [document] if document else [])
    ordered = sorted((_sorted_json(node) for node in nodes), key=lambda node: str(node.get("id", "")))
    body = {"@context": CONTEXT_IRI, "@graph": ordered}
    return (json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _csv(rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def export_csv(view: View, folder: str | Path) -> tuple[Path, Path]:
    """Write the view's network as ``nodes.csv`` and ``edges.csv`` (UTF-8, RFC 4180) into ``folder``.

    Returns the two paths. Raises :class:`OutputError` when ``folder`` is a file.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: is a file; --format csv writes nodes.csv and edges.csv into a folder")
    target.mkdir(parents=True, exist_ok=True)
    nodes = [
        (n.id, n.label, n.cls, n.label_en, " | ".join(n.aliases), len(n.articles), n.degree)
        for n in view.nodes
    ]
    edges = [(e.source, e.target, "Directed", e.label, e.property) for e in view.edges]
    write_atomic(target / "nodes.csv", _csv([NODE_COLUMNS, *nodes]))
    write_atomic(target / "edges.csv", _csv([EDGE_COLUMNS, *edges]))
    return target / "nodes.csv", target / "edges.csv"


def export_network(view: View, fmt: str, path: str | Path) -> None:
    """Write the view's network as GraphML or GEXF (labels, classes and property labels as attributes)."""
    network = to_networkx(view)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(network, buffer, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        nx.write_gexf(network, buffer, encoding="utf-8", prettyprint=True)
    else:
        raise InputError(f"unknown network format {fmt!r}; known: graphml, gexf")
    write_atomic(path, buffer.getvalue())


def export(graph: Graph, view: View, fmt: str, path: str | Path) -> None:
    """Write ``graph`` (jsonld, nt) or its ``view`` (graphml, gexf, csv) to ``path`` in format ``fmt``
    (for csv, ``path`` is a folder that gets nodes.csv and edges.csv).

    RDF is written with canonical blank-node labels, N-Triples sorted and JSON-LD's lists sorted,
    so the same graph gives the same bytes. Raises :class:`InputError` for an unknown format,
    :class:`OutputError` when ``path`` cannot be written.
    """
    target = Path(path)
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")
    try:
        if fmt == "csv":
            export_csv(view, target)
            log.info("export: wrote nodes.csv and edges.csv into %s", target)
            return
        if target.is_dir():
            raise OutputError(f"{target}: is a folder; give the file to write")
        target.parent.mkdir(parents=True, exist_ok=True)
        if fmt in ("graphml", "gexf"):
            export_network(view, fmt, target)
        elif fmt == "jsonld":
            write_atomic(target, to_jsonld(graph))
        else:
            lines = sorted(to_canonical_graph(union_graph(graph)).serialize(format="nt").splitlines())
            write_atomic(target, "".join(line + "\n" for line in lines if line.strip()).encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from exc
    log.info("export: wrote %s as %s", target, fmt)
