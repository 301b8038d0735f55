"""Names the article gives again where no rule reads them: one more mention of the same entity.

News names an event or a body once where its context is clear (a title: …论坛在北京举办) and then
again where it is not (…论坛13日在北京开幕: a day between the name and its verb). A name the rules
found once is the same name everywhere in its article, so each other occurrence that no mention
covers or crosses is a mention of the same entity, found by the same rule, with the same names
inside it (the place that opens a body's name) as where the rule found it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from castkg.model import Mention, Sentence
from castkg.script import written_form

__all__ = ["find_repeats"]

REPEATED_CLASSES = frozenset(
    {"Event", "Organization", "Initiative", "Award", "Platform", "Publication", "Person"}
)
"""Places are found by the gazetteer wherever they are written; these only in context."""

SHORTEST = {"Person": 3}
"""The shortest name found again, by class (4 for the rest): a two-character person's name or a
three-character short name is too often part of another word."""


@dataclass(frozen=True)
class _Found:
    """A name the rules found: the mention that names it and the mentions nested in it."""

    mention: Mention
    inside: tuple[Mention, ...]
    at: int
    """Where the name starts in its sentence (after any opening quote mark of the mention)."""


def find_repeats(
    mentions: Mapping[int, Sequence[Mention]], sentences: Sequence[Sentence]
) -> dict[int, list[Mention]]:
    """The article's mentions (by sentence) with each name a rule found also found wherever else
    the article writes it and no mention crosses it (mentions inside it give way to the names
    nested in it where it was found)."""
    names = _names(mentions, {s.index: s.text for s in sentences})
    found: dict[int, list[Mention]] = {}
    for sentence in sentences:
        own = list(mentions.get(sentence.index, ()))
        added = False
        for name, model in names:
            for start in _occurrences(sentence.text, name):
                end = start + len(name)
                overlapping = [m for m in own if m.start < end and start < m.end]
                if any(
                    m.start < start or m.end > end or (m.start, m.end) == (start, end) for m in overlapping
                ):
                    continue
                own = [m for m in own if m not in overlapping]
                own.extend(_copy(model, sentence, start))
                added = True
        found[sentence.index] = sorted(own, key=lambda m: (m.start, -m.end, m.cls)) if added else own
    return found


def _names(mentions: Mapping[int, Sequence[Mention]], texts: Mapping[int, str]) -> list[tuple[str, _Found]]:
    """Each name to look for, longest first (a long name is taken before a name inside it), with
    the first mention that names it and what is nested in that one."""
    first: dict[str, _Found] = {}
    for index in sorted(mentions):
        found = mentions[index]
        for mention in found:
            if mention.nested or mention.cls not in REPEATED_CLASSES or mention.rank is not None:
                continue
            if len(mention.surface) < SHORTEST.get(mention.cls, 4) or mention.surface in first:
                continue
            inside = tuple(m for m in found if m.nested and mention.start <= m.start and m.end <= mention.end)
            at = texts[index].find(mention.surface, mention.start, mention.end)
            if at >= 0:  # not when quote marks were taken out of the name's middle
                first[mention.surface] = _Found(mention, inside, at)
    return sorted(first.items(), key=lambda item: (-len(item[0]), item[0]))


def _copy(model: _Found, sentence: Sentence, start: int) -> list[Mention]:
    """The model's mention and its nested ones, moved to ``start`` of ``sentence``."""
    shift = start - model.at
    return [
        replace(
            m,
            sentence=sentence.index,
            start=max(m.start + shift, start),
            end=min(m.end + shift, start + len(model.mention.surface)),
            written=written_form(sentence.source, sentence.text, m.surface, m.start + shift),
        )
        for m in (model.mention, *model.inside)
    ]


def _occurrences(text: str, name: str) -> list[int]:
    """Where ``name`` starts in ``text``, left to right, not overlapping."""
    starts, position = [], text.find(name)
    while position >= 0:
        starts.append(position)
        position = text.find(name, position + len(name))
    return starts
