"""Issue 10: a build draws graph.html from its castkg.ttl read as a stream, never from a graph of
the whole corpus held in memory, and the page is the one drawn from the same graph loaded whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.plugins.stores.memory import Memory

from castkg.cli import cli
from castkg.view import ontology, render, to_view, view_of_turtle, write_view, write_view_of_turtle
from castkg.view.model import select
from castkg.view.render import render_html, write_html
from castkg.view.stream import UnsortedError, turtle_groups
from conftest import DATA, ROOT, full_build_inputs, run_castkg

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HELDOUT = ROOT / "tests" / "heldout"


def _build(tmp_path: Path, name: str, *inputs: Path) -> Path:
    out = tmp_path / name
    process = run_castkg("build", *inputs, "-o", out, "--no-cache")
    assert process.returncode == 0, process.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the seed (when present) and data/, with its graph.html."""
    return _build(tmp_path_factory.mktemp("stream"), "out", *full_build_inputs())


def test_a_build_draws_the_page_of_its_graph_loaded_whole(built: Path, tmp_path: Path) -> None:
    whole = Dataset().parse(built / "castkg.trig", format="trig")
    write_view(whole, tmp_path / "graph.html")
    assert (tmp_path / "graph.html").read_bytes() == (built / "graph.html").read_bytes()


def test_castkg_view_of_a_build_folder_is_the_view_of_its_graph(built: Path, tmp_path: Path) -> None:
    process = run_castkg("view", built, "--focus", "中国科协", "--depth", "1", "-o", tmp_path / "focus.html")
    assert process.returncode == 0, process.stderr
    whole = Dataset().parse(built / "castkg.trig", format="trig")
    write_view(whole, tmp_path / "whole.html", focus="中国科协", title="castkg: 中国科协")
    assert (tmp_path / "focus.html").read_bytes() == (tmp_path / "whole.html").read_bytes()


def test_a_page_past_the_budgets_is_the_page_of_the_graph_loaded_whole(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    budgets = {"LINK_BUDGET": 40, "EMBED_EDGES": 100, "SENTENCE_BUDGET": 2_000, "ARTICLE_BUDGET": 60}
    for name, value in budgets.items():
        monkeypatch.setattr(render, name, value)
    write_view_of_turtle([built / "castkg.ttl"], tmp_path / "stream.html", max_nodes=60)
    write_view(Dataset().parse(built / "castkg.trig", format="trig"), tmp_path / "whole.html", max_nodes=60)
    page = (tmp_path / "stream.html").read_bytes()
    assert page == (tmp_path / "whole.html").read_bytes()
    assert b'"cut":{"articles":' in page and b'"linkBudget":40,"links":' in page and b'"sentences":' in page


def test_each_subject_comes_once_with_all_that_is_said_of_it(built: Path) -> None:
    graph = Graph().parse(built / "castkg.ttl", format="turtle")
    groups = list(turtle_groups([built / "castkg.ttl"]))
    subjects = [subject for subject, _ in groups]
    assert subjects == sorted(set(subjects)) and len(subjects) == len(set(graph.subjects()))
    assert sum(len(pairs) for _, pairs in groups) == len(graph)


def test_several_builds_are_read_as_their_union(tmp_path: Path) -> None:
    first = _build(tmp_path, "first", DATA)
    second = _build(tmp_path, "second", HELDOUT)
    union = Graph()
    for out in (first, second):
        union.parse(out / "castkg.ttl", format="turtle")
    streamed = view_of_turtle([first / "castkg.ttl", second / "castkg.ttl"], vocabulary=ontology())
    assert streamed == to_view(union, vocabulary=ontology())
    assert len(streamed.nodes) > len(view_of_turtle([first / "castkg.ttl"]).nodes)


def test_a_turtle_file_out_of_subject_order_is_refused_and_castkg_view_loads_it_whole(tmp_path: Path) -> None:
    folder = tmp_path / "by-hand"
    folder.mkdir()
    shutil.copy(FIXTURES / "view_explore.ttl", folder / "castkg.ttl")  # written by hand, blank nodes inside
    with pytest.raises(UnsortedError, match="not in subject order"):
        view_of_turtle([folder / "castkg.ttl"])
    process = run_castkg("view", folder, "-o", tmp_path / "page.html")
    assert process.returncode == 0, process.stderr
    write_view(Graph().parse(FIXTURES / "view_explore.ttl"), tmp_path / "whole.html")
    assert (tmp_path / "page.html").read_bytes() == (tmp_path / "whole.html").read_bytes()


def test_a_build_with_the_view_holds_no_rdflib_graph_of_its_triples(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every triple an rdflib graph holds passes through its store's ``add``: a build that kept the
    union for the view (as before issue 10) added each of its triples there once more."""
    added = [0]
    add = Memory.add

    def counted(self: Memory, *args: object, **kwargs: object) -> None:
        added[0] += 1
        add(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Memory, "add", counted)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", *map(str, full_build_inputs()), "-o", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    written = int(result.output.rsplit("; ", 1)[1].split()[0])
    assert (out / "graph.html").is_file() and written > 5_000
    # left: the ontology (for property labels) and the graph of entities (one label per entity)
    assert added[0] < written / 4, f"{added[0]} triples added to rdflib graphs for {written} written"


@pytest.mark.parametrize("fixture", ["view_hostile.ttl", "view_explore.ttl"])
def test_the_page_written_in_pieces_is_the_page_rendered_whole(fixture: str, tmp_path: Path) -> None:
    view = select(to_view(Graph().parse(FIXTURES / fixture), vocabulary=ontology()), max_nodes=5)
    write_html(view, tmp_path / "page.html")
    assert (tmp_path / "page.html").read_bytes() == render_html(view).encode("utf-8")
