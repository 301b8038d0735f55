"""The article as the relation finders see it: a frozen :class:`ArticleScope`, built once by
:func:`article_scope` with the indexes the finders share (mentions by sentence, class and
nesting; the groups of names joined by coordinators; the days each sentence states).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from castkg.extract.mentions import strip_wrapping
from castkg.extract.text import DaySpan, find_days
from castkg.model import Article, Mention, Sentence
from castkg.registry import PATTERNS, WORDS
from castkg.rules import Rules

SIGNATURE = -1
"""The sentence index of what the signature names (the signing departments, the bulletin's body)."""
DATELINE = -1
"""The sentence index of what the dateline names (its place): no sentence of the text."""
COORDINATORS = WORDS.need("coordinators")
LIST_CUES = WORDS.need("list_cues")
LIST_NAME = PATTERNS.need("list_name")
NOTICE_HEADINGS = WORDS.need("notice_headings")
TITLE_VERB = PATTERNS.need("title_verb")

BRACKETED_REMARK = re.compile(r"^[(（][^()（）]{1,30}[)）]")
"""An alias in brackets between two coordinated names (联盟（ANSO）与中国科协)."""
BRACKETED_REMARK_LONGEST = 32
QUOTE_MARKS = '“”‘’「」『』"'


@dataclass(frozen=True)
class ArticleScope:
    """One article's sentences and mentions, and what the relation finders share. Frozen: every
    index is built once, by :func:`article_scope`."""

    article: Article
    sentences: tuple[Sentence, ...]
    rules: Rules
    owner: Mention | None = None
    """The body whose bulletin this is (contract: "Who did it")."""
    items: Mapping[int, Mention] = field(default_factory=dict)
    """Ranked-list item index → its event mention."""
    list_event: Mention | None = None
    """The event a ranked list is (十大事件), when the article is one."""
    by_sentence: Mapping[int, tuple[Mention, ...]] = field(default_factory=dict, repr=False)
    """Mentions by sentence index, in reading order (list-item events excluded)."""
    by_class: Mapping[tuple[int, str, bool | None], tuple[Mention, ...]] = field(
        default_factory=dict, repr=False
    )
    """Mentions by (sentence, class, nested or None for either)."""
    groups: Mapping[Mention, tuple[Mention, ...]] = field(default_factory=dict, repr=False)
    """Each mention's coordination group: the names of its class joined to it by coordinators."""
    days: tuple[tuple[DaySpan, ...], ...] = ()
    """The days each sentence states (1月29日, 8月10—15日 …), by sentence index."""
    blocks: Mapping[int, tuple[Sentence, ...]] = field(default_factory=dict, repr=False)
    """Sentences by block (paragraph), in reading order."""
    dateline_place: Mention | None = None
    """The place the article's dateline names (新华社北京…电 → 北京), when it is a known place."""
    named_keys: frozenset[str] = frozenset()
    """Gazetteer ids of the bodies and things the article names outside other names, and its owner's."""
    body_place_keys: frozenset[str] = frozenset()
    """Gazetteer ids of the places written inside a body's or an event's name (泰安|市科协, 2025年
    黄石市|“3·5”学雷锋纪念日): named by the article too."""
    signers: tuple[Mention, ...] = ()
    """The bodies that sign the article (its 供稿/来源 line or its closing departments)."""

    def in_sentence(self, index: int, *classes: str, nested: bool | None = None) -> Sequence[Mention]:
        """Mentions of a sentence, optionally of some classes and nesting, in reading order."""
        if len(classes) == 1:
            return self.by_class.get((index, classes[0], nested), ())
        if not classes and nested is None:
            return self.by_sentence.get(index, ())
        return tuple(
            m
            for m in self.by_sentence.get(index, ())
            if (not classes or m.cls in classes) and (nested is None or m.nested == nested)
        )

    def all_mentions(self) -> Iterator[Mention]:
        """Every mention of the article, in reading order."""
        for index in sorted(self.by_sentence):
            yield from self.by_sentence[index]

    def coordinated(self, mention: Mention) -> tuple[Mention, ...]:
        """``mention`` and the mentions of its class (and nesting) joined to it by coordinators
        (A、B和C, 中国科协联合财政部), in reading order."""
        return self.groups[mention]

    def earlier_in_block(self, sentence: Sentence) -> Iterator[Sentence]:
        """The sentences of ``sentence``'s paragraph before it."""
        return (s for s in self.blocks.get(sentence.block, ()) if s.index < sentence.index)


def article_scope(
    article: Article,
    sentences: tuple[Sentence, ...],
    mentions: Mapping[int, Sequence[Mention]],
    rules: Rules,
    owner: Mention | None,
    dateline_place: Mention | None = None,
    signers: Sequence[Mention] = (),
) -> ArticleScope:
    """The scope of one article (its mentions by sentence, the body whose bulletin it is): the
    events of its ranked list and every index, built here, once."""
    by_sentence = {index: tuple(found) for index, found in mentions.items()}
    by_class: dict[tuple[int, str, bool | None], list[Mention]] = defaultdict(list)
    for index, found in by_sentence.items():
        for mention in found:
            by_class[(index, mention.cls, None)].append(mention)
            by_class[(index, mention.cls, mention.nested)].append(mention)
    groups: dict[Mention, tuple[Mention, ...]] = {}
    coordinators = rules.words(COORDINATORS)
    longest = BRACKETED_REMARK_LONGEST + max((len(w) for w in coordinators), default=0)
    for (index, _, nested), peers in by_class.items():
        if nested is not None:
            groups.update(_groups(sentences[index].text, peers, coordinators.words, longest))
    blocks: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        blocks[sentence.block].append(sentence)
    named = {m.key for found in by_sentence.values() for m in found if not m.nested and m.key}
    named.update(m.key for m in (owner, dateline_place) if m is not None and m.key)
    body_places = {
        place.key
        for found in by_sentence.values()
        for place in found
        if place.cls == "Place"
        and place.nested
        and place.key
        and any(
            b.cls in ("Organization", "Event") and b.start <= place.start and place.end < b.end for b in found
        )
    }
    indexed = {key: tuple(found) for key, found in by_class.items()}
    items = _item_events(article, sentences, rules)
    if _is_roster(items, by_sentence):
        items = {}
    return ArticleScope(
        article=article,
        sentences=sentences,
        rules=rules,
        owner=owner,
        dateline_place=dateline_place,
        items=MappingProxyType(items),
        list_event=_list_event(sentences, indexed, items, rules),
        by_sentence=MappingProxyType(by_sentence),
        by_class=MappingProxyType(indexed),
        groups=MappingProxyType(groups),
        days=tuple(tuple(find_days(s.text, rules)) for s in sentences),
        blocks=MappingProxyType({block: tuple(found) for block, found in blocks.items()}),
        named_keys=frozenset(named),
        body_place_keys=frozenset(body_places),
        signers=tuple(signers),
    )


def separates(between: str, coordinators: Iterable[str]) -> bool:
    """Is ``between`` a coordinator, after an optional bracketed alias (联盟（ANSO）与中国科协) and
    between quote marks (“科技工作者之家”、“青少年创客之家”)?"""
    return BRACKETED_REMARK.sub("", between).strip(QUOTE_MARKS) in coordinators


def _groups(
    text: str, mentions: Sequence[Mention], coordinators: tuple[str, ...], longest: int
) -> dict[Mention, tuple[Mention, ...]]:
    """The coordination group of each of ``mentions`` (one sentence, one class and nesting).

    From each name, the next one to its right is the first after it whose gap is a coordinator
    (maybe after a bracketed alias), the next to its left the last before it so joined; a group is
    the name and the chains of its neighbours both ways. Names of one class and nesting never
    overlap, so a gap grows with the distance and the search stops once it is longer than any
    coordinator: one pass over the sentence, not one per name.
    """
    peers = sorted(mentions, key=lambda m: m.start)
    if any(b.start < a.end for a, b in zip(peers, peers[1:], strict=False)):
        return {m: _chained(text, m, peers, coordinators) for m in peers}  # never seen: kept exact
    right: list[int | None] = [None] * len(peers)
    left: list[int | None] = [None] * len(peers)
    for i, mention in enumerate(peers):
        for j in range(i + 1, len(peers)):
            if peers[j].start - mention.end > longest:
                break
            if separates(text[mention.end : peers[j].start], coordinators):
                right[i] = j
                break
        for j in range(i - 1, -1, -1):
            if mention.start - peers[j].end > longest:
                break
            if separates(text[peers[j].end : mention.start], coordinators):
                left[i] = j
                break
    mutual = all(r is None or left[r] == i for i, r in enumerate(right)) and all(
        lt is None or right[lt] == i for i, lt in enumerate(left)
    )
    if not mutual:  # chains that branch: follow them from each name, as the definition says
        return {m: _follow(peers, i, left, right) for i, m in enumerate(peers)}
    groups: dict[Mention, tuple[Mention, ...]] = {}
    for i in range(len(peers)):
        if left[i] is None:  # the head of a chain: the group of every name on it
            chain, at = [i], right[i]
            while at is not None:
                chain.append(at)
                at = right[at]
            group = tuple(peers[k] for k in chain)
            groups.update((m, group) for m in group)
    return groups


def _follow(
    peers: Sequence[Mention], i: int, left: list[int | None], right: list[int | None]
) -> tuple[Mention, ...]:
    chain = [i]
    for links in (left, right):
        at = links[i]
        while at is not None:
            chain.append(at)
            at = links[at]
    return tuple(peers[k] for k in sorted(chain, key=lambda k: peers[k].start))


def _chained(
    text: str, mention: Mention, peers: Sequence[Mention], coordinators: tuple[str, ...]
) -> tuple[Mention, ...]:
    """The group of ``mention`` by the definition, scanning every peer at every step."""
    group = [mention]
    for direction in (-1, 1):
        current = mention
        while True:
            if direction < 0:
                ordered: Iterable[Mention] = reversed(peers)
                nxt = next(
                    (
                        p
                        for p in ordered
                        if p.end <= current.start and separates(text[p.end : current.start], coordinators)
                    ),
                    None,
                )
            else:
                nxt = next(
                    (
                        p
                        for p in peers
                        if p.start >= current.end and separates(text[current.end : p.start], coordinators)
                    ),
                    None,
                )
            if nxt is None:
                break
            group.append(nxt)
            current = nxt
    return tuple(sorted(group, key=lambda m: m.start))


def _item_events(article: Article, sentences: tuple[Sentence, ...], rules: Rules) -> dict[int, Mention]:
    """Each ranked-list item's event, named by its heading (not a notice's section: 一、会议时间)."""
    items = {}
    for sentence in sentences:
        if sentence.block <= -2 and sentence.item is not None:
            rank = article.items[sentence.item].rank
            heading = strip_wrapping(sentence.text)
            if heading.rstrip(":：") in rules.words(NOTICE_HEADINGS):
                continue  # 一、会议时间: a notice's section
            items[sentence.item] = Mention(
                sentence.index, 0, len(sentence.text), heading, "Event", "list.item", rank=rank
            )
    return items


TRAILING_REMARK = re.compile(r"[(（][^()（）]{1,30}[)）]$")


def _is_roster(items: Mapping[int, Mention], by_sentence: Mapping[int, Sequence[Mention]]) -> bool:
    """Whether a ranked list names bodies, people or places, not news: most of its headings are
    each one such name whole (a notice's 名单 of designated units: 1.某县图书馆), so that its items
    are no events."""
    named = 0
    for item in items.values():
        heading = TRAILING_REMARK.sub("", item.surface)
        if any(
            m.cls in ("Organization", "Person", "Place") and m.surface == heading
            for m in by_sentence.get(item.sentence, ())
        ):
            named += 1
    return named * 2 > len(items)


def _list_event(
    sentences: tuple[Sentence, ...],
    by_class: Mapping[tuple[int, str, bool | None], tuple[Mention, ...]],
    items: Mapping[int, Mention],
    rules: Rules,
) -> Mention | None:
    """The event a ranked list is: the title's or lead's event named like a list (十大事件, 榜单 …),
    else the title itself when it names a list (2021年全国科普日五大亮点)."""
    if not items:
        return None
    cues = rules.words(LIST_CUES)
    lead = [s for s in sentences if s.item is None]
    for sentence in lead:
        for mention in by_class.get((sentence.index, "Event", False), ()):
            if any(cue in mention.surface for cue in cues):
                return mention
    title = sentences[0]
    name = rules.pattern(TITLE_VERB).sub("", strip_wrapping(title.text))
    if rules.pattern(LIST_NAME).search(name):
        return Mention(title.index, 0, len(name), strip_wrapping(name), "Event", "list.title")
    return None
