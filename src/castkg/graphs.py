"""What every part of castkg shares about graphs and files: the contract's prefixes, the union of
a dataset's article graphs, the names of the files a build writes, and where castkg's own files
(the ontology, the SHACL shapes, the named queries) are.

It imports nothing of castkg but the namespaces, so any module may import it without a cycle.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, XSD, Dataset, Graph
from rdflib.namespace import PROV, SKOS

from castkg.namespace import CKG, CKR, SCHEMA

PREFIXES: dict[str, str] = {
    "ckg": str(CKG._NS),
    "ckr": str(CKR),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "prov": str(PROV),
    "schema": str(SCHEMA),
}
"""The contract's prefixes: bound on every graph castkg writes, known to every query without a
``PREFIX`` line (a query's own ``PREFIX`` wins)."""

TURTLE, TRIG, VIEW = "castkg.ttl", "castkg.trig", "graph.html"
"""The files ``castkg build -o DIR`` writes into DIR."""

_HERE = Path(__file__).resolve()
_CHECKOUT = _HERE.parents[2] if _HERE.parents[1].name == "src" else None
"""The source checkout holding ontology/ and queries/ when castkg runs from one (src/castkg/),
never a folder that merely happens to sit above an installed package."""
_PACKAGE_DATA = _HERE.parent / "resources"
"""The copies shipped in the package (links to the checkout's folders in a source tree)."""


def bind_prefixes(graph: Graph | Dataset) -> None:
    """Bind the contract's prefixes (and only those) on ``graph``."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def union_graph(graph: Graph) -> Graph:
    """Every triple of every named graph of a Dataset, as one graph with the contract's prefixes;
    any other graph as it is."""
    if not isinstance(graph, Dataset):
        return graph
    merged = Graph()
    bind_prefixes(merged)
    for s, p, o, _ in graph.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def built_graph(folder: Path) -> Path | None:
    """The graph file of a ``castkg build`` output folder (its castkg.trig, else castkg.ttl), or None."""
    for name in (TRIG, TURTLE):
        if (folder / name).is_file():
            return folder / name
    return None


def resource_path(*parts: str) -> Path:
    """Where castkg's own file or folder ``parts`` is (``"ontology"``, ``"queries"`` …): the source
    checkout's when castkg runs from one, else the package's copy (which may be missing: callers
    that need it say so in their own error)."""
    checkout = _CHECKOUT.joinpath(*parts) if _CHECKOUT else None
    return checkout if checkout and checkout.exists() else _PACKAGE_DATA.joinpath(*parts)


def ontology_dir() -> Path:
    """The ``ontology/`` folder: castkg.ttl, shapes.ttl, rules/ and gazetteer/."""
    return resource_path("ontology")


def ontology_file() -> Path:
    """castkg's OWL ontology, ``ontology/castkg.ttl``."""
    return ontology_dir() / "castkg.ttl"


def shapes_file() -> Path:
    """The contract's SHACL shapes, ``ontology/shapes.ttl``."""
    return ontology_dir() / "shapes.ttl"


def queries_dir() -> Path:
    """The folder of the shipped named queries, ``queries/*.rq``."""
    return resource_path("queries")
