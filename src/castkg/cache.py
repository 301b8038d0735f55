"""The incremental build's cache: each input file's result, kept under its content and the rules.

A file's :class:`~castkg.pipeline.FileResult` depends on its bytes, its name (the source the
graph records), the rules and castkg's code, nothing else; so it is stored under a SHA-256 of
the first two, in a folder named by a digest of the last two (a *generation*). A rebuild after
one file changed reads every other file's result from here and extracts that one file only.

Writing is safe under concurrent builds and crashes: each entry is written to a temporary
file beside its place and renamed there, so an entry is whole or absent; an entry that cannot
be read (damaged, another Python) is a miss, built again and replaced. Entries are pickles: keep
the folder where only you write, as you would the code. The default folder, beside the output
folder (``.OUT.castkg-cache``), keeps what the last build used and nothing else; a folder given
with ``--cache`` is never pruned (delete it any time).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import secrets
import shutil
import struct
import time
import zlib
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import overload

from castkg.errors import CastkgError
from castkg.fingerprint import code_digest, digest_of, rules_files
from castkg.model import Extraction
from castkg.pipeline import FileResult
from castkg.rules import Rules
from castkg.write import StoredParts

log = logging.getLogger(__name__)

CACHE = ".castkg-cache"
"""The default cache beside an output folder ``NAME``: ``.NAME`` + this."""
_TMP = ".tmp-"
_STATE = "output-"
_STALE_SECONDS = 3600
"""A temporary file older than this was left by a build that died; it is removed."""


def default_cache(output: str | Path) -> Path:
    """The cache folder that belongs to the output folder ``output``: beside it, hidden."""
    path = Path(os.path.abspath(output))
    return path.parent / f".{path.name}{CACHE}"


class FileCache:
    """Results of input files under ``folder``, for the code running now and ``rules``.

    ``prune``: after a build, :meth:`prune` removes what it did not use (for the default cache,
    which serves one output folder).
    """

    def __init__(self, folder: str | Path, rules: Rules, prune: bool = False) -> None:
        self.folder = Path(folder)
        generation = hashlib.sha256(f"{code_digest()} {digest_of(rules_files(rules.directory))}".encode())
        self.root = self.folder / generation.hexdigest()[:24]
        self.pruning = prune
        self.used: set[str] = set()
        self.hits = self.misses = 0
        self._writable = True

    def state(self, output: str | Path) -> Path:
        """Where a build into the folder ``output`` keeps what the next one needs to patch its files."""
        name = hashlib.sha256(os.path.abspath(output).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        return self.root / f"{_STATE}{name}"

    def stored(self, key: str) -> StoredParts | None:
        """The graphs in final form of the entry ``key``, where the entry has them (else None)."""
        try:
            result = _read_entry(self._path(key))
        except Exception:  # gone or damaged: the build writes its files whole
            return None
        parts = result.graphs.parts if result is not None and result.graphs is not None else None
        return parts if isinstance(parts, StoredParts) else None

    def key(self, source: str, data: bytes) -> str:
        """The key of a file named ``source`` holding ``data``."""
        digest = hashlib.sha256(source.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> FileResult | None:
        """The stored result under ``key``, or None. Its extractions are read when first used, and
        its graphs in final form are left in the entry, where the build's writer reads them."""
        self.used.add(key)
        path = self._path(key)
        try:
            result = _read_entry(path)
        except FileNotFoundError:
            result = None
        except Exception as exc:  # damaged, or written by another Python: build it again
            log.info("cache entry %s unreadable (%s); building its file again", key[:12], type(exc).__name__)
            result = None
        if result is None:
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: FileResult) -> None:
        """Store ``result`` under ``key`` (whole or not at all); a cache that cannot be written is
        reported once and then left alone: the build goes on without it."""
        self.used.add(key)
        if not self._writable:
            return
        path = self._path(key)
        temporary = path.parent / f"{_TMP}{secrets.token_hex(6)}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            pieces = _entry(result)
            with open(temporary, "xb") as file:
                for piece in pieces:
                    file.write(piece)
            os.replace(temporary, path)
        except OSError as exc:
            with suppress(OSError):
                os.unlink(temporary)
            log.warning(
                "cache %s cannot be written (%s); building without it", self.folder, exc.strerror or exc
            )
            self._writable = False

    def prune(self) -> None:
        """Remove entries this build did not use, other generations and temporaries left by a
        crash (when this cache prunes; otherwise only the temporaries)."""
        now = time.time()
        if not self.folder.is_dir():
            return
        for generation in self.folder.iterdir():
            if generation != self.root and self.pruning and generation.is_dir():
                shutil.rmtree(generation, ignore_errors=True)
        if not self.root.is_dir():
            return
        for bucket in self.root.iterdir():
            for entry in bucket.iterdir() if bucket.is_dir() else ():
                with suppress(OSError):
                    if entry.name.startswith(_TMP):
                        if now - entry.stat().st_mtime > _STALE_SECONDS:
                            entry.unlink()
                    elif self.pruning and entry.name not in self.used:
                        entry.unlink()


# --- an entry: the result without its extractions, the extractions, the graphs in final form -----------

_MAGIC = b"ckg2"
_SIZES = struct.Struct("<QQQQQ")
"""The lengths of an entry's five pieces, after the magic bytes."""


def _entry(result: FileResult) -> list[bytes]:
    """The pieces of ``result``'s entry: magic and lengths, its TriG and Turtle records (as they
    are: read back at the build's pace, never unpickled), the result without its extractions and
    graphs' parts (compressed pickle), its extractions (compressed pickle)."""
    parts = result.graphs.parts if result.graphs is not None else None
    if isinstance(parts, StoredParts):  # never: a result read from the cache is not stored again
        raise ValueError("a result read from the cache is not stored again")
    graphs = replace(result.graphs, parts=None) if result.graphs is not None else None
    head = replace(result, extractions=(), graphs=graphs, digests=result.article_digests())
    pieces = [  # the records first: where they lie does not depend on how a pickle came out
        parts.trig if parts is not None else b"",
        parts.turtle if parts is not None else b"",
        parts.offsets if parts is not None else b"",
        zlib.compress(pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL), 1),
        zlib.compress(pickle.dumps(tuple(result.extractions), protocol=pickle.HIGHEST_PROTOCOL), 1),
    ]
    return [_MAGIC + _SIZES.pack(*(len(piece) for piece in pieces)), *pieces]


def _read_entry(path: Path) -> FileResult | None:
    """The result in the entry at ``path`` (None when it is not one)."""
    with open(path, "rb") as file:
        start = file.read(len(_MAGIC) + _SIZES.size)
        if len(start) != len(_MAGIC) + _SIZES.size or not start.startswith(_MAGIC):
            return None
        lengths = _SIZES.unpack_from(start, len(_MAGIC))
        trig_length, turtle_length, offsets_length, head_length, extractions_length = lengths
        records = len(start)
        offset = records + trig_length + turtle_length + offsets_length
        if os.fstat(file.fileno()).st_size != offset + head_length + extractions_length:
            return None
        file.seek(offset)
        head = pickle.loads(zlib.decompress(file.read(head_length)))
    if not isinstance(head, FileResult) or head.digests is None:
        return None
    extractions = _StoredExtractions(path, offset + head_length, extractions_length, len(head.digests))
    graphs = head.graphs
    if graphs is not None:
        stored = StoredParts(
            str(path),
            (records, trig_length),
            (records + trig_length, turtle_length),
            (records + trig_length + turtle_length, offsets_length),
        )
        graphs = replace(graphs, parts=stored if trig_length or turtle_length else None)
    return replace(head, extractions=extractions, graphs=graphs)


class _StoredExtractions(Sequence[Extraction]):
    """A cached file's extractions, read from its entry when first used (a rebuild reads only the
    entries of files it must map again)."""

    def __init__(self, path: Path, offset: int, length: int, count: int) -> None:
        self.path, self.offset, self.length, self._count = path, offset, length, count
        self._items: tuple[Extraction, ...] | None = None

    def _load(self) -> tuple[Extraction, ...]:
        if self._items is None:
            with open(self.path, "rb") as file:
                file.seek(self.offset)
                items = pickle.loads(zlib.decompress(file.read(self.length)))
            if not isinstance(items, tuple) or len(items) != self._count:
                raise CastkgError(f"cache entry {self.path} changed while the build read it; build again")
            self._items = items
        return self._items

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Extraction: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Extraction]: ...

    def __getitem__(self, index: int | slice) -> Extraction | Sequence[Extraction]:
        return self._load()[index]
