"""The SHACL shapes (ontology/shapes.ttl), castkg.validate and `castkg validate`.

A hand-made conforming graph (fixtures/shapes_ok.ttl) must give no result at all; each
fixtures/shapes_bad_*.ttl adds one breach to it and must be reported at the right focus
node and path, and nothing else. Built graphs (the seed, data/) must conform too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph
from rdflib.namespace import RDF, RDFS

from castkg.errors import InputError
from castkg.namespace import CKG, CKR
from castkg.validate import ValidationReport, report_text, validate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OK = FIXTURES / "shapes_ok.ttl"
SEED = ROOT.parent / "shared" / "seed"
"""The shared seed bulletin, next to the repository (absent in CI: those tests skip)."""

BNODE = "a blank node"
BAD: dict[str, set[tuple[object, object]]] = {
    # fixture: {(focus node, result path)} expected, and nothing else
    "shapes_bad_two_zh_labels.ttl": {(CKR["org-zhong-guo-ke-xie"], RDFS.label)},
    "shapes_bad_blank_node.ttl": {(CKR["event-shi-da-shi-jian-2020"], CKG.location), (BNODE, None)},
    "shapes_bad_measure_no_value.ttl": {(CKR["measure-seed-1-3"], CKG.value)},
    "shapes_bad_chair_org.ttl": {(CKR["event-shi-da-shi-jian-2020"], CKG.chair)},
    "shapes_bad_string_date.ttl": {(CKR["event-shi-da-shi-jian-2020"], CKG.startDate)},
    "shapes_bad_end_before_start.ttl": {(CKR["event-shi-da-shi-jian-2020"], CKG.startDate)},
    "shapes_bad_qualifier.ttl": {(CKR["measure-seed-1-2"], CKG.qualifier)},
}


def _graph(*files: Path) -> Graph:
    graph = Graph()
    for file in files:
        graph.parse(file, format="turtle")
    return graph


def _where(report: ValidationReport) -> set[tuple[object, object]]:
    return {(BNODE if isinstance(v.focus, BNode) else v.focus, v.path) for v in report.violations}


def test_conforming_fixture_has_no_result() -> None:
    report = validate(_graph(OK))
    assert report.conforms, report_text(report)
    assert report.violations == []


def test_conforming_fixture_covers_every_class() -> None:
    """The fixture is only a fair test of the shapes if each contract class has a member."""
    graph = _graph(OK)
    for name in (
        "Organization",
        "Platform",
        "Event",
        "Initiative",
        "Award",
        "Person",
        "Place",
        "Publication",
        "Article",
        "Measure",
        "Position",
    ):
        assert any(graph.subjects(RDF.type, CKG._NS[name])), name


@pytest.mark.parametrize("fixture", sorted(BAD))
def test_broken_fixture_is_reported_at_its_path(fixture: str) -> None:
    report = validate(_graph(OK, FIXTURES / fixture))
    assert not report.conforms
    assert _where(report) == BAD[fixture], report_text(report)
    assert all(v.severity == "Violation" and v.message for v in report.violations)


def test_a_dataset_is_validated_as_its_union(tmp_path: Path) -> None:
    """Entities in one named graph, the article in another: the union conforms, in memory and as TriG."""
    dataset = Dataset()
    article = CKR["article-seed-1"]
    for s, p, o in _graph(OK):
        dataset.graph(article if s == article else CKR["other"]).add((s, p, o))
    assert validate(dataset).conforms
    trig = tmp_path / "castkg.trig"
    dataset.serialize(trig, format="trig")
    report = validate(tmp_path)
    assert report.conforms and report.source == str(trig)


def test_report_counts_results_by_shape_and_lists_one_line_each() -> None:
    bad = (FIXTURES / "shapes_bad_blank_node.ttl", FIXTURES / "shapes_bad_chair_org.ttl")
    report = validate(_graph(OK, *bad))
    assert report.by_shape == {"Entity": 1, "Event-chair": 1, "Event-location": 1}
    text = report_text(report, limit=2)
    assert "Conforms: False" in text and "Results (3)" in text
    assert "First 2:" in text
    assert sum(line.startswith("  Violation: ") for line in text.splitlines()) == 2
    assert "ckr:event-shi-da-shi-jian-2020 ckg:chair: ckg:chair must be a ckg:Person" in text


def test_missing_and_unparseable_paths_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        validate(tmp_path / "nothing.ttl")
    with pytest.raises(InputError, match="no castkg.ttl"):
        validate(tmp_path)
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not parse"):
        validate(broken)


# --- the command -----------------------------------------------------------


@pytest.fixture()
def run():
    from castkg.cli import cli

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["validate", *args])

    return invoke


def test_cli_exit_0_when_the_graph_conforms(run, tmp_path: Path) -> None:
    (tmp_path / "castkg.ttl").write_bytes(OK.read_bytes())
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Conforms: True" in result.output


def test_cli_exit_1_when_it_does_not(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    _graph(OK, FIXTURES / "shapes_bad_chair_org.ttl").serialize(bad, format="turtle")
    result = run(str(bad))
    assert result.exit_code == 1, result.output
    assert "Event-chair" in result.stdout
    assert result.stderr.strip().count("\n") == 0 and "does not conform" in result.stderr


@pytest.mark.parametrize("content", [None, "this is not turtle <"])
def test_cli_exit_2_when_the_path_is_missing_or_unparseable(run, tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "castkg.ttl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("castkg: error: ") and result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.output


# --- built graphs ----------------------------------------------------------


def _build(paths: list[Path]) -> Dataset:
    import castkg

    return castkg.build([str(p) for p in paths])


def _assert_conforms(dataset: Dataset) -> None:
    report = validate(dataset)
    assert report.violations == [], report_text(report, limit=40)
    assert report.conforms


@pytest.mark.skipif(not SEED.is_dir() or not any(SEED.glob("*.txt")), reason="the seed bulletin is not here")
def test_seed_build_conforms() -> None:
    _assert_conforms(_build(sorted(SEED.glob("*.txt"))))


@pytest.mark.skipif(not any((ROOT / "data").glob("*.txt")), reason="no bulletins in data/")
def test_data_build_conforms() -> None:
    dataset = _build(sorted((ROOT / "data").glob("*.txt")))
    assert any(True for _ in dataset.quads((None, RDF.type, CKG.Article, None))), "the build made no article"
    _assert_conforms(dataset)


def test_build_output_directory_validates(tmp_path: Path) -> None:
    """`castkg validate DIR` on what `castkg build -o DIR` writes (the file, not just the in-memory graph)."""
    inputs = sorted((ROOT / "data").glob("*.txt"))[:1] or sorted(SEED.glob("*.txt"))[:1]
    if not inputs:
        pytest.skip("no bulletin to build")
    from castkg.cli import cli

    built = CliRunner().invoke(cli, ["build", *map(str, inputs), "-o", str(tmp_path)])
    assert built.exit_code == 0, built.output
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
