"""SHACL validation of a castkg graph against ``ontology/shapes.ttl``.

:func:`validate` runs pySHACL (SHACL Core) with the ontology mixed into the data
graph and **no inference**: ``sh:targetClass`` and ``sh:class`` then follow the
ontology's ``rdfs:subClassOf`` links (``ckg:Entity`` covers the eight entity classes),
but ``rdfs:domain``/``rdfs:range`` never turn a wrong value into a right type (with
RDFS inference an Organization given as ``ckg:chair`` would be inferred a Person and
pass). :func:`report_text` renders a result the way pySHACL's text report does, one
line per result.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from castkg.errors import InputError, RuleError
from castkg.graphs import TRIG, TURTLE, ontology_file, shapes_file

log = logging.getLogger(__name__)

SHAPES_NS = "https://w3id.org/castkg/shapes#"
"""Namespace of the named shapes in ``ontology/shapes.ttl``."""

GRAPH_FILES: tuple[str, ...] = (TURTLE, TRIG)
"""The files looked for, in this order, when :func:`validate` is given a build directory."""

_FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".rdf": "xml",
    ".owl": "xml",
    ".jsonld": "json-ld",
    ".n3": "n3",
}


class Violation(NamedTuple):
    """One SHACL validation result: which node, which property, what is wrong, how bad."""

    focus: Node
    path: Node | None
    message: str
    severity: str
    """``Violation``, ``Warning`` or ``Info`` (the local name of the ``sh:`` severity)."""


@dataclass(frozen=True)
class ValidationReport:
    """What :func:`validate` found; ``violations`` are sorted, so reports are reproducible."""

    conforms: bool
    violations: list[Violation]
    by_shape: dict[str, int] = field(default_factory=dict)
    """Number of results per source shape (its ``cksh:`` name), most frequent first."""
    source: str = "<graph>"
    """What was validated: the file path, or ``<graph>`` for an in-memory graph."""


def _own_file(path: Path) -> Path:
    """``path`` (one of castkg's ontology files) when it is there; RuleError saying how to restore it."""
    if not path.is_file():
        raise RuleError(str(path), None, "not found; reinstall castkg or restore ontology/")
    return path


@cache
def _load_graph(path: Path) -> Graph:
    """Parse one of castkg's own Turtle files (cached: they do not change while running)."""
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds; all mean the same here
        raise RuleError(str(path), None, f"does not parse as Turtle: {exc}") from exc


def shapes_graph() -> Graph:
    """The SHACL shapes of the contract (``ontology/shapes.ttl``). Raises RuleError if missing."""
    return _load_graph(_own_file(shapes_file()))


def ontology_graph() -> Graph:
    """The castkg ontology (``ontology/castkg.ttl``). Raises RuleError if missing."""
    return _load_graph(_own_file(ontology_file()))


def _union(graph: Graph) -> Graph:
    """A plain Graph of every triple; pySHACL would validate a Dataset's graphs one by one."""
    if type(graph) is Graph:
        return graph
    union = Graph()
    quads = getattr(graph, "quads", None)
    triples = (q[:3] for q in quads((None, None, None, None))) if quads else iter(graph)
    for triple in triples:
        union.add(triple)
    for prefix, namespace in graph.namespaces():
        union.bind(prefix, namespace, override=False)
    return union


def resolve_path(path: str | Path) -> Path:
    """The graph file to validate: ``path`` itself, or castkg.ttl / castkg.trig inside a directory.

    Raises InputError when there is no such file.
    """
    path = Path(path)
    if path.is_dir():
        for name in GRAPH_FILES:
            if (path / name).is_file():
                return path / name
        wanted = " or ".join(GRAPH_FILES)
        raise InputError(f"{path}: no {wanted} in this directory (run `castkg build -o {path}`)")
    if not path.is_file():
        raise InputError(f"{path}: no such file or directory")
    return path


def load_data(path: str | Path) -> Graph:
    """Parse a graph file (format from its extension, Turtle by default) into one Graph.

    Raises InputError when the file is missing or does not parse.
    """
    file = resolve_path(path)
    fmt = _FORMATS.get(file.suffix.lower(), "turtle")
    try:
        if fmt in ("trig", "nquads"):
            dataset = Dataset()
            dataset.parse(file, format=fmt)
            return _union(dataset)
        return Graph().parse(file, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many kinds; all mean "bad input"
        raise InputError(f"{file}: does not parse as {fmt}: {_one_line(exc)}") from exc


def _one_line(exc: Exception) -> str:
    """A parser's message as one line: rdflib's first two say where and what ("at line 3 … Bad syntax")."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = " ".join(lines[:2]).removesuffix(" in:").removesuffix(" at ^")
    return text[:300] or type(exc).__name__


def _severity(node: Node | None) -> str:
    text = str(node) if node is not None else str(SH.Violation)
    return text.rsplit("#", 1)[-1]


def _shape_name(shape: Node | None) -> str:
    """A readable name of a result's source shape: its cksh: local name, else the constraint kind."""
    if isinstance(shape, URIRef) and str(shape).startswith(SHAPES_NS):
        return str(shape)[len(SHAPES_NS) :]
    if isinstance(shape, URIRef):
        return str(shape)
    return "(anonymous shape)"


def _violations(results: Graph) -> tuple[list[Violation], Counter[str]]:
    found: list[Violation] = []
    shapes: Counter[str] = Counter()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        message = results.value(result, SH.resultMessage)
        component = results.value(result, SH.sourceConstraintComponent)
        text = (
            str(message)
            if message is not None
            else (str(component).rsplit("#", 1)[-1] if component is not None else "constraint violated")
        )
        found.append(
            Violation(
                focus=results.value(result, SH.focusNode),  # type: ignore[arg-type]
                path=results.value(result, SH.resultPath),
                message=text,
                severity=_severity(results.value(result, SH.resultSeverity)),
            )
        )
        shapes[_shape_name(results.value(result, SH.sourceShape))] += 1
    found.sort(key=lambda v: (v.severity != "Violation", str(v.focus), str(v.path), v.message))
    return found, shapes


def validate(graph_or_path: Graph | str | Path) -> ValidationReport:
    """Validate a castkg graph (a Graph, a Dataset, a graph file or a build directory).

    Returns a :class:`ValidationReport`. Raises InputError when a path is missing or
    does not parse, RuleError when the shapes or ontology cannot be loaded.
    """
    import pyshacl  # deferred: pySHACL is slow to import and only this command needs it

    if isinstance(graph_or_path, Graph):
        data, source = _union(graph_or_path), "<graph>"
    else:
        source = str(resolve_path(graph_or_path))
        data = load_data(graph_or_path)
    shapes, ontology = shapes_graph(), ontology_graph()
    log.info("validating %d triples from %s", len(data), source)
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
        advanced=False,
        inplace=False,
    )
    violations, shapes_count = _violations(results)  # type: ignore[arg-type]
    log.info("%d results, conforms=%s", len(violations), conforms)
    return ValidationReport(
        conforms=bool(conforms),
        violations=violations,
        by_shape=dict(sorted(shapes_count.items(), key=lambda kv: (-kv[1], kv[0]))),
        source=source,
    )


def _short(node: Node | None, names: NamespaceManager) -> str:
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        try:
            return node.n3(names)
        except Exception:  # no prefix applies
            return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return node.n3(names)
    return f"({type(node).__name__})"


def _names() -> NamespaceManager:
    names = NamespaceManager(Graph(), bind_namespaces="rdflib")
    names.bind("ckg", "https://w3id.org/castkg/ontology#")
    names.bind("ckr", "https://w3id.org/castkg/id/")
    names.bind("cksh", SHAPES_NS)
    names.bind("schema", "https://schema.org/")
    return names


def format_violation(violation: Violation, names: NamespaceManager | None = None) -> str:
    """One line: severity, focus node, path and message."""
    names = names or _names()
    return (
        f"{violation.severity}: {_short(violation.focus, names)} "
        f"{_short(violation.path, names)}: {violation.message}"
    )


def report_text(report: ValidationReport, limit: int = 20) -> str:
    """A human report in the manner of pySHACL's: verdict, counts by shape, the first ``limit`` results."""
    lines = ["Validation Report", f"Source: {report.source}", f"Conforms: {report.conforms}"]
    if report.violations:
        severities = Counter(v.severity for v in report.violations)
        lines.append(
            f"Results ({len(report.violations)}): "
            + ", ".join(f"{n} {s}" for s, n in sorted(severities.items()))
        )
        lines.append("By shape:")
        lines += [f"  {count:>6}  {shape}" for shape, count in report.by_shape.items()]
        shown = report.violations[:limit]
        if shown:
            lines.append(f"First {len(shown)}:" if len(shown) < len(report.violations) else "All results:")
            names = _names()
            lines += [f"  {format_violation(v, names)}" for v in shown]
    return "\n".join(lines)
