"""The browser view of the graph: projection (:mod:`.model`), layout, rendering and export.

``to_view(graph)`` makes the view model (``view_of_turtle`` the same, read as a stream from a
build's castkg.ttl), ``select`` narrows it, ``render_html`` draws it, and :func:`write_view`
(:func:`write_view_of_turtle`) writes the self-contained ``graph.html``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph

from castkg.graphs import ontology_file
from castkg.view.model import View, find_node, select, to_view
from castkg.view.render import NODE_BUDGET, render_html, write_html
from castkg.view.stream import page_view_of_turtle, view_of_turtle

log = logging.getLogger(__name__)

__all__ = [
    "NODE_BUDGET",
    "View",
    "find_node",
    "page_view_of_turtle",
    "render_html",
    "select",
    "to_view",
    "view_of_turtle",
    "write_view",
    "write_view_of_turtle",
]


def ontology() -> Graph | None:
    """castkg's ontology (for the labels of properties); ``None`` when it is not installed."""
    path = ontology_file()
    if path.is_file():
        return Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")
    log.debug("view: no ontology found; edges are named by their properties' local names")
    return None


def write_view(
    graph: Graph,
    path: str | Path,
    *,
    focus: str | None = None,
    depth: int = 1,
    classes: Iterable[str] | None = None,
    max_nodes: int | None = NODE_BUDGET,
    through_hubs: bool = False,
    hub_degree: int | None = None,
    title: str = "castkg",
) -> View:
    """Write the interactive network of ``graph`` (a Graph or Dataset) to ``path`` as UTF-8 HTML.

    At most ``max_nodes`` entities are drawn (the most connected; ``None`` for all), the rest
    embedded to expand into. Returns the view drawn. Raises :class:`~castkg.errors.InputError`
    for an unknown focus name or class.
    """
    whole = to_view(graph, title=title, vocabulary=ontology())
    return _write(whole, path, focus, depth, classes, max_nodes, through_hubs, hub_degree)


def write_view_of_turtle(
    turtles: Sequence[Path],
    path: str | Path,
    *,
    focus: str | None = None,
    depth: int = 1,
    classes: Iterable[str] | None = None,
    max_nodes: int | None = NODE_BUDGET,
    through_hubs: bool = False,
    hub_degree: int | None = None,
    title: str = "castkg",
) -> View:
    """Write the interactive network of the castkg.ttl files ``turtles`` (as ``castkg build``
    writes them: sorted by subject) to ``path``: the same page as :func:`write_view` of the same
    graph, the files read as a stream, twice (:func:`~castkg.view.stream.page_view_of_turtle`:
    memory holds the network of entities and the page's details, not the graph). Returns the view
    drawn (details only for what the page shows). Raises :class:`~castkg.view.stream.UnsortedError`
    when a file is not in subject order, and :class:`~castkg.errors.InputError` for an unknown
    focus name or class.
    """
    view = page_view_of_turtle(
        turtles,
        title,
        ontology(),
        focus=focus,
        depth=depth,
        classes=classes,
        max_nodes=max_nodes,
        through_hubs=through_hubs,
        hub_degree=hub_degree,
    )
    return _written(view, path)


def _write(
    whole: View,
    path: str | Path,
    focus: str | None,
    depth: int,
    classes: Iterable[str] | None,
    max_nodes: int | None,
    through_hubs: bool,
    hub_degree: int | None,
) -> View:
    view = select(
        whole,
        focus=focus,
        depth=depth,
        classes=classes,
        max_nodes=max_nodes,
        through_hubs=through_hubs,
        hub_degree=hub_degree,
    )
    return _written(view, path)


def _written(view: View, path: str | Path) -> View:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_html(view, target)
    log.info(
        "view: wrote %s (%d nodes, %d edges, %d left out)",
        target,
        len(view.nodes),
        len(view.edges),
        view.omitted,
    )
    return view
