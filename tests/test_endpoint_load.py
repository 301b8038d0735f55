"""Load: 50 clients at once against a fresh ``castkg serve`` process, every request answered.

The figures (latency percentiles, throughput, server and worker peak memory) are printed, not
asserted: this machine is shared. What must hold is that nothing fails: no status but 200, no
reset or refused connection (the listen backlog and connection limit are sized for this).
``benchmarks/endpoint_load.py`` runs the same for longer and reports.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "endpoint_load.py"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"


def test_fifty_clients_get_every_answer() -> None:
    sys.path.insert(0, str(BENCHMARK.parent))  # the spawned server process imports it by name too
    module = importlib.import_module(BENCHMARK.stem)
    figures = module.load_test(FIXTURE, clients=50, seconds=5)
    print(figures)
    assert figures["errors"] == {}
    assert figures["answered"] >= 50  # every client was answered at least once
