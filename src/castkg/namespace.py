"""The contract's namespaces, as closed rdflib namespaces that fail on a typo.

``tests/test_ontology.py`` checks that every term here is declared in
``ontology/castkg.ttl`` and the other way round.
"""

from __future__ import annotations

from typing import cast

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

CKR = Namespace("https://w3id.org/castkg/id/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")


class CKG(DefinedNamespace):
    """castkg ontology: https://w3id.org/castkg/ontology#"""

    _NS = Namespace("https://w3id.org/castkg/ontology#")
    _fail = True

    # classes
    Entity: URIRef
    Organization: URIRef
    Platform: URIRef
    Event: URIRef
    Initiative: URIRef
    Award: URIRef
    Person: URIRef
    Place: URIRef
    Publication: URIRef
    Article: URIRef
    Measure: URIRef
    Position: URIRef
    Qualifier: URIRef
    EventSeries: URIRef
    # qualifier individuals
    Approximately: URIRef
    MoreThan: URIRef
    Nearly: URIRef
    # properties
    mentionedIn: URIRef
    mentions: URIRef
    publishedBy: URIRef
    datePublished: URIRef
    sourceFile: URIRef
    startDate: URIRef
    endDate: URIRef
    organizer: URIRef
    chair: URIRef
    location: URIRef
    involves: URIRef
    partOf: URIRef
    rank: URIRef
    launchedBy: URIRef
    subOrganizationOf: URIRef
    holds: URIRef
    organization: URIRef
    role: URIRef
    measure: URIRef
    value: URIRef
    unit: URIRef
    counts: URIRef
    qualifier: URIRef
    evidence: URIRef
    # extensions: series and editions, the two kinds of involves
    editionOf: URIRef
    itemInvolves: URIRef
    cooccursWith: URIRef
    # provenance extensions
    rule: URIRef
    """The id of the mapping rule that produced a fact (on the fact's reification or the resource)."""


def ckg(name: str) -> URIRef:
    """The contract term ``name`` (``ckg("Event")`` is ``CKG.Event``); raises on an undeclared name."""
    # mypy reads CKG[name] as a type application of the class, not the metaclass's __getitem__
    return cast(URIRef, CKG[name])


SUPER_PROPERTIES: dict[str, str] = {"itemInvolves": "involves", "cooccursWith": "involves"}
"""castkg's own sub-properties of contract properties: a fact stated with one is also stated with
its contract property, so contract queries see it (``tests/test_ontology.py`` checks the ontology
says the same)."""

SERIES = "EventSeries"
"""The class of a recurring event as such (全国科普日), apart from its editions (2021年全国科普日)."""

ENTITY_CLASSES: tuple[str, ...] = (
    "Organization",
    "Platform",
    "Event",
    "Initiative",
    "Award",
    "Person",
    "Place",
    "Publication",
)
"""Contract classes whose members carry labels and ``ckg:mentionedIn``."""
