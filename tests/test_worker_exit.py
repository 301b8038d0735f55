"""A ``castkg build -j 2`` killed outright (SIGKILL, as the OOM killer or a scheduler does) takes its
worker processes with it: they stop within a few seconds instead of going on, unseen, with the
files already sent to them (a killed 100k build left two workers busy for 40 minutes).

Real processes: the build runs as users run it, and the test reads /proc for its children (Linux).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
COPIES = 200  # half a minute of work for two workers: still extracting when killed

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


GRACE_SECONDS = 60
"""How long the workers may outlive their killed build."""


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _parent_and_state(int(entry)) in {(pid, s) for s in "RSD"}:
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    state = _parent_and_state(pid)
    return state is not None and state[1] not in "ZX"


def _parent_and_state(pid: int) -> tuple[int, str] | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), fields[0]


@pytest.mark.parametrize(
    "settle",
    [1.0, 0.0],
    ids=["after-the-workers-started", "while-the-workers-start"],
)
def test_workers_stop_when_the_build_is_killed(tmp_path: Path, settle: float) -> None:
    """Killed once its workers have started, or while they are still starting (a worker that
    begins after its build is gone has init for a parent, which it must not take for its build)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    bulletins = sorted(DATA.glob("*.txt"))
    for index in range(COPIES):
        shutil.copy(bulletins[index % len(bulletins)], corpus / f"bulletin_{index:02d}.txt")
    build = subprocess.Popen(
        [sys.executable, "-m", "castkg", "build", str(corpus), "-o", str(tmp_path / "out"), "-j", "2"]
        + ["--no-cache", "--no-view", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while len(children(build.pid)) < 2 and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(settle)  # 1 s: the workers have started and been sent files
        workers = children(build.pid)
        assert build.poll() is None and len(workers) >= 2, "the build ended before it could be killed"
    finally:
        build.kill()
        build.wait()
    # a minute, not seconds: on a machine loaded by other builds a worker still importing may wait
    # that long to be scheduled; the faults this guards against kept workers for the whole build
    deadline = time.monotonic() + GRACE_SECONDS
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [w for w in workers if alive(w)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)  # leave no process behind, pass or fail
    assert not left, f"worker processes still running {GRACE_SECONDS} s after the build was killed: {left}"
