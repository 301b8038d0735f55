"""The census of a graph's network of entities, taken in one pass over its subjects, and the page
chosen from it before any detail is read.

A page draws at most a budget of entities (the most connected) and embeds a budget more, with a
budget of links (:mod:`castkg.view.render`). Choosing them needs each entity's class and number of
links, and the links between the entities the page may show, in the view's order; :class:`Census`
gathers the first one subject at a time, in compact form: entities and the nodes joined to them
numbered, each entity's links counted (a link to a node whose subject comes later in IRI order
waits, under that node, until it comes), posts as (person, body, name) rows; no link is kept.
:meth:`Census.links` then reads the graph again for the links: past the page's budgets
(:func:`candidates`), only those among the drawn entities (the most connected) and the candidates
to embed (the next most connected), as rows of four arrays of machine integers, with the entities
linked to a drawn one found on the way; all of them for a small graph (whose communities are found
on the whole network), a focus or chosen classes. :func:`choose` then makes, from these numbers, the
selection :func:`castkg.view.model.select` makes of the whole view and the cut
:func:`castkg.view.render.embedded_only` makes of its page; only the chosen entities and links
become view objects, and only their details are read (:meth:`castkg.view.model.Projection.page`).
The page is the same as that of the whole view (past COMMUNITY_LIMIT entities, communities are
found on the drawn entities in both: :func:`drawn_numbers`).
"""

from __future__ import annotations

import heapq
import logging
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rdflib import Graph

from castkg.namespace import ENTITY_CLASSES
from castkg.view import render
from castkg.view.model import (
    BODIES,
    CLASS_RANK,
    HIDDEN,
    HOLDS,
    LABEL,
    LABELS,
    MEASURE,
    MEMBER,
    MEMBER_OF,
    MEMBERSHIP,
    ORG_HOLDS,
    ORG_ROLE,
    POST,
    ROLE,
    TYPE,
    Blank,
    Chosen,
    Group,
    Lit,
    NameMatch,
    Term,
    communities,
    drawn_communities,
    hub_threshold,
    is_entity_node,
    is_weak,
    label_entries,
    local_name,
    names_of,
    property_labels_of,
    term_str,
    term_text,
)

log = logging.getLogger(__name__)

RoleRef = str | int
"""A post's name as the census keeps it: the name itself, or the number of the node that names it."""


@dataclass(frozen=True)
class Network:
    """A graph's network of entities in compact form: entity ``r`` is ``iris[r]`` (sorted), of class
    ``ENTITY_CLASSES[classes[r]]``, with ``degree[r]`` links in the graph (as
    :func:`castkg.view.model.degrees` counts them); link ``i`` goes from ``source[i]`` to
    ``target[i]`` by ``props[prop[i]]``, named ``post_names[label[i]]`` for a post (``label[i]`` -1
    for any other link), the links in the view's order (source, property, target, name) and each
    once: all of them, or those among some entities (:meth:`Census.links`), or none (the census)."""

    iris: list[str]
    classes: bytes
    degree: array[int]
    source: array[int]
    prop: array[int]
    target: array[int]
    label: array[int]
    props: list[str]
    post_names: list[str]

    def rank(self, iri: str) -> int:
        """The number of the entity ``iri``, or -1 when it is not one."""
        i = bisect_left(self.iris, iri)
        return i if i < len(self.iris) and self.iris[i] == iri else -1

    def is_entity(self, iri: str) -> bool:
        """Whether ``iri`` is an entity of the network."""
        return self.rank(iri) >= 0

    def weak(self) -> bytes:
        """Whether each property (by number) is weak."""
        return bytes(is_weak(prop) for prop in self.props)

    def link(self, i: int) -> tuple[str, str, str, str | None]:
        """Link ``i`` as (source IRI, property IRI, target IRI, the post's name or None)."""
        label = self.label[i]
        name = self.post_names[label] if label >= 0 else None
        return self.iris[self.source[i]], self.props[self.prop[i]], self.iris[self.target[i]], name


class Census:
    """What choosing a page needs of a graph, gathered one subject at a time (:meth:`add`, each
    subject once, in IRI order as castkg.ttl holds them), then made into a :class:`Network` of
    counts (:meth:`network`), whose links are read again by :meth:`links`. With ``focus``, it also
    finds the entity that name names (:class:`~castkg.view.model.NameMatch`, the entities offered
    in IRI order)."""

    def __init__(self, focus: str | None = None) -> None:
        self.match = NameMatch(focus) if focus is not None else None
        self.focus_rank = -1
        self._numbers: dict[str, int] = {}
        self.terms: list[str] = []
        """Every node met as an entity or as the object of an entity's, a post's or a membership's
        statement, by number."""
        self.entities = array("i")
        """The number of each entity's term, in IRI order."""
        self.classes = bytearray()
        self.labels: list[str] = []
        """Each entity's preferred label (the name of a post it would be)."""
        self._predicates: dict[str, int] = {}
        self._rank_of = array("i")
        """Each term's entity number, or -1 (so far)."""
        self.degree = array("i")
        """Each entity's links to entities so far (without posts, added by :meth:`network`)."""
        self._waiting: dict[str, int | array[int]] = {}
        """The entities linked to a node whose own subject has not come yet (it follows in IRI order),
        by the node: counted as links if it turns out to be an entity, dropped otherwise."""
        self._held_links: list[tuple[int, str]] = []
        """Each (entity, node) of a link by the property of posts (``ckg:holds``), to count a post
        that repeats such a link once (as :meth:`links` merges them)."""
        self.measured, self.measures = array("i"), array("i")
        """Each measure of an entity (``ckg:measure``): the entity, the measure's term."""
        self.held_by, self.held = array("i"), array("i")
        """Each post an entity holds (``ckg:holds``, ``org:holds``): the entity, the post's term."""
        self.posts: dict[int, tuple[tuple[int, ...], tuple[RoleRef, ...]]] = {}
        """Each node with a body (``ckg:organization``, ``org:postIn``): its bodies' terms, its names."""
        self.member, self.member_of = array("i"), array("i")
        self.member_names: list[tuple[RoleRef, ...]] = []
        """Each (member, body) of an ``org:Membership`` and the names of its post."""
        self.role_names: dict[int, str] = {}
        """The name of a node that names a post: its ``ckg:role``, else (not an entity) its label."""
        self.property_labels: dict[str, tuple[tuple[str, str, str], ...]] = {}
        self._texts: dict[str, str] = {}
        self._tuples: dict[tuple[RoleRef, ...], tuple[RoleRef, ...]] = {}

    def _term(self, node: str) -> int:
        number = self._numbers.get(node)
        if number is None:
            number = self._numbers[node] = len(self.terms)
            self.terms.append(node)
            self._rank_of.append(-1)
        return number

    def _entity_rank(self, node: str) -> int:
        """The number of the entity ``node`` among those met so far, or -1."""
        number = self._numbers.get(node)
        return -1 if number is None else self._rank_of[number]

    def _link(self, source: int, target: int) -> None:
        self.degree[source] += 1
        self.degree[target] += 1

    def _names(self, subject: str, by: dict[str, list[Term]]) -> tuple[RoleRef, ...]:
        """The names of the post that ``subject`` states (its ``org:role`` values), else its own."""
        refs: list[RoleRef] = []
        for role in by.get(ORG_ROLE, ()):
            refs.append(self.term_text(term_text(role)) if isinstance(role, Lit) else self._term(role))
        if not refs:
            own = min((term_text(r) for r in by.get(ROLE, ())), default=None)
            refs.append(self.term_text(own if own is not None else names_of(subject, label_entries(by))[0]))
        found = tuple(refs)
        return self._tuples.setdefault(found, found)

    def term_text(self, text: str) -> str:
        return self._texts.setdefault(text, text)

    def add(self, subject: str, pairs: Iterable[tuple[str, Term]]) -> None:
        """Take what choosing a page needs of ``subject`` (an IRI or a :class:`Blank`), given every
        (predicate IRI, object) the graph states of it."""
        by: dict[str, list[Term]] = {}
        for prop, value in pairs:
            by.setdefault(prop, []).append(value)
        types = by.get(TYPE, ())
        ranks = [CLASS_RANK[t] for t in types if isinstance(t, str) and t in CLASS_RANK]
        entity = bool(ranks) and not isinstance(subject, Blank)
        if subject in self._predicates and any(p == LABEL for p in by):
            self.property_labels[subject] = label_entries(by)
        waiting = self._waiting.pop(subject, None)  # the links to this subject from entities before it
        if entity:
            rank = len(self.entities)
            term = self._term(subject)
            self.entities.append(term)
            self._rank_of[term] = rank
            self.degree.append(0)
            if waiting is not None:
                for source in [waiting] if isinstance(waiting, int) else waiting:
                    self._link(source, rank)
            self.classes.append(min(ranks))
            names = names_of(subject, label_entries(by))
            self.labels.append(names[0])
            if self.match is not None and self.match.offer(
                subject, (n for n in (names[0], names[1], *names[2]) if n)
            ):
                self.focus_rank = rank
            for prop, values in by.items():
                if prop in HIDDEN:
                    continue
                self._predicates.setdefault(prop, len(self._predicates))
                for value in dict.fromkeys(values):  # each link once, as links() merges them
                    if isinstance(value, Lit):
                        continue
                    if prop == MEASURE:
                        self.measured.append(rank)
                        self.measures.append(self._term(value))
                    if prop == POST:
                        self._held_links.append((rank, value))
                    if value <= subject:  # its subject came (or is this one): an entity or never one
                        other = self._entity_rank(value)
                        if other >= 0:
                            self._link(rank, other)
                        continue
                    before = self._waiting.get(value)
                    if before is None:
                        self._waiting[value] = rank
                    elif isinstance(before, int):
                        self._waiting[value] = array("i", (before, rank))
                    else:
                        before.append(rank)
            for prop in (HOLDS, ORG_HOLDS):
                for post in by.get(prop, ()):
                    if not isinstance(post, Lit):
                        self.held_by.append(rank)
                        self.held.append(self._term(post))
        if ROLE in by:
            self.role_names[self._term(subject)] = self.term_text(min(term_text(r) for r in by[ROLE]))
        elif not entity and any(p in by for p in LABELS):
            self.role_names[self._term(subject)] = self.term_text(names_of(subject, label_entries(by))[0])
        bodies = [body for prop in BODIES for body in by.get(prop, ())]
        if bodies:
            self.posts[self._term(subject)] = (
                tuple(self._term(term_str(b)) for b in bodies if is_entity_node(b)),
                self._names(subject, by),
            )
        if MEMBERSHIP in types:
            post_names = self._names(subject, by)
            for member in by.get(MEMBER, ()):
                for body in by.get(MEMBER_OF, ()):
                    if is_entity_node(member) and is_entity_node(body):
                        self.member.append(self._term(term_str(member)))
                        self.member_of.append(self._term(term_str(body)))
                        self.member_names.append(post_names)

    def focus(self) -> int | None:
        """The number of the entity the focus names (None without a focus). Raises
        :class:`~castkg.errors.InputError` when no entity has that name."""
        if self.match is None:
            return None
        if self.match.found is None:
            raise self.match.error()
        return self.focus_rank

    def _ranks(self) -> array[int]:
        """Each term's entity number, or -1."""
        ranks = array("i", [-1]) * len(self.terms)
        for rank, term in enumerate(self.entities):
            ranks[term] = rank
        return ranks

    def _name(self, ref: RoleRef, ranks: array[int]) -> str:
        """A post's name: as kept, or the name its node gives (as ``Projection.role`` reads it)."""
        if isinstance(ref, str):
            return ref
        found = self.role_names.get(ref)
        if found is not None:
            return found
        rank = ranks[ref]
        return self.labels[rank] if rank >= 0 else local_name(str(self.terms[ref]))

    def post_keys(self, ranks: array[int]) -> dict[int, set[tuple[int, str]]]:
        """The posts between two entities: each person's (body, name) pairs, each once (as
        ``Projection.posts`` merges them)."""
        keys: dict[int, set[tuple[int, str]]] = defaultdict(set)
        for person, post in zip(self.held_by, self.held, strict=True):
            bodies, names = self.posts.get(post, ((), ()))
            for body in bodies:
                if ranks[body] >= 0:
                    keys[person] |= {(ranks[body], self._name(n, ranks)) for n in names}
        for member, body, names in zip(self.member, self.member_of, self.member_names, strict=True):
            if ranks[member] >= 0 and ranks[body] >= 0:
                keys[ranks[member]] |= {(ranks[body], self._name(n, ranks)) for n in names}
        return keys

    def network(self, vocabulary: Graph | None = None) -> Network:
        """The :class:`Network` of the entities gathered, without its links (:meth:`links` reads
        them again): each entity's number of links (links to nodes that are no entities dropped,
        posts added, each link once), the properties and the posts' names."""
        held = {(rank, other) for rank, node in self._held_links if (other := self._entity_rank(node)) >= 0}
        # no more subjects: the nodes still awaited are no entities
        self._numbers, self._waiting, self._held_links = {}, {}, []
        ranks = self._ranks()
        keys = self.post_keys(ranks)
        names = sorted({name for found in keys.values() for _, name in found})
        props = sorted({*self._predicates, *([POST] if keys else [])})
        label = [self._property_label(p, vocabulary) for p in props]
        post_label = self._property_label(POST, vocabulary)
        degree = self.degree
        for person, found in keys.items():
            for body, name in found:
                if name != post_label or (person, body) not in held:  # else the link by ckg:holds
                    self._link(person, body)
        self._keys, self._label = keys, label
        log.info("view: census of %d entities, %d links", len(self.entities), sum(degree) // 2)
        return Network(
            [self.terms[t] for t in self.entities],
            bytes(self.classes),
            degree,
            array("i"),
            array("i"),
            array("i"),
            array("i"),
            props,
            names,
        )

    def links(
        self,
        network: Network,
        groups: Iterable[Group],
        among: bytearray | None = None,
        kept: bytearray | None = None,
    ) -> tuple[Network, bytearray]:
        """``network`` with its links, read again from the graph's ``groups`` (as :meth:`add` took
        them): those between two entities ``among`` (all, when None), in the view's order (source,
        property, target, name) and each once; and the entities not ``kept`` linked to one that is
        (:func:`choose`'s ``near``, found over all the links)."""
        iris, keys, label = network.iris, self._keys, self._label
        prop_number = {prop: i for i, prop in enumerate(network.props)}
        name_number = {name: i for i, name in enumerate(network.post_names)}
        post = prop_number.get(POST, -1)
        size = len(iris)
        near = bytearray(size)
        source, prop, target, names_of_links = array("i"), array("i"), array("i"), array("i")

        def rank_of(node: str) -> int:
            i = bisect_left(iris, node)
            return i if i < size and iris[i] == node else -1

        following = 0  # entities come in IRI order: the next one's number
        for subject, pairs in groups:
            if following >= size or isinstance(subject, Blank) or subject != iris[following]:
                continue
            rank, following = following, following + 1
            group: list[tuple[int, int, str, int]] = []
            for p_iri, value in pairs:
                if p_iri in HIDDEN or isinstance(value, Lit):
                    continue
                other = rank_of(value)
                if other >= 0:
                    p = prop_number[p_iri]
                    group.append((p, other, label[p], -1))
            group += [(post, body, name, name_number[name]) for body, name in keys.get(rank, ())]
            group.sort()
            last = None
            for p, other, text, number in group:
                if (p, other, text) == last:
                    continue
                last = (p, other, text)
                if kept is not None and kept[rank] != kept[other]:
                    near[other if kept[rank] else rank] = 1
                if among is not None and not (among[rank] and among[other]):
                    continue
                source.append(rank)
                prop.append(p)
                target.append(other)
                names_of_links.append(number)
        log.info("view: read %d links of %d entities", len(source), size if among is None else sum(among))
        return replace(network, source=source, prop=prop, target=target, label=names_of_links), near

    def _property_label(self, prop: str, vocabulary: Graph | None) -> str:
        """A property's label as a link's (a tie of a link and a post between the same two entities
        is ordered by it); the graph's label of a property stated before it is used is not seen."""
        return property_labels_of(prop, self.property_labels.get(prop, ()), vocabulary)[0]

    def needed(self, page: set[int], full: set[int]) -> frozenset[str]:
        """The nodes other than entities whose details the entities ``page`` (numbers) need: the
        measures of those in ``full``, the posts they hold, the nodes that name those posts and
        their memberships'."""
        ranks = self._ranks()
        needed = {
            self.terms[term] for rank, term in zip(self.measured, self.measures, strict=True) if rank in full
        }
        for person, post in zip(self.held_by, self.held, strict=True):
            if person in page:
                needed.add(self.terms[post])
                needed.update(self.terms[n] for n in self.posts.get(post, ((), ()))[1] if isinstance(n, int))
        for member, body, names in zip(self.member, self.member_of, self.member_names, strict=True):
            if ranks[member] in page and ranks[body] in page:
                needed.update(self.terms[n] for n in names if isinstance(n, int))
        return frozenset(needed)

    def predicates(self) -> frozenset[str]:
        """Every predicate an entity states (but types and article links), and that of posts."""
        return frozenset({*self._predicates, POST})


@dataclass(frozen=True)
class Choice:
    """A page chosen from a :class:`Network`, by numbers: its drawn entities and its embedded spare
    ones (sorted), the links it draws and those it embeds among them (link numbers, in order), and
    what it leaves out (as :class:`~castkg.view.model.View` counts it)."""

    nodes: list[int]
    spare: list[int]
    edges: list[int]
    spare_edges: list[int]
    omitted: int
    unembedded: int
    links_left_out: int
    focus: int | None
    walled: list[int]
    max_nodes: int | None
    links: array[int]
    """Every link among the drawn entities (before the link budget), in order."""
    ties: array[int]
    """Every link between a drawn entity and an embedded spare one (before the link budget), in order."""


CANDIDATES = 2
"""How many entities past the drawn ones the links pass keeps the links of, as a multiple of the
page's room for embedded ones (EMBED_NODES less the drawn): those the page embeds are found among
the most connected (an embedded entity outside them costs one more pass over the graph)."""


def most_linked(degree: Sequence[int], count: int, among: Iterable[int]) -> list[int]:
    """The ``count`` entities ``among`` with the most links, ties by number (as :func:`choose` cuts)."""
    return heapq.nsmallest(max(count, 0), among, key=lambda i: (-degree[i], i))


def candidates(network: Network, max_nodes: int) -> tuple[bytearray, bytearray]:
    """For :func:`choose` without focus and classes, of a network of more than ``max_nodes``
    entities: the drawn entities (the ``max_nodes`` most connected) and those with the
    candidates to embed (the next most connected, CANDIDATES times the room left), as masks."""
    size, degree = len(network.iris), network.degree
    kept = bytearray(size)
    for node in most_linked(degree, max_nodes, range(size)):
        kept[node] = 1
    among = bytearray(kept)
    room = max(render.EMBED_NODES - sum(kept), 0)
    for node in most_linked(degree, CANDIDATES * room, (i for i in range(size) if not kept[i])):
        among[node] = 1
    return kept, among


def _walk(
    network: Network, allowed: bytearray, start: int, depth: int, walls: bytearray
) -> tuple[set[int], set[int]]:
    """:func:`castkg.view.model._walk` over the network's links between ``allowed`` entities, one
    pass over the links for each step: the entities within ``depth`` links of ``start`` found
    without walking on from a wall (but ``start``), and the walls that stopped the walk."""
    seen, frontier = {start}, {start}
    stopped: set[int] = set()
    neighbours: dict[int, set[int]] = {}
    for _ in range(max(depth, 0)):
        if not frontier:
            break
        found = _neighbours(network, allowed, frontier)
        neighbours.update(found)
        following: set[int] = set()
        for node in frontier:
            if node != start and walls[node]:
                if found[node] - seen:
                    stopped.add(node)
                continue
            new = found[node] - seen
            seen |= new
            following |= new
        frontier = following
    return seen, {node for node in stopped if neighbours[node] - seen}


def _neighbours(network: Network, allowed: bytearray, nodes: set[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {node: set() for node in nodes}
    for s, t in zip(network.source, network.target, strict=True):
        if allowed[s] and allowed[t]:
            if s in found:
                found[s].add(t)
            if t in found:
                found[t].add(s)
    return found


def hubs(network: Network, min_degree: int | None) -> bytearray:
    """Whether each entity is a hub (:func:`castkg.view.model.hubs` of the whole view)."""
    degree = network.degree
    limit = hub_threshold(degree) if min_degree is None else min_degree - 0.5
    return bytearray(d > limit for d in degree)


def choose(
    network: Network,
    focus: int | None = None,
    depth: int = 1,
    classes: frozenset[str] | None = None,
    max_nodes: int | None = None,
    through_hubs: bool = False,
    hub_degree: int | None = None,
    near: bytearray | None = None,
) -> Choice:
    """The page of ``network`` that :func:`castkg.view.model.select` and then
    :func:`castkg.view.render.embedded_only` make of its whole view: ``classes`` only, then the
    entities within ``depth`` links of ``focus`` (a number: :meth:`Census.focus`), then the
    ``max_nodes`` most connected, with the links the page draws among them (LINK_BUDGET) and the
    entities and links it embeds to expand into (EMBED_NODES, EMBED_EDGES). ``near``: the entities
    linked to one of the ``max_nodes`` drawn, when ``network`` holds only the links among those and
    the candidates to embed (:func:`candidates`); else they are found from its links."""
    size = len(network.iris)
    if classes is None:
        allowed = bytearray(b"\x01") * size
    else:
        wanted = {ENTITY_CLASSES.index(c) for c in classes}
        allowed = bytearray(c in wanted for c in network.classes)
    walled: set[int] = set()
    if focus is not None:
        walls = bytearray(size) if through_hubs else hubs(network, hub_degree)
        kept_set, walled = _walk(network, allowed, focus, depth, walls)
        kept = bytearray(size)
        for node in kept_set:
            kept[node] = 1
    else:
        kept = bytearray(allowed)
    count = sum(kept)
    cut = None
    if max_nodes is not None and count > max_nodes:
        if focus is None and classes is None:
            degree: Sequence[int] = network.degree
        else:
            inner = array("i", [0]) * size
            for s, t in zip(network.source, network.target, strict=True):
                if kept[s] and kept[t]:
                    inner[s] += 1
                    inner[t] += 1
            degree = inner
        top = heapq.nsmallest(
            max(max_nodes, 0), (i for i in range(size) if kept[i]), key=lambda i: (i != focus, -degree[i], i)
        )
        kept = bytearray(size)
        for node in top:
            kept[node] = 1
        count, cut = len(top), max_nodes
    drawn_links, rest = array("i"), array("i")
    around: set[int] = set() if near is None else {i for i in range(size) if near[i]}
    for i, (s, t) in enumerate(zip(network.source, network.target, strict=True)):
        if not (allowed[s] and allowed[t]):
            continue
        if kept[s] and kept[t]:
            drawn_links.append(i)
        else:
            rest.append(i)
            if kept[s]:
                around.add(t)
            if kept[t]:
                around.add(s)
    edges, links_left_out = _drawn_links(network, drawn_links)
    room = max(render.EMBED_NODES - count, 0)
    spare_count = sum(allowed) - count
    degree = network.degree
    chosen = heapq.nsmallest(
        room,
        (i for i in range(size) if allowed[i] and not kept[i]),
        key=lambda i: (i not in around, -degree[i], i),
    )
    ids = bytearray(kept)
    for node in chosen:
        ids[node] = 1
    spare_edges = array("i", (i for i in rest if ids[network.source[i]] and ids[network.target[i]]))
    ties = array("i", (i for i in spare_edges if kept[network.source[i]] or kept[network.target[i]]))
    room = max(render.EMBED_EDGES - len(edges), 0)
    if len(spare_edges) > room:
        keep = set(ties[:room])
        keep |= set([i for i in spare_edges if i not in keep][: room - len(keep)])
        spare_edges = array("i", (i for i in spare_edges if i in keep))
    return Choice(
        nodes=[i for i in range(size) if kept[i]],
        spare=sorted(chosen),
        edges=edges,
        spare_edges=list(spare_edges),
        omitted=size - count,
        unembedded=spare_count - len(chosen),
        links_left_out=links_left_out,
        focus=focus,
        walled=sorted(walled),
        max_nodes=cut,
        links=drawn_links,
        ties=ties,
    )


def _drawn_links(network: Network, links: array[int]) -> tuple[list[int], int]:
    """:func:`castkg.view.render.drawn_links` of the drawn entities' ``links`` (link numbers, in
    order): those the page draws, in order, and how many it leaves out."""
    budget = render.LINK_BUDGET
    if len(links) <= budget:
        return list(links), 0
    weak, degree = network.weak(), network.degree

    def strength(j: int) -> tuple[bool, int, int, int]:
        i = links[j]
        a, b = degree[network.source[i]], degree[network.target[i]]
        return bool(weak[network.prop[i]]), -min(a, b), -max(a, b), j

    order = sorted(range(len(links)), key=strength)
    best: dict[int, int] = {}
    for j in order:
        best.setdefault(network.source[links[j]], j)
        best.setdefault(network.target[links[j]], j)
    firsts = set(best.values())
    keep = set([j for j in order if j in firsts][:budget])
    for j in order:
        if len(keep) >= budget:
            break
        keep.add(j)
    return [i for j, i in enumerate(links) if j in keep], len(links) - len(keep)


def whole_communities(network: Network) -> dict[str, int]:
    """The communities of the whole network (:func:`castkg.view.model.communities` of the whole
    view: the same nodes and links in the same order)."""
    weak, iris = network.weak(), network.iris
    return communities(
        iris,
        (
            (iris[s], iris[t], bool(weak[p]))
            for s, p, t in zip(network.source, network.prop, network.target, strict=True)
        ),
    )


def drawn_numbers(network: Network, choice: Choice) -> dict[str, int]:
    """The communities of ``choice`` past COMMUNITY_LIMIT entities
    (:func:`castkg.view.model.drawn_communities`: of its drawn entities and all the links among
    them, each embedded spare entity joining the one it has the most links to)."""
    weak, iris, source, target = network.weak(), network.iris, network.source, network.target
    kept = set(choice.nodes)

    def tie(i: int) -> tuple[str, str, bool]:
        inside, other = (source[i], target[i]) if source[i] in kept else (target[i], source[i])
        return iris[inside], iris[other], bool(weak[network.prop[i]])

    return drawn_communities(
        [iris[i] for i in choice.nodes],
        ((iris[source[i]], iris[target[i]], bool(weak[network.prop[i]])) for i in choice.links),
        map(tie, choice.ties),
    )


def detailed(network: Network, choice: Choice) -> list[int]:
    """The entities of ``choice`` whose full details its page embeds
    (:func:`castkg.view.render.page_data`): every drawn one, then the most connected spare ones,
    to DETAIL_BUDGET in all."""
    room = max(render.DETAIL_BUDGET - len(choice.nodes), 0)
    degree = network.degree
    return [*choice.nodes, *heapq.nsmallest(room, choice.spare, key=lambda i: (-degree[i], i))]


def chosen(network: Network, choice: Choice, numbers: dict[str, int]) -> Chosen:
    """The page ``choice`` of ``network`` by IRIs, each entity in community ``numbers[IRI]`` (0
    when it has none)."""

    def node(rank: int) -> tuple[str, str, int, int]:
        iri = network.iris[rank]
        return iri, ENTITY_CLASSES[network.classes[rank]], network.degree[rank], numbers.get(iri, -1)

    return Chosen(
        nodes=tuple(map(node, choice.nodes)),
        spare=tuple(map(node, choice.spare)),
        edges=tuple(map(network.link, choice.edges)),
        spare_edges=tuple(map(network.link, choice.spare_edges)),
        omitted=choice.omitted,
        unembedded=choice.unembedded,
        links_left_out=choice.links_left_out,
        focus=network.iris[choice.focus] if choice.focus is not None else "",
        walled=tuple(network.iris[h] for h in choice.walled),
        max_nodes=choice.max_nodes,
    )
