"""Same input, same bytes: two builds in two processes give identical files, and no blank nodes.

The second process runs with a different ``PYTHONHASHSEED`` so that any output that
depends on set or dict-of-hash order shows up as a difference (STYLE.md point 9).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from conftest import full_build_inputs, run_castkg

FILES = ("castkg.ttl", "castkg.trig", "graph.html")


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    outs = []
    for number, seed in enumerate(("1", "2024")):
        out = tmp_path_factory.mktemp(f"determinism-{number}") / f"out-{number}"
        process = run_castkg("build", *full_build_inputs(), "-o", out, env={"PYTHONHASHSEED": seed})
        assert process.returncode == 0, process.stderr
        outs.append(out)
    return outs[0], outs[1]


@pytest.mark.parametrize("name", FILES)
def test_byte_identical(two_builds: tuple[Path, Path], name: str) -> None:
    first, second = (out / name for out in two_builds)
    a, b = first.read_bytes(), second.read_bytes()
    if a != b:
        diff = difflib.unified_diff(
            a.decode("utf-8", "replace").splitlines(),
            b.decode("utf-8", "replace").splitlines(),
            "first",
            "second",
            lineterm="",
            n=1,
        )
        pytest.fail(f"{name} differs between two builds:\n" + "\n".join(list(diff)[:60]))


def test_no_blank_nodes_in_turtle(two_builds: tuple[Path, Path]) -> None:
    graph = Graph().parse(two_builds[0] / "castkg.ttl", format="turtle")
    assert len(graph) > 0
    bad = [
        t
        for t in graph
        if not (isinstance(t[0], URIRef) and isinstance(t[1], URIRef) and isinstance(t[2], (URIRef, Literal)))
    ]
    assert bad == [], bad[:10]


def test_no_blank_nodes_in_trig(two_builds: tuple[Path, Path]) -> None:
    dataset = Dataset()
    dataset.parse(two_builds[0] / "castkg.trig", format="trig")
    quads = list(dataset.quads((None, None, None, None)))
    assert quads
    bad = [q for q in quads if any(isinstance(term, BNode) for term in q[:3]) or not isinstance(q[3], URIRef)]
    assert bad == [], bad[:10]
    assert "_:" not in (two_builds[0] / "castkg.ttl").read_text(encoding="utf-8").replace('"_:', "")
