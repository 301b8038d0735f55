"""Stage 6, write: the Dataset → the contract's graph files (castkg.ttl, castkg.trig).

Output is byte-identical for the same input: Oxigraph's writers serialise one sorted list
of quads, the graphs carry no blank nodes, and no timestamp is written. The third file of a
build, graph.html, is the view's (:mod:`castkg.view`); :func:`castkg.outputs.write_outputs`
writes all three and swaps them in together.
"""

from __future__ import annotations

import heapq
import logging
import os
import pickle
import re
import shutil
import struct
import sys
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import BinaryIO, NamedTuple

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from castkg.errors import OutputError
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
_CHUNK = 1 << 15
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
    ``turtle`` the records of the subject blocks of its union (Turtle, by subject IRI), ``offsets``
    where each Turtle record starts (``array('I')`` bytes: a rebuild finds one subject's block)."""

    trig: bytes
    turtle: bytes
    offsets: bytes = b""


@dataclass(frozen=True)
class StoredParts:
    """:class:`Parts` kept in a file: ``path`` holds the TriG records at ``trig`` (offset, length),
    the Turtle records at ``turtle`` and their offsets at ``offsets``."""

    path: str
    trig: tuple[int, int]
    turtle: tuple[int, int]
    offsets: tuple[int, int] = (0, 0)


def _blocks(data: bytes, names: list[str], triples: list[int], offsets: array | None = None) -> bytes:
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
    position = 0
    for k, name in enumerate(names):
        iri = name.encode()
        block = data[starts[k] : starts[k + 1]]
        records.append(_RECORD.pack(len(iri), len(block), triples[k]) + iri + block)
        if offsets is not None:
            offsets.append(position)
        position += _RECORD.size + len(iri) + len(block)
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
    offsets = array("I")
    records = _blocks(turtle, subjects, per_subject, offsets)
    return Parts(_blocks(trig, names, counts), records, offsets.tobytes())


class _Files:
    """Descriptors of the files parts are read from, kept open between reads (at most
    :data:`_OPEN`, the least recently used closed first), so that merging many files' parts that
    lie in one scratch file opens it once; :meth:`close` closes them."""

    def __init__(self) -> None:
        self._open: dict[str, int] = {}

    def read(self, path: str, start: int, length: int) -> bytes:
        """``length`` bytes of the file ``path`` from ``start`` (fewer at its end)."""
        descriptor = self._open.pop(path, None)
        if descriptor is None:
            if len(self._open) >= _OPEN:
                os.close(self._open.pop(next(iter(self._open))))
            descriptor = os.open(path, os.O_RDONLY)
        self._open[path] = descriptor  # the most recently used last
        return os.pread(descriptor, length, start)

    def close(self) -> None:
        for descriptor in self._open.values():
            os.close(descriptor)
        self._open = {}


def _read_once(path: str, start: int, length: int) -> bytes:
    """``length`` bytes of the file ``path`` from ``start``, the file closed again."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        return os.pread(descriptor, length, start)
    finally:
        os.close(descriptor)


def _records(
    source: Parts | StoredParts, which: str, rank: int, chunk: int = _CHUNK, files: _Files | None = None
) -> Iterator[tuple[bytes, int, int, bytes]]:
    """(IRI, ``rank``, triples, block) of each record of ``source``'s ``which`` (``trig`` or
    ``turtle``), read ``chunk`` bytes at a time when stored (a longer record whole), through
    ``files`` (None: no file is held open between chunks)."""
    read = files.read if files is not None else _read_once
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
        more = read(path, position, min(max(chunk, need), end - position))
        if not more:
            raise ValueError(f"stored parts cut short: {source}")
        position += len(more)
        buffer, start = buffer[start:] + more, 0


@dataclass(frozen=True)
class _StoredBlock:
    """A record's block left where it lies in a file, read only when written."""

    path: str
    start: int
    length: int
    files: _Files | None = field(default=None, compare=False)

    def read(self) -> bytes:
        block = (self.files.read if self.files is not None else _read_once)(
            self.path, self.start, self.length
        )
        if len(block) != self.length:
            raise ValueError(f"stored parts cut short: {self.path}")
        return block

    def write_to(self, out: BinaryIO) -> None:
        """Write the block to ``out``, :data:`_PIECE` bytes at a time (a graph of entities' block is
        as large as the graph)."""
        read = self.files.read if self.files is not None else _read_once
        done = 0
        while done < self.length:
            piece = read(self.path, self.start + done, min(_PIECE, self.length - done))
            if not piece:
                raise ValueError(f"stored parts cut short: {self.path}")
            out.write(piece)
            done += len(piece)


_PIECE = 1 << 20
"""Bytes of one stored block read at a time when it is written as it is."""


def _record_heads(
    source: Parts | StoredParts, which: str, rank: int, files: _Files | None = None
) -> Iterator[tuple[bytes, int, int, bytes | _StoredBlock]]:
    """As :func:`_records`, but a stored block is left in its file (a :class:`_StoredBlock`): for
    the TriG records, one per article graph, so that merging a corpus' files holds one graph at a
    time, not the next graph of every file."""
    if isinstance(source, Parts):
        yield from _records(source, which, rank)
        return
    read = files.read if files is not None else _read_once
    position, length = getattr(source, which)
    end = position + length
    size = _RECORD.size
    while position < end:
        head = read(source.path, position, size + 512)
        if len(head) < size:
            raise ValueError(f"stored parts cut short: {source}")
        name_length, block_length, triples = _RECORD.unpack_from(head)
        iri = head[size : size + name_length]
        if len(iri) < name_length:
            iri = read(source.path, position + size, name_length)
        start = position + size + name_length
        yield iri, rank, triples, _StoredBlock(source.path, start, block_length, files)
        position = start + block_length


def _block(block: bytes | _StoredBlock) -> bytes:
    return block.read() if isinstance(block, _StoredBlock) else block


def _loaded(parts: Parts | StoredParts) -> Parts:
    """``parts`` in memory (read from their file when stored)."""
    if isinstance(parts, Parts):
        return parts
    return Parts(*(_read_once(parts.path, *getattr(parts, which)) for which in ("trig", "turtle", "offsets")))


ENTITY_SOURCE = -1
"""The source id of the graph of entities (made anew by every build) in a :class:`Layout`."""
_UNKNOWN = -2
"""The source id of parts given without a key or a name (then the build keeps no layout)."""


class Names:
    """IRIs in order, kept in one buffer with their lengths (no object per IRI, and pickled without
    a memo of each); indexable, for a binary search."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.lengths = array("I")
        self._starts: array | None = None

    def __getstate__(self) -> tuple[bytearray, array]:
        return self.data, self.lengths  # the buffer itself: pickle writes a bytearray without a copy

    def __setstate__(self, state: tuple[bytes, array]) -> None:
        data, self.lengths = state
        self.data, self._starts = data if isinstance(data, bytearray) else bytearray(data), None

    def __len__(self) -> int:
        return len(self.lengths)

    def starts(self) -> array:
        """Where each IRI starts in the buffer, and where the last one ends."""
        if self._starts is None:
            self._starts = array("Q", accumulate(self.lengths, initial=0))
        return self._starts

    def __getitem__(self, index: int) -> bytes:
        starts = self.starts()
        return bytes(self.data[starts[index] : starts[index + 1]])

    def append(self, iri: bytes) -> None:
        self.data += iri
        self.lengths.append(len(iri))
        self._starts = None


# --- the layout of the files written, kept on disk for the next build to patch them ------------------


class Position(NamedTuple):
    """Where an entry of a :class:`Table` starts: its number (``entry``), and the IRI bytes, block
    bytes, sources and triples of all the entries before it."""

    entry: int = 0
    name: int = 0
    block: int = 0
    source: int = 0
    triples: int = 0


_COLUMNS = {"names": "B", "name_lengths": "I", "lengths": "Q", "counts": "I", "sizes": "I", "sources": "i"}
"""A table's columns and the type of their items: the IRIs one after another (bytes), each IRI's
length, each block's length in bytes, its triples, its number of sources, and the sources one
after another (an input file's id, :data:`ENTITY_SOURCE`)."""
_FENCE = 256
"""A :class:`Table` keeps in memory the position and IRI of about one entry in this many (a fence);
finding an entry is a binary search over the fences and a read of the entries after one."""
_FLUSH = 1 << 20
"""IRI bytes a :class:`_TableWriter` gathers before appending its columns to their files."""


def _span(column: str, start: Position, end: Position) -> tuple[int, int]:
    """Where the entries from ``start`` to ``end`` (excluded) lie in ``column``: (byte, bytes)."""
    if column == "names":
        return start.name, end.name - start.name
    if column == "sources":
        return 4 * start.source, 4 * (end.source - start.source)
    size = array(_COLUMNS[column]).itemsize
    return size * start.entry, size * (end.entry - start.entry)


def _after(at: Position, iri: bytes, entry: tuple[int, int, tuple[int, ...]]) -> Position:
    """The position after the entry at ``at`` (IRI ``iri``, (block length, triples, sources))."""
    length, count, sources = entry
    return Position(
        at.entry + 1, at.name + len(iri), at.block + length, at.source + len(sources), at.triples + count
    )


@dataclass
class Table:
    """The blocks of one output file in order (castkg.ttl's subjects, or castkg.trig's graphs): for
    each its IRI, length, triples and sources (see :data:`_COLUMNS`). The columns lie on disk, each
    at ``columns[name]`` (a file, and where in it the column starts); memory holds the end and the
    fences (``fences``: their positions one after another, five numbers each; ``fence_names``: their
    IRIs), so a build of any size keeps a few bytes per :data:`_FENCE` blocks, not per block."""

    columns: dict[str, tuple[str, int]] = field(default_factory=dict)
    end: Position = Position()
    fences: array = field(default_factory=lambda: array("Q"))
    fence_names: Names = field(default_factory=Names)

    def fence(self, k: int) -> Position:
        """The position of the ``k``-th fence."""
        return Position(*self.fences[5 * k : 5 * k + 5])

    def fence_at(self, index: int) -> int:
        """The first fence at or after the entry ``index``."""
        return bisect_left(range(len(self.fence_names)), index, key=lambda k: self.fences[5 * k])


class _TableWriter:
    """Appends a :class:`Table`'s entries, in order, to its column files in ``folder`` (named
    ``prefix.column``); with no folder, only counts them (a build that keeps no layout)."""

    def __init__(self, folder: Path | None, prefix: str) -> None:
        self.paths = {column: str(folder / f"{prefix}.{column}") for column in _COLUMNS} if folder else {}
        self._files = {column: open(path, "wb", buffering=0) for column, path in self.paths.items()}  # noqa: SIM115
        self._entry = self._name = self._block = self._source = self._triples = 0  # the end, as Position's
        self.fences = array("Q")
        self.fence_names = Names()
        self._since = _FENCE
        self._reset()

    def _reset(self) -> None:
        self._names = bytearray()
        self._name_lengths, self._lengths = array("I"), array("Q")
        self._counts, self._sizes, self._sources = array("I"), array("I"), array("i")

    def _flush(self) -> None:
        if not self._files:
            return
        buffers: tuple[bytearray | array, ...] = (
            self._names,
            self._name_lengths,
            self._lengths,
            self._counts,
            self._sizes,
            self._sources,
        )
        for column, buffer in zip(_COLUMNS, buffers, strict=True):
            if buffer:
                self._files[column].write(memoryview(buffer))
        self._reset()

    @property
    def end(self) -> Position:
        """Where the next entry starts."""
        return Position(self._entry, self._name, self._block, self._source, self._triples)

    def append(self, iri: bytes, length: int, count: int, sources: tuple[int, ...]) -> None:
        """Note the next block: its IRI, length, triples and sources."""
        size, given = len(iri), len(sources)
        if self._files:  # (per block: kept to plain attributes, no object made)
            if self._since >= _FENCE:
                self.fences.extend((self._entry, self._name, self._block, self._source, self._triples))
                self.fence_names.append(iri)
                self._since = 0
            self._since += 1
            self._names += iri
            self._name_lengths.append(size)
            self._lengths.append(length)
            self._counts.append(count)
            self._sizes.append(given)
            self._sources.extend(sources)
            if len(self._names) >= _FLUSH:
                self._flush()
        self._entry += 1
        self._name += size
        self._block += length
        self._source += given
        self._triples += count

    def copy(self, reader: _TableReader, start: Position, end: Position) -> None:
        """Note the entries of ``reader``'s table from ``start`` to ``end`` (excluded) as they are:
        their columns copied file to file, the fences among them moved to their new places."""
        if end.entry <= start.entry:
            return
        here = self.end
        if self._files:
            self._flush()
            for column, file in self._files.items():
                reader.copy_to(column, *_span(column, start, end), file.fileno())
            table = reader.table
            first, last = table.fence_at(start.entry), table.fence_at(end.entry)
            for k in range(first, last):
                fence = table.fence(k)
                self.fences.extend(here[i] + fence[i] - start[i] for i in range(5))
                self.fence_names.append(table.fence_names[k])
            if last > first:
                self._since = end.entry - table.fence(last - 1).entry
            else:
                self._since += end.entry - start.entry
        self._entry, self._name, self._block, self._source, self._triples = (
            here[i] + end[i] - start[i] for i in range(5)
        )

    def finish(self) -> Table:
        """The table written (its column files closed)."""
        self._flush()
        self.close()
        return Table(
            {column: (path, 0) for column, path in self.paths.items()},
            self.end,
            self.fences,
            self.fence_names,
        )

    def close(self) -> None:
        for file in self._files.values():
            file.close()


class _TableReader:
    """Reads a :class:`Table`'s columns where they lie; :meth:`close` closes the files."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._files: dict[str, int] = {}

    def _where(self, column: str) -> tuple[int, int]:
        path, base = self.table.columns[column]
        descriptor = self._files.get(path)
        if descriptor is None:
            descriptor = self._files[path] = os.open(path, os.O_RDONLY)
        return descriptor, base

    def read(self, column: str, start: int, length: int) -> bytes:
        """``length`` bytes of ``column`` from its byte ``start``."""
        descriptor, base = self._where(column)
        data = os.pread(descriptor, length, base + start)
        if len(data) != length:
            raise _Stale("the rebuild state is shorter than it says")
        return data

    def copy_to(self, column: str, start: int, length: int, out: int) -> None:
        """Append ``length`` bytes of ``column`` from its byte ``start`` to the file ``out``."""
        descriptor, base = self._where(column)
        _copy_range(descriptor, out, base + start, length)

    def seek(self, iri: bytes, at: Position) -> tuple[Position, tuple[int, int, tuple[int, ...]] | None]:
        """The position of the first entry whose IRI is not below ``iri``, searching from ``at`` (an
        entry not after it), and, when its IRI is ``iri``, its (block length, triples, sources)."""
        table = self.table
        k = bisect_right(table.fence_names, iri) - 1
        if k >= 0 and table.fences[5 * k] > at.entry:
            at = table.fence(k)
        while at.entry < table.end.entry:
            count = min(2 * _FENCE, table.end.entry - at.entry)
            batch = Position(at.entry + count)
            columns = {
                column: array(_COLUMNS[column], self.read(column, *_span(column, at, batch)))
                for column in ("name_lengths", "lengths", "counts", "sizes")
            }
            name_lengths = columns["name_lengths"]
            names = self.read("names", at.name, sum(name_lengths))
            position = 0
            for i, length in enumerate(name_lengths):
                name = names[position : position + length]
                sizes = columns["sizes"][i]
                if name >= iri:
                    if name != iri:
                        return at, None
                    sources = tuple(array("i", self.read("sources", 4 * at.source, 4 * sizes)))
                    return at, (columns["lengths"][i], columns["counts"][i], sources)
                position += length
                at = _after(at, name, (columns["lengths"][i], columns["counts"][i], (0,) * sizes))
        return at, None

    def close(self) -> None:
        for descriptor in self._files.values():
            os.close(descriptor)
        self._files = {}


@dataclass
class Layout:
    """Where each block of a build's castkg.ttl and castkg.trig lies and which sources gave it (a
    source: an input file's cached parts by its id, or :data:`ENTITY_SOURCE`): what a rebuild
    patches. Blocks follow the header in order; a block's offset is the sum of the lengths before it."""

    subjects: Table = field(default_factory=Table)
    graphs: Table = field(default_factory=Table)


_STATE_MAGIC = b"ckgstate1" + sys.byteorder[0].encode()
"""The start of a kept state (the byte order: its columns are this machine's arrays)."""
_LENGTH = struct.Struct("<Q")


@dataclass
class Previous:
    """What a build leaves for the next one to patch its files: the files' stamps (so a file
    changed by hand since is never patched), each source's id by cache key, the graph of entities'
    parts and the files' :class:`Layout`.

    Kept in one file: :data:`_STATE_MAGIC`, the length of the pickle of this state, that pickle (the
    layout's tables with their columns' places relative to what follows), then the columns."""

    turtle: tuple[int, int, int]
    trig: tuple[int, int, int]
    ids: dict[str, int]
    """Each input file's source id, by its name (a changed file keeps its id)."""
    keys: dict[int, str]
    """The cache key of each source's parts."""
    entities: Parts
    layout: Layout
    labels: dict[tuple[str, frozenset[str]], str] = field(default_factory=dict)
    """The preferred labels of the graph of entities, by class and names (not made again)."""

    @staticmethod
    def stamp(path: Path) -> tuple[int, int, int]:
        """Size, modification time and inode of ``path``: a file replaced or edited has others."""
        status = os.stat(path)
        return status.st_size, status.st_mtime_ns, status.st_ino

    @staticmethod
    def load(path: Path) -> Previous | None:
        """The state kept at ``path``, or None (none, damaged, another Python's or machine's). Its
        layout's columns are read from ``path`` when a rebuild patches."""
        try:
            with open(path, "rb") as file:
                start = file.read(len(_STATE_MAGIC) + _LENGTH.size)
                if not start.startswith(_STATE_MAGIC) or len(start) != len(_STATE_MAGIC) + _LENGTH.size:
                    raise ValueError("not a rebuild state")
                (length,) = _LENGTH.unpack_from(start, len(_STATE_MAGIC))
                previous = pickle.loads(file.read(length))
                size = os.fstat(file.fileno()).st_size
            if not isinstance(previous, Previous):
                raise ValueError("not a rebuild state")
            data = len(start) + length
            tables = (previous.layout.subjects, previous.layout.graphs)
            for table in tables:
                table.columns = {column: (str(path), data + at) for column, (_, at) in table.columns.items()}
            if size != data + sum(
                _span(column, Position(), table.end)[1] for table in tables for column in _COLUMNS
            ):
                raise ValueError("cut short")
        except FileNotFoundError:
            return None
        except Exception as exc:
            log.info("rebuild state %s unreadable (%s); writing the files whole", path, type(exc).__name__)
            return None
        return previous

    def save(self, path: Path) -> None:
        """Keep this state at ``path`` (written aside and renamed); a state that cannot be written
        is skipped: the next build writes its files whole."""
        temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        pieces = []
        placed = []
        at = 0
        for table in (self.layout.subjects, self.layout.graphs):
            columns = {}
            for column in _COLUMNS:
                length = _span(column, Position(), table.end)[1]
                columns[column] = ("", at)
                pieces.append((*table.columns[column], length))
                at += length
            placed.append(replace(table, columns=columns))
        head = pickle.dumps(replace(self, layout=Layout(*placed)), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with open(temporary, "wb") as file:
                for piece in (_STATE_MAGIC, _LENGTH.pack(len(head)), head):  # not joined: no copy
                    file.write(piece)
                file.flush()
                for source, start, length in pieces:
                    descriptor = os.open(source, os.O_RDONLY)
                    try:
                        _copy_range(descriptor, file.fileno(), start, length)
                    finally:
                        os.close(descriptor)
            os.replace(temporary, path)
        except (OSError, _Stale) as exc:
            with suppress(OSError):
                os.unlink(temporary)
            reason = getattr(exc, "strerror", None) or exc
            log.warning("rebuild state %s cannot be written (%s)", path, reason)


class _Stale(Exception):
    """The previous build's files or parts are not what its state says: write the files whole."""


_READ_BUDGET = 64 << 20
"""Bytes the Turtle merge reads ahead from all files' parts together (each file's share is bounded
below by :data:`_MIN_CHUNK` and above by :data:`_CHUNK`): a corpus of many files holds a small
buffer per file."""
_MIN_CHUNK = 1 << 12


class GraphSpool:
    """The graphs of a build, added file by file as :class:`Parts` (:func:`serialize_parts`) or as
    parts already kept in a file (the cache's), written at the end as the same castkg.ttl and
    castkg.trig as :func:`write_graph` writes of a Dataset of those graphs.

    Parts given as bytes go to one file in ``folder`` (a scratch folder, removed by :meth:`close`),
    so memory holds where each file's parts are, never the graphs. The two files are written by
    merging the parts' records in IRI order (see the comment above :data:`_RECORD`), or, when the
    previous build's files and state are given and few sources changed, by patching those files:
    only the blocks of the changed sources' subjects and graphs (and of the entities whose labels
    changed) are made again, the rest copied as it lies. The layout of the files written (what the
    next build patches) goes to the scratch folder too, as it is written: save the state
    :meth:`write` returns before :meth:`close`."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=False)
        self.parts_path = self.folder / "parts.bin"
        self._file = open(self.parts_path, "wb")  # noqa: SIM115 - closed by write() or close()
        self._sources: list[Parts | StoredParts] = []
        self._keys: list[str | None] = []
        self._names: list[str | None] = []
        self.patched = False

    def add_parts(
        self, parts: Parts | StoredParts, key: str | None = None, name: str | None = None, keep: bool = False
    ) -> None:
        """Add one file's graphs in final form: ``key`` the file's cache key, where the cache keeps
        these parts, ``name`` the file's name (a rebuild knows a file by its name and its parts by
        their key; None: not known again); parts given as bytes are written to the scratch folder,
        unless ``keep`` (then they stay in memory: small ones)."""
        if isinstance(parts, Parts) and not keep:
            start = self._file.tell()
            for piece in (parts.trig, parts.turtle, parts.offsets):
                self._file.write(piece)
            middle, end = start + len(parts.trig), start + len(parts.trig) + len(parts.turtle)
            parts = StoredParts(
                str(self.parts_path),
                (start, len(parts.trig)),
                (middle, len(parts.turtle)),
                (end, len(parts.offsets)),
            )
        self._sources.append(parts)
        self._keys.append(key)
        self._names.append(name)

    def add(self, graph: str, triples: Iterable[tuple[str, str, str]]) -> None:
        """Add the graph ``graph`` (an IRI): its triples as (subject IRI, predicate IRI, object in
        N-Triples form). A graph added twice is the union of both."""
        self.add_parts(serialize_parts([(graph, triples)]))

    def spill(self, graph: str, chunks: Iterable[Iterable[tuple[str, str, str]]]) -> StoredParts:
        """The parts of the graph ``graph`` given in chunks of its triples (as :meth:`add` takes
        them), each chunk's subjects sorting after the chunk before's, written to the scratch folder
        one chunk at a time: the same bytes as :func:`serialize_parts` of the whole graph, which
        memory never holds. Not added as a source: give them to :meth:`write` (the graph of
        entities). Raises ValueError when a chunk's subjects do not sort after the last one's."""
        started = time.perf_counter()
        side_path = self.folder / "graph.trig"
        turtle_start = self._file.tell()
        offsets = array("I")
        opening = last = b""
        triples = made = 0
        with open(side_path, "w+b") as side:
            for chunk in chunks:
                parts = serialize_parts([(graph, chunk)])
                if not parts.trig:
                    continue
                made += 1
                ((_, _, count, block),) = _records(parts, "trig", 0)
                head, _, body = block.partition(b"\n")
                if (opening and head + b"\n" != opening) or not body.endswith(b"}\n"):
                    raise ValueError(f"unexpected TriG block of {graph}: {block[:200]!r}")
                opening, triples = head + b"\n", triples + count
                side.write(body[:-2])  # the subjects' lines, without the graph's brace
                placed = array("I", parts.offsets)
                first, final = _record_iri(parts.turtle, placed[0]), _record_iri(parts.turtle, placed[-1])
                if last and first <= last:
                    raise ValueError(f"chunks of {graph} out of order: {first!r} after {last!r}")
                last = final
                base = self._file.tell() - turtle_start
                offsets.extend(offset + base for offset in placed)
                self._file.write(parts.turtle)
            turtle_length = self._file.tell() - turtle_start
            offsets_start = self._file.tell()
            self._file.write(offsets.tobytes())
            trig_start = self._file.tell()
            if opening:
                self._append_graph(graph, opening, side, triples)
            trig_length = self._file.tell() - trig_start
            self._file.flush()  # readable where they lie at once
        side_path.unlink()
        seconds = time.perf_counter() - started
        log.info("%s: %d triples, %d subjects, %d chunks, %.2fs", graph, triples, len(offsets), made, seconds)
        return StoredParts(
            str(self.parts_path),
            (trig_start, trig_length),
            (turtle_start, turtle_length),
            (offsets_start, trig_start - offsets_start),
        )

    def _append_graph(self, graph: str, opening: bytes, side: BinaryIO, triples: int) -> None:
        """Append to the parts file the TriG record of ``graph`` (``triples`` statements): its
        ``opening`` line, the subjects' lines gathered in the file ``side``, its closing brace."""
        iri, inner = graph.encode(), side.tell()
        self._file.write(_RECORD.pack(len(iri), len(opening) + inner + 2, triples) + iri + opening)
        side.flush()
        self._file.flush()
        _copy_range(side.fileno(), self._file.fileno(), 0, inner)
        self._file.seek(0, os.SEEK_END)
        self._file.write(b"}\n")

    def write(
        self,
        directory: str | Path,
        entities: Parts | StoredParts | None = None,
        previous: tuple[Path, Previous | None] | None = None,
        stored: Callable[[str], StoredParts | None] | None = None,
    ) -> tuple[Written, Previous | None]:
        """Write castkg.ttl and castkg.trig into ``directory``: the same bytes as :func:`write_graph`
        of a Dataset holding the graphs added and ``entities`` (the graph of entities' parts).
        ``previous``: the folder of the previous build's files and its state, to patch them when
        they are as the state says; ``stored``: the cached parts of a file by key (of the files the
        previous build had and this one has not). Returns what was written, and the state to keep
        for the next build (None when a source has no key); its layout lies in the scratch folder
        until :meth:`Previous.save`."""
        self._file.close()
        target = Path(directory)
        turtle, trig = target / TURTLE, target / TRIG
        sources = list(self._sources)
        if entities is not None:
            sources.append(entities)
        check_room(target, sum(_record_bytes(source) for source in sources))
        names = self._names
        known = all(key is not None for key in self._keys) and None not in names
        known = known and len(set(names)) == len(names)
        ids: dict[str, int] = {}
        if previous is not None and previous[1] is not None and known:
            old = previous[1]
            ids = {name: old.ids[name] for name in names if name is not None and name in old.ids}
        used = previous[1].ids.values() if previous is not None and previous[1] is not None else ()
        next_id = max([*ids.values(), *used], default=-1)
        owners = []
        keys: dict[int, str] = {}
        for name, key in zip(names, self._keys, strict=True):
            if not known or name is None or key is None:
                owners.append(_UNKNOWN)
                continue
            if name not in ids:
                next_id += 1
                ids[name] = next_id
            owners.append(ids[name])
            keys[ids[name]] = key
        if entities is not None:
            owners.append(ENTITY_SOURCE)
        keep = known and entities is not None
        layout = None
        if previous is not None and previous[1] is not None and keep and stored:
            try:
                old = previous[1]
                layout = _patch(previous[0], old, sources, owners, keys, stored, turtle, trig, self.folder)
                self.patched = True
                log.info("patched the previous build's castkg.ttl and castkg.trig in %s", previous[0])
            except _Stale as exc:
                log.info("the previous build's files cannot be patched (%s); writing them whole", exc)
        if layout is None:
            scratch = self.folder if keep else None
            graphs, subjects = _TableWriter(scratch, "graphs"), _TableWriter(scratch, "subjects")
            files = _Files()
            try:
                with open(trig, "wb") as out:
                    heads = [
                        _record_heads(source, "trig", rank, files) for rank, source in enumerate(sources)
                    ]
                    _write_merged(out, heads, _merge_graphs, owners, graphs)
                chunk = max(_MIN_CHUNK, min(_CHUNK, _READ_BUDGET // max(1, len(sources))))
                with open(turtle, "wb") as out:
                    streams = [
                        _records(source, "turtle", rank, chunk, files) for rank, source in enumerate(sources)
                    ]
                    _write_merged(out, streams, TermMemos().merge, owners, subjects)
                layout = Layout(subjects.finish(), graphs.finish())
            finally:
                files.close()
                graphs.close()
                subjects.close()
        triples = layout.subjects.end.triples
        log.info("wrote %s, %s (%d triples)", turtle, trig, triples)
        state = None
        if keep:
            assert entities is not None
            kept = _loaded(entities)  # the state holds them after the scratch folder is gone
            state = Previous(Previous.stamp(turtle), Previous.stamp(trig), ids, keys, kept, layout)
        return Written(turtle, trig, triples), state

    def close(self) -> None:
        """Remove the scratch folder."""
        self._file.close()
        shutil.rmtree(self.folder, ignore_errors=True)


ROOM_SHARE = 0.85
"""The share of the records' bytes the two files take at least (the records add each block's name:
the files were 0.91 of them on data/, 0.90 on the 1k corpus): below both, so a build that fits is
not stopped."""


def check_room(directory: Path, records: int) -> None:
    """Raise OutputError when ``directory``'s disk has less free space than castkg.ttl and
    castkg.trig will take (made from ``records`` bytes of blocks): before the write, not in it."""
    needed = int(records * ROOM_SHARE)
    free = shutil.disk_usage(directory).free
    if free < needed:
        raise OutputError(
            f"not enough disk to write castkg.ttl and castkg.trig in {directory}: about "
            f"{needed / 1e9:.1f} GB needed, {free / 1e9:.1f} GB free; free space, or put -o and the "
            "build's cache (--cache DIR, or --no-cache) on a larger disk"
        )


def _record_bytes(source: Parts | StoredParts) -> int:
    """How many bytes of TriG and Turtle records ``source`` holds."""
    if isinstance(source, StoredParts):
        return source.trig[1] + source.turtle[1]
    return len(source.trig) + len(source.turtle)


def _write_merged(
    out: BinaryIO,
    streams: Sequence[Iterator[tuple[bytes, int, int, bytes | _StoredBlock]]],
    merge: Callable[[bytes, list[tuple[int, bytes]]], tuple[int, bytes]],
    owners: list[int],
    table: _TableWriter,
) -> None:
    """Write the header and the records of ``streams`` (each in IRI order, each record ranked by its
    stream, whose source id is ``owners[rank]``) merged in IRI order, the records of one IRI from
    several streams made one block by ``merge``; each block noted in ``table``."""
    write, note = out.write, table.append
    last: bytes | None = None
    group: list[tuple[int, int, bytes | _StoredBlock]] = []

    def settle(iri: bytes) -> None:
        if len(group) == 1:
            rank, count, stored = group[0]
            if isinstance(stored, _StoredBlock):  # written as it lies, a piece at a time
                note(iri, stored.length, count, (owners[rank],))
                stored.write_to(out)
                return
            block = stored
            sources: tuple[int, ...] = (owners[rank],)
        else:
            count, block = merge(iri, [(count, _block(stored)) for _, count, stored in group])
            sources = tuple(owners[rank] for rank, _, _ in group)
        note(iri, len(block), count, sources)
        write(block)

    for iri, rank, triples, block in heapq.merge(*streams):
        if last is None:
            write(HEADER)
        elif iri != last:
            settle(last)
            group = []
        last = iri
        group.append((rank, triples, block))
    if last is not None:
        settle(last)


def _copy(source: BinaryIO, out: BinaryIO, start: int, end: int) -> None:
    """Copy bytes ``start`` to ``end`` of ``source`` to the end of ``out``."""
    out.flush()
    _copy_range(source.fileno(), out.fileno(), start, end - start)


def _copy_range(source: int, out: int, start: int, length: int) -> None:
    """Copy ``length`` bytes of the file ``source`` from ``start`` to where the file ``out`` is."""
    position, end = start, start + length
    while position < end:
        try:
            copied = os.copy_file_range(source, out, end - position, position)
        except (AttributeError, OSError):  # no copy_file_range here: read and write
            while position < end:
                data = os.pread(source, min(end - position, 1 << 22), position)
                if not data:
                    raise _Stale("the previous file is shorter than its state says") from None
                view = memoryview(data)
                while view:
                    view = view[os.write(out, view) :]
                position += len(data)
            return
        if copied == 0:
            raise _Stale("the previous file is shorter than its state says")
        position += copied


class _Finder:
    """Finds one subject's block in a source's Turtle records (by the records' offsets, read once
    per source while its file is open), reading each record's head and IRI in one read; at most
    :data:`_OPEN` files open at once; :meth:`close` closes them."""

    def __init__(self) -> None:
        self._offsets: dict[int, array] = {}
        self._files: dict[str, int] = {}

    def _descriptor(self, path: str) -> int:
        descriptor = self._files.get(path)
        if descriptor is None:
            if len(self._files) >= _OPEN:
                self.close()
            descriptor = self._files[path] = os.open(path, os.O_RDONLY)
        return descriptor

    def find(self, source: Parts | StoredParts, iri: bytes) -> tuple[int, bytes] | None:
        """(triples, block) of the subject ``iri`` in ``source``, or None."""
        if len(self._offsets) >= _OPEN:  # a subject many files state: keep a few files' offsets
            self._offsets = {}
        offsets = self._offsets.get(id(source))
        if isinstance(source, Parts):
            if offsets is None:
                offsets = self._offsets[id(source)] = array("I", source.offsets)
            data = source.turtle

            def read(position: int, length: int) -> bytes:
                return data[position : position + length]

        else:
            descriptor = self._descriptor(source.path)
            if offsets is None:
                offsets = array("I", os.pread(descriptor, source.offsets[1], source.offsets[0]))
                self._offsets[id(source)] = offsets
            base = source.turtle[0]

            def read(position: int, length: int) -> bytes:
                return os.pread(descriptor, length, base + position)

        size, wanted = _RECORD.size, len(iri)
        low, high = 0, len(offsets)
        while low < high:
            middle = (low + high) // 2
            head = read(offsets[middle], size + wanted + 1)
            name_length, block_length, triples = _RECORD.unpack_from(head)
            name = head[size : size + name_length]
            if len(name) < name_length:
                name = read(offsets[middle] + size, name_length)
            if name < iri:
                low = middle + 1
            elif name > iri:
                high = middle
            else:
                return triples, read(offsets[middle] + size + name_length, block_length)
        return None

    def close(self) -> None:
        for descriptor in self._files.values():
            os.close(descriptor)
        self._files = {}


_OPEN = 256
"""Files a :class:`_Finder` or :class:`_Files` keeps open (and sources whose offsets a finder keeps)
at most."""
_MOST_CHANGED = 0.2
"""Patch the previous files only when at most this share of the sources changed."""


def _patch(
    folder: Path,
    old: Previous,
    sources: list[Parts | StoredParts],
    owners: list[int],
    keys: dict[int, str],
    stored: Callable[[str], StoredParts | None],
    turtle: Path,
    trig: Path,
    scratch: Path,
) -> Layout:
    """Write ``turtle`` and ``trig`` by patching the previous build's files in ``folder`` (see
    :class:`GraphSpool`); the new :class:`Layout`, its columns written into ``scratch``. Raises
    :class:`_Stale` when they cannot be."""
    old_turtle, old_trig = folder / TURTLE, folder / TRIG
    try:
        if Previous.stamp(old_turtle) != old.turtle or Previous.stamp(old_trig) != old.trig:
            raise _Stale("changed since they were written")
    except OSError as exc:
        raise _Stale(f"not there ({exc.strerror})") from None
    by_id = {owner: source for owner, source in zip(owners, sources, strict=True)}
    now = set(owners) - {ENTITY_SOURCE}
    removed = {owner for owner in old.keys if owner not in now}
    changed = {owner for owner in now if owner in old.keys and old.keys[owner] != keys[owner]}
    added = [owner for owner in now if owner not in old.keys]
    if len(removed) + len(changed) + len(added) > max(2, _MOST_CHANGED * len(now)):
        raise _Stale(f"{len(removed)} files gone, {len(changed)} changed and {len(added)} new")
    before_parts: dict[int, StoredParts] = {}
    for owner in removed | changed:
        parts = stored(old.keys[owner])
        if parts is None:
            raise _Stale("the cache no longer has a file as the previous build had it")
        before_parts[owner] = parts
    # what changed: the subjects and graphs of the files gone, changed and new, and the entities' blocks
    subjects: dict[bytes, dict[int, tuple[int, bytes]]] = {}
    graphs: dict[bytes, tuple[int, int, bytes] | None] = {}
    for owner in sorted(removed | changed | set(added)):
        before = before_parts.get(owner)
        after = None if owner in removed else by_id[owner]
        differing, dropped = _changed_records(before, after, "turtle", owner)
        for iri, count, block in differing:
            subjects.setdefault(iri, {})[owner] = (count, block)
        for iri in dropped:  # what the file stated and no longer does
            subjects.setdefault(iri, {})
        differing, dropped = _changed_records(before, after, "trig", owner)
        for iri, count, block in differing:
            if graphs.get(iri) is not None:
                raise _Stale("a graph given by two files")
            graphs[iri] = (owner, count, block)
        for iri in dropped:
            graphs.setdefault(iri, None)
    entities = by_id[ENTITY_SOURCE]
    differing, dropped = _changed_records(old.entities, entities, "turtle", 0)
    for iri, count, block in differing:
        subjects.setdefault(iri, {})[ENTITY_SOURCE] = (count, block)
    for iri in dropped:  # an entity no longer labelled
        subjects.setdefault(iri, {})
    for iri, _, count, block in _records(entities, "trig", 0):
        graphs[iri] = (ENTITY_SOURCE, count, block)
    old_graphs, old_subjects = _TableReader(old.layout.graphs), _TableReader(old.layout.subjects)
    new_graphs, new_subjects = _TableWriter(scratch, "graphs"), _TableWriter(scratch, "subjects")
    finder = _Finder()
    try:
        _patch_graphs(old_trig, trig, old_graphs, graphs, new_graphs, removed | changed)
        changes = _changes(subjects, old_subjects, by_id, removed, changed, entities, finder)
        _patch_subjects(old_turtle, turtle, old_subjects, changes, new_subjects)
        return Layout(new_subjects.finish(), new_graphs.finish())
    finally:
        finder.close()
        for reader in (old_graphs, old_subjects):
            reader.close()
        for writer in (new_graphs, new_subjects):
            writer.close()


def _changed_records(
    before: Parts | StoredParts | None, after: Parts | StoredParts | None, which: str, rank: int
) -> tuple[list[tuple[bytes, int, bytes]], list[bytes]]:
    """The ``which`` records of ``after`` whose (triples, block) differ from ``before``'s, as (IRI,
    triples, block), and the IRIs ``before`` has and ``after`` has not (None: no records)."""
    earlier = _records(before, which, 0) if before is not None else ()
    was = {iri: (count, block) for iri, _, count, block in earlier}
    differing = []
    for iri, _, count, block in _records(after, which, rank) if after is not None else ():
        if was.pop(iri, None) != (count, block):
            differing.append((iri, count, block))
    return differing, list(was)


_Change = tuple[Position, Position | None, bytes, list[tuple[int, int, bytes]]]
"""A subject changed: where it is (or would be) in the previous layout, where the entry after it
starts (None: it was not there), its IRI and its blocks by source now."""


def _changes(
    subjects: dict[bytes, dict[int, tuple[int, bytes]]],
    old: _TableReader,
    by_id: dict[int, Parts | StoredParts],
    removed: set[int],
    changed: set[int],
    entities: Parts | StoredParts,
    finder: _Finder,
) -> list[_Change]:
    """For each subject changed (in IRI order), a :data:`_Change`."""
    changes = []
    at = Position()
    for iri in sorted(subjects):
        at, entry = old.seek(iri, at)
        before = entry[2] if entry is not None else ()
        given = subjects[iri]
        blocks: list[tuple[int, int, bytes]] = []
        for owner in before:
            if owner in removed or owner in given or owner == ENTITY_SOURCE or owner not in by_id:
                continue
            found = finder.find(by_id[owner], iri)
            if found is None:
                if owner in changed:  # the file no longer states anything of it
                    continue
                raise _Stale("a file's parts do not have a subject the state gives it")
            blocks.append((owner, *found))
        if ENTITY_SOURCE in before and ENTITY_SOURCE not in given:
            found = finder.find(entities, iri)
            if found is not None:
                blocks.append((ENTITY_SOURCE, *found))
        blocks.extend((owner, count, block) for owner, (count, block) in given.items())
        blocks.sort()
        changes.append((at, _after(at, iri, entry) if entry is not None else None, iri, blocks))
    return changes


def _patch_graphs(
    old_path: Path,
    path: Path,
    old: _TableReader,
    graphs: dict[bytes, tuple[int, int, bytes] | None],
    layout: _TableWriter,
    replaced: set[int],
) -> None:
    """castkg.trig: the previous one with ``graphs`` (IRI → (source, triples, block), None: gone)
    put in place."""
    head = len(HEADER)
    with open(old_path, "rb") as source, open(path, "wb") as out:
        out.write(HEADER)
        done = Position()
        for iri in sorted(graphs):
            at, entry = old.seek(iri, done)
            _copy(source, out, head + done.block, head + at.block)
            layout.copy(old, done, at)
            done = _after(at, iri, entry) if entry is not None else at
            given = graphs[iri]
            if entry is not None and given is not None:
                owners = entry[2]
                if len(owners) != 1 or owners[0] not in {*replaced, given[0]}:
                    raise _Stale("a graph given by two files")
            if given is not None:
                owner, count, block = given
                out.write(block)
                layout.append(iri, len(block), count, (owner,))
        _copy(source, out, head + done.block, head + old.table.end.block)
        layout.copy(old, done, old.table.end)
    if layout.end.entry == 0:
        raise _Stale("no graph left")


def _patch_subjects(
    old_path: Path, path: Path, old: _TableReader, changes: list[_Change], layout: _TableWriter
) -> None:
    """castkg.ttl: the previous one with each changed subject's block made again from ``changes``."""
    head, memos = len(HEADER), TermMemos()
    with open(old_path, "rb") as source, open(path, "wb") as out:
        out.write(HEADER)
        done = Position()
        for at, after, iri, blocks in changes:
            _copy(source, out, head + done.block, head + at.block)
            layout.copy(old, done, at)
            done = after if after is not None else at
            if not blocks:
                continue
            if len(blocks) == 1:
                _, count, block = blocks[0]
            else:
                count, block = memos.merge(iri, [(count, block) for _, count, block in blocks])
            out.write(block)
            layout.append(iri, len(block), count, tuple(owner for owner, _, _ in blocks))
        _copy(source, out, head + done.block, head + old.table.end.block)
        layout.copy(old, done, old.table.end)


# --- merging the blocks of one subject (or graph) given by several files ------------------------------

_EXPAND = {prefix.encode(): namespace.encode() for prefix, namespace in PREFIXES.items()}
_XSD = b"http://www.w3.org/2001/XMLSchema#"
_TERM = re.compile(rb'("(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^\S+)?|[^\s",]\S*)(?: , |\Z)')
_INTEGER = re.compile(rb"[+-]?[0-9]+")
_DECIMAL = re.compile(rb"[+-]?[0-9]*\.[0-9]+")
_DOUBLE = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
_ESCAPED = re.compile(rb"\\(.)")


def _record_iri(records: bytes, offset: int) -> bytes:
    """The IRI of the record at ``offset`` of ``records``."""
    name_length = _RECORD.unpack_from(records, offset)[0]
    return records[offset + _RECORD.size : offset + _RECORD.size + name_length]


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


class TermMemos:
    """The terms one write has converted: predicates to IRIs, objects to their sort keys. Made
    for a write and gone with it (up to 2 x _MEMO small objects made late in a build: kept past
    the write, they held memory the entity table frees from going back to the system)."""

    def __init__(self) -> None:
        self.predicate_iris = _Memo(_iri_of)
        self.object_keys = _Memo(_nt_key)

    def merge(self, iri: bytes, group: list[tuple[int, bytes]]) -> tuple[int, bytes]:
        """:func:`merge_subject` with these memos."""
        return merge_subject(iri, group, memos=self)


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


def merge_subject(
    iri: bytes, group: list[tuple[int, bytes]], indent: bytes = b"", memos: TermMemos | None = None
) -> tuple[int, bytes]:
    """One block of what several blocks (``(triples, block)``) state of the subject ``iri``: each
    predicate's line kept where one block has it, the objects of one given by several merged,
    deduplicated and sorted as Oxigraph's writer of the sorted union would write them; with the
    triples of the block made."""
    memos = memos or TermMemos()
    subject = b""
    by_predicate: dict[bytes, list[bytes]] = {}
    total = 0
    predicate_iris = memos.predicate_iris
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
        ordered: list[bytes] = sorted(terms, key=memos.object_keys.__getitem__)
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
