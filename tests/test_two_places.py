"""IRIs depend on the texts, never on where the files lie.

The same folder built as ``castkg build data``, ``castkg build /abs/path/data`` and, from inside
it, ``castkg build .`` gives the same named graphs and the same triples but for
``ckg:sourceFile`` (the path as given); with ``--base`` the three builds are byte-identical.
Pushed twice, from two places, into a real ``oxigraph serve``, the corpus leaves the server's
graphs as they were (the same triples but for ``ckg:sourceFile``; with ``--base``, the same).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Dataset

from castkg.mapping import ENTITIES
from castkg.namespace import CKG
from conftest import DATA, ROOT, run_castkg
from test_push import oxigraph, push_cli, remote_rows  # noqa: F401  (oxigraph is a fixture)

FILES = ("castkg.ttl", "castkg.trig", "graph.html")
QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
DEFAULT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"

PLACES = {
    "relative": (ROOT, "data"),
    "absolute": (ROOT, str(DATA)),
    "inside": (DATA, "."),
}
"""How a user may name one folder: (working directory, the path typed)."""


def build_from(place: str, out: Path, *extra: str) -> Path:
    cwd, given = PLACES[place]
    process = run_castkg("build", given, "-o", out, *extra, cwd=cwd)
    assert process.returncode == 0, process.stderr
    return out


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """data/ built from three places, as given."""
    return {p: build_from(p, tmp_path_factory.mktemp(p) / "out", "--no-view") for p in PLACES}


@pytest.fixture(scope="module")
def three_with_base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """data/ built from three places with --base naming one folder three ways."""
    bases = {"relative": ".", "absolute": str(ROOT), "inside": ".."}
    return {
        p: build_from(p, tmp_path_factory.mktemp(f"{p}-base") / "out", "--base", bases[p]) for p in PLACES
    }


def quads(out: Path) -> tuple[set[tuple[object, ...]], set[str]]:
    """The build's quads without ckg:sourceFile, and the ckg:sourceFile values."""
    dataset = Dataset()
    dataset.parse(out / "castkg.trig", format="trig")
    kept, sources = set(), set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if p == CKG.sourceFile:
            sources.add(str(o))
        else:
            kept.add((s, p, o, g))
    return kept, sources


def test_three_places_give_the_same_iris(three: dict[str, Path]) -> None:
    found = {place: quads(out) for place, out in three.items()}
    relative, relative_sources = found["relative"]
    assert len(relative) > 1000
    for place, (kept, sources) in found.items():
        assert kept == relative, f"{place}: {len(kept ^ relative)} quads differ besides ckg:sourceFile"
        names = {Path(s).name for s in sources}
        assert names == {p.name for p in DATA.glob("*.txt")}
    assert {s for s in relative_sources if "/" in s} == {f"data/{p.name}" for p in DATA.glob("*.txt")}
    assert all(s.startswith(str(DATA)) for s in found["absolute"][1])
    assert found["inside"][1] == {p.name for p in DATA.glob("*.txt")}
    assert "/work/" not in (three["relative"] / "castkg.trig").read_text(encoding="utf-8")


def test_with_a_base_three_places_give_the_same_bytes(three_with_base: dict[str, Path]) -> None:
    for name in FILES:
        first = (three_with_base["relative"] / name).read_bytes()
        for place, out in three_with_base.items():
            assert (out / name).read_bytes() == first, f"{name} differs built {place}"
    assert '"data/001_tenth_congress.txt"' in (three_with_base["absolute"] / "castkg.trig").read_text(
        encoding="utf-8"
    )


def server_state(base: str) -> tuple[set[tuple[str | None, ...]], set[tuple[str | None, ...]]]:
    """The server's named-graph quads and default-graph triples, ckg:sourceFile left out."""
    source = str(CKG.sourceFile)
    named = {row for row in remote_rows(base, QUADS) if row[2] != source}
    default = {row for row in remote_rows(base, DEFAULT) if row[1] != source}
    return named, default


@pytest.mark.server
def test_pushing_from_two_places_leaves_the_server_as_it_was(
    oxigraph: str,  # noqa: F811
    three: dict[str, Path],
) -> None:
    endpoint = f"{oxigraph}/store"
    done = push_cli(str(three["relative"]), "--endpoint", endpoint, "--per-article")
    assert done.returncode == 0, done.stderr
    first = server_state(oxigraph)
    graphs = {row[0] for row in first[0]}
    articles = {row[1] for row in first[0] if row[2] == str(RDF.type) and row[3] == str(CKG.Article)}
    built = {str(q[0]) for q in quads(three["relative"])[0] if q[1] == RDF.type and q[2] == CKG.Article}
    assert len(articles) > 10 and articles == built and graphs == articles | {str(ENTITIES)}
    done = push_cli(str(three["absolute"]), "--endpoint", endpoint, "--per-article")
    assert done.returncode == 0, done.stderr
    assert server_state(oxigraph) == first
    sources = {row[3] for row in remote_rows(oxigraph, QUADS) if row[2] == str(CKG.sourceFile)}
    assert sources and all(s is not None and s.startswith(str(DATA)) for s in sources)


@pytest.mark.server
def test_pushing_with_a_base_from_two_places_is_byte_for_byte_the_same(
    oxigraph: str,  # noqa: F811
    three_with_base: dict[str, Path],
) -> None:
    endpoint = f"{oxigraph}/store"
    assert push_cli(str(three_with_base["relative"]), "--endpoint", endpoint, "--per-article").returncode == 0
    first = set(remote_rows(oxigraph, QUADS)), set(remote_rows(oxigraph, DEFAULT))
    assert push_cli(str(three_with_base["inside"]), "--endpoint", endpoint, "--per-article").returncode == 0
    assert (set(remote_rows(oxigraph, QUADS)), set(remote_rows(oxigraph, DEFAULT))) == first
    assert len(first[0]) > 1000
