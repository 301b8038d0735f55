"""Stage 3, extract: one article + the rules → its mentions, relations, measures and posts.

A pure function of its inputs: no I/O, no state kept between articles. Identity across
articles is the next stage's work (:mod:`castkg.resolve`).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from castkg.extract.measures import counted_noun, find_counts
from castkg.extract.mentions import SentenceScope, find_mentions, strip_wrapping
from castkg.extract.relations import SIGNATURE, ArticleScope
from castkg.extract.text import find_days, nfkc, split_sentences
from castkg.model import Article, Extraction, MeasureMention, Mention, PositionMention, Relation, Sentence
from castkg.registry import FINDERS, PATTERNS, WORDS
from castkg.rules import Rules

log = logging.getLogger(__name__)

__all__ = ["extract"]


def extract(article: Article, rules: Rules) -> Extraction:
    """Everything ``article``'s text states that the rules can read."""
    sentences = split_sentences(article)
    mentions: dict[int, list[Mention]] = {}
    measures: list[MeasureMention] = []
    for sentence in sentences:
        found, counts = _sentence_mentions(sentence, rules)
        mentions[sentence.index] = found
        measures.extend(counts)
    publishers = _publishers(article, rules)
    scope = ArticleScope(article, sentences, mentions, rules, owner=_owner(publishers, rules))
    scope.items = _item_events(article, sentences)
    scope.list_event = _list_event(scope)
    measures = _attach_measures(measures, scope)
    # a bulletin-body guess that the article contradicts is dropped by resolve, per entity
    found = [f for rule in rules.relation_rules for f in FINDERS[rule.kind].function(scope, rule)]
    relations = [f for f in found if isinstance(f, Relation)]
    positions = [f for f in found if isinstance(f, PositionMention)]
    every = [m for s in sentences for m in mentions[s.index]] + list(scope.items.values())
    if scope.list_event is not None and scope.list_event.rule == "list.title":
        every.append(scope.list_event)
    log.debug(
        "%s: %d mentions, %d relations, %d measures", article.key, len(every), len(relations), len(measures)
    )
    return Extraction(
        article=article,
        sentences=sentences,
        mentions=tuple(every),
        relations=tuple(relations),
        measures=tuple(measures),
        positions=tuple(positions),
        publishers=tuple(publishers),
        owner=scope.owner,
    )


def _sentence_mentions(sentence: Sentence, rules: Rules) -> tuple[list[Mention], list[MeasureMention]]:
    text = sentence.text
    counts = find_counts(text, rules)
    days = find_days(text, rules)
    scope = SentenceScope(
        text,
        sentence.index,
        rules,
        stops={d.end for d in days} | {c.end for c in counts},
        counts_end={c.end for c in counts},
    )
    found = [_with_bracketed_alias(text, m, rules) for m in find_mentions(scope, rules)]
    day_spans = [(d.start, d.end) for d in days]
    measures = []
    for count in counts:
        if any(m.start <= count.start < m.end and not m.nested for m in found):
            continue
        if any(s <= count.start < e for s, e in day_spans):
            continue
        noun = counted_noun(text, count, rules, found)
        measures.append(
            MeasureMention(
                sentence.index, count.value, count.unit, noun, count.qualifier, count.surface, "measure.count"
            )
        )
    return found, measures


BRACKETED_ALIAS = PATTERNS.need("bracketed_alias")
BRACKETED_ALIAS_MARKER = PATTERNS.need("bracketed_alias_marker")
LIST_NAME = PATTERNS.need("list_name")
TITLE_VERB = PATTERNS.need("title_verb")
LIST_CUES = WORDS.need("list_cues")


def _with_bracketed_alias(text: str, mention: Mention, rules: Rules) -> Mention:
    """世界工程组织联合会（WFEO）, 中国科学技术协会（以下简称“中国科协”）: the bracket names it too."""
    match = rules.pattern(BRACKETED_ALIAS).match(text, mention.end)
    if not match or mention.nested:
        return mention
    alias = match.group(1).strip()
    chinese = not alias.isascii()
    if chinese and not rules.pattern(BRACKETED_ALIAS_MARKER).match(match.group()):
        return mention  # (园区), (科技组织): a remark, not another name
    return replace(mention, alt_labels=(*mention.alt_labels, alias))


def _attach_measures(measures: list[MeasureMention], scope: ArticleScope) -> list[MeasureMention]:
    """Give each measure its list-item event, and a left-out noun from the previous count (8种进入…)."""
    attached: list[MeasureMention] = []
    last_noun_by_unit: dict[tuple[tuple[int, int | None], str | None], str] = {}
    for measure in measures:
        sentence = scope.sentences[measure.sentence]
        block = (sentence.block, sentence.item)
        counts = measure.counts
        if not counts:
            counts = last_noun_by_unit.get((block, measure.unit), "")
        if not counts:
            continue
        last_noun_by_unit[(block, measure.unit)] = counts
        owner = scope.items.get(sentence.item) if sentence.item is not None else None
        attached.append(
            MeasureMention(
                measure.sentence,
                measure.value,
                measure.unit,
                counts,
                measure.qualifier,
                measure.surface,
                measure.rule,
                owner=owner,
            )
        )
    return attached


def _item_events(article: Article, sentences: tuple[Sentence, ...]) -> dict[int, Mention]:
    items = {}
    for sentence in sentences:
        if sentence.block <= -2 and sentence.item is not None:
            rank = article.items[sentence.item].rank
            heading = strip_wrapping(sentence.text)
            items[sentence.item] = Mention(
                sentence.index, 0, len(sentence.text), heading, "Event", "list.item", rank=rank
            )
    return items


def _list_event(scope: ArticleScope) -> Mention | None:
    """The event a ranked list is: the title's or lead's event named like a list (十大事件, 榜单 …),
    else the title itself when it names a list (2021年全国科普日五大亮点)."""
    if not scope.items:
        return None
    cues = scope.rules.words(LIST_CUES)
    lead = [s for s in scope.sentences if s.item is None]
    for sentence in lead:
        for mention in scope.in_sentence(sentence.index, "Event", nested=False):
            if any(cue in mention.surface for cue in cues):
                return mention
    title = scope.sentences[0]
    name = scope.rules.pattern(TITLE_VERB).sub("", strip_wrapping(title.text))
    if scope.rules.pattern(LIST_NAME).search(name):
        return Mention(title.index, 0, len(name), strip_wrapping(name), "Event", "list.title")
    return None


def _publishers(article: Article, rules: Rules) -> list[Mention]:
    """The signing departments as Organization mentions; a bare department takes the body of the
    one before it (中国科协调研宣传部、信息中心 → 中国科协信息中心)."""
    found: list[Mention] = []
    for name in article.publishers:
        text = nfkc(name)
        entry = rules.lookup(text)
        if entry is not None and entry.cls == "Organization":
            found.append(
                Mention(
                    SIGNATURE,
                    0,
                    len(text),
                    text,
                    "Organization",
                    "signature",
                    key=entry.id,
                    label=entry.label,
                )
            )
            continue
        scope = SentenceScope(text, SIGNATURE, rules)
        mentions = find_mentions(scope, rules)
        whole = [m for m in mentions if m.cls == "Organization" and m.end == len(text)]
        named = any(m.start == 0 and m.cls in ("Place", "Organization") for m in mentions) or whole
        # 信息中心 after 中国科协调研宣传部 is CAST's; 江西省科学技术协会 after a CAST department is not
        parent = whole[0].parent if whole and whole[0].parent else None if named else _parent_of(found, rules)
        found.append(Mention(SIGNATURE, 0, len(text), text, "Organization", "signature", parent=parent))
    return found


def _parent_of(previous: list[Mention], rules: Rules) -> str | None:
    for mention in reversed(previous):
        entry = rules.gazetteer.get(mention.key) if mention.key else None
        if entry and entry.part_of:
            return rules.gazetteer[entry.part_of].label
        if mention.parent:
            return mention.parent
    return None


def _owner(publishers: list[Mention], rules: Rules) -> Mention | None:
    """The body whose bulletin this is: the top of the first signer's chain of parents."""
    if not publishers:
        return None
    first = publishers[0]
    entry = rules.gazetteer.get(first.key) if first.key else None
    if entry is None and first.parent:
        entry = rules.lookup(first.parent)
        if entry is None:
            return Mention(SIGNATURE, 0, len(first.parent), first.parent, "Organization", "signature")
    if entry is None:
        return first
    while entry.part_of:
        entry = rules.gazetteer[entry.part_of]
    return Mention(
        SIGNATURE,
        0,
        len(entry.label),
        entry.label,
        "Organization",
        "signature",
        key=entry.id,
        label=entry.label,
    )
