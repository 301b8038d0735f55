"""The view of a build's castkg.ttl, read as a stream: memory holds the view, never the graph.

castkg.ttl is the union of a build's graphs with each triple once, sorted by subject
(:class:`castkg.write.GraphSpool`), so all that the graph states of one subject comes together.
Oxigraph parses it triple by triple and :class:`~castkg.view.model.Projection` takes one subject
at a time, joining subjects (a reified statement to its triple, a measure to its entity, an
article to the entities it names) through the few fields the view shows. The view is the same as
:func:`~castkg.view.model.to_view` of the same graph loaded into rdflib (the same code makes both).
"""

from __future__ import annotations

import gc
import heapq
import logging
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from castkg.errors import InputError
from castkg.graphs import TURTLE
from castkg.namespace import ENTITY_CLASSES
from castkg.view import render
from castkg.view.blocks import Block, TurtleBlocks
from castkg.view.census import (
    Census,
    Choice,
    Network,
    candidates,
    choose,
    chosen,
    detailed,
    drawn_numbers,
    whole_communities,
)
from castkg.view.model import (
    COMMUNITY_LIMIT,
    Blank,
    Group,
    Lit,
    Narrowing,
    Projection,
    Term,
    View,
    Wanted,
    chosen_classes,
    project,
)

log = logging.getLogger(__name__)


class UnsortedError(InputError):
    """A Turtle file whose triples are not grouped by subject (not written by castkg build)."""


Keep = Callable[[TurtleBlocks, Block], bool]
"""Which subjects' blocks of a castkg.ttl a pass parses (:mod:`castkg.view.blocks`)."""


def _triples(
    path: Path, blocks: TurtleBlocks | None = None, keep: Keep | None = None
) -> Iterator[tuple[str, str, Term]]:
    """The triples of the Turtle file ``path`` as the view reads them, checked to come in subject
    order; with its ``blocks`` and ``keep``, only those of the subjects it keeps. Raises
    :class:`UnsortedError` when they do not come in order, :class:`InputError` when the file
    does not parse."""
    last = ""
    languages: dict[str, str] = {"": ""}  # each tag in lower case once, not once per literal
    try:
        if blocks is not None and keep is not None:
            quads = ox.parse(blocks.reader(partial(keep, blocks)), format=ox.RdfFormat.TURTLE, lenient=True)
        else:
            quads = ox.parse(path=path, format=ox.RdfFormat.TURTLE, lenient=True)
        for quad in quads:
            node, value = quad.subject, quad.object
            if isinstance(node, ox.NamedNode):
                subject: str = node.value
            elif isinstance(node, ox.BlankNode):
                subject = Blank(node.value)
            else:
                raise UnsortedError(f"{path}: a triple as a subject; castkg writes none")
            if subject < last:
                raise UnsortedError(
                    f"{path}: the triples are not in subject order, as castkg build writes them"
                )
            last = subject
            term: Term
            if isinstance(value, ox.NamedNode):
                term = value.value
            elif isinstance(value, ox.Literal):
                tag = value.language or ""
                language = languages.get(tag)
                if language is None:
                    language = languages[tag] = tag.lower()
                term = Lit(value.value, language)
            elif isinstance(value, ox.BlankNode):
                term = Blank(value.value)
            else:
                raise UnsortedError(f"{path}: a triple as an object; castkg writes none")
            yield subject, quad.predicate.value, term
    except SyntaxError as exc:
        raise InputError(f"{path}: not readable as Turtle: {exc}") from exc


def turtle_groups(
    paths: Sequence[Path], keep: Keep | None = None, layouts: Sequence[TurtleBlocks | None] = ()
) -> Iterator[Group]:
    """Every subject of the Turtle files ``paths`` (each sorted by subject, as castkg.ttl is) with
    all the files state of it, each triple once; with ``keep``, the subjects it keeps of each file
    whose ``layouts`` (:meth:`TurtleBlocks.open`, in the order of ``paths``) are given, and every
    subject of the others. Raises :class:`UnsortedError` when a file is not in subject order."""
    given = [*layouts, *[None] * (len(paths) - len(layouts))]
    streams = [_triples(Path(path), blocks, keep) for path, blocks in zip(paths, given, strict=True)]
    if len(streams) == 1:
        for subject, run in groupby(streams[0], key=itemgetter(0)):
            yield subject, [(p, o) for _, p, o in run]
        return
    merged = heapq.merge(*streams, key=itemgetter(0))
    for subject, run in groupby(merged, key=itemgetter(0)):
        yield subject, list(dict.fromkeys((p, o) for _, p, o in run))


# --- what the census and the links parse of a castkg.ttl (the rest they would read and drop) -------
# The details are read whole: the page's nodes are the most linked ones, which most statements name
# (at 1k articles, skipping the rest made that pass slower: 29 s against 25-28 s).


def _not_statements(blocks: TurtleBlocks, block: Block) -> bool:
    """The census: all but the reified statements of facts, which name no entity's class or link."""
    return not blocks.is_statement(block)


def _entities(iris: Sequence[str]) -> Keep:
    """The links: the entities' own subjects (``iris``, sorted), the only ones links are read from."""

    def keep(blocks: TurtleBlocks, block: Block) -> bool:
        iri = blocks.iri(block.subject)
        if iri is None:
            return True
        i = bisect_left(iris, iri)
        return i < len(iris) and iris[i] == iri

    return keep


def built_turtles(paths: Sequence[str | Path]) -> list[Path] | None:
    """The Turtle files to read as a stream when every one of ``paths`` is a ``castkg build`` output
    folder (its castkg.ttl) or a ``.ttl`` file (castkg.ttl given itself), else None. A ``.ttl`` that
    castkg did not write raises :class:`UnsortedError` when read, and is then loaded whole."""
    turtles = [Path(path) if Path(path).suffix == ".ttl" else Path(path) / TURTLE for path in paths]
    return turtles if turtles and all(path.is_file() for path in turtles) else None


def view_of_turtle(paths: Sequence[Path], title: str = "castkg", vocabulary: Graph | None = None) -> View:
    """The view of the union of the Turtle files ``paths`` (castkg.ttl of one or more builds), read
    as a stream. Raises :class:`UnsortedError` when a file is not in subject order (a file that
    castkg build did not write: load it with :func:`castkg.view.export.load_graph` instead)."""
    return project(turtle_groups(paths), title, vocabulary)


def page_view_of_turtle(
    paths: Sequence[Path],
    title: str = "castkg",
    vocabulary: Graph | None = None,
    *,
    focus: str | None = None,
    depth: int = 1,
    classes: Iterable[str] | None = None,
    max_nodes: int | None = None,
    through_hubs: bool = False,
    hub_degree: int | None = None,
) -> View:
    """The view of the Turtle files ``paths`` narrowed as :func:`castkg.view.model.select` narrows
    it and cut to what its page embeds (:func:`castkg.view.render.embedded_only`), with the details
    (facts, measures, sentences, articles) of what that page shows only. The files are read three
    times: first for the census of the network of entities (:class:`~castkg.view.census.Census`:
    each entity's class and number of links); then for the links, past the page's budgets only
    those among the drawn entities and the candidates to embed (:meth:`Census.links`, once more
    when the page embeds an entity past the candidates), from which the page is chosen
    (:func:`~castkg.view.census.choose`); then for the names, dates and details of the chosen
    entities and links and of the nodes they need, and nothing else. So memory holds numbers per
    entity, the links of the page's candidates, and the page, never a view object per link of the
    graph; sentences and measures only of the entities whose details the page embeds
    (DETAIL_BUDGET), and of each node's and link's sentences and articles, past the page's
    budgets, the few the page can show and the number of the rest, cut as they are read
    (:class:`~castkg.view.details.PageDetails`). The page
    (:func:`castkg.view.render_html`) is the page of the same selection of the whole view.
    Raises :class:`UnsortedError` as :func:`view_of_turtle` does, :class:`InputError` for an
    unknown focus name or class.

    The census and the links parse only what they read of a castkg.ttl: all but the reified
    statements of facts, then the entities (:mod:`castkg.view.blocks`; at 1k articles the two
    passes took 8 and 5 s instead of 16 and 13)."""
    wanted_classes = chosen_classes(classes)
    layouts = [TurtleBlocks.open(Path(path)) for path in paths]  # where each subject lies, found once
    census = Census(focus)
    for subject, pairs in turtle_groups(paths, _not_statements, layouts):
        census.add(subject, pairs)
    centre = census.focus()
    counted = census.network(vocabulary)
    if centre is not None and wanted_classes is not None:
        cls = ENTITY_CLASSES[counted.classes[centre]]
        if cls not in wanted_classes:
            raise InputError(f"{focus!r} is a {cls}, which the chosen classes leave out")
    size = len(counted.iris)
    kept = among = None
    if (
        centre is None
        and wanted_classes is None
        and max_nodes is not None
        and size > max(max_nodes, COMMUNITY_LIMIT)
    ):  # the page needs only the links of the drawn entities and of the candidates to embed
        kept, among = candidates(counted, max_nodes)
    network, near = census.links(counted, turtle_groups(paths, _entities(counted.iris), layouts), among, kept)

    def choosing(network: Network) -> Choice:
        return choose(
            network,
            focus=centre,
            depth=depth,
            classes=wanted_classes,
            max_nodes=max_nodes,
            through_hubs=through_hubs,
            hub_degree=hub_degree,
            near=near if kept is not None else None,
        )

    choice = choosing(network)
    if among is not None and not all(among[i] for i in choice.spare):
        # an embedded entity past the candidates: read the links among the page's entities
        ids = bytearray(size)
        for i in (*choice.nodes, *choice.spare):
            ids[i] = 1
        network, _ = census.links(counted, turtle_groups(paths, _entities(counted.iris), layouts), ids, kept)
        choice = choosing(network)
    if len(network.iris) <= COMMUNITY_LIMIT:
        numbers = whole_communities(network)
    else:  # as select() finds them
        numbers = drawn_numbers(network, choice)
    page = chosen(network, choice, numbers)
    full = detailed(network, choice)
    needed = census.needed({*choice.nodes, *choice.spare}, set(full))
    properties = census.predicates()
    del census, choice, numbers, counted
    iris = network.iris
    del network  # the links go: the entities' IRIs stay, to tell entities from other nodes
    gc.collect()
    log.info("view: chose %d entities to draw and %d to embed", len(page.nodes), len(page.spare))
    wanted = Wanted(  # the links that are posts take their details from the posts
        frozenset(iri for iri, *_ in (*page.nodes, *page.spare)),
        frozenset((s, p, o, "") for s, p, o, post in (*page.edges, *page.spare_edges) if post is None),
        frozenset(iris[i] for i in full),
    )

    def is_entity(iri: str) -> bool:
        i = bisect_left(iris, iri)
        return i < len(iris) and iris[i] == iri

    narrowing = Narrowing(is_entity, needed, properties, render.page_budget())
    details = Projection(wanted, links=False, narrowing=narrowing)
    for subject, pairs in turtle_groups(paths):
        details.add(subject, pairs)
    return details.page(page, title, vocabulary)
