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

import gc
import heapq
import logging
import statistics
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import NamedTuple

import networkx as nx
from rdflib import RDF, RDFS, SKOS, BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import PROV, TIME

from castkg.errors import InputError
from castkg.graphs import union_graph
from castkg.namespace import CKG, ENTITY_CLASSES, ORG, SCHEMA
from castkg.normalise import BIG_UNITS
from castkg.script import simplified
from castkg.view.details import Distinct, PageBudget, PageDetails, Sample, digest

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
COMMUNITY_LIMIT = 20_000
"""Communities are found on the whole network of a graph of at most this many entities; past it, on
the entities a selection draws and all the links among them (:func:`drawn_communities`), so that
memory and time grow with the page, not with the graph (Louvain on a 100k-article network took
gigabytes)."""

QUOTES = "“”‘’\"'「」『』《》〈〉"

START_DATES = (CKG.startDate, SCHEMA.startDate, PROV.startedAtTime)
END_DATES = (CKG.endDate, SCHEMA.endDate, PROV.endedAtTime)
INSTANT_DATES = (TIME.inXSDDate, TIME.inXSDDateTime, TIME.inXSDDateTimeStamp, TIME.inXSDgYear)


@dataclass(frozen=True, slots=True)
class ViewArticle:
    """An article that names a node: its title, date and source file."""

    iri: str
    title: str
    date: str = ""
    file: str = ""


@dataclass(frozen=True, slots=True)
class ViewMeasure:
    """A number the text states about a node, read as one line (约500万人), with its sentence."""

    text: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
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
    """Its community's rank by size (0 the largest), from Louvain on the whole graph (past
    COMMUNITY_LIMIT entities, on what a selection draws: :func:`drawn_communities`; -1: none)."""
    evidence_left: int = 0
    articles_left: int = 0
    """Sentences and articles of the node left out of ``evidence`` and ``articles`` already (a view
    cut to what its page shows: :meth:`Projection.page`); 0 when they hold all."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the node: preferred, English and aliases."""
        return tuple(n for n in (self.label, self.label_en, *self.aliases) if n)


@dataclass(frozen=True, slots=True)
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
    evidence_left: int = 0
    articles_left: int = 0
    """Sentences and articles of the link left out of ``evidence`` and ``articles`` already (a view
    cut to what its page shows: :meth:`Projection.page`); 0 when they hold all."""


@dataclass(frozen=True, slots=True)
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
    unembedded: int = 0
    """Entities of ``spare`` left out of it already (a view cut to what its page embeds:
    :func:`castkg.view.render.embedded_only`)."""
    links_left_out: int = 0
    """Links between drawn entities left out of ``edges`` already (cut to the page's link budget:
    :func:`castkg.view.render.embedded_only`)."""
    sentences_left: int = 0
    """Distinct sentences of the page's links and detailed nodes (and of their measures) that no
    node's, link's or measure's list holds, left out already (:meth:`Projection.page`)."""


# --- reading the graph, one subject at a time -----------------------------------------


class Lit(NamedTuple):
    """A literal as the view reads it: its lexical form and its language tag (lower case, or "")."""

    value: str
    language: str = ""


class Blank(str):
    """A blank node, by its id: a node that is never an entity."""

    __slots__ = ()


Term = str | Lit
"""An object as the view reads it: an IRI (a plain ``str``), a :class:`Blank` node or a :class:`Lit`."""

Group = tuple[str, Sequence[tuple[str, Term]]]
"""One subject (an IRI or a :class:`Blank`) with every (predicate IRI, object) the graph states of it."""


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def is_weak(prop: str) -> bool:
    """Whether links of the property ``prop`` (an IRI) are weak: hidden until asked for."""
    return prop in WEAK_RELATIONS


def term_str(value: Term) -> str:
    """A term's text: a literal's lexical form, a node's IRI or blank node id."""
    return value.value if isinstance(value, Lit) else str(value)


def term_text(value: Term) -> str:
    return " ".join(term_str(value).split())


def _lang(value: Node) -> str:
    return (value.language or "").lower() if isinstance(value, Literal) else ""


def is_entity_node(value: Term) -> bool:
    """Whether ``value`` can be an entity: an IRI (literals and blank nodes never are)."""
    return isinstance(value, str) and not isinstance(value, Blank)


def _term(value: Node) -> Term:
    """The view's form of an rdflib term."""
    if isinstance(value, Literal):
        return Lit(str(value), (value.language or "").lower())
    if isinstance(value, BNode):
        return Blank(value)
    return str(value)


def graph_groups(graph: Graph) -> Iterator[Group]:
    """Every subject of ``graph`` (a Dataset: of its union) with what the graph states of it, the
    subjects in a stable order: what :func:`project` reads."""
    graph = union_graph(graph)
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef | BNode)}
    for subject in sorted(subjects, key=lambda s: (isinstance(s, BNode), str(s))):
        yield _term(subject), [(str(p), _term(o)) for p, o in graph.predicate_objects(subject)]  # type: ignore[misc]


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


def _measure_text(by: dict[str, list[Term]]) -> str:
    """How a measure reads (约500万人次) from what it states, or "" when it states none of it."""
    parts = []
    qualifier = _one(by.get(_QUALIFIER, ()))
    if qualifier is not None:
        name = local_name(term_str(qualifier))
        parts.append(QUALIFIER_TEXT.get(name, name))
    value = _one(by.get(_VALUE, ()))
    if value is not None:
        try:
            parts.append(written_amount(Decimal(term_str(value))))
        except InvalidOperation:
            parts.append(term_text(value))
    for prop in (_UNIT, _COUNTS):
        # a count in traditional script states what it counts twice: show the simplified form
        said = min(
            by.get(prop, ()),
            key=lambda o: (simplified(term_str(o)) != term_str(o), term_str(o)),
            default=None,
        )
        if said is not None:
            parts.append(term_text(said))
    return "".join(parts)


def _one(values: Iterable[Term]) -> Term | None:
    """One of ``values`` (the first in a fixed order: a graph seldom states two), or None."""
    return min(values, key=lambda v: (isinstance(v, Lit), term_str(v)), default=None)


def _sorted_articles(articles: Iterable[ViewArticle]) -> tuple[ViewArticle, ...]:
    return tuple(sorted(set(articles), key=_article_key))


def _rank(prop: Node | str) -> int:
    name = local_name(str(prop))
    return FACT_ORDER.index(name) if name in FACT_ORDER else len(FACT_ORDER)


TYPE, _STATEMENT = str(RDF.type), str(RDF.Statement)
_SUBJECT, _PREDICATE, _OBJECT = str(RDF.subject), str(RDF.predicate), str(RDF.object)
LABEL, _ALT, _PREF = str(RDFS.label), str(SKOS.altLabel), str(SKOS.prefLabel)
_EVIDENCE, _RULE, MEASURE = str(CKG.evidence), str(CKG.rule), str(CKG.measure)
_DERIVED, _PUBLISHED, _FILE = str(PROV.wasDerivedFrom), str(CKG.datePublished), str(CKG.sourceFile)
_MENTIONED_IN, _MENTIONS = str(CKG.mentionedIn), str(CKG.mentions)
_ARTICLE = str(CKG.Article)
_QUALIFIER, _VALUE, _UNIT, _COUNTS = str(CKG.qualifier), str(CKG.value), str(CKG.unit), str(CKG.counts)
HOLDS, ORG_HOLDS, ROLE, ORG_ROLE = str(CKG.holds), str(ORG.holds), str(CKG.role), str(ORG.role)
BODIES = (str(CKG.organization), str(ORG.postIn))
MEMBERSHIP, MEMBER, MEMBER_OF = str(ORG.Membership), str(ORG.member), str(ORG.organization)
_DURING, _BEGINNING, _END = str(ORG.memberDuring), str(TIME.hasBeginning), str(TIME.hasEnd)
_START, _STOP = str(CKG.startDate), str(CKG.endDate)
_STARTS, _ENDS = tuple(str(p) for p in START_DATES), tuple(str(p) for p in END_DATES)
_TIMING = frozenset({*_STARTS, *_ENDS, _BEGINNING, _END, _DURING})
_INSTANTS = tuple(str(p) for p in INSTANT_DATES)
HIDDEN = frozenset(str(p) for p in HIDDEN_LINKS)
LABELS = (LABEL, _ALT, _PREF)
_NOT_FACTS = frozenset({*HIDDEN, *LABELS, _EVIDENCE, MEASURE, _RULE})
CLASS_RANK = {str(getattr(CKG, name)): rank for rank, name in enumerate(ENTITY_CLASSES)}


class _Entity:
    """What one entity states that only it needs: its literal facts, its measures, its last
    ``ckg:endDate`` and its links to other nodes (edges, when the other node is an entity)."""

    __slots__ = ("end", "facts", "links", "measures", "posts")

    def __init__(
        self, by: dict[str, list[Term]], keep: Callable[[str], str], links: bool, details: bool
    ) -> None:
        facts = set()
        for prop, values in by.items():
            if prop in _NOT_FACTS or not prop.startswith(CKG_NS) or not details:
                continue
            facts |= {(_rank(prop), prop, term_text(v)) for v in values if isinstance(v, Lit)}
        self.facts = tuple(sorted(facts))
        self.posts = tuple(v for v in by.get(HOLDS, ()) if not isinstance(v, Lit)) if details else ()
        self.measures = tuple(by.get(MEASURE, ())) if details else ()
        self.end = max((term_str(d)[:10] for d in by.get(_STOP, ())), default="")
        self.links = tuple(
            (keep(prop), keep(v))  # type: ignore[arg-type]  # a literal is kept as it is given
            for prop, values in by.items()
            if prop not in HIDDEN and links
            for v in values
            if is_entity_node(v)
        )


@dataclass(frozen=True)
class Chosen:
    """A page chosen from a graph's network before its details are read
    (:func:`castkg.view.census.choose`): its drawn and its embedded spare entities as (IRI, class,
    number of links in the graph, community), its drawn and embedded spare links as (source,
    property, target, the post's name for a post else None), each in the view's order, and what the
    selection and the page's budgets left out (as :class:`View` counts them)."""

    nodes: tuple[tuple[str, str, int, int], ...]
    spare: tuple[tuple[str, str, int, int], ...]
    edges: tuple[tuple[str, str, str, str | None], ...]
    spare_edges: tuple[tuple[str, str, str, str | None], ...]
    omitted: int = 0
    unembedded: int = 0
    links_left_out: int = 0
    focus: str = ""
    walled: tuple[str, ...] = ()
    max_nodes: int | None = None


@dataclass(frozen=True)
class Narrowing:
    """What a projection gathering the details of a page (:class:`Wanted`) keeps of the graph's other
    subjects: the nodes whose details the page's own need (``needed``: their measures, posts and
    roles, found by :class:`castkg.view.census.Census`), the graph's predicates (for their labels),
    articles, time instants and intervals; ``entity`` says which IRIs are the graph's entities.
    Memberships are kept when one of their members and one of their bodies are wanted."""

    entity: Callable[[str], bool]
    needed: frozenset[str] = frozenset()
    properties: frozenset[str] = frozenset()
    budget: PageBudget | None = None
    """The page's budgets: with them, each node's and link's sentences and articles are gathered
    within them (:class:`castkg.view.details.PageDetails`), not whole."""


@dataclass(frozen=True)
class Wanted:
    """The nodes and links whose details (facts, measures, sentences, articles) a view needs: what
    its page shows (:func:`castkg.view.render.shown`). Links are (source, property, target, label)."""

    nodes: frozenset[str] = frozenset()
    links: frozenset[tuple[str, str, str, str]] = frozenset()
    full: frozenset[str] | None = None
    """The wanted nodes whose sentences and measures are wanted too (None: every wanted node; the
    others get their names, dates, facts and articles; within a page's budgets, only the first
    article with a date: :meth:`Projection.page`)."""


class Projection:
    """What the view needs of a graph, gathered one subject at a time (:meth:`add`), then made into
    the :class:`View` (:meth:`view`), or into the details of a view's page (:meth:`fill`).

    Memory holds what the view shows (each entity's names, facts, measures, sentences and articles,
    each link's sentences and articles, the posts) and a few fields of the nodes it joins them
    through (articles, measures, posts, time instants), never the graph: a reified statement is
    folded into the sentences of its triple as it comes. With ``wanted``, the details are kept
    for the wanted nodes and links only (none: the view's skeleton, for choosing what a page
    shows); ``links=False`` keeps no links between entities (the second pass, for :meth:`fill`).
    With ``narrowing`` as well, what the wanted nodes and links do not need of the other subjects
    is not kept either (labels, posts, dates, sentences of the graph's other nodes: memory holds
    the page's details, not the graph's; for :meth:`page`), and the sentences and articles of the
    wanted nodes and links are gathered within the page's budgets (``gathered``): :meth:`page`
    gives each node and link the ones its page can show and the number of the others."""

    def __init__(
        self, wanted: Wanted | None = None, links: bool = True, narrowing: Narrowing | None = None
    ) -> None:
        self.wanted, self.keep_links, self.narrowing = wanted, links, narrowing
        self._met: set[str] = set()
        """The role and interval nodes of the wanted memberships met so far (a narrowed projection)."""
        self.any_details = wanted is None or bool(wanted.nodes or wanted.links)
        self._wanted_triples = None if wanted is None else {(s, p, o) for s, p, o, _ in wanted.links}
        self.classes: dict[str, str] = {}
        self.entities: dict[str, _Entity] = {}
        self.labels: dict[str, tuple[tuple[str, str, str], ...]] = {}
        """(label predicate, text, language) of every node that has a label."""
        self.evidence: dict[str, tuple[str, ...]] = {}
        """Each node's own ``ckg:evidence`` (a reified statement's goes to its triple)."""
        self.derived: dict[str, tuple[str, ...]] = {}
        self.published: dict[str, str] = {}
        self.files: dict[str, str] = {}
        self.measure_text: dict[str, str] = {}
        self.bodies: dict[str, tuple[Term, ...]] = {}
        self.memberships: list[tuple[str, tuple[Term, ...], tuple[Term, ...]]] = []
        self.holds: list[tuple[str, Term]] = []
        self.roles: dict[str, tuple[Term, ...]] = {}
        """A post's or membership's ``org:role``."""
        self.role_names: dict[str, tuple[str, ...]] = {}
        """A node's ``ckg:role``."""
        self.timing: dict[str, dict[str, list[Term]]] = {}
        self.instants: dict[str, tuple[str, ...]] = {}
        self.mentions: dict[str, set[str]] = defaultdict(set)
        """The articles that name each node (``ckg:mentionedIn`` and ``ckg:mentions``)."""
        self._saying: dict[tuple[str, str, str], tuple[set[str], set[str]]] = {}
        """Sentences and articles of the reified statements whose object is a node, gathered."""
        self._said: dict[tuple[str, str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        """Sentences and articles (sorted) of the reified statements whose object is a node."""
        self.about: dict[str, set[str]] = defaultdict(set)
        """Sentences of the reified statements about each node (as their subject or object)."""
        self._strings: dict[str, str] = {}
        self._tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
        budget = narrowing.budget if narrowing is not None else None
        self.gathered = PageDetails(budget) if budget is not None else None
        """The sentences and articles of the page's nodes and links, gathered within its budgets
        (instead of ``about``, ``mentions`` and the links' sentences and articles)."""

    def detailed(self, node: str) -> bool:
        """Whether the details of ``node`` are kept."""
        return self.wanted is None or node in self.wanted.nodes

    def full(self, node: str) -> bool:
        """Whether the sentences and measures of ``node`` are kept."""
        if self.wanted is None or self.wanted.full is None:
            return self.detailed(node)
        return node in self.wanted.full

    def is_entity(self, node: str) -> bool:
        """Whether ``node`` is an entity of the graph."""
        return node in self.classes or (self.narrowing is not None and self.narrowing.entity(node))

    def _kept(self, subject: str, by: dict[str, list[Term]], types: Sequence[Term], entity: bool) -> bool:
        """Whether what ``subject`` states is kept (always, unless the projection is narrowed)."""
        narrowing = self.narrowing
        if narrowing is None:
            return True
        if self.detailed(subject) or subject in narrowing.needed:
            return True
        if entity:
            return False
        if subject in self._met or subject in narrowing.properties or _ARTICLE in types:
            return True
        if _PUBLISHED in by or _FILE in by or _MENTIONS in by:
            return True
        if (
            MEMBERSHIP in types
            and any(self.detailed(term_str(m)) for m in by.get(MEMBER, ()))
            and any(self.detailed(term_str(b)) for b in by.get(MEMBER_OF, ()))
        ):
            self._met.update(term_str(v) for prop in (ORG_ROLE, _DURING) for v in by.get(prop, ()))
            return True
        return False

    def _linked(self, s: str, p: str, o: str) -> bool:
        return self._wanted_triples is None or (s, p, o) in self._wanted_triples

    def _keep(self, text: str) -> str:
        """``text``, one copy of it for all who hold it (sentences and IRIs recur)."""
        return self._strings.setdefault(text, text)

    def _sorted(self, texts: Iterable[str]) -> tuple[str, ...]:
        """``texts`` sorted, each once, in one copy for all who hold the same (a link's sentence,
        the one article of every fact it states)."""
        found = tuple(sorted(set(texts)))
        return self._tuples.setdefault(found, found)

    def add(self, subject: str, pairs: Iterable[tuple[str, Term]]) -> None:
        """Take what the view needs of ``subject`` (an IRI or a :class:`Blank`), given every
        (predicate IRI, object) the graph states of it: each subject is added once."""
        by: dict[str, list[Term]] = {}
        for prop, value in pairs:
            by.setdefault(prop, []).append(value)
        types = by.get(TYPE, ())
        ranks = [CLASS_RANK[t] for t in types if isinstance(t, str) and t in CLASS_RANK]
        entity = bool(ranks) and not isinstance(subject, Blank)
        kept = self._kept(subject, by, types, entity)
        if _STATEMENT in types:
            if self.any_details:
                self._statement(by)
        elif (
            (_EVIDENCE in by or _DERIVED in by)
            and self.any_details
            and (not entity or self.full(subject))
            and kept
        ):
            if _EVIDENCE in by:
                self.evidence[subject] = tuple(sorted({self._keep(term_text(e)) for e in by[_EVIDENCE]}))
                if entity and self.gathered is not None:
                    self.gathered.node_said(subject, self.evidence[subject])
            if _DERIVED in by and not (self.gathered is not None and _ARTICLE in types):
                # (an article's source file: only posts need what their nodes were derived from)
                self.derived[subject] = tuple(sorted({self._keep(term_str(a)) for a in by[_DERIVED]}))
        if entity and (self.narrowing is None or self.detailed(subject)):
            self.classes[subject] = ENTITY_CLASSES[min(ranks)]
            self.entities[subject] = _Entity(by, self._keep, self.keep_links, self.detailed(subject))
        if kept and any(prop in by for prop in LABELS):
            self.labels[subject] = label_entries(by)
        if _PUBLISHED in by:
            self.published[subject] = min(term_str(v) for v in by[_PUBLISHED])
        if _FILE in by:
            self.files[subject] = min(term_str(v) for v in by[_FILE])
        if self.detailed(subject):
            for article in by.get(_MENTIONED_IN, ()):
                self._mention(subject, term_str(article))
        for node in by.get(_MENTIONS, ()):
            if self.detailed(term_str(node)):
                self._mention(term_str(node), str(subject))
        if self.any_details and kept and (_QUALIFIER in by or _VALUE in by or _UNIT in by or _COUNTS in by):
            self.measure_text[subject] = _measure_text(by)
        if self.narrowing is None or (entity and self.detailed(subject)):
            self.holds += [(subject, post) for prop in (HOLDS, ORG_HOLDS) for post in by.get(prop, ())]
        bodies = [body for prop in BODIES for body in by.get(prop, ())]
        if bodies and kept:
            self.bodies[subject] = tuple(bodies)
        if MEMBERSHIP in types and kept:
            self.memberships.append((subject, tuple(by.get(MEMBER, ())), tuple(by.get(MEMBER_OF, ()))))
        if ORG_ROLE in by and kept:
            self.roles[subject] = tuple(by[ORG_ROLE])
        if ROLE in by and kept:
            self.role_names[subject] = tuple(sorted(term_text(r) for r in by[ROLE]))
        timing = {prop: values for prop, values in by.items() if prop in _TIMING}
        if timing and (kept or (not entity and _DURING not in timing)):  # an interval: met before its holder
            self.timing[subject] = timing
        instants = [term_str(v)[:10] for prop in _INSTANTS for v in by.get(prop, ())]
        if instants:
            self.instants[subject] = tuple(instants)

    def _mention(self, node: str, article: str) -> None:
        """Note that ``article`` names ``node``."""
        if self.gathered is not None:
            self.gathered.mention(node, article)
        else:
            self.mentions[node].add(self._keep(article))

    def _statement(self, by: dict[str, list[Term]]) -> None:
        s, p, o = (_one(by.get(prop, ())) for prop in (_SUBJECT, _PREDICATE, _OBJECT))
        if s is None or p is None or o is None:
            return
        if self.gathered is not None:
            self._gather_statement(s, p, o, by)
            return
        evidence = {self._keep(term_text(e)) for e in by.get(_EVIDENCE, ())}
        if is_entity_node(s) and self.full(term_str(s)):
            self.about[term_str(s)] |= evidence
        if is_entity_node(o):
            if self.full(term_str(o)):
                self.about[term_str(o)] |= evidence
            if (
                is_entity_node(s)
                and not isinstance(p, Lit)
                and self._linked(term_str(s), term_str(p), term_str(o))
            ):
                key = (self._keep(term_str(s)), self._keep(term_str(p)), self._keep(term_str(o)))
                said, cited = self._saying.setdefault(key, (set(), set()))
                said |= evidence
                cited.update(self._keep(term_str(a)) for a in by.get(_DERIVED, ()))

    def _gather_statement(self, s: Term, p: Term, o: Term, by: dict[str, list[Term]]) -> None:
        """:meth:`_statement` within the page's budgets (:class:`PageDetails`)."""
        assert self.gathered is not None
        evidence = {term_text(e) for e in by.get(_EVIDENCE, ())}
        if is_entity_node(s) and self.full(term_str(s)):
            self.gathered.node_said(term_str(s), evidence)
        if is_entity_node(o):
            if self.full(term_str(o)):
                self.gathered.node_said(term_str(o), evidence)
            if (
                is_entity_node(s)
                and not isinstance(p, Lit)
                and self._linked(term_str(s), term_str(p), term_str(o))
            ):
                key = (self._keep(term_str(s)), self._keep(term_str(p)), self._keep(term_str(o)))
                self.gathered.link_said(key, evidence, (term_str(a) for a in by.get(_DERIVED, ())))

    # --- joins, once every subject is in

    @property
    def said(self) -> dict[tuple[str, str, str], tuple[tuple[str, ...], tuple[str, ...]]]:
        """Sentences and articles (sorted) of the reified statements whose object is a node, by
        (subject, predicate, object): sorted once every subject is in (a link stated in thousands of
        articles is not sorted again at each statement, and its growing tuples not all kept)."""
        if self._saying:
            for key, (said, cited) in self._saying.items():
                self._said[key] = (self._sorted(said), self._sorted(cited))
            self._saying = {}
        return self._said

    def names(self, node: str) -> tuple[str, str, tuple[str, ...]]:
        """(preferred @zh label, English label, sorted aliases) of a node."""
        return names_of(node, self.labels.get(node, ()))

    def property_labels(self, prop: str, vocabulary: Graph | None = None) -> tuple[str, str]:
        """The property's Chinese and English ``rdfs:label`` from the graph or else the vocabulary
        (the ontology); a missing one is the other, or the local name."""
        return property_labels_of(prop, self.labels.get(prop, ()), vocabulary)

    def article(self, iri: str) -> ViewArticle:
        """An article's title, date and file."""
        titles = [_words(v) for p, v, _ in self.labels.get(iri, ()) if p == LABEL]
        return ViewArticle(
            iri, min(titles, default=local_name(iri)), self.published.get(iri, ""), self.files.get(iri, "")
        )

    def date(self, node: Term, props: Iterable[str]) -> str:
        """The earliest ISO date (or year) stated on ``node`` by ``props``, directly or on a time:Instant."""
        if isinstance(node, Lit):
            return ""
        timing, found = self.timing.get(node, {}), list[str]()
        for prop in props:
            for value in timing.get(prop, ()):
                found += [value.value[:10]] if isinstance(value, Lit) else self.instants.get(value, ())
        return min(found, default="")

    def interval(self, node: Term) -> tuple[str, str]:
        """When ``node`` held: its own start and end dates, else those of its ``org:memberDuring``."""
        start, end = self.date(node, _STARTS), self.date(node, _ENDS)
        if isinstance(node, Lit):
            return start, end
        for during in sorted(self.timing.get(node, {}).get(_DURING, ()), key=term_str):
            start = start or self.date(during, (_BEGINNING,)) or self.date(during, _STARTS)
            end = end or self.date(during, (_END,)) or self.date(during, _ENDS)
        return start, end

    def role(self, role: Term) -> str:
        """A post's name: a literal as it is; a resource's ``ckg:role``, else its label."""
        if isinstance(role, Lit):
            return term_text(role)
        named = self.role_names.get(role, ())
        return named[0] if named else self.names(role)[0]

    def post_bodies(self, post: Term) -> tuple[Term, ...]:
        return () if isinstance(post, Lit) else self.bodies.get(post, ())

    def post_records(self) -> Iterator[tuple[str, Term, Term, str, str]]:
        """(person, body, the node stating the post, start, end) for every post in either form:
        ``ckg:holds``/``org:holds`` a Position in a body, or an ``org:Membership`` with a role."""
        for holder, post in self.holds:
            for body in self.post_bodies(post):
                yield holder, body, post, *self.interval(post)
        for membership, members, bodies in self.memberships:
            for member in members:
                for body in bodies:
                    if not isinstance(member, Lit):
                        yield member, body, membership, *self.interval(membership)

    def posts(self) -> list[ViewEdge]:
        """One person → body edge per post between two entities, labelled with the post's name,
        dated when the graph states when it was held. The same post stated twice is one edge."""
        merged: dict[tuple[str, str, str], dict[str, set[str]]] = {}
        for person, body, node, start, end in self.post_records():
            if not self.is_entity(person) or not is_entity_node(body) or not self.is_entity(term_str(body)):
                continue
            role_nodes = () if isinstance(node, Lit) else self.roles.get(node, ())
            roles = [self.role(r) for r in role_nodes] or [self.role(node)]
            for role in sorted(set(roles)):
                entry = merged.setdefault((person, term_str(body), role), defaultdict(set))
                entry["start"] |= {start} - {""}
                entry["end"] |= {end} - {""}
                for stated in (node, *role_nodes):
                    if not isinstance(stated, Lit):
                        entry["evidence"] |= set(self.evidence.get(stated, ()))
                        entry["articles"] |= set(self.derived.get(stated, ()))
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

    def facts(self, node: str) -> tuple[tuple[str, str], ...]:
        """Literal facts of an entity, and posts it holds in no known body, as (property IRI, value) pairs."""
        entity = self.entities[node]
        facts = set(entity.facts)
        for post in entity.posts:
            if not (is_entity_node(post) and self.is_entity(term_str(post))) and not any(
                is_entity_node(body) and self.is_entity(term_str(body)) for body in self.post_bodies(post)
            ):
                facts.add((_rank(HOLDS), HOLDS, self.names(post)[0]))
        return tuple((p, value) for _, p, value in sorted(facts))

    def measures(self, node: str) -> tuple[ViewMeasure, ...]:
        """An entity's measures, in their order."""
        measures = (self.measure(m) for m in self.entities[node].measures)
        return tuple(sorted(measures, key=lambda m: (m.text, m.evidence)))

    def node_evidence(self, node: str) -> tuple[str, ...]:
        """An entity's own sentences and those of every reified fact about it."""
        return tuple(sorted({*self.evidence.get(node, ()), *self.about.get(node, ())}))

    def node_articles(self, node: str) -> tuple[ViewArticle, ...]:
        """The articles that name an entity."""
        return _sorted_articles(self.article(a) for a in self.mentions.get(node, ()))

    def fill(self, view: View, vocabulary: Graph | None = None) -> View:
        """``view`` (a selection of the view of the same graph made without details, see
        :class:`Wanted`) with the details of the wanted nodes and links."""
        properties = {prop: (zh, en) for prop, zh, en in view.properties}
        posts = {(e.source, e.target, e.label): e for e in self.posts()}

        def node(found: ViewNode) -> ViewNode:
            if not self.detailed(found.id) or found.id not in self.entities:
                return found
            facts = self.facts(found.id)
            for prop, _ in facts:
                properties.setdefault(prop, self.property_labels(prop, vocabulary))
            evidence, articles = self.node_evidence(found.id), self.node_articles(found.id)
            return replace(
                found, facts=facts, measures=self.measures(found.id), evidence=evidence, articles=articles
            )

        def edge(found: ViewEdge) -> ViewEdge:
            if (
                self.wanted is not None
                and (found.source, found.property, found.target, found.label) not in self.wanted.links
            ):
                return found
            post = posts.get((found.source, found.target, found.label)) if found.property == POST else None
            if post is not None:
                return replace(found, evidence=post.evidence, articles=post.articles)
            evidence, articles = self.said.get((found.source, found.property, found.target), ((), ()))
            return replace(found, evidence=evidence, articles=articles)

        edges, spare_edges = tuple(map(edge, view.edges)), tuple(map(edge, view.spare_edges))
        return replace(
            view,
            nodes=tuple(map(node, view.nodes)),
            spare=tuple(map(node, view.spare)),
            edges=edges,
            spare_edges=spare_edges,
            properties=tuple(sorted(((p, *labels) for p, labels in properties.items()), key=_property_key)),
            articles=_sorted_articles(
                self.article(iri) for iri in {a for e in (*edges, *spare_edges) for a in e.articles}
            ),
        )

    def page(self, chosen: Chosen, title: str = "castkg", vocabulary: Graph | None = None) -> View:
        """The :class:`View` of the page ``chosen``, with the details of its nodes and links: the
        view that :func:`castkg.view.render.embedded_only` makes of the same selection of the
        whole view (what :func:`select` and the page's budgets keep), but for the sentences and
        measures of the nodes not ``full`` (:class:`Wanted`), which the page does not show. From
        details gathered within the page's budgets (``gathered``), each node's and link's sentences
        and articles are those its page may show (``evidence_left`` and ``articles_left`` count
        the others; a node not ``full`` keeps only its first article with a date)."""
        properties: dict[str, tuple[str, str]] = {}

        def labels_of(prop: str) -> tuple[str, str]:
            if prop not in properties:
                properties[prop] = self.property_labels(prop, vocabulary)
            return properties[prop]

        posts = {(e.source, e.target, e.label): e for e in self.posts()}
        cut = None if self.gathered is None else _PageCut(self, self.gathered, chosen, posts)

        def node(iri: str, cls: str, degree: int, community: int) -> ViewNode:
            label, label_en, aliases = self.names(iri)
            entity = self.entities.get(iri)
            full = entity is not None and self.full(iri)
            facts = self.facts(iri) if entity is not None else ()
            for prop, _ in facts:
                labels_of(prop)
            measures = self.measures(iri) if full else ()
            if cut is None:
                evidence, articles = self.node_evidence(iri) if full else (), self.node_articles(iri)
                evidence_left = articles_left = 0
            else:
                evidence, evidence_left = cut.node_evidence(iri) if full else ((), 0)
                articles, articles_left = cut.node_articles(iri, self.full(iri))
                cut.note(sentence for m in measures for sentence in m.evidence)
            return ViewNode(
                id=iri,
                label=label,
                cls=cls,
                label_en=label_en,
                aliases=aliases,
                facts=facts,
                measures=measures,
                evidence=evidence,
                articles=articles,
                degree=degree,
                start=self.date(iri, (_START,)),
                end=entity.end if entity is not None else "",
                community=community,
                evidence_left=evidence_left,
                articles_left=articles_left,
            )

        def edge(source: str, prop: str, target: str, post: str | None) -> ViewEdge:
            labels_of(prop)
            if post is not None:
                found = posts.get((source, target, post))
                if cut is not None and found is not None:
                    cut.note(found.evidence)
                return found if found is not None else ViewEdge(source, target, POST, post)
            if cut is None:
                evidence, articles = self.said.get((source, prop, target), ((), ()))
                evidence_left = articles_left = 0
            else:
                evidence, evidence_left, articles, articles_left = cut.link((source, prop, target))
            return ViewEdge(
                source,
                target,
                prop,
                labels_of(prop)[0],
                is_weak(prop),
                evidence=evidence,
                articles=articles,
                evidence_left=evidence_left,
                articles_left=articles_left,
            )

        nodes, spare = (
            tuple(node(*found) for found in chosen.nodes),
            tuple(node(*found) for found in chosen.spare),
        )
        edges = tuple(edge(*found) for found in chosen.edges)
        spare_edges = tuple(edge(*found) for found in chosen.spare_edges)
        return View(  # the properties once every node and link has named its own
            nodes,
            edges,
            omitted=chosen.omitted,
            title=title,
            properties=tuple(sorted(((p, *labels) for p, labels in properties.items()), key=_property_key)),
            spare=spare,
            spare_edges=spare_edges,
            focus=chosen.focus,
            walled=chosen.walled,
            max_nodes=chosen.max_nodes,
            articles=_sorted_articles(
                self.article(iri) for iri in {a for e in (*edges, *spare_edges) for a in e.articles}
            ),
            unembedded=chosen.unembedded,
            links_left_out=chosen.links_left_out,
            sentences_left=cut.sentences_left() if cut is not None else 0,
        )

    def measure(self, measure: Term) -> ViewMeasure:
        if isinstance(measure, Lit):
            return ViewMeasure(local_name(measure.value))
        text = self.measure_text[measure] if measure in self.measure_text else self.names(measure)[0]
        return ViewMeasure(text, self.evidence.get(measure, ()))

    def view(self, title: str = "castkg", vocabulary: Graph | None = None) -> View:
        """The :class:`View` of every entity gathered, every node in community 0 (numbered by
        :func:`project` once the projection is gone: finding them takes the most memory)."""
        classes = self.classes
        properties: dict[str, tuple[str, str]] = {}

        def labels_of(prop: str) -> tuple[str, str]:
            if prop not in properties:
                properties[prop] = self.property_labels(prop, vocabulary)
            return properties[prop]

        links = []  # made in order (a link's label is its property's), not sorted afterwards
        for s in sorted(self.entities):
            for p, o in sorted(self.entities[s].links):
                if o in classes:
                    evidence, articles = self.said.pop((s, p, o), ((), ()))
                    links.append(
                        ViewEdge(s, o, p, labels_of(p)[0], is_weak(p), evidence=evidence, articles=articles)
                    )
        posts = sorted(self.posts(), key=edge_key)
        if posts:
            labels_of(POST)
        edges = list(heapq.merge(links, posts, key=edge_key)) if posts else links
        del links, posts
        self._said = {}
        degree = degrees(edges)
        nodes = []
        for node in sorted(classes):
            label, label_en, aliases = self.names(node)
            facts = self.facts(node)
            for prop, _ in facts:
                labels_of(prop)
            nodes.append(
                ViewNode(
                    id=node,
                    label=label,
                    cls=classes[node],
                    label_en=label_en,
                    aliases=aliases,
                    facts=facts,
                    measures=self.measures(node),
                    evidence=self.node_evidence(node),
                    articles=self.node_articles(node),
                    degree=degree[node],
                    start=self.date(node, (_START,)),
                    end=self.entities[node].end,
                )
            )
        edge_articles = _sorted_articles(self.article(iri) for iri in {a for e in edges for a in e.articles})
        log.info("view: %d nodes, %d edges", len(nodes), len(edges))
        return View(
            tuple(nodes),
            tuple(edges),
            title=title,
            properties=tuple(sorted(((p, *labels) for p, labels in properties.items()), key=_property_key)),
            articles=edge_articles,
        )


class _PageCut:
    """The sentences and articles of a page's nodes and links, cut to what the page shows
    (:func:`castkg.view.render.page_data`), from what a projection gathered within the page's
    budgets (``gathered``): each list in the page's order, all of it while the page's budget lets
    it be shown whole, else its first few, and how many it leaves out. A page's data made from the
    lists cut is that made from the whole lists: the page takes the same first few of them."""

    def __init__(
        self,
        projection: Projection,
        gathered: PageDetails,
        chosen: Chosen,
        posts: dict[tuple[str, str, str], ViewEdge],
    ) -> None:
        self.projection, self.gathered, self.budget = projection, gathered, gathered.budget
        iris = gathered.iris
        keys = [_article_key(projection.article(iri)) for iri in iris]
        self.order = sorted(range(len(iris)), key=keys.__getitem__)
        """The articles' numbers in the page's order (date, file, title, IRI)."""
        self.rank = array("I", bytes(4 * len(iris)))
        for rank, number in enumerate(self.order):
            self.rank[number] = rank
        self.undated = sum(1 for key in keys if not key[0])
        """The articles without a date: they come first, at ranks below this."""
        del keys
        self.whole_articles = self._article_references(chosen, posts) <= self.budget.articles
        self._used: list[Sample] = []
        self._shown: set[str] = set()

    def _article_references(self, chosen: Chosen, posts: dict[tuple[str, str, str], ViewEdge]) -> int:
        """The references to articles of the page's links and detailed nodes, all of them."""
        gathered, projection = self.gathered, self.projection
        total = sum(
            len(gathered.articles_of(gathered.node_articles.get(iri)))
            for iri, *_ in (*chosen.nodes, *chosen.spare)
            if projection.full(iri)
        )
        for source, prop, target, post in (*chosen.edges, *chosen.spare_edges):
            if post is None:
                total += len(gathered.articles_of(gathered.link_articles.get((source, prop, target))))
            elif (source, target, post) in posts:
                total += len(posts[(source, target, post)].articles)
        return total

    def node_articles(self, node: str, detailed: bool) -> tuple[tuple[ViewArticle, ...], int]:
        """The articles that name ``node`` that its page may show, in order, and how many others:
        all of a ``detailed`` node's while the page's articles fit their budget, else its
        NODE_ARTICLES first; and the first with a date (the date the page says it was reported)."""
        numbers = self.gathered.articles_of(self.gathered.node_articles.get(node))
        rank = self.rank
        if detailed and self.whole_articles:
            ranks = sorted(rank[n] for n in numbers)
        else:
            ranks = heapq.nsmallest(self.budget.node_articles if detailed else 0, (rank[n] for n in numbers))
            dated = min((r for r in (rank[n] for n in numbers) if r >= self.undated), default=None)
            if dated is not None and dated not in ranks:
                ranks.append(dated)  # after the others: they are all undated
        iris = self.gathered.iris
        articles = tuple(self.projection.article(iris[self.order[r]]) for r in ranks)
        return articles, len(numbers) - len(articles)

    def node_evidence(self, node: str) -> tuple[tuple[str, ...], int]:
        """The sentences of ``node`` that its page may show, sorted, and how many others."""
        return self._sentences(self.gathered.node_sentences.get(node))

    def link(self, link: tuple[str, str, str]) -> tuple[tuple[str, ...], int, tuple[str, ...], int]:
        """The sentences of ``link`` that its page may show and how many others, and its articles
        likewise (all while the page's articles fit their budget, else the first by IRI)."""
        evidence, evidence_left = self._sentences(self.gathered.link_sentences.get(link))
        gathered = self.gathered
        numbers = gathered.articles_of(gathered.link_articles.get(link))
        if self.whole_articles:
            articles = tuple(sorted(gathered.iris[n] for n in numbers))
        else:
            articles = (min(gathered.iris[n] for n in numbers),) if numbers else ()
        return evidence, evidence_left, articles, len(numbers) - len(articles)

    def _sentences(self, sample: Sample | None) -> tuple[tuple[str, ...], int]:
        if sample is None:
            return (), 0
        texts = sample.texts()
        if self.gathered.cut:
            self._used.append(sample)
            self._shown.update(texts)
        return texts, sample.count() - len(texts)

    def note(self, texts: Iterable[str]) -> None:
        """Count sentences the page holds whole (of a measure, of a post)."""
        if self.gathered.cut:
            self._shown.update(texts)

    def sentences_left(self) -> int:
        """The distinct sentences of the page's links and detailed nodes that no list holds."""
        if not self.gathered.cut:
            return 0
        every = Distinct(parts=64)
        for sample in self._used:
            if sample.seen is not None:
                every.update(sample.seen)
        for text in self._shown:
            every.add(digest(text))
        return len(every) - len(self._shown)


def _article_key(article: ViewArticle) -> tuple[str, str, str, str]:
    """The order of a node's articles (:func:`_sorted_articles`)."""
    return article.date, article.file, article.title, article.iri


def _words(text: str) -> str:
    return " ".join(text.split())


def label_entries(by: dict[str, list[Term]]) -> tuple[tuple[str, str, str], ...]:
    """(label predicate, text, language) of every label a subject states (``by``: its objects by
    predicate)."""
    return tuple(
        (prop, term_str(v), v.language if isinstance(v, Lit) else "")
        for prop in LABELS
        for v in by.get(prop, ())
    )


def property_labels_of(
    prop: str, entries: Iterable[tuple[str, str, str]], vocabulary: Graph | None = None
) -> tuple[str, str]:
    """The Chinese and English ``rdfs:label`` of the property ``prop`` from its label ``entries``
    in the graph (:func:`label_entries`), else from ``vocabulary`` (the ontology); a missing one is
    the other, or the local name."""
    own = sorted((lang, v) for p, v, lang in entries if p == LABEL)
    zh, en = _zh_en(own)
    if vocabulary is not None:
        known = sorted((_lang(x), str(x)) for x in vocabulary.objects(URIRef(prop), RDFS.label))
        other_zh, other_en = _zh_en(known)
        zh, en = zh or other_zh, en or other_en
    name = local_name(prop)
    return zh or en or name, en or name


def names_of(node: str, entries: Iterable[tuple[str, str, str]]) -> tuple[str, str, tuple[str, ...]]:
    """(preferred @zh label, English label, sorted aliases) of ``node`` from its label ``entries``
    (:func:`label_entries`); the preferred label is its IRI's local name when it has none."""
    entries = tuple(entries)
    zh = sorted(_words(v) for p, v, lang in entries if p == LABEL and (lang == "" or lang.startswith("zh")))
    en = sorted(_words(v) for p, v, lang in entries if p == LABEL and lang.startswith("en"))
    label = zh[0] if zh else en[0] if en else local_name(node)
    label_en = en[0] if en else ""
    aliases = tuple(sorted({_words(v) for _, v, _ in entries} - {label, label_en}))
    return label, label_en, aliases


def _zh_en(labels: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The first Chinese (or untagged) and the first English of (language, text) labels."""
    zh = next((_words(v) for lang, v in labels if lang in ("", "zh") or lang.startswith("zh")), "")
    en = next((_words(v) for lang, v in labels if lang.startswith("en")), "")
    return zh, en


def project(
    groups: Iterable[Group],
    title: str = "castkg",
    vocabulary: Graph | None = None,
    wanted: Wanted | None = None,
) -> View:
    """The :class:`View` of a graph given as its subjects, each once with all it states
    (:data:`Group`): read one subject at a time, so memory holds what the view shows, not the
    graph. Properties are named by their labels, looked up in the graph and then in
    ``vocabulary`` (the ontology), else by their local names. With ``wanted``, only the wanted
    nodes and links have their details (``Wanted()``: none, the view's skeleton)."""
    projection = Projection(wanted)
    for subject, pairs in groups:
        projection.add(subject, pairs)
    view = projection.view(title, vocabulary)
    del projection  # all the view does not hold goes before the communities are found
    if len(view.nodes) > COMMUNITY_LIMIT:  # found on what a page embeds (render.page_data)
        return view
    numbers = communities(
        (node.id for node in view.nodes), ((e.source, e.target, e.weak) for e in view.edges)
    )
    return replace(view, nodes=tuple(replace(node, community=numbers.get(node.id, 0)) for node in view.nodes))


def to_view(graph: Graph, title: str = "castkg", vocabulary: Graph | None = None) -> View:
    """Project an RDF graph (or Dataset: its union) to the :class:`View` of all its entities.

    Pure and deterministic. Nodes are the members of the contract's entity classes;
    edges are every triple between two of them except ``rdf:type`` and article links,
    plus one person → body edge per post. Properties are named by their labels, looked up
    in ``graph`` and then in ``vocabulary`` (the ontology), else by their local names.
    """
    return project(graph_groups(graph), title, vocabulary)


def _property_key(entry: tuple[str, str, str]) -> tuple[int, str]:
    return _rank(entry[0]), entry[0]


def edge_key(edge: ViewEdge) -> tuple[str, str, str, str]:
    """The order of a view's links: source, property, target, label."""
    return edge.source, edge.property, edge.target, edge.label


def _increasing(edges: Sequence[ViewEdge]) -> bool:
    return all(edge_key(a) < edge_key(b) for a, b in pairwise(edges))


def degrees(edges: Iterable[ViewEdge]) -> Counter[str]:
    """The number of links at each node of ``edges`` (sorted by source, property, target and
    label): a link to itself counts twice, and links that differ only in their details once."""
    degree: Counter[str] = Counter()
    last = None
    for edge in edges:
        key = (edge.source, edge.property, edge.target, edge.label)
        if key != last:
            degree[edge.source] += 1
            degree[edge.target] += 1
        last = key
    return degree


def communities(nodes: Iterable[str], edges: Iterable[tuple[str, str, bool]]) -> dict[str, int]:
    """Each node's community (Louvain on ``nodes`` and ``edges``, given as (source, target, weak):
    weak links weighing WEAK_WEIGHT, fixed seed), numbered by size, largest first (ties by the
    smallest IRI). The same nodes and edges in the same order give the same numbers."""
    network = nx.Graph()
    network.add_nodes_from(nodes)
    for source, target, weak in edges:
        if source == target:
            continue
        weight = WEAK_WEIGHT if weak else 1.0
        if network.has_edge(source, target):
            network[source][target]["weight"] += weight
        else:
            network.add_edge(source, target, weight=weight)
    if network.number_of_edges() == 0:
        parts: list[set[str]] = [{n} for n in network]
    else:
        parts = nx.community.louvain_communities(network, weight="weight", seed=COMMUNITY_SEED)
    ranked = sorted((sorted(part) for part in parts), key=lambda part: (-len(part), part[0]))
    del network, parts
    # networkx graphs are reference cycles (a graph caches views of itself), Louvain's copies too:
    # only a full collection frees them, and when one runs depends on what else the process holds.
    # Free them now, so that they never add to what comes next (at 10k, ~0.3 GB of the view's pass).
    gc.collect()
    return {node: rank for rank, part in enumerate(ranked) for node in part}


def drawn_communities(
    drawn: Sequence[str], links: Iterable[tuple[str, str, bool]], ties: Iterable[tuple[str, str, bool]]
) -> dict[str, int]:
    """The communities of a selection of a graph past COMMUNITY_LIMIT entities: Louvain
    (:func:`communities`) on the ``drawn`` entities (sorted) and every link among them (``links``,
    (source, target, weak) in the view's order); then each other entity tied to drawn ones
    (``ties``: (drawn, other, weak) for each link between them) joins the community it has the
    most links to (a weak link counting WEAK_WEIGHT; a tie to the lower number). Others have none."""
    numbers = communities(drawn, links)
    votes: dict[str, dict[int, float]] = {}
    for inside, other, weak in ties:
        found = votes.setdefault(other, {})
        community = numbers[inside]
        found[community] = found.get(community, 0.0) + (WEAK_WEIGHT if weak else 1.0)
    for other, found in votes.items():
        numbers[other] = min(found, key=lambda c: (-found[c], c))
    return numbers


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


class NameMatch:
    """The search for the node named ``name`` among nodes offered one by one (:meth:`offer`) in
    the order to search them: the first whose IRI, label, English label or alias is ``name``
    (quotes, case and width ignored), and the few names close to it."""

    def __init__(self, name: str) -> None:
        self.name, self.folded = name, _fold(name)
        self.found: str | None = None
        self.close: set[str] = set()

    def offer(self, iri: str, names: Iterable[str]) -> bool:
        """Whether the node ``iri`` with ``names`` is the first named so."""
        names = tuple(names)
        if self.found is None and (iri == self.name or any(_fold(n) == self.folded for n in names)):
            self.found = iri
            return True
        if self.found is None and self.folded:
            self.close.update(n for n in names if self.folded in _fold(n))
            if len(self.close) > 100:
                self.close = set(sorted(self.close)[:5])
        return False

    def error(self) -> InputError:
        """The error for a name no node has, naming a few close names."""
        close = sorted(self.close)[:5]
        hint = f"; close names: {', '.join(close)}" if close else ""
        return InputError(f"no node is named {self.name!r}{hint}")


def find_node(view: View, name: str) -> ViewNode:
    """The node (drawn or spare) whose IRI, label, English label or alias is ``name`` (quotes,
    case and width ignored).

    Raises :class:`InputError` naming a few close names when none matches.
    """
    match = NameMatch(name)
    for node in (*view.nodes, *view.spare):
        if match.offer(node.id, node.names):
            return node
    raise match.error()


def chosen_classes(classes: Iterable[str] | None) -> frozenset[str] | None:
    """The entity classes ``classes`` names (None: all). Raises :class:`InputError` for an unknown one."""
    if classes is None:
        return None
    wanted = frozenset(c.strip() for c in classes if c.strip())
    unknown = sorted(wanted - set(ENTITY_CLASSES))
    if unknown:
        raise InputError(f"unknown class {', '.join(unknown)}; known: {', '.join(ENTITY_CLASSES)}")
    return wanted


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
    if not view.spare_edges and _increasing(view.edges):  # a whole view: sorted, each link once
        every_edges = list(view.edges)
    else:
        every_edges = sorted({*view.edges, *view.spare_edges}, key=edge_key)
    allowed = dict(every)
    wanted = chosen_classes(classes)
    if wanted is not None:
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
        degree = degrees(e for e in edges if e.source in kept and e.target in kept)
        ranked = sorted(kept, key=lambda i: (i != centre, -degree[i], i))
        kept = set(ranked[: max(max_nodes, 0)])
        cut = max_nodes
    nodes = tuple(every[i] for i in sorted(kept))
    spare = tuple(every[i] for i in sorted(set(allowed) - kept))
    drawn = [e for e in edges if e.source in kept and e.target in kept]
    rest = [e for e in edges if not (e.source in kept and e.target in kept)]
    if len(every) > COMMUNITY_LIMIT:  # the whole view has none (project)
        numbers = drawn_communities(
            [n.id for n in nodes],
            ((e.source, e.target, e.weak) for e in drawn),
            (
                (a, b, e.weak)
                for e in rest
                for a, b in ((e.source, e.target), (e.target, e.source))
                if a in kept and b not in kept
            ),
        )
        nodes = tuple(replace(n, community=numbers[n.id]) for n in nodes)
        spare = tuple(replace(n, community=numbers.get(n.id, -1)) for n in spare)
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
