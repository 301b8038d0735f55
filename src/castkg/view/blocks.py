"""The subject blocks of a castkg.ttl, found in its bytes, so that a pass of the view parses only
the subjects it needs.

castkg build writes castkg.ttl as ``@prefix`` lines, then one block per subject: a line that
starts with the subject, one tab-indented line per further statement of it, and no literal spread
over lines (newlines in strings are escaped). So a block starts wherever a line does not start
with a tab, and its subject is the line's first word. Two thirds of the triples are the reified
statements of facts (``rdf:Statement``), which choosing a page never reads and its details read
only for the page's nodes: parsing what a pass skips costs most of a pass (see
``benchmarks/README.md``, "The view pass").

A file not laid out so (another writer's, with blank nodes, comments or long strings) is not
cut: :meth:`TurtleBlocks.open` says so and it is read whole. The file is read in chunks, not
mapped: a mapped file's pages would count in the process's memory (13 GB at 100k articles).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 23
"""Bytes read at a time (8 MiB)."""
_PREFIX = re.compile(rb"@prefix ([A-Za-z][\w.-]*)?: <([^<>\s]*)> \.\n")
_BLOCK = re.compile(rb"\n([^\t@\n][^ \n]*) ")
"""A subject line: a newline, then a word that is not indented (the subject)."""
_SIGNS_OF_ANOTHER_LAYOUT = re.compile(rb'"""|\'\'\'|_:|\n#|@base|@prefix|\r')
"""Long strings (lines inside a literal), blank nodes (their ids are the parser's, per document),
comments, a base or prefixes past the header: the file was not written as castkg writes
castkg.ttl."""
_LONGEST_SIGN = 7

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_STATEMENT_PREDICATES = (
    _RDF + "subject",
    _RDF + "predicate",
    _RDF + "object",
    "http://www.w3.org/ns/prov#wasDerivedFrom",
    "https://w3id.org/castkg/ontology#evidence",
    "https://w3id.org/castkg/ontology#rule",
)
"""All that castkg states of the reified statement of a fact (:mod:`castkg.mapping`), but its type."""
_STATEMENT = _RDF + "Statement"


@dataclass(frozen=True)
class Block:
    """One subject's lines, ``data[start:end]``: ``subject`` its IRI as written (prefixed or in
    ``<>``), ``data`` the chunk of the file that holds them."""

    subject: bytes
    data: bytes
    start: int
    end: int


class TurtleBlocks:
    """A castkg.ttl read block by block (:meth:`blocks`) and parsed in part (:meth:`reader`)."""

    def __init__(self, path: Path, header: bytes, prefixes: dict[bytes, str]) -> None:
        self.path = path
        self.header = header
        self.prefixes = prefixes
        self._statement = _statement_pattern(prefixes)

    @classmethod
    def open(cls, path: Path) -> TurtleBlocks | None:
        """The blocks of the Turtle file ``path``, or None when it is not laid out as castkg
        writes castkg.ttl (then it must be parsed whole)."""
        with open(path, "rb") as handle:
            first = handle.read(CHUNK)
            prefixes: dict[bytes, str] = {}
            at = 0
            while (found := _PREFIX.match(first, at)) is not None:
                prefixes[found.group(1) or b""] = found.group(2).decode("utf-8")
                at = found.end()
            if at == 0 or at == len(first):
                return None
            tail, chunk = b"", first[at - 1 :]  # from the header's last newline: the first block's
            while chunk:
                if _SIGNS_OF_ANOTHER_LAYOUT.search(tail + chunk):
                    return None
                tail, chunk = chunk[-_LONGEST_SIGN:], handle.read(CHUNK)
        return cls(path, first[:at], prefixes)

    def blocks(self) -> Iterator[Block]:
        """Every subject's block, in the file's order."""
        with open(self.path, "rb") as handle:
            handle.seek(len(self.header) - 1)
            data = handle.read(CHUNK)
            while data:
                more = handle.read(CHUNK)
                found = list(_BLOCK.finditer(data))
                last = len(found) - (1 if more else 0)  # the last block may go on in the next chunk
                for i in range(last):
                    end = found[i + 1].start() + 1 if i + 1 < len(found) else len(data)
                    yield Block(found[i].group(1), data, found[i].start() + 1, end)
                # on from the block that may go on (from the chunk's start when none starts in it)
                rest = data[found[last].start() :] if found and more else data
                data = rest + more if more else b""

    def iri(self, word: bytes) -> str | None:
        """The IRI a subject or object ``word`` writes, or None when it is not a plain IRI
        (a literal, or a name with escapes, which are left to the parser)."""
        if word.startswith(b"<") and word.endswith(b">"):
            return word[1:-1].decode("utf-8")
        prefix, colon, local = word.partition(b":")
        if not colon or b"\\" in local or prefix not in self.prefixes:
            return None
        return self.prefixes[prefix] + local.decode("utf-8")

    def is_statement(self, block: Block) -> bool:
        """Whether ``block`` is the reified statement of a fact as castkg writes it: typed
        ``rdf:Statement`` and stating nothing but what :data:`_STATEMENT_PREDICATES` name."""
        found = self._statement.fullmatch(block.data, block.start, block.end)
        return found is not None and found["typed"] is not None

    def reader(self, keep: Callable[[Block], bool]) -> io.BufferedReader:
        """The file with only the blocks ``keep`` keeps, as a binary stream for a parser."""
        return io.BufferedReader(_Spliced(self._kept(keep)), buffer_size=1 << 20)

    def _kept(self, keep: Callable[[Block], bool]) -> Iterator[memoryview]:
        yield memoryview(self.header)
        run: Block | None = None  # neighbouring kept blocks of a chunk go out as one piece
        for block in self.blocks():
            if not keep(block):
                continue
            if run is not None and run.data is block.data and run.end == block.start:
                run = Block(run.subject, run.data, run.start, block.end)
                continue
            if run is not None:
                yield memoryview(run.data)[run.start : run.end]
            run = block
        if run is not None:
            yield memoryview(run.data)[run.start : run.end]


def _statement_pattern(prefixes: dict[bytes, str]) -> re.Pattern[bytes]:
    """The bytes of a castkg reified statement's block, as castkg.ttl writes it with ``prefixes``
    (the group ``typed`` set when it states the type)."""
    written = {iri: re.escape(b"<" + iri.encode() + b">") for iri in (*_STATEMENT_PREDICATES, _STATEMENT)}
    for name, space in prefixes.items():
        for iri in written:
            if iri.startswith(space) and re.fullmatch(r"[\w-]+", iri[len(space) :]):
                written[iri] = re.escape(name + b":" + iri[len(space) :].encode())
    predicates = b"|".join(written[iri] for iri in _STATEMENT_PREDICATES)
    one_line = rb"(?:a (?P<typed>" + written[_STATEMENT] + rb")|(?:" + predicates + rb") [^\n]*) [;.]\n"
    return re.compile(rb"\S+ (?:\t?" + one_line + rb")+")


class _Spliced(io.RawIOBase):
    """The bytes of the pieces one after another, as a raw stream."""

    def __init__(self, pieces: Iterator[memoryview]) -> None:
        self._pieces = pieces
        self._piece = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._piece:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._piece = piece
        size = min(len(buffer), len(self._piece))
        buffer[:size] = self._piece[:size]
        self._piece = self._piece[size:]
        return size
