"""Load test (a benchmark, not a timed test) of ``castkg serve``: many clients at once, for a while.

    .venv/bin/python benchmarks/endpoint_load.py [--data PATH] [--clients 50] [--seconds 20]

The endpoint runs in its own process (spawned, as ``castkg serve`` would be) with the default
limits; each client is a thread with its own keep-alive HTTP connection that sends, one after
the other, a mix of what analysts send: named queries, a label lookup, an ASK and a CONSTRUCT
in Turtle. Prints the requests answered, errors (any status but 200, any connection failure),
latency percentiles, the server's peak memory and the largest peak of any query worker
(``getrusage(RUSAGE_CHILDREN)`` in the server process).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import resource
import statistics
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUERIES_DIR = ROOT / "queries"

QUERIES: list[tuple[str, str]] = [
    (
        "SELECT ?name WHERE { ?o a ckg:Organization ; rdfs:label ?name } ORDER BY ?name LIMIT 20",
        "application/sparql-results+json",
    ),
    ("ASK { ?e a ckg:Event }", "application/sparql-results+json"),
    ("CONSTRUCT WHERE { ?p a ckg:Platform ; rdfs:label ?l } LIMIT 50", "text/turtle"),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/csv"),
]


def _named(name: str) -> str:
    return (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")


def _serve(data: str, ready: Any, stop: Any, report: Any) -> None:
    """The server process: serve until told to stop, then report its own and its workers' peak memory."""
    from castkg.endpoint import EndpointConfig, make_server

    server = make_server(Path(data), "127.0.0.1", 0, EndpointConfig())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ready.put(server.server_address[1])
    stop.wait()
    server.shutdown()
    server.server_close()
    with open("/proc/self/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    report.put(
        {
            "server_peak_mb": int(fields["VmHWM"].split()[0]) / 1024,
            "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        }
    )


@dataclass
class Outcome:
    """What one client saw."""

    latencies: list[float]
    errors: Counter[str]


def _client(port: int, deadline: float, queries: list[tuple[str, str]], seed: int) -> Outcome:
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    index = seed
    while time.monotonic() < deadline:
        text, accept = queries[index % len(queries)]
        index += 1
        body = urllib.parse.urlencode({"query": text})
        started = time.monotonic()
        try:
            connection.request(
                "POST",
                "/sparql",
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            )
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors[f"HTTP {response.status}"] += 1
            else:
                latencies.append(time.monotonic() - started)
        except (OSError, http.client.HTTPException) as exc:
            errors[type(exc).__name__] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.close()
    return Outcome(latencies, errors)


def load_test(data: Path, clients: int = 50, seconds: float = 20.0) -> dict[str, Any]:
    """Run ``clients`` clients for ``seconds`` against a fresh endpoint on ``data``; return the figures."""
    context = multiprocessing.get_context("spawn")
    ready, report, stop = context.Queue(), context.Queue(), context.Event()
    server = context.Process(target=_serve, args=(str(data), ready, stop, report))
    server.start()
    try:
        port = ready.get(timeout=120)
        queries = QUERIES + [
            (_named("timeline"), "application/sparql-results+json"),
            (_named("ranking"), "application/sparql-results+json"),
        ]
        deadline = time.monotonic() + seconds
        outcomes: list[Outcome] = []
        lock = threading.Lock()

        def run(seed: int) -> None:
            outcome = _client(port, deadline, queries, seed)
            with lock:
                outcomes.append(outcome)

        threads = [threading.Thread(target=run, args=(seed,)) for seed in range(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        stop.set()
    memory = report.get(timeout=60)
    server.join(30)
    latencies = sorted(latency for outcome in outcomes for latency in outcome.latencies)
    errors: Counter[str] = Counter()
    for outcome in outcomes:
        errors.update(outcome.errors)

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0.0

    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "answered": len(latencies),
        "errors": dict(errors),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(0.50), 1),
        "p90_ms": round(percentile(0.90), 1),
        "p99_ms": round(percentile(0.99), 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0.0,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
        **{key: round(value, 1) for key, value in memory.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "fixtures" / "mini.trig")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    print(json.dumps(load_test(args.data, args.clients, args.seconds), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
