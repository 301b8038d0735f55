"""Benchmark (not a test) of the shapes issue 11 named: wall time, CPU time and peak memory of
a real ``castkg build`` on a file of 50 MB without line breaks and on JSON Lines corpora of
many records, and of the streamed read → segment → extract stages alone on them.

    .venv/bin/python benchmarks/bench_hostile.py [--megabytes 50] [--records 10000,100000]
        [--full-build-records 20000] [--out output/bench-hostile]

The one-line file repeats the bulletins of data/ with their line breaks removed (sentence
ends and names kept); each JSON Lines record is a short bulletin of its own (a meeting of one
of six bodies, a date, a count). Prints one row per run: what, size, wall s, CPU s, peak RSS.
Each run is its own process, so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BODIES = ("中国科协", "北京市科协", "上海市科协", "中国化学会", "中国物理学会", "中国数学会")

STAGES = """
import sys
from castkg.extract import extract
from castkg.read import read_paths
from castkg.rules import load_rules
from castkg.segment import segment
rules = load_rules()
kept = []  # the pipeline keeps every extraction for resolve; so does this
for document in read_paths([sys.argv[1]], on_error=print):
    for article in segment(document):
        kept.append(extract(article, rules))
print(len(kept), "articles extracted")
"""


def one_line_file(path: Path, megabytes: float) -> None:
    """``megabytes`` MB of bulletin text on one line."""
    text = "".join(
        p.read_text(encoding="utf-8").replace("\n", "") for p in sorted((ROOT / "data").glob("*.txt"))
    )
    data = text.encode("utf-8")
    size = int(megabytes * 10**6)
    path.write_bytes((data * (size // len(data) + 1))[:size].decode("utf-8", "ignore").encode("utf-8"))


def jsonl_file(path: Path, records: int) -> None:
    """``records`` short one-article bulletins, one JSON object a line."""
    with path.open("w", encoding="utf-8") as stream:
        for number in range(records):
            body = BODIES[number % len(BODIES)]
            text = (
                f"{body}召开第{number % 50 + 1}次常委会议\n\n"
                f"{number % 12 + 1}月{number % 28 + 1}日，{body}在北京召开第{number % 50 + 1}次常委会议，"
                f"会议由{body}主席主持。会议听取了{number % 40 + 2}项工作报告，"
                f"共有{number % 300 + 20}名代表参加。\n\n"
                f"{body}办公厅\n"
            )
            record = {"id": f"r{number}", "text": text, "date": f"20{10 + number % 14}-01-0{number % 9 + 1}"}
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")


def measure(label: str, size: str, argv: list[str]) -> None:
    """Run ``argv`` as a child process; print its wall time, CPU time and peak RSS (its own)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        lines = out.read().decode().strip().splitlines() or err.read().decode().strip().splitlines() or [""]
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"| {label} | {size} | {wall:.1f} | {cpu:.1f} | {usage.ru_maxrss / 1024:.0f} MB | "
        f"exit {os.waitstatus_to_exitcode(status)}: {lines[-1][:100]} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--records", default="10000,100000", help="record counts for the streamed stages")
    parser.add_argument("--full-build-records", default="20000", help="record counts for full builds")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="castkg-bench-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    castkg = [sys.executable, "-m", "castkg", "build", "--no-view", "-o"]
    print("| run | input | wall s | CPU s | peak RSS | result |")
    print("|---|---|---|---|---|---|")
    if args.megabytes:
        path = folder / "one_line.txt"
        one_line_file(path, args.megabytes)
        measure(
            "castkg build, one line",
            f"{path.stat().st_size / 1e6:.0f} MB",
            [*castkg, str(folder / "out"), str(path)],
        )
    for count in (int(n) for n in args.records.split(",") if n):
        path = folder / f"records_{count}.jsonl"
        jsonl_file(path, count)
        size = f"{count:,} records, {path.stat().st_size / 1e6:.0f} MB"
        measure("read → segment → extract, streamed", size, [sys.executable, "-c", STAGES, str(path)])
    for count in (int(n) for n in args.full_build_records.split(",") if n):
        path = folder / f"records_{count}.jsonl"
        if not path.exists():
            jsonl_file(path, count)
        size = f"{count:,} records, {path.stat().st_size / 1e6:.0f} MB"
        measure("castkg build, JSON Lines", size, [*castkg, str(folder / f"out_{count}"), str(path)])
    print(f"inputs and outputs in {folder}")


if __name__ == "__main__":
    main()
