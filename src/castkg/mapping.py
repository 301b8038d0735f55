"""Stage 5, map: resolved entities and facts → an rdflib Dataset on the contract's vocabulary.

One named graph per article (the graph IRI is the article's IRI) holds what that article
states, and depends on nothing else: its own description, the entities it names (type, every
name it uses for them as ``skos:altLabel``, ``ckg:mentionedIn``, the sentences that tell of an
event), the facts drawn from it, each reified with the rule and the evidence sentence, its
measures, and the posts it says people hold (``ckg:holds`` a Position, and an ``org:Membership``
on the article's date).

One more named graph, :data:`ENTITIES`, holds what depends on the whole corpus: each entity's one
preferred ``rdfs:label`` (and English label), the gazetteer's other names for it, each post's
full title. :func:`entity_graph` makes it from the article graphs and the rules alone, so a
store updated file by file makes it again (:mod:`castkg.store`) and equals a fresh build.
The union of the graphs is the whole knowledge graph.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, groupby
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS, TIME
from rdflib.term import Node

from castkg.graphs import bind_prefixes
from castkg.model import ArticleRecord, Entity, EntityKey, Fact, MeasureFact, PositionFact, Resolved
from castkg.namespace import CKG, CKR, ENTITY_CLASSES, ORG, SERIES, SUPER_PROPERTIES, ckg
from castkg.resolve import preferred_label
from castkg.rules import GazetteerEntry, Rules, load_rules
from castkg.slugs import CLASS_PATHS, ascii_slug, short_hash
from castkg.write import oxigraph_term

DATATYPES = {"date": XSD.date, "integer": XSD.integer}

ENTITIES = CKR["entities"]
"""The named graph of what each entity is called across the corpus (castkg's extension: the
contract's files hold it beside the article graphs)."""


class Adds(Protocol):
    """What the mapping writes a graph's triples into: an rdflib Graph, or a :class:`GraphLines`."""

    def add(self, triple: tuple[Node, Node, Node], /) -> Any: ...


NODE_CLASSES: dict[URIRef, str] = {ckg(name): name for name in (*ENTITY_CLASSES, SERIES)}
"""The classes whose members get a preferred label in :data:`ENTITIES`."""


def zh(text: str) -> Literal:
    """A Chinese literal."""
    return Literal(text, lang="zh")


def name_literal(text: str) -> Literal:
    """A name as castkg states it: ``@en`` when it is all ASCII (CAST, WFEO), else ``@zh``."""
    return Literal(text, lang="en" if text.isascii() else "zh")


def decimal_literal(value: Decimal) -> Literal:
    """An ``xsd:decimal`` whose lexical form always has a decimal point (140000 → 140000.0)."""
    text = format(value, "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def to_lines(resolved: Resolved, table: EntityTable) -> dict[str, GraphLines]:
    """The article graphs of ``resolved`` (one input file's, :func:`castkg.resolve.resolve_alone`)
    as N-Quads terms, by graph IRI: the same triples :func:`to_dataset` states in them. What the
    graph of entities needs of them is added to ``table``."""
    graphs: dict[str, GraphLines] = {}

    def graph(record: ArticleRecord) -> GraphLines:
        name = str(article_iri(record))
        if name not in graphs:
            graphs[name] = GraphLines(table)
        return graphs[name]

    iri = {key: CKR[entity.slug] for key, entity in resolved.entities.items()}
    articles = {record.article.key: record for record in resolved.articles}
    named_by: dict[str, list[Entity]] = defaultdict(list)
    for entity in resolved.entities.values():
        for article in entity.articles:
            named_by[article].append(entity)
    for record in resolved.articles:
        lines = graph(record)
        _describe_article(lines, record, iri, named_by[record.article.key])
        for entity in named_by[record.article.key]:
            _describe_entity(lines, entity, iri[entity.key], record)
    for fact in resolved.facts:
        _state_fact(graph(articles[fact.article]), fact, iri, articles[fact.article])
    for measure in resolved.measures:
        _state_measure(graph(articles[measure.article]), measure, iri, articles)
    for position in resolved.positions:
        _state_position(graph(articles[position.article]), position, iri, articles)
    return graphs


def nt_term(term: Node) -> str:
    """An IRI or literal as N-Triples writes it (Oxigraph's form, what the writers sort by)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    return str(oxigraph_term(term))


_TYPE, _ALT, _LABEL = str(RDF.type), str(SKOS.altLabel), str(RDFS.label)
_ORG, _ROLE = str(CKG.organization), str(CKG.role)
_NODE_CLASSES = {str(iri): name for iri, name in NODE_CLASSES.items()}
_ARTICLE = str(CKG.Article)


@dataclass
class EntityTable:
    """What the graph of entities and a build's summary need of every article graph, gathered
    as they are made: each entity node's class and names, the posts' bodies and names. Grows with
    the distinct entities and posts, not with the articles."""

    classes: dict[str, str] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labelled: set[str] = field(default_factory=set)
    """Entity nodes an article graph labels itself (see :func:`entity_graph`)."""
    roles: dict[str, str] = field(default_factory=dict)
    organizations: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    keys: dict[EntityKey, str] = field(default_factory=dict)
    """Each entity key's class, as the first file naming it gave it."""
    articles: int = 0
    """Article nodes typed so far."""
    _labels: set[str] = field(default_factory=set)

    def note(self, subject: str, predicate: str, value: Node) -> None:
        """Take what matters of one article-graph triple."""
        if predicate == _TYPE:
            if str(value) in _NODE_CLASSES:
                self.classes[subject] = _NODE_CLASSES[str(value)]
            elif str(value) == _ARTICLE:
                self.articles += 1
        elif predicate == _ALT:
            self.names[subject].add(str(value))
        elif predicate == _LABEL:
            self._labels.add(subject)
        elif predicate == _ROLE:
            self.roles[subject] = str(value)
        elif predicate == _ORG:
            self.organizations[subject].add(str(value))

    def merge(self, other: EntityTable) -> None:
        """Take what ``other`` gathered (of later graphs than this table's)."""
        self.classes.update(other.classes)
        for node, names in other.names.items():
            self.names[node] |= names
        self._labels |= other._labels
        self.roles.update(other.roles)
        for post, bodies in other.organizations.items():
            self.organizations[post] |= bodies
        self.articles += other.articles

    def settle(self) -> None:
        """Keep of the labelled nodes the entities' and posts' (articles and roles are labelled too)."""
        self.labelled |= {node for node in self._labels if node in self.classes or node in self.roles}
        self._labels = set()


class GraphLines:
    """One article graph's triples as N-Triples terms (subject IRI, predicate IRI, object term),
    each once, as a Graph would hold them; noted in an :class:`EntityTable` as they come."""

    def __init__(self, table: EntityTable) -> None:
        self.triples: set[tuple[str, str, str]] = set()
        self.table = table

    def add(self, triple: tuple[Node, Node, Node], /) -> None:
        subject, predicate, value = str(triple[0]), str(triple[1]), triple[2]
        line = (subject, predicate, nt_term(value))
        if line not in self.triples:
            self.triples.add(line)
            self.table.note(subject, predicate, value)


def to_dataset(resolved: Resolved, rules: Rules | None = None) -> Dataset:
    """The RDF Dataset of ``resolved``: one named graph per article, and the graph of entities."""
    rules = rules or load_rules()
    dataset = Dataset()
    bind_prefixes(dataset)
    iri = {key: CKR[entity.slug] for key, entity in resolved.entities.items()}
    articles = {record.article.key: record for record in resolved.articles}
    named_by: dict[str, list[Entity]] = defaultdict(list)
    for entity in resolved.entities.values():
        for article in entity.articles:
            named_by[article].append(entity)
    for record in resolved.articles:
        graph = dataset.graph(article_iri(record))
        _describe_article(graph, record, iri, named_by[record.article.key])
        for entity in named_by[record.article.key]:
            _describe_entity(graph, entity, iri[entity.key], record)
    for fact in resolved.facts:
        _state_fact(dataset.graph(article_iri(articles[fact.article])), fact, iri, articles[fact.article])
    for measure in resolved.measures:
        _state_measure(dataset.graph(article_iri(articles[measure.article])), measure, iri, articles)
    for position in resolved.positions:
        _state_position(dataset.graph(article_iri(articles[position.article])), position, iri, articles)
    entities = dataset.graph(ENTITIES)
    for triple in entity_graph(dataset, rules):
        entities.add(triple)
    return dataset


def article_iri(record: ArticleRecord) -> URIRef:
    """The IRI of an article (and of its named graph): its title's slug and its text's digest."""
    return CKR[f"article_{record.slug}"]


def _describe_article(
    graph: Adds, record: ArticleRecord, iri: dict[EntityKey, URIRef], named: list[Entity]
) -> None:
    article, node = record.article, article_iri(record)
    source = CKR[f"file_{record.file_slug}"]
    graph.add((node, RDF.type, CKG.Article))
    graph.add((node, RDFS.label, zh(article.title)))
    graph.add((node, CKG.sourceFile, Literal(article.source)))
    graph.add((node, PROV.wasDerivedFrom, source))
    graph.add((source, RDF.type, PROV.Entity))
    graph.add((source, CKG.sourceFile, Literal(article.source)))
    if article.date:
        graph.add((node, CKG.datePublished, Literal(article.date.isoformat(), datatype=XSD.date)))
    for publisher in record.publishers:
        graph.add((node, CKG.publishedBy, iri[publisher]))
    for entity in named:
        graph.add((node, CKG.mentions, iri[entity.key]))


def _describe_entity(graph: Adds, entity: Entity, node: URIRef, record: ArticleRecord) -> None:
    graph.add((node, RDF.type, ckg(entity.cls)))
    for name in entity.names_used_in(record.article.key):  # what this article says, so its graph stands alone
        graph.add((node, SKOS.altLabel, name_literal(name)))
    graph.add((node, CKG.mentionedIn, article_iri(record)))
    if entity.cls == "Event":
        for sentence in entity.evidence_in.get(record.article.key, ()):
            graph.add((node, CKG.evidence, zh(sentence)))


def _state_fact(graph: Adds, fact: Fact, iri: dict[EntityKey, URIRef], record: ArticleRecord) -> None:
    subject = iri[fact.subject]
    value: URIRef | Literal
    if fact.object is not None:
        value = iri[fact.object]
    elif fact.datatype in DATATYPES:
        value = Literal(fact.value, datatype=DATATYPES[fact.datatype])
    else:
        value = Literal(fact.value)
    stated = [fact.predicate] + (
        [SUPER_PROPERTIES[fact.predicate]] if fact.predicate in SUPER_PROPERTIES else []
    )
    for name in stated:  # a sub-property's fact is also its contract property's, for contract queries
        predicate = ckg(name)
        graph.add((subject, predicate, value))
        statement = CKR[f"fact_{short_hash(f'{subject} {predicate} {value} {record.slug}', 16)}"]
        graph.add((statement, RDF.type, RDF.Statement))
        graph.add((statement, RDF.subject, subject))
        graph.add((statement, RDF.predicate, predicate))
        graph.add((statement, RDF.object, value))
        graph.add((statement, CKG.rule, Literal(fact.rule)))
        graph.add((statement, PROV.wasDerivedFrom, article_iri(record)))
        if fact.evidence:
            graph.add((statement, CKG.evidence, zh(fact.evidence)))


def _state_measure(
    graph: Adds, measure: MeasureFact, iri: dict[EntityKey, URIRef], articles: dict[str, ArticleRecord]
) -> None:
    node = CKR[f"measure_{measure.slug}"]
    owner = iri[measure.owner] if measure.owner in iri else article_iri(articles[measure.article])
    graph.add((owner, CKG.measure, node))
    graph.add((node, RDF.type, CKG.Measure))
    graph.add((node, CKG.value, decimal_literal(measure.value)))
    graph.add((node, CKG.counts, zh(measure.counts)))
    if measure.counts_written:  # as written in traditional script, so either form of the name matches
        graph.add((node, CKG.counts, zh(measure.counts_written)))
    if measure.activity:  # 60余人参加会议: the people are counted as attendants too
        graph.add((node, CKG.counts, zh(measure.activity)))
    if measure.unit:
        graph.add((node, CKG.unit, zh(measure.unit)))
    if measure.qualifier:
        graph.add((node, CKG.qualifier, ckg(measure.qualifier)))
    if measure.evidence:
        graph.add((node, CKG.evidence, zh(measure.evidence)))
    graph.add((node, CKG.rule, Literal(measure.rule)))
    graph.add((node, PROV.wasDerivedFrom, article_iri(articles[measure.article])))


def role_iri(role: str) -> URIRef:
    """The org:Role of a post's name (党组书记), one for every body that has such a post."""
    return CKR[f"role_{ascii_slug(role, 32)}-{short_hash(role)}"]


def _state_position(
    graph: Adds, position: PositionFact, iri: dict[EntityKey, URIRef], articles: dict[str, ArticleRecord]
) -> None:
    """The post (ckg:holds a ckg:Position, the contract's form) and, in time, the article's statement
    of it as an org:Membership during an interval inside the article's date."""
    if position.person not in iri or position.organization not in iri:
        return
    person, body, article = iri[position.person], iri[position.organization], articles[position.article]
    node = CKR[f"position_{position.slug}"]
    graph.add((person, CKG.holds, node))
    graph.add((node, RDF.type, CKG.Position))
    graph.add((node, CKG.role, zh(position.role)))
    graph.add((node, CKG.organization, body))
    membership, role = CKR[f"membership_{position.membership}"], role_iri(position.role)
    graph.add((membership, RDF.type, ORG.Membership))
    graph.add((membership, ORG.member, person))
    graph.add((membership, ORG.organization, body))
    graph.add((membership, ORG.role, role))
    graph.add((role, RDF.type, ORG.Role))
    graph.add((role, RDFS.label, zh(position.role)))
    if position.date is not None:
        during, day = CKR[f"membership_{position.membership}-during"], CKR[f"day_{position.date.isoformat()}"]
        graph.add((membership, ORG.memberDuring, during))
        graph.add((during, RDF.type, TIME.Interval))
        graph.add((during, TIME.inside, day))
        graph.add((day, RDF.type, TIME.Instant))
        graph.add((day, TIME.inXSDDate, Literal(position.date.isoformat(), datatype=XSD.date)))
    for stated in (node, membership):
        if position.evidence:
            graph.add((stated, CKG.evidence, zh(position.evidence)))
        graph.add((stated, CKG.rule, Literal(position.rule)))
        graph.add((stated, PROV.wasDerivedFrom, article_iri(article)))


# --- the graph of entities ---------------------------------------------------------------------


def curated_nodes(rules: Rules) -> dict[URIRef, GazetteerEntry]:
    """The IRI of every gazetteer entry (a series' as such too), with its entry."""
    nodes = {CKR[f"{CLASS_PATHS[e.cls]}_{e.id}"]: e for e in rules.gazetteer.values()}
    nodes.update({CKR[f"{CLASS_PATHS[SERIES]}_{e.id}"]: e for e in rules.gazetteer.values() if e.series})
    return nodes


def _pairs(articles: Graph, predicate: URIRef) -> Iterator[tuple[Node, Node]]:
    """(subject, object) of every ``predicate`` triple of the article graphs (a Dataset's graphs but
    :data:`ENTITIES`; any other graph as it is)."""
    if isinstance(articles, Dataset):
        for s, _, o, g in articles.quads((None, predicate, None, None)):
            if g is not None and g != ENTITIES:
                yield s, o
    else:
        yield from articles.subject_objects(predicate)


def entity_graph(articles: Graph, rules: Rules) -> Graph:
    """The graph of entities of ``articles`` (a Dataset of article graphs, or one graph of their
    triples: only ``rdf:type``, ``rdfs:label``, ``skos:altLabel``, ``ckg:organization`` and
    ``ckg:role`` are read).

    For each entity: its preferred ``rdfs:label`` ``@zh`` (a curated thing's from the gazetteer,
    with its English label and other names; anything else the fullest name the articles use,
    :func:`~castkg.resolve.preferred_label`), and for each post its full title (its body's label and
    its name). A thing an article graph already labels (a graph made by castkg before 0.2, or by
    hand) keeps its own labels and gets none here. A pure function of the article graphs and the
    rules."""
    classes: dict[str, str] = {}
    for node, cls in _pairs(articles, RDF.type):
        if cls in NODE_CLASSES:
            classes[str(node)] = NODE_CLASSES[cls]  # type: ignore[index]
    names: dict[str, set[str]] = defaultdict(set)
    for node, name in _pairs(articles, SKOS.altLabel):
        names[str(node)].add(str(name))
    labelled = {str(node) for node, _ in _pairs(articles, RDFS.label)}  # by an older castkg, or by hand
    roles = {str(post): str(role) for post, role in _pairs(articles, CKG.role)}
    bodies: dict[str, set[str]] = defaultdict(set)
    for post, body in _pairs(articles, CKG.organization):
        bodies[str(post)].add(str(body))
    return _entity_graph(classes, names, labelled, roles, bodies, rules)


Labels = dict[tuple[str, frozenset[str]], str]
"""Preferred labels by class and names (:func:`~castkg.resolve.preferred_label`), kept between builds."""


ENTITY_CHUNK = 20_000
"""Subjects of the graph of entities per chunk of :func:`table_entity_chunks`: a streamed build
serialises one chunk at a time, so its memory holds a chunk's statements, not the graph's."""


def table_entity_chunks(
    table: EntityTable,
    rules: Rules,
    known: Labels | None = None,
    used: Labels | None = None,
    size: int | None = None,
) -> Iterator[list[tuple[str, str, str]]]:
    """The graph of entities of the article graphs gathered in ``table`` (:func:`to_lines`), the
    same as :func:`entity_graph` of those graphs, as N-Triples terms (subject IRI, predicate IRI,
    object), made without an rdflib graph, in chunks of the statements of at most ``size``
    subjects (default :data:`ENTITY_CHUNK`): each chunk's subjects sort after the last chunk's.
    Preferred labels are taken from ``known`` where there, and noted in ``used`` when given."""
    limit = size if size is not None else ENTITY_CHUNK
    if limit < 1:
        raise ValueError(f"a chunk holds at least one subject, not {limit}")
    table.settle()
    known = known if known is not None else {}

    def label_of(cls: str, names: set[str]) -> str:
        key = (cls, frozenset(names))
        label = known.get(key) if known else None
        if label is None:
            label = preferred_label(cls, names)
        if used is not None:
            used[key] = label
        return label

    subjects = _entity_subjects(
        table.classes, table.names, table.labelled, table.roles, table.organizations, rules, label_of
    )
    chunk: list[tuple[str, str, str]] = []
    count = 0
    for statements in subjects:
        chunk.extend(
            (node, str(predicate), str(ox.Literal(text, language=lang)))
            for node, predicate, text, lang in statements
        )
        count += 1
        if count == limit:
            yield chunk
            chunk, count = [], 0
    if chunk:
        yield chunk


def _entity_graph(
    classes: dict[str, str],
    names: dict[str, set[str]],
    labelled: set[str],
    roles: dict[str, str],
    bodies: dict[str, set[str]],
    rules: Rules,
) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    subjects = _entity_subjects(classes, names, labelled, roles, bodies, rules)
    for node, predicate, text, lang in chain.from_iterable(subjects):
        graph.add((URIRef(node), predicate, Literal(text, lang=lang)))
    return graph


_Statement = tuple[str, URIRef, str, str]
"""(node, predicate, text, language) of one statement of the graph of entities."""


def _entity_subjects(
    classes: dict[str, str],
    names: dict[str, set[str]],
    labelled: set[str],
    roles: dict[str, str],
    bodies: dict[str, set[str]],
    rules: Rules,
    label_of: Callable[[str, set[str]], str] = preferred_label,
) -> Iterator[list[_Statement]]:
    """The statements of the graph of entities, one list per subject, subjects in IRI order: each
    entity's preferred label (and English label, and the gazetteer's other names), each post's
    full title (its body's label and its role). Holds the labels of the posts' bodies only."""
    curated = {str(node): entry for node, entry in curated_nodes(rules).items()}
    entities = sorted(node for node in classes if node not in labelled)
    posts = sorted(post for post in bodies if post in roles and post not in labelled)

    def named(node: str) -> bool:
        return node in classes and node not in labelled and (node in curated or bool(names.get(node)))

    wanted = {body for post in posts for body in bodies[post] if named(body)}
    labels = {body: _labelled(body, classes, names, curated, label_of)[0] for body in sorted(wanted)}
    for node, _ in groupby(heapq.merge(entities, posts)):
        statements: list[_Statement] = []
        if named(node):
            label, others, entry = _labelled(node, classes, names, curated, label_of, labels.get(node))
            if entry is not None and entry.en:
                statements.append((node, RDFS.label, entry.en, "en"))
            statements.append((node, RDFS.label, label, "zh"))
            for other in sorted(others - {label, entry.en if entry else None}):
                statements.append((node, SKOS.altLabel, other, "en" if other.isascii() else "zh"))
        if node in roles and node in bodies and node not in labelled:
            for body in sorted(bodies[node]):
                if body in labels:
                    statements.append((node, RDFS.label, labels[body] + roles[node], "zh"))
        if statements:
            yield statements


def _labelled(
    node: str,
    classes: dict[str, str],
    names: dict[str, set[str]],
    curated: dict[str, GazetteerEntry],
    label_of: Callable[[str, set[str]], str],
    label: str | None = None,
) -> tuple[str, set[str], GazetteerEntry | None]:
    """An entity's preferred label (``label`` when already made), its other names and its
    gazetteer entry (None: not curated)."""
    entry = curated.get(node)
    if entry is not None:
        return entry.label, {*entry.aliases, *entry.known_as, *entry.en_aliases}, entry
    return (label if label is not None else label_of(classes[node], names[node])), set(), None
