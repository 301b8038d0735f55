"""Stage 3, extract: one article + the rules → its mentions, relations, measures and posts.

A pure function of its inputs: no I/O, no state kept between articles. Identity across
articles is the next stage's work (:mod:`castkg.resolve`). Mentions are found sentence by
sentence (:mod:`.mentions`, :mod:`.measures`); the article is then frozen into an
:class:`~castkg.extract.scope.ArticleScope` for the relation finders (:mod:`.relations`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from castkg.extract.bodies import name_bare_bodies
from castkg.extract.measures import clause_predicate, counted_noun, find_counts, people_activity
from castkg.extract.mentions import find_mentions, sentence_scope
from castkg.extract.people import name_short_people
from castkg.extract.relations import find_relations
from castkg.extract.repeats import find_repeats
from castkg.extract.scope import DATELINE, ArticleScope, article_scope
from castkg.extract.sessions import refer_back
from castkg.extract.signature import owner_of, publishers
from castkg.extract.text import TITLE_BLOCK, find_days, nfkc, split_sentences
from castkg.model import Article, Extraction, MeasureMention, Mention, Sentence
from castkg.registry import PATTERNS, WORDS
from castkg.rules import Rules
from castkg.script import written_form

log = logging.getLogger(__name__)

__all__ = ["extract", "scope_of"]

BRACKETED_ALIAS = PATTERNS.need("bracketed_alias")
BRACKETED_ALIAS_MARKER = PATTERNS.need("bracketed_alias_marker")
OUTLET_TAILS = WORDS.need("outlet_tails")


def extract(article: Article, rules: Rules) -> Extraction:
    """Everything ``article``'s text states that the rules can read."""
    scope, signers, counted = _read(article, rules)
    measures = _attach_measures(counted, scope)
    # a bulletin-body guess that the article contradicts is dropped by resolve, per entity
    relations, positions = find_relations(scope, rules)
    every = [m for s in scope.sentences for m in scope.by_sentence[s.index]] + list(scope.items.values())
    if scope.list_event is not None and scope.list_event.rule == "list.title":
        every.append(scope.list_event)
    if scope.dateline_place is not None:
        every.append(scope.dateline_place)  # the dateline is news text: its place is named
    agency = _dateline_agency(article, rules)
    if agency is not None:
        every.append(agency)  # and so is the curated agency that filed it (新华社)
    log.debug(
        "%s: %d mentions, %d relations, %d measures", article.key, len(every), len(relations), len(measures)
    )
    return Extraction(
        article=article,
        sentences=scope.sentences,
        mentions=tuple(every),
        relations=tuple(relations),
        measures=tuple(measures),
        positions=tuple(positions),
        publishers=tuple(signers),
        owner=scope.owner,
        list_event=scope.list_event,
    )


def scope_of(article: Article, rules: Rules) -> ArticleScope:
    """The article as the relation finders read it: its sentences and their mentions, the body
    whose bulletin it is, its ranked list, frozen with their indexes."""
    return _read(article, rules)[0]


def _read(article: Article, rules: Rules) -> tuple[ArticleScope, list[Mention], list[_Counted]]:
    sentences = split_sentences(article)
    mentions: dict[int, list[Mention]] = {}
    measures: list[_Counted] = []
    title_repeats_body = _title_repeats_body(sentences)
    for sentence in sentences:
        found, counts = _sentence_mentions(sentence, rules)
        mentions[sentence.index] = found
        if not (title_repeats_body and sentence.block == TITLE_BLOCK):
            measures.extend(counts)
    signers = publishers(article, rules)
    dateline_place = _dateline_place(article, rules)
    mentions = refer_back(find_repeats(mentions, sentences), rules)
    mentions = name_short_people(name_bare_bodies(mentions, rules, dateline_place))
    scope = article_scope(
        article, sentences, mentions, rules, owner_of(signers, rules), dateline_place, signers
    )
    return scope, signers, measures


def _title_repeats_body(sentences: tuple[Sentence, ...]) -> bool:
    """Whether the title is the first body sentence itself (a page with no title line): its numbers
    are then stated once, by the body."""
    return len(sentences) > 1 and sentences[1].original.startswith(sentences[0].original)


def _dateline_place(article: Article, rules: Rules) -> Mention | None:
    """The known place the article's dateline names (北京 in 新华社北京5月30日电; 京 stands for it
    too), else the place below the country a local outlet filing it is named after (邓州网讯)."""
    if article.dateline is None:
        return None
    if article.dateline.place:
        return _curated_in_dateline(article.dateline.place, "Place", rules)
    agency = nfkc(article.dateline.agency or "")
    tail = next((t for t in rules.words(OUTLET_TAILS).words if agency.endswith(t)), None)
    if tail is None:
        return None
    place = _curated_in_dateline(agency[: -len(tail)], "Place", rules)
    local = place is not None and rules.place_levels.get(place.key or "", 0) > 0
    return place if local else None


def _dateline_agency(article: Article, rules: Rules) -> Mention | None:
    """The curated body whose dateline the article carries (新华社 in 新华社北京5月30日电)."""
    written = article.dateline.agency if article.dateline else None
    return _curated_in_dateline(written, "Organization", rules)


def _curated_in_dateline(written: str | None, cls: str, rules: Rules) -> Mention | None:
    """A name the dateline writes, as a mention of the gazetteer's entry of class ``cls``, if any."""
    if not written:
        return None
    text = nfkc(written)
    entry = rules.lookup(rules.place_abbreviations.get(text, text) if cls == "Place" else text)
    if entry is None or entry.cls != cls:
        return None
    return Mention(DATELINE, 0, len(text), text, cls, "dateline", key=entry.id, label=entry.label)


@dataclass(frozen=True)
class _Counted:
    """A measure as its sentence gives it, with what its clause says of it (for a count that has
    no noun: used when no earlier count lends one)."""

    measure: MeasureMention
    predicate: str
    predicate_written: str | None


def _sentence_mentions(sentence: Sentence, rules: Rules) -> tuple[list[Mention], list[_Counted]]:
    text = sentence.text
    counts = find_counts(text, rules)
    days = find_days(text, rules)
    scope = sentence_scope(
        text,
        sentence.index,
        rules,
        stops={d.end for d in days} | {c.end for c in counts},
        counts_end={c.end for c in counts},
        title=sentence.block == TITLE_BLOCK,
    )
    found = [
        _as_written(sentence, _with_bracketed_alias(text, m, rules)) for m in find_mentions(scope, rules)
    ]
    day_spans = [(d.start, d.end) for d in days]
    measures = []
    for count in counts:
        if any(m.start <= count.start < m.end and not m.nested for m in found):
            continue
        if any(s <= count.start < e for s, e in day_spans):
            continue
        noun = counted_noun(text, count, rules, found, {c.start for c in counts if c is not count})
        predicate = "" if noun else clause_predicate(text, count, rules)
        measure = MeasureMention(
            sentence.index,
            count.value,
            count.unit,
            noun,
            count.qualifier,
            count.surface,
            "measure.count",
            counts_written=written_form(sentence.source, text, noun, count.end),
            activity=people_activity(text, count, rules) if noun else "",
        )
        measures.append(
            _Counted(measure, predicate, written_form(sentence.source, text, predicate, count.end))
        )
    return found, measures


def _as_written(sentence: Sentence, mention: Mention) -> Mention:
    """The mention with its name as the sentence wrote it, when the sentence was converted."""
    written = written_form(sentence.source, sentence.text, mention.surface, mention.start)
    return replace(mention, written=written) if written else mention


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


def _attach_measures(counted: list[_Counted], scope: ArticleScope) -> list[MeasureMention]:
    """Give each measure its list-item event, and a left-out noun from the previous count (8种进入…),
    else what its clause says of it (近千人参加了此次活动)."""
    attached: list[MeasureMention] = []
    last_noun_by_unit: dict[tuple[tuple[int, int | None], str | None], tuple[str, str | None]] = {}
    for found in counted:
        measure = found.measure
        sentence = scope.sentences[measure.sentence]
        block = (sentence.block, sentence.item)
        counts, written = measure.counts, measure.counts_written
        if not counts:
            counts, written = last_noun_by_unit.get((block, measure.unit), ("", None))
        elif measure.counts:
            last_noun_by_unit[(block, measure.unit)] = counts, written
        if not counts:  # a predicate is what this count is said to do, lent to no other count
            counts, written = found.predicate, found.predicate_written
        if not counts:
            continue
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
                counts_written=written,
                activity=measure.activity,
            )
        )
    return attached
