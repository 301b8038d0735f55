"""The orchestrator: chains the pipeline stages into one :func:`build`.

files → documents (read) → articles (segment) → extractions (extract)
→ entities and facts (resolve) → rdflib Dataset (mapping)

Reading, segmenting and extracting are streamed: one document and its articles are in
memory at a time, next to the extractions gathered so far. A failure or an overrun of
the CPU budget while reading one file, segmenting one document or extracting one
article is that input's alone: it is reported and skipped, and the build goes on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from rdflib import Dataset

from castkg.errors import InputError
from castkg.extract import extract
from castkg.limits import SECONDS_PER_INPUT, OverBudget, cpu_budget
from castkg.mapping import to_dataset
from castkg.model import Article, Extraction
from castkg.page import PageRules, load_page_rules
from castkg.read import read_paths
from castkg.resolve import resolve
from castkg.rules import Rules, load_rules
from castkg.segment import segment

log = logging.getLogger(__name__)

ErrorHandler = Callable[[InputError], None]


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


def _articles(
    paths: Iterable[str | Path],
    page: PageRules,
    on_error: ErrorHandler,
    strict: bool,
    seconds: float | None,
    counts: list[int],
    base: str | Path | None = None,
) -> Iterator[Article]:
    """The articles of every readable input, one document at a time, each knowing its file's
    digest; ``counts`` gets [documents, articles] as they go. An article whose text an earlier
    one already has (a reprint, one file given twice) is left out, and logged: the first is kept."""
    seen: dict[str, str] = {}
    for document in read_paths(paths, on_error=on_error, strict=strict, seconds=seconds):
        if base is not None:
            document = replace(document, source=relative_source(document.source, base))
        counts[0] += 1
        try:
            with cpu_budget(seconds):
                articles = segment(document, on_error, page)
        except OverBudget:
            on_error(InputError(f"{document.source}: {_over(seconds, 'segmenting')}"))
            continue
        except Exception as exc:  # a bug in segmenting one document must not lose the others
            if strict:
                raise
            on_error(InputError(f"{document.source}: {_failed('segmenting', exc)}"))
            continue
        if not articles:
            on_error(
                InputError(f"{document.source}: no body text in it (a title, dates or labels alone), skipped")
            )
        counts[1] += len(articles)
        for article in articles:
            first = seen.setdefault(article.digest, article.key)
            if first != article.key:
                log.warning("%s: the same text as %s; kept the first only", article.key, first)
                continue
            yield replace(article, file_digest=document.digest)


def _extract_one(
    article: Article, rules: Rules, on_error: ErrorHandler, strict: bool, seconds: float | None
) -> Extraction | None:
    try:
        with cpu_budget(seconds):
            return extract(article, rules)
    except OverBudget:
        on_error(InputError(f"{article.key}: {_over(seconds, 'extraction')}"))
        return None
    except Exception as exc:  # a bug in a rule or matcher must not lose the other articles
        if strict:
            raise
        on_error(InputError(f"{article.key}: {_failed('extraction', exc)}"))
        return None


def build(
    paths: Iterable[str | Path],
    rules: Rules | None = None,
    on_input_error: ErrorHandler = _warn,
    progress: Callable[[Iterable[Article]], Iterable[Article]] | None = None,
    strict: bool = False,
    seconds: float | None = SECONDS_PER_INPUT,
    base: str | Path | None = None,
) -> Dataset:
    """Build the knowledge graph of the bulletins at ``paths`` (files or folders).

    Returns an rdflib ``Dataset`` with one named graph per article, and the graph of the
    entities' labels (:data:`castkg.mapping.ENTITIES`); its union is the whole graph. IRIs
    depend on the texts alone, never on where the files lie; ``ckg:sourceFile`` is each path as
    given, or relative to ``base`` when one is given (then two builds of one corpus from two
    places give the same bytes). Inputs that cannot be read are reported to ``on_input_error`` and
    skipped, and so is a file, document or article whose reading, segmenting or
    extraction fails (a bug: ``strict=True`` raises it instead) or takes more than
    ``seconds`` of CPU (None: no budget); an article cut to the size caps is reported
    too. One bad input never loses the others. ``progress`` wraps the stream of
    articles (it has no length: they are read as they are extracted). Raises
    :class:`~castkg.errors.RuleError` when the rules, or the page rules of the same folder
    (``rules/page.yaml``, read by the segment stage), do not load.
    """
    rules = rules or load_rules()
    started = time.perf_counter()
    counts = [0, 0]
    articles = _articles(
        paths, load_page_rules(rules.directory), on_input_error, strict, seconds, counts, base
    )
    steps = progress(articles) if progress else articles
    extractions = [
        e for article in steps if (e := _extract_one(article, rules, on_input_error, strict, seconds))
    ]
    log.info(
        "read %d documents, extracted %d of %d articles in %.2fs",
        counts[0],
        len(extractions),
        counts[1],
        time.perf_counter() - started,
    )
    resolved = resolve(extractions, rules)
    dataset = to_dataset(resolved, rules)
    log.info("built %d articles in %.2fs", len(extractions), time.perf_counter() - started)
    return dataset
