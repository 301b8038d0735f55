"""Shared paths and helpers for the tests of the core build (issue 2).

Everything is located from this file, never from the working directory. The seed bulletin
and its gold live next to the repository in ``../shared``; tests that need them skip
cleanly when that folder is absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from castkg.rules import Rules, load_rules

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seed"
SEED = SEED_DIR / "000_49d197ff665d3f42.txt"
SEED_GOLD = SHARED / "eval" / "seed-gold.json"
SCORER = SHARED / "eval" / "score.py"
DATA = ROOT / "data"
GOLD = ROOT / "tests" / "gold"
ONTOLOGY = ROOT / "ontology"
INPUTS = ROOT / "tests" / "inputs"


def run_castkg(
    *args: str | Path, cwd: Path | None = None, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m castkg ARGS`` as a real process (``env`` added to the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "castkg", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def stderr_lines(process: subprocess.CompletedProcess[str]) -> list[str]:
    """The non-empty lines a process wrote to stderr."""
    return [line for line in process.stderr.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def shipped_rules() -> Rules:
    """The shipped rules (ontology/), loaded once for the tests that build in process: loading
    them takes longer than building a bulletin."""
    return load_rules(ONTOLOGY)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed bulletin; skips the test when ``../shared`` is not there."""
    if not SEED.is_file():
        pytest.skip(f"the seed bulletin is not next to the repository ({SEED})")
    return SEED


def full_build_inputs() -> Sequence[Path]:
    """What the determinism and round-trip tests build: the seed folder (when present) and data/."""
    return [p for p in (SEED_DIR, DATA) if p.is_dir()]


@pytest.fixture(scope="session")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One CLI build of the seed folder + data/ into a fresh folder; returns that folder."""
    out = tmp_path_factory.mktemp("full-build")
    process = run_castkg("build", *full_build_inputs(), "-o", out)
    assert process.returncode == 0, f"build failed ({process.returncode}):\n{process.stderr}"
    return out
