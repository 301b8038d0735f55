"""Facts between the mentions of one article, by the relation rules of relations.yaml.

Each rule kind is a finder registered by name in ``FINDERS``: a plain function from the
article's mentions (an :class:`ArticleScope`) and the rule to the relations it supports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from castkg.extract.text import CLAUSE_MARKS, LEADING_NUMBERING, DaySpan, clause_bounds, find_days, year_in
from castkg.model import Article, Mention, PositionMention, Relation, Sentence
from castkg.registry import FINDERS, PATTERNS, RULE_PREDICATE, WORDS
from castkg.rules import ClassName, GazetteerEntry, Predicate, Rule, Rules, WordList, name_key

SIGNATURE = -1


@dataclass
class ArticleScope:
    """One article's sentences and mentions, and what the relation finders share."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: dict[int, list[Mention]]
    """Mentions by sentence index (list-item events excluded)."""
    rules: Rules
    owner: Mention | None = None
    """The body whose bulletin this is (contract: "Who did it")."""
    list_event: Mention | None = None
    items: dict[int, Mention] = field(default_factory=dict)
    """Ranked-list item index → its event mention."""

    def in_sentence(self, index: int, *classes: str, nested: bool | None = None) -> list[Mention]:
        """Mentions of a sentence, optionally of some classes and nesting."""
        return [
            m
            for m in self.mentions.get(index, ())
            if (not classes or m.cls in classes) and (nested is None or m.nested == nested)
        ]

    def all_mentions(self) -> Iterator[Mention]:
        """Every mention of the article, in reading order."""
        for index in sorted(self.mentions):
            yield from self.mentions[index]


Finding = Relation | PositionMention
Finder = Callable[[ArticleScope, Rule[Any]], Sequence[Finding]]
finder = FINDERS.register


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
class SubjectVerb:
    """Settings of ``subject_verb``: SUBJECT + a verb + OBJECT states OBJECT ``predicate`` SUBJECT."""

    predicate: Predicate
    verbs: WordList
    subject: tuple[ClassName, ...]
    """Classes of the actor before the verb."""
    object: tuple[ClassName, ...]
    """Classes of the thing after the verb (the fact's subject)."""


@dataclass(frozen=True)
class OfObject:
    """Settings of a kind that states ``predicate`` of things of the ``object`` classes."""

    predicate: Predicate
    object: tuple[ClassName, ...]


@dataclass(frozen=True)
class VerbsOfObject:
    """Settings of a kind that states ``predicate`` of ``object`` things, cued by one of ``verbs``."""

    predicate: Predicate
    verbs: WordList
    object: tuple[ClassName, ...]


@dataclass(frozen=True)
class PassiveActor:
    """Settings of ``passive_actor``: 由ACTOR + one of ``verbs`` (+ 的 + THING of the ``object`` classes)."""

    predicate: Predicate
    verbs: WordList
    object: tuple[ClassName, ...] = (ClassName("Event"),)


@dataclass(frozen=True)
class NoSettings:
    """Settings of a kind that states fixed properties and takes none."""


COORDINATORS = WORDS.need("coordinators")
CONTINUATIONS = WORDS.need("continuations")
BEFORE_OBJECT = WORDS.need("before_object")
PASSIVE_MARKERS = WORDS.need("passive_markers")
POSSESSIVE = WORDS.need("possessive_particles")
HOST_CLAUSE_OPENERS = WORDS.need("host_clause_openers")
VENUE_PREPOSITIONS = WORDS.need("venue_prepositions")
MUNICIPALITY_SUFFIXES = WORDS.need("municipality_suffixes")
FUTURE_MARKERS = WORDS.need("future_markers")
PAST_VERBS = WORDS.need("past_verbs")
OPENING_VERBS = WORDS.need("opening_verbs")
CLOSING_VERBS = WORDS.need("closing_verbs")
SAME_DAY_WORDS = WORDS.need("same_day_words")
EVENT_ANAPHORA = WORDS.need("event_anaphora")
DAY_ANAPHORA = WORDS.need("day_anaphora")
DURING_CUES = WORDS.need("during_cues")
SUB_FORUM_HEADS = WORDS.need("sub_forum_heads")
HELD_VERBS = WORDS.need("held_verbs")
ORGANIZE_VERBS = WORDS.need("organize_verbs")
LOCATION_VERBS = WORDS.need("location_verbs")
ROLES = WORDS.need("roles")
POST_JOINERS = WORDS.need("post_joiners")
ELECTED_LINKS = WORDS.need("elected_links")
PASSIVE_TAIL = PATTERNS.need("passive_tail", fills=("verbs",))
HOSTS_CLOSE_CLAUSE = PATTERNS.need("hosts_close_clause", fills=("verbs",))
UNNAMED_LAST_HOST = PATTERNS.need("unnamed_last_host", groups=("name",), fills=("verbs",))
VENUE_GAP = PATTERNS.need("venue_gap")
HELD_MANNER = PATTERNS.need("held_manner")


def coordinated(scope: ArticleScope, mention: Mention) -> list[Mention]:
    """``mention`` and the mentions of its class joined to it by 、 和 与 及 联合 (A、B和C)."""
    text = scope.sentences[mention.sentence].text
    peers = sorted(
        scope.in_sentence(mention.sentence, mention.cls, nested=mention.nested), key=lambda m: m.start
    )
    group = [mention]
    for direction in (-1, 1):
        current = mention
        while True:
            if direction < 0:
                nxt = next(
                    (
                        p
                        for p in reversed(peers)
                        if p.end <= current.start and _separates(scope, text[p.end : current.start])
                    ),
                    None,
                )
            else:
                nxt = next(
                    (
                        p
                        for p in peers
                        if p.start >= current.end and _separates(scope, text[current.end : p.start])
                    ),
                    None,
                )
            if nxt is None:
                break
            group.append(nxt)
            current = nxt
    return sorted(group, key=lambda m: m.start)


def _separates(scope: ArticleScope, between: str) -> bool:
    """Is ``between`` a coordinator, after an optional bracketed alias (联盟（ANSO）与中国科协)?"""
    return re.sub(r"^[(（][^()（）]{1,30}[)）]", "", between) in scope.rules.words(COORDINATORS)


def _previous_clause_actor(scope: ArticleScope, sentence: Sentence, clause_start: int) -> list[Mention]:
    """In a clause that goes on from the one before (…，并启动…), the actors of that one."""
    rest = sentence.text[clause_start:]
    if clause_start == 0 or not rest.startswith(scope.rules.words(CONTINUATIONS).words):
        return []
    previous_start, _ = clause_bounds(sentence.text, clause_start - 1)
    actors = [
        m
        for m in scope.in_sentence(sentence.index, "Organization", nested=False)
        if previous_start <= m.start <= previous_start + 2
    ]
    return coordinated(scope, actors[0]) if actors else []


def _verb_positions(text: str, verbs: WordList) -> Iterator[tuple[int, int]]:
    for match in verbs.pattern.finditer(text):
        yield match.start(), match.end()


def _object_after(
    scope: ArticleScope, sentence: Sentence, position: int, classes: Sequence[str]
) -> Mention | None:
    for mention in scope.in_sentence(sentence.index, *classes, nested=False):
        gap = sentence.text[position : mention.start]
        if (
            mention.start >= position
            and len(gap) <= 1
            and (gap == "" or gap in scope.rules.words(BEFORE_OBJECT))
        ):
            return mention
    return None


def _organised_by_name(scope: ArticleScope, mention: Mention) -> Mention | None:
    """The body whose name opens ``mention``'s name (中共中央政治局会议, 第22届中国科协年会)."""
    text = scope.sentences[mention.sentence].text[mention.start : mention.end]
    lead = scope.rules.pattern(LEADING_NUMBERING).match(text)
    offset = mention.start + (lead.end() if lead else 0)
    for inner in scope.in_sentence(mention.sentence, "Organization", nested=True):
        if inner.start in (offset, offset + 1) and inner.end < mention.end:
            return inner
    return _body_in_label(scope, mention)


def _body_in_label(scope: ArticleScope, mention: Mention) -> Mention | None:
    """A curated body whose name opens a templated label (科协“十大” → 中国科协第十次全国代表大会)."""
    if not mention.label or mention.label == mention.surface:
        return None
    label = scope.rules.pattern(LEADING_NUMBERING).sub("", mention.label)
    named = {m.key for m in scope.all_mentions() if not m.nested and m.key} | (
        {scope.owner.key} if scope.owner and scope.owner.key else set()
    )
    for end in range(len(label) - 1, 1, -1):
        entry = scope.rules.lookup(label[:end])
        if entry is not None and entry.cls == "Organization" and entry.id in named:
            return Mention(
                mention.sentence,
                mention.start,
                mention.start,
                entry.label,
                "Organization",
                "label",
                key=entry.id,
                label=entry.label,
                nested=True,
            )
    return None


@finder("subject_verb", settings=SubjectVerb, emits=(RULE_PREDICATE,))
def subject_verb(scope: ArticleScope, rule: Rule[SubjectVerb]) -> list[Relation]:
    """ORG + verb + THING: 中国科协召开…会议, 中国科协第一时间启动…机制."""
    found = []
    for sentence in scope.sentences:
        for start, end in _verb_positions(sentence.text, rule.settings.verbs):
            thing = _object_after(scope, sentence, end, rule.settings.object)
            if thing is None:
                continue
            clause_start, _ = clause_bounds(sentence.text, start)
            subjects = [
                m
                for m in scope.in_sentence(sentence.index, *rule.settings.subject, nested=False)
                if clause_start <= m.start and m.end <= start and start - m.end <= 6
            ]
            actors = (
                coordinated(scope, subjects[-1])
                if subjects
                else _previous_clause_actor(scope, sentence, clause_start)
            )
            for actor in actors:
                found.append(Relation(thing, rule.settings.predicate, rule.id, sentence.index, object=actor))
    return found


@finder(
    "passive_actor",
    settings=PassiveActor,
    emits=(RULE_PREDICATE,),
    patterns=(PASSIVE_TAIL, HOSTS_CLOSE_CLAUSE, UNNAMED_LAST_HOST),
)
def passive_actor(scope: ArticleScope, rule: Rule[PassiveActor]) -> list[Relation]:
    """由ORG、ORG等(共同)主办: the sentence's (or paragraph's) event; 由ORG实施的THING: that thing."""
    classes = rule.settings.object
    tail_pattern = rule.pattern(PASSIVE_TAIL)
    found = []
    if "Event" in classes:
        found += _hosts_at_clause_end(scope, rule)
    for sentence in scope.sentences:
        text = sentence.text
        for match in scope.rules.words(PASSIVE_MARKERS).pattern.finditer(text):
            bodies = [
                m
                for m in scope.in_sentence(sentence.index, "Organization", nested=False)
                if m.start == match.end()
            ]
            if not bodies:
                continue
            group = _with_unnamed_last(sentence, coordinated(scope, bodies[0]), rule)
            tail = tail_pattern.match(text[group[-1].end :])
            if not tail:
                continue
            after = group[-1].end + tail.end()
            thing = _object_after(scope, sentence, after, classes) if tail.group(1) else None
            if thing is None and not tail.group(1):  # 由中国科协主办、浙江省科协承办的第二届…论坛
                _, clause_end = clause_bounds(text, after)
                of = scope.rules.words(POSSESSIVE).pattern.search(text, after, clause_end)
                thing = _object_after(scope, sentence, of.end(), classes) if of else None
            if thing is None and not tail.group(1) and "Event" in classes:
                thing = _meeting_for(scope, sentence, before=match.start())
            if thing is None:
                continue
            for body in group:
                found.append(Relation(thing, rule.settings.predicate, rule.id, sentence.index, object=body))
    return found


def _with_unnamed_last(sentence: Sentence, group: list[Mention], rule: Rule[PassiveActor]) -> list[Mention]:
    """A list of hosts whose last one no rule knows (…中国科学院和欧莱雅中国共同主办): that one is a
    body too, named by its place in the list."""
    match = rule.pattern(UNNAMED_LAST_HOST).match(sentence.text[group[-1].end :])
    if not match:
        return group
    start = group[-1].end + match.start("name")
    name = match["name"]
    return [*group, Mention(sentence.index, start, start + len(name), name, "Organization", rule.id)]


def _hosts_at_clause_end(scope: ArticleScope, rule: Rule[PassiveActor]) -> list[Relation]:
    """…，中国茶叶学会、贵州省科协和遵义市人民政府共同主办。: bodies that close a clause with 主办 hold
    the sentence's (or paragraph's) event."""
    found = []
    tail_pattern = rule.pattern(HOSTS_CLOSE_CLAUSE)
    openers = scope.rules.words(HOST_CLAUSE_OPENERS)
    for sentence in scope.sentences:
        text = sentence.text
        for body in scope.in_sentence(sentence.index, "Organization", nested=False):
            group = coordinated(scope, body)
            if body is not group[0]:
                continue
            group = _with_unnamed_last(sentence, group, rule)
            clause_start, _ = clause_bounds(text, body.start)
            tail = tail_pattern.match(text[group[-1].end :])
            opening = text[clause_start : body.start].strip()
            if not tail or not (opening == "" or opening in openers):
                continue
            event = _meeting_for(scope, sentence, before=body.start)
            if event is None:
                continue
            for host in group:
                found.append(Relation(event, rule.settings.predicate, rule.id, sentence.index, object=host))
    return found


@finder("name_prefix", settings=OfObject, emits=(RULE_PREDICATE,))
def name_prefix(scope: ArticleScope, rule: Rule[OfObject]) -> list[Relation]:
    """A body whose name opens the thing's name: 世界卫生组织新冠论文数据库 → 世界卫生组织."""
    found = []
    for mention in scope.all_mentions():
        if mention.cls in rule.settings.object:
            body = _organised_by_name(scope, mention)
            if body is not None:
                found.append(
                    Relation(mention, rule.settings.predicate, rule.id, mention.sentence, object=body)
                )
    return found


@finder("unstated_actor", settings=VerbsOfObject, emits=(RULE_PREDICATE,))
def unstated_actor(scope: ArticleScope, rule: Rule[VerbsOfObject]) -> list[Relation]:
    """Verb + THING, or THING(在PLACE)举办, with no actor in its clause: the bulletin's body did it
    (contract, "Who did it"). Dropped later where the article names the actor elsewhere."""
    if scope.owner is None:
        return []
    found = []
    for sentence in scope.sentences:
        for start, end in _verb_positions(sentence.text, rule.settings.verbs):
            clause_start, _ = clause_bounds(sentence.text, start)
            thing = _object_after(scope, sentence, end, rule.settings.object) or _event_before(
                scope, sentence, clause_start, start, allow_place=True
            )
            if (
                thing is None
                or thing.cls not in rule.settings.object
                or _organised_by_name(scope, thing) is not None
            ):
                continue
            actors = [
                m
                for m in scope.in_sentence(sentence.index, "Organization", "Person", nested=False)
                if clause_start <= m.start and m.end <= start
            ]
            if not actors and not _previous_clause_actor(scope, sentence, clause_start):
                found.append(
                    Relation(thing, rule.settings.predicate, rule.id, sentence.index, object=scope.owner)
                )
    return found


@finder("list_owner", settings=OfPredicate, emits=(RULE_PREDICATE,))
def list_owner(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """A ranked list in a body's bulletin is that body's."""
    if scope.owner is None or scope.list_event is None:
        return []
    return [
        Relation(
            scope.list_event, rule.settings.predicate, rule.id, scope.list_event.sentence, object=scope.owner
        )
    ]


@finder("chair", settings=WithVerbs, emits=(RULE_PREDICATE,))
def chair(scope: ArticleScope, rule: Rule[WithVerbs]) -> list[Relation]:
    """PERSON主持: the person presides over the sentence's meeting, else the paragraph's first one."""
    found = []
    for sentence in scope.sentences:
        for start, _ in _verb_positions(sentence.text, rule.settings.verbs):
            people = [m for m in scope.in_sentence(sentence.index, "Person") if 0 <= start - m.end <= 2]
            event = _meeting_for(scope, sentence)
            if people and event is not None:
                found.append(
                    Relation(event, rule.settings.predicate, rule.id, sentence.index, object=people[-1])
                )
    return found


def _meeting_for(scope: ArticleScope, sentence: Sentence, before: int | None = None) -> Mention | None:
    """The event a sentence speaks of: one it names (before ``before``), else its paragraph's first."""
    same = [
        m
        for m in scope.in_sentence(sentence.index, "Event", nested=False)
        if before is None or m.end <= before
    ]
    if same:
        return same[0]
    earlier = [s for s in scope.sentences if s.block == sentence.block and s.index < sentence.index]
    for other in earlier:
        events = scope.in_sentence(other.index, "Event", nested=False)
        if events:
            return events[0]
    return None


@finder("location", settings=WithVerbs, emits=(RULE_PREDICATE,))
def location(scope: ArticleScope, rule: Rule[WithVerbs]) -> list[Relation]:
    """EVENT在PLACE举办, 在PLACE召开EVENT, and a place inside the event's name (…北京主场活动)."""
    verbs = rule.settings.verbs
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        places = scope.in_sentence(sentence.index, "Place", nested=False)
        for place in places:
            if place.start == 0 or text[place.start - 1] not in scope.rules.words(VENUE_PREPOSITIONS):
                continue
            chain = _place_chain(scope, place, places)
            tail = text[chain[-1].end : chain[-1].end + 12]
            verb = next((v for v in verbs if v in tail), None)
            clause_start, clause_end = clause_bounds(text, place.start)
            if verb is None or clause_bounds(text, chain[-1].end + tail.index(verb))[0] != clause_start:
                continue
            verb_end = chain[-1].end + tail.index(verb) + len(verb)
            event = _event_before(scope, sentence, clause_start, place.start - 1) or next(
                (
                    m
                    for m in scope.in_sentence(sentence.index, "Event", nested=False)
                    if verb_end <= m.start <= verb_end + 1 and m.end <= clause_end
                ),
                None,
            )
            for held in coordinated(scope, event) if event is not None else ():
                for where in _most_specific(scope, chain):
                    found.append(
                        Relation(held, rule.settings.predicate, rule.id, sentence.index, object=where)
                    )
    located = {_label(r.subject) for r in found}
    for sentence in scope.sentences:
        for event in scope.in_sentence(sentence.index, "Event", nested=False):
            if _label(event) in located:
                continue
            for place in scope.in_sentence(sentence.index, "Place", nested=True):
                if event.start < place.start and place.end <= event.end:
                    found.append(
                        Relation(
                            event, rule.settings.predicate, f"{rule.id}.in-name", sentence.index, object=place
                        )
                    )
    return found


def _label(mention: Mention) -> str:
    return mention.label or mention.surface


def _place_chain(scope: ArticleScope, first: Mention, places: list[Mention]) -> list[Mention]:
    """新疆维吾尔自治区乌鲁木齐市: the places written one after another from ``first``."""
    chain = [first]
    for place in sorted(places, key=lambda m: m.start):
        if place.start == chain[-1].end:
            chain.append(place)
    return chain


def _most_specific(scope: ArticleScope, chain: list[Mention]) -> list[Mention]:
    """The most specific division of a chain of places: 新疆维吾尔自治区乌鲁木齐市 → 乌鲁木齐,
    贵州省遵义市湄潭县 → 湄潭; a venue after its city (北京人民大会堂) leaves the city."""
    divisions = [p for p in chain if not _venue(scope, p)] or chain
    return [max(divisions, key=lambda p: _level(scope, p))]


def _venue(scope: ArticleScope, place: Mention) -> bool:
    """A curated place inside a city (人民大会堂, a development zone): where, not which division."""
    entry = scope.rules.gazetteer.get(place.key) if place.key else None
    return entry is not None and entry.within is not None and _level(scope, place) > CITY


CITY = 2


def _level(scope: ArticleScope, place: Mention) -> int:
    """0 a country, 1 a province, 2 a city (a municipality too), 3 within a city; a county found
    by pattern after its city counts as 3."""
    gazetteer = scope.rules.gazetteer
    entry = gazetteer.get(place.key) if place.key else None
    if entry is None:
        return CITY + 1
    level = 0
    while entry.within:
        if _municipality(gazetteer, entry, scope.rules.words(MUNICIPALITY_SUFFIXES)):
            return CITY + level
        level, entry = level + 1, gazetteer[entry.within]
    return level


def _municipality(gazetteer: Mapping[str, GazetteerEntry], entry: GazetteerEntry, suffixes: WordList) -> bool:
    """北京, 上海, 天津, 重庆: provincial in rank, a city in the text."""
    parent = gazetteer.get(entry.within) if entry.within else None
    return (
        parent is not None
        and parent.within is None
        and any(a.endswith(suffixes.words) for a in entry.aliases)
    )


def _event_before(
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


@finder("event_date", settings=NoSettings, emits=("startDate", "endDate"))
def event_date(scope: ArticleScope, rule: Rule[NoSettings]) -> list[Relation]:
    """A stated day gives the start and end of the event it introduces (1月29日,…召开…会议); an
    opening day only the start, a closing day only the end."""
    list_event = scope.list_event
    list_year = year_in(list_event.label or list_event.surface, scope.rules) if list_event else None
    words = scope.rules.words
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        future = any(w in text for w in words(FUTURE_MARKERS))
        past = not future and any(v in text for v in words(PAST_VERBS))
        for day in [*find_days(text, scope.rules), *_same_days(text, scope)]:
            event = _event_of_day(scope, sentence, day.start, day.end)
            if event is None:
                continue
            dates = day.resolve(scope.article.date, list_year if sentence.item is not None else None, past)
            if dates is None:
                continue
            _, clause_end = clause_bounds(text, max(event.end, day.end))
            clause = text[max(event.end, day.end) : clause_end]
            ranged = day.end_day is not None
            opens = not ranged and any(v in clause for v in words(OPENING_VERBS))
            closes = not ranged and any(v in clause for v in words(CLOSING_VERBS))
            stated = (
                [("startDate", dates[0])]
                if opens
                else [("endDate", dates[1])]
                if closes
                else [("startDate", dates[0]), ("endDate", dates[1])]
            )
            for held in coordinated(scope, event):
                for predicate, value in stated:
                    found.append(
                        Relation(
                            held, predicate, rule.id, sentence.index, value=value.isoformat(), datatype="date"
                        )
                    )
    return found


def _same_days(text: str, scope: ArticleScope) -> list[DaySpan]:
    """当天, 同日 …: the article's own date, where it has one."""
    date = scope.article.date
    if date is None:
        return []
    found = []
    for word in scope.rules.words(SAME_DAY_WORDS):
        for match in re.finditer(re.escape(word), text):
            found.append(
                DaySpan(match.start(), match.end(), date.year, date.month, date.day, None, None, None)
            )
    return found


def _event_of_day(scope: ArticleScope, sentence: Sentence, start: int, end: int) -> Mention | None:
    text = sentence.text
    events = [m for m in scope.in_sentence(sentence.index, "Event", nested=False)]
    clause_start, clause_end = clause_bounds(text, start)
    opens_sentence = end < len(text) and text[end] in CLAUSE_MARKS and clause_start == 0
    following = [m for m in events if m.start >= end and (m.end <= clause_end or opens_sentence)]
    if following:
        nearest = following[0]
        other_days = [d for d in find_days(text, scope.rules) if end <= d.start < nearest.start]
        return None if other_days else nearest
    preceding = [m for m in events if clause_start <= m.start and m.end <= start]
    if preceding:
        return preceding[-1]
    anaphoric = text.startswith(scope.rules.words(EVENT_ANAPHORA).words) or scope.rules.words(
        DAY_ANAPHORA
    ).pattern.search(text[:start])
    if not events and anaphoric:
        return _meeting_for(scope, sentence)  # 本届大赛…于8月19日至23日举行
    return None


@finder("during", settings=OfPredicate, emits=(RULE_PREDICATE,))
def during(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """An event held during another is part of it: 大会期间举办的…博览会, 年会期间还举办了…对接会,
    and a 分论坛 of the meeting its paragraph tells of."""
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        events = scope.in_sentence(sentence.index, "Event", nested=False)
        cue = scope.rules.words(DURING_CUES).pattern.search(text)
        for event in events:
            label = event.label or event.surface
            sub_forum = label.endswith(scope.rules.words(SUB_FORUM_HEADS).words)
            if not (sub_forum or (cue and event.start >= cue.end())):
                continue
            explicit = [e for e in events if cue and e.end <= cue.start() and e is not event]
            anchor = cue.start() if cue and event.start >= cue.end() else event.start
            host = explicit[-1] if explicit else _meeting_for(scope, sentence, before=anchor)
            if host is None or host is event:
                host = _meeting_of_article(scope, event)
            if host is not None and host is not event and (host.label or host.surface) != label:
                found.append(Relation(event, rule.settings.predicate, rule.id, sentence.index, object=host))
    return found


def _meeting_of_article(scope: ArticleScope, event: Mention) -> Mention | None:
    """The article's first event that is held (dated or located), other than ``event``."""
    held = scope.rules.words(HELD_VERBS)
    for sentence in scope.sentences:
        for other in scope.in_sentence(sentence.index, "Event", nested=False):
            if other is not event and (
                find_days(sentence.text, scope.rules) or any(v in sentence.text for v in held)
            ):
                return other
    return None


@finder("name_part", settings=OfPredicate, emits=(RULE_PREDICATE,))
def name_part(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """An event named after a larger one it belongs to: 2021年全国科普日北京主场活动 → 2021年全国科普日."""
    events = [m for m in scope.all_mentions() if m.cls == "Event" and not m.nested]
    names = {(m.label or m.surface): m for m in events}
    found = []
    for event in events:
        label = event.label or event.surface
        for whole, parent in names.items():
            if len(whole) >= 6 and label != whole and label.startswith(whole):
                found.append(Relation(event, rule.settings.predicate, rule.id, event.sentence, object=parent))
    return found


@finder("sub_organization", settings=OfPredicate, emits=(RULE_PREDICATE,))
def sub_organization(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """A department named after its body: 中国科协联合国咨商专委会 → 中国科协."""
    found = []
    standalone = {name_key(_label(m)) for m in scope.all_mentions() if not m.nested} | (
        {name_key(_label(scope.owner))} if scope.owner else set()
    )
    for mention in scope.all_mentions():
        if mention.cls == "Organization" and mention.parent and name_key(mention.parent) in standalone:
            parent = Mention(
                mention.sentence,
                mention.start,
                mention.start + len(mention.parent),
                mention.parent,
                "Organization",
                rule.id,
                key=_key(scope.rules, mention.parent),
                nested=True,
            )
            found.append(Relation(mention, rule.settings.predicate, rule.id, mention.sentence, object=parent))
    return found


def _key(rules: Rules, name: str) -> str | None:
    entry = rules.lookup(name)
    return entry.id if entry else None


@finder("list_item", settings=OfPredicate, emits=(RULE_PREDICATE, "rank"))
def list_item(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """Each item of a ranked list is part of the list's event and has its rank."""
    found = []
    for item in scope.items.values():
        if scope.list_event is not None:
            found.append(
                Relation(item, rule.settings.predicate, rule.id, item.sentence, object=scope.list_event)
            )
        found.append(Relation(item, "rank", rule.id, item.sentence, value=str(item.rank), datatype="integer"))
    return found


@finder("involves_item", settings=OfPredicate, emits=(RULE_PREDICATE,))
def involves_item(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """An item of a ranked list involves every entity its heading and body name."""
    found = []
    for index, item in scope.items.items():
        for sentence in scope.sentences:
            if sentence.item != index:
                continue
            for mention in scope.in_sentence(sentence.index):
                found.append(Relation(item, rule.settings.predicate, rule.id, sentence.index, object=mention))
    return found


@finder("involves_sentence", settings=OfPredicate, emits=(RULE_PREDICATE,))
def involves_sentence(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """Any other event involves the entities named in the sentences that describe it: its own
    sentence, the rest of its paragraph, and later paragraphs that speak of it (会议指出…)."""
    anaphora = scope.rules.words(EVENT_ANAPHORA).words
    happening = scope.rules.words(ORGANIZE_VERBS).words + scope.rules.words(LOCATION_VERBS).words
    found: list[Relation] = []
    topic, topic_block = None, None
    for sentence in scope.sentences:
        if sentence.block < 0:
            continue
        mentions = scope.in_sentence(sentence.index)
        events = [m for m in mentions if m.cls == "Event" and not m.nested]
        dated = bool(find_days(sentence.text, scope.rules))
        told = [e for e in events if dated or _told(sentence.text, e, happening)]
        held = bool(told)
        for event in told:  # a sentence that tells of a meeting held, not one that names it in passing
            found.extend(
                Relation(event, rule.settings.predicate, rule.id, sentence.index, object=other)
                for other in mentions
                if other is not event and other not in events
            )
        continues = sentence.block == topic_block or sentence.text.startswith(anaphora)
        if events and not (topic is not None and continues and topic in events):
            if held and (not continues or topic is None):
                topic, topic_block = events[0], sentence.block  # a meeting held, not an epidemic named
            elif not continues:
                topic, topic_block = None, None
            continue
        if topic is not None and continues:
            topic_block = sentence.block
            found.extend(
                Relation(topic, rule.settings.predicate, rule.id, sentence.index, object=other)
                for other in mentions
                if other is not topic
            )
    return found


def _told(text: str, event: Mention, verbs: tuple[str, ...]) -> bool:
    """Is ``event`` the thing the sentence reports on: 召开/举办 right before it, or 在…举办/开幕 after it?"""
    before = text[max(0, event.start - 4) : event.start]
    after = text[event.end : event.end + 14]
    clause_end = min((after.find(m) for m in CLAUSE_MARKS if m in after), default=len(after))
    return any(before.endswith(v) for v in verbs) or any(v in after[:clause_end] for v in verbs)


@finder("position", settings=NoSettings, emits=("holds",))
def position(scope: ArticleScope, rule: Rule[NoSettings]) -> list[PositionMention]:
    """People named with their posts (ckg:holds a ckg:Position): see :func:`find_positions`."""
    return find_positions(scope, rule.id)


def find_positions(scope: ArticleScope, rule_id: str) -> list[PositionMention]:
    """ORG + post(s) + PERSON: 中国科协党组书记怀进鹏; 中国科协党组书记、常务副主席张玉卓; a later body
    takes the posts after it (中国工程院院士、四川大学教授李言荣)."""
    found: list[PositionMention] = []
    for sentence in scope.sentences:
        orgs = scope.in_sentence(sentence.index, "Organization", nested=False)
        people = scope.in_sentence(sentence.index, "Person")
        for person in people:
            for org in orgs:
                posts = _posts_between(scope, sentence, org, person, orgs, people)
                if posts:
                    found.extend(
                        PositionMention(sentence.index, person, body, post, rule_id) for body, post in posts
                    )
                    break  # the first body that opens the run of posts
            found.extend(_elected(scope, sentence, person, orgs, scope.rules.words(ROLES).words, rule_id))
    return found


def _posts_between(
    scope: ArticleScope,
    sentence: Sentence,
    org: Mention,
    person: Mention,
    orgs: list[Mention],
    people: list[Mention],
) -> list[tuple[Mention, str]]:
    """The (body, post) pairs written from ``org`` to ``person``: segments ``[BODY]POST`` joined by
    、和及兼; empty unless every segment is a post."""
    text, roles = sentence.text, scope.rules.words(ROLES).words
    if org.end > person.start or person.start - org.end > 40:
        return []
    start = org.end
    others = [p for p in people if org.end <= p.start and p.end <= person.start and p is not person]
    if others:  # 中国科协副主席束为，党组成员、书记处书记王进展: the body is said once for both
        start = others[-1].end
        joiners = scope.rules.words(COORDINATORS)
        while start < person.start and (text[start] in ",， " or text[start] in joiners):
            start += 1
    posts, body, position = [], org, start
    post_joiners = scope.rules.words(POST_JOINERS)
    for segment in _split_keeping(post_joiners.pattern, text[start : person.start]):
        if segment in post_joiners:
            position += len(segment)
            continue
        inner = next((o for o in orgs if o.start == position and o.end < position + len(segment)), None)
        title = segment[inner.end - position :] if inner else segment
        body = inner or body
        if not title or len(title) > 10 or any(c in CLAUSE_MARKS for c in title):
            return []  # posts are short; a clause between the body and the name joins nothing
        posts.append((body, title))
        position += len(segment)
    if not posts:
        return []
    first_body, first_titles = _lift_to_parent(scope, posts[0][0], [posts[0][1]], roles)  # 党组|成员
    posts[0] = (first_body, first_titles[0])
    posts = [(first_body if b is posts[0][0] or b is org else b, t) for b, t in posts]
    return posts if all(_is_post(title, roles) for _, title in posts) else []


def _split_keeping(separator: re.Pattern[str], text: str) -> list[str]:
    """``text`` cut at each match of ``separator``, the separators kept between the pieces
    (``re.split`` with a capturing group)."""
    pieces, start = [], 0
    for match in separator.finditer(text):
        pieces += [text[start : match.start()], match.group()]
        start = match.end()
    return [*pieces, text[start:]]


def _is_post(title: str, roles: tuple[str, ...]) -> bool:
    """A post, maybe with a short qualifier (名誉主席, 驻会副主席); 与中国气象局党组成员 is none."""
    role = next((r for r in roles if title.endswith(r)), None)
    return role is not None and len(title) - len(role) <= 2


def _elected(
    scope: ArticleScope,
    sentence: Sentence,
    person: Mention,
    orgs: list[Mention],
    roles: tuple[str, ...],
    rule_id: str,
) -> list[PositionMention]:
    """PERSON为/当选/担任 ORG + post: 选举万钢为中国科协第十届全国委员会主席."""
    text = sentence.text
    link = scope.rules.words(ELECTED_LINKS).pattern.match(text, person.end)
    if not link:
        return []
    start = link.end()
    body = next((o for o in orgs if o.start == start), None)
    if body is None:
        return []
    role = next((r for r in roles if text.startswith(r, body.end)), None)
    if role is None:
        return []
    entry = scope.rules.gazetteer.get(body.key) if body.key else None
    if body.parent and not entry:  # 中国科协第十届全国委员会主席 is a post of 中国科协
        parent = scope.rules.lookup(body.parent)
        body = Mention(
            body.sentence,
            body.start,
            body.start + len(body.parent),
            body.parent,
            "Organization",
            body.rule,
            key=parent.id if parent else None,
            label=parent.label if parent else None,
            nested=True,
        )
    return [PositionMention(sentence.index, person, body, role, rule_id)]


def _lift_to_parent(
    scope: ArticleScope, org: Mention, titles: list[str], roles: tuple[str, ...]
) -> tuple[Mention, list[str]]:
    """中国科协党组 + 书记 is a post of 中国科协: 党组书记."""
    entry = scope.rules.gazetteer.get(org.key) if org.key else None
    parent_name = org.parent or (
        scope.rules.gazetteer[entry.part_of].label if entry and entry.part_of else None
    )
    if not parent_name or not titles:
        return org, titles
    parent_entry = scope.rules.lookup(parent_name)
    names = [org.surface] + ([entry.label] if entry else [])
    for name in names:
        for prefix in (parent_name, *(parent_entry.all_names if parent_entry else ())):
            if name.startswith(prefix) and name != prefix:
                tail = name[len(prefix) :]
                if tail + titles[0] in roles and not any(titles[0].endswith(r) for r in roles if len(r) > 2):
                    parent = Mention(
                        org.sentence,
                        org.start,
                        org.start + len(prefix),
                        prefix,
                        "Organization",
                        org.rule,
                        key=parent_entry.id if parent_entry else None,
                        label=parent_entry.label if parent_entry else None,
                        nested=True,
                    )
                    return parent, [tail + titles[0], *titles[1:]]
    return org, titles
