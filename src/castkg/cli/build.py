"""``castkg build INPUT… -o DIR``: bulletins in, the contract's files out."""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager, ExitStack, suppress
from pathlib import Path

import click

from castkg.cache import FileCache, default_cache
from castkg.cli.progress import progress_for
from castkg.engines import Dask, InProcess, Processes
from castkg.errors import InputError, OutputError
from castkg.graphs import VIEW
from castkg.limits import SECONDS_PER_INPUT
from castkg.namespace import ENTITY_CLASSES
from castkg.outputs import OutputFolder
from castkg.pipeline import Engine, build_to
from castkg.read import KNOWN_SUFFIXES, shown
from castkg.rulecache import cached_rules
from castkg.rules import Rules
from castkg.transaction import signals_held

log = logging.getLogger(__name__)


def summary(articles: int, classes: Mapping[str, int], triples: int, seconds: float) -> str:
    """One line: articles, entities per class, triples, seconds."""
    entities = ", ".join(f"{classes[c]} {c}" for c in ENTITY_CLASSES if classes.get(c))
    return f"built {articles} articles: {entities or 'no entities'}; {triples} triples in {seconds:.1f}s"


def ignored_files(inputs: tuple[str, ...]) -> dict[str, list[str]]:
    """The files in each input folder that the reader passes over (not .txt, .md, .html, .jsonl),
    by folder as given; hidden files and folders are left out, as the reader leaves them."""
    ignored: dict[str, list[str]] = {}
    for given in inputs:
        folder = Path(given)
        if not folder.is_dir():
            continue
        found = sorted(
            path.relative_to(folder).as_posix()
            for path in folder.rglob("*")
            if path.is_file()
            and path.suffix.lower() not in KNOWN_SUFFIXES
            and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        )
        if found:
            ignored[given] = [(folder / name).as_posix() for name in found]
    return ignored


def _report_ignored(inputs: tuple[str, ...]) -> None:
    for folder, files in ignored_files(inputs).items():
        log.warning(
            "%s: %d file%s ignored, not .txt, .md, .html or .jsonl (-v lists them)",
            folder,
            len(files),
            "" if len(files) == 1 else "s",
        )
        for name in files:
            log.info("ignored %s", name)


def check_apart(output: Path, store_dir: Path | None) -> None:
    """Raise :class:`OutputError` when -o and --store overlap: each is replaced as a whole."""
    if store_dir is None:
        return
    out, store = Path(os.path.realpath(output)), Path(os.path.realpath(store_dir))
    if out == store:
        raise OutputError(f"-o {output} and --store {store_dir} are one folder; give each its own")
    if out in store.parents:
        raise OutputError(
            f"--store {store_dir} is inside -o {output}, which each build replaces as a whole; "
            f"put the store outside it"
        )
    if store in out.parents:
        raise OutputError(f"-o {output} is inside --store {store_dir}; put the outputs outside the store")


@click.command("build")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    "output",
    default="output",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for castkg.ttl, castkg.trig and graph.html (replaced as a whole by each build).",
)
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder holding rules/ and gazetteer/ (default: the project's ontology/).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Also keep the graph in this on-disk Oxigraph store (adds and replaces article graphs).",
)
@click.option("--no-view", is_flag=True, help="Do not write graph.html.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes that read and extract the files (0: one per core); the output is the same "
    "bytes for any number. With --engine dask, the workers of the cluster started for the build.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where the files are extracted: on this machine, or on a Dask distributed cluster "
    "(pip install 'castkg[dask]'; docs/scale.md).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="With --engine dask: the cluster's scheduler (tcp://host:8786); without it, a cluster of "
    "-j worker processes on this machine.",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the incremental cache: each file's extraction, kept under its content and the "
    "rules, so a rebuild extracts only new and changed files (default: .OUT.castkg-cache beside -o, "
    "pruned to what the last build used).",
)
@click.option(
    "--no-cache", is_flag=True, help="Extract every file again and keep nothing for the next build."
)
@click.option(
    "--base",
    "base",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write each article's ckg:sourceFile relative to this folder, not as given, so that "
    "builds of one corpus from two places give the same bytes (IRIs never depend on paths).",
)
@click.option(
    "--cpu-budget",
    "seconds",
    type=click.FloatRange(min=0),
    default=SECONDS_PER_INPUT,
    show_default=True,
    help="CPU seconds that reading one file or extracting one article may take before it is "
    "skipped (0: no limit).",
)
@click.pass_context
def build_command(
    ctx: click.Context,
    inputs: tuple[str, ...],
    output: Path,
    rules_dir: Path | None,
    store_dir: Path | None,
    no_view: bool,
    jobs: int,
    engine: str,
    scheduler: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    base: Path | None,
    seconds: float,
) -> None:
    """Build the knowledge graph of INPUTS (files or folders of .txt, .md, .html, .jsonl bulletins).

    Unreadable inputs are reported one line each and skipped, and so is an input that fails
    or takes more than the CPU budget; an article cut to the size caps is reported too. Exit 0
    when any article was built, 2 when none was, the rules do not load, or -o or --store cannot
    be written (checked before the build). An interrupted build (Ctrl-C, a kill) leaves -o and
    --store as they were.
    """
    started = time.perf_counter()
    problems: list[InputError] = []
    quiet = bool(ctx.obj and ctx.obj.get("quiet"))
    progress = progress_for(quiet)

    def report(error: InputError) -> None:
        problems.append(error)
        if quiet:
            return
        line = f"castkg: warning: {error}"
        if progress is not None and progress.shown():
            progress.write(line)  # above the bar, not glued to it
        else:
            click.echo(line, err=True)  # tqdm.write would show a bar too early

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler goes with --engine dask")
    if no_cache and cache_dir is not None:
        raise click.UsageError("--cache and --no-cache: give one")
    check_apart(output, store_dir)
    if not no_view:
        # imported before the build, not after: the modules' objects made after it would lie in the
        # memory the build's entity table frees and keep it from going back to the system
        from castkg.view import write_view_of_turtle
    with ExitStack() as transactions:
        outputs = transactions.enter_context(OutputFolder(output))
        update = None
        if store_dir is not None:
            from castkg.store import StoreUpdate

            update = transactions.enter_context(StoreUpdate(store_dir))
        rules = cached_rules(rules_dir)
        _report_ignored(inputs)
        strict = bool(ctx.obj and ctx.obj.get("debug"))
        cache = None
        if not no_cache:
            cache = FileCache(cache_dir or default_cache(output), rules, prune=cache_dir is None)
        workers = jobs or os.cpu_count() or 1
        # build_to stops the workers once every file is extracted, before the merge (the context
        # stops them on an error): the merge and the view run without them
        with _engine(engine, rules, workers, scheduler, strict, seconds or None) as runner:
            streamed = build_to(
                inputs,
                outputs.staging,
                rules=rules,
                on_input_error=report,
                progress=progress,
                strict=strict,
                seconds=seconds or None,
                engine=runner,
                cache=cache,
                base=base,
                previous=output,
            )
        if streamed.written is None:
            raise InputError(
                f"no article could be built from {', '.join(shown(given) for given in inputs[:3])}"
                f"{f' and {len(inputs) - 3} more inputs' if len(inputs) > 3 else ''}"
                f"{f' (see the {len(problems)} warnings above)' if problems else ''}"
            )
        if cache is not None:
            log.info("cache %s: %d files reused, %d built", cache.folder, cache.hits, cache.misses)
            cache.prune()
        if not no_view:  # read back from castkg.ttl as a stream: the build never holds the graph
            _return_freed_memory()

            write_view_of_turtle([streamed.written.turtle], outputs.staging / VIEW)
        stats = update.apply_file(streamed.written.trig, rules) if update is not None else None
        with signals_held():  # once committing starts, Ctrl-C waits until both are in place
            if update is not None:
                update.commit()  # the store first: new outputs then always mean an updated store
            outputs.commit()
    if stats is not None and not (ctx.obj and ctx.obj.get("quiet")):
        click.echo(f"castkg: store {store_dir}: {stats}", err=True)
    click.echo(
        summary(streamed.articles, streamed.classes, streamed.written.triples, time.perf_counter() - started)
    )


def _engine(
    name: str, rules: Rules, jobs: int, scheduler: str | None, strict: bool, seconds: float | None
) -> AbstractContextManager[Engine]:
    if name == "dask":
        return Dask(rules, jobs, scheduler, strict, seconds)
    if jobs > 1:
        return Processes(rules, jobs, strict, seconds)
    return InProcess(rules, strict, seconds)


COMMANDS = (build_command,)


def _return_freed_memory() -> None:
    """Give the memory the build freed back to the system before the view is drawn, so the two
    passes' peaks do not add up (glibc keeps freed heap pages otherwise; elsewhere a no-op)."""
    gc.collect()
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
