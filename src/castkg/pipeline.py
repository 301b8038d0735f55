"""The orchestrator: chains the pipeline stages into one :func:`build`.

files → documents (read) → articles (segment) → extractions (extract)
→ entities and facts (resolve) → rdflib Dataset (mapping)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from rdflib import Dataset

from castkg.errors import InputError
from castkg.extract import extract
from castkg.mapping import to_dataset
from castkg.model import Article, Extraction
from castkg.read import read_paths
from castkg.resolve import resolve
from castkg.rules import Rules, load_rules
from castkg.segment import segment

log = logging.getLogger(__name__)


def _warn(error: InputError) -> None:
    log.warning("%s", error)


def _extract_one(
    article: Article, rules: Rules, on_error: Callable[[InputError], None], strict: bool
) -> Extraction | None:
    try:
        return extract(article, rules)
    except Exception as exc:  # a bug in a rule or matcher must not lose the other articles
        if strict:
            raise
        on_error(
            InputError(
                f"{article.key}: extraction failed ({type(exc).__name__}: {exc}); article skipped, "
                "rerun with --debug for the traceback and please report it"
            )
        )
        return None


def build(
    paths: Iterable[str | Path],
    rules: Rules | None = None,
    on_input_error: Callable[[InputError], None] = _warn,
    progress: Callable[[Sequence[Article]], Iterable[Article]] | None = None,
    strict: bool = False,
) -> Dataset:
    """Build the knowledge graph of the bulletins at ``paths`` (files or folders).

    Returns an rdflib ``Dataset`` with one named graph per article; its union is the
    whole graph. Inputs that cannot be read are reported to ``on_input_error`` and
    skipped; so is an article the extractor fails on (a bug: ``strict=True`` raises it instead),
    so one bad article never loses the others. Raises :class:`~castkg.errors.RuleError` when the
    rules do not load.
    """
    rules = rules or load_rules()
    started = time.perf_counter()
    documents = list(read_paths(paths, on_error=on_input_error))
    articles = [article for document in documents for article in segment(document)]
    log.info(
        "read %d documents, %d articles in %.2fs",
        len(documents),
        len(articles),
        time.perf_counter() - started,
    )
    steps = progress(articles) if progress else articles
    extractions = [e for article in steps if (e := _extract_one(article, rules, on_input_error, strict))]
    resolved = resolve(extractions, rules)
    dataset = to_dataset(resolved, rules)
    log.info("built %d articles in %.2fs", len(articles), time.perf_counter() - started)
    return dataset
