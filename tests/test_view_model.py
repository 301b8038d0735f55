"""The view model: which RDF resources become nodes and edges, what the details hold, and narrowing."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDFS, Dataset, Graph, Literal, URIRef

from castkg.errors import InputError
from castkg.view import ontology
from castkg.view.model import (
    POST,
    View,
    find_node,
    hub_threshold,
    hubs,
    is_weak,
    select,
    to_networkx,
    to_view,
    written_amount,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE = FIXTURES / "view_mini.ttl"
CKR = "https://w3id.org/castkg/id/"
CKG = "https://w3id.org/castkg/ontology#"
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
    links = {(e.source, e.property, e.target) for e in view.edges if e.property != POST}
    assert links == expected
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
    assert facts[CKG + "startDate"] == "2021-02-10" and facts[CKG + "endDate"] == "2021-02-12"
    assert (event.start, event.end) == ("2021-02-10", "2021-02-12")
    assert [name for name, _ in event.facts] == [CKG + "startDate", CKG + "endDate"]  # links are edges
    assert len(event.measures) == 1 and event.measures[0].text == "超300人参会者"
    assert "中国科协主办第一届示例年会。" in event.evidence  # from the reified statement
    assert event.articles[0].title == "示例新闻一"
    assert (event.articles[0].date, event.articles[0].file) == ("2021-03-01", "inputs/example.txt")


def test_labels_english_and_aliases(view: View) -> None:
    cast = node(view, "org-cast")
    assert cast.label == "中国科协"
    assert cast.label_en == "China Association for Science and Technology"
    assert set(cast.aliases) == {"CAST", "中国科学技术协会"}
    person = node(view, "person-a")
    assert person.facts == ()  # the Position is no node and no fact: it is the post edge


def test_a_post_is_a_person_to_body_edge_labelled_with_the_post(view: View) -> None:
    posts = [e for e in view.edges if e.property == POST]
    assert [(e.source, e.target, e.label) for e in posts] == [(CKR + "person-a", CKR + "org-dept", "部长")]
    assert not any(n.id.endswith("position-a") for n in view.nodes)


def test_posts_in_time_from_an_org_membership_and_their_evidence() -> None:
    view = to_view(Graph().parse(FIXTURES / "view_explore.ttl"))
    posts = {e.label: e for e in view.edges if e.property == POST}
    assert set(posts) == {"主席", "理事长"}
    head = posts["理事长"]
    assert (head.source, head.target) == (CKR + "person-head", CKR + "org-second")
    assert (head.start, head.end) == ("2019-01-01", "2020-12-31")
    chair = posts["主席"]
    assert chair.evidence == ("王示例当选示例总会主席。",) and chair.articles == (CKR + "article-a",)
    assert (chair.start, chair.end) == ("", "")


def test_involves_is_weak_in_one_place_and_nothing_else_is(view: View) -> None:
    assert is_weak(CKG + "involves")
    assert not any(is_weak(CKG + p) for p in ("organizer", "partOf", "location", "holds"))
    explore = to_view(Graph().parse(FIXTURES / "view_explore.ttl"))
    assert {e.property for e in explore.edges if e.weak} == {CKG + "involves"}


def test_relation_types_are_read_from_the_graph_whatever_they_are(graph: Graph) -> None:
    extended = Graph()
    extended += graph
    advises = URIRef("https://example.org/advises")
    extended.add((URIRef(CKR + "person-a"), advises, URIRef(CKR + "org-cast")))
    extended.add((advises, RDFS.label, Literal("顾问", lang="zh")))
    extended.add((advises, RDFS.label, Literal("adviser of", lang="en")))
    view = to_view(extended)
    edge = next(e for e in view.edges if e.property == str(advises))
    assert edge.label == "顾问" and not edge.weak
    assert (str(advises), "顾问", "adviser of") in view.properties


@pytest.mark.parametrize(
    "value, text",
    [
        ("5000000", "500万"),
        ("120000000", "1.2亿"),
        ("3903800", "390.38万"),
        ("140000", "14万"),
        ("10000", "1万"),
        ("12345", "12345"),  # 1.2345万 is not how anyone writes it
        ("3500", "3500"),
        ("100", "100"),
        ("0.5", "0.5"),
        ("95.50", "95.5"),
        ("350000000", "3.5亿"),
        ("123456789", "123456789"),
    ],
)
def test_numbers_read_in_wan_and_yi_as_written(value: str, text: str) -> None:
    assert written_amount(Decimal(value)) == text


def test_measures_read_with_their_qualifier_and_multiplier() -> None:
    view = to_view(Graph().parse(FIXTURES / "view_explore.ttl"))
    launch = node(view, "event-launch")
    assert [m.text for m in launch.measures] == ["约500万人次访问", "超1.2亿元投入"]


def test_degree_counts_edges(view: View) -> None:
    assert node(view, "org-cast").degree == 3
    assert node(view, "org-dept").degree == 2  # its parent and the post held in it
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
    assert orgs.spare == ()  # what the classes leave out is not kept to expand into
    top = select(view, max_nodes=2)
    assert {n.label for n in top.nodes} == {"第一届示例年会", "中国科协"}  # degree 3 each
    assert top.omitted == len(view.nodes) - 2 and top.max_nodes == 2
    assert {n.id for n in top.spare} == {n.id for n in view.nodes} - {n.id for n in top.nodes}
    assert all(
        e.source not in {n.id for n in top.nodes} or e.target not in {n.id for n in top.nodes}
        for e in top.spare_edges
    )
    assert len(top.edges) + len(top.spare_edges) == len(view.edges)
    with pytest.raises(InputError, match="unknown class Persons"):
        select(view, classes=["Persons"])


@pytest.fixture(scope="module")
def explore() -> View:
    return to_view(Graph().parse(FIXTURES / "view_explore.ttl"))


def test_a_hub_is_far_above_the_rest(explore: View) -> None:
    assert hubs(explore) == {CKR + "org-hub"}  # 16 links; every other entity has at most 6
    assert hub_threshold([1, 1, 2, 2, 3, 3, 4, 40]) >= 9  # never below HUB_MIN_DEGREE - 1
    assert hub_threshold([2] * 40 + [30]) == 9  # no spread: the least hub has 10 links
    assert hub_threshold([1, 2, 3, 5, 8, 13, 21, 34, 55]) > 55  # a smooth tail has no hub
    assert hubs(explore, min_degree=6) == {CKR + "org-hub", CKR + "org-second"}


def test_focus_does_not_walk_through_hubs_unless_asked(explore: View) -> None:
    near = select(explore, focus="示例平台", depth=2)
    labels = {n.label for n in near.nodes}
    assert labels == {"示例平台", "示例总会", "示例平台启动仪式", "甲市", "赵示例"}
    assert near.focus == CKR + "platform-p" and near.walled == (CKR + "org-hub",)
    through = select(explore, focus="示例平台", depth=2, through_hubs=True)
    assert {f"示例总会第{n}次例会" for n in range(1, 13)} <= {n.label for n in through.nodes}
    assert through.walled == ()
    hub_first = select(explore, focus="示例总会", depth=1)  # the focus itself is always walked from
    assert len(hub_first.nodes) == 17 and hub_first.walled == ()  # itself and its 16 neighbours


def test_max_nodes_keeps_the_focus(explore: View) -> None:
    small = select(explore, focus="赵示例", depth=3, through_hubs=True, max_nodes=2)
    assert CKR + "person-guest" in {n.id for n in small.nodes} and len(small.nodes) == 2


def test_communities_split_the_two_groups(explore: View) -> None:
    group = {n.label: n.community for n in explore.nodes}
    assert group["示例总会第1次例会"] == group["示例总会"] == group["王示例"]
    assert group["另一学会专题论坛1"] == group["另一学会"] == group["李示例"] == group["乙市"]
    assert group["示例总会"] != group["另一学会"]
    sizes = [sum(1 for n in explore.nodes if n.community == c) for c in range(max(group.values()) + 1)]
    assert sizes == sorted(sizes, reverse=True)  # numbered by size, largest first


def test_networkx_projection_has_labels_and_classes(view: View) -> None:
    network = to_networkx(view)
    assert network.number_of_nodes() == len(view.nodes)
    assert network.number_of_edges() == len(view.edges)
    assert network.nodes[CKR + "org-cast"]["class"] == "Organization"
    assert network.nodes[CKR + "org-cast"]["label"] == "中国科协"
