"""The orchestrator: chains the pipeline stages into one :func:`build`.

files → documents (read) → articles (segment) → extractions (extract)
→ entities and facts (resolve) → rdflib Dataset (mapping)

The unit of work is one input file: :func:`build_file` reads, segments and extracts it and
returns a small picklable :class:`FileResult`, a pure function of the file's bytes and the
rules. The files are handed to an engine (:mod:`castkg.engines`: in this process, a pool of
``jobs`` processes, or a Dask cluster) and their results merged in input order, so the output
is byte-identical whatever the engine; a :class:`~castkg.cache.FileCache` keeps each file's
result under its content and the rules, so a rebuild extracts only the files that changed.

A failure or an overrun of the CPU budget while reading one file, segmenting one document or
extracting one article is that input's alone: it is reported and skipped, and the build goes on.
"""

from __future__ import annotations

import logging
import os
import time
from collections import ChainMap, Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from rdflib import Dataset

from castkg.errors import InputError, OverBudgetError
from castkg.extract import extract
from castkg.limits import SECONDS_PER_INPUT, OverBudget, cpu_budget
from castkg.mapping import ENTITIES, EntityTable, Labels, table_entity_chunks, to_dataset, to_lines
from castkg.model import Article, Document, EntityKey, Extraction
from castkg.page import PageRules, load_page_rules
from castkg.read import input_files, open_input, read_file, shown
from castkg.resolve import resolve, resolve_alone
from castkg.rules import Rules, load_rules
from castkg.segment import segment
from castkg.write import GraphSpool, Parts, Previous, StoredParts, Written, serialize_parts

log = logging.getLogger(__name__)

ErrorHandler = Callable[[InputError], None]

SHIPPED_BYTES = 8 * 1024 * 1024
"""Files up to this size (a bulletin is a few KB) are read once, by the build, hashed for the cache
and their bytes handed to the worker, so a worker on another machine needs no access to them; a
larger one is read by its worker from its path (a JSON Lines corpus streamed) and not cached, so
the files on their way never hold more than a few times this in memory."""


def _warn(error: InputError) -> None:
    log.warning("%s", error)


def _failed(what: str, exc: Exception) -> str:
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    return f"{what} failed ({detail}); skipped, rerun with --debug for the traceback and please report it"


def _over(seconds: float | None, doing: str) -> str:
    return (
        f"{doing} took more than {seconds:g} s of CPU; skipped (an unusual shape of text: "
        "please report it; castkg build --cpu-budget raises the budget)"
    )


def relative_source(source: str, base: str | Path) -> str:
    """``source`` (a path as given, or ``path#id`` for a JSON Lines record) relative to ``base``,
    in POSIX form: what ``ckg:sourceFile`` says when the build is given ``--base``."""
    path, record = source, ""
    if not os.path.exists(path) and "#" in source:
        path, _, record = source.rpartition("#")
    relative = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()
    return f"{relative}#{record}" if record else relative


# --- the unit of work: one file ---------------------------------------------------------------------


@dataclass(frozen=True)
class FileTask:
    """One input file to build: where it is, and its bytes when the build has read them."""

    path: str
    """The file's path as the reader names it (relative where given relative)."""
    data: bytes | None = None
    source: str | None = None
    """What ``ckg:sourceFile`` calls the file (relative to ``--base``, worked out where the build
    runs, not on a worker), or None: its path as the reader names it."""
    mapped: bool = False
    """Also resolve and map the file on its own (:class:`FileGraphs`), where it is extracted."""


@dataclass(frozen=True)
class FileGraphs:
    """One input file's article graphs, resolved and mapped from that file alone: right for the
    build when no key of it had another class in an earlier file (the first file naming a key gives
    its class), and none of its articles is a reprint of an earlier one; else the build maps the
    file again itself."""

    classes: tuple[tuple[EntityKey, str], ...]
    """The class the file gives each key it names."""
    table: EntityTable
    """What the graph of entities needs of them."""
    parts: Parts | StoredParts | None
    """The graphs in final form (:func:`castkg.write.serialize_parts`), or where they are kept."""


@dataclass(frozen=True)
class FileResult:
    """What one input file gives: its articles' extractions and the problems met, in order."""

    source: str
    extractions: Sequence[Extraction]
    """In order (from the cache, read only when used)."""
    problems: tuple[InputError, ...]
    documents: int
    articles: int
    graphs: FileGraphs | None = None
    """Its graphs, mapped on its own (None when not asked for or when mapping failed: the
    build then maps it, and meets the failure, itself)."""
    digests: tuple[tuple[str, str], ...] | None = None
    """Each extraction's article's digest and key, in order (None: read them from the extractions)."""
    key: str | None = None
    """Its key in the build's cache, where it is kept there (what a rebuild knows its graphs by)."""

    def article_digests(self) -> tuple[tuple[str, str], ...]:
        """Each extraction's article's (digest, key), in order, without reading cached extractions."""
        if self.digests is not None:
            return self.digests
        return tuple((extraction.article.digest, extraction.article.key) for extraction in self.extractions)

    @property
    def complete(self) -> bool:
        """True unless a CPU budget cut something short (a quieter run may build it: not cached)."""
        return not any(isinstance(problem, OverBudgetError) for problem in self.problems)


def build_file(
    task: FileTask,
    rules: Rules,
    strict: bool = False,
    seconds: float | None = SECONDS_PER_INPUT,
    page: PageRules | None = None,
) -> FileResult:
    """Read, segment and extract one input file (``task``): a pure function of its bytes,
    ``rules`` and ``page`` (the page rules of the rules' folder, loaded when None). Every problem
    (unreadable, a failure or an overrun of ``seconds`` of CPU while reading, segmenting or
    extracting) is returned in the result, in order, never raised; ``strict=True`` raises a
    failure (a bug) instead."""
    problems: list[InputError] = []
    extractions: list[Extraction] = []
    documents = articles = 0
    path = Path(task.path)
    page = page or load_page_rules(rules.directory)
    for document in read_file(path, problems.append, strict=strict, seconds=seconds, data=task.data):
        if task.source is not None:  # a JSON Lines record keeps its #id
            document = replace(document, source=task.source + document.source[len(shown(path)) :])
        documents += 1
        found = _segmented(document, page, problems.append, strict, seconds)
        articles += len(found)
        for article in found:
            article = replace(article, file_digest=document.digest)
            extraction = _extract_one(article, rules, problems.append, strict, seconds)
            if extraction is not None:
                extractions.append(extraction)
    graphs = _file_graphs(extractions, rules) if task.mapped and extractions else None
    digests = tuple((extraction.article.digest, extraction.article.key) for extraction in extractions)
    return FileResult(shown(path), tuple(extractions), tuple(problems), documents, articles, graphs, digests)


def _file_graphs(extractions: list[Extraction], rules: Rules) -> FileGraphs | None:
    """The article graphs of one file's extractions, mapped on their own (see :class:`FileGraphs`)."""
    classes: dict[EntityKey, str] = {}
    table = EntityTable()
    graphs: dict[str, list[tuple[str, str, str]]] = {}
    try:
        for group in _by_source(extractions).values():
            for graph, lines in to_lines(resolve_alone(group, rules, classes), table).items():
                graphs.setdefault(graph, []).extend(lines.triples)
        parts = serialize_parts(graphs.items())
    except Exception:  # the build maps the file again itself and reports it as it always has
        log.debug("mapping on its own failed; the build maps it", exc_info=True)
        return None
    return FileGraphs(tuple(classes.items()), table, parts)


def _by_source(extractions: Iterable[Extraction]) -> dict[str, list[Extraction]]:
    """Extractions by the source of their article (a file, or a JSON Lines record), in order:
    what :func:`castkg.resolve.resolve` resolves together."""
    groups: dict[str, list[Extraction]] = {}
    for extraction in extractions:
        groups.setdefault(extraction.article.source, []).append(extraction)
    return groups


def _segmented(
    document: Document, page: PageRules, on_error: ErrorHandler, strict: bool, seconds: float | None
) -> list[Article]:
    try:
        with cpu_budget(seconds):
            articles = segment(document, on_error, page)
    except OverBudget:
        on_error(OverBudgetError(f"{document.source}: {_over(seconds, 'segmenting')}"))
        return []
    except Exception as exc:  # a bug in segmenting one document must not lose the others
        if strict:
            raise
        on_error(InputError(f"{document.source}: {_failed('segmenting', exc)}"))
        return []
    if not articles:
        on_error(
            InputError(f"{document.source}: no body text in it (a title, dates or labels alone), skipped")
        )
    return articles


def _extract_one(
    article: Article, rules: Rules, on_error: ErrorHandler, strict: bool, seconds: float | None
) -> Extraction | None:
    try:
        with cpu_budget(seconds):
            return extract(article, rules)
    except OverBudget:
        on_error(OverBudgetError(f"{article.key}: {_over(seconds, 'extraction')}"))
        return None
    except Exception as exc:  # a bug in a rule or matcher must not lose the other articles
        if strict:
            raise
        on_error(InputError(f"{article.key}: {_failed('extraction', exc)}"))
        return None


# --- many files ---------------------------------------------------------------------------------------


class Pending(Protocol):
    """A file's result on its way: ``result()`` waits for it."""

    def result(self) -> FileResult: ...


class Engine(Protocol):
    """Runs :func:`build_file` on tasks (:mod:`castkg.engines`)."""

    window: int
    """How many tasks may be on their way at once (bounds the memory of the bytes and results)."""

    def submit(self, task: FileTask) -> Pending: ...

    def close(self) -> None:
        """Stop the workers: every task submitted is done and no more will come (the build calls it
        once it has every file's result, so that the workers do not outlive extraction)."""


class Progress(Protocol):
    """What a build tells about its progress (the CLI draws it)."""

    def start(self, files: int) -> None: ...

    def advance(self, result: FileResult, cached: bool) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class _Done:
    value: FileResult

    def result(self) -> FileResult:
        return self.value


class InProcess:
    """Builds each file in this process, when it is submitted (the engine of ``-j 1``; the others
    are in :mod:`castkg.engines`)."""

    window = 0

    def __init__(self, rules: Rules, strict: bool = False, seconds: float | None = SECONDS_PER_INPUT) -> None:
        self.rules, self.strict, self.seconds = rules, strict, seconds
        self.page = load_page_rules(rules.directory)

    def submit(self, task: FileTask) -> _Done:
        return _Done(build_file(task, self.rules, self.strict, self.seconds, self.page))

    def close(self) -> None:
        return None

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _Cache(Protocol):
    def key(self, source: str, data: bytes) -> str: ...

    def get(self, key: str) -> FileResult | None: ...

    def put(self, key: str, result: FileResult) -> None: ...

    def state(self, output: str | Path) -> Path: ...

    def stored(self, key: str) -> StoredParts | None: ...


def _tasks(
    items: list[Path | InputError], cache: _Cache | None, base: str | Path | None = None, mapped: bool = False
) -> Iterator[InputError | tuple[FileTask, str | None, FileResult | None]]:
    """Each item as it is met: a problem to report, or a file's task with its cache key and its
    cached result (None when not cached)."""
    for item in items:
        if isinstance(item, InputError):
            yield item
            continue
        try:
            data = open_input(item, SHIPPED_BYTES)
        except (InputError, OSError):
            data = None  # its worker reads it and reports why it cannot
        source = None if base is None else relative_source(shown(item), base)
        task = FileTask(str(item), data, source, mapped)
        if cache is None or data is None:
            yield task, None, None
            continue
        key = cache.key(source or shown(item), data)
        yield task, key, cache.get(key)


def file_results(
    paths: Iterable[str | Path],
    rules: Rules,
    engine: Engine,
    on_input_error: ErrorHandler = _warn,
    progress: Progress | None = None,
    cache: _Cache | None = None,
    base: str | Path | None = None,
    mapped: bool = False,
) -> Iterator[FileResult]:
    """The :class:`FileResult` of every input file under ``paths``, in input order, built by
        ``engine`` or taken from ``cache``; problems are reported to ``on_input_error`` in input order,
        as a build in one process meets them; ``base`` as :func:`build` takes it; ``mapped``: each file
    also mapped on its own where it is built (:class:`FileGraphs`)."""
    items: list[Path | InputError] = []
    for path in input_files(paths, items.append):
        items.append(path)
    if progress is not None:
        progress.start(sum(1 for item in items if isinstance(item, Path)))
    window: deque[tuple[Pending | InputError, str | None, bool]] = deque()

    def settle() -> Iterator[FileResult]:
        pending, key, cached = window.popleft()
        if isinstance(pending, InputError):
            on_input_error(pending)
            return
        result = pending.result()
        for problem in result.problems:
            on_input_error(problem)
        if cache is not None and key is not None and result.complete:
            if not cached:
                cache.put(key, result)
            result = replace(result, key=key)
        if progress is not None:
            progress.advance(result, cached)
        yield result

    try:
        for entry in _tasks(items, cache, base, mapped):
            if isinstance(entry, InputError):
                window.append((entry, None, False))
            else:
                task, key, hit = entry
                window.append(
                    (_Done(hit), key, True) if hit is not None else (engine.submit(task), key, False)
                )
            while len(window) > engine.window:
                yield from settle()
        while window:
            yield from settle()
    finally:
        if progress is not None:
            progress.close()


def build(
    paths: Iterable[str | Path],
    rules: Rules | None = None,
    on_input_error: ErrorHandler = _warn,
    progress: Progress | None = None,
    strict: bool = False,
    seconds: float | None = SECONDS_PER_INPUT,
    engine: Engine | None = None,
    cache: _Cache | None = None,
    base: str | Path | None = None,
) -> Dataset:
    """Build the knowledge graph of the bulletins at ``paths`` (files or folders).

    Returns an rdflib ``Dataset`` with one named graph per article, and the graph of the
    entities' labels (:data:`castkg.mapping.ENTITIES`); its union is the whole graph. IRIs
    depend on the texts alone, never on where the files lie; ``ckg:sourceFile`` is each path as
    given, or relative to ``base`` when one is given (then two builds of one corpus from two
    places give the same bytes). Inputs that cannot be read are reported to ``on_input_error`` and
    skipped, and so is a file, document or article whose reading, segmenting,
    extraction or resolving fails (a bug: ``strict=True`` raises it instead) or takes more than
    ``seconds`` of CPU (None: no budget); an article cut to the size caps is reported
    too. One bad input never loses the others. The files are built by ``engine``
    (default: one by one in this process; see :mod:`castkg.engines`) and taken from
    ``cache`` where it has them (:class:`castkg.cache.FileCache`); the result is the same
    bytes either way. An article whose text an earlier one already has (a reprint, one
    file given twice) is left out, and logged: the first is kept. ``progress`` is told of
    each file as it is done. Raises :class:`~castkg.errors.RuleError` when the rules, or the
    page rules of the same folder (``rules/page.yaml``, read by the segment stage), do not load.
    """
    rules = rules or load_rules()
    engine = engine or InProcess(rules, strict, seconds)
    started = time.perf_counter()
    documents = articles = 0
    extractions: list[Extraction] = []
    seen: dict[str, str] = {}
    for result in file_results(paths, rules, engine, on_input_error, progress, cache, base):
        documents += result.documents
        articles += result.articles
        for extraction in result.extractions:
            article = extraction.article
            first = seen.setdefault(article.digest, article.key)
            if first != article.key:
                log.warning("%s: the same text as %s; kept the first only", article.key, first)
                continue
            extractions.append(extraction)
    log.info(
        "read %d documents, extracted %d of %d articles in %.2fs",
        documents,
        len(extractions),
        articles,
        time.perf_counter() - started,
    )
    try:
        resolved = resolve(extractions, rules)
    except Exception:
        if strict:
            raise
        extractions = _resolvable(extractions, rules, on_input_error)
        resolved = resolve(extractions, rules)
    dataset = to_dataset(resolved, rules)
    log.info("built %d articles in %.2fs", len(extractions), time.perf_counter() - started)
    return dataset


def _resolvable(
    extractions: list[Extraction], rules: Rules, on_input_error: ErrorHandler
) -> list[Extraction]:
    """The extractions of every file (or JSON Lines record) that resolves on its own; each one
    that fails (a bug) is reported to ``on_input_error`` and left out, so the others are built."""
    kept: list[Extraction] = []
    for source, group in _by_source(extractions).items():
        try:
            resolve(group, rules)
        except Exception as exc:
            on_input_error(InputError(f"{source}: {_failed('resolving', exc)}"))
            continue
        kept.extend(group)
    return kept


# --- streaming: map and write file by file ------------------------------------------------------------


@dataclass(frozen=True)
class Streamed:
    """What :func:`build_to` wrote and counted."""

    written: Written | None
    """None when no article was built (then nothing is written)."""
    articles: int
    classes: Mapping[str, int]
    """Entities per contract class (and series)."""


def build_to(
    paths: Iterable[str | Path],
    directory: str | Path,
    rules: Rules | None = None,
    on_input_error: ErrorHandler = _warn,
    progress: Progress | None = None,
    strict: bool = False,
    seconds: float | None = SECONDS_PER_INPUT,
    engine: Engine | None = None,
    cache: _Cache | None = None,
    base: str | Path | None = None,
    previous: str | Path | None = None,
) -> Streamed:
    """Build the knowledge graph of the bulletins at ``paths`` as :func:`build` does and write
    castkg.ttl and castkg.trig into ``directory`` (the same bytes as :func:`castkg.write.write_graph`
    of :func:`build`'s Dataset), file by file: each input file is resolved and mapped on its own
    (:func:`castkg.resolve.resolve_alone`) and its article graphs spooled to disk, so memory holds
    the entity table, not the graphs (the view is drawn afterwards from castkg.ttl, read as a
    stream: :func:`castkg.view.write_view_of_turtle`). When no article was built, nothing is written.

    ``previous``: the folder of the previous build's files (``-o``), which the build patches where
    few files changed and ``cache`` kept the state the previous build left (the same bytes).
    ``engine`` is closed (:meth:`Engine.close`) as soon as every file's result is in, before the
    graph of entities and the merge: its workers do not hold their memory through the write."""
    rules = rules or load_rules()
    engine = engine or InProcess(rules, strict, seconds)
    started = time.perf_counter()
    target = Path(directory)
    spool = GraphSpool(target / f".spool-{os.getpid()}-{time.monotonic_ns()}")
    table = EntityTable()
    documents = articles = extracted = remapped = 0
    seen: dict[str, str] = {}
    try:
        results = file_results(paths, rules, engine, on_input_error, progress, cache, base, mapped=True)
        for result in results:
            documents += result.documents
            articles += result.articles
            digests = result.article_digests()
            kept = []
            for index, (digest, article_key) in enumerate(digests):
                first = seen.setdefault(digest, article_key)
                if first != article_key:
                    log.warning("%s: the same text as %s; kept the first only", article_key, first)
                    continue
                kept.append(index)
            extracted += len(kept)
            mapped = result.graphs
            if (
                mapped is not None
                and mapped.parts is not None
                and len(kept) == len(digests)
                and all(table.keys.get(key, cls) == cls for key, cls in mapped.classes)
            ):
                for key, cls in mapped.classes:
                    table.keys.setdefault(key, cls)
                table.merge(mapped.table)
                spool.add_parts(mapped.parts, result.key, result.source)
                continue
            remapped += 1
            keys = ChainMap({}, table.keys)  # this file's new classes apart, kept once it resolves
            try:  # a bug in resolving one file must not lose the others
                groups = _by_source([result.extractions[index] for index in kept]).values()
                resolved_groups = [resolve_alone(group, rules, keys) for group in groups]
            except Exception as exc:
                if strict:
                    raise
                on_input_error(InputError(f"{result.source}: {_failed('resolving', exc)}"))
                extracted -= len(kept)
                continue
            table.keys.update(keys.maps[0])
            graphs: list[tuple[str, set[tuple[str, str, str]]]] = []
            for resolved in resolved_groups:
                graphs.extend((graph, lines.triples) for graph, lines in to_lines(resolved, table).items())
            if graphs:
                spool.add_parts(serialize_parts(graphs))
        engine.close()  # every file is built: the workers go before the merge, not after the view
        log.info(
            "read %d documents, extracted %d of %d articles in %.2fs (%d files mapped again here)",
            documents,
            extracted,
            articles,
            time.perf_counter() - started,
            remapped,
        )
        if table.articles == 0:
            return Streamed(None, 0, {})
        state_path = cache.state(previous) if cache is not None and previous is not None else None
        before = Previous.load(state_path) if state_path is not None else None
        labels: Labels = {}
        known = before.labels if before is not None else None
        chunks = table_entity_chunks(table, rules, known, labels if state_path is not None else None)
        entity_parts = spool.spill(str(ENTITIES), chunks)  # a chunk at a time, never the whole graph
        last = (Path(previous), before) if previous is not None and state_path is not None else None
        written, state = spool.write(target, entity_parts, last, cache.stored if cache is not None else None)
        if state_path is not None:
            if state is not None:
                state.labels = labels
                state.save(state_path)
            else:
                with suppress(OSError):
                    os.unlink(state_path)
    finally:
        spool.close()
    classes = Counter(table.classes.values())
    log.info("built %d articles in %.2fs", extracted, time.perf_counter() - started)
    return Streamed(written, table.articles, dict(classes))
