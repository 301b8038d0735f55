"""Stage 5, map: resolved entities and facts → an rdflib Dataset on the contract's vocabulary.

One named graph per article (the graph IRI is the article's IRI) holds what that article
states: its own description, the entities it names (type, labels), the facts drawn from
it, each reified with the rule and the evidence sentence, its measures and posts. The
union of the graphs is the whole knowledge graph.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from castkg.graphs import bind_prefixes
from castkg.model import ArticleRecord, Entity, EntityKey, Fact, MeasureFact, PositionFact, Resolved
from castkg.namespace import CKG, CKR, ckg
from castkg.rules import Rules
from castkg.slugs import short_hash

DATATYPES = {"date": XSD.date, "integer": XSD.integer}


def zh(text: str) -> Literal:
    """A Chinese literal."""
    return Literal(text, lang="zh")


def decimal_literal(value: Decimal) -> Literal:
    """An ``xsd:decimal`` whose lexical form always has a decimal point (140000 → 140000.0)."""
    text = format(value, "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def to_dataset(resolved: Resolved, rules: Rules | None = None) -> Dataset:
    """The RDF Dataset of ``resolved``: one named graph per article."""
    dataset = Dataset()
    bind_prefixes(dataset)
    iri = {key: CKR[entity.slug] for key, entity in resolved.entities.items()}
    articles = {record.article.key: record for record in resolved.articles}
    named_by: dict[str, list[Entity]] = defaultdict(list)
    for entity in resolved.entities.values():
        for article in entity.articles:
            named_by[article].append(entity)
    for record in resolved.articles:
        graph = dataset.graph(_article_iri(record))
        _describe_article(graph, record, iri, named_by[record.article.key])
        for entity in named_by[record.article.key]:
            _describe_entity(graph, entity, iri[entity.key], record)
    for fact in resolved.facts:
        _state_fact(dataset.graph(_article_iri(articles[fact.article])), fact, iri, articles[fact.article])
    for measure in resolved.measures:
        _state_measure(dataset.graph(_article_iri(articles[measure.article])), measure, iri, articles)
    for position in resolved.positions:
        _state_position(dataset.graph(_article_iri(articles[position.article])), position, iri, articles)
    return dataset


def _article_iri(record: ArticleRecord) -> URIRef:
    return CKR[f"article_{record.slug}"]


def _describe_article(
    graph: Graph, record: ArticleRecord, iri: dict[EntityKey, URIRef], named: list[Entity]
) -> None:
    article, node = record.article, _article_iri(record)
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


def _describe_entity(graph: Graph, entity: Entity, node: URIRef, record: ArticleRecord) -> None:
    graph.add((node, RDF.type, ckg(entity.cls)))
    graph.add((node, RDFS.label, zh(entity.label)))
    for alt in entity.alt_labels_in(record.article.key):  # what this article says, so its graph stands alone
        graph.add((node, SKOS.altLabel, zh(alt)))
    if entity.en:
        graph.add((node, RDFS.label, Literal(entity.en, lang="en")))
    for alt in entity.en_alt_labels_in(record.article.key):
        graph.add((node, SKOS.altLabel, Literal(alt, lang="en")))
    graph.add((node, CKG.mentionedIn, _article_iri(record)))
    if entity.cls == "Event":
        for sentence in entity.evidence_in.get(record.article.key, ()):
            graph.add((node, CKG.evidence, zh(sentence)))


def _state_fact(graph: Graph, fact: Fact, iri: dict[EntityKey, URIRef], record: ArticleRecord) -> None:
    subject = iri[fact.subject]
    value: URIRef | Literal
    if fact.object is not None:
        value = iri[fact.object]
    elif fact.datatype in DATATYPES:
        value = Literal(fact.value, datatype=DATATYPES[fact.datatype])
    else:
        value = Literal(fact.value)
    predicate = ckg(fact.predicate)
    graph.add((subject, predicate, value))
    statement = CKR[f"fact_{short_hash(f'{subject} {predicate} {value} {record.slug}', 16)}"]
    graph.add((statement, RDF.type, RDF.Statement))
    graph.add((statement, RDF.subject, subject))
    graph.add((statement, RDF.predicate, predicate))
    graph.add((statement, RDF.object, value))
    graph.add((statement, CKG.rule, Literal(fact.rule)))
    graph.add((statement, PROV.wasDerivedFrom, _article_iri(record)))
    if fact.evidence:
        graph.add((statement, CKG.evidence, zh(fact.evidence)))


def _state_measure(
    graph: Graph, measure: MeasureFact, iri: dict[EntityKey, URIRef], articles: dict[str, ArticleRecord]
) -> None:
    node = CKR[f"measure_{measure.slug}"]
    owner = iri[measure.owner] if measure.owner in iri else _article_iri(articles[measure.article])
    graph.add((owner, CKG.measure, node))
    graph.add((node, RDF.type, CKG.Measure))
    graph.add((node, CKG.value, decimal_literal(measure.value)))
    graph.add((node, CKG.counts, zh(measure.counts)))
    if measure.counts_written:  # as written in traditional script, so either form of the name matches
        graph.add((node, CKG.counts, zh(measure.counts_written)))
    if measure.unit:
        graph.add((node, CKG.unit, zh(measure.unit)))
    if measure.qualifier:
        graph.add((node, CKG.qualifier, ckg(measure.qualifier)))
    if measure.evidence:
        graph.add((node, CKG.evidence, zh(measure.evidence)))
    graph.add((node, CKG.rule, Literal(measure.rule)))
    graph.add((node, PROV.wasDerivedFrom, _article_iri(articles[measure.article])))


def _state_position(
    graph: Graph, position: PositionFact, iri: dict[EntityKey, URIRef], articles: dict[str, ArticleRecord]
) -> None:
    if position.person not in iri or position.organization not in iri:
        return
    node = CKR[f"position_{position.slug}"]
    graph.add((iri[position.person], CKG.holds, node))
    graph.add((node, RDF.type, CKG.Position))
    graph.add((node, RDFS.label, zh(position.label)))
    graph.add((node, CKG.role, zh(position.role)))
    graph.add((node, CKG.organization, iri[position.organization]))
    if position.evidence:
        graph.add((node, CKG.evidence, zh(position.evidence)))
    graph.add((node, CKG.rule, Literal(position.rule)))
    graph.add((node, PROV.wasDerivedFrom, _article_iri(articles[position.article])))
