"""Benchmark (not a test) of the browser view: time and memory to write graph.html, and to
open it (load and first draw) and pan it in headless Chromium, for synthetic graphs.

    .venv/bin/python benchmarks/bench_view.py [--sizes 200,1000,5000] [--out output/bench]

Graphs are made by a seeded generator (contract classes and properties, articles,
evidence), so runs are comparable. Prints one row per size.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace

from castkg.namespace import CKG
from castkg.view import render_html, to_view, write_view

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
    return graph


def measure_write(graph: Graph, path: Path) -> dict[str, float]:
    """Seconds for the view model, for rendering, and for the whole write_view (which also reads
    the ontology and writes the file); peak Python memory of write_view."""
    started = time.perf_counter()
    view = to_view(graph)
    model = time.perf_counter() - started
    started = time.perf_counter()
    render_html(view)
    render = time.perf_counter() - started
    started = time.perf_counter()
    view = write_view(graph, path)
    total = time.perf_counter() - started
    tracemalloc.start()  # a second, untimed write: tracemalloc slows Python down
    write_view(graph, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
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
    """Load to first draw (and to a still layout), JS heap, and frame rate during a 1.5 s pan."""
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
    heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0") / 2**20
    pan = page.evaluate(PAN)
    page.close()
    return {
        "first_draw_s": first_draw,
        "open_wall_s": first_wall,
        "stable_s": stable_wall,
        "js_heap_mib": heap,
        "pan_fps": pan["fps"],
        "pan_p95_ms": pan["p95_ms"],
        "requests": len(blocked),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000,5000")
    parser.add_argument(
        "--out", type=Path, default=None, help="keep the pages here (default: a temporary folder)"
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
            "nodes edges  model_s render_s write_s peak_MiB file_MiB | first_draw_s open_wall_s stable_s "
            "heap_MiB pan_fps pan_p95_ms requests"
        )
        for size in (int(s) for s in args.sizes.split(",")):
            path = out / f"view-{size}.html"
            w = measure_write(synthetic_graph(size), path)
            o = measure_open(context, path)
            print(
                f"{w['nodes']:5d} {w['edges']:5d} {w['model_s']:8.2f} {w['render_s']:8.2f} "
                f"{w['write_s']:7.2f} {w['peak_mib']:8.1f} {w['size_mib']:8.2f} | "
                f"{o['first_draw_s']:12.2f} {o['open_wall_s']:11.2f} {o['stable_s']:8.2f} "
                f"{o['js_heap_mib']:8.1f} {o['pan_fps']:7.1f} {o['pan_p95_ms']:10.1f} "
                f"{o['requests']:8d}",
                flush=True,
            )
        context.close()


if __name__ == "__main__":
    main()
