"""The view model: the RDF graph projected to a network of entities, before any rendering.

:func:`to_view` is pure: the same graph gives the same :class:`View`, nodes sorted by
IRI and edges by (source, property, target). Nodes are the entities of the contract's
classes (the IRI is the node id); edges are the links between two entities. Literals,
types, measures, positions, articles and the reified provenance statements are not
nodes: they go into a node's details. :func:`select` narrows a view (focus, depth,
classes, most connected) with networkx.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Node, URIRef
from rdflib.namespace import PROV

from castkg.errors import InputError
from castkg.graphs import union_graph
from castkg.namespace import CKG, ENTITY_CLASSES

log = logging.getLogger(__name__)

CKG_NS = str(CKG._NS)

HIDDEN_LINKS: frozenset[URIRef] = frozenset({RDF.type, CKG.mentionedIn, CKG.mentions})
"""Predicates never drawn as edges: types and the article links (shown in the details)."""

LABEL_PREDICATES: frozenset[URIRef] = frozenset({RDFS.label, SKOS.altLabel, SKOS.prefLabel})

QUALIFIER_TEXT: dict[str, str] = {"Approximately": "约", "MoreThan": "超过", "Nearly": "近"}
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
    "involves",
    "subOrganizationOf",
    "holds",
    "organization",
    "role",
)
"""Order of a node's facts in its details: dates first, then who, where, what."""

QUOTES = "“”‘’\"'「」『』《》〈〉"


@dataclass(frozen=True)
class ViewArticle:
    """An article that names a node: its title, date and source file."""

    iri: str
    title: str
    date: str = ""
    file: str = ""


@dataclass(frozen=True)
class ViewMeasure:
    """A number the text states about a node, read as one line, with its sentence."""

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
    """(property label, value) pairs: dates, ranks, positions, and the entities it links to."""
    measures: tuple[ViewMeasure, ...] = ()
    evidence: tuple[str, ...] = ()
    articles: tuple[ViewArticle, ...] = ()
    degree: int = 0
    """Number of edges at this node in the whole graph (before any selection)."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the node: preferred, English and aliases."""
        return tuple(n for n in (self.label, self.label_en, *self.aliases) if n)


@dataclass(frozen=True)
class ViewEdge:
    """A link between two entities, labelled with its property's label."""

    source: str
    target: str
    property: str
    """The property's IRI."""
    label: str


@dataclass(frozen=True)
class View:
    """The network to draw: nodes and edges sorted, and how many nodes were left out."""

    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    omitted: int = 0
    """Entities of the graph that this view leaves out (by class, focus or --max-nodes)."""
    title: str = "castkg"
    notes: tuple[str, ...] = field(default=())


# --- reading the graph --------------------------------------------------------------


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


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


def property_label(graph: Graph, prop: URIRef, vocabulary: Graph | None = None) -> str:
    """The property's ``rdfs:label`` (Chinese first, then English) from the graph or else the
    vocabulary (the ontology), else its local name."""
    for source in (graph, vocabulary):
        if source is None:
            continue
        labels = sorted(
            source.objects(prop, RDFS.label),
            key=lambda lit: (_lang(lit) != "zh", _lang(lit) != "en", str(lit)),
        )
        if labels:
            return _text(labels[0])
    return local_name(str(prop))


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


def _articles(graph: Graph, node: URIRef) -> tuple[ViewArticle, ...]:
    iris = set(graph.objects(node, CKG.mentionedIn)) | set(graph.subjects(CKG.mentions, node))
    articles = []
    for article in iris:
        title = next(
            iter(sorted(_text(t) for t in graph.objects(article, RDFS.label))), local_name(str(article))
        )
        date = next(iter(sorted(str(d) for d in graph.objects(article, CKG.datePublished))), "")
        file = next(iter(sorted(str(f) for f in graph.objects(article, CKG.sourceFile))), "")
        articles.append(ViewArticle(str(article), title, date, file))
    return tuple(sorted(articles, key=lambda a: (a.date, a.file, a.title, a.iri)))


def _measure(graph: Graph, measure: Node) -> ViewMeasure:
    parts = []
    qualifier = graph.value(measure, CKG.qualifier)
    if qualifier is not None:
        parts.append(QUALIFIER_TEXT.get(local_name(str(qualifier)), local_name(str(qualifier))))
    value = graph.value(measure, CKG.value)
    if value is not None:
        parts.append(_number(value))
    for prop in (CKG.unit, CKG.counts):
        said = graph.value(measure, prop)
        if said is not None:
            parts.append(_text(said))
    text = "".join(parts) if parts else _labels(graph, measure)[0]
    evidence = tuple(sorted({_text(e) for e in graph.objects(measure, CKG.evidence)}))
    return ViewMeasure(text, evidence)


def _number(value: Node) -> str:
    text = str(value)
    if "." in text and isinstance(value, Literal):
        text = text.rstrip("0").rstrip(".")
    return text


def _statement_evidence(graph: Graph) -> dict[Node, set[str]]:
    """Evidence sentences of the reified statements, by the entities they are about."""
    evidence: dict[Node, set[str]] = defaultdict(set)
    for statement in graph.subjects(RDF.type, RDF.Statement):
        sentences = {_text(e) for e in graph.objects(statement, CKG.evidence)}
        if not sentences:
            continue
        for prop in (RDF.subject, RDF.object):
            for about in graph.objects(statement, prop):
                evidence[about] |= sentences
    return evidence


def _facts(
    graph: Graph,
    node: URIRef,
    classes: dict[URIRef, str],
    labels: dict[URIRef, str],
    prop_label: Callable[[URIRef], str],
) -> tuple[tuple[str, str], ...]:
    """Literal facts, positions and links of a node, as (property label, value) pairs."""
    facts: list[tuple[int, int, str, str]] = []
    for p, o in graph.predicate_objects(node):
        if p in HIDDEN_LINKS or p in LABEL_PREDICATES or p in (CKG.evidence, CKG.measure, CKG.rule):
            continue
        if not str(p).startswith(CKG_NS) and p not in (PROV.wasDerivedFrom,):
            continue
        name = prop_label(p)  # type: ignore[arg-type]
        if isinstance(o, Literal):
            facts.append((0, _rank(p), name, _text(o)))
        elif o in classes:
            facts.append((1, _rank(p), name, labels[o]))  # type: ignore[index]
        elif p == CKG.holds:
            facts.append((0, _rank(p), name, _labels(graph, o)[0]))
    for s, p in graph.subject_predicates(node):
        if s in classes and p not in HIDDEN_LINKS and str(p).startswith(CKG_NS):
            name = prop_label(p)  # type: ignore[arg-type]
            facts.append((2, _rank(p), f"← {name}", labels[s]))  # type: ignore[index]
    return tuple((name, value) for _, _, name, value in sorted(set(facts)))


def _rank(prop: Node) -> int:
    name = local_name(str(prop))
    return FACT_ORDER.index(name) if name in FACT_ORDER else len(FACT_ORDER)


def to_view(graph: Graph, title: str = "castkg", vocabulary: Graph | None = None) -> View:
    """Project an RDF graph (or Dataset: its union) to the :class:`View` of all its entities.

    Pure and deterministic. Nodes are the members of the contract's entity classes;
    edges are every triple between two of them except ``rdf:type`` and article links.
    Edges and facts are named by their property's label, looked up in ``graph`` and then
    in ``vocabulary`` (the ontology), else by the property's local name.
    """
    graph = union_graph(graph)
    classes = _entity_classes(graph)
    names = {node: _labels(graph, node) for node in classes}
    labels = {node: value[0] for node, value in names.items()}
    prop_labels: dict[URIRef, str] = {}

    def prop_label(prop: URIRef) -> str:
        if prop not in prop_labels:
            prop_labels[prop] = property_label(graph, prop, vocabulary)
        return prop_labels[prop]

    edges = []
    for s in classes:
        for p, o in graph.predicate_objects(s):
            if o in classes and p not in HIDDEN_LINKS:
                edges.append(ViewEdge(str(s), str(o), str(p), prop_label(p)))  # type: ignore[arg-type]
    edges.sort(key=lambda e: (e.source, e.property, e.target))
    network = _network(classes, edges)
    statement_evidence = _statement_evidence(graph)
    nodes = []
    for node in sorted(classes, key=str):
        label, label_en, aliases = names[node]
        own = {_text(e) for e in graph.objects(node, CKG.evidence)}
        nodes.append(
            ViewNode(
                id=str(node),
                label=label,
                cls=classes[node],
                label_en=label_en,
                aliases=aliases,
                facts=_facts(graph, node, classes, labels, prop_label),
                measures=tuple(
                    sorted(
                        (_measure(graph, m) for m in graph.objects(node, CKG.measure)),
                        key=lambda m: (m.text, m.evidence),
                    )
                ),
                evidence=tuple(sorted(own | statement_evidence.get(node, set()))),
                articles=_articles(graph, node),
                degree=network.degree(str(node)),
            )
        )
    log.info("view: %d nodes, %d edges", len(nodes), len(edges))
    return View(tuple(nodes), tuple(edges), title=title)


def _network(nodes: Iterable[Node | str], edges: Iterable[ViewEdge]) -> nx.MultiDiGraph:
    network = nx.MultiDiGraph()
    network.add_nodes_from(str(n) for n in nodes)
    network.add_edges_from((e.source, e.target, e.property) for e in edges)
    return network


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
        network.add_edge(
            edge.source, edge.target, key=edge.property, property=edge.property, label=edge.label
        )
    return network


# --- narrowing a view ---------------------------------------------------------------


def _fold(name: str) -> str:
    """A name folded for matching: NFKC, case-folded, quote marks and spaces dropped."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch not in QUOTES and not ch.isspace())


def find_node(view: View, name: str) -> ViewNode:
    """The node whose label, English label or alias is ``name`` (quotes, case and width ignored).

    Raises :class:`InputError` naming a few close names when none matches.
    """
    wanted = _fold(name)
    for node in view.nodes:
        if node.id == name or any(_fold(n) == wanted for n in node.names):
            return node
    close = sorted({n for node in view.nodes for n in node.names if wanted and wanted in _fold(n)})[:5]
    hint = f"; close names: {', '.join(close)}" if close else ""
    raise InputError(f"no node is named {name!r}{hint}")


def select(
    view: View,
    focus: str | None = None,
    depth: int = 1,
    classes: Iterable[str] | None = None,
    max_nodes: int | None = None,
) -> View:
    """Narrow a view: keep ``classes`` only, then the nodes within ``depth`` links of ``focus``,
    then the ``max_nodes`` most connected. Counts what was left out in ``omitted``.

    Raises :class:`InputError` for an unknown focus name or class.
    """
    kept = {node.id: node for node in view.nodes}
    if classes is not None:
        wanted = {c.strip() for c in classes if c.strip()}
        unknown = sorted(wanted - set(ENTITY_CLASSES))
        if unknown:
            raise InputError(f"unknown class {', '.join(unknown)}; known: {', '.join(ENTITY_CLASSES)}")
        kept = {i: n for i, n in kept.items() if n.cls in wanted}
    edges = [e for e in view.edges if e.source in kept and e.target in kept]
    if focus is not None:
        centre = find_node(view, focus)
        if centre.id not in kept:
            raise InputError(f"{focus!r} is a {centre.cls}, which the chosen classes leave out")
        network = _network(kept, edges).to_undirected(as_view=True)
        near = nx.single_source_shortest_path_length(network, centre.id, cutoff=max(depth, 0))
        kept = {i: n for i, n in kept.items() if i in near}
    if max_nodes is not None and len(kept) > max_nodes:
        network = _network(kept, [e for e in edges if e.source in kept and e.target in kept])
        ranked = sorted(kept, key=lambda i: (-network.degree(i), i))[: max(max_nodes, 0)]
        kept = {i: kept[i] for i in ranked}
    nodes = tuple(n for n in view.nodes if n.id in kept)
    edges = [e for e in view.edges if e.source in kept and e.target in kept]
    omitted = len(view.nodes) - len(nodes) + view.omitted
    return replace(view, nodes=nodes, edges=tuple(edges), omitted=omitted)
