"""Issue 10: a build draws graph.html from its castkg.ttl read as a stream, never from a graph of
the whole corpus held in memory, and the page is the one drawn from the same graph loaded whole."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.plugins.stores.memory import Memory

from castkg.cli import cli
from castkg.errors import InputError
from castkg.view import (
    blocks,
    census,
    details,
    model,
    ontology,
    render,
    stream,
    to_view,
    view_of_turtle,
    write_view,
    write_view_of_turtle,
)
from castkg.view.blocks import TurtleBlocks
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


def test_castkg_view_of_a_build_s_turtle_file_reads_it_as_a_stream(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """castkg.ttl given itself, not its folder, is read as a stream too (it was loaded whole into
    rdflib: at 1k articles 366 s and 4 GB, against 62 s and 0.23 GB as a stream)."""

    def loaded_whole(*_: object) -> None:
        raise AssertionError("castkg view loaded a build's castkg.ttl whole")

    monkeypatch.setattr("castkg.cli.view.load_graph", loaded_whole)
    for given, page in ((built / "castkg.ttl", "file.html"), (built, "folder.html")):
        result = CliRunner().invoke(cli, ["view", str(given), "-o", str(tmp_path / page)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "file.html").read_bytes() == (tmp_path / "folder.html").read_bytes()


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
    write_view(Graph().parse(FIXTURES / "view_explore.ttl"), tmp_path / "whole.html")
    for given in (folder, folder / "castkg.ttl"):  # the folder of a build, or its file given itself
        process = run_castkg("view", given, "-o", tmp_path / "page.html")
        assert process.returncode == 0, process.stderr
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


SELECTIONS = [
    {"max_nodes": 30},
    {"max_nodes": 0},
    {"classes": ["Organization", "Person"], "max_nodes": 25},
    {"focus": "中国科协", "depth": 1, "max_nodes": 12},
    {"focus": "中国科协", "depth": 2, "through_hubs": True, "max_nodes": 40},
    {"focus": "北京", "depth": 2, "hub_degree": 5},
    {"focus": "中国科协", "classes": ["Organization"], "depth": 2},
    {"max_nodes": None},
]


@pytest.mark.parametrize("limit", [None, 100], ids=["whole-communities", "drawn-communities"])
@pytest.mark.parametrize("selection", SELECTIONS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()))
def test_the_page_chosen_from_the_census_is_the_page_of_the_whole_view(
    built: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    selection: dict[str, object],
    limit: int | None,
) -> None:
    """The census chooses the page's entities and links by numbers (castkg.view.census): the same
    page as select() and the page's budgets make of the whole view, under small budgets; past a
    (lowered) COMMUNITY_LIMIT, with the communities of the drawn entities."""
    if limit is not None:
        for module in (model, stream):
            monkeypatch.setattr(module, "COMMUNITY_LIMIT", limit)
    budgets = {"LINK_BUDGET": 25, "EMBED_NODES": 70, "EMBED_EDGES": 90, "DETAIL_BUDGET": 40}
    budgets |= {"SENTENCE_BUDGET": 3_000, "ARTICLE_BUDGET": 80}
    for name, value in budgets.items():
        monkeypatch.setattr(render, name, value)
    write_view_of_turtle([built / "castkg.ttl"], tmp_path / "stream.html", **selection)  # type: ignore[arg-type]
    whole = Dataset().parse(built / "castkg.trig", format="trig")
    write_view(whole, tmp_path / "whole.html", **selection)  # type: ignore[arg-type]
    assert (tmp_path / "stream.html").read_bytes() == (tmp_path / "whole.html").read_bytes()


def test_the_details_are_cut_as_they_are_gathered_to_what_the_page_shows(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the page's budgets each node and link keeps, as the details are read, only the sentences
    and articles its page can show, and the number of all: the first ones of the whole view's, the
    whole view's counts, and the same page."""
    budgets = {"LINK_BUDGET": 25, "EMBED_NODES": 70, "EMBED_EDGES": 90, "DETAIL_BUDGET": 40}
    budgets |= {"SENTENCE_BUDGET": 3_000, "ARTICLE_BUDGET": 80, "NODE_ARTICLES": 2}
    for name, value in budgets.items():
        monkeypatch.setattr(render, name, value)
    cuts: list[int] = []
    cut_all = details.PageDetails._cut_all

    def counted(self: details.PageDetails) -> None:
        cuts.append(sum(sample.count() for sample in self.node_sentences.values()))
        cut_all(self)

    monkeypatch.setattr(details.PageDetails, "_cut_all", counted)
    page = write_view_of_turtle([built / "castkg.ttl"], tmp_path / "stream.html", max_nodes=30)
    graph = Dataset().parse(built / "castkg.trig", format="trig")
    whole = render.embedded_only(select(to_view(graph, vocabulary=ontology()), max_nodes=30))
    assert len(cuts) == 1  # once, as soon as the sentences passed the budget
    nodes = {n.id: n for n in (*whole.nodes, *whole.spare)}
    shown = render._detailed(page.nodes, list(page.spare))
    for node in (*page.nodes, *page.spare):
        every = nodes[node.id]
        assert len(node.articles) + node.articles_left == len(every.articles)
        assert set(node.articles) <= set(every.articles) and render._reported(node) == render._reported(every)
        if node.id in shown:
            assert node.evidence == every.evidence[: render.NODE_SENTENCES]
            assert len(node.evidence) + node.evidence_left == len(every.evidence)
            assert node.articles[: render.NODE_ARTICLES] == every.articles[: render.NODE_ARTICLES]
    assert any(n.evidence_left for n in page.nodes) and any(n.articles_left for n in page.nodes)
    assert any(e.evidence_left for e in page.edges) and any(e.articles_left for e in page.edges)
    links = {model.edge_key(e): e for e in (*whole.edges, *whole.spare_edges)}
    for edge in (*page.edges, *page.spare_edges):
        every_link = links[model.edge_key(edge)]
        assert edge.evidence == every_link.evidence[: len(edge.evidence)]
        assert len(edge.evidence) + edge.evidence_left == len(every_link.evidence)
        assert edge.articles == every_link.articles[: len(edge.articles)]
        assert len(edge.articles) + edge.articles_left == len(every_link.articles)
    write_view(graph, tmp_path / "whole.html", max_nodes=30)
    assert (tmp_path / "stream.html").read_bytes() == (tmp_path / "whole.html").read_bytes()


def test_a_focus_the_chosen_classes_leave_out_fails_as_from_the_whole_view(
    built: Path, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as streamed:
        write_view_of_turtle(
            [built / "castkg.ttl"], tmp_path / "p.html", focus="中国科协", classes=["Person"]
        )
    with pytest.raises(InputError) as whole:
        write_view(
            Dataset().parse(built / "castkg.trig", format="trig"),
            tmp_path / "w.html",
            focus="中国科协",
            classes=["Person"],
        )
    assert str(streamed.value) == str(whole.value) and "which the chosen classes leave out" in str(
        whole.value
    )
    with pytest.raises(InputError, match="no node is named 'no such body'"):
        write_view_of_turtle([built / "castkg.ttl"], tmp_path / "p.html", focus="no such body")


def test_only_the_page_becomes_view_objects_and_louvain_runs_on_the_page_past_the_limit(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Budget first: no node or link object for what the page leaves out, and past COMMUNITY_LIMIT
    entities Louvain sees the drawn entities only, yet the page is that of the whole view."""
    for name, value in {"LINK_BUDGET": 25, "EMBED_NODES": 70, "EMBED_EDGES": 90}.items():
        monkeypatch.setattr(render, name, value)
    for module in (model, stream):
        monkeypatch.setattr(module, "COMMUNITY_LIMIT", 100)
    whole_view = to_view(Dataset().parse(built / "castkg.trig", format="trig"), vocabulary=ontology())
    assert len(whole_view.nodes) > 200 and len(whole_view.edges) > 500, (
        len(whole_view.nodes),
        len(whole_view.edges),
    )
    made = {"nodes": 0, "edges": 0, "louvain": 0}
    node_class, edge_class, louvain = model.ViewNode, model.ViewEdge, model.communities

    def count(kind: str, make: Callable[..., object]) -> Callable[..., object]:
        def counted(*args: object, **kwargs: object) -> object:
            made[kind] += 1
            return make(*args, **kwargs)

        return counted

    def counted_louvain(nodes: Iterable[str], edges: Iterable[tuple[str, str, bool]]) -> dict[str, int]:
        nodes = list(nodes)
        made["louvain"] = max(made["louvain"], len(nodes))
        return louvain(nodes, edges)

    monkeypatch.setattr(model, "ViewNode", count("nodes", node_class))
    monkeypatch.setattr(model, "ViewEdge", count("edges", edge_class))
    for module in (model, census):
        monkeypatch.setattr(module, "communities", counted_louvain)
    view = write_view_of_turtle([built / "castkg.ttl"], tmp_path / "stream.html", max_nodes=30)
    assert len(view.nodes) == 30 and len(view.nodes) + len(view.spare) == 70
    assert made["nodes"] == 70, made  # the page's entities, not the graph's
    assert made["edges"] <= 90 + 50, made  # the page's links and the posts of its people
    assert made["louvain"] == 30, made  # the communities of the drawn entities
    monkeypatch.setattr(model, "ViewNode", node_class)
    monkeypatch.setattr(model, "ViewEdge", edge_class)
    write_view(Dataset().parse(built / "castkg.trig", format="trig"), tmp_path / "whole.html", max_nodes=30)
    assert (tmp_path / "stream.html").read_bytes() == (tmp_path / "whole.html").read_bytes()


@pytest.mark.parametrize("spare", [0, 2], ids=["past-the-candidates", "default-candidates"])
def test_the_census_counts_links_and_the_links_pass_keeps_the_page_s_candidates(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spare: int
) -> None:
    """The census keeps each entity's number of links, not the links; the links are read again and
    only those among the drawn entities and the candidates to embed are kept (a page embedding an
    entity past the candidates reads the links among its own entities once more). The page is that
    of the whole view."""
    for name, value in {"LINK_BUDGET": 25, "EMBED_NODES": 70, "EMBED_EDGES": 90}.items():
        monkeypatch.setattr(render, name, value)
    for module in (model, stream):
        monkeypatch.setattr(module, "COMMUNITY_LIMIT", 100)
    monkeypatch.setattr(census, "CANDIDATES", spare)
    read: list[tuple[int, int, int]] = []
    links = census.Census.links

    def reading(self, network, groups, among=None, kept=None):  # type: ignore[no-untyped-def]
        assert not network.source  # the census gave counts only
        found, near = links(self, network, groups, among, kept)
        read.append((len(found.source), sum(found.degree) // 2, -1 if among is None else sum(among)))
        return found, near

    monkeypatch.setattr(census.Census, "links", reading)
    write_view_of_turtle([built / "castkg.ttl"], tmp_path / "stream.html", max_nodes=30)
    kept, whole = read[0][0], read[0][1]
    assert read[0][2] == 30 + spare * 40 and 0 < kept < whole, read
    if spare == 0:  # every embedded entity is past the candidates: the page's own links, read again
        assert len(read) == 2 and read[1][2] == 70, read
    write_view(Dataset().parse(built / "castkg.trig", format="trig"), tmp_path / "whole.html", max_nodes=30)
    assert (tmp_path / "stream.html").read_bytes() == (tmp_path / "whole.html").read_bytes()


# --- the census and the links parse only the subjects they need (castkg.view.blocks) ----------------


def _subjects_of_type(graph: Graph, cls: str) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, URIRef(cls))}


@pytest.mark.parametrize("chunk", [blocks.CHUNK, 4096, 97])
def test_the_blocks_of_a_build_s_turtle_are_its_subjects_and_its_statements(
    built: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """castkg.ttl cut at the lines that do not start with a tab gives each subject once, in the
    file's order, whatever the size of the chunks it is read in, and the reified statements of
    facts are told from the bytes alone."""
    turtle = built / "castkg.ttl"
    graph = Graph().parse(turtle, format="turtle")
    layout = TurtleBlocks.open(turtle)
    assert layout is not None
    monkeypatch.setattr(blocks, "CHUNK", chunk)
    found = list(layout.blocks())
    subjects = [layout.iri(block.subject) for block in found]
    assert subjects == [subject for subject, _ in turtle_groups([turtle])]
    assert b"".join(b.data[b.start : b.end] for b in found) == turtle.read_bytes()[len(layout.header) :]
    statements = {iri for iri, block in zip(subjects, found, strict=True) if layout.is_statement(block)}
    assert statements == _subjects_of_type(graph, str(RDF.Statement)) and len(statements) > 1_000


def test_the_census_parses_no_statement_and_the_links_no_subject_but_an_entity(built: Path) -> None:
    turtle = built / "castkg.ttl"
    graph = Graph().parse(turtle, format="turtle")
    layouts = [TurtleBlocks.open(turtle)]
    every = {subject for subject, _ in turtle_groups([turtle])}
    for_census = {subject for subject, _ in turtle_groups([turtle], stream._not_statements, layouts)}
    assert for_census == every - _subjects_of_type(graph, str(RDF.Statement))
    entities = sorted(
        {str(s) for s, _, o in graph.triples((None, RDF.type, None)) if str(o) in model.CLASS_RANK}
    )
    for_links = [subject for subject, _ in turtle_groups([turtle], stream._entities(entities), layouts)]
    assert for_links == entities


STATEMENT_BLOCK = """@prefix r: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix ckg: <https://w3id.org/castkg/ontology#> .
@prefix ex: <https://example.org/> .
ex:a a ckg:Organization ;
\tckg:hosts ex:b .
ex:fact1 r:object ex:b ;
\tr:predicate ckg:hosts ;
\tr:subject ex:a ;
\ta r:Statement ;
\t<http://www.w3.org/ns/prov#wasDerivedFrom> ex:article ;
\tckg:evidence "甲主办了乙。"@zh ;
\tckg:rule "hosts.test" .
ex:fact2 r:object ex:b ;
\tr:subject ex:a ;
\ta r:Statement ;
\t<http://www.w3.org/2000/01/rdf-schema#label> "一个有名字的陈述"@zh .
ex:fact3 r:object ex:b ;
\tr:subject ex:a .
"""


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        (STATEMENT_BLOCK, ["https://example.org/fact1"]),  # fact2 says more; fact3 has no type
        (STATEMENT_BLOCK.replace("ckg:evidence", "ckg:evidence\t"), []),  # not as castkg spaces it: read
        (STATEMENT_BLOCK.replace('"甲主办了乙。"', '"""甲主办了\n乙。"""'), None),  # a long string
        (STATEMENT_BLOCK.replace("ex:article", "[]"), ["https://example.org/fact1"]),
        (STATEMENT_BLOCK.replace("ex:article", "_:made"), None),
        (STATEMENT_BLOCK.replace("ex:a a", "# by hand\nex:a a"), None),
        (STATEMENT_BLOCK.replace("@prefix ex:", "@base <https://example.org/> .\n@prefix ex:"), None),
    ],
    ids=["castkg", "other-spacing", "long-string", "anonymous-node", "blank-node", "comment", "base"],
)
def test_only_castkg_s_layout_is_cut_and_only_its_plain_statements_are_skipped(
    tmp_path: Path, text: str, statements: list[str] | None
) -> None:
    """A file laid out otherwise is read whole (None); a statement that says more than castkg's
    do, or has no type, is read."""
    turtle = tmp_path / "castkg.ttl"
    turtle.write_text(text, encoding="utf-8")
    layout = TurtleBlocks.open(turtle)
    if statements is None:
        assert layout is None
        return
    assert layout is not None
    skipped = [layout.iri(b.subject) for b in layout.blocks() if layout.is_statement(b)]
    assert skipped == statements
    read = [subject for subject, _ in turtle_groups([turtle], stream._not_statements, [layout])]
    every = [subject for subject, _ in turtle_groups([turtle])]
    assert read == [subject for subject in every if subject not in statements] and len(every) == 4
