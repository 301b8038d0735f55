"""The view model: which RDF resources become nodes and edges, what the details hold, and narrowing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from castkg.errors import InputError
from castkg.view import ontology
from castkg.view.model import View, find_node, select, to_networkx, to_view

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "view_mini.ttl"
CKR = "https://w3id.org/castkg/id/"
ENTITY_QUERY = """
PREFIX ckg: <https://w3id.org/castkg/ontology#>
SELECT DISTINCT ?e WHERE {
  ?e a ?c . VALUES ?c { ckg:Organization ckg:Platform ckg:Event ckg:Initiative ckg:Award ckg:Person
                        ckg:Place ckg:Publication } }"""


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(FIXTURE)


@pytest.fixture(scope="module")
def view(graph: Graph) -> View:
    return to_view(graph)


def node(view: View, local: str):
    return next(n for n in view.nodes if n.id == CKR + local)


def test_nodes_are_the_entities_and_nothing_else(graph: Graph, view: View) -> None:
    entities = {str(row[0]) for row in graph.query(ENTITY_QUERY)}
    assert {n.id for n in view.nodes} == entities
    ids = {n.id for n in view.nodes}
    assert not any(part in i for i in ids for part in ("article", "measure", "position"))
    assert [n.id for n in view.nodes] == sorted(ids)


def test_edges_are_entity_links_labelled_by_property(graph: Graph, view: View) -> None:
    ids = {URIRef(n.id) for n in view.nodes}
    expected = {(str(s), str(p), str(o)) for s, p, o in graph if s in ids and o in ids}
    assert {(e.source, e.property, e.target) for e in view.edges} == expected
    assert not any(e.property.endswith("22-rdf-syntax-ns#type") for e in view.edges)
    organizer = next(e for e in view.edges if e.property.endswith("#organizer"))
    assert organizer.label == "organizer"  # no vocabulary given: the local name


def test_property_labels_come_from_the_ontology_when_given(graph: Graph) -> None:
    vocabulary = ontology()
    if vocabulary is None:
        pytest.skip("ontology/castkg.ttl is not there")
    view = to_view(graph, vocabulary=vocabulary)
    organizer = next(e for e in view.edges if e.property.endswith("#organizer"))
    assert organizer.label != "organizer" and organizer.label


def test_details_hold_literals_measures_evidence_and_articles(view: View) -> None:
    event = node(view, "event-meeting")
    assert event.cls == "Event" and event.label == "第一届示例年会"
    facts = dict(event.facts)
    assert facts["startDate"] == "2021-02-10" and facts["endDate"] == "2021-02-12"
    assert facts["location"] == "上海" and facts["organizer"] == "中国科协"
    assert [name for name, _ in event.facts][:2] == ["startDate", "endDate"]
    assert len(event.measures) == 1 and "300" in event.measures[0].text and "参会者" in event.measures[0].text
    assert event.measures[0].text.startswith("超过")
    assert "中国科协主办第一届示例年会。" in event.evidence  # from the reified statement
    assert event.articles[0].title == "示例新闻一"
    assert (event.articles[0].date, event.articles[0].file) == ("2021-03-01", "inputs/example.txt")


def test_labels_english_and_aliases(view: View) -> None:
    cast = node(view, "org-cast")
    assert cast.label == "中国科协"
    assert cast.label_en == "China Association for Science and Technology"
    assert set(cast.aliases) == {"CAST", "中国科学技术协会"}
    person = node(view, "person-a")
    assert ("holds", "中国科协示例部部长") in person.facts  # the Position is a detail, not a node


def test_degree_counts_edges(view: View) -> None:
    assert node(view, "org-cast").degree == 3
    assert node(view, "award-x").degree == 0


def test_same_graph_in_any_order_gives_the_same_view(graph: Graph, view: View) -> None:
    triples = list(graph)
    random.Random(3).shuffle(triples)
    shuffled = Graph()
    for triple in triples:
        shuffled.add(triple)
    assert to_view(shuffled) == view


def test_dataset_is_read_as_its_union(graph: Graph, view: View) -> None:
    dataset = Dataset()
    for index, triple in enumerate(sorted(graph)):
        dataset.graph(URIRef(f"{CKR}article-{index % 2}")).add(triple)
    assert to_view(dataset).nodes == view.nodes


def test_find_node_by_alias_ignoring_quotes_and_case(view: View) -> None:
    assert find_node(view, "cast").id == CKR + "org-cast"
    assert find_node(view, "“科创中国”").id == CKR + "platform-kczg"
    with pytest.raises(InputError, match="close names: 中国科协"):
        find_node(view, "科协")


def test_select_focus_depth(view: View) -> None:
    one = select(view, focus="科创中国", depth=1)
    assert {n.label for n in one.nodes} == {"科创中国", "中国科协"}
    assert one.omitted == len(view.nodes) - 2
    two = select(view, focus="科创中国", depth=2)
    assert {n.label for n in two.nodes} == {"科创中国", "中国科协", "中国科协示例部", "第一届示例年会"}
    assert all(
        e.source in {n.id for n in two.nodes} and e.target in {n.id for n in two.nodes} for e in two.edges
    )


def test_select_classes_and_max_nodes(view: View) -> None:
    orgs = select(view, classes=["Organization"])
    assert {n.cls for n in orgs.nodes} == {"Organization"} and len(orgs.edges) == 1
    top = select(view, max_nodes=2)
    assert {n.label for n in top.nodes} == {"第一届示例年会", "中国科协"}  # degree 3 each
    assert top.omitted == len(view.nodes) - 2
    with pytest.raises(InputError, match="unknown class Persons"):
        select(view, classes=["Persons"])


def test_networkx_projection_has_labels_and_classes(view: View) -> None:
    network = to_networkx(view)
    assert network.number_of_nodes() == len(view.nodes)
    assert network.number_of_edges() == len(view.edges)
    assert network.nodes[CKR + "org-cast"]["class"] == "Organization"
    assert network.nodes[CKR + "org-cast"]["label"] == "中国科协"
