"""Interrupted builds: ``castkg build -o OUT --store STORE`` killed (SIGKILL) or interrupted (SIGINT)
at random moments never leaves a half-written output folder or store, and the next build works.

A small corpus (one bulletin whose text alternates between two versions, A and B, as a file
being edited would) is built by real ``castkg build`` processes, forked from a warm fork server
(``forkbuild.py``) so that the kill lands in the build and not in the interpreter's start-up.
Kill moments come from a seeded RNG over the build's measured phases: a quarter anywhere in
the build, the rest aimed at its write window (first output file to graph.html), its store
update, the store's fsync (the copy's update marker gone) and the outputs' fsync and swap
(the store folder swapped, to the end), each phase seen starting on disk. After each kill:

- the output folder holds exactly castkg.ttl, castkg.trig and graph.html, byte-identical to a
  complete build of A or of B (all three of the same one);
- the store opens (no update marker) and holds exactly the quads of a complete build of A or B;
- new outputs imply a new store (the store is swapped in first), and after Ctrl-C both are
  old or both new (a Ctrl-C during the swaps waits for both);
- the killed build wrote no error line.
Each test ends with a complete build, which must succeed and leave nothing but the two folders
and their lock files. Run with ``-s`` to see each kill's moment and outcome.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from castkg.query.data import UPDATE_MARKER, open_oxigraph

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
VERSIONS = {"A": DATA / "002_science_day_2021.txt", "B": DATA / "005_kechuang_rankings.txt"}
OUTPUT_FILES = {"castkg.ttl", "castkg.trig", "graph.html"}
KILLS_PER_TEST = 12  # two tests: 24 kill points in all, three quarters aimed at the write and swap window


@dataclass
class State:
    outputs: dict[str, bytes]
    quads: list[str]


@dataclass
class Calibration:
    """Seconds after the start of a complete build: its first output file, its graph.html (the
    last output file; the store update follows), the end of its store update (the store's
    update marker goes; the store's fsync and swap follow), the store swapped in (the store
    folder is another; the outputs' fsync and swap follow), its end."""

    first_write: float = 0.0
    view_written: float = 0.0
    store_written: float = 0.0
    store_swapped: float = 0.0
    end: float = 0.0


class ForkBuilds:
    """The fork server: runs ``castkg ARGV`` in forked children, each killable at a chosen moment."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.count = 0
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "forkbuild.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=HERE.parent,
        )

    def start(self, argv: list[str]) -> tuple[int, Path]:
        assert self.process.stdin and self.process.stdout
        self.count += 1
        log = self.logs / f"build-{self.count}.log"
        self.process.stdin.write(json.dumps({"argv": argv, "log": str(log)}) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())["pid"], log

    def finished_within(self, seconds: float) -> bool:
        """Whether the running child's status line arrives within ``seconds``."""
        ready, _, _ = select.select([self.process.stdout], [], [], max(seconds, 0))
        return bool(ready)

    def status(self) -> int:
        assert self.process.stdout
        return int(json.loads(self.process.stdout.readline())["status"])

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(30)


def outputs_of(out: Path) -> dict[str, bytes]:
    entries = {path.name: path for path in out.iterdir()}
    assert set(entries) == OUTPUT_FILES, f"output folder holds {sorted(entries)}"
    return {name: path.read_bytes() for name, path in entries.items()}


def quads_of(store_dir: Path) -> list[str]:
    assert not (store_dir / UPDATE_MARKER).exists()
    store = open_oxigraph(store_dir, read_only=True)
    try:
        return sorted(str(quad) for quad in store.quads_for_pattern(None, None, None))
    finally:
        del store


def which(state: dict[str, State], outputs: dict[str, bytes] | None, quads: list[str] | None) -> str | None:
    for name, reference in state.items():
        if outputs is not None and outputs == reference.outputs:
            return name
        if quads is not None and quads == reference.quads:
            return name
    return None


class Corpus:
    """The folders of the crash tests: corpus/, out/, store/ (side by side) and the builds' logs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.corpus, self.out, self.store = root / "corpus", root / "out", root / "store"
        self.logs = root.parent / f"{root.name}-logs"
        self.corpus.mkdir(parents=True)
        self.logs.mkdir()
        self.builds = ForkBuilds(self.logs)
        self.references: dict[str, State] = {}
        self.calibration = Calibration(0.0, 0.0)
        self.current = "A"

    @property
    def argv(self) -> list[str]:
        return ["build", str(self.corpus), "-o", str(self.out), "--store", str(self.store)]

    def write_version(self, name: str) -> None:
        (self.corpus / "bulletin.txt").write_bytes(VERSIONS[name].read_bytes())

    def complete_build(self, name: str, measure: bool = False) -> Calibration:
        """Build version ``name`` to the end; with ``measure``, time its phases."""
        self.write_version(name)
        stale = self.staging_folders()
        pid, log = self.builds.start(self.argv)
        inode = self.store_inode()
        started, seen, marked = time.monotonic(), Calibration(), False
        while not self.builds.finished_within(0.002 if measure else 5):
            now = time.monotonic() - started
            if measure and not seen.first_write and self.written(stale):
                seen.first_write = now
            if measure and not seen.view_written and self.written(stale, "graph.html"):
                seen.view_written = now
            if measure and not seen.store_written:
                if self.store_marked(stale):
                    marked = True
                elif marked:
                    seen.store_written = now
            if measure and not seen.store_swapped and self.store_inode() != inode:
                seen.store_swapped = now
        seen.end = time.monotonic() - started
        status = self.builds.status()
        assert status == 0, log.read_text(encoding="utf-8")
        self.current = name
        return seen

    def staging_folders(self) -> set[str]:
        return {name for name in os.listdir(self.root) if ".castkg-new-" in name}

    def written(self, stale: set[str], name: str | None = None) -> bool:
        """Whether the running build (whose new folders are not in ``stale``) has written a file
        (or the file ``name``) into its new output folder."""
        for folder in self.staging_folders() - stale:
            if not folder.startswith(".out."):
                continue
            try:
                files = os.listdir(self.root / folder)
            except FileNotFoundError:
                continue
            if (name in files) if name else bool(files):
                return True
        return False

    def store_inode(self) -> int | None:
        """The store folder's inode: a swap puts another folder there."""
        try:
            return os.stat(self.store).st_ino
        except FileNotFoundError:
            return None

    def store_marked(self, stale: set[str]) -> bool:
        """Whether the running build's copy of the store holds its update marker now."""
        return any(
            (self.root / folder / UPDATE_MARKER).exists()
            for folder in self.staging_folders() - stale
            if folder.startswith(".store.")
        )

    def state(self) -> State:
        return State(outputs_of(self.out), quads_of(self.store))

    def leftovers(self) -> list[str]:
        expected = {"corpus", "out", "store", ".out.castkg-lock", ".store.castkg-lock", ".out.castkg-cache"}
        return sorted(set(os.listdir(self.root)) - expected)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """Reference builds of A and B (the second timed), with the fork server running."""
    for path in VERSIONS.values():
        if not path.is_file():
            pytest.skip(f"{path} is missing")
    made = Corpus(tmp_path_factory.mktemp("crash") / "kg")
    try:
        made.complete_build("A")
        made.references["A"] = made.state()
        made.complete_build("B")
        made.references["B"] = made.state()
        timed = [made.complete_build(name, measure=True) for name in ("A", "B")]
        made.calibration = Calibration(
            first_write=max(t.first_write for t in timed),
            view_written=max(t.view_written for t in timed),
            store_written=max(t.store_written for t in timed),
            store_swapped=max(t.store_swapped for t in timed),
            end=max(t.end for t in timed),
        )
        assert made.state() == made.references["B"], "a rebuild equals the first build of the same text"
        c = made.calibration
        print(
            f"\ncrash calibration: first output file at {c.first_write:.2f} s, graph.html at "
            f"{c.view_written:.2f} s, store copy updated at {c.store_written:.2f} s, store swapped in at "
            f"{c.store_swapped:.2f} s, end at {c.end:.2f} s"
        )
        yield made
    finally:
        made.builds.close()


@dataclass(frozen=True)
class KillPoint:
    """When to kill: ``fraction`` of a phase's measured length after the phase starts. Phases:
    "anywhere" (the whole build, from its start), "writing" (from its first output file to its
    graph.html), "store update" (from graph.html until the store copy loses its update
    marker), "store fsync" (from then until the store folder is swapped), "output swap" (from
    then to the build's end). The last two are tens of milliseconds: their lengths count as at
    least 50 ms and their fractions go up to 2, so some kills fall just after a build's end."""

    fraction: float
    aim: str


AIMS = {"anywhere": 3, "writing": 2, "store update": 2, "store fsync": 2, "output swap": 3}
"""How many of a test's kill points go to each phase."""


def kill_points(seed: int) -> list[KillPoint]:
    """Seeded kill moments: a quarter over the whole build, the rest in its write and swap window."""
    rng = random.Random(seed)
    short = ("store fsync", "output swap")
    return [
        KillPoint(rng.uniform(0.0, 2.0 if aim in short else 1.0), aim)
        for aim, count in AIMS.items()
        for _ in range(count)
    ]


def wait_for_phase(corpus: Corpus, aim: str, stale: set[str], inode: int | None) -> bool:
    """Wait until the running build enters phase ``aim``; False when it ends first."""
    marked = False
    while True:
        if aim == "writing" and corpus.written(stale):
            return True
        if aim == "store update" and corpus.written(stale, "graph.html"):
            return True
        if aim == "store fsync":
            if corpus.store_marked(stale):
                marked = True
            elif marked:
                return True
        if aim == "output swap" and corpus.store_inode() != inode:
            return True
        if corpus.builds.finished_within(0.001):
            return False


def run_and_kill(corpus: Corpus, point: KillPoint, sig: signal.Signals) -> tuple[bool, int, Path, str]:
    """Start a build and send it ``sig`` at ``point`` unless it ends first; returns (killed, exit
    status, log, when). Phases start when their files appear or go in the build's new folders,
    so the aim holds however loaded the machine is."""
    c = corpus.calibration
    length = {
        "anywhere": c.end,
        "writing": c.view_written - c.first_write,
        "store update": c.store_written - c.view_written,
        "store fsync": max(c.store_swapped - c.store_written, 0.05),
        "output swap": max(c.end - c.store_swapped, 0.05),
    }[point.aim]
    stale, inode = corpus.staging_folders(), corpus.store_inode()
    pid, log = corpus.builds.start(corpus.argv)
    started = time.monotonic()
    if point.aim != "anywhere" and not wait_for_phase(corpus, point.aim, stale, inode):
        return False, corpus.builds.status(), log, f"{point.aim:14} (ended before the phase was seen)"
    wait = point.fraction * length
    when = f"{point.aim:12} {time.monotonic() - started:4.2f}+{wait:4.2f} s"
    killed = not corpus.builds.finished_within(wait)
    if killed:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:  # it ended between the check and the signal
            killed = False
    return killed, corpus.builds.status(), log, when


def crash_trials(corpus: Corpus, sig: signal.Signals, seed: int) -> None:
    outcomes: Counter[str] = Counter()
    for point in kill_points(seed):
        old = corpus.current
        new = "B" if old == "A" else "A"
        corpus.write_version(new)
        killed, status, log, when = run_and_kill(corpus, point, sig)
        said = log.read_text(encoding="utf-8")
        state = corpus.state()
        on_disk = which(corpus.references, state.outputs, None), which(corpus.references, None, state.quads)
        outcome = (
            f"outputs {'new' if on_disk[0] == new else 'old'}, store {'new' if on_disk[1] == new else 'old'}"
        )
        line = f"{sig.name} {when}: {'killed' if killed else 'had ended'}, exit {status:4}, {outcome}"
        print(line)
        assert on_disk[0] in ("A", "B"), f"{line}: outputs match no complete build"
        assert on_disk[1] in ("A", "B"), f"{line}: store matches no complete build"
        assert on_disk[1] == new or on_disk[0] == old, f"{line}: new outputs with the old store"
        if sig == signal.SIGINT:  # Ctrl-C during the two swaps waits until both are done
            assert on_disk[0] == on_disk[1], f"{line}: Ctrl-C left one swapped and not the other"
        assert "Traceback" not in said and "castkg: error" not in said, said
        if not killed or status == 0:
            assert status == 0 and on_disk == (new, new), f"{line}\n{said}"
        elif sig == signal.SIGKILL:
            assert status == -signal.SIGKILL
        else:
            assert status == 130 and "castkg: interrupted" in said, f"{line}\n{said}"
        outcomes[f"{'killed' if killed and status != 0 else 'ended'}: {outcome}"] += 1
        corpus.current = on_disk[0]  # the next build changes the text the outputs hold now
    print(f"{sig.name}: {dict(sorted(outcomes.items()))}")
    final = "B" if corpus.current == "A" else "A"
    corpus.complete_build(final)
    assert corpus.state() == corpus.references[final], "the build after the kills is complete and right"
    assert corpus.leftovers() == [], "what the killed builds left beside the folders is cleaned up"


def test_sigkill_at_random_moments_leaves_old_or_new_never_a_mix(corpus: Corpus) -> None:
    crash_trials(corpus, signal.SIGKILL, seed=20240611)


def test_ctrl_c_at_random_moments_leaves_old_or_new_never_a_mix(corpus: Corpus) -> None:
    crash_trials(corpus, signal.SIGINT, seed=20240612)
