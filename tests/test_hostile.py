"""The hostile corpus: every bad input, odd shape and attack of tests/inputs/hostile/corpus.py is
built, cut or skipped as the case says, by a real ``castkg build`` under a memory limit and a
timeout, and one case's trouble never costs another case its article.

Also here, each in its own process: a 50 MB file without line breaks, 10,000 names joined by 、,
a JSON Lines corpus of 100,000 records read as a stream, and ``-o`` checked before the build.
docs/robustness.md is the table of these cases and what castkg answers; the test of its rows
keeps it in step with the corpus.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef

from castkg.cli import cli
from castkg.namespace import CKG
from castkg.validate import report_text, validate
from conftest import DATA, ROOT

CORPUS_FILE = Path(__file__).resolve().parent / "inputs" / "hostile" / "corpus.py"
DOC = ROOT / "docs" / "robustness.md"
MEMORY = 3 * 2**30
"""RLIMIT_AS of each build: address space, not resident memory (the libraries map ~300 MB)."""


def _load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("castkg_hostile_corpus", CORPUS_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()
CASES = {case.name: case for case in corpus.CASES}


def run_limited(*args: str | Path, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """``python -m castkg ARGS`` under RLIMIT_AS and a timeout; its output must be valid UTF-8."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return subprocess.run(
        [sys.executable, "-m", "castkg", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
        preexec_fn=limit,
    )


def _warnings(process: subprocess.CompletedProcess[str]) -> list[str]:
    """The warning lines on stderr (a progress bar may share a line, up to its carriage return)."""
    lines = process.stderr.replace("\r", "\n").splitlines()
    return [line for line in lines if line.startswith("castkg: warning: ")]


def _articles(dataset: Graph, source: str) -> set[URIRef]:
    return {
        article
        for article in dataset.subjects(CKG.sourceFile, Literal(source))
        if (article, RDF.type, CKG.Article) in dataset and isinstance(article, URIRef)
    }


def _mentions(graph: Graph, article: URIRef, label: str) -> bool:
    return any(
        (entity, CKG.mentionedIn, article) in graph
        for entity in graph.subjects(RDFS.label, Literal(label, lang="zh"))
    )


# --- the corpus, built once ---------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "corpus"
    folder.mkdir()
    paths = corpus.write_corpus(folder)
    relative = {name: os.path.relpath(path, folder) for name, path in paths.items()}
    given = [relative[case.name] for case in corpus.CASES if case.given]
    before = sorted(str(path) for path in root.rglob("*"))
    process = run_limited("build", *given, "-o", root / "out", cwd=folder, timeout=240)
    graph = Graph()
    if (root / "out" / "castkg.ttl").exists():
        graph.parse(root / "out" / "castkg.ttl", format="turtle")
    return process, root, relative, graph, before


def test_the_corpus_builds_under_a_memory_limit_and_a_timeout(hostile) -> None:
    process, root, _, graph, _ = hostile
    assert process.returncode == 0, process.stderr[-3000:]
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr
    assert process.stdout.startswith("built ") and process.stdout.count("\n") == 1, process.stdout
    assert len(graph) > 0
    for line in process.stderr.replace("\r", "\n").splitlines():
        allowed = ("castkg: warning: ", "extracting:", "castkg: extracting:")
        assert not line.strip() or line.startswith(allowed), line


@pytest.mark.parametrize("name", CASES)
def test_each_case_gets_its_outcome(hostile, name: str) -> None:
    process, _, relative, graph, _ = hostile
    case = CASES[name]
    shown = case.source or relative[name]
    naming = [line for line in _warnings(process) if (case.source or relative[name]) in line]
    articles = _articles(graph, shown)
    if case.outcome in ("built", "cut"):
        assert len(articles) == 1, f"{name}: no article with source {shown!r}\n{process.stderr[-3000:]}"
        if case.entity:
            assert _mentions(graph, next(iter(articles)), case.entity), f"{name}: {case.entity} not found"
    if case.outcome == "built":
        assert naming == [], f"{name}: built, yet named on stderr: {naming}"
    elif case.outcome in ("cut", "skipped"):
        assert any(case.says in line for line in naming), f"{name}: no line says {case.says!r}: {naming}"
    if case.outcome in ("skipped", "ignored"):
        prefix = relative[name]
        kept = [str(source) for source in graph.objects(None, CKG.sourceFile)]
        parts = ("/", "#") if case.given else ("/",)  # a line skipped leaves its file's other records
        assert not [s for s in kept if s == prefix or s.startswith(tuple(prefix + p for p in parts))], name
    if case.outcome == "ignored":
        assert naming == [], f"{name}: ignored, yet named on stderr: {naming}"
    for line in naming:
        assert "\n" not in line and len(line) < 400, line


def test_outputs_parse_in_rdflib_and_oxigraph_and_conform(hostile) -> None:
    _, root, _, graph, _ = hostile
    out = root / "out"
    dataset = Dataset()
    dataset.parse(out / "castkg.trig", format="trig")
    assert len(dataset) == len(graph)
    for name, mime in (("castkg.ttl", "text/turtle"), ("castkg.trig", "application/trig")):
        with (out / name).open("rb") as stream:
            assert sum(1 for _ in pyoxigraph.parse(stream, mime)) > 0  # oxigraph checks every IRI
    for term in {t for triple in graph for t in triple if isinstance(t, URIRef)}:
        assert re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", str(term)), term
    report = validate(out)
    assert report.conforms, report_text(report)


def test_nothing_is_written_outside_the_output_folder(hostile) -> None:
    _, root, _, _, before = hostile
    # beside -o only the writers' lock (.out.castkg-lock, see castkg.transaction) and the
    # incremental cache (.out.castkg-cache, see castkg.cache)
    beside = ("out", ".out.castkg-lock", ".out.castkg-cache")
    after = sorted(str(path) for path in root.rglob("*") if path.relative_to(root).parts[0] not in beside)
    assert after == before


def test_the_view_shows_hostile_names_as_text(hostile) -> None:
    _, root, _, _, _ = hostile
    page = (root / "out" / "graph.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "<img src=x onerror" not in page


def test_the_robustness_table_has_a_row_per_case_and_names_real_tests() -> None:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    for case in corpus.CASES:
        (row,) = [row for row in rows if re.search(rf"corpus: (`\w+`, )*`{case.name}`", row)]
        now = row.split(" | ")[1]
        word = {"built": "built", "cut": "built", "skipped": "skipped", "ignored": "ignored"}[case.outcome]
        assert now.startswith(word), f"{case.name}: the table says {now!r}, the case {case.outcome}"
        assert case.outcome != "cut" or "cut" in now, f"{case.name}: the table does not say it is cut"
    for path, name in set(re.findall(r"`(tests/\w+\.py)::(\w+)", "\n".join(rows))):
        assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), f"{path}::{name} does not exist"
    for name in re.findall(r"tests/test_hostile\.py::(\w+)|`(test_\w+)`", "\n".join(rows)):
        test = next(part for part in name if part)
        assert f"def {test}(" in Path(__file__).read_text(encoding="utf-8") or any(
            f"def {test}(" in p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py")
        ), test


# --- shapes too big for the shared build -------------------------------------------------


def test_a_50_mb_file_without_line_breaks_is_cut_and_built(tmp_path: Path) -> None:
    text = "".join(path.read_text(encoding="utf-8").replace("\n", "") for path in sorted(DATA.glob("*.txt")))
    data = text.encode("utf-8")
    size = 50 * 10**6
    (tmp_path / "one_line.txt").write_bytes(
        (data * (size // len(data) + 1))[:size].decode("utf-8", "ignore").encode()
    )
    process = run_limited("build", "one_line.txt", "-o", "out", "--no-view", cwd=tmp_path, timeout=240)
    assert process.returncode == 0, process.stderr[-2000:]
    assert re.search(r"one_line.txt#1: [\d,]+ characters, more than the 100,000 read", process.stderr)
    assert process.stdout.startswith("built 1 articles")


def test_ten_thousand_names_joined_by_a_list_comma_build_within_the_budget(tmp_path: Path) -> None:
    (tmp_path / "names.txt").write_text(
        corpus.bulletin("学会名单", corpus.names(10_000) + "共同主办。"), encoding="utf-8"
    )
    process = run_limited(
        "build", "names.txt", "-o", "out", "--no-view", "--cpu-budget", "5", cwd=tmp_path, timeout=240
    )
    assert process.returncode == 0, process.stderr[-2000:]
    assert "took more than" not in process.stderr, process.stderr[-2000:]
    graph = Graph().parse(tmp_path / "out" / "castkg.ttl", format="turtle")
    (article,) = _articles(graph, "names.txt")
    for name in ("中国化学会", "中国物理学会", "中国数学会", "中国声学学会", "中国天文学会", "中国气象学会"):
        assert _mentions(graph, article, name), name


def test_jsonl_records_are_read_as_a_stream(tmp_path: Path) -> None:
    """100,000 records (about 25 MB) read one at a time: the reader's peak memory grows by a small
    part of the file (the ids seen, for duplicates), not by the file."""
    path = tmp_path / "corpus.jsonl"
    text = corpus.bulletin("学会工作座谈会") * 2
    with path.open("w", encoding="utf-8") as stream:
        for number in range(100_000):
            stream.write(json.dumps({"id": f"r{number}", "text": text}, ensure_ascii=False) + "\n")
    size = path.stat().st_size
    script = (
        "import resource, sys\n"
        "from castkg.read import read_paths\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "count = sum(1 for _ in read_paths([sys.argv[1]], on_error=print))\n"
        "print(count, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=240, check=False
    )
    assert process.returncode == 0, process.stderr
    count, grown = map(int, process.stdout.split())
    assert count == 100_000
    assert grown < size / 4, f"peak memory grew by {grown:,} bytes reading a {size:,}-byte file"


# --- the output folder -----------------------------------------------------------------------


def test_an_output_that_is_a_file_fails_before_the_build(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"castkg: error: {tmp_path / 'out'}: is a file; -o takes a folder, for castkg.ttl, castkg.trig "
        "and graph.html"
    ]  # one line, and missing.txt was never read


def test_an_output_that_cannot_be_made_fails_before_the_build(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "file" / "out"
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "missing.txt"), "-o", str(out)])
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert line == f"castkg: error: {out}: {tmp_path / 'file'} is a file, not a folder"
