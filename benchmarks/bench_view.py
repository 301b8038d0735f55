"""Benchmark (not a test) of the browser view: time and memory to write graph.html, and to
open it (load, first draw, ready for input) and pan it in headless Chromium, for synthetic graphs.

    .venv/bin/python benchmarks/bench_view.py [--sizes 200,1000,5000,10000] [--opens 3] [--out output/bench]
    .venv/bin/python benchmarks/bench_view.py --sizes "" --page OUT/graph.html   # a build's page

Graphs are made by a seeded generator (contract classes and properties, weak involves links,
posts, articles, evidence), so runs are comparable. ``write_view`` draws at most its default
node budget (2,000) and embeds the rest. Each page is opened ``--opens`` times in a fresh tab;
the open times are the median and the slowest. Prints one row per size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace

from castkg.namespace import CKG
from castkg.view import NODE_BUDGET, render_html, select, to_view, write_view

CKR = Namespace("https://w3id.org/castkg/id/")
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CLASSES = ("Organization", "Event", "Person", "Place", "Platform", "Initiative", "Award", "Publication")


def synthetic_graph(n: int, seed: int = 0) -> Graph:
    """A contract-shaped graph of ``n`` entities with about 1.5 links each, hubs included."""
    rng = random.Random(seed)
    graph = Graph()
    by_class: dict[str, list] = {c: [] for c in CLASSES}
    articles = [CKR[f"article-{i}"] for i in range(max(1, n // 40))]
    for index, article in enumerate(articles):
        graph.add((article, RDF.type, CKG.Article))
        graph.add((article, RDFS.label, Literal(f"新闻{index}", lang="zh")))
        graph.add((article, CKG.datePublished, Literal(f"2021-01-{index % 28 + 1:02d}", datatype=XSD.date)))
        graph.add((article, CKG.sourceFile, Literal(f"bulletins/{index:04d}.txt")))
    for i in range(n):
        cls = CLASSES[0] if i < n // 50 else rng.choice(CLASSES)  # the first 2 % are hub organisations
        node = CKR[f"{cls.lower()}-{i}"]
        by_class[cls].append(node)
        graph.add((node, RDF.type, getattr(CKG, cls)))
        graph.add((node, RDFS.label, Literal(f"{cls}实体{i}", lang="zh")))
        article = rng.choice(articles)
        graph.add((node, CKG.mentionedIn, article))
        graph.add((article, CKG.mentions, node))
    orgs, places, people = (
        by_class["Organization"],
        by_class["Place"] or by_class["Organization"],
        by_class["Person"],
    )
    hubs = orgs[: max(1, n // 50)]

    def org() -> object:
        return rng.choice(hubs) if rng.random() < 0.6 else rng.choice(orgs)

    for event in by_class["Event"]:
        graph.add((event, CKG.organizer, org()))
        graph.add((event, CKG.location, rng.choice(places)))
        if people:
            graph.add((event, CKG.chair, rng.choice(people)))
        graph.add((event, CKG.startDate, Literal("2021-05-01", datatype=XSD.date)))
        graph.add((event, CKG.evidence, Literal(f"{event}在某地举行。", lang="zh")))
    for thing in by_class["Platform"] + by_class["Initiative"]:
        graph.add((thing, CKG.launchedBy, org()))
    for sub in orgs[len(hubs) :]:
        if rng.random() < 0.7:
            graph.add((sub, CKG.subOrganizationOf, rng.choice(hubs)))
    everything = [node for nodes in by_class.values() for node in nodes]
    for event in by_class["Event"]:  # weak links: two entities named in the event's sentence
        for other in rng.sample(everything, 2):
            graph.add((event, CKG.involves, other))
    for index, person in enumerate(people):
        if rng.random() < 0.3:
            post = CKR[f"position-{index}"]
            graph.add((person, CKG.holds, post))
            graph.add((post, RDF.type, CKG.Position))
            graph.add((post, CKG.role, Literal("理事", lang="zh")))
            graph.add((post, CKG.organization, org()))
    return graph


def measure_write(graph: Graph, path: Path) -> dict[str, float]:
    """Seconds for the view model, for rendering, and for the whole write_view (which also reads
    the ontology and writes the file); peak Python memory of write_view."""
    started = time.perf_counter()
    view = to_view(graph)
    model = time.perf_counter() - started
    started = time.perf_counter()
    render_html(select(view, max_nodes=NODE_BUDGET))
    render = time.perf_counter() - started
    started = time.perf_counter()
    view = write_view(graph, path)
    total = time.perf_counter() - started
    tracemalloc.start()  # a second, untimed write: tracemalloc slows Python down
    write_view(graph, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "entities": len(view.nodes) + view.omitted,
        "nodes": len(view.nodes),
        "edges": len(view.edges),
        "model_s": model,
        "render_s": render,
        "write_s": total,
        "peak_mib": peak / 2**20,
        "size_mib": path.stat().st_size / 2**20,
    }


PAN = """async () => {
  const frames = []; let last = performance.now(); let running = true;
  const tick = (t) => { frames.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  castkgNetwork.moveTo({position: {x: 2000, y: 1500}, scale: 0.6,
                        animation: {duration: 1500, easingFunction: "linear"}});
  await new Promise(r => setTimeout(r, 1600)); running = false;
  frames.shift(); frames.sort((a, b) => a - b);
  return {fps: 1000 * frames.length / frames.reduce((a, b) => a + b, 0),
          p95_ms: frames[Math.floor(frames.length * 0.95)]};
}"""


def measure_open(context, path: Path) -> dict[str, float]:
    """Load to first draw and to ready for input (the page's script done), to a still layout, JS heap,
    and frame rate during a 1.5 s pan."""
    page = context.new_page()
    blocked: list[str] = []
    page.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(("file:", "data:"))
            else (blocked.append(r.request.url), r.abort())
        ),
    )
    started = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.castkgFirstDraw !== null", timeout=300_000)
    first_wall = time.perf_counter() - started
    page.wait_for_function("window.castkgStable === true", timeout=300_000)
    stable_wall = time.perf_counter() - started
    first_draw = page.evaluate("window.castkgFirstDraw") / 1000
    ready = page.evaluate("window.castkgTimings.ready") / 1000
    heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0") / 2**20
    pan = page.evaluate(PAN)
    page.close()
    return {
        "first_draw_s": first_draw,
        "ready_s": ready,
        "open_wall_s": first_wall,
        "stable_s": stable_wall,
        "js_heap_mib": heap,
        "pan_fps": pan["fps"],
        "pan_p95_ms": pan["p95_ms"],
        "requests": len(blocked),
    }


def summary(opens: list[dict[str, float]]) -> dict[str, float]:
    """Median of each measure over the opens, and the slowest first draw and ready time."""
    keys = opens[0].keys()
    middle = {key: statistics.median(o[key] for o in opens) for key in keys}
    middle["first_draw_max_s"] = max(o["first_draw_s"] for o in opens)
    middle["ready_max_s"] = max(o["ready_s"] for o in opens)
    return middle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000,5000,10000")
    parser.add_argument("--opens", type=int, default=3, help="opens of each page (median reported)")
    parser.add_argument(
        "--out", type=Path, default=None, help="keep the pages here (default: a temporary folder)"
    )
    parser.add_argument(
        "--page",
        type=Path,
        action="append",
        default=[],
        help="also open this page (a build's graph.html) and report its open times; repeatable",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        out = args.out or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        context = playwright.chromium.launch_persistent_context(
            str(Path(scratch) / "profile"),
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
            bypass_csp=True,
        )
        print(
            "entities drawn links  model_s render_s write_s peak_MiB file_MiB | first_draw_s (max) "
            "ready_s (max) open_wall_s stable_s heap_MiB pan_fps pan_p95_ms requests"
        )
        for page in args.page:
            o = summary([measure_open(context, page) for _ in range(max(args.opens, 1))])
            print(
                f"{page} ({page.stat().st_size / 2**20:.2f} MiB) | first_draw_s {o['first_draw_s']:.2f} "
                f"(max {o['first_draw_max_s']:.2f}) ready_s {o['ready_s']:.2f} (max {o['ready_max_s']:.2f}) "
                f"open_wall_s {o['open_wall_s']:.2f} stable_s {o['stable_s']:.2f} heap_MiB "
                f"{o['js_heap_mib']:.1f} pan_fps {o['pan_fps']:.1f} requests {int(o['requests'])}",
                flush=True,
            )
        for size in (int(s) for s in args.sizes.split(",") if s):
            path = out / f"view-{size}.html"
            w = measure_write(synthetic_graph(size), path)
            o = summary([measure_open(context, path) for _ in range(max(args.opens, 1))])
            print(
                f"{w['entities']:8d} {w['nodes']:5d} {w['edges']:5d} {w['model_s']:8.2f} "
                f"{w['render_s']:8.2f} {w['write_s']:7.2f} {w['peak_mib']:8.1f} {w['size_mib']:8.2f} | "
                f"{o['first_draw_s']:12.2f} ({o['first_draw_max_s']:.2f}) {o['ready_s']:7.2f} "
                f"({o['ready_max_s']:.2f}) {o['open_wall_s']:11.2f} {o['stable_s']:8.2f} "
                f"{o['js_heap_mib']:8.1f} {o['pan_fps']:7.1f} {o['pan_p95_ms']:10.1f} "
                f"{int(o['requests']):8d}",
                flush=True,
            )
        context.close()


if __name__ == "__main__":
    main()
