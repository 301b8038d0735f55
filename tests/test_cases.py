"""Golden cases: small bulletins, each about one behaviour, and the triples their graph must hold.

Each folder ``tests/cases/<case>/`` holds ``input.txt`` (a short bulletin written for the
test, in CAST news style; a case about several files adds ``input2.txt`` …, all built together),
``expected.ttl`` (triples the build MUST contain, written by hand from the text and the contract)
and optionally ``absent.ttl`` (triples it must NOT contain; a handle there that says only its
types and label is a node that must not be built at all).

The expected files name nodes with IRIs of a helper namespace ``x: <urn:castkg-case:>``
whose local names are mere handles. A handle is bound to the built graph's nodes by what it
says about itself: a handle with an ``rdfs:label "…"@zh`` is the node of that label (labels
compared as the contract compares names: NFKC, no whitespace, no quote marks) and of each
``rdf:type`` given, and where several nodes have that label (two meetings of one name on two
days), the one that has its literal values; two such handles bound to one node are two things
merged, and reported. A handle without a label (a Measure) is the node of its types that has
all of its literal and ``ckg:`` values (``ckg:counts`` only narrows the choice, so that a
wrong one is reported as that one triple). Numbers compare by value; ``@zh`` names and what a
measure counts compare as names (NFKC, no whitespace or quote marks). A failure lists
"only in expected:" (or "present but forbidden:") lines with labels, not IRIs.

``tests/cases/_writer/`` is different: a byte-exact test of the Turtle writer on a tiny
hand-built Dataset. Regenerate its expected.ttl, after checking the change is wanted, with
``python tests/test_cases.py --regenerate-writer``.
"""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

sys.path.insert(0, str(Path(__file__).resolve().parent))  # conftest's helpers when run as a script

import castkg  # noqa: E402
from castkg.graphs import bind_prefixes, union_graph  # noqa: E402
from castkg.mapping import decimal_literal  # noqa: E402
from castkg.namespace import CKG, CKR  # noqa: E402
from castkg.rules import Rules, name_key  # noqa: E402
from castkg.write import write_graph  # noqa: E402

CASES = Path(__file__).resolve().parent / "cases"
X = "urn:castkg-case:"
NUMERIC = {XSD.decimal, XSD.integer, XSD.double, XSD.float}

XFAIL: dict[str, str] = {}
"""Case → why the behaviour is not implemented yet (strict: the case must fail while listed)."""


def case_names() -> list[str]:
    return sorted(
        p.name for p in CASES.iterdir() if (p / "input.txt").is_file() and not p.name.startswith("_")
    )


def params() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(reason=XFAIL[name], strict=True))
        if name in XFAIL
        else name
        for name in case_names()
    ]


# --- matching handles to built nodes ----------------------------------------------------


def is_handle(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(X)


def literal_matches(expected: Literal, actual: object, predicate: URIRef) -> bool:
    if not isinstance(actual, Literal):
        return False
    if expected.datatype in NUMERIC and actual.datatype in NUMERIC:
        try:
            return Decimal(str(expected)) == Decimal(str(actual))
        except InvalidOperation:
            return False
    if (
        expected.language
        and expected.language == actual.language
        and predicate in (RDFS.label, SKOS.altLabel, CKG.counts)
    ):
        return name_key(str(expected)) == name_key(str(actual))
    return expected == actual


class Binder:
    """Binds the expected file's handles to the built graph's nodes."""

    def __init__(self, expected: Graph, actual: Graph) -> None:
        self.expected, self.actual = expected, actual
        self.cache: dict[URIRef, set[object]] = {}

    def describe(self, term: object) -> str:
        if is_handle(term):
            label = self.expected.value(term, RDFS.label)  # type: ignore[arg-type]
            types = "/".join(sorted(str(t).rsplit("#")[-1] for t in self.expected.objects(term, RDF.type)))  # type: ignore[arg-type]
            return f"{types}“{label}”" if label is not None else f"{types}[{str(term)[len(X) :]}]"
        if isinstance(term, Literal):
            return term.n3()
        return str(term).replace(str(CKG._NS), "ckg:").replace(str(RDFS), "rdfs:").replace(str(RDF), "rdf:")

    def nodes(self, handle: URIRef) -> set[object]:
        if handle not in self.cache:
            self.cache[handle] = set()  # guards against cycles while binding
            self.cache[handle] = self._bind(handle)
        return self.cache[handle]

    def _bind(self, handle: URIRef) -> set[object]:
        types = set(self.expected.objects(handle, RDF.type))
        labels = [
            o
            for o in self.expected.objects(handle, RDFS.label)
            if isinstance(o, Literal) and o.language == "zh"
        ]
        candidates = {s for s in self.actual.subjects() if isinstance(s, URIRef)}
        candidates = {s for s in candidates if types <= set(self.actual.objects(s, RDF.type))}
        own = [
            (p, o) for p, o in self.expected.predicate_objects(handle) if p != RDF.type and not is_handle(o)
        ]
        if labels:
            named = {
                s
                for s in candidates
                if any(literal_matches(labels[0], o, RDFS.label) for o in self.actual.objects(s, RDFS.label))
            }
            literal = [
                (p, o) for p, o in own if isinstance(o, Literal) and p not in (RDFS.label, SKOS.altLabel)
            ]
            narrower = {s for s in named if all(self.holds(s, p, o) for p, o in literal)}
            return narrower if len(named) > 1 and narrower else named
        found = {s for s in candidates if all(self.holds(s, p, o) for p, o in own if p != CKG.counts)}
        narrower = {s for s in found if all(self.holds(s, p, o) for p, o in own if p == CKG.counts)}
        return narrower or found  # so a wrong ckg:counts is reported as that one triple

    def holds(self, subject: object, predicate: URIRef, obj: object) -> bool:
        values = list(self.actual.objects(subject, predicate))  # type: ignore[arg-type]
        if is_handle(obj):
            return bool(set(values) & self.nodes(obj))  # type: ignore[arg-type]
        if isinstance(obj, Literal):
            return any(literal_matches(obj, v, predicate) for v in values)
        return obj in values

    def triple_holds(self, s: object, p: URIRef, o: object) -> bool:
        subjects = self.nodes(s) if is_handle(s) else {s}  # type: ignore[arg-type]
        return any(self.holds(subject, p, o) for subject in subjects)

    def line(self, s: object, p: URIRef, o: object) -> str:
        return f"{self.describe(s)}  {self.describe(p)}  {self.describe(o)}"

    def built_values(self, s: object, p: URIRef) -> str:
        """What the build says instead, for a failure message."""
        subjects = self.nodes(s) if is_handle(s) else {s}  # type: ignore[arg-type]
        if not subjects:
            return "   (no such node in the build)"
        values = sorted(
            {
                v.n3() if isinstance(v, Literal) else self._label(v)
                for subject in subjects
                for v in self.actual.objects(subject, p)
            }
        )  # type: ignore[arg-type]
        return f"   (built: {', '.join(values[:6])})" if values else "   (built: none)"

    def _label(self, node: object) -> str:
        label = self.actual.value(node, RDFS.label)  # type: ignore[arg-type]
        return f"“{label}”" if label is not None else str(node).replace(str(CKG._NS), "ckg:")


def load_expected(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def case_inputs(name: str) -> list[Path]:
    """A case's bulletins: input.txt, then input2.txt … (files built together)."""
    return sorted((CASES / name).glob("input*.txt"), key=lambda p: (len(p.name), p.name))


@pytest.fixture(scope="module")
def built(shipped_rules: Rules) -> dict[str, Graph]:
    """Every case built alone, once, with the rules loaded once (conftest's ``shipped_rules``)."""
    return {name: union_graph(castkg.build(case_inputs(name), rules=shipped_rules)) for name in case_names()}


@pytest.mark.parametrize("name", params())
def test_case(name: str, built: dict[str, Graph]) -> None:
    actual = built[name]
    expected = load_expected(CASES / name / "expected.ttl")
    assert len(expected) > 0
    binder = Binder(expected, actual)
    problems = []
    bound: dict[object, list[URIRef]] = {}
    for handle in sorted({s for s in expected.subjects() if is_handle(s)}):
        found = binder.nodes(handle)  # type: ignore[arg-type]
        if len(found) > 1 and expected.value(handle, RDFS.label) is not None:
            problems.append(
                f"one thing, several nodes: {binder.describe(handle)} → {sorted(map(str, found))}"
            )
        if len(found) == 1 and expected.value(handle, RDFS.label) is not None:
            bound.setdefault(next(iter(found)), []).append(handle)  # type: ignore[arg-type]
    problems += [
        f"two things, one node: {' and '.join(map(binder.describe, handles))} → {node}"
        for node, handles in bound.items()
        if len(handles) > 1
    ]
    missing = sorted(
        binder.line(s, p, o) + binder.built_values(s, p)
        for s, p, o in expected
        if not binder.triple_holds(s, p, o)
    )
    problems += [f"only in expected: {line}" for line in missing]
    absent = CASES / name / "absent.ttl"
    if absent.is_file():
        forbidden = load_expected(absent)
        binder_absent = Binder(forbidden, actual)
        problems += [
            f"present but forbidden: {binder_absent.line(s, p, o)}"
            for s, p, o in sorted(forbidden)
            if p not in (RDF.type, RDFS.label) and binder_absent.triple_holds(s, p, o)
        ]
        problems += [  # a handle that says only its types and label: no such node may be built
            f"present but forbidden: a node {binder_absent.describe(handle)}"
            for handle in sorted({s for s in forbidden.subjects() if is_handle(s)})
            if set(forbidden.predicates(handle)) <= {RDF.type, RDFS.label}
            and (None, None, handle) not in forbidden
            and binder_absent.nodes(handle)
        ]
    assert not problems, f"case {name}:\n" + "\n".join(problems)


def test_every_case_has_an_expected_file() -> None:
    names = case_names()
    assert len(names) >= 9, names
    for name in names:
        assert (CASES / name / "expected.ttl").is_file(), f"{name} has no expected.ttl"


def test_the_matcher_can_fail(built: dict[str, Graph]) -> None:
    """The control: a wrong date, a wrong organizer and an unknown label are all reported."""
    wrong = Graph().parse(
        data="""
        @prefix ckg: <https://w3id.org/castkg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix x: <urn:castkg-case:> .
        x:m a ckg:Event ; rdfs:label "中国科协2022年第12次党组会议"@zh ;
            ckg:startDate "2022-06-09"^^xsd:date ;
            ckg:organizer x:o .
        x:o a ckg:Organization ; rdfs:label "中国科协办公厅"@zh .
        x:n a ckg:Person ; rdfs:label "无此人"@zh .
    """,
        format="turtle",
    )
    binder = Binder(wrong, built["chaired_meeting"])
    failing = {binder.line(s, p, o) for s, p, o in wrong if not binder.triple_holds(s, p, o)}
    assert any("startDate" in line for line in failing)
    assert any("organizer" in line for line in failing)
    assert any("无此人" in line for line in failing)
    assert not any("rdfs:label" in line and "党组会议" in line for line in failing)


# --- the byte-exact writer test --------------------------------------------------------------

WRITER = CASES / "_writer"


def writer_dataset() -> Dataset:
    """A tiny Dataset covering what the writer must render: prefixes, @zh and @en labels, quote
    marks and a backslash inside a literal, dates, decimals, integers, two named graphs."""
    dataset = Dataset()
    bind_prefixes(dataset)
    first, second = CKR["article_demo-1"], CKR["article_demo-2"]
    cast, meeting, measure = CKR["org_cast"], CKR["event_demo"], CKR["measure_demo-1-1"]
    g1 = dataset.graph(first)
    g1.add((first, RDF.type, CKG.Article))
    g1.add((first, RDFS.label, Literal("中国科协召开“示范”会议", lang="zh")))
    g1.add((first, CKG.datePublished, Literal("2021-01-29", datatype=XSD.date)))
    g1.add((first, CKG.sourceFile, Literal("data/demo.txt")))
    g1.add((first, PROV.wasDerivedFrom, CKR["file_demo"]))
    g1.add((first, CKG.mentions, cast))
    g1.add((cast, RDF.type, CKG.Organization))
    g1.add((cast, RDFS.label, Literal("中国科协", lang="zh")))
    g1.add((cast, RDFS.label, Literal("China Association for Science and Technology", lang="en")))
    g1.add((cast, SKOS.altLabel, Literal("中国科学技术协会", lang="zh")))
    g1.add((cast, CKG.mentionedIn, first))
    g1.add((meeting, RDF.type, CKG.Event))
    g1.add((meeting, RDFS.label, Literal('示范\\会议 "甲"', lang="zh")))
    g1.add((meeting, CKG.organizer, cast))
    g1.add((meeting, CKG.startDate, Literal("2021-01-28", datatype=XSD.date)))
    g1.add((meeting, CKG.rank, Literal(3, datatype=XSD.integer)))
    g1.add((meeting, CKG.measure, measure))
    g1.add((measure, RDF.type, CKG.Measure))
    g1.add((measure, CKG.value, decimal_literal(Decimal("140000"))))
    g1.add((measure, CKG.qualifier, CKG.MoreThan))
    g1.add((measure, CKG.unit, Literal("个", lang="zh")))
    g2 = dataset.graph(second)
    g2.add((second, RDF.type, CKG.Article))
    g2.add((second, RDFS.label, Literal("第二篇", lang="zh")))
    g2.add((second, CKG.mentions, cast))
    g2.add((cast, CKG.mentionedIn, second))
    return dataset


def test_turtle_writer_byte_exact(tmp_path: Path) -> None:
    write_graph(writer_dataset(), tmp_path)
    actual = (tmp_path / "castkg.ttl").read_bytes()
    expected = (WRITER / "expected.ttl").read_bytes()
    assert actual == expected, (
        "castkg.ttl differs from tests/cases/_writer/expected.ttl; if the change is "
        "wanted, run: python tests/test_cases.py --regenerate-writer\n" + actual.decode("utf-8")
    )


def test_writer_golden_says_what_the_dataset_holds() -> None:
    """The golden file itself is checked against the Dataset, so it cannot hold a wrong graph."""
    golden = Graph().parse(WRITER / "expected.ttl", format="turtle")
    assert set(golden) == set(union_graph(writer_dataset()))
    text = (WRITER / "expected.ttl").read_text(encoding="utf-8")
    assert text.startswith("@prefix ") and "ckr:org_cast" in text and "_:" not in text


def regenerate_writer() -> None:
    write_graph(writer_dataset(), WRITER)
    (WRITER / "castkg.trig").unlink()
    (WRITER / "castkg.ttl").replace(WRITER / "expected.ttl")
    print(f"wrote {WRITER / 'expected.ttl'}")


if __name__ == "__main__" and "--regenerate-writer" in sys.argv:
    regenerate_writer()
