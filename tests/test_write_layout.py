"""The write stage at scale: a spool of many files' parts writes the bytes :func:`write_graph`
writes of the same graphs; the layout a rebuild patches is kept on disk as it is written (memory
holds a few fences, not an entry per block), round-trips through the kept state, and a rebuild
patching from it (again and again) gives the bytes of a cold write."""

from __future__ import annotations

import os
import pickle
import random
from array import array
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from castkg import write
from castkg.mapping import ENTITIES, nt_term
from castkg.write import (
    GraphSpool,
    Parts,
    Position,
    Previous,
    StoredParts,
    serialize_parts,
    write_graph,
)

CKR = "https://w3id.org/castkg/id/"
CKG = "https://w3id.org/castkg/ontology#"
Triple = tuple[URIRef, URIRef, URIRef | Literal]
Files = dict[str, list[tuple[URIRef, list[Triple]]]]
"""Each file's article graphs, by the file's name."""


@pytest.fixture()
def small_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fences every few entries, columns flushed often, the smallest read-ahead: every path taken
    on a corpus of a few dozen files."""
    monkeypatch.setattr(write, "_FENCE", 3)
    monkeypatch.setattr(write, "_FLUSH", 50)
    monkeypatch.setattr(write, "_READ_BUDGET", 0)
    monkeypatch.setattr(write, "_MIN_CHUNK", 40)


ENTITY_IRIS = [URIRef(f"{CKR}org_{name}") for name in ("cast", "cas", "cae", "nsfc", "most", "moe", "cps")]


def _file(name: str, version: int = 0) -> list[tuple[URIRef, list[Triple]]]:
    """Two article graphs of the file ``name``: facts of their own, entities shared with others."""
    rng = random.Random(f"{name}-{version}")
    graphs = []
    for k in range(2):
        article = URIRef(f"{CKR}article_{name}-{k}")
        triples: list[Triple] = [
            (article, RDF.type, URIRef(CKG + "Article")),
            (article, RDFS.label, Literal(f"{name}的第{k}篇 v{version}", lang="zh")),
        ]
        for entity in rng.sample(ENTITY_IRIS, 3):
            triples += [
                (article, URIRef(CKG + "mentions"), entity),
                (entity, URIRef(CKG + "mentionedIn"), article),
            ]
        for n in range(rng.randint(3, 8)):
            fact = URIRef(f"{CKR}fact_{rng.getrandbits(40):010x}")
            triples += [
                (fact, RDF.type, RDF.Statement),
                (fact, RDF.subject, rng.choice(ENTITY_IRIS)),
                (fact, URIRef(CKG + "evidence"), Literal(f"句子{n}，含 , 逗号", lang="zh")),
                (fact, URIRef(CKG + "rule"), Literal("involves.sentence")),
            ]
        graphs.append((article, triples))
    return graphs


def _entity_lines() -> list[tuple[str, str, str]]:
    return [
        (str(e), str(RDFS.label), nt_term(Literal(e.split("_")[-1].upper(), lang="en"))) for e in ENTITY_IRIS
    ]


def _parts(graphs: list[tuple[URIRef, list[Triple]]]) -> Parts:
    return serialize_parts([(str(g), [(str(s), str(p), nt_term(o)) for s, p, o in t]) for g, t in graphs])


def _kept(parts: Parts, path: Path) -> StoredParts:
    """``parts`` in a file of their own, as the cache keeps them."""
    path.write_bytes(parts.trig + parts.turtle + parts.offsets)
    trig, turtle = len(parts.trig), len(parts.turtle)
    return StoredParts(str(path), (0, trig), (trig, turtle), (trig + turtle, len(parts.offsets)))


def _cold(files: Files, folder: Path) -> dict[str, bytes]:
    """castkg.ttl and castkg.trig of ``files`` and the graph of entities, written whole by rdflib."""
    dataset = Dataset()
    for graphs in files.values():
        for graph, triples in graphs:
            for triple in triples:
                dataset.graph(graph).add(triple)
    for s, p, o in _entity_lines():
        dataset.graph(URIRef(str(ENTITIES))).add((URIRef(s), URIRef(p), Literal(o[1:-4], lang="en")))
    write_graph(dataset, folder)
    return {name: (folder / name).read_bytes() for name in ("castkg.ttl", "castkg.trig")}


class Corpus:
    """Files' parts kept as the cache keeps them, by key; builds into ``out`` with a kept state."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "out"
        self.out.mkdir()
        self.state = root / "state"
        self.stored: dict[str, StoredParts] = {}
        self.builds = 0

    def build(self, files: Files, versions: dict[str, int], patch: bool = True) -> GraphSpool:
        self.builds += 1
        spool = GraphSpool(self.root / f"spool-{self.builds}")
        for name, graphs in files.items():
            key = f"{name}-v{versions.get(name, 0)}"
            if key not in self.stored:
                self.stored[key] = _kept(_parts(graphs), self.root / key)
            spool.add_parts(self.stored[key], key, name)
        previous = Previous.load(self.state) if patch else None
        staging = self.root / f"staging-{self.builds}"  # written aside, then swapped in
        staging.mkdir()
        _, state = spool.write(
            staging,
            serialize_parts([(str(ENTITIES), _entity_lines())]),
            (self.out, previous),
            self.stored.get,
        )
        assert state is not None
        for name in ("castkg.ttl", "castkg.trig"):
            os.replace(staging / name, self.out / name)
        state.save(self.state)
        spool.close()
        return spool

    def files(self) -> dict[str, bytes]:
        return {name: (self.out / name).read_bytes() for name in ("castkg.ttl", "castkg.trig")}


def _union(files: Files) -> set[Triple]:
    return {triple for graphs in files.values() for _, triples in graphs for triple in triples}


@pytest.mark.usefixtures("small_layout")
@pytest.mark.parametrize("own_files", [False, True], ids=["one-scratch-file", "a-file-each"])
def test_a_spool_of_many_files_writes_what_write_graph_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_files: bool
) -> None:
    """Forty files' parts, each file read a few dozen bytes at a time, merged: the bytes of the
    graphs written whole; the triples counted are the union's. Parts in the spool's scratch file,
    or each in a file of its own (as the cache keeps them) with at most three files open."""
    monkeypatch.setattr(write, "_OPEN", 3)
    files = {f"f{n:02}": _file(f"f{n:02}") for n in range(40)}
    spool = GraphSpool(tmp_path / "spool")
    for name, graphs in files.items():
        parts = _parts(graphs)
        spool.add_parts(_kept(parts, tmp_path / name) if own_files else parts)
    written, state = spool.write(tmp_path, serialize_parts([(str(ENTITIES), _entity_lines())]))
    spool.close()
    assert state is None  # parts without keys: nothing a rebuild could patch, no layout kept
    cold = _cold(files, tmp_path / "cold")
    assert {name: (tmp_path / name).read_bytes() for name in cold} == cold
    assert written.triples == len(_union(files)) + len(ENTITY_IRIS)


def _columns(table: write.Table) -> dict[str, array]:
    """A table's columns read whole."""
    reader = write._TableReader(table)
    try:
        return {
            column: array(code, reader.read(column, *write._span(column, Position(), table.end)))
            for column, code in write._COLUMNS.items()
        }
    finally:
        reader.close()


@pytest.mark.usefixtures("small_layout")
def test_the_layout_is_kept_on_disk_and_round_trips(tmp_path: Path) -> None:
    """Saved and loaded, a build's layout finds every subject and graph where the files have its
    block, with its triples and the files that gave it."""
    corpus = Corpus(tmp_path)
    files = {f"f{n:02}": _file(f"f{n:02}") for n in range(30)}
    corpus.build(files, {})
    state = Previous.load(corpus.state)
    assert state is not None
    outputs = corpus.files()
    assert state.layout.subjects.end.triples == len(_union(files)) + len(ENTITY_IRIS)
    for table, name in ((state.layout.subjects, "castkg.ttl"), (state.layout.graphs, "castkg.trig")):
        data = outputs[name][len(write.HEADER) :]
        columns = _columns(table)
        assert table.end.entry > 30 and table.end.block == len(data)
        assert len(table.fence_names) >= table.end.entry // write._FENCE
        reader = write._TableReader(table)
        at, names, seen = Position(), columns["names"].tobytes(), set()
        try:
            for n, length in enumerate(columns["name_lengths"]):
                iri = names[at.name : at.name + length]
                found, entry = reader.seek(iri, Position())
                assert found == at and entry is not None
                size, count, sources = entry
                assert (size, count) == (columns["lengths"][n], columns["counts"][n])
                block = data[at.block : at.block + size]
                assert block.endswith(b"\n") and not block[:1].isspace()
                prefixed = next(p for p, ns in write.PREFIXES.items() if iri.decode().startswith(ns))
                assert block.startswith(
                    f"{prefixed}:{iri.decode()[len(write.PREFIXES[prefixed]) :]} ".encode()
                )
                seen.update(sources)
                at = write._after(at, iri, entry)
                missing = reader.seek(iri + b"\0", Position())  # just after it: not there
                assert missing == (at, None)
        finally:
            reader.close()
        assert at == table.end
        assert write.ENTITY_SOURCE in seen if name == "castkg.ttl" else True
        assert len(seen - {write.ENTITY_SOURCE}) == 30


def test_memory_holds_a_few_fences_not_the_layout(tmp_path: Path) -> None:
    """The state a build keeps in memory (and pickles) holds one IRI in ``_FENCE``, not one per
    subject: its size does not grow with the subjects written."""
    corpus = Corpus(tmp_path)
    corpus.build({f"f{n:02}": _file(f"f{n:02}") for n in range(60)}, {})
    state = Previous.load(corpus.state)
    assert state is not None
    subjects = state.layout.subjects
    assert subjects.end.entry > 2 * write._FENCE
    assert len(subjects.fence_names) <= subjects.end.entry // write._FENCE + 1
    assert len(pickle.dumps(state.layout)) < 2_000 < subjects.end.name


def test_a_cut_short_state_is_not_used(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path)
    corpus.build({f"f{n}": _file(f"f{n}") for n in range(5)}, {})
    assert Previous.load(corpus.state) is not None
    data = corpus.state.read_bytes()
    corpus.state.write_bytes(data[:-1])
    assert Previous.load(corpus.state) is None
    corpus.state.write_bytes(b"x" + data[1:])
    assert Previous.load(corpus.state) is None


@pytest.mark.usefixtures("small_layout")
def test_rebuilds_patch_from_the_kept_layout_to_a_cold_writes_bytes(tmp_path: Path) -> None:
    """A file changed, one removed and one added; then another changed; then one removed and
    one changed again: each rebuild patches the files from the layout the last one kept (itself
    patched), writes the bytes of a cold write of the files then, and keeps the layout a build
    from scratch keeps."""
    corpus = Corpus(tmp_path)
    versions: dict[str, int] = {}
    files = {f"f{n:02}": _file(f"f{n:02}") for n in range(40)}
    assert not corpus.build(files, versions).patched
    assert corpus.files() == _cold(files, tmp_path / "cold")
    rounds = [
        ({"f03": 1}, ["f05"], ["f99"]),
        ({"f17": 1}, [], []),
        ({"f03": 2}, ["f00"], []),
    ]
    for step, (changed, removed, added) in enumerate(rounds):
        versions.update(changed)
        for name in removed:
            del files[name]
        for name in [*changed, *added]:
            files[name] = _file(name, versions.get(name, 0))
        assert corpus.build(files, versions).patched, step
        assert corpus.files() == _cold(files, tmp_path / f"cold{step}"), step
    (tmp_path / "whole").mkdir()
    whole = Corpus(tmp_path / "whole")
    whole.build(files, versions)
    patched, fresh = Previous.load(corpus.state), Previous.load(whole.state)
    assert patched is not None and fresh is not None
    names = {source: name for name, source in patched.ids.items()}
    fresh_names = {source: name for name, source in fresh.ids.items()}
    for kind in ("subjects", "graphs"):
        a, b = getattr(patched.layout, kind), getattr(fresh.layout, kind)
        assert a.end == b.end
        columns, fresh_columns = _columns(a), _columns(b)
        for column in ("names", "name_lengths", "lengths", "counts", "sizes"):
            assert columns[column] == fresh_columns[column], (kind, column)
        assert _sources(columns, names) == _sources(fresh_columns, fresh_names)  # in any order


def _sources(columns: dict[str, array], names: dict[int, str]) -> list[set[str | int]]:
    """Each entry's sources, by file name."""
    sources, at = [], 0
    for size in columns["sizes"]:
        sources.append({names.get(source, source) for source in columns["sources"][at : at + size]})
        at += size
    return sources
