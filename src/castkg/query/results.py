"""Writing a query's answer: the W3C SPARQL 1.1 Query Results formats (JSON, XML, CSV, TSV),
Turtle for graph results and an aligned text table whose columns count Chinese characters as
two cells wide.

castkg writes these itself rather than with pyoxigraph's ``QueryResultsFormat`` serialisers:
those write only a live, unconsumed answer, while castkg materialises every answer (to refuse
one over the endpoint's row limit before it is built in full, and to draw the table), and
their bytes differ from castkg's in all but CSV (compact JSON and XML; decimals and booleans
in short form in TSV).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from castkg.errors import QueryError
from castkg.graphs import PREFIXES

FORMATS = ("table", "csv", "tsv", "json", "xml")
"""Output formats of :func:`format_result` for SELECT and ASK results."""
_XSD = PREFIXES["xsd"]
_XSD_STRING = _XSD + "string"


@dataclass
class Result:
    """A query's answer, materialised: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    kind: TypingLiteral["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]] = field(
        default_factory=list
    )
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1

    def values(self) -> list[tuple[str | None, ...]]:
        """Return the rows as plain strings: an IRI's text, a literal's lexical form, ``_:id``, or None."""
        return [tuple(None if term is None else term_text(term) for term in row) for row in self.rows]


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """The W3C CSV form of a term: an IRI's text, a literal's lexical form, ``_:id`` for a blank node."""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def short_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A term as a person reads it in a table: ``prefix:local`` for IRIs under a standard prefix."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            local = term.value[len(namespace) :]
            if (
                term.value.startswith(namespace)
                and re.fullmatch(r"[\w.-]*", local)
                and not local.endswith(".")
            ):
                return f"{prefix}:{local}"
    return term_text(term)


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide and fullwidth characters count two."""
    return sum(
        2 if unicodedata.east_asian_width(char) in ("W", "F") else 0 if unicodedata.combining(char) else 1
        for char in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def to_table(result: Result) -> str:
    """Write a SELECT or ASK result as an aligned text table with a row count."""
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    header = [f"?{name}" for name in result.variables]
    cells = [[short_text(term).replace("\n", " ") for term in row] for row in result.rows]
    widths = [
        max([display_width(h)] + [display_width(row[i]) for row in cells]) for i, h in enumerate(header)
    ]
    lines = [
        "  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def to_json(result: Result) -> str:
    """Write a SELECT or ASK result in the W3C SPARQL 1.1 Query Results JSON format."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    bindings = [
        {name: _json_term(term) for name, term in zip(result.variables, row, strict=True) if term is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
        f"</predicate><object>{_xml_term(term.object)}</object></triple>"
    )


def to_xml(result: Result) -> str:
    """Write a SELECT or ASK result in the W3C SPARQL Query Results XML format."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
    ]
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables) + "</head>")
    out.append("<results>")
    for row in result.rows:
        bindings = "".join(
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(result.variables, row, strict=True)
            if term is not None
        )
        out.append(f"<result>{bindings}</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def to_csv(result: Result) -> str:
    """Write a SELECT result in the W3C SPARQL 1.1 CSV format (plain values, CRLF line ends)."""
    if result.kind == "ask":
        return "_askResult\r\n" + ("true" if result.boolean else "false") + "\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if term is None else term_text(term) for term in row])
    return buffer.getvalue()


def _tsv_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if (
        isinstance(term, ox.Literal)
        and term.datatype.value == _XSD + "integer"
        and re.fullmatch(r"[+-]?\d+", term.value)
    ):
        return term.value  # the TSV format allows numbers in their short Turtle form
    return str(term)  # N-Triples syntax, with \t and \n escaped


def to_tsv(result: Result) -> str:
    """Write a SELECT result in the W3C SPARQL 1.1 TSV format (terms in Turtle syntax)."""
    if result.kind == "ask":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join(_tsv_term(term) for term in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def to_turtle(result: Result) -> str:
    """Write a CONSTRUCT or DESCRIBE result as Turtle with the standard prefixes."""
    data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    text = data.decode("utf-8") if data else ""
    return text if text.endswith("\n") or not text else text + "\n"


_WRITERS = {"table": to_table, "json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}


def format_result(result: Result, fmt: str = "table") -> str:
    """Write ``result`` in ``fmt`` (one of :data:`FORMATS`); graph results are always Turtle."""
    if result.kind == "graph":
        return to_turtle(result)
    if fmt not in _WRITERS:
        raise QueryError(f"unknown result format '{fmt}'; choose one of {', '.join(FORMATS)}")
    return _WRITERS[fmt](result)
