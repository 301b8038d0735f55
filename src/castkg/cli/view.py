"""The ``castkg view`` and ``castkg export`` subcommands: thin wrappers over :mod:`castkg.view`."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from rdflib import Graph

from castkg.view import NODE_BUDGET, ontology, page_view_of_turtle, select, to_view
from castkg.view.export import FORMATS, export, load_graph
from castkg.view.model import View
from castkg.view.render import write_html
from castkg.view.stream import UnsortedError, built_turtles

log = logging.getLogger(__name__)


def _classes(values: tuple[str, ...]) -> list[str] | None:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return names or None


def _view(
    paths: tuple[str, ...],
    focus: str | None,
    depth: int,
    classes: tuple[str, ...],
    max_nodes: int | None,
    through_hubs: bool = False,
    hub_degree: int | None = None,
    graph: Graph | None = None,
) -> View:
    """The view of ``paths`` narrowed as asked: of ``graph`` when given (loaded by the caller), else
    of build folders' castkg.ttl read as a stream, with the details of what the page shows only
    (memory holds the network, not the graph), else of the graph loaded whole."""
    title = f"castkg: {focus}" if focus else "castkg"
    chosen, most = _classes(classes), max_nodes or None
    turtles = built_turtles(paths) if graph is None else None
    if turtles is not None:
        try:
            return page_view_of_turtle(
                turtles,
                title,
                ontology(),
                focus=focus,
                depth=depth,
                classes=chosen,
                max_nodes=most,
                through_hubs=through_hubs,
                hub_degree=hub_degree,
            )
        except UnsortedError as exc:
            log.info("%s; loading the graph whole", exc)
    whole = to_view(graph if graph is not None else load_graph(paths), title=title, vocabulary=ontology())
    return select(
        whole,
        focus=focus,
        depth=depth,
        classes=chosen,
        max_nodes=most,
        through_hubs=through_hubs,
        hub_degree=hub_degree,
    )


_PATHS = click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
_FOCUS = click.option(
    "--focus", metavar="NAME", help="Centre the view on the entity with this label or alias."
)
_DEPTH = click.option(
    "--depth",
    default=1,
    show_default=True,
    type=click.IntRange(0),
    help="Keep entities within this many links of --focus.",
)
_CLASSES = click.option(
    "--classes",
    multiple=True,
    metavar="CLASS[,CLASS]",
    help="Keep only these classes (Organization, Event, Person …); repeatable.",
)
_MAX = click.option(
    "--max-nodes", type=click.IntRange(1), metavar="N", help="Keep the N most connected entities."
)
_HUBS = click.option(
    "--through-hubs",
    is_flag=True,
    help="Let --focus walk on from hubs (entities with far more links than the rest) too.",
)
_HUB_DEGREE = click.option(
    "--hub-degree",
    type=click.IntRange(1),
    metavar="N",
    help="Count as a hub every entity with at least N links (default: far above the rest, see docs/view.md).",
)


@click.command("view")
@_PATHS
@_FOCUS
@_DEPTH
@_HUBS
@_HUB_DEGREE
@_CLASSES
@click.option(
    "--max-nodes",
    type=click.IntRange(0),
    default=NODE_BUDGET,
    show_default=True,
    metavar="N",
    help="Draw at most the N most connected entities (0: all); the rest is embedded to expand into.",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The HTML file to write."
)
def view_command(
    paths: tuple[str, ...],
    focus: str | None,
    depth: int,
    through_hubs: bool,
    hub_degree: int | None,
    classes: tuple[str, ...],
    max_nodes: int,
    output: str,
) -> None:
    """Write the interactive network of PATHS (a build folder, RDF files or bulletins) to one HTML file."""
    view = _view(paths, focus, depth, classes, max_nodes, through_hubs, hub_degree)
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_html(view, target)
    left_out = f", {view.omitted} left out" if view.omitted else ""
    click.echo(f"wrote {target}: {len(view.nodes)} nodes, {len(view.edges)} links{left_out}")


@click.command("export")
@_PATHS
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS), help="The file format to write.")
@_FOCUS
@_DEPTH
@_HUBS
@_HUB_DEGREE
@_CLASSES
@_MAX
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="The file to write (for csv: a folder, which gets nodes.csv and edges.csv).",
)
def export_command(
    paths: tuple[str, ...],
    fmt: str,
    focus: str | None,
    depth: int,
    through_hubs: bool,
    hub_degree: int | None,
    classes: tuple[str, ...],
    max_nodes: int | None,
    output: str,
) -> None:
    """Export PATHS for other tools: the entity network as GraphML or GEXF (Gephi, Cytoscape) or
    CSV (nodes.csv and edges.csv, for Gephi and spreadsheets), the whole graph as compact JSON-LD
    or N-Triples."""
    graph = load_graph(paths)  # exports hold every node's details, or the whole graph
    view = _view(paths, focus, depth, classes, max_nodes, through_hubs, hub_degree, graph)
    export(graph, view, fmt, output)
    click.echo(f"wrote {output} ({fmt})")


COMMANDS: tuple[click.Command, ...] = (view_command, export_command)
