"""The benchmark runner (issue 10, point 7): castkg end to end and per stage, its variants, the
peer pipeline, the floor and the named queries, on seeded corpora of the sizes asked for.

    .venv/bin/python benchmarks/run.py --articles 1000 10000 [--skip peer floor …] [--out result.json]

Every measurement runs in a process of its own, so its peak RSS is its own: the kernel's
high-water mark of that process (``wait4``'s ``ru_maxrss``, the largest process of its tree) and
the sum over its process tree sampled every 0.2 s (for builds that start workers). Corpora are
generated (or reused) under ``--corpora``, outputs go under ``--work``; both stay outside the
repository. Writes one JSON result and a Markdown table (``--out``, ``.md`` beside it).
See benchmarks/README.md for what each column means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus as corpus_module  # noqa: E402

PARTS = ("castkg", "stages", "variants", "peer", "floor", "queries")
PACKAGES = (
    "castkg",
    "rdflib",
    "pyoxigraph",
    "oxrdflib",
    "pyahocorasick",
    "networkx",
    "pyvis",
    "spacy",
    "dask",
)
OUTPUTS = ("castkg.ttl", "castkg.trig", "graph.html")
SUMMARY_TRIPLES = re.compile(r"(\d+) triples")


# --- one child process, measured ---------------------------------------------------------


@dataclass
class Measured:
    """One child process: its wall time, CPU time, peak memory and how it ended."""

    command: list[str]
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    """The kernel's high-water mark of the largest process of the tree (ru_maxrss)."""
    peak_tree_rss_mb: float
    """The largest sum of RSS over the whole process tree, sampled every 0.2 s."""
    exit_code: int
    load_before: list[float]
    load_after: list[float]
    stdout_tail: str = ""
    stderr_tail: str = ""
    killed_over_memory_limit: bool = False

    @property
    def peak_mb(self) -> float:
        return max(self.peak_rss_mb, self.peak_tree_rss_mb)


def _tree_rss_kb(pid: int) -> int:
    """The summed VmRSS of ``pid`` and every descendant, in kB (0 for a process that is gone)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    text = re.sub(r"[^\n]*\r", "", text)  # progress bars redraw with \r
    return "\n".join(text.strip().splitlines()[-lines:])


MEMORY_LIMIT: list[int] = []
"""kB of RSS a child's process tree may hold (``--memory-limit-gb``); empty for no limit. A tree over
it is killed: on a shared machine a build that cannot fit must not push others into the OOM killer.
(RLIMIT_AS is no substitute: pyoxigraph panics on a failed allocation and the process hangs.)"""


BUILD_OPTIONS: list[str] = []
"""Options given to every ``castkg build`` measured (``--build-option``), e.g. ``--no-view``."""


def measure(command: list[str], log_dir: Path, name: str, env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` to its end and measure it; its stdout and stderr go to ``log_dir/name.*``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.stdout", log_dir / f"{name}.stderr"
    load_before = list(os.getloadavg())
    peak_tree = 0
    with out_path.open("wb") as out, err_path.open("wb") as err:
        began = time.perf_counter()
        child = subprocess.Popen(
            command,
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # its own process group, so the whole tree can be stopped
        )
        finished = threading.Event()
        killed = False

        def sample() -> None:
            nonlocal peak_tree, killed
            while not finished.wait(0.2):
                now = _tree_rss_kb(child.pid)
                peak_tree = max(peak_tree, now)
                if MEMORY_LIMIT and now > MEMORY_LIMIT[0] and not killed:
                    killed = True
                    os.killpg(child.pid, signal.SIGKILL)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        finished.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        command=[str(c) for c in command],
        seconds=round(seconds, 3),
        cpu_seconds=round(usage.ru_utime + usage.ru_stime, 3),
        peak_rss_mb=round(usage.ru_maxrss * 1024 / 1e6, 1),
        peak_tree_rss_mb=round(peak_tree * 1024 / 1e6, 1),
        exit_code=child.returncode,
        load_before=[round(x, 2) for x in load_before],
        load_after=[round(x, 2) for x in os.getloadavg()],
        stdout_tail=_tail(out_path),
        stderr_tail=_tail(err_path),
        killed_over_memory_limit=killed,
    )


def child_json(command: list[str], log_dir: Path, name: str, result: Path) -> dict[str, Any]:
    """Run a ``measure.py`` child and return its JSON result with the process's own measurements."""
    result.unlink(missing_ok=True)
    measured = measure(command + ["--result", str(result)], log_dir, name)
    report: dict[str, Any] = {"process": asdict(measured)}
    if result.is_file():  # a child that was stopped may have written what it had done so far
        report.update(json.loads(result.read_text(encoding="utf-8")))
    if measured.exit_code == 0 and result.is_file():
        report["status"] = "ok"
    else:
        report.update(status="failed", reason=_failure(measured))
    return report


def _failure(measured: Measured) -> str:
    """Why a child failed, in one line."""
    if measured.killed_over_memory_limit:
        return (
            f"stopped at {measured.peak_tree_rss_mb / 1000:.1f} GB RSS (over --memory-limit-gb) "
            f"after {measured.seconds:.0f} s"
        )
    last = measured.stderr_tail.splitlines()[-1] if measured.stderr_tail else "no output"
    return f"{last} (exit {measured.exit_code} after {measured.seconds:.0f} s)"


# --- the parts ---------------------------------------------------------------------------


@dataclass
class Size:
    """Where one corpus size lives and what it holds."""

    articles: int
    corpus: Path
    work: Path
    manifest: dict[str, Any]
    python: str
    repeat: int
    timeout: float
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def megabytes(self) -> float:
        return self.manifest["bytes"] / 1e6

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    def rates(self, seconds: float | None) -> dict[str, float | None]:
        if not seconds:
            return {"articles_per_s": None, "mb_per_s": None}
        return {
            "articles_per_s": round(self.articles / seconds, 2),
            "mb_per_s": round(self.megabytes / seconds, 3),
        }


def build_help(python: str) -> str:
    """``castkg build --help`` of the castkg under test ('' when it cannot be run)."""
    done = subprocess.run(
        [python, "-m", "castkg", "build", "--help"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def supports(help_text: str) -> dict[str, bool]:
    """Which optional build variants the CLI offers, read from its --help."""
    return {
        "jobs": bool(re.search(r"(?:^|[\s,])(?:-j|--jobs)\b", help_text)),
        "dask": "--engine" in help_text and "dask" in help_text.lower(),
        "cache": bool(re.search(r"--cache\b", help_text)),
    }


def output_sizes(directory: Path) -> dict[str, int | None]:
    return {
        name: (directory / name).stat().st_size if (directory / name).is_file() else None for name in OUTPUTS
    }


def castkg_build(size: Size, name: str, extra: list[str], corpus: Path | None = None) -> dict[str, Any]:
    """``python -m castkg build CORPUS -o OUT`` plus ``extra`` options, measured."""
    out = size.work / name
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(out.parent / f".{out.name}.castkg-cache", ignore_errors=True)  # each build starts cold
    given = str(corpus or size.corpus)
    command = [size.python, "-m", "castkg", "build", given, "-o", str(out), *BUILD_OPTIONS, *extra]
    measured = measure(command, size.logs, name)
    report: dict[str, Any] = {"process": asdict(measured), "output": str(out), "sizes": output_sizes(out)}
    if measured.exit_code != 0:
        report.update(status="failed", reason=_failure(measured))
        return report
    triples = SUMMARY_TRIPLES.search(measured.stdout_tail)
    report.update(
        status="ok",
        seconds=measured.seconds,
        peak_mb=measured.peak_mb,
        triples=int(triples.group(1)) if triples else count_triples(out / "castkg.ttl"),
        **size.rates(measured.seconds),
    )
    return report


def count_triples(path: Path) -> int | None:
    """Triples in a Turtle file, streamed (no graph is held)."""
    if not path.is_file():
        return None
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def run_castkg(size: Size) -> None:
    size.results["castkg"] = castkg_build(size, "castkg", [])


def run_stages(size: Size) -> None:
    result = size.work / "stages.json"
    report = child_json(
        [size.python, str(HERE / "measure.py"), "stages", "--corpus", str(size.corpus), "--out",
         str(size.work / "stages-out")],
        size.logs, "stages", result,
    )  # fmt: skip
    for row in report.get("stages", []):
        row.update(size.rates(row.get("seconds")))
    size.results["stages"] = report


def _changed_copy(size: Size) -> tuple[Path, Path]:
    """A copy of the corpus and the one file of it that :func:`run_variants` changes."""
    copy = size.work / "corpus-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(size.corpus, copy)
    files = sorted(copy.rglob("bulletin_*.txt"))
    return copy, files[len(files) // 2]


NOT_OFFERED = {"status": "n/a", "reason": "castkg build --help does not offer it"}


def variant_steps(offered: dict[str, bool]) -> dict[str, Callable[[Size], dict[str, Any]]]:
    """-j 1 / -j 2, the Dask engine on 2 workers and a rebuild after one changed file, each a step of
    its own (they share nothing, so ``--jobs`` may run them side by side); n/a where not offered."""

    def not_offered(size: Size) -> dict[str, Any]:
        return dict(NOT_OFFERED)

    jobs = ["-j", "2"] if offered["jobs"] else []
    return {
        "j1": (lambda size: castkg_build(size, "castkg-j1", ["-j", "1"])) if offered["jobs"] else not_offered,
        "j2": (lambda size: castkg_build(size, "castkg-j2", ["-j", "2"])) if offered["jobs"] else not_offered,
        "dask2": (
            (lambda size: castkg_build(size, "castkg-dask", ["--engine", "dask", *jobs]))
            if offered["dask"]
            else not_offered
        ),
        "rebuild": run_rebuild if offered["cache"] else not_offered,
    }


def run_rebuild(size: Size) -> dict[str, Any]:
    """A cached build of a copy of the corpus, one file changed, then the rebuild, measured."""
    copy, changed = _changed_copy(size)
    cache = size.work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    full = castkg_build(size, "castkg-cache-full", ["--cache", str(cache)], corpus=copy)
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("。", "。这是为测量增量重建而补充的一句话。", 1), encoding="utf-8")
    again = castkg_build(size, "castkg-cache-rebuild", ["--cache", str(cache)], corpus=copy)
    again["changed_file"] = str(changed.relative_to(copy))
    again["full_build"] = full
    if full.get("seconds") and again.get("seconds"):
        again["share_of_full"] = round(again["seconds"] / full["seconds"], 4)
    return again


AFTER_THE_BUILD = ("floor", "queries")
"""Parts that read castkg's own build (part castkg): with ``--jobs`` they follow it in one chain."""


def run_size(size: Size, offered: dict[str, bool], skip: set[str], jobs: int) -> None:
    """Every part not in ``skip``, in PARTS order; with ``jobs`` > 1, up to that many measurements
    side by side (the build of part castkg first, then the floor and the queries that read it)."""
    steps: list[tuple[str, Callable[[Size], None]]] = [
        ("castkg", run_castkg), ("stages", run_stages), ("peer", run_peer), ("floor", run_floor),
        ("queries", run_queries),
    ]  # fmt: skip
    if "variants" not in skip:
        variants = variant_steps(offered)
        size.results["variants"] = dict.fromkeys(variants)
        steps[2:2] = [(f"variants {k}", _variant_step(k, f)) for k, f in variants.items()]
    steps = [(name, step) for name, step in steps if name.split()[0] not in skip]

    def run(chain: list[tuple[str, Callable[[Size], None]]]) -> None:
        for name, step in chain:
            print(
                f"[{time.strftime('%H:%M:%S')}] {size.articles} articles: {name} …",
                file=sys.stderr,
                flush=True,
            )
            step(size)

    if jobs <= 1:
        run(steps)
    else:
        built = [step for step in steps if step[0] in ("castkg", *AFTER_THE_BUILD)]
        chains = [built, *([step] for step in steps if step not in built)]
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for done in [pool.submit(run, chain) for chain in chains if chain]:
                done.result()
    size.results = {part: size.results[part] for part in ("corpus", *PARTS) if part in size.results}


def _variant_step(key: str, measure_it: Callable[[Size], dict[str, Any]]) -> Callable[[Size], None]:
    def step(size: Size) -> None:
        size.results["variants"][key] = measure_it(size)

    return step


def run_peer(size: Size) -> None:
    try:
        import spacy  # noqa: F401
    except ImportError:
        size.results["peer"] = {
            "status": "n/a",
            "reason": "spaCy is not installed (pip install -e '.[bench]')",
        }
        return
    report = child_json(
        [size.python, str(HERE / "measure.py"), "peer", "--corpus", str(size.corpus), "--out",
         str(size.work / "peer"), "--repeat", str(size.repeat), "--timeout", str(size.timeout)],
        size.logs, "peer", size.work / "peer.json",
    )  # fmt: skip
    if report["status"] == "ok":
        report["build"].update(size.rates(report["build"]["seconds"]))
    size.results["peer"] = report


def _castkg_turtle(size: Size) -> Path | None:
    """castkg.ttl of this size's plain build (run by part castkg in this or an earlier run)."""
    turtle = size.work / "castkg" / "castkg.ttl"
    return turtle if turtle.is_file() else None


def run_floor(size: Size) -> None:
    turtle = _castkg_turtle(size)
    if turtle is None:
        size.results["floor"] = {"status": "n/a", "reason": "needs castkg's castkg.ttl (part castkg)"}
        return
    report = child_json(
        [size.python, str(HERE / "measure.py"), "floor", "--corpus", str(size.corpus), "--data", str(turtle),
         "--out", str(size.work / "floor")],
        size.logs, "floor", size.work / "floor.json",
    )  # fmt: skip
    if report["status"] == "ok":
        report.update(size.rates(report["seconds"]))
    size.results["floor"] = report


def run_queries(size: Size) -> None:
    turtle = _castkg_turtle(size)
    if turtle is None:
        size.results["queries"] = {"status": "n/a", "reason": "needs castkg's castkg.ttl (part castkg)"}
        return
    engines = {}
    for engine in ("oxigraph", "rdflib"):
        engines[engine] = child_json(
            [size.python, str(HERE / "measure.py"), "queries", "--engine", engine, "--data", str(turtle),
             "--repeat", str(size.repeat), "--timeout", str(size.timeout)],
            size.logs, f"queries-{engine}", size.work / f"queries-{engine}.json",
        )  # fmt: skip
    size.results["queries"] = {"status": "ok", **engines, "ratios": query_ratios(engines, size.timeout)}


def query_ratios(engines: dict[str, Any], timeout: float) -> dict[str, Any]:
    """rdflib's median over Oxigraph's, per query, and the median of those ratios. A query rdflib did
    not finish within ``timeout`` counts as ``timeout`` (so its ratio is a lower bound)."""
    fast_rows = engines["oxigraph"].get("queries", {})
    slow_rows = engines["rdflib"].get("queries", {})
    per_query: dict[str, dict[str, Any]] = {}
    for name, row in fast_rows.items():
        fast, other = row.get("median_seconds"), slow_rows.get(name, {})
        slow = timeout if other.get("timed_out") else other.get("median_seconds")
        if fast and slow:
            per_query[name] = {"ratio": round(slow / fast, 1), "lower_bound": bool(other.get("timed_out"))}
    ratios = [r["ratio"] for r in per_query.values()]
    return {
        "per_query": per_query,
        "median": round(statistics.median(ratios), 1) if ratios else None,
        "lower_bounds": sum(r["lower_bound"] for r in per_query.values()),
        "rdflib_errors": sorted(name for name, row in slow_rows.items() if row.get("error")),
    }


# --- machine, targets, report ------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """Cores, memory, CPU model, OS, Python and package versions, load, castkg's commit."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    memory_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb * 1024 / 1e9, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "castkg_commit": commit.stdout.strip() or None,
        "castkg_src_modified": bool(dirty.stdout.strip()),
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _get(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


def _ratio_of(top: float | None, bottom: float | None) -> float | None:
    return round(top / bottom, 2) if top and bottom else None


def targets(sizes: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target of issue 10 against what this run measured: met, missed (with the gap) or n/a."""
    rows: list[dict[str, Any]] = []

    def add(target: str, value: float | None, limit: float, at_least: bool, how: str, missing: str) -> None:
        status = (
            "n/a"
            if value is None
            else ("met" if (value >= limit if at_least else value <= limit) else "missed")
        )
        rows.append(
            {"target": target, "value": value, "limit": limit, "status": status,
             "measured": how if value is not None else missing}
        )  # fmt: skip

    k10, k100 = sizes.get(10000, {}), sizes.get(100000, {})
    for label, data, limit in (
        ("10k articles: peak RSS ≤ 1.5 GB", k10, 1500),
        ("100k articles: peak RSS ≤ 2 GB", k100, 2000),
    ):
        if _get(data, "castkg", "process", "killed_over_memory_limit"):
            add(label, data["castkg"]["process"]["peak_tree_rss_mb"], limit, False,
                "castkg build stopped at --memory-limit-gb: the true peak is higher", "")  # fmt: skip
        else:
            add(
                label,
                _get(data, "castkg", "peak_mb"),
                limit,
                False,
                "castkg build, MB",
                "needs a run of that size",
            )
    scale = _ratio_of(_get(k100, "castkg", "seconds"), _get(k10, "castkg", "seconds"))
    add("100k time ≤ 11 × 10k time", scale,
        11, False, "100k seconds / 10k seconds", "needs 10k and 100k runs")  # fmt: skip
    for articles, data in sorted(sizes.items()):
        label = f"{articles // 1000}k" if articles >= 1000 and articles % 1000 == 0 else str(articles)
        ours = _get(data, "castkg", "seconds")
        stopped = _get(data, "castkg", "process", "killed_over_memory_limit")
        j1, j2 = _get(data, "variants", "j1", "seconds"), _get(data, "variants", "j2", "seconds")
        ours_cpu = _get(data, "castkg", "process", "cpu_seconds")
        by_cpu = _ratio_of(_get(data, "peer", "build", "cpu_seconds"), ours_cpu)
        if stopped:  # the time castkg had run when it was stopped bounds the speed-up from above
            ours = _get(data, "castkg", "process", "seconds")
        add(f"{label}: end to end ≥ 3× faster than the peer pipeline (aim 5×)",
            _ratio_of(_get(data, "peer", "build", "seconds"), ours), 3, True,
            ("an upper bound: castkg was stopped at the memory limit; " if stopped else "")
            + "peer seconds / castkg seconds" + (f" (by CPU seconds: {by_cpu})" if by_cpu else ""),
            "needs parts castkg and peer")  # fmt: skip
        by_cpu = _ratio_of(ours_cpu, _get(data, "floor", "cpu_seconds"))
        add(f"{label}: within 5× of the floor", _ratio_of(ours, _get(data, "floor", "seconds")), 5, False,
            "castkg seconds / floor seconds" + (f" (by CPU seconds: {by_cpu})" if by_cpu else ""),
            "needs parts castkg and floor")  # fmt: skip
        add(f"{label}: -j 2 ≥ 1.7× faster than -j 1", _ratio_of(j1, j2), 1.7, True,
            "-j 1 seconds / -j 2 seconds", "needs -j (not offered by castkg build)")  # fmt: skip
        add(f"{label}: Dask on 2 workers within 1.3× of -j 2",
            _ratio_of(_get(data, "variants", "dask2", "seconds"), j2), 1.3, False,
            "Dask seconds / -j 2 seconds", "needs --engine dask and -j (not offered)")  # fmt: skip
        add(f"{label}: rebuild after one changed file ≤ 5 % of the full build",
            _get(data, "variants", "rebuild", "share_of_full"), 0.05, False,
            "rebuild seconds / full build seconds", "needs --cache (not offered)")  # fmt: skip
        ratios = _get(data, "queries", "ratios") or {}
        how = "median over queries of (rdflib median / Oxigraph median)"
        if ratios.get("lower_bounds"):
            how += f"; a lower bound: {ratios['lower_bounds']} queries timed out on rdflib"
        if ratios.get("rdflib_errors"):
            how += f"; left out, rdflib failed: {', '.join(ratios['rdflib_errors'])}"
        add(f"{label}: named queries ≥ 10× faster than rdflib (median)", ratios.get("median"), 10, True,
            how, "needs part queries")  # fmt: skip
    return rows


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _mb(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 1e6:,.1f}"


RUN_HEADER = (
    "| run | seconds | CPU s | articles/s | MB/s | peak RSS MB | triples | castkg.ttl MB | castkg.trig MB "
    "| graph.html MB | load avg before→after |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)
VARIANTS = (
    ("j1", "castkg -j 1"),
    ("j2", "castkg -j 2"),
    ("dask2", "castkg --engine dask (2 workers)"),
    ("rebuild", "castkg rebuild, 1 file changed"),
)


def _load(process: dict[str, Any]) -> str:
    return f"{process['load_before'][0]}→{process['load_after'][0]}"


def _not_ok(label: str, part: dict[str, Any]) -> str:
    process = part.get("process") or {}
    spent = f" ({process['cpu_seconds']:,.0f} CPU s)" if process.get("cpu_seconds") else ""
    return f"| {label} | {part.get('status')}: {part.get('reason', '')}{spent} ||||||||||"


def _run_rows(data: dict[str, Any]) -> list[str]:
    """One row per castkg build, then the peer and the floor."""
    rows = []
    for label, run in [("castkg build", data.get("castkg"))] + [
        (lb, _get(data, "variants", k)) for k, lb in VARIANTS
    ]:
        if not run:
            continue
        if run.get("status") != "ok":
            rows.append(_not_ok(label, run))
            continue
        sizes = run["sizes"]
        rows.append(
            f"| {label} | {_fmt(run['seconds'])} | {_fmt(run['process']['cpu_seconds'])} "
            f"| {_fmt(run['articles_per_s'])} "
            f"| {_fmt(run['mb_per_s'], 3)} | {_fmt(run['peak_mb'], 0)} | {_fmt(run['triples'])} "
            f"| {_mb(sizes['castkg.ttl'])} | {_mb(sizes['castkg.trig'])} | {_mb(sizes['graph.html'])} "
            f"| {_load(run['process'])} |"
        )
    peer, floor = data.get("peer"), data.get("floor")
    label = "peer: spaCy + rdflib"
    if peer and peer.get("status") == "ok":
        b = peer["build"]
        rows.append(
            f"| {label} | {_fmt(b['seconds'])} | {_fmt(b.get('cpu_seconds'))} | {_fmt(b['articles_per_s'])} "
            f"| {_fmt(b['mb_per_s'], 3)} "
            f"| {_fmt(b['memory']['hwm_mb'], 0)} | {_fmt(b['triples'])} "
            f"| {_mb(b['turtle_bytes'])} (peer.ttl) "
            f"| | | {_load(peer['process'])} |"
        )
    elif peer:
        rows.append(_not_ok(label, peer))
    label = "floor: read + Aho-Corasick + Oxigraph load/dump"
    if floor and floor.get("status") == "ok":
        rows.append(
            f"| {label} | {_fmt(floor['seconds'])} | {_fmt(floor.get('cpu_seconds'))} "
            f"| {_fmt(floor['articles_per_s'])} "
            f"| {_fmt(floor['mb_per_s'], 3)} | {_fmt(floor['process']['peak_rss_mb'], 0)} "
            f"| {_fmt(floor['triples'])} | {_mb(floor['turtle_bytes'])} (dump) | | "
            f"| {_load(floor['process'])} |"
        )
    elif floor:
        rows.append(_not_ok(label, floor))
    for name, part in (("peer", peer), ("floor", floor)):
        if part and part.get("status") == "ok":
            phases = part["build"]["phases"] if name == "peer" else part["phases"]
            rows.append(f"\n{name} phases (s): " + ", ".join(f"{k} {v:,.2f}" for k, v in phases.items()))
    return rows


def _stage_rows(stages: dict[str, Any] | None) -> list[str]:
    if not stages:
        return []
    if stages.get("status") != "ok":
        return ["", f"castkg per stage: {stages.get('status')}: {stages.get('reason', '')}"]
    rows = [
        "",
        f"castkg per stage (one process; imports {stages['import_seconds']:.2f} s, "
        f"peak RSS {_fmt(stages['process']['peak_rss_mb'], 0)} MB):",
        "",
        "| stage | seconds | CPU s | share | articles/s | MB/s | items out | RSS after MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = sum(r.get("seconds", 0) for r in stages["stages"]) or 1
    for row in stages["stages"]:
        if row["status"] != "ok":
            rows.append(f"| {row['stage']} | {row['status']}: {row.get('reason', '')} |||||||")
            continue
        rows.append(
            f"| {row['stage']} | {_fmt(row['seconds'], 2)} | {_fmt(row.get('cpu_seconds'), 2)} "
            f"| {row['seconds'] / total:.0%} "
            f"| {_fmt(row['articles_per_s'])} | {_fmt(row['mb_per_s'], 3)} | {_fmt(row['items'])} "
            f"| {_fmt(row.get('rss_mb'), 0)} |"
        )
    return rows


def _query_rows(data: dict[str, Any], repeat: int) -> list[str]:
    queries = data.get("queries")
    if not queries or queries.get("status") != "ok":
        return ["", f"Named queries: {queries.get('status')}: {queries.get('reason', '')}"] if queries else []
    ox, rd = queries["oxigraph"], queries["rdflib"]
    peer_queries = _get(data, "peer", "queries") or {}
    rows = [
        "",
        f"Named queries, median of up to {repeat} runs in ms; castkg's graph loaded in "
        f"{_fmt(ox.get('load_seconds'), 2)} s by Oxigraph, in {_fmt(rd.get('load_seconds'), 2)} s "
        f"by rdflib (peak {_fmt(_get(rd, 'process', 'peak_rss_mb'), 0)} MB):",
        "",
        "| query | params | rows | Oxigraph | rdflib | rdflib / Oxigraph | rdflib, peer graph |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in ox.get("queries", {}).items():
        params = ", ".join(f"{k}={v}" for k, v in row["params"].items()) or "—"
        rows.append(
            f"| {name} | {params} | {_fmt(row.get('rows'))} | {_ms(row)} "
            f"| {_ms(rd.get('queries', {}).get(name))} "
            f"| {_ratio(queries['ratios']['per_query'].get(name))} | {_ms(peer_queries.get(name))} |"
        )
    rows.append(f"\nMedian of the per-query ratios: {_fmt(queries['ratios']['median'])}×.")
    return rows


def markdown(result: dict[str, Any]) -> str:
    """The result as Markdown: per size the runs, castkg's stages and the named queries; then the targets."""
    m = result["machine"]
    lines = [
        f"Run {result['started']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, {m['os']}, "
        f"Python {m['python']}; castkg {m['packages'].get('castkg')} at {str(m['castkg_commit'])[:10]}; "
        f"load average at start {m['load_at_start']}, at end {m.get('load_at_end')}.",
        "",
    ]
    if result["settings"].get("jobs", 1) > 1:
        lines += [
            f"**{result['settings']['jobs']} measurements ran side by side (--jobs)**: a check of the "
            "suite, not figures; each slowed the others.",
            "",
        ]
    for articles, data in result["sizes"].items():
        corpus = data["corpus"]
        lines += [
            f"### {int(articles):,} articles ({corpus['files']:,} files, {corpus['bytes'] / 1e6:,.1f} MB, "
            f"seed {corpus['seed']})",
            "",
            RUN_HEADER,
            *_run_rows(data),
            *_stage_rows(data.get("stages")),
            *_query_rows(data, result["settings"]["repeat"]),
            "",
        ]
    lines += ["### Targets", "", "| target | measured | status | how |", "|---|---:|---|---|"]
    for row in result["targets"]:
        lines.append(f"| {row['target']} | {_fmt(row['value'], 2)} | {row['status']} | {row['measured']} |")
    return "\n".join(lines) + "\n"


def _ratio(row: dict[str, Any] | None) -> str:
    if not row:
        return "n/a"
    return f"{'≥ ' if row['lower_bound'] else ''}{row['ratio']:,.1f}"


def _ms(row: dict[str, Any] | None) -> str:
    if not row:
        return "n/a"
    if row.get("timed_out"):
        return "timed out"
    if row.get("error"):
        return "error"
    median = row.get("median_seconds")
    return "n/a" if median is None else f"{median * 1000:,.1f}"


def rederive(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with its ratios and targets computed again from its measurements (by this version)."""
    for data in result["sizes"].values():
        queries = data.get("queries")
        if queries and queries.get("status") == "ok":
            queries["ratios"] = query_ratios(queries, result["settings"]["timeout"])
    result["targets"] = targets({int(k): v for k, v in result["sizes"].items()})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000], help="corpus sizes (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=5, help="articles per file (default 5)")
    parser.add_argument(
        "--corpora", type=Path, default=Path("/work/bench-corpora"), help="where corpora are kept"
    )
    parser.add_argument(
        "--work", type=Path, default=Path("/work/bench-work"), help="where outputs and logs go"
    )
    parser.add_argument("--out", type=Path, help="the JSON result (default WORK/result.json; .md beside it)")
    parser.add_argument("--skip", nargs="*", default=[], choices=PARTS, help="parts not to run")
    parser.add_argument("--repeat", type=int, default=5, help="runs per named query (median; default 5)")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds before a query run on rdflib is stopped"
    )
    parser.add_argument("--python", default=sys.executable, help="the interpreter that has castkg installed")
    parser.add_argument(
        "--memory-limit-gb",
        type=float,
        help="stop a measurement whose process tree holds more RSS than this (checked every 0.2 s)",
    )
    parser.add_argument(
        "--build-option",
        action="append",
        default=[],
        help="an option for every castkg build measured (repeat it; --build-option=--no-view)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="measurements run side by side (default 1); more only checks the suite quickly: "
        "side-by-side runs slow each other, so their seconds are not figures to report",
    )
    parser.add_argument("--render", type=Path, help="only print the Markdown of an earlier JSON result")
    args = parser.parse_args(argv)
    if args.render:
        print(markdown(rederive(json.loads(args.render.read_text(encoding="utf-8")))), end="")
        return 0
    out = args.out or args.work / "result.json"
    BUILD_OPTIONS.extend(args.build_option)
    if args.memory_limit_gb:
        MEMORY_LIMIT.append(int(args.memory_limit_gb * 1e9 / 1024))
    result: dict[str, Any] = {
        "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "out"},
        "sizes": {},
    }
    offered = supports(build_help(args.python))
    result["cli_offers"] = offered
    for articles in args.articles:
        folder = args.corpora / f"a{articles}-s{args.seed}-k{args.per_file}"
        manifest = corpus_module.ensure(
            folder, articles, args.seed, args.per_file, workers=os.cpu_count() or 1
        )
        size = Size(
            articles, folder, args.work / f"a{articles}", manifest, args.python, args.repeat, args.timeout
        )
        size.work.mkdir(parents=True, exist_ok=True)
        size.results["corpus"] = manifest | {"path": str(folder)}
        run_size(size, offered, set(args.skip), args.jobs)
        result["sizes"][str(articles)] = size.results
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    result["machine"]["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["targets"] = targets({int(k): v for k, v in result["sizes"].items()})
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    table = markdown(result)
    out.with_suffix(".md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
