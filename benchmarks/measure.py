"""The measurements that run in a child process of ``benchmarks/run.py``, one process each, so that
each has its own peak RSS. Each writes one JSON object to ``--result``.

    python benchmarks/measure.py stages  --corpus DIR --out DIR --result FILE
    python benchmarks/measure.py peer    --corpus DIR --out DIR --result FILE [--repeat N --timeout S]
    python benchmarks/measure.py floor   --corpus DIR --data castkg.ttl --out DIR --result FILE
    python benchmarks/measure.py queries --engine oxigraph|rdflib --data castkg.ttl --result FILE [...]

Times are wall-clock seconds (``time.perf_counter``) taken inside the child, with the CPU seconds of
the child (``time.process_time``) beside them; memory is read from ``/proc/self/status`` (VmRSS
now, VmHWM the high-water mark so far).
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the heavy imports: a child's own start-up counts

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import unicodedata  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
SIGNATURE_DATE = re.compile(r"^\s*[\[［【]\s*\d{4}-\d{1,2}-\d{1,2}\s*[\]］】]\s*$")


def memory() -> dict[str, float]:
    """This process's resident set now and its high-water mark, in MB (10^6 bytes)."""
    found: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found["rss_mb" if key == "VmRSS" else "hwm_mb"] = round(int(value.split()[0]) * 1024 / 1e6, 1)
    return found


def input_files(corpus: Path) -> list[Path]:
    """The bulletin files under ``corpus``, in path order."""
    return sorted(p for p in corpus.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())


# --- castkg's stages ---------------------------------------------------------------------


class NotAvailable(Exception):
    """A stage whose function is not there (the pipeline changed): reported as n/a."""


def _function(module: str, name: str) -> Callable[..., Any]:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise NotAvailable(f"{module}.{name} not found ({type(exc).__name__})") from exc


def _extract_all(done: dict[str, Any], failures: list[str]) -> list[Any]:
    extract = _function("castkg.extract", "extract")
    found = []
    for article in done["segment"]:
        try:
            found.append(extract(article, done["rules"]))
        except Exception as exc:  # as the pipeline does: one failing article does not stop the build
            failures.append(f"{getattr(article, 'key', '?')}: {type(exc).__name__}: {exc}")
    return found


def _stage_plan(corpus: Path, out: Path, failures: list[str]) -> list[tuple[str, tuple[str, ...], Callable]]:
    """(stage, the stages it needs, how to run it on the results so far), in pipeline order."""

    def on_error(error: object) -> None:
        failures.append(str(error))

    return [
        ("rules", (), lambda d: _function("castkg.rules", "load_rules")()),
        ("read", (), lambda d: list(_function("castkg.read", "read_paths")([corpus], on_error=on_error))),
        (
            "segment",
            ("read",),
            lambda d: [a for doc in d["read"] for a in _function("castkg.segment", "segment")(doc)],
        ),
        ("extract", ("rules", "segment"), lambda d: _extract_all(d, failures)),
        ("resolve", ("extract",), lambda d: _function("castkg.resolve", "resolve")(d["extract"], d["rules"])),
        ("map", ("resolve",), lambda d: _function("castkg.mapping", "to_dataset")(d["resolve"], d["rules"])),
        ("write", ("map",), lambda d: _function("castkg.write", "write_graph")(d["map"], out)),
        ("view", ("map",), lambda d: _function("castkg.view", "write_view")(d["map"], out / "graph.html")),
    ]


def _size(value: Any) -> int | None:
    try:
        return len(value)
    except TypeError:
        return None


def stages(
    corpus: Path, out: Path, save: Callable[[dict[str, Any]], None] = lambda report: None
) -> dict[str, Any]:
    """Each castkg stage timed on the whole corpus, in one process, keeping every result as the
    pipeline does; a stage whose function is missing or whose input is missing is ``n/a``. ``save``
    gets the report so far after each stage (a run stopped for its memory keeps what it measured)."""
    out.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    done: dict[str, Any] = {}
    report: dict[str, Any] = {"import_seconds": round(time.perf_counter() - STARTED, 3), "stages": []}
    for name, needs, run in _stage_plan(corpus, out, failures):
        row: dict[str, Any] = {"stage": name}
        missing = [need for need in needs if need not in done]
        if missing:
            row.update(status="n/a", reason=f"needs {', '.join(missing)}")
        else:
            began, cpu = time.perf_counter(), time.process_time()
            try:
                done[name] = run(done)
                row.update(
                    status="ok",
                    seconds=round(time.perf_counter() - began, 3),
                    cpu_seconds=round(time.process_time() - cpu, 3),
                    items=_size(done[name]),
                )
            except NotAvailable as exc:
                row.update(status="n/a", reason=str(exc))
            except Exception as exc:
                row.update(status="failed", reason=f"{type(exc).__name__}: {exc}"[:300])
        row.update(memory())
        report["stages"].append(row)
        save(report)
    report["input_errors"] = failures[:20]
    report["input_error_count"] = len(failures)
    report["articles"] = _size(done.get("segment"))
    report["total_seconds"] = round(time.perf_counter() - STARTED, 3)
    return report


# --- named queries ---------------------------------------------------------------------------


class QueryTimeout(Exception):
    """A query run longer than the budget."""


def _on_alarm(signum: int, frame: object) -> None:
    raise QueryTimeout


def default_params(query: Any) -> dict[str, str]:
    """A named query's required parameters set to the example its header gives (``e.g. …``)."""
    params = {}
    for param in query.params:
        example = re.search(r"e\.g\.\s*(.+)$", param.description)
        if param.required and example:
            params[param.name] = example.group(1).strip()
    return params


def prepared_queries() -> dict[str, tuple[str, dict[str, str]]]:
    """Every shipped named query, parameters substituted and PREFIX lines added (any engine reads it)."""
    from castkg.query import named_queries, prepare

    found = {}
    for name, query in named_queries().items():
        params = default_params(query)
        found[name] = (prepare(query.text, params), params)
    return found


def time_queries(run: Callable[[str], int], repeat: int, timeout: float | None) -> dict[str, Any]:
    """Run each named query up to ``repeat`` times, each run stopped after ``timeout`` seconds if one
    is given (and no more runs once 3 × ``timeout`` is spent); the median and every time, in seconds."""
    results: dict[str, Any] = {}
    signal.signal(signal.SIGALRM, _on_alarm)
    for name, (text, params) in prepared_queries().items():
        times: list[float] = []
        row: dict[str, Any] = {"params": params}
        for _ in range(repeat):
            began = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, timeout or 0)
            try:
                row["rows"] = run(text)
            except QueryTimeout:
                row["timed_out"] = True
                break
            except Exception as exc:
                row["error"] = f"{type(exc).__name__}: {exc}"[:300]
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - began)
            if timeout and sum(times) > 3 * timeout:
                break
        row["runs"] = [round(t, 6) for t in times]
        row["median_seconds"] = round(statistics.median(times), 6) if times else None
        results[name] = row
    return results


def _rdflib_runner(graph: Any) -> Callable[[str], int]:
    def run(text: str) -> int:
        return sum(1 for _ in graph.query(text))

    return run


def queries(engine: str, data: Path, repeat: int, timeout: float) -> dict[str, Any]:
    """The named queries on ``data`` (Turtle) with ``engine``: load time and the median per query."""
    began = time.perf_counter()
    if engine == "oxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(data), format=ox.RdfFormat.TURTLE)
        triples = len(store)

        def run(text: str) -> int:
            return sum(1 for _ in store.query(text))

    else:
        from rdflib import Graph

        graph = Graph().parse(data, format="turtle")
        triples = len(graph)
        run = _rdflib_runner(graph)
    load = time.perf_counter() - began
    return {
        "engine": engine,
        "load_seconds": round(load, 3),
        "triples": triples,
        "after_load": memory(),
        "queries": time_queries(run, repeat, None if engine == "oxigraph" else timeout),
    }


# --- the peer pipeline -------------------------------------------------------------------


def plain_articles(path: Path) -> Iterator[tuple[str, str]]:
    """(title, text) of each article of a UTF-8 bulletin: cut after each ``[YYYY-MM-DD]`` line,
    lines joined."""
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if SIGNATURE_DATE.match(line):
            if lines:
                yield lines[0], "".join(lines)
            lines = []
        elif line.strip():
            lines.append(line.strip())
    if lines:
        yield lines[0], "".join(lines)


def peer(corpus: Path, out: Path, repeat: int, timeout: float) -> dict[str, Any]:
    """spaCy ``blank("zh")`` + EntityRuler over the gazetteer's names, one rdflib Graph (a triple per
    entity found and article), rdflib's Turtle writer, then the named queries on rdflib's engine."""
    phases: dict[str, float] = {}
    began = time.perf_counter()
    import spacy
    from rdflib import RDF, RDFS, Graph, Literal, Namespace

    from castkg.rules import load_rules

    rules = load_rules()
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(
        [
            {"label": entry.cls, "pattern": name, "id": entry.id}
            for entry in sorted(rules.gazetteer.values(), key=lambda e: e.id)
            for name in entry.matched_names
            if len(name) >= 2 and not entry.quoted_only
        ]
    )
    phases["setup"] = time.perf_counter() - STARTED  # imports, gazetteer and ruler
    began = time.perf_counter()
    articles = [
        (path.relative_to(corpus).as_posix(), number, title, text)
        for path in input_files(corpus)
        for number, (title, text) in enumerate(plain_articles(path))
    ]
    phases["read"] = time.perf_counter() - began
    began = time.perf_counter()
    found = [
        [(ent.ent_id_, ent.label_, ent.text) for ent in doc.ents]
        for doc in nlp.pipe((text for *_, text in articles), batch_size=64)
    ]
    phases["ner"] = time.perf_counter() - began
    began = time.perf_counter()
    ckg, ckr = Namespace("https://w3id.org/castkg/ontology#"), Namespace("https://w3id.org/castkg/id/")
    graph = Graph()
    graph.bind("ckg", ckg)
    graph.bind("ckr", ckr)
    mentions = 0
    for (source, number, title, _), entities in zip(articles, found, strict=True):
        article = ckr[f"peer/{source}/{number}"]
        graph.add((article, RDF.type, ckg.Article))
        graph.add((article, RDFS.label, Literal(title, lang="zh")))
        graph.add((article, ckg.sourceFile, Literal(source)))
        for entity_id, cls, text in entities:
            entity = ckr[entity_id]
            graph.add((entity, RDF.type, ckg[cls]))
            graph.add((entity, RDFS.label, Literal(text, lang="zh")))
            graph.add((entity, ckg.mentionedIn, article))
            graph.add((article, ckg.mentions, entity))
            mentions += 1
    phases["graph"] = time.perf_counter() - began
    began = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    turtle = out / "peer.ttl"
    graph.serialize(turtle, format="turtle", encoding="utf-8")
    phases["serialize"] = time.perf_counter() - began
    built = {
        "seconds": round(time.perf_counter() - STARTED, 3),
        "cpu_seconds": round(time.process_time(), 3),
        "phases": {k: round(v, 3) for k, v in phases.items()},
        "articles": len(articles),
        "mentions": mentions,
        "triples": len(graph),
        "turtle_bytes": turtle.stat().st_size,
        "memory": memory(),
    }
    return {"build": built, "queries": time_queries(_rdflib_runner(graph), repeat, timeout)}


# --- the floor -------------------------------------------------------------------------------


def floor(corpus: Path, data: Path, out: Path) -> dict[str, Any]:
    """The least work a build must do: read every file, one Aho-Corasick pass of the gazetteer's
    names over it, and Oxigraph loading castkg's own Turtle and writing it back."""
    phases: dict[str, float] = {}
    import ahocorasick
    import pyoxigraph as ox

    from castkg.rules import load_rules, name_key

    rules = load_rules()
    automaton = ahocorasick.Automaton()
    for entry in rules.gazetteer.values():
        for name in entry.matched_names:
            if len(key := name_key(name)) >= 2:
                automaton.add_word(key, entry.id)
    automaton.make_automaton()
    phases["setup"] = time.perf_counter() - STARTED  # imports, gazetteer and automaton
    began = time.perf_counter()
    texts = [path.read_bytes().decode("utf-8") for path in input_files(corpus)]
    phases["read"] = time.perf_counter() - began
    began = time.perf_counter()
    hits = sum(1 for text in texts for _ in automaton.iter(unicodedata.normalize("NFKC", text)))
    phases["match"] = time.perf_counter() - began
    began = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.TURTLE)
    phases["load"] = time.perf_counter() - began
    began = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    dumped = out / "floor.ttl"
    store.dump(str(dumped), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    phases["dump"] = time.perf_counter() - began
    return {
        "seconds": round(time.perf_counter() - STARTED, 3),
        "cpu_seconds": round(time.process_time(), 3),
        "phases": {k: round(v, 3) for k, v in phases.items()},
        "files": len(texts),
        "characters": sum(map(len, texts)),
        "hits": hits,
        "triples": len(store),
        "turtle_bytes": dumped.stat().st_size,
        "memory": memory(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="one benchmark measurement (run by benchmarks/run.py)")
    parser.add_argument("kind", choices=("stages", "peer", "floor", "queries"))
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--data", type=Path, help="castkg.ttl to load (floor, queries)")
    parser.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)

    def save(report: dict[str, Any]) -> None:
        partial = args.result.with_suffix(".partial")
        partial.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        partial.replace(args.result)

    if args.kind == "stages":
        result = stages(args.corpus, args.out, save)
    elif args.kind == "peer":
        result = peer(args.corpus, args.out, args.repeat, args.timeout)
    elif args.kind == "floor":
        result = floor(args.corpus, args.data, args.out)
    else:
        result = queries(args.engine, args.data, args.repeat, args.timeout)
    result["final_memory"] = memory()
    save(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
