"""What the relation finders share: how a finder is registered, the settings several kinds take,
and the reading of a sentence's event that more than one family needs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from castkg.extract.scope import ArticleScope
from castkg.extract.text import find_days
from castkg.model import Mention, PositionMention, Relation, Sentence
from castkg.registry import FINDERS, PATTERNS
from castkg.rules import Predicate, Rule, WordList

Finding = Relation | PositionMention
"""What a finder finds: a relation, or a post a person holds."""
Finder = Callable[[ArticleScope, Rule[Any]], Sequence[Finding]]
finder = FINDERS.register
"""``@finder(kind, settings=…, emits=…)``: register a function as the finder of a rule kind."""


@dataclass(frozen=True)
class OfPredicate:
    """Settings of a kind that is told only the property it states."""

    predicate: Predicate


@dataclass(frozen=True)
class WithVerbs:
    """Settings of a kind that states ``predicate`` where one of ``verbs`` says so."""

    predicate: Predicate
    verbs: WordList


@dataclass(frozen=True)
class NoSettings:
    """Settings of a kind that states fixed properties and takes none."""


VENUE_GAP = PATTERNS.need("venue_gap")
HELD_MANNER = PATTERNS.need("held_manner")


def meeting_for(scope: ArticleScope, sentence: Sentence, before: int | None = None) -> Mention | None:
    """The event a sentence speaks of: one it names (before ``before``), else its paragraph's first."""
    same = [
        m
        for m in scope.in_sentence(sentence.index, "Event", nested=False)
        if before is None or m.end <= before
    ]
    if same:
        return same[0]
    for other in scope.earlier_in_block(sentence):
        events = scope.in_sentence(other.index, "Event", nested=False)
        if events:
            return events[0]
    return None


def label_of(mention: Mention) -> str:
    """The name a mention goes by: its label, else its surface."""
    return mention.label or mention.surface


def event_before(
    scope: ArticleScope, sentence: Sentence, clause_start: int, position: int, allow_place: bool = False
) -> Mention | None:
    """The event a clause opens with before ``position``, with at most a date and 于/将 between
    (and, with ``allow_place``, 在PLACE: 峰会在浙江温州举办)."""
    text = sentence.text
    if allow_place:
        for place in scope.in_sentence(sentence.index, "Place", nested=False):
            if clause_start < place.start and place.end <= position:
                text = text[: place.start] + " " * (place.end - place.start) + text[place.end :]
        text = scope.rules.pattern(VENUE_GAP).sub(lambda m: " " * len(m.group()), text)
        text = (
            scope.rules.pattern(HELD_MANNER).sub(lambda m: " " * len(m.group()), text[:position])
            + text[position:]
        )
    events = [
        m
        for m in scope.in_sentence(sentence.index, "Event", nested=False)
        if clause_start <= m.start and m.end <= position
    ]
    if not events:
        return None
    event = events[-1]
    gap = text[event.end : position]
    for day in find_days(gap, scope.rules):
        gap = gap.replace(gap[day.start : day.end], "")
    return event if len(gap.strip()) <= 3 else None
