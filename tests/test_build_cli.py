"""``castkg build`` as a user runs it (a real process, real exit codes and stderr) and ``castkg.build``.

- ``python -m castkg build data -o DIR``: exit 0, the contract's three files, one summary line
  whose counts agree with the graph written;
- ``castkg --help`` and ``python -m castkg --help`` work;
- bad inputs next to a good one: each reported on one stderr line naming it, the good one built;
- only bad inputs: exit 2, one clear error line, no traceback;
- the Python API: one named graph per article, unreadable inputs passed to ``on_input_error``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, URIRef

import castkg
from castkg.errors import InputError
from castkg.mapping import ENTITIES
from castkg.namespace import CKG
from conftest import DATA, INPUTS, run_castkg, stderr_lines

BAD = INPUTS / "bad"
BAD_FILES = ("empty.txt", "binary.txt", "undecodable.txt")
SUMMARY = re.compile(r"^built (\d+) articles: (.+); (\d+) triples in (\d+(?:\.\d+)?)s$")


def title_of(bulletin: Path) -> str:
    """The first non-empty line of a one-article bulletin: its title."""
    return next(line.strip() for line in bulletin.read_text(encoding="utf-8").splitlines() if line.strip())


@pytest.fixture(scope="module")
def data_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("data-build")
    return run_castkg("build", DATA, "-o", out), out


def test_build_data_exits_0_and_writes_the_three_files(data_build) -> None:
    process, out = data_build
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stderr
    for name in ("castkg.ttl", "castkg.trig", "graph.html"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name


def test_summary_is_one_line_that_agrees_with_the_graph(data_build) -> None:
    process, out = data_build
    lines = [line for line in process.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, process.stdout
    match = SUMMARY.match(lines[0])
    assert match, f"summary should name articles, entity classes, triples and seconds: {lines[0]!r}"
    articles, classes, triples, _ = match.groups()
    graph = Graph().parse(out / "castkg.ttl", format="turtle")
    assert int(articles) == len(set(graph.subjects(RDF.type, CKG.Article)))
    assert int(triples) == len(graph)
    named = {cls: int(count) for count, cls in re.findall(r"(\d+) (\w+)", classes)}
    assert named, classes
    for cls, count in named.items():
        assert count == len(set(graph.subjects(RDF.type, CKG[cls]))), f"{cls}: summary says {count}"
    assert {"Organization", "Event", "Person", "Place"} <= set(named), classes


def test_build_data_has_one_article_per_bulletin_article(data_build) -> None:
    """Each data bulletin's articles end with a ``[YYYY-MM-DD]`` signature date; count them."""
    _, out = data_build
    expected = sum(
        len(re.findall(r"\[\d{4}-\d{2}-\d{2}\]", p.read_text(encoding="utf-8")))
        for p in sorted(DATA.glob("*.txt"))
    )
    graph = Graph().parse(out / "castkg.ttl", format="turtle")
    assert len(set(graph.subjects(RDF.type, CKG.Article))) == expected


@pytest.mark.parametrize(
    "command", [["-m", "castkg"], ["console-script"]], ids=["python -m castkg", "castkg"]
)
def test_help(command: list[str]) -> None:
    if command == ["console-script"]:
        script = Path(sys.executable).parent / "castkg"
        if not script.exists():
            script = shutil.which("castkg")  # type: ignore[assignment]
        if not script:
            pytest.skip("the castkg console script is not installed")
        argv = [str(script), "--help"]
    else:
        argv = [sys.executable, *command, "--help"]
    process = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
    assert process.returncode == 0, process.stderr
    assert "build" in process.stdout and "Usage:" in process.stdout
    build_help = subprocess.run(
        [*argv[:-1], "build", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert build_help.returncode == 0 and "--rules" in build_help.stdout and "-o" in build_help.stdout


def test_bad_inputs_next_to_a_good_one(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-bulletin.txt"
    bad = [BAD / name for name in BAD_FILES] + [missing]
    good = BAD / "good.txt"
    out = tmp_path / "out"
    process = run_castkg("build", *bad, good, "-o", out, "--no-view")
    assert process.returncode == 0, process.stderr
    assert "Traceback" not in process.stderr
    lines = stderr_lines(process)
    assert len(lines) == len(bad), process.stderr
    for path in bad:
        naming = [line for line in lines if str(path) in line]
        assert len(naming) == 1, f"{path.name}: expected one stderr line, got {naming}\n{process.stderr}"
    ttl = (out / "castkg.ttl").read_text(encoding="utf-8")
    assert f'"{title_of(good)}"@zh' in ttl
    graph = Graph().parse(out / "castkg.ttl", format="turtle")
    assert len(set(graph.subjects(RDF.type, CKG.Article))) == 1


def test_only_bad_inputs_exit_2(tmp_path: Path) -> None:
    bad = [BAD / name for name in BAD_FILES] + [tmp_path / "no-such-bulletin.txt"]
    out = tmp_path / "out"
    process = run_castkg("build", *bad, "-o", out)
    assert process.returncode == 2, process.stderr
    assert "Traceback" not in process.stderr
    lines = stderr_lines(process)
    errors = [line for line in lines if line.startswith("castkg: error:")]
    assert len(errors) == 1 and "no article" in errors[0], process.stderr
    assert len(lines) == len(bad) + 1, "one line per bad input and one error line"
    assert not (out / "castkg.ttl").exists()


def test_missing_rules_folder_exits_2(tmp_path: Path) -> None:
    process = run_castkg("build", BAD / "good.txt", "--rules", tmp_path / "nowhere", "-o", tmp_path / "out")
    assert process.returncode == 2 and len(stderr_lines(process)) == 1, process.stderr
    assert "Traceback" not in process.stderr and str(tmp_path / "nowhere") in process.stderr


def test_api_one_named_graph_per_article() -> None:
    bulletins = sorted(DATA.glob("*.txt"))[:2]
    dataset = castkg.build(bulletins)
    assert isinstance(dataset, Dataset)
    graphs = [
        g
        for g in dataset.graphs()
        if len(g) and g.identifier not in (dataset.default_graph.identifier, ENTITIES)
    ]
    articles = {s for g in graphs for s in g.subjects(RDF.type, CKG.Article)}
    expected = sum(
        len(re.findall(r"\[\d{4}-\d{2}-\d{2}\]", p.read_text(encoding="utf-8"))) for p in bulletins
    )
    assert len(articles) == expected
    assert sorted(g.identifier for g in graphs) == sorted(articles), "graph IRI = article IRI, one each"
    for graph in graphs:
        assert set(graph.subjects(RDF.type, CKG.Article)) == {graph.identifier}
        assert graph.value(graph.identifier, RDFS.label) is not None
        assert isinstance(graph.identifier, URIRef)


def test_api_reports_input_errors(tmp_path: Path) -> None:
    received: list[InputError] = []
    missing = tmp_path / "no-such-bulletin.txt"
    bad = [BAD / name for name in BAD_FILES] + [missing]
    dataset = castkg.build([*bad, BAD / "good.txt"], on_input_error=received.append)
    assert all(isinstance(error, InputError) for error in received)
    assert len(received) == len(bad)
    for path in bad:
        assert sum(str(path) in str(error) for error in received) == 1, (path, [str(e) for e in received])
    assert len({s for s, _, _, _ in dataset.quads((None, RDF.type, CKG.Article, None))}) == 1


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs a file the system refuses to write")
def test_a_file_the_system_refuses_to_write_is_one_error_line_not_a_bug(data_build) -> None:
    """An error of the operating system (a full disk, a file that cannot be written: here
    /proc/version, which refuses writes) is the machine's, not castkg's: one line saying so and
    what to do, exit 2, not "internal error" and exit 3."""
    _, out = data_build
    process = run_castkg("view", out, "-o", "/proc/version")
    assert process.returncode == 2, process.stderr
    lines = stderr_lines(process)
    assert len(lines) == 1 and lines[0].startswith("castkg: error: "), process.stderr
    assert "internal error" not in process.stderr and "Traceback" not in process.stderr
