"""The view model: the RDF graph projected to a network of entities, before any rendering.

:func:`to_view` is pure: the same graph gives the same :class:`View`, nodes sorted by
IRI and edges by (source, property, target). Nodes are the entities of the contract's
classes (the IRI is the node id); edges are the links between two entities, plus one
edge per post (person → organisation, labelled with the post). Literals, types,
measures, positions, articles and the reified provenance statements are not nodes:
they go into a node's or an edge's details. Each node also gets a community (Louvain,
seeded). :func:`select` narrows a view (classes, focus without walking through hubs,
most connected) and keeps what it left out as the view's *spare* part, which the page
can draw later.
"""

from __future__ import annotations

import logging
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Node, URIRef
from rdflib.namespace import PROV, TIME

from castkg.errors import InputError
from castkg.graphs import union_graph
from castkg.namespace import CKG, ENTITY_CLASSES, ORG, SCHEMA
from castkg.normalise import BIG_UNITS
from castkg.script import simplified

log = logging.getLogger(__name__)

CKG_NS = str(CKG._NS)

HIDDEN_LINKS: frozenset[URIRef] = frozenset({RDF.type, CKG.mentionedIn, CKG.mentions})
"""Predicates never drawn as edges: types and the article links (shown in the details)."""

LABEL_PREDICATES: frozenset[URIRef] = frozenset({RDFS.label, SKOS.altLabel, SKOS.prefLabel})

WEAK_RELATIONS: frozenset[str] = frozenset({str(CKG.involves), str(CKG.cooccursWith)})
"""Relations drawn as weak links, hidden until asked for: mere co-occurrence in a sentence
(``ckg:cooccursWith``), and the contract's ``ckg:involves``, which castkg states beside each of its
two kinds (so a list item's ``ckg:itemInvolves`` is drawn, its ``ckg:involves`` twin is not)."""

POST = str(CKG.holds)
"""The relation type of the person → organisation edges drawn for posts, whatever their RDF form."""

QUALIFIER_TEXT: dict[str, str] = {"Approximately": "约", "MoreThan": "超", "Nearly": "近"}
"""How a measure's qualifier reads in front of its number."""

FACT_ORDER: tuple[str, ...] = (
    "startDate",
    "endDate",
    "datePublished",
    "rank",
    "organizer",
    "chair",
    "location",
    "launchedBy",
    "partOf",
    "subOrganizationOf",
    "holds",
    "involves",
    "organization",
    "role",
)
"""Order of properties in a node's details and of relation types: dates first, then who, where, what."""

HUB_MIN_DEGREE = 10
HUB_FENCE = 3.0
"""A hub has more links than Q3 + HUB_FENCE × IQR of the linked entities' link counts (Tukey's
far-out fence) and at least HUB_MIN_DEGREE links."""

WEAK_WEIGHT = 0.25
"""Weight of a weak link, against 1 for any other, in community detection."""
COMMUNITY_SEED = 7

QUOTES = "“”‘’\"'「」『』《》〈〉"

START_DATES = (CKG.startDate, SCHEMA.startDate, PROV.startedAtTime)
END_DATES = (CKG.endDate, SCHEMA.endDate, PROV.endedAtTime)
INSTANT_DATES = (TIME.inXSDDate, TIME.inXSDDateTime, TIME.inXSDDateTimeStamp, TIME.inXSDgYear)


@dataclass(frozen=True)
class ViewArticle:
    """An article that names a node: its title, date and source file."""

    iri: str
    title: str
    date: str = ""
    file: str = ""


@dataclass(frozen=True)
class ViewMeasure:
    """A number the text states about a node, read as one line (约500万人), with its sentence."""

    text: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class ViewNode:
    """One entity: its IRI, class, labels and everything the details panel shows."""

    id: str
    label: str
    cls: str
    label_en: str = ""
    aliases: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    """(property IRI, value) pairs of its literal facts: dates, ranks, posts without a body."""
    measures: tuple[ViewMeasure, ...] = ()
    evidence: tuple[str, ...] = ()
    """Its own evidence sentences and those of every reified fact about it."""
    articles: tuple[ViewArticle, ...] = ()
    degree: int = 0
    """Number of edges at this node in the whole graph (before any selection)."""
    start: str = ""
    end: str = ""
    """Its own dates (``ckg:startDate``/``endDate``), ISO, or empty."""
    community: int = 0
    """Its community's rank by size (0 the largest), from Louvain on the whole graph."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the node: preferred, English and aliases."""
        return tuple(n for n in (self.label, self.label_en, *self.aliases) if n)


@dataclass(frozen=True)
class ViewEdge:
    """A link between two entities, labelled with its property's label (or, for a post, the post)."""

    source: str
    target: str
    property: str
    """The property's IRI (:data:`POST` for a post)."""
    label: str
    weak: bool = False
    start: str = ""
    end: str = ""
    """When the link held (a post in time), ISO dates, or empty."""
    evidence: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    """IRIs of the articles it was read from."""


@dataclass(frozen=True)
class View:
    """The network to draw: nodes and edges sorted, and what was left out of it.

    ``spare`` and ``spare_edges`` are the entities of the graph that a selection did not draw
    and the links that touch them: the page embeds them (within a budget) to expand into.
    """

    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    omitted: int = 0
    """Entities of the graph that this view leaves out (by class, focus or --max-nodes)."""
    title: str = "castkg"
    notes: tuple[str, ...] = field(default=())
    properties: tuple[tuple[str, str, str], ...] = ()
    """(IRI, Chinese label, English label) of every property the edges and facts use."""
    spare: tuple[ViewNode, ...] = ()
    spare_edges: tuple[ViewEdge, ...] = ()
    focus: str = ""
    """The IRI of the focus entity, if any."""
    walled: tuple[str, ...] = ()
    """Hubs the focus walk reached but did not walk through."""
    max_nodes: int | None = None
    """The node budget that cut this view, if one did."""
    articles: tuple[ViewArticle, ...] = ()
    """Every article that an edge was read from (nodes carry their own)."""


# --- reading the graph --------------------------------------------------------------


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def is_weak(prop: str) -> bool:
    """Whether links of the property ``prop`` (an IRI) are weak: hidden until asked for."""
    return prop in WEAK_RELATIONS


def _text(value: Node) -> str:
    return " ".join(str(value).split())


def _lang(value: Node) -> str:
    return (value.language or "").lower() if isinstance(value, Literal) else ""


def _entity_classes(graph: Graph) -> dict[URIRef, str]:
    """Each entity IRI with its class's local name (the first contract class it has)."""
    order = {getattr(CKG, name): rank for rank, name in enumerate(ENTITY_CLASSES)}
    classes: dict[URIRef, str] = {}
    for s, cls in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and cls in order:
            current = classes.get(s)
            if current is None or order[cls] < order[getattr(CKG, current)]:  # type: ignore[index]
                classes[s] = local_name(str(cls))
    return classes


def property_labels(graph: Graph, prop: URIRef, vocabulary: Graph | None = None) -> tuple[str, str]:
    """The property's Chinese and English ``rdfs:label`` from the graph or else the vocabulary
    (the ontology); a missing one is the other, or the local name."""
    zh = en = ""
    for source in (graph, vocabulary):
        if source is None:
            continue
        labels = sorted(source.objects(prop, RDFS.label), key=lambda lit: (_lang(lit), str(lit)))
        zh = zh or next((_text(x) for x in labels if _lang(x) in ("", "zh") or _lang(x).startswith("zh")), "")
        en = en or next((_text(x) for x in labels if _lang(x).startswith("en")), "")
    name = local_name(str(prop))
    return zh or en or name, en or name


def property_label(graph: Graph, prop: URIRef, vocabulary: Graph | None = None) -> str:
    """The property's ``rdfs:label`` (Chinese first, then English) from the graph or else the
    vocabulary (the ontology), else its local name."""
    return property_labels(graph, prop, vocabulary)[0]


def _labels(graph: Graph, node: Node) -> tuple[str, str, tuple[str, ...]]:
    """(preferred @zh label, English label, sorted aliases) of a node."""
    zh = sorted(
        _text(lab)
        for lab in graph.objects(node, RDFS.label)
        if _lang(lab) == "" or _lang(lab).startswith("zh")
    )
    en = sorted(_text(lab) for lab in graph.objects(node, RDFS.label) if _lang(lab).startswith("en"))
    label = zh[0] if zh else en[0] if en else local_name(str(node))
    label_en = en[0] if en else ""
    others = {
        _text(lab) for p in (RDFS.label, SKOS.altLabel, SKOS.prefLabel) for lab in graph.objects(node, p)
    }
    aliases = tuple(sorted(others - {label, label_en}))
    return label, label_en, aliases


def _article(graph: Graph, article: Node) -> ViewArticle:
    title = next(iter(sorted(_text(t) for t in graph.objects(article, RDFS.label))), local_name(str(article)))
    date = next(iter(sorted(str(d) for d in graph.objects(article, CKG.datePublished))), "")
    file = next(iter(sorted(str(f) for f in graph.objects(article, CKG.sourceFile))), "")
    return ViewArticle(str(article), title, date, file)


def _sorted_articles(articles: Iterable[ViewArticle]) -> tuple[ViewArticle, ...]:
    return tuple(sorted(set(articles), key=lambda a: (a.date, a.file, a.title, a.iri)))


def _articles(graph: Graph, node: URIRef) -> tuple[ViewArticle, ...]:
    iris = set(graph.objects(node, CKG.mentionedIn)) | set(graph.subjects(CKG.mentions, node))
    return _sorted_articles(_article(graph, article) for article in iris)


def written_amount(value: Decimal) -> str:
    """A number as Chinese text writes it: 5000000 → 500万, 120000000 → 1.2亿, 3903800 → 390.38万,
    3500 → 3500; a multiplier only where it leaves at most two decimals."""
    for unit, size in sorted(BIG_UNITS.items(), key=lambda item: -item[1]):
        if abs(value) >= size:
            scaled = value / size
            if scaled == scaled.quantize(Decimal("0.01")):
                return _plain(scaled) + unit
    return _plain(value)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _measure(graph: Graph, measure: Node) -> ViewMeasure:
    parts = []
    qualifier = graph.value(measure, CKG.qualifier)
    if qualifier is not None:
        parts.append(QUALIFIER_TEXT.get(local_name(str(qualifier)), local_name(str(qualifier))))
    value = graph.value(measure, CKG.value)
    if value is not None:
        try:
            parts.append(written_amount(Decimal(str(value))))
        except InvalidOperation:
            parts.append(_text(value))
    for prop in (CKG.unit, CKG.counts):
        # a count in traditional script states what it counts twice: show the simplified form
        said = min(
            graph.objects(measure, prop), key=lambda o: (simplified(str(o)) != str(o), str(o)), default=None
        )
        if said is not None:
            parts.append(_text(said))
    text = "".join(parts) if parts else _labels(graph, measure)[0]
    evidence = tuple(sorted({_text(e) for e in graph.objects(measure, CKG.evidence)}))
    return ViewMeasure(text, evidence)


@dataclass
class _Said:
    """What the reified statements say about one triple: its sentences and articles."""

    evidence: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)


def _statements(graph: Graph) -> dict[tuple[Node, Node, Node], _Said]:
    """Evidence sentences and source articles of the reified statements, by their triple."""
    said: dict[tuple[Node, Node, Node], _Said] = defaultdict(_Said)
    for statement in graph.subjects(RDF.type, RDF.Statement):
        s, p, o = (graph.value(statement, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if s is None or p is None or o is None:
            continue
        entry = said[(s, p, o)]
        entry.evidence |= {_text(e) for e in graph.objects(statement, CKG.evidence)}
        entry.articles |= {str(a) for a in graph.objects(statement, PROV.wasDerivedFrom)}
    return said


def _facts(graph: Graph, node: URIRef, classes: dict[URIRef, str]) -> tuple[tuple[str, str], ...]:
    """Literal facts of a node, and posts it holds in no known body, as (property IRI, value) pairs."""
    facts: set[tuple[int, str, str]] = set()
    for p, o in graph.predicate_objects(node):
        if p in HIDDEN_LINKS or p in LABEL_PREDICATES or p in (CKG.evidence, CKG.measure, CKG.rule):
            continue
        if not str(p).startswith(CKG_NS) or o in classes:
            continue
        if isinstance(o, Literal):
            facts.add((_rank(p), str(p), _text(o)))
        elif p == CKG.holds and not any(x in classes for x in _post_bodies(graph, o)):
            facts.add((_rank(p), str(p), _labels(graph, o)[0]))
    return tuple((p, value) for _, p, value in sorted(facts))


def _rank(prop: Node | str) -> int:
    name = local_name(str(prop))
    return FACT_ORDER.index(name) if name in FACT_ORDER else len(FACT_ORDER)


# --- posts --------------------------------------------------------------------------


def _post_bodies(graph: Graph, post: Node) -> set[Node]:
    return set(graph.objects(post, CKG.organization)) | set(graph.objects(post, ORG.postIn))


def _date(graph: Graph, node: Node, props: Iterable[URIRef]) -> str:
    """The earliest ISO date (or year) stated on ``node`` by ``props``, directly or on a time:Instant."""
    found = []
    for prop in props:
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                found.append(str(value)[:10])
            else:
                found += [str(v)[:10] for p in INSTANT_DATES for v in graph.objects(value, p)]
    return min(found, default="")


def _interval(graph: Graph, node: Node) -> tuple[str, str]:
    """When ``node`` held: its own start and end dates, else those of its ``org:memberDuring``."""
    start, end = _date(graph, node, START_DATES), _date(graph, node, END_DATES)
    for during in graph.objects(node, ORG.memberDuring):
        start = start or _date(graph, during, (TIME.hasBeginning,)) or _date(graph, during, START_DATES)
        end = end or _date(graph, during, (TIME.hasEnd,)) or _date(graph, during, END_DATES)
    return start, end


def _role(graph: Graph, role: Node) -> str:
    """A post's name: a literal as it is; a resource's ``ckg:role``, else its label."""
    if isinstance(role, Literal):
        return _text(role)
    named = sorted(_text(r) for r in graph.objects(role, CKG.role))
    return named[0] if named else _labels(graph, role)[0]


def _post_records(graph: Graph) -> Iterator[tuple[Node, Node, Node, str, str]]:
    """(person, body, the node stating the post, start, end) for every post in either form:
    ``ckg:holds``/``org:holds`` a Position in a body, or an ``org:Membership`` with a role."""
    for prop in (CKG.holds, ORG.holds):
        for person, post in graph.subject_objects(prop):
            for body in _post_bodies(graph, post):
                yield person, body, post, *_interval(graph, post)
    for membership in graph.subjects(RDF.type, ORG.Membership):
        for person in graph.objects(membership, ORG.member):
            for body in graph.objects(membership, ORG.organization):
                yield person, body, membership, *_interval(graph, membership)


def _posts(graph: Graph, classes: dict[URIRef, str]) -> list[ViewEdge]:
    """One person → body edge per post between two entities, labelled with the post's name,
    dated when the graph states when it was held. The same post stated twice is one edge."""
    merged: dict[tuple[str, str, str], dict[str, set[str]]] = {}
    for person, body, node, start, end in _post_records(graph):
        if person not in classes or body not in classes:
            continue
        roles = [_role(graph, r) for r in graph.objects(node, ORG.role)] or [_role(graph, node)]
        for role in sorted(set(roles)):
            entry = merged.setdefault((str(person), str(body), role), defaultdict(set))
            entry["start"] |= {start} - {""}
            entry["end"] |= {end} - {""}
            entry["evidence"] |= {_text(e) for e in graph.objects(node, CKG.evidence)}
            entry["articles"] |= {str(a) for a in graph.objects(node, PROV.wasDerivedFrom)}
            for role_node in graph.objects(node, ORG.role):
                entry["evidence"] |= {_text(e) for e in graph.objects(role_node, CKG.evidence)}
                entry["articles"] |= {str(a) for a in graph.objects(role_node, PROV.wasDerivedFrom)}
    return [
        ViewEdge(
            person,
            body,
            POST,
            role,
            start=min(entry["start"], default=""),
            end=max(entry["end"], default=""),
            evidence=tuple(sorted(entry["evidence"])),
            articles=tuple(sorted(entry["articles"])),
        )
        for (person, body, role), entry in merged.items()
    ]


# --- the view -----------------------------------------------------------------------


def to_view(graph: Graph, title: str = "castkg", vocabulary: Graph | None = None) -> View:
    """Project an RDF graph (or Dataset: its union) to the :class:`View` of all its entities.

    Pure and deterministic. Nodes are the members of the contract's entity classes;
    edges are every triple between two of them except ``rdf:type`` and article links,
    plus one person → body edge per post. Properties are named by their labels, looked up
    in ``graph`` and then in ``vocabulary`` (the ontology), else by their local names.
    """
    graph = union_graph(graph)
    classes = _entity_classes(graph)
    names = {node: _labels(graph, node) for node in classes}
    properties: dict[str, tuple[str, str]] = {}

    def labels_of(prop: str) -> tuple[str, str]:
        if prop not in properties:
            properties[prop] = property_labels(graph, URIRef(prop), vocabulary)
        return properties[prop]

    statements = _statements(graph)
    edges = []
    for s in classes:
        for p, o in graph.predicate_objects(s):
            if o in classes and p not in HIDDEN_LINKS:
                said = statements.get((s, p, o), _Said())
                edges.append(
                    ViewEdge(
                        str(s),
                        str(o),
                        str(p),
                        labels_of(str(p))[0],
                        weak=is_weak(str(p)),
                        evidence=tuple(sorted(said.evidence)),
                        articles=tuple(sorted(said.articles)),
                    )
                )
    statement_evidence: dict[Node, set[str]] = defaultdict(set)
    for (subject, _, obj), said in statements.items():
        statement_evidence[subject] |= said.evidence
        statement_evidence[obj] |= said.evidence
    posts = _posts(graph, classes)
    if posts:
        labels_of(POST)
    edges += posts
    edges.sort(key=lambda e: (e.source, e.property, e.target, e.label))
    network = _network(classes, edges)
    groups = communities(sorted(str(c) for c in classes), edges)
    nodes = []
    for node in sorted(classes, key=str):
        label, label_en, aliases = names[node]
        own = {_text(e) for e in graph.objects(node, CKG.evidence)}
        about = statement_evidence.get(node, set())
        facts = _facts(graph, node, classes)
        for prop, _ in facts:
            labels_of(prop)
        nodes.append(
            ViewNode(
                id=str(node),
                label=label,
                cls=classes[node],
                label_en=label_en,
                aliases=aliases,
                facts=facts,
                measures=tuple(
                    sorted(
                        (_measure(graph, m) for m in graph.objects(node, CKG.measure)),
                        key=lambda m: (m.text, m.evidence),
                    )
                ),
                evidence=tuple(sorted(own | about)),
                articles=_articles(graph, node),
                degree=network.degree(str(node)),
                start=_date(graph, node, (CKG.startDate,)),
                end=max((str(d)[:10] for d in graph.objects(node, CKG.endDate)), default=""),
                community=groups.get(str(node), 0),
            )
        )
    edge_articles = _sorted_articles(
        _article(graph, URIRef(iri)) for iri in {a for e in edges for a in e.articles}
    )
    log.info("view: %d nodes, %d edges", len(nodes), len(edges))
    return View(
        tuple(nodes),
        tuple(edges),
        title=title,
        properties=tuple(sorted(((p, *labels) for p, labels in properties.items()), key=_property_key)),
        articles=edge_articles,
    )


def _property_key(entry: tuple[str, str, str]) -> tuple[int, str]:
    return _rank(entry[0]), entry[0]


def _network(nodes: Iterable[Node | str], edges: Iterable[ViewEdge]) -> nx.MultiDiGraph:
    network = nx.MultiDiGraph()
    network.add_nodes_from(str(n) for n in nodes)
    network.add_edges_from((e.source, e.target, (e.property, e.label)) for e in edges)
    return network


def communities(nodes: Iterable[str], edges: Iterable[ViewEdge]) -> dict[str, int]:
    """Each node's community (Louvain, weak links weighing WEAK_WEIGHT, fixed seed), numbered by
    size, largest first (ties by the smallest IRI). The same nodes and edges give the same numbers."""
    network = nx.Graph()
    network.add_nodes_from(nodes)
    for edge in edges:
        if edge.source == edge.target:
            continue
        weight = WEAK_WEIGHT if edge.weak else 1.0
        if network.has_edge(edge.source, edge.target):
            network[edge.source][edge.target]["weight"] += weight
        else:
            network.add_edge(edge.source, edge.target, weight=weight)
    if network.number_of_edges() == 0:
        parts: list[set[str]] = [{n} for n in network]
    else:
        parts = nx.community.louvain_communities(network, weight="weight", seed=COMMUNITY_SEED)
    ranked = sorted((sorted(part) for part in parts), key=lambda part: (-len(part), part[0]))
    return {node: rank for rank, part in enumerate(ranked) for node in part}


def to_networkx(view: View) -> nx.MultiDiGraph:
    """The view as a networkx multigraph, nodes and edges in the view's order, with plain attributes."""
    network = nx.MultiDiGraph()
    for node in view.nodes:
        attributes = {
            "label": node.label,
            "class": node.cls,
            "label_en": node.label_en,
            "aliases": " | ".join(node.aliases),
            "degree": node.degree,
        }
        network.add_node(node.id, **attributes)
    for edge in view.edges:
        key = edge.property if edge.property != POST else f"{edge.property} {edge.label}"
        network.add_edge(edge.source, edge.target, key=key, property=edge.property, label=edge.label)
    return network


# --- narrowing a view ---------------------------------------------------------------


def _fold(name: str) -> str:
    """A name folded for matching: NFKC, case-folded, quote marks and spaces dropped."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch not in QUOTES and not ch.isspace())


def find_node(view: View, name: str) -> ViewNode:
    """The node (drawn or spare) whose IRI, label, English label or alias is ``name`` (quotes,
    case and width ignored).

    Raises :class:`InputError` naming a few close names when none matches.
    """
    wanted = _fold(name)
    every = (*view.nodes, *view.spare)
    for node in every:
        if node.id == name or any(_fold(n) == wanted for n in node.names):
            return node
    close = sorted({n for node in every for n in node.names if wanted and wanted in _fold(n)})[:5]
    hint = f"; close names: {', '.join(close)}" if close else ""
    raise InputError(f"no node is named {name!r}{hint}")


def hub_threshold(degrees: Iterable[int]) -> float:
    """The least number of links a hub has more than: Q3 + HUB_FENCE × IQR of the link counts of
    the entities that have links (Tukey's far-out fence), and never below HUB_MIN_DEGREE - 1."""
    linked = sorted(d for d in degrees if d > 0)
    if len(linked) < 2:
        return float(max(HUB_MIN_DEGREE - 1, *linked, 0))
    q1, _, q3 = statistics.quantiles(linked, n=4, method="inclusive")
    return max(HUB_MIN_DEGREE - 1.0, q3 + HUB_FENCE * (q3 - q1))


def hubs(view: View, min_degree: int | None = None) -> frozenset[str]:
    """The IRIs of the view's hubs: entities with far more links than the rest (see
    :func:`hub_threshold`), or with at least ``min_degree`` links when it is given."""
    every = (*view.nodes, *view.spare)
    limit = hub_threshold(n.degree for n in every) if min_degree is None else min_degree - 0.5
    return frozenset(n.id for n in every if n.degree > limit)


def _walk(
    neighbours: dict[str, set[str]], start: str, depth: int, walls: frozenset[str]
) -> tuple[set[str], set[str]]:
    """The nodes within ``depth`` links of ``start`` found without walking on from a wall
    (other than ``start``), and the walls that stopped the walk."""
    seen, frontier, stopped = {start}, [start], set()
    for _ in range(max(depth, 0)):
        following = []
        for node in frontier:
            if node != start and node in walls:
                if neighbours[node] - seen:
                    stopped.add(node)
                continue
            for other in sorted(neighbours[node] - seen):
                seen.add(other)
                following.append(other)
        frontier = following
    return seen, {node for node in stopped if neighbours[node] - seen}


def select(
    view: View,
    focus: str | None = None,
    depth: int = 1,
    classes: Iterable[str] | None = None,
    max_nodes: int | None = None,
    through_hubs: bool = False,
    hub_degree: int | None = None,
) -> View:
    """Narrow a view: keep ``classes`` only, then the nodes within ``depth`` links of ``focus``
    (not walking on from a hub unless ``through_hubs``; ``hub_degree`` sets the hubs' least
    number of links), then the ``max_nodes`` most connected (the focus always kept).

    What is left out of the chosen classes stays in the view's ``spare`` part; ``omitted``
    counts every entity not drawn. Raises :class:`InputError` for an unknown focus name or class.
    """
    every = {node.id: node for node in (*view.nodes, *view.spare)}
    every_edges = sorted(
        {*view.edges, *view.spare_edges}, key=lambda e: (e.source, e.property, e.target, e.label)
    )
    allowed = dict(every)
    if classes is not None:
        wanted = {c.strip() for c in classes if c.strip()}
        unknown = sorted(wanted - set(ENTITY_CLASSES))
        if unknown:
            raise InputError(f"unknown class {', '.join(unknown)}; known: {', '.join(ENTITY_CLASSES)}")
        allowed = {i: n for i, n in allowed.items() if n.cls in wanted}
    edges = [e for e in every_edges if e.source in allowed and e.target in allowed]
    kept = set(allowed)
    centre, walled = "", set[str]()
    if focus is not None:
        found = find_node(view, focus)
        if found.id not in allowed:
            raise InputError(f"{focus!r} is a {found.cls}, which the chosen classes leave out")
        centre = found.id
        neighbours: dict[str, set[str]] = {i: set() for i in allowed}
        for e in edges:
            neighbours[e.source].add(e.target)
            neighbours[e.target].add(e.source)
        walls = frozenset() if through_hubs else hubs(view, hub_degree)
        kept, walled = _walk(neighbours, centre, depth, walls)
    cut = None
    if max_nodes is not None and len(kept) > max_nodes:
        network = _network(kept, [e for e in edges if e.source in kept and e.target in kept])
        ranked = sorted(kept, key=lambda i: (i != centre, -network.degree(i), i))
        kept = set(ranked[: max(max_nodes, 0)])
        cut = max_nodes
    nodes = tuple(every[i] for i in sorted(kept))
    spare = tuple(every[i] for i in sorted(set(allowed) - kept))
    drawn = [e for e in edges if e.source in kept and e.target in kept]
    rest = [e for e in edges if not (e.source in kept and e.target in kept)]
    return replace(
        view,
        nodes=nodes,
        edges=tuple(drawn),
        omitted=len(every) - len(nodes),
        spare=spare,
        spare_edges=tuple(rest),
        focus=centre,
        walled=tuple(sorted(walled)),
        max_nodes=cut,
    )
