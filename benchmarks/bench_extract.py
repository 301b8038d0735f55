"""Benchmark (not a test) of extraction on long coordinated lists: time and peak memory to extract
one sentence that names n bodies joined by 、, in three shapes.

    .venv/bin/python benchmarks/bench_extract.py [--sizes 100,300,1000,3000]

- passive: 第十届全国科普日由A、B、…共同主办。 (由…主办: hosts of the event before them)
- subject: A、B、…联合召开第十届中国青年科学家论坛。 (a coordinated subject and its verb)
- hosts:   5月1日，…论坛在北京举办，A、B、…共同主办。 (hosts that close a clause)

The bodies are made from the gazetteer's provinces and twenty fields (北京省物理学会 …): names
the pattern rules find, so every shape states one fact per body. Prints one row per shape and
size: seconds (one untraced run), peak MiB (tracemalloc, a second run), mentions and relations found.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

from castkg.extract import extract
from castkg.model import Article, Block
from castkg.rules import Rules, load_rules

FIELDS = ("物理", "化学", "生物", "数学", "地理", "天文", "气象", "海洋", "农学", "医学")
FIELDS += ("力学", "光学", "声学", "电子", "计算机", "心理", "生态", "地质", "林学", "药学")


def bodies(rules: Rules, n: int) -> list[str]:
    """``n`` distinct society names (province + field + 学会/协会)."""
    provinces = [e.label for e in rules.gazetteer.values() if e.cls == "Place" and e.within == "china"]
    names = [f"{p}省{f}{s}" for s in ("学会", "协会", "研究会") for f in FIELDS for p in provinces]
    if n > len(names):
        raise SystemExit(f"at most {len(names)} bodies")
    return names[:n]


SHAPES: dict[str, Callable[[str], str]] = {
    "passive": lambda names: f"第十届全国科普日由{names}共同主办。",
    "subject": lambda names: f"{names}联合召开第十届中国青年科学家论坛。",
    "hosts": lambda names: f"5月1日，第十届中国青年科学家论坛在北京举办，{names}共同主办。",
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,300,1000,3000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    rules = load_rules()
    print("| shape | bodies | seconds | peak MiB | mentions | relations |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        names = "、".join(bodies(rules, n))
        for shape, make in SHAPES.items():
            article = Article("bench.txt", 1, "基准", (Block(make(names)),), publishers=("中国科协科普部",))
            started = time.perf_counter()
            found = extract(article, rules)
            seconds = time.perf_counter() - started
            tracemalloc.start()  # a second run for memory: tracing slows the first several times
            extract(article, rules)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"| {shape} | {n} | {seconds:.2f} | {peak / 2**20:.1f} | {len(found.mentions)} | "
                f"{len(found.relations)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
