"""Each format twin of one bulletin (tests/inputs/formats/) gives the same facts as plain.txt.

Every twin is built alone. Its graph is reduced to readable facts ``(subject, property,
object)`` over the contract's classes and properties, each node named by what it is rather
than by its IRI: an entity as ``Class:label``, an article as ``Article:title``, a measure as
``Measure:value counts unit``, a position as ``Position:label``, a literal as its lexical form
with its language or datatype. The file node, ``ckg:sourceFile``, ``prov:wasDerivedFrom``
and the reification of facts are left out: they necessarily name the file. A failure lists
the facts only in plain.txt's graph and only in the twin's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

import castkg
from castkg.graphs import union_graph
from castkg.namespace import CKG, ENTITY_CLASSES
from conftest import INPUTS

FORMATS = INPUTS / "formats"
TWINS = ("gbk.txt", "bom_crlf.txt", "page.html", "page.md", "corpus.jsonl")
NAMED = (*ENTITY_CLASSES, "Article", "Measure", "Position")
SKIPPED = {CKG.sourceFile, CKG.rule}
KEPT = {RDF.type, RDFS.label, SKOS.altLabel}


def node_name(graph: Graph, node: object) -> str:
    if isinstance(node, Literal):
        return (
            f"{node}@{node.language}" if node.language else f"{node}^^{(node.datatype or '').rsplit('#')[-1]}"
        )
    classes = [
        str(c).rsplit("#")[-1]
        for c in graph.objects(node, RDF.type)  # type: ignore[arg-type]
        if str(c).rsplit("#")[-1] in NAMED and str(c).startswith(str(CKG._NS))
    ]
    if "Measure" in classes:
        value, counts, unit = (graph.value(node, p) for p in (CKG.value, CKG.counts, CKG.unit))  # type: ignore[arg-type]
        return f"Measure:{value} {counts} {unit or ''}".strip()
    labels = sorted(
        str(o)
        for o in graph.objects(node, RDFS.label)  # type: ignore[arg-type]
        if isinstance(o, Literal) and o.language == "zh"
    )
    if classes and labels:
        return f"{'/'.join(sorted(classes))}:{labels[0]}"
    if str(node).startswith(str(CKG._NS)):
        return f"ckg:{str(node).rsplit('#')[-1]}"
    return f"<unnamed {node}>"


def facts(graph: Graph, ignore: frozenset[URIRef] = frozenset()) -> set[tuple[str, str, str]]:
    """The graph's contract facts with nodes named by class and label; see the module docstring."""
    out = set()
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    for s, p, o in graph:
        if s in statements or p in SKIPPED or p in ignore:
            continue
        if not (str(p).startswith(str(CKG._NS)) or p in KEPT):
            continue
        if p == RDF.type and not str(o).startswith(str(CKG._NS)):
            continue
        subject = node_name(graph, s)
        if subject.startswith("<unnamed"):
            continue  # the file node
        out.add((subject, str(p).rsplit("#")[-1].rsplit("/")[-1], node_name(graph, o)))
    return out


def build_alone(path: Path) -> Graph:
    dataset: Dataset = castkg.build([path])
    return union_graph(dataset)


@pytest.fixture(scope="module")
def plain_facts() -> set[tuple[str, str, str]]:
    result = facts(build_alone(FORMATS / "plain.txt"))
    assert any(p == "type" and o == "ckg:Article" for _, p, o in result) and len(result) > 20
    return result


def diff(expected: set, actual: set, name: str) -> str:
    lines = [f"only in plain.txt: {' | '.join(f)}" for f in sorted(expected - actual)]
    lines += [f"only in {name}: {' | '.join(f)}" for f in sorted(actual - expected)]
    return "\n".join(lines)


def test_plain_has_the_bulletins_facts(plain_facts: set[tuple[str, str, str]]) -> None:
    """The control: the reference graph holds both articles and facts read off the text."""
    titles = {s for s, p, o in plain_facts if s.startswith("Article:")}
    assert titles == {"Article:第二十一届中国科协年会在哈尔滨开幕", "Article:2019年全国科普日活动精彩纷呈"}
    assert ("Article:第二十一届中国科协年会在哈尔滨开幕", "datePublished", "2019-07-01^^date") in plain_facts
    assert any(p == "organizer" for _, p, _ in plain_facts)


@pytest.mark.parametrize("twin", TWINS)
def test_twin_gives_the_same_facts(twin: str, plain_facts: set[tuple[str, str, str]]) -> None:
    # corpus.jsonl's first record carries its own date (2019-06-30) while its text is signed
    # 2019-07-01, so the date an article is published on may differ there, and only there.
    ignore = frozenset({CKG.datePublished}) if twin.endswith(".jsonl") else frozenset()
    expected = {f for f in plain_facts if not ignore or f[1] != "datePublished"}
    actual = facts(build_alone(FORMATS / twin), ignore)
    assert actual == expected, f"{twin} differs from plain.txt:\n{diff(expected, actual, twin)}"
