"""Stage 6, write: the Dataset → the contract's graph files (castkg.ttl, castkg.trig).

Output is byte-identical for the same input: Oxigraph's writers serialise one sorted list
of quads, the graphs carry no blank nodes, and no timestamp is written. The third file of a
build, graph.html, is the view's (:mod:`castkg.view`); :func:`castkg.outputs.write_outputs`
writes all three and swaps them in together.
"""

from __future__ import annotations

import heapq
import logging
import re
import shutil
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from castkg.graphs import PREFIXES, TRIG, TURTLE
from castkg.transaction import write_atomic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Written:
    """The files one build wrote."""

    turtle: Path
    trig: Path
    triples: int
    view: Path | None = None


def oxigraph_term(term: Node) -> ox.NamedNode | ox.Literal:
    """The pyoxigraph form of an rdflib IRI or literal (castkg writes no blank nodes)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return (
            ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            if term.datatype
            else ox.Literal(str(term))
        )
    raise TypeError(f"castkg writes only IRIs and literals, not {term!r}")


def oxigraph_iri(term: Node) -> ox.NamedNode:
    """The pyoxigraph form of an rdflib IRI in a subject, predicate or graph position."""
    node = oxigraph_term(term)
    if not isinstance(node, ox.NamedNode):
        raise TypeError(f"castkg writes only IRIs as subjects, predicates and graphs, not {term!r}")
    return node


def _iri(node: ox.NamedNode | ox.BlankNode | ox.Triple | ox.DefaultGraph) -> str:
    """The IRI of a node made by :func:`oxigraph_iri`."""
    if not isinstance(node, ox.NamedNode):
        raise TypeError(f"expected an IRI, not {node!r}")
    return node.value


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """The named graphs' quads in one stable order (graph, subject, predicate, object)."""
    quads = [
        ox.Quad(oxigraph_iri(s), oxigraph_iri(p), oxigraph_term(o), oxigraph_iri(g))
        for s, p, o, g in dataset.quads((None, None, None, None))
        if g is not None and g != DATASET_DEFAULT_GRAPH_ID
    ]
    return sorted(
        quads, key=lambda q: (_iri(q.graph_name), _iri(q.subject), q.predicate.value, str(q.object))
    )


def _serialized(statements: Iterable[ox.Triple] | Iterable[ox.Quad], format: ox.RdfFormat) -> bytes:
    """``statements`` serialised in ``format`` with the contract's prefixes."""
    data = ox.serialize(statements, format=format, prefixes=PREFIXES)
    assert data is not None  # serialize returns the bytes when given no output
    return data


def write_graph(dataset: Dataset, directory: str | Path) -> Written:
    """Write the whole graph as Turtle and the article graphs as TriG into ``directory``.

    Serialised by Oxigraph from one sorted list of quads, so the same input gives the same bytes.
    Each file is replaced whole (written aside, fsynced, renamed); to replace the two files and
    the view together, as ``castkg build`` does, use :class:`castkg.outputs.OutputFolder`.
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    quads = sorted_quads(dataset)
    triples = sorted(
        {ox.Triple(q.subject, q.predicate, q.object) for q in quads},
        key=lambda t: (_iri(t.subject), t.predicate.value, str(t.object)),
    )
    turtle, trig = target / TURTLE, target / TRIG
    write_atomic(turtle, _serialized(triples, ox.RdfFormat.TURTLE))
    write_atomic(trig, _serialized(quads, ox.RdfFormat.TRIG))
    log.info("wrote %s, %s (%d triples)", turtle, trig, len(triples))
    return Written(turtle, trig, len(triples))


# --- streaming: file by file, in final form ----------------------------------------------------------
#
# A build's two files are a header and then blocks that depend on nothing else: castkg.trig one block
# per graph (``G {`` … ``}``, graphs in IRI order), castkg.ttl one block per subject (all that the union
# states of it, subjects in IRI order). So each input file's graphs are serialised once, where the file
# is mapped (a worker), into *parts*: its graph blocks and the subject blocks of its own union, each
# block a record under its IRI (:func:`serialize_parts`). The build merges the records of all files by
# IRI (:class:`GraphSpool`): a graph, and a subject named by one file only, is its block as it is; a
# subject several files (or the graph of entities) state things of is merged line by line, a predicate
# stated by one of them keeping its line and one stated by several getting its objects merged and sorted.
# The cache keeps each file's parts, so a rebuild merges them again and serialises only what changed.

_RECORD = struct.Struct("<III")
"""A record: the IRI's length, the block's length, the block's triples; then the IRI and the block."""
_CHUNK = 1 << 16
"""Bytes read at a time from each file's stored parts while merging."""


def _header() -> bytes:
    """The prefix lines Oxigraph writes before the first statement (the same in Turtle and TriG)."""
    triple = ox.Triple(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), ox.NamedNode("urn:x"))
    data = _serialized([triple], ox.RdfFormat.TURTLE)
    return data[: data.rindex(b"@prefix")] + data[data.rindex(b"@prefix") :].split(b"\n", 1)[0] + b"\n"


HEADER = _header()


@dataclass(frozen=True)
class Parts:
    """One file's graphs in final form: ``trig`` the records of its graph blocks (TriG, by graph IRI),
    ``turtle`` the records of the subject blocks of its union (Turtle, by subject IRI)."""

    trig: bytes
    turtle: bytes


@dataclass(frozen=True)
class StoredParts:
    """:class:`Parts` kept in a file: ``path`` holds the TriG records at ``trig`` (offset, length)
    and the Turtle records at ``turtle``."""

    path: str
    trig: tuple[int, int]
    turtle: tuple[int, int]


def _blocks(data: bytes, names: list[str], triples: list[int]) -> bytes:
    """``data`` (Oxigraph's output, header included) cut into one record per block: a block starts
    at each line not indented (and not a graph's closing brace) and is named by ``names`` in order."""
    if not names:
        return b""
    if not data.startswith(HEADER):
        raise ValueError("Oxigraph's output does not start with the expected prefixes")
    starts = [match.start() for match in _STARTS.finditer(data, len(HEADER))]
    if len(starts) != len(names):
        raise ValueError(f"{len(starts)} blocks for {len(names)} names")
    starts.append(len(data))
    records = []
    for k, name in enumerate(names):
        iri = name.encode()
        block = data[starts[k] : starts[k + 1]]
        records.append(_RECORD.pack(len(iri), len(block), triples[k]) + iri + block)
    return b"".join(records)


_STARTS = re.compile(rb"^[^\t}\n]", re.MULTILINE)


def serialize_parts(graphs: Iterable[tuple[str, Iterable[tuple[str, str, str]]]]) -> Parts:
    """The :class:`Parts` of some graphs, each given as (IRI, its triples as (subject IRI, predicate
    IRI, object in N-Triples form)); a graph given twice is the union of both."""
    by_graph: dict[str, set[tuple[str, str, str]]] = {}
    for graph, triples in graphs:
        by_graph.setdefault(graph, set()).update(triples)
    names = sorted(graph for graph, lines in by_graph.items() if lines)
    quads = []
    counts = []
    union: set[tuple[str, str, str]] = set()
    for graph in names:
        lines = sorted(by_graph[graph])
        counts.append(len(lines))
        union.update(lines)
        quads.append("".join(f"<{s}> <{p}> {o} <{graph}> .\n" for s, p, o in lines))
    trig = _serialized(ox.parse("".join(quads).encode(), format=ox.RdfFormat.N_QUADS), ox.RdfFormat.TRIG)
    ordered = sorted(union)
    subjects: list[str] = []
    per_subject: list[int] = []
    for s, _, _ in ordered:
        if subjects and subjects[-1] == s:
            per_subject[-1] += 1
        else:
            subjects.append(s)
            per_subject.append(1)
    text = "".join(f"<{s}> <{p}> {o} .\n" for s, p, o in ordered).encode()
    turtle = _serialized(ox.parse(text, format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.TURTLE)
    return Parts(_blocks(trig, names, counts), _blocks(turtle, subjects, per_subject))


def _records(source: Parts | StoredParts, which: str, rank: int) -> Iterator[tuple[bytes, int, int, bytes]]:
    """(IRI, ``rank``, triples, block) of each record of ``source``'s ``which`` (``trig`` or
    ``turtle``), read in chunks when stored (no file is held open between chunks)."""
    if isinstance(source, Parts):
        buffer, path, position, end = getattr(source, which), "", 0, 0
    else:
        buffer, path = b"", source.path
        position, length = getattr(source, which)
        end = position + length
    start = 0
    unpack, size = _RECORD.unpack_from, _RECORD.size
    while True:
        available = len(buffer) - start
        need = size
        if available >= size:
            name_length, block_length, triples = unpack(buffer, start)
            need = size + name_length + block_length
            if available >= need:
                iri = buffer[start + size : start + size + name_length]
                yield iri, rank, triples, buffer[start + size + name_length : start + need]
                start += need
                continue
        if position >= end:
            if available:
                raise ValueError(f"stored parts cut short: {source}")
            return
        with open(path, "rb") as file:
            file.seek(position)
            more = file.read(min(max(_CHUNK, need), end - position))
        if not more:
            raise ValueError(f"stored parts cut short: {source}")
        position += len(more)
        buffer, start = buffer[start:] + more, 0


class GraphSpool:
    """The graphs of a build, added file by file as :class:`Parts` (:func:`serialize_parts`) or as
    parts already kept in a file (the cache's), written at the end as the same castkg.ttl and
    castkg.trig as :func:`write_graph` writes of a Dataset of those graphs.

    Parts given as bytes go to one file in ``folder`` (a scratch folder, removed by :meth:`close`),
    so memory holds where each file's parts are, never the graphs; the two files are written by
    merging the parts' records in IRI order (see the comment above :data:`_RECORD`)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=False)
        self.parts_path = self.folder / "parts.bin"
        self._file = open(self.parts_path, "wb")  # noqa: SIM115 - closed by write() or close()
        self._sources: list[Parts | StoredParts] = []

    def add_parts(self, parts: Parts | StoredParts, keep: bool = False) -> None:
        """Add one file's graphs in final form; parts given as bytes are written to the scratch
        folder, unless ``keep`` (then they stay in memory: small ones, such as the graph of entities)."""
        if isinstance(parts, Parts) and not keep:
            start = self._file.tell()
            self._file.write(parts.trig)
            self._file.write(parts.turtle)
            middle = start + len(parts.trig)
            parts = StoredParts(str(self.parts_path), (start, len(parts.trig)), (middle, len(parts.turtle)))
        self._sources.append(parts)

    def add(self, graph: str, triples: Iterable[tuple[str, str, str]]) -> None:
        """Add the graph ``graph`` (an IRI): its triples as (subject IRI, predicate IRI, object in
        N-Triples form). A graph added twice is the union of both."""
        self.add_parts(serialize_parts([(graph, triples)]))

    def write(self, directory: str | Path) -> Written:
        """Write castkg.ttl and castkg.trig into ``directory``; the same bytes as
        :func:`write_graph` of a Dataset holding the graphs added."""
        self._file.close()
        target = Path(directory)
        turtle, trig = target / TURTLE, target / TRIG
        with open(trig, "wb") as out:
            streams = [_records(source, "trig", rank) for rank, source in enumerate(self._sources)]
            _write_merged(out, streams, _merge_graphs)
        with open(turtle, "wb") as out:
            streams = [_records(source, "turtle", rank) for rank, source in enumerate(self._sources)]
            triples = _write_merged(out, streams, merge_subject)
        log.info("wrote %s, %s (%d triples)", turtle, trig, triples)
        return Written(turtle, trig, triples)

    def close(self) -> None:
        """Remove the scratch folder."""
        self._file.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _write_merged(
    out: BinaryIO,
    streams: list[Iterator[tuple[bytes, int, int, bytes]]],
    merge: Callable[[bytes, list[tuple[int, bytes]]], tuple[int, bytes]],
) -> int:
    """Write the header and the records of ``streams`` (each in IRI order, each record ranked by its
    stream) merged in IRI order, the
    records of one IRI from several streams made one block by ``merge``; return the triples written."""
    total = 0
    write = out.write
    last: bytes | None = None
    group: list[tuple[int, bytes]] = []
    started = False
    for iri, _, triples, block in heapq.merge(*streams):
        if not started:
            write(HEADER)
            started = True
        if iri == last:
            group.append((triples, block))
            continue
        if group:
            if len(group) == 1:
                total += group[0][0]
                write(group[0][1])
            else:
                count, merged = merge(last, group)  # type: ignore[arg-type]
                total += count
                write(merged)
        last, group = iri, [(triples, block)]
    if group:
        if len(group) == 1:
            total += group[0][0]
            write(group[0][1])
        else:
            count, merged = merge(last, group)  # type: ignore[arg-type]
            total += count
            write(merged)
    return total


# --- merging the blocks of one subject (or graph) given by several files ------------------------------

_EXPAND = {prefix.encode(): namespace.encode() for prefix, namespace in PREFIXES.items()}
_XSD = b"http://www.w3.org/2001/XMLSchema#"
_TERM = re.compile(rb'("(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^\S+)?|[^\s",]\S*)(?: , |\Z)')
_INTEGER = re.compile(rb"[+-]?[0-9]+")
_DECIMAL = re.compile(rb"[+-]?[0-9]*\.[0-9]+")
_DOUBLE = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
_ESCAPED = re.compile(rb"\\(.)")


def _iri_of(name: bytes) -> bytes:
    """The IRI (without brackets) of a Turtle IRI term: ``<…>``, ``a`` or a prefixed name."""
    if name.startswith(b"<"):
        return name[1:-1]
    if name == b"a":
        return b"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    prefix, _, local = name.partition(b":")
    return _EXPAND[prefix] + (_ESCAPED.sub(rb"\1", local) if b"\\" in local else local)


def _nt_key(term: bytes) -> bytes:
    """The N-Triples form of a Turtle object term as Oxigraph writes it: the order objects are sorted in."""
    if term.startswith(b'"'):
        close = term.rindex(b'"')
        suffix = term[close + 1 :]
        if suffix.startswith(b"^^"):
            return term[: close + 1] + b"^^<" + _iri_of(suffix[2:]) + b">"
        return term
    if term.startswith(b"<"):
        return term
    if term in (b"true", b"false"):
        return b'"' + term + b'"^^<' + _XSD + b"boolean>"
    if _INTEGER.fullmatch(term):
        return b'"' + term + b'"^^<' + _XSD + b"integer>"
    if _DECIMAL.fullmatch(term):
        return b'"' + term + b'"^^<' + _XSD + b"decimal>"
    if _DOUBLE.fullmatch(term):
        return b'"' + term + b'"^^<' + _XSD + b"double>"
    return b"<" + _iri_of(term) + b">"


class _Memo(dict[bytes, bytes]):
    """Terms already converted (the same predicates, classes and articles recur across subjects)."""

    def __init__(self, convert: Callable[[bytes], bytes]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, term: bytes) -> bytes:
        if len(self) >= _MEMO:
            self.clear()
        value = self[term] = self.convert(term)
        return value


_MEMO = 200_000
"""Terms a :class:`_Memo` keeps at most (then it starts again): bounds its memory."""
_PREDICATE_IRIS = _Memo(_iri_of)
_OBJECT_KEYS = _Memo(_nt_key)


def _objects(text: bytes) -> list[bytes]:
    """The object terms of one predicate's line (``o1 , o2 , …``)."""
    terms = _TERM.findall(text)
    if b" , ".join(terms) != text:
        raise ValueError(f"cannot read the objects of {text[:200]!r}")
    return terms


def _lines(block: bytes, indent: bytes) -> tuple[bytes, list[bytes]]:
    """A subject block cut into its subject and its predicates' lines (``p o1 , o2``)."""
    lines = block.split(b"\n")
    lines.pop()  # the block ends with a newline
    subject, _, first = lines[0][len(indent) :].partition(b" ")
    cut = len(indent) + 1
    return subject, [first[:-2]] + [line[cut:-2] for line in lines[1:]]


def merge_subject(iri: bytes, group: list[tuple[int, bytes]], indent: bytes = b"") -> tuple[int, bytes]:
    """One block of what several blocks (``(triples, block)``) state of the subject ``iri``: each
    predicate's line kept where one block has it, the objects of one given by several merged,
    deduplicated and sorted as Oxigraph's writer of the sorted union would write them; with the
    triples of the block made."""
    subject = b""
    by_predicate: dict[bytes, list[bytes]] = {}
    total = 0
    predicate_iris = _PREDICATE_IRIS
    for triples, block in group:
        total += triples
        subject, lines = _lines(block, indent)
        for line in lines:
            predicate = predicate_iris[line[: line.index(b" ")]]
            given = by_predicate.get(predicate)
            if given is None:
                by_predicate[predicate] = [line]
            else:
                given.append(line)
    out = []
    for predicate in sorted(by_predicate):
        lines = by_predicate[predicate]
        if len(lines) == 1:
            out.append(lines[0])
            continue
        cut = lines[0].index(b" ") + 1
        terms: dict[bytes, None] = {}
        stated = 0
        for line in lines:
            found = _objects(line[cut:])
            stated += len(found)
            terms.update(dict.fromkeys(found))
        total -= stated - len(terms)  # stated by more than one block: counted once
        ordered: list[bytes] = sorted(terms, key=_OBJECT_KEYS.__getitem__)
        out.append(lines[0][:cut] + b" , ".join(ordered))
    separator = b" ;\n" + indent + b"\t"
    return total, indent + subject + b" " + separator.join(out) + b" .\n"


def _merge_graphs(iri: bytes, group: list[tuple[int, bytes]]) -> tuple[int, bytes]:
    """One graph block of the same graph given by several files: their union."""
    data = HEADER + b"".join(block for _, block in group)
    quads = sorted(
        set(ox.parse(data, format=ox.RdfFormat.TRIG)),
        key=lambda q: (q.subject.value, q.predicate.value, str(q.object)),
    )
    return len(quads), _serialized(quads, ox.RdfFormat.TRIG)[len(HEADER) :]
