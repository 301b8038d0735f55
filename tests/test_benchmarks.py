"""The benchmark suite at a small size (issue 10, point 7): the corpus generator is deterministic and
one run of ``benchmarks/run.py`` gives a well-formed result. Speed is not checked here."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Dataset, Graph

from castkg.mapping import ENTITIES

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
ARTICLES = 10
"""Two files of five: a run at this size is mostly the fixed cost of each process it starts."""
STAGES = ("rules", "read", "segment", "extract", "resolve", "map", "write", "view")
pytestmark = pytest.mark.timeout(600)  # the run fixture starts some twenty processes on a busy machine
SIGNATURE = re.compile(r"^\[\d{4}-\d{2}-\d{2}\]$", re.M)


def _corpus_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and worker processes look the module up by name
    spec.loader.exec_module(module)
    return module


def _generate_cli(out: Path, articles: int, seed: int) -> None:
    command = [sys.executable, str(BENCH / "corpus.py"), "--articles", str(articles), "--seed", str(seed)]
    done = subprocess.run(
        [*command, "--out", str(out), "--per-file", "5", "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.txt"))}


def test_corpus_is_deterministic_and_shaped_like_bulletins(tmp_path: Path) -> None:
    _generate_cli(tmp_path / "a", 12, seed=7)
    corpus = _corpus_module()
    corpus.generate(tmp_path / "b", 12, seed=7, per_file=5, workers=2)  # the same bytes from 2 processes
    corpus.generate(tmp_path / "c", 12, seed=8, per_file=5)
    corpus.generate(tmp_path / "small", 10, seed=7, per_file=5)
    a, b, c, small = (_files(tmp_path / name) for name in ("a", "b", "c", "small"))
    assert a == b
    assert a != c
    assert len(a) == 3  # 5 + 5 + 2 articles
    assert small == {name: a[name] for name in small}  # a smaller corpus is a prefix of a larger one
    texts = [data.decode("utf-8") for data in a.values()]
    assert sum(len(SIGNATURE.findall(text)) for text in texts) == 12
    per_article = sum(len(data) for data in a.values()) / 12
    assert 4000 < per_article < 6500
    manifest = json.loads((tmp_path / "a" / "corpus.json").read_text(encoding="utf-8"))
    assert manifest["articles"] == 12 and manifest["bytes"] == sum(len(d) for d in a.values())


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """One run of the whole suite on ARTICLES articles (each named query once, stopped after 0.5 s),
    two measurements at a time: well-formed results are checked here, not speed."""
    work = tmp_path_factory.mktemp("bench")
    command = [
        sys.executable,
        str(BENCH / "run.py"),
        "--articles",
        str(ARTICLES),
        "--repeat",
        "1",
        "--jobs",
        "2",
    ]
    done = subprocess.run(
        [*command, "--timeout", "0.5", "--corpora", str(work / "corpora"), "--work", str(work / "work"),
         "--out", str(work / "result.json")],
        capture_output=True, text=True, timeout=480, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((work / "result.json").read_text(encoding="utf-8")), work


def test_machine_and_castkg_build_are_reported(run: tuple[dict, Path]) -> None:
    result, work = run
    machine = result["machine"]
    assert machine["cores"] >= 1 and machine["memory_gb"] > 0 and machine["cpu"] and machine["python"]
    assert machine["packages"]["castkg"] and machine["packages"]["rdflib"]
    size = result["sizes"][str(ARTICLES)]
    assert size["corpus"]["articles"] == ARTICLES and size["corpus"]["bytes"] > 0
    build = size["castkg"]
    assert build["status"] == "ok", build.get("reason")
    for key in ("seconds", "articles_per_s", "mb_per_s", "peak_mb", "triples"):
        assert build[key] > 0, key
    assert all(build["sizes"][name] > 0 for name in ("castkg.ttl", "castkg.trig", "graph.html"))
    table = (work / "result.md").read_text(encoding="utf-8")
    assert table.count("| castkg build |") == 1
    assert "ran side by side" in table  # --jobs 2: the table says its seconds are not figures
    assert list(size) == ["corpus", "castkg", "stages", "variants", "peer", "floor", "queries"]


def test_castkg_outputs_parse_in_rdflib(run: tuple[dict, Path]) -> None:
    result, _ = run
    build = result["sizes"][str(ARTICLES)]["castkg"]
    out = Path(build["output"])
    graph = Graph().parse(out / "castkg.ttl", format="turtle")
    assert len(graph) == build["triples"]
    dataset = Dataset()
    dataset.parse(out / "castkg.trig", format="trig")
    graphs = {g for *_, g in dataset.quads((None, None, None, None))}
    assert len(graphs - {ENTITIES}) == ARTICLES  # a graph per article, and the graph of entities


def test_every_stage_is_timed(run: tuple[dict, Path]) -> None:
    stages = run[0]["sizes"][str(ARTICLES)]["stages"]
    assert stages["status"] == "ok", stages.get("reason")
    assert [row["stage"] for row in stages["stages"]] == list(STAGES)
    for row in stages["stages"]:
        assert row["status"] == "ok", row
        assert row["seconds"] >= 0 and row["rss_mb"] > 0 and row["hwm_mb"] >= row["rss_mb"]
    assert stages["articles"] == ARTICLES
    assert sum(row["seconds"] for row in stages["stages"]) > 0


def test_floor_loads_exactly_what_castkg_wrote(run: tuple[dict, Path]) -> None:
    size = run[0]["sizes"][str(ARTICLES)]
    floor = size["floor"]
    assert floor["status"] == "ok", floor.get("reason")
    assert floor["triples"] == size["castkg"]["triples"]
    assert floor["files"] == size["corpus"]["files"] and floor["hits"] > 0 and floor["seconds"] > 0


def test_named_queries_are_timed_on_both_engines(run: tuple[dict, Path]) -> None:
    queries = run[0]["sizes"][str(ARTICLES)]["queries"]
    names = {path.stem for path in (ROOT / "queries").glob("*.rq")}
    assert set(queries["oxigraph"]["queries"]) == names == set(queries["rdflib"]["queries"])
    for name, row in queries["oxigraph"]["queries"].items():
        assert row["median_seconds"] > 0 and row["rows"] >= 0, name
    for name, row in queries["rdflib"]["queries"].items():  # rdflib may time out or fail; it must say so
        assert row.get("median_seconds") or row.get("timed_out") or row.get("error"), name
    assert queries["ratios"]["median"] is None or queries["ratios"]["median"] > 0


def test_variants_and_targets_are_reported(run: tuple[dict, Path]) -> None:
    result = run[0]
    variants = result["sizes"][str(ARTICLES)]["variants"]
    assert list(variants) == ["j1", "j2", "dask2", "rebuild"]  # in order, however they were run
    for name, variant in variants.items():
        assert variant["status"] in ("ok", "n/a"), (name, variant)
        if variant["status"] == "ok":
            assert variant["seconds"] > 0 and variant["peak_mb"] > 0
    assert {row["status"] for row in result["targets"]} <= {"met", "missed", "n/a"}
    assert any("floor" in row["target"] and row["status"] != "n/a" for row in result["targets"])


def test_variants_run_and_give_the_bytes_of_the_plain_build(run: tuple[dict, Path]) -> None:
    size = run[0]["sizes"][str(ARTICLES)]
    plain = Path(size["castkg"]["output"])
    variants = size["variants"]
    for name in ("j1", "j2", "dask2"):
        if name == "dask2" and importlib.util.find_spec("distributed") is None:
            continue  # --engine dask needs the optional extra 'dask'
        variant = variants[name]
        assert variant["status"] == "ok", (name, variant.get("reason"))
        out = Path(variant["output"])
        for file in ("castkg.ttl", "castkg.trig"):
            assert (out / file).read_bytes() == (plain / file).read_bytes(), (name, file)
    rebuild = variants["rebuild"]
    assert rebuild["status"] == "ok", rebuild.get("reason")
    assert rebuild["full_build"]["status"] == "ok" and rebuild["share_of_full"] > 0


def test_peer_pipeline(run: tuple[dict, Path]) -> None:
    pytest.importorskip("spacy", reason="spaCy is in the optional extra 'bench': pip install -e '.[bench]'")
    peer = run[0]["sizes"][str(ARTICLES)]["peer"]
    assert peer["status"] == "ok", peer.get("reason")
    build = peer["build"]
    assert build["articles"] == ARTICLES and build["mentions"] > 0 and build["seconds"] > 0
    assert set(build["phases"]) == {"setup", "read", "ner", "graph", "serialize"}
    graph = Graph().parse(Path(run[0]["settings"]["work"]) / f"a{ARTICLES}" / "peer" / "peer.ttl")
    assert len(graph) == build["triples"]
    assert set(peer["queries"]) == {path.stem for path in (ROOT / "queries").glob("*.rq")}


def test_variants_are_read_from_the_build_help() -> None:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    assert spec and spec.loader
    run_module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = run_module
    spec.loader.exec_module(run_module)
    today = "Usage: castkg build [OPTIONS] INPUTS...\n  -o, --output PATH\n  --store PATH\n  --no-view\n"
    assert run_module.supports(today) == {"jobs": False, "dask": False, "cache": False}
    later = today + "  -j, --jobs INTEGER  workers\n  --engine [local|dask]\n  --cache DIRECTORY\n"
    assert run_module.supports(later) == {"jobs": True, "dask": True, "cache": True}
    assert run_module.supports(today + "  --jobs N\n")["jobs"]
    assert not run_module.supports(today + "  --no-jobserver\n")["jobs"]


def test_the_profile_times_every_stage_of_today_s_pipeline(tmp_path: Path) -> None:
    """profile_build.py names the pipeline's functions; a rename must not turn a stage into n/a."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "profile_build.py"), "--articles", str(ARTICLES), "--corpora",
         str(tmp_path), "--top", "3"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    stages = done.stdout.split("cumulative time per stage", 1)[1].split("top 3 functions", 1)[0]
    rows = [line.split() for line in stages.splitlines()[1:] if line.strip()]
    assert [row[-1] for row in rows] == [
        "rules", "read", "segment", "extract", "resolve", "map", "serialise", "merge", "view",
    ]  # fmt: skip
    assert all(row[0] != "n/a" for row in rows), stages
