"""The ontology (ontology/castkg.ttl): it parses, it is closed against castkg.namespace.CKG,
it aligns each contract class with schema.org, and every ckg: term that the shapes and the
rule files use is declared in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib.namespace as rdfns
import yaml
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection

from castkg.namespace import CKG

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "castkg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
NS = str(CKG._NS)
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"

CONTRACT_CLASSES = (
    "Organization",
    "Platform",
    "Event",
    "Initiative",
    "Award",
    "Person",
    "Place",
    "Publication",
    "Article",
    "Measure",
    "Position",
)
DECLARING_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    RDFS.Class,
    RDF.Property,
)

# The contract's property table: domain (a class, or the classes of a union) → range.
OBJECT_PROPERTIES = {
    "mentionedIn": (("Entity",), "Article"),
    "mentions": (("Article",), "Entity"),
    "publishedBy": (("Article",), "Organization"),
    "organizer": (("Event", "Initiative"), "Organization"),
    "chair": (("Event",), "Person"),
    "location": (("Event", "Organization"), "Place"),
    "involves": (("Event",), "Entity"),
    "partOf": (("Event",), "Event"),
    "launchedBy": (("Platform", "Initiative"), "Organization"),
    "subOrganizationOf": (("Organization",), "Organization"),
    "holds": (("Person",), "Position"),
    "organization": (("Position",), "Organization"),
    "measure": (("Event", "Article"), "Measure"),
    "qualifier": (("Measure",), "Qualifier"),
}
DATATYPE_PROPERTIES = {
    "datePublished": ("Article", rdfns.XSD.date),
    "sourceFile": ("Article", rdfns.XSD.string),
    "startDate": ("Event", rdfns.XSD.date),
    "endDate": ("Event", rdfns.XSD.date),
    "rank": ("Event", rdfns.XSD.integer),
    "role": ("Position", RDF.langString),
    "value": ("Measure", rdfns.XSD.decimal),
    "unit": ("Measure", RDF.langString),
    "counts": ("Measure", RDF.langString),
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def _local(term: object) -> str | None:
    return str(term)[len(NS) :] if isinstance(term, URIRef) and str(term).startswith(NS) else None


def _declared(graph: Graph) -> set[str]:
    return {name for t in DECLARING_TYPES for s in graph.subjects(RDF.type, t) if (name := _local(s))}


def _namespace_terms() -> set[str]:
    return {name for name in CKG.__annotations__ if not name.startswith("_")}


def test_ontology_header(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/castkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    for prop in (RDFS.label, RDFS.comment, OWL.versionInfo, URIRef("http://purl.org/dc/terms/license")):
        assert ontology.value(header, prop) is not None, f"the ontology header lacks {prop}"


def test_every_namespace_term_is_declared(ontology: Graph) -> None:
    missing = sorted(_namespace_terms() - _declared(ontology))
    assert not missing, f"in castkg.namespace.CKG but not declared in {ONTOLOGY.name}: {missing}"


def test_namespace_is_closed_over_the_ontology(ontology: Graph) -> None:
    used = {name for triple in ontology for term in triple if (name := _local(term))}
    extra = sorted(used - _namespace_terms())
    assert not extra, f"ckg: terms in {ONTOLOGY.name} missing from castkg.namespace.CKG: {extra}"


def test_every_term_has_labels_in_english_and_chinese_and_a_comment(ontology: Graph) -> None:
    problems = []
    for name in sorted(_declared(ontology)):
        term = CKG._NS[name]
        langs = {o.language for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)}
        if not {"en", "zh"} <= langs:
            problems.append(f"{name}: labels in {sorted(filter(None, langs))}")
        if ontology.value(term, RDFS.comment) is None:
            problems.append(f"{name}: no rdfs:comment")
    assert not problems, problems


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_class_is_a_subclass_of_a_schema_org_class(ontology: Graph, name: str) -> None:
    supers = {str(o) for o in ontology.objects(CKG._NS[name], RDFS.subClassOf)}
    assert (CKG._NS[name], RDF.type, OWL.Class) in ontology
    assert any(s.startswith(SCHEMA) for s in supers), f"ckg:{name} has no schema.org superclass: {supers}"


def test_entity_is_the_superclass_of_the_eight_entity_classes(ontology: Graph) -> None:
    """The eight contract classes and the one extension, ckg:EventSeries (a named thing too)."""
    from castkg.namespace import ENTITY_CLASSES, SERIES

    subclasses = {_local(s) for s in ontology.subjects(RDFS.subClassOf, CKG.Entity)}
    assert subclasses == {*ENTITY_CLASSES, SERIES}


def test_a_series_is_no_event(ontology: Graph) -> None:
    """A series and its edition must never be two Events matching one meeting: no ckg:Event above
    ckg:EventSeries, and the two declared disjoint."""
    closure = set(ontology.transitive_objects(CKG.EventSeries, RDFS.subClassOf))
    assert CKG.Event not in closure and CKG.Entity in closure
    assert (CKG.EventSeries, OWL.disjointWith, CKG.Event) in ontology


def test_castkgs_sub_properties_are_declared_as_such(ontology: Graph) -> None:
    """Each sub-property mapping.py states beside its contract property says so in the ontology."""
    from castkg.namespace import SUPER_PROPERTIES

    for sub, contract in SUPER_PROPERTIES.items():
        assert (CKG._NS[sub], RDFS.subPropertyOf, CKG._NS[contract]) in ontology, sub


def test_alignment_with_org_and_prov(ontology: Graph) -> None:
    expected = [
        (CKG.Organization, RDFS.subClassOf, URIRef(ORG + "Organization")),
        (CKG.Position, RDFS.subClassOf, URIRef(ORG + "Post")),
        (CKG.Article, RDFS.subClassOf, URIRef(PROV + "Entity")),
        (CKG.subOrganizationOf, RDFS.subPropertyOf, URIRef(ORG + "subOrganizationOf")),
        (CKG.holds, RDFS.subPropertyOf, URIRef(ORG + "holds")),
        (CKG.organization, RDFS.subPropertyOf, URIRef(ORG + "postIn")),
        (CKG.mentionedIn, OWL.inverseOf, CKG.mentions),
    ]
    missing = [t for t in expected if t not in ontology]
    assert not missing, missing


def test_qualifier_has_exactly_the_three_individuals(ontology: Graph) -> None:
    members = set(ontology.subjects(RDF.type, CKG.Qualifier))
    assert members == {CKG.Approximately, CKG.MoreThan, CKG.Nearly}
    one_of = [
        Collection(ontology, lst)
        for eq in ontology.objects(CKG.Qualifier, OWL.equivalentClass)
        for lst in ontology.objects(eq, OWL.oneOf)
    ]
    assert len(one_of) == 1 and set(one_of[0]) == members


def _domain_classes(ontology: Graph, prop: URIRef) -> set[str]:
    domains = list(ontology.objects(prop, RDFS.domain))
    assert len(domains) == 1, f"{prop} has {len(domains)} rdfs:domain"
    union = ontology.value(domains[0], OWL.unionOf)
    members = list(Collection(ontology, union)) if union is not None else domains
    return {_local(m) or str(m) for m in members}


@pytest.mark.parametrize("name", sorted(OBJECT_PROPERTIES))
def test_object_property_domain_and_range(ontology: Graph, name: str) -> None:
    prop = CKG._NS[name]
    domain, range_ = OBJECT_PROPERTIES[name]
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    assert _domain_classes(ontology, prop) == set(domain)
    assert list(ontology.objects(prop, RDFS.range)) == [CKG._NS[range_]]


@pytest.mark.parametrize("name", sorted(DATATYPE_PROPERTIES))
def test_datatype_property_domain_and_range(ontology: Graph, name: str) -> None:
    prop = CKG._NS[name]
    domain, range_ = DATATYPE_PROPERTIES[name]
    assert (prop, RDF.type, OWL.DatatypeProperty) in ontology
    assert list(ontology.objects(prop, RDFS.domain)) == [CKG._NS[domain]]
    assert list(ontology.objects(prop, RDFS.range)) == [range_]


@pytest.mark.parametrize("name", ["evidence", "rule"])
def test_provenance_properties_have_no_domain(ontology: Graph, name: str) -> None:
    """They sit on rdf:Statement reification nodes: a domain would make those Events or Measures."""
    assert ontology.value(CKG._NS[name], RDFS.domain) is None


def test_terms_used_in_the_shapes_are_declared(ontology: Graph) -> None:
    shapes = Graph().parse(SHAPES, format="turtle")
    used = {name for triple in shapes for term in triple if (name := _local(term))}
    assert used, "the shapes use no ckg: term at all"
    assert not sorted(used - _declared(ontology))


# --- the rule files --------------------------------------------------------

RULE_DIRS = (ROOT / "ontology" / "rules", ROOT / "ontology" / "gazetteer")
NAME_KEYS = {"class", "classes", "predicate", "predicates", "property", "subject", "object"}
"""Keys of the rule files whose values name contract classes or properties."""
NAME_MAPS = {"heads", "qualifiers"}
"""Keys of the rule files whose mapping keys name contract classes or qualifier individuals."""
CKG_TOKEN = re.compile(r"\bckg:([A-Za-z_][\w-]*)")


def _names_in(node: object, key: str | None = None) -> set[str]:
    """Every ckg: local name a parsed rule file references: ckg:-prefixed strings and name-valued keys."""
    found: set[str] = set()
    if isinstance(node, dict):
        if key in NAME_MAPS:
            found |= {str(k).removeprefix("ckg:") for k in node}
        for k, v in node.items():
            found |= _names_in(v, str(k))
    elif isinstance(node, list):
        for item in node:
            found |= _names_in(item, key)
    elif isinstance(node, str):
        found |= set(CKG_TOKEN.findall(node))
        if key in NAME_KEYS and re.fullmatch(r"(ckg:)?[A-Za-z][A-Za-z]*", node):
            found.add(node.removeprefix("ckg:"))
    return found


def _rule_files() -> list[Path]:
    return sorted(p for d in RULE_DIRS if d.is_dir() for p in d.rglob("*.y*ml"))


def test_names_in_rule_files_are_collected() -> None:
    """The collector itself: it must see classes, predicates, subject/object lists and qualifier keys."""
    doc = yaml.safe_load("""
rules:
  - id: a
    class: Event
    predicate: organizer
    subject: [Organization]
    object: [Platform, "ckg:Initiative"]
    heads: {Award: [奖]}
    note: uses ckg:evidence here
qualifiers: {Nearly: {before: [近]}}
""")
    assert _names_in(doc) == {
        "Event",
        "organizer",
        "Organization",
        "Platform",
        "Initiative",
        "Award",
        "evidence",
        "Nearly",
    }


def test_terms_used_in_the_rule_files_are_declared(ontology: Graph) -> None:
    files = _rule_files()
    if not files:
        pytest.skip("no rule files in ontology/rules yet")
    declared = _declared(ontology)
    unknown = {}
    for path in files:
        names = _names_in(yaml.safe_load(path.read_text(encoding="utf-8")))
        if bad := sorted(names - declared):
            unknown[str(path.relative_to(ROOT))] = bad
    assert not unknown, f"names in rule files that the ontology does not declare: {unknown}"


@pytest.mark.parametrize("path", [ONTOLOGY, SHAPES], ids=["castkg.ttl", "shapes.ttl"])
def test_parses_in_an_independent_turtle_parser(path: Path) -> None:
    """Users load these files into other stores: Oxigraph's parser must read them as rdflib does."""
    pyoxigraph = pytest.importorskip("pyoxigraph")
    triples = list(pyoxigraph.parse(path.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(Graph().parse(path, format="turtle"))


def test_entity_classes_do_not_subsume_one_another(ontology: Graph) -> None:
    """Each entity has one contract class: no entity class may be a subclass of another (the
    evaluation counts a node once for every contract class in its rdfs:subClassOf closure)."""
    from castkg.namespace import ENTITY_CLASSES

    for name in ENTITY_CLASSES:
        closure = {_local(c) for c in ontology.transitive_objects(CKG._NS[name], RDFS.subClassOf)}
        assert closure & set(ENTITY_CLASSES) == {name}, f"ckg:{name} ⊑ {sorted(filter(None, closure))}"
