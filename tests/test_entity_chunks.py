"""The graph of entities of a streamed build is made and serialised in chunks of subjects (issue 10:
its memory must not grow with a whole copy of the graph per step), and gives the bytes of the
graph made in one piece."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from castkg import mapping, write
from castkg.cli import cli
from castkg.mapping import ENTITIES
from castkg.pipeline import build, build_to
from castkg.write import GraphSpool, Parts, serialize_parts, write_graph
from conftest import DATA

OUTPUTS = ("castkg.ttl", "castkg.trig")
CKR = "https://w3id.org/castkg/id/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT = "http://www.w3.org/2004/02/skos/core#altLabel"

Line = tuple[str, str, str]


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def _lines(count: int) -> list[Line]:
    """Labels and other names of ``count`` entities, several statements per subject."""
    shuffle = random.Random(7)
    lines = []
    for k in range(count):
        node = f"{CKR}org_{shuffle.randrange(10**6):06d}_{k}"
        lines.append((node, LABEL, f'"机构{k}"@zh'))
        lines.extend((node, ALT, f'"别名{k}_{n}"@zh') for n in range(shuffle.randrange(3)))
    return lines


def _chunked(lines: list[Line], size: int) -> list[list[Line]]:
    """``lines`` in chunks of at most ``size`` subjects, in subject order."""
    subjects = sorted({s for s, _, _ in lines})
    ranges = [set(subjects[k : k + size]) for k in range(0, len(subjects), size)]
    return [[line for line in lines if line[0] in subjects_of] for subjects_of in ranges]


@pytest.mark.parametrize("size", [1, 2, 5, 1000])
def test_a_graph_spilled_in_chunks_is_serialised_as_the_whole(tmp_path: Path, size: int) -> None:
    lines = _lines(40)
    spool = GraphSpool(tmp_path / "spool")
    try:
        stored = spool.spill(str(ENTITIES), _chunked(lines, size))
        assert write._loaded(stored) == serialize_parts([(str(ENTITIES), lines)])
    finally:
        spool.close()


def test_an_empty_graph_spills_no_records(tmp_path: Path) -> None:
    spool = GraphSpool(tmp_path / "spool")
    try:
        assert write._loaded(spool.spill(str(ENTITIES), [[], []])) == Parts(b"", b"", b"")
    finally:
        spool.close()


def test_chunks_out_of_subject_order_are_refused(tmp_path: Path) -> None:
    chunks = _chunked(_lines(6), 3)
    spool = GraphSpool(tmp_path / "spool")
    try:
        with pytest.raises(ValueError, match="out of order"):
            spool.spill(str(ENTITIES), [chunks[1], chunks[0]])
    finally:
        spool.close()


@pytest.fixture
def entity_parts(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The subjects of each graph of entities' chunk serialised during the test."""
    made: list[set[str]] = []
    whole = write.serialize_parts

    def spy(graphs: Iterable[tuple[str, Iterable[Line]]]) -> Parts:
        graphs = [(graph, list(lines)) for graph, lines in graphs]
        made.extend({s for s, _, _ in lines} for graph, lines in graphs if graph == str(ENTITIES))
        return whole(graphs)

    for module in ("castkg.write", "castkg.pipeline"):
        monkeypatch.setattr(f"{module}.serialize_parts", spy, raising=False)
    return made


def test_the_graph_of_entities_is_made_in_chunks_of_at_most_n_subjects(
    entity_parts: list[set[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With chunks of 3 subjects, no step serialises more than 3 subjects' statements of the graph
    of entities, and the files are those of the graph built whole in memory."""
    monkeypatch.setattr(mapping, "ENTITY_CHUNK", 3, raising=False)
    build_to([DATA], tmp_path / "chunked")
    assert len(entity_parts) > 20
    assert max(len(subjects) for subjects in entity_parts) <= 3
    ordered = [sorted(subjects) for subjects in entity_parts]
    assert all(before[-1] < after[0] for before, after in zip(ordered, ordered[1:], strict=False))
    write_graph(build([DATA]), tmp_path / "whole")
    assert _files(tmp_path / "chunked") == _files(tmp_path / "whole")


def test_a_rebuild_with_chunks_patches_to_a_cold_builds_bytes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The cached path: a build and a rebuild (an entity renamed, so its label changes in the graph
    of entities) made in chunks of 2 subjects give the bytes of a cold build made in one piece."""
    corpus, out, cache = tmp_path / "corpus", tmp_path / "out", tmp_path / "cache"
    corpus.mkdir()
    for path in sorted(DATA.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    runner = CliRunner()

    def castkg(*args: str | Path) -> str:
        result = runner.invoke(cli, ["-v", "build", *map(str, args), "--no-view", "-j", "1"])
        assert result.exit_code == 0, result.output
        return result.output

    monkeypatch.setattr(mapping, "ENTITY_CHUNK", 2, raising=False)
    castkg(corpus, "-o", out, "--cache", cache)
    first = sorted(corpus.glob("*.txt"))[0]
    renamed = first.read_text(encoding="utf-8").replace("中国科协", "中国科学技术协会")
    first.write_text(renamed, encoding="utf-8")
    assert "patched the previous build's" in castkg(corpus, "-o", out, "--cache", cache)
    monkeypatch.undo()
    castkg(corpus, "-o", tmp_path / "fresh", "--no-cache")
    assert _files(out) == _files(tmp_path / "fresh")
