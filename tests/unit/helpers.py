"""Small articles for unit tests: a few lines of text we wrote → the scope a finder reads, and what
a rule finds in it, as readable tuples.

An article is written as the product reads it: a title, blank-line-separated paragraphs, the
signing department and ``[YYYY-MM-DD]`` (the article's date).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from castkg.extract import extract, scope_of
from castkg.extract.scope import ArticleScope
from castkg.model import Article, Document, Extraction, Mention, Relation
from castkg.registry import FINDERS
from castkg.rules import Rule, Rules, load_rules
from castkg.segment import segment


@cache
def rules() -> Rules:
    """The shipped rules, loaded once for the unit tests."""
    return load_rules()


def article(
    title: str,
    *paragraphs: str,
    signed: str = "中国科协科普部",
    date: str = "2023-05-21",
    source: str = "unit.txt",
) -> Article:
    """The one article of a bulletin with ``title``, ``paragraphs`` and a signature (no date line
    when ``date`` is empty)."""
    signature = "\n".join(([signed] if signed else []) + ([f"[{date}]"] if date else []))
    text = "\n\n".join([title, *paragraphs, *([signature] if signature else [])])
    (found,) = segment(Document(source, text))
    return found


def scope(title: str, *paragraphs: str, **signature: str) -> ArticleScope:
    """The frozen scope the relation finders read for that article."""
    return scope_of(article(title, *paragraphs, **signature), rules())


def extraction(title: str, *paragraphs: str, **signature: str) -> Extraction:
    """Everything the extractor finds in that article."""
    return extract(article(title, *paragraphs, **signature), rules())


def rule(rule_id: str) -> Rule[Any]:
    """A relation rule of relations.yaml by id."""
    return next(r for r in rules().relation_rules if r.id == rule_id)


def name(mention: Mention | None) -> str | None:
    """How a test names a mention: its label, else its surface."""
    return None if mention is None else mention.label or mention.surface


def facts(relations: list[Relation] | tuple[Relation, ...]) -> set[tuple[str | None, str, str | None]]:
    """Relations as (subject, predicate, object name or literal value)."""
    return {(name(r.subject), r.predicate, name(r.object) if r.object else r.value) for r in relations}


def run(rule_id: str, found_in: ArticleScope) -> set[tuple[str | None, str, str | None]]:
    """What the rule ``rule_id`` alone finds in a scope, as readable facts."""
    chosen = rule(rule_id)
    found = FINDERS[chosen.kind].function(found_in, chosen)
    return facts([f for f in found if isinstance(f, Relation)])
