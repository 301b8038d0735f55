"""Crash-safe outputs and store, and the CLI's conventions around them.

- the folder transaction: nothing of a new version is visible before commit, an abort or an
  exception leaves the old one, one transaction per target, leftovers of a killed one cleaned,
  the folder put back after a crash between the two renames of the fallback swap;
- ``castkg build``: -o and --store checked before any work (each refusal one exact line, exit 2),
  store statistics in words, files castkg does not write carried over, ignored input files
  counted (and listed with -v), --debug/-v/-q after the subcommand;
- a store left with its update marker is refused wherever it is opened; ``validate`` takes a store.
(The SIGKILL/SIGINT tests of whole builds are in test_crash.py.)
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph, URIRef

from castkg.cli import cli
from castkg.errors import OutputError, StoreError
from castkg.query.data import UPDATE_MARKER, open_oxigraph
from castkg.store import update_store
from castkg.transaction import FolderTransaction, write_atomic

HERE = Path(__file__).resolve().parent
GOOD = HERE / "inputs" / "bad" / "good.txt"
FIXTURE = HERE / "fixtures" / "mini.trig"


def castkg(*args: str | Path) -> Result:
    """``castkg ARGS`` in this process (click's runner): exit code, stdout and stderr apart."""
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def error_line(result: Result) -> str:
    """The one stderr line of a refused command (exit 2, nothing on stdout)."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert len(lines) == 1 and result.stdout == "", result.stderr
    return lines[0]


def write(folder: Path, **files: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def read(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


# --- the folder transaction ----------------------------------------------------------------


def test_nothing_is_seen_before_commit_and_everything_after(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write(target, **{"a.txt": "old a", "b.txt": "old b"})
    target.chmod(0o750)
    with FolderTransaction(target) as transaction:
        write(transaction.staging, **{"a.txt": "new a"})
        assert read(target) == {"a.txt": "old a", "b.txt": "old b"}
        assert transaction.staging.parent == tmp_path and transaction.staging.name.startswith(
            ".out.castkg-new-"
        )
        transaction.commit()
    assert read(target) == {"a.txt": "new a"}
    assert target.stat().st_mode & 0o777 == 0o750, "the folder keeps its permissions"
    assert sorted(os.listdir(tmp_path)) == [".out.castkg-lock", "out"]


def test_leaving_without_commit_or_by_an_error_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write(target, **{"a.txt": "old"})
    with FolderTransaction(target) as transaction:
        write(transaction.staging, **{"a.txt": "new"})
    with pytest.raises(RuntimeError), FolderTransaction(target) as transaction:
        write(transaction.staging, **{"a.txt": "new"})
        raise RuntimeError("the build failed")
    assert read(target) == {"a.txt": "old"}
    assert sorted(os.listdir(tmp_path)) == [".out.castkg-lock", "out"]


def test_a_first_commit_makes_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "out"
    with FolderTransaction(target) as transaction:
        write(transaction.staging, **{"a.txt": "new"})
        assert not target.exists()
        transaction.commit()
    assert read(target) == {"a.txt": "new"}


def test_one_transaction_at_a_time(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with FolderTransaction(target, shown="out"), pytest.raises(OutputError) as raised:
        FolderTransaction(target, shown="out").begin()
    assert str(raised.value) == "out: another castkg is writing it now; wait for it to finish"
    with FolderTransaction(target) as again:  # the lock went with the first transaction
        again.commit()


def test_what_a_killed_transaction_left_is_removed(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write(target, **{"a.txt": "old"})
    write(tmp_path / ".out.castkg-new-0badf00d", **{"a.txt": "half"})
    write(tmp_path / ".out.castkg-old-0badf00d", **{"a.txt": "older"})
    with FolderTransaction(target) as transaction:
        assert sorted(os.listdir(tmp_path)) == [".out.castkg-lock", transaction.staging.name, "out"]
    assert read(target) == {"a.txt": "old"}


def test_a_crash_between_the_two_renames_is_undone(tmp_path: Path) -> None:
    """Where no atomic exchange exists, the swap is two renames; a kill between them leaves the
    target aside as .NAME.castkg-old-…, which the next transaction puts back first."""
    target = tmp_path / "out"
    write(tmp_path / ".out.castkg-old-12345678", **{"a.txt": "old"})
    write(tmp_path / ".out.castkg-new-87654321", **{"a.txt": "new, never swapped in"})
    with FolderTransaction(target):
        assert read(target) == {"a.txt": "old"}
    assert sorted(os.listdir(tmp_path)) == [".out.castkg-lock", "out"]


def test_the_two_rename_swap_where_no_exchange_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import castkg.transaction

    monkeypatch.setattr(castkg.transaction, "exchange", lambda first, second: False)
    target = tmp_path / "out"
    write(target, **{"a.txt": "old"})
    with FolderTransaction(target) as transaction:
        write(transaction.staging, **{"a.txt": "new"})
        transaction.commit()
    assert read(target) == {"a.txt": "new"}
    assert sorted(os.listdir(tmp_path)) == [".out.castkg-lock", "out"]


def test_a_symlinked_target_keeps_its_link(tmp_path: Path) -> None:
    real, link = tmp_path / "real", tmp_path / "link"
    write(real, **{"a.txt": "old"})
    link.symlink_to(real)
    with FolderTransaction(link) as transaction:
        write(transaction.staging, **{"a.txt": "new"})
        transaction.commit()
    assert link.is_symlink() and read(link) == {"a.txt": "new"} and read(real) == {"a.txt": "new"}


def test_write_atomic_replaces_a_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "castkg.ttl"
    path.write_bytes(b"old")
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and os.listdir(tmp_path) == ["castkg.ttl"]


# --- castkg build: -o and --store checked before any work -----------------------------------------


def test_o_naming_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("README.md").write_text("# not a folder\n", encoding="utf-8")
    # --rules names no folder: had the build started, that would be the error
    result = castkg("build", GOOD, "-o", "README.md", "--rules", "nowhere")
    assert error_line(result) == (
        "castkg: error: README.md: is a file; -o takes a folder, for castkg.ttl, castkg.trig and graph.html"
    )
    assert error_line(castkg("build", GOOD, "-o", "README.md/out", "--rules", "nowhere")) == (
        "castkg: error: README.md/out: README.md is a file, not a folder"
    )
    assert Path("README.md").read_text(encoding="utf-8") == "# not a folder\n"


def test_o_where_nothing_can_be_written(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes through permissions; sysfs refuses new folders to everyone
        if not Path("/sys/kernel").is_dir():
            pytest.skip("no unwritable folder for root here")
        target, parent = Path("/sys/castkg-out"), Path("/sys")
    else:
        parent = tmp_path / "locked"
        parent.mkdir()
        parent.chmod(0o500)
        target = parent / "out"
    reason = os.strerror(13)  # EACCES: the first thing made there is the lock file
    result = castkg("build", GOOD, "-o", target, "--rules", "nowhere")
    assert error_line(result) == (
        f"castkg: error: {target}: cannot write in {parent} ({reason}); give a place you can write to"
    )


def test_o_holding_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "out" / "mine")
    assert error_line(castkg("build", GOOD, "-o", tmp_path / "out", "--rules", "nowhere")) == (
        f"castkg: error: {tmp_path / 'out'}: holds folders (mine) and each build replaces its output "
        f"folder as a whole; give -o a folder of its own"
    )


@pytest.mark.parametrize(
    "output, store, message",
    [
        (
            "out",
            "out/kg",
            "--store out/kg is inside -o out, which each build replaces as a whole; put the store outside it",
        ),
        ("kg/out", "kg", "-o kg/out is inside --store kg; put the outputs outside the store"),
        ("out", "out/../out", "-o out and --store out/../out are one folder; give each its own"),
    ],
)
def test_o_and_store_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output, store, message) -> None:
    monkeypatch.chdir(tmp_path)
    result = castkg("build", GOOD, "-o", output, "--store", store, "--rules", "nowhere")
    assert error_line(result) == f"castkg: error: {message}"


def test_store_that_cannot_be_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("kg.txt").write_text("a file\n", encoding="utf-8")
    write(Path("notes"), **{"a.txt": "mine"})
    common = ("build", GOOD, "-o", "out", "--rules", "nowhere", "--store")
    assert error_line(castkg(*common, "kg.txt")) == (
        "castkg: error: kg.txt: is a file; --store takes a folder (an Oxigraph store)"
    )
    assert error_line(castkg(*common, "notes")) == (
        "castkg: error: notes: folder is not empty and is not a store; give an empty or new folder"
    )
    update_store(tmp_path / "kg", _fixture())
    (tmp_path / "kg" / UPDATE_MARKER).touch()
    assert error_line(castkg(*common, "kg")) == (
        "castkg: error: kg: the store is incomplete (an update of it was interrupted); "
        "delete the folder and build the store again"
    )


def test_another_build_writing_the_same_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lock = os.open(".out.castkg-lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = castkg("build", GOOD, "-o", "out", "--rules", "nowhere")
    finally:
        os.close(lock)
    assert error_line(result) == "castkg: error: out: another castkg is writing it now; wait for it to finish"


# --- a whole build ------------------------------------------------------------------------------


def _fixture() -> Dataset:
    dataset = Dataset()
    dataset.parse(FIXTURE, format="trig")
    return dataset


def test_a_build_its_statistics_its_set_of_files_and_its_folder_report(tmp_path: Path) -> None:
    inputs, out, store = tmp_path / "inputs", tmp_path / "out", tmp_path / "kg"
    inputs.mkdir()
    shutil.copy(GOOD, inputs / "good.txt")
    for name in ("minutes.docx", "slides.pdf", "sub/figures.xlsx", ".hidden.docx"):
        (inputs / name).parent.mkdir(exist_ok=True)
        (inputs / name).write_bytes(b"PK\x03\x04 not a bulletin")
    write(out, **{"notes.txt": "my notes"})

    result = castkg("build", inputs, "-o", out, "--store", store, "-v")  # -v after the subcommand
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert (
        f"castkg: warning: {inputs}: 3 files ignored, not .txt, .md, .html or .jsonl (-v lists them)" in lines
    )
    assert [line for line in lines if line.startswith("ignored ")] == [
        f"ignored {inputs}/minutes.docx",
        f"ignored {inputs}/slides.pdf",
        f"ignored {inputs}/sub/figures.xlsx",
    ]
    store_lines = [line for line in lines if line.startswith("castkg: store ")]
    assert len(store_lines) == 1 and "StoreStats" not in store_lines[0]
    quads = int(store_lines[0].rsplit("(", 1)[1].split()[0])
    assert store_lines[0] == (
        f"castkg: store {store}: 1 article graphs written, 0 old ones dropped; "
        f"it now holds 1 articles ({quads} quads)"
    )
    assert sorted(os.listdir(out)) == ["castkg.trig", "castkg.ttl", "graph.html", "notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes", "a file castkg does not write stays"

    quiet = castkg("build", inputs, "-o", out, "--store", store, "--no-view", "-q")  # -q after it too
    assert quiet.exit_code == 0 and quiet.stderr == "", quiet.stderr
    assert sorted(os.listdir(out)) == ["castkg.trig", "castkg.ttl", "notes.txt"], (
        "the folder holds one build's files: no graph.html of an earlier build next to a --no-view build"
    )

    checked = castkg("validate", store)
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.splitlines()[:3] == ["Validation Report", f"Source: {store}", "Conforms: True"]


# --- stores -----------------------------------------------------------------------------------------


def test_an_incomplete_store_is_refused_wherever_it_is_opened(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    update_store(store, _fixture())
    (store / UPDATE_MARKER).touch()
    expected = (
        f"castkg: error: {store}: the store is incomplete (an update of it was interrupted); "
        f"delete the folder and build the store again"
    )
    assert error_line(castkg("query", "-e", "ASK {}", "--data", store)) == expected
    assert error_line(castkg("validate", store)) == expected
    with pytest.raises(StoreError):
        update_store(store, _fixture())


def test_validate_a_store_that_does_not_conform(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    bad = Graph().parse(HERE / "fixtures" / "shapes_ok.ttl", format="turtle")
    bad.parse(HERE / "fixtures" / "shapes_bad_chair_org.ttl", format="turtle")  # an organisation as chair
    dataset = Dataset()
    article = dataset.graph(URIRef("https://w3id.org/castkg/id/article-bad"))
    for triple in bad:
        article.add(triple)
    update_store(store, dataset)
    result = castkg("validate", store)
    assert result.exit_code == 1 and f"Source: {store}" in result.stdout
    assert result.stderr.strip().endswith("the graph does not conform")


# --- global options after the subcommand -------------------------------------------------------------


def test_debug_after_the_subcommand_shows_the_traceback(tmp_path: Path) -> None:
    plain = castkg("query", "-e", "SELEC", "--data", FIXTURE)
    assert plain.exit_code == 2 and plain.exception is not None and "Traceback" not in plain.stderr
    debug = castkg("query", "-e", "SELEC", "--data", FIXTURE, "--debug")
    assert debug.exit_code == 1 and type(debug.exception).__name__ == "QueryError"
    before = castkg("--debug", "query", "-e", "SELEC", "--data", FIXTURE)
    assert before.exit_code == 1 and type(before.exception).__name__ == "QueryError"


def test_verbose_after_the_subcommand(tmp_path: Path) -> None:
    quiet = castkg("query", "-e", "ASK {}", "--data", FIXTURE)
    loud = castkg("query", "-e", "ASK {}", "--data", FIXTURE, "-v")
    assert quiet.exit_code == loud.exit_code == 0
    assert "loaded" not in quiet.stderr and "loaded" in loud.stderr


def test_a_reader_keeps_its_snapshot_while_the_store_is_replaced(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    update_store(store, _fixture())
    reader = open_oxigraph(store, read_only=True)
    before = len(reader)
    other = Dataset()
    other.parse(HERE / "fixtures" / "mini-other.trig", format="trig")
    update_store(store, other)
    assert len(reader) == before and len(list(reader.query("SELECT * WHERE { ?s ?p ?o }"))) > 0
    assert len(open_oxigraph(store, read_only=True)) > before


@pytest.mark.server
def test_a_store_another_program_writes_is_refused(tmp_path: Path) -> None:
    """`oxigraph serve --location STORE` holds the store's RocksDB lock: castkg must not swap the
    folder from under it."""
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(oxigraph).is_file():
        pytest.skip("the oxigraph server CLI is not installed")
    store = tmp_path / "kg"
    update_store(store, _fixture())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [oxigraph, "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with pytest.raises(StoreError) as raised:
            update_store(store, _fixture())
        assert str(raised.value) == f"{store}: another program is writing the store; stop it first"
    finally:
        server.terminate()
        server.wait(10)
