"""Issue 10: a build gives the same bytes and the same messages in one process, in two worker
processes and on a Dask cluster; the incremental cache extracts only new and changed files and
survives damage, rule changes and two builds at once."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from castkg.mapping import ENTITIES
from conftest import DATA, INPUTS, ONTOLOGY, ROOT, run_castkg

OUTPUTS = ("castkg.ttl", "castkg.trig")
Built = subprocess.CompletedProcess[str]
SUMMARY_TIME = re.compile(r" in [0-9.]+s$", re.M)


def _warnings(process: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in process.stderr.splitlines() if line.startswith("castkg: warning:")]


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def _build(corpus: Path, out: Path, *extra: str | Path) -> subprocess.CompletedProcess[str]:
    process = run_castkg("build", corpus, "-o", out, "--no-view", *extra, timeout=600)
    assert process.returncode == 0, process.stderr[-3000:]
    return process


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our bulletins, the format twins (GBK, BOM + CRLF, HTML, Markdown, JSON Lines) and bad inputs
    (empty, binary, undecodable, bad records), in two folders: warnings come from several files."""
    root = tmp_path_factory.mktemp("scale") / "corpus"
    for folder, source in (("a_data", DATA), ("b_formats", INPUTS / "formats"), ("c_bad", INPUTS / "bad")):
        (root / folder).mkdir(parents=True)
        for path in sorted(source.iterdir()):
            if path.is_file() and path.suffix != ".py":
                shutil.copy(path, root / folder / path.name)
    return root


@pytest.fixture(scope="module")
def serial(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Path]:
    out = tmp_path_factory.mktemp("serial") / "out"
    return _build(corpus, out, "-j", "1", "--no-cache"), out


def _same_build(serial: tuple[Built, Path], process: Built, out: Path) -> None:
    reference, reference_out = serial
    assert _files(out) == _files(reference_out)
    assert _warnings(process) == _warnings(reference) and len(_warnings(reference)) >= 4
    assert SUMMARY_TIME.sub("", process.stdout) == SUMMARY_TIME.sub("", reference.stdout)


def test_two_worker_processes_give_the_same_bytes_and_warnings(serial, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _same_build(serial, _build(corpus, out, "-j", "2", "--no-cache"), out)


def test_a_dask_cluster_gives_the_same_bytes_and_warnings(serial, corpus: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        out = tmp_path / "out"
        address = cluster.scheduler_address
        process = _build(corpus, out, "--engine", "dask", "--scheduler", address, "--no-cache")
    _same_build(serial, process, out)


def test_a_build_written_file_by_file_is_the_graph_built_whole(serial, corpus: Path, tmp_path: Path) -> None:
    """castkg build maps and writes each file as it comes (build_to); the bytes are those of the
    whole corpus built into one Dataset and written at once, with the graph of entities."""
    from castkg.pipeline import build
    from castkg.write import write_graph

    dataset = build([corpus], on_input_error=lambda error: None)
    assert any(True for _ in dataset.graph(ENTITIES).triples((None, None, None)))
    write_graph(dataset, tmp_path)
    assert _files(tmp_path) == _files(serial[1])
    assert not [p for p in serial[1].parent.rglob("*") if ".spool-" in p.name]  # the scratch spool is gone


def test_the_worker_processes_are_gone_before_the_merge(
    serial, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """build_to ends the engine's workers once every file is extracted: the graph of entities, the
    merge and the view run without them (each idle worker holds its rules, ~180 MB)."""
    import multiprocessing

    from castkg import pipeline
    from castkg.engines import Processes
    from castkg.rules import load_rules

    children: dict[str, list[int]] = {"extracting": [], "merging": []}
    add_parts, write = pipeline.GraphSpool.add_parts, pipeline.GraphSpool.write

    def adding(self, *args, **kwargs):  # after each file's result
        children["extracting"].append(len(multiprocessing.active_children()))
        return add_parts(self, *args, **kwargs)

    def writing(self, *args, **kwargs):
        children["merging"].append(len(multiprocessing.active_children()))
        return write(self, *args, **kwargs)

    monkeypatch.setattr(pipeline.GraphSpool, "add_parts", adding)
    monkeypatch.setattr(pipeline.GraphSpool, "write", writing)
    rules = load_rules(ONTOLOGY)
    with Processes(rules, 2) as engine:
        pipeline.build_to([corpus], tmp_path, rules, on_input_error=lambda error: None, engine=engine)
        assert max(children["extracting"]) == 2 and children["merging"] == [0]
    assert _files(tmp_path) == _files(serial[1])


def test_the_merge_keeps_no_memos_of_terms_past_its_write(tmp_path: Path) -> None:
    """The merge's memos of terms (up to 2 x _MEMO small objects made late in a build) belong to
    one write: none is left in the module once the files are written, where it would keep the
    memory the entity table frees at the end of a build from going back to the system."""
    from castkg import pipeline, write

    pipeline.build_to([DATA], tmp_path, on_input_error=lambda error: None)
    assert (tmp_path / "castkg.ttl").stat().st_size > 0
    left = [name for name, value in vars(write).items() if isinstance(value, (write._Memo, write.TermMemos))]
    assert not left, f"memos of terms left in castkg.write: {left}"


def test_a_scheduler_without_dask_engine_is_a_usage_error(tmp_path: Path) -> None:
    process = run_castkg("build", DATA, "-o", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:1")
    assert process.returncode == 2 and "--engine dask" in process.stderr
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    process = run_castkg(
        "build", DATA, "-o", tmp_path / "out", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9",
        timeout=120,
    )  # fmt: skip
    assert process.returncode == 2, process.stderr
    assert "cannot reach the Dask scheduler" in process.stderr and "Traceback" not in process.stderr


# --- the cache ---------------------------------------------------------------------------------------


def _reused(process: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    found = re.search(r"cache .*: (\d+) files reused, (\d+) built", process.stderr)
    assert found, process.stderr
    return int(found[1]), int(found[2])


@pytest.fixture
def bulletins(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(DATA.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    return corpus


def test_a_rebuild_extracts_only_the_changed_file(bulletins: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _reused(_build(bulletins, out, "-v")) == (0, 5)
    assert (tmp_path / ".out.castkg-cache").is_dir()  # the default cache sits beside -o
    changed = sorted(bulletins.glob("*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n中国科协在京召开座谈会。\n", encoding="utf-8")
    assert _reused(_build(bulletins, out, "-v")) == (4, 1)
    assert _reused(_build(bulletins, out, "-v", "-j", "2")) == (5, 0)
    fresh = tmp_path / "fresh"
    _build(bulletins, fresh, "--no-cache")
    assert _files(out) == _files(fresh)
    assert not (tmp_path / ".fresh.castkg-cache").exists()


def _entries(cache: Path) -> list[Path]:
    """The cache's entries (not the state a build leaves for patching its output folder)."""
    return [p for p in cache.rglob("*") if p.is_file() and not p.name.startswith("output-")]


def test_the_default_cache_keeps_what_the_last_build_used(bulletins: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / ".out.castkg-cache"
    _build(bulletins, out)
    assert len(_entries(cache)) == 5
    assert len(list(cache.rglob("output-*"))) == 1  # what the next build needs to patch out's files
    sorted(bulletins.glob("*.txt"))[0].unlink()
    _build(bulletins, out)
    assert len(_entries(cache)) == 4


def test_a_damaged_cache_is_built_again(bulletins: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    _build(bulletins, out, "--cache", cache)
    reference = _files(out)
    entries = _entries(cache)
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # cut short
    entries[1].write_bytes(b"not a cache entry")
    (entries[2].parent / ".tmp-0123456789ab").write_bytes(b"left by a killed build")
    assert _reused(_build(bulletins, out, "-v", "--cache", cache)) == (3, 2)
    assert _files(out) == reference
    assert _reused(_build(bulletins, out, "-v", "--cache", cache)) == (5, 0)


def test_changed_rules_miss_the_cache(bulletins: Path, tmp_path: Path) -> None:
    rules, cache = tmp_path / "rules", tmp_path / "cache"
    shutil.copytree(ONTOLOGY, rules)
    _build(bulletins, tmp_path / "out", "--rules", rules, "--cache", cache)
    lexicon = rules / "rules" / "lexicon.yaml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n# a comment changes the rules' files\n")
    process = _build(bulletins, tmp_path / "out", "-v", "--rules", rules, "--cache", cache)
    assert _reused(process) == (0, 5)
    assert PATCHED not in process.stderr  # nothing of the last build's files is taken over


def test_two_builds_at_once_share_a_cache(bulletins: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "castkg", "build", str(bulletins), "--no-view", "--cache", str(cache)]
    builds = [
        subprocess.Popen([*command, "-o", str(tmp_path / f"out{n}")], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for n in (1, 2)
    ]  # fmt: skip
    for build in builds:
        _, stderr = build.communicate(timeout=600)
        assert build.returncode == 0, stderr
    assert _files(tmp_path / "out1") == _files(tmp_path / "out2")
    assert not [p for p in cache.rglob(".tmp-*")]
    assert _reused(_build(bulletins, tmp_path / "out3", "-v", "--cache", cache)) == (5, 0)
    assert _files(tmp_path / "out3") == _files(tmp_path / "out1")


# --- a rebuild patches the last build's files ----------------------------------------------------------

PATCHED = "patched the previous build's castkg.ttl and castkg.trig"


def _fresh(corpus: Path, tmp_path: Path, *extra: str | Path) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    _build(corpus, fresh, "--no-cache", *extra)
    return _files(fresh)


def test_a_rebuild_patches_the_last_files_to_a_cold_builds_bytes(bulletins: Path, tmp_path: Path) -> None:
    """Changed, removed and added files: each rebuild patches the files the last one wrote, and
    gives the bytes of a build from scratch of what the corpus holds then."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = _build(bulletins, out, "-v", "--cache", cache)
    assert PATCHED not in first.stderr
    files = sorted(bulletins.glob("*.txt"))
    text = files[2].read_text(encoding="utf-8")
    files[2].write_text(text.replace("。", "，与会人员一致表示将认真落实。", 1), encoding="utf-8")
    changed = _build(bulletins, out, "-v", "--cache", cache)
    assert PATCHED in changed.stderr and _reused(changed) == (4, 1)
    assert _files(out) == _fresh(bulletins, tmp_path)
    gone = files[1].read_bytes()
    files[1].unlink()
    removed = _build(bulletins, out, "-v", "--cache", cache)
    assert PATCHED in removed.stderr
    assert _files(out) == _fresh(bulletins, tmp_path)
    assert files[1].name.encode() not in _files(out)["castkg.trig"]  # its graphs are gone
    files[1].write_bytes(gone)
    added = _build(bulletins, out, "-v", "--cache", cache, "-j", "2")
    assert PATCHED in added.stderr
    assert _files(out) == _fresh(bulletins, tmp_path)
    again = _build(bulletins, out, "-v", "--cache", cache)
    assert PATCHED in again.stderr and _reused(again) == (5, 0)
    assert _files(out) == _fresh(bulletins, tmp_path)


def test_a_renamed_entity_is_patched_everywhere_it_is_named(bulletins: Path, tmp_path: Path) -> None:
    """A change to one file that changes an entity named in the others (its label in the graph
    of entities, its names in the union): the subjects several files share are merged again."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(bulletins, out, "--cache", cache)
    first = sorted(bulletins.glob("*.txt"))[0]
    first.write_text(
        first.read_text(encoding="utf-8").replace("中国科协", "中国科学技术协会"), encoding="utf-8"
    )
    process = _build(bulletins, out, "-v", "--cache", cache)
    assert PATCHED in process.stderr
    assert _files(out) == _fresh(bulletins, tmp_path)


def test_files_changed_since_the_last_build_are_written_whole(bulletins: Path, tmp_path: Path) -> None:
    """A castkg.ttl edited by hand, or a build into another folder, is never patched."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(bulletins, out, "--cache", cache)
    expected = _files(out)
    with open(out / "castkg.ttl", "ab") as file:
        file.write(b"# edited\n")
    process = _build(bulletins, out, "-v", "--cache", cache)
    assert PATCHED not in process.stderr and _files(out) == expected
    other = _build(bulletins, tmp_path / "other", "-v", "--cache", cache)
    assert PATCHED not in other.stderr and _files(tmp_path / "other") == expected


def test_many_changed_files_are_merged_whole(bulletins: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    _build(bulletins, out, "--cache", cache)
    for n, path in enumerate(sorted(bulletins.glob("*.txt"))[:3]):
        added = f"\n中国科协在京召开第{n + 1}次座谈会。\n"
        path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")
    process = _build(bulletins, out, "-v", "--cache", cache)
    assert PATCHED not in process.stderr
    assert "3 changed and 0 new); writing them whole" in process.stderr
    assert _files(out) == _fresh(bulletins, tmp_path)


def test_blocks_several_graphs_state_are_merged_as_oxigraph_writes_the_union(tmp_path: Path) -> None:
    """Subjects stated by several graphs, with objects that are hard to split (a literal holding
    ' , ', quotes, escapes, typed and language-tagged literals, IRIs outside the prefixes):
    the merged blocks are the bytes Oxigraph writes of the union."""
    from rdflib import Dataset, Literal, URIRef
    from rdflib.namespace import XSD

    from castkg.write import GraphSpool, write_graph

    ckr, ckg = "https://w3id.org/castkg/id/", "https://w3id.org/castkg/ontology#"
    subject, other = URIRef(ckr + "org_a"), URIRef(ckr + "org_a-b")
    objects = [
        Literal('甲 , 乙 "丙" \\ 丁\n戊', lang="zh"),
        Literal("x , y"),
        Literal("3", datatype=XSD.integer),
        Literal("2.50", datatype=XSD.decimal),
        Literal("2022-03-30", datatype=XSD.date),
        URIRef("http://example.org/x,y"),
        URIRef(ckr + "org_a"),
        Literal("World, Young", lang="en"),
    ]
    dataset = Dataset()
    spool = GraphSpool(tmp_path / "spool")
    for n in range(3):
        graph = URIRef(ckr + f"article_{n}")
        triples = [
            (s, URIRef(ckg + ("evidence" if k % 2 else "mentions")), o)
            for k, o in enumerate(objects)
            if (k + n) % 3 != 0
            for s in (subject, other)
        ]
        for triple in triples:
            dataset.graph(graph).add(triple)
        spool.add(str(graph), [(str(s), str(p), _nt(o)) for s, p, o in triples])
    written, _ = spool.write(tmp_path)
    spool.close()
    expected = tmp_path / "expected"
    write_graph(dataset, expected)
    assert (tmp_path / "castkg.ttl").read_bytes() == (expected / "castkg.ttl").read_bytes()
    assert (tmp_path / "castkg.trig").read_bytes() == (expected / "castkg.trig").read_bytes()
    assert written.triples == len({(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))})


def _nt(term: object) -> str:
    from castkg.mapping import nt_term

    return nt_term(term)  # type: ignore[arg-type]


def test_the_trig_merge_reads_a_stored_graph_only_when_it_writes_it(tmp_path: Path) -> None:
    """Merging a corpus' TriG holds one graph block at a time, not the next one of every file:
    a stored file's records come as their heads, each block read from its place when written,
    and give the bytes the records hold; a graph two files give is still their union."""
    from rdflib import Dataset, Literal, URIRef

    from castkg.write import GraphSpool, _record_heads, _records, _StoredBlock, write_graph

    ckr, ckg = "https://w3id.org/castkg/id/", "https://w3id.org/castkg/ontology#"
    dataset = Dataset()
    spool = GraphSpool(tmp_path / "spool")
    for n in range(4):
        graph = URIRef(ckr + f"article_{n % 3}")  # article_0 is given by two files
        triples = [
            (URIRef(ckr + f"org_{n}_{k}"), URIRef(ckg + "label"), Literal(f"机构{n}{k}", lang="zh"))
            for k in range(3)
        ]
        for triple in triples:
            dataset.graph(graph).add(triple)
        spool.add(str(graph), [(str(s), str(p), _nt(o)) for s, p, o in triples])
    spool._file.flush()  # written to the scratch file as write() finds it
    stored = spool._sources[0]
    heads = list(_record_heads(stored, "trig", 0))
    assert heads and all(isinstance(block, _StoredBlock) for *_, block in heads)
    assert [(iri, count, block.read()) for iri, _, count, block in heads] == [
        (iri, count, block) for iri, _, count, block in _records(stored, "trig", 0)
    ]
    spool.write(tmp_path)
    spool.close()
    write_graph(dataset, tmp_path / "expected")
    assert (tmp_path / "castkg.trig").read_bytes() == (tmp_path / "expected" / "castkg.trig").read_bytes()


def test_an_error_after_the_workers_end_surfaces_as_itself() -> None:
    """The build closes its worker pool before the merge; an error raised after that (in the
    merge, the write, the view) leaves the engine's context as that error, not as a failure of
    the engine's own clean-up (a 100k build reported "'NoneType' object has no attribute
    'values'" instead of what had gone wrong)."""
    from castkg.engines import Processes
    from castkg.rules import load_rules

    rules = load_rules(ONTOLOGY)

    class MergeFailed(Exception):
        pass

    with pytest.raises(MergeFailed), Processes(rules, 2) as engine:
        engine.close()
        raise MergeFailed("the merge failed")


def test_a_write_the_disk_cannot_hold_stops_before_it_starts(tmp_path: Path) -> None:
    """A 100k build fills ~27 GB with castkg.ttl and castkg.trig after hours of extraction; where
    the disk cannot hold them, the write says so before writing a byte (what is needed, what is
    free, what to do), and lets a write that fits go on."""
    from castkg.errors import OutputError
    from castkg.write import ROOM_SHARE, check_room

    free = shutil.disk_usage(tmp_path).free
    check_room(tmp_path, 0)
    check_room(tmp_path, int(free * 0.5 / ROOM_SHARE))
    with pytest.raises(OutputError, match=r"not enough disk .* GB needed, .* GB free; free space"):
        check_room(tmp_path, int((free + 10**12) / ROOM_SHARE))
    assert list(tmp_path.iterdir()) == []
