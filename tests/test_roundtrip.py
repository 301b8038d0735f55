"""The written files say exactly what the built graph holds, read by an independent parser.

castkg.ttl and castkg.trig of the seed + data build are re-parsed by pyoxigraph (Rust, not
rdflib) and compared, as sets, with the triples and quads of the Dataset rdflib serialised:
rdflib terms are turned into pyoxigraph terms one by one (IRI, language-tagged or typed
literal), so both sides are compared in pyoxigraph's canonical form. Then the structure the
contract promises: one named graph per article, named by the article's IRI, holding its
``prov:wasDerivedFrom`` its file; provenance on every reified fact; evidence on every
Event, Measure and Position.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

import castkg
from castkg.graphs import union_graph
from castkg.mapping import ENTITIES
from castkg.namespace import CKG
from castkg.write import write_graph
from conftest import ROOT, full_build_inputs


def ox_term(term: object) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise AssertionError(f"not an IRI or literal: {term!r}")  # blank nodes are not allowed at all


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Path]:
    out = tmp_path_factory.mktemp("roundtrip")
    dataset = castkg.build(full_build_inputs())
    write_graph(dataset, out)
    return dataset, out


def named_graphs(dataset: Dataset) -> list[Graph]:
    return [g for g in dataset.graphs() if len(g) and g.identifier != dataset.default_graph.identifier]


def test_turtle_reparses_to_the_same_triples(built: tuple[Dataset, Path]) -> None:
    dataset, out = built
    written = {ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in union_graph(dataset)}
    quads = list(ox.parse(path=str(out / "castkg.ttl"), format=ox.RdfFormat.TURTLE))
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    parsed = {q.triple for q in quads}
    assert len(parsed) == len(quads), "the Turtle file states a triple twice"
    assert len(written) > 1000
    only_written, only_parsed = written - parsed, parsed - written
    assert not only_written and not only_parsed, (
        "only in rdflib's graph:\n"
        + "\n".join(map(str, sorted(only_written, key=str)[:20]))
        + "\nonly in pyoxigraph's parse:\n"
        + "\n".join(map(str, sorted(only_parsed, key=str)[:20]))
    )


def test_trig_reparses_to_the_same_quads(built: tuple[Dataset, Path]) -> None:
    dataset, out = built
    written = {
        ox.Quad(ox_term(s), ox_term(p), ox_term(o), ox.NamedNode(str(g.identifier)))
        for g in named_graphs(dataset)
        for s, p, o in g
    }
    parsed = set(ox.parse(path=str(out / "castkg.trig"), format=ox.RdfFormat.TRIG))
    assert not any(isinstance(q.graph_name, ox.DefaultGraph) for q in parsed), "TriG holds a default graph"
    only_written, only_parsed = written - parsed, parsed - written
    assert not only_written and not only_parsed, (
        "only in rdflib's dataset:\n"
        + "\n".join(map(str, sorted(only_written, key=str)[:20]))
        + "\nonly in pyoxigraph's parse:\n"
        + "\n".join(map(str, sorted(only_parsed, key=str)[:20]))
    )


@pytest.fixture(scope="module")
def trig(built: tuple[Dataset, Path]) -> Dataset:
    parsed = Dataset()
    parsed.parse(built[1] / "castkg.trig", format="trig")
    return parsed


def test_every_article_is_its_own_named_graph(trig: Dataset) -> None:
    """Every named graph but one is an article's; the one is the graph of the entities' labels."""
    graphs = {g.identifier: g for g in named_graphs(trig) if g.identifier != ENTITIES}
    labels = trig.graph(ENTITIES)
    assert len(labels) > 100 and {p for _, p, _ in labels} == {RDFS.label, SKOS.altLabel}
    articles = {s for s, _, _, _ in trig.quads((None, RDF.type, CKG.Article, None))}
    assert articles, "no articles"
    assert set(graphs) == articles, "graph IRIs and article IRIs differ"
    for iri, graph in graphs.items():
        assert (iri, RDF.type, CKG.Article) in graph
        files = list(graph.objects(iri, PROV.wasDerivedFrom))
        assert len(files) == 1, f"{iri}: prov:wasDerivedFrom {files}"
        source = graph.value(files[0], CKG.sourceFile)
        assert source is not None, f"{files[0]} has no ckg:sourceFile in {iri}'s graph"
        assert source == graph.value(iri, CKG.sourceFile)
        path = Path(str(source))
        assert (path if path.is_absolute() else ROOT / path).is_file(), f"{source} is not an input file"


def test_every_input_file_has_articles(trig: Dataset) -> None:
    sources = {str(o) for _, _, o, _ in trig.quads((None, CKG.sourceFile, None, None))}
    names = {Path(s).name for s in sources}
    expected = {p.name for folder in full_build_inputs() for p in folder.glob("*.txt")}
    assert expected <= names, f"no article from {sorted(expected - names)}"


def test_every_statement_has_rule_and_provenance(trig: Dataset) -> None:
    statements = 0
    for graph in named_graphs(trig):
        if graph.identifier == ENTITIES:
            continue
        for statement in graph.subjects(RDF.type, RDF.Statement):
            statements += 1
            assert graph.value(statement, CKG.rule) is not None, f"{statement}: no ckg:rule"
            assert graph.value(statement, PROV.wasDerivedFrom) == graph.identifier, f"{statement}: provenance"
            s, p, o = (graph.value(statement, x) for x in (RDF.subject, RDF.predicate, RDF.object))
            assert (s, p, o) in graph, f"{statement} reifies a triple its graph does not state"
    assert statements > 100


@pytest.mark.parametrize("cls", ["Event", "Measure", "Position"])
def test_evidence_on_events_measures_positions(trig: Dataset, cls: str) -> None:
    nodes = {s for s, _, _, _ in trig.quads((None, RDF.type, CKG[cls], None))}
    assert nodes, f"no ckg:{cls} at all"
    with_evidence = {s for s, _, _, _ in trig.quads((None, CKG.evidence, None, None))}
    without = sorted(str(n) for n in nodes - with_evidence)
    assert without == [], f"{len(without)} of {len(nodes)} ckg:{cls} lack ckg:evidence: {without[:10]}"
    for _, _, o, _ in trig.quads((None, CKG.evidence, None, None)):
        assert isinstance(o, Literal) and o.language == "zh" and o.strip() and "  " not in o and "\n" not in o


def test_no_blank_nodes(trig: Dataset) -> None:
    assert not any(isinstance(t, BNode) for q in trig.quads((None, None, None, None)) for t in q[:3])
