"""Where ``castkg build`` spends its time: cProfile of one build of a generated corpus.

    .venv/bin/python benchmarks/profile_build.py --articles 500 [--top 25] [--stats OUT.prof]

Prints the functions with the most time of their own, the same time summed per module (castkg's
modules one by one, libraries by package), and the cumulative time of each pipeline stage.
Times are wall-clock (cProfile's default timer: a CPU-time timer costs a system call per event and
slows the build some 30 times); profiling slows pure-Python code more than C code, and other load on
the machine adds to whatever runs when it strikes, so the shares are indicative, not exact.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus as corpus_module  # noqa: E402

STAGE_FUNCTIONS = (  # today's pipeline: each file read, segmented, extracted, resolved, mapped and
    # serialised on its own (pipeline.build_file), then the files' parts merged, then the view drawn
    ("rules", "rulecache.py", "cached_rules"),
    ("read", "read.py", "read_file"),
    ("segment", "segment.py", "segment"),
    ("extract", "extract/__init__.py", "extract"),
    ("resolve", "resolve.py", "resolve_alone"),
    ("map", "mapping.py", "to_lines"),
    ("serialise", "write.py", "serialize_parts"),
    ("merge", "write.py", "write"),
    ("view", "view/__init__.py", "write_view_of_turtle"),
)


def module_of(filename: str) -> str:
    """A readable owner of a profiled file: castkg/extract/mentions.py, rdflib, pyoxigraph, <built-in> …"""
    path = filename.replace("\\", "/")
    if "/castkg/" in path:
        return "castkg/" + path.split("/castkg/", 1)[1]
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if path.startswith("~") or path.startswith("<"):
        return "<built-in>"
    return "python stdlib"


def report(stats: pstats.Stats, top: int) -> str:
    """Top functions by own time, own time per module, and each stage's cumulative time."""
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1.0
    out = io.StringIO()
    per_module: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, own, _, _) in raw.items():
        per_module[module_of(filename)] += own
    print(f"total own time {total:.1f} s\n\nown time per module:", file=out)
    for module, seconds in sorted(per_module.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {seconds:8.2f} s  {seconds / total:5.1%}  {module}", file=out)
    print("\ncumulative time per stage (merge: castkg.ttl and castkg.trig; view: graph.html):", file=out)
    for stage, suffix, name in STAGE_FUNCTIONS:
        found = [
            entry[3]
            for (filename, _, function), entry in raw.items()
            if function == name and filename.replace("\\", "/").endswith("castkg/" + suffix)
        ]
        seconds = max(found) if found else None
        shown = f"{seconds:8.2f} s  {seconds / total:5.1%}" if seconds is not None else "     n/a"
        print(f"  {shown}  {stage}", file=out)
    print(f"\ntop {top} functions by own time:", file=out)
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=5)
    parser.add_argument("--corpora", type=Path, default=Path("/work/bench-corpora"))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--stats", type=Path, help="also keep the raw profile here (for snakeviz, pstats)")
    args = parser.parse_args(argv)
    folder = args.corpora / f"a{args.articles}-s{args.seed}-k{args.per_file}"
    corpus_module.ensure(folder, args.articles, args.seed, args.per_file)
    from castkg.cli import cli

    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory() as out:
        profile.enable()
        try:
            cli(["build", str(folder), "-o", out], prog_name="castkg", standalone_mode=False)
        finally:
            profile.disable()
    if args.stats:
        profile.dump_stats(args.stats)
    print(report(pstats.Stats(profile), args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
