"""Where: location (EVENT在PLACE举办, 在PLACE召开EVENT, a place inside the event's name), in the most
specific division a chain of places names; a curated body written right after a place (北京中国科技馆)
is located there."""

from __future__ import annotations

from collections.abc import Sequence

from castkg.extract.bodies import LOCAL_BODIES, is_bare_local_body
from castkg.extract.relations.common import (
    OfPredicate,
    WithVerbs,
    ceremonies_of,
    event_before,
    finder,
    label_of,
    object_after,
)
from castkg.extract.scope import ArticleScope
from castkg.extract.text import clause_bounds
from castkg.model import Mention, Relation, Sentence
from castkg.registry import RULE_PREDICATE, WORDS
from castkg.rules import CITY, GazetteerEntry, Rule

VENUE_PREPOSITIONS = WORDS.need("venue_prepositions")
VENUE_HEADS = WORDS.need("venue_heads")
VENUE_PLACE_HEADS = WORDS.need("venue_place_heads")
DIVISION_SUFFIXES = WORDS.need("division_suffixes")
OPENING_VERBS = WORDS.need("opening_verbs")
CLOSING_VERBS = WORDS.need("closing_verbs")
OPENING_SESSIONS = WORDS.need("opening_sessions")
CLOSING_SESSIONS = WORDS.need("closing_sessions")
VISIT_TURNS = WORDS.need("visit_turns")
VENUE_LONGEST = 20
"""The longest venue (在…举行) read as one: a longer stretch is a clause, not a venue."""


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
            chain = _place_chain(place, places)
            tail = text[chain[-1].end : chain[-1].end + 12]
            verb = next((v for v in verbs if v in tail), None)
            clause_start, _ = clause_bounds(text, place.start)
            if verb is None or clause_bounds(text, chain[-1].end + tail.index(verb))[0] != clause_start:
                continue
            verb_end = chain[-1].end + tail.index(verb) + len(verb)
            event = _event_held_at(scope, sentence, clause_start, place.start, verb_end)
            for held in scope.coordinated(event) if event is not None else ():
                for where in _most_specific(scope, chain):
                    found.append(
                        Relation(held, rule.settings.predicate, rule.id, sentence.index, object=where)
                    )
                    found.extend(
                        Relation(
                            session,
                            rule.settings.predicate,
                            f"{rule.id}.session",
                            sentence.index,
                            object=where,
                        )
                        for session in _ceremonies_there(scope, held, verb)
                    )
    located = {label_of(r.subject) for r in found}
    found.extend(_at_dateline_place(scope, rule, located))
    located = {label_of(r.subject) for r in found}
    found.extend(_at_located_venue(scope, rule, located))
    located = {label_of(r.subject) for r in found}
    for sentence in scope.sentences:
        for event in scope.in_sentence(sentence.index, "Event", nested=False):
            if label_of(event) in located:
                continue
            for place in _places_in_name(scope, sentence, event):
                found.append(
                    Relation(
                        event, rule.settings.predicate, f"{rule.id}.in-name", sentence.index, object=place
                    )
                )
    return found


def _places_in_name(scope: ArticleScope, sentence: Sentence, event: Mention) -> list[Mention]:
    """The places inside an event's name (哈尔滨首届…大赛, …北京主场活动), else the place opening a
    local body inside it (2017年厦门市科协年会 → 厦门); in a visit's name, only those after what it
    turns on (某省科协代表团访问|香港某学会: the visitors' home is no place of the visit)."""
    turn = scope.rules.words(VISIT_TURNS).pattern.search(sentence.text, event.start, event.end)
    start = turn.end() if turn else event.start
    inside = [
        place
        for place in scope.in_sentence(sentence.index, "Place", nested=True)
        if start <= place.start
        and place.end <= event.end
        and (place.start, place.end) != (event.start, event.end)
    ]
    if inside:
        return inside
    bodies = [
        body
        for body in scope.in_sentence(sentence.index, "Organization", nested=True)
        if start <= body.start and body.end <= event.end
    ]
    opened = (_known_place_opening(scope, body) for body in bodies)
    return [place for place in opened if place is not None][:1]


def _ceremonies_there(scope: ArticleScope, event: Mention, verb: str) -> list[Mention]:
    """The opening (closing) ceremonies of an event said to open (close) somewhere: held there."""
    if verb in scope.rules.words(OPENING_VERBS):
        return ceremonies_of(scope, event, OPENING_SESSIONS)
    if verb in scope.rules.words(CLOSING_VERBS):
        return ceremonies_of(scope, event, CLOSING_SESSIONS)
    return []


def _at_dateline_place(scope: ArticleScope, rule: Rule[WithVerbs], located: set[str]) -> list[Relation]:
    """An event held at a venue that is no place (在市科协举行, 在会展中心开幕) is in the place the
    article's dateline names (人民网天津7月14日电)."""
    place = scope.dateline_place
    if place is None:
        return []
    heads = scope.rules.words(VENUE_HEADS).words
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        places = scope.in_sentence(sentence.index, "Place", nested=False)
        for preposition in scope.rules.words(VENUE_PREPOSITIONS).pattern.finditer(text):
            clause_start, clause_end = clause_bounds(text, preposition.start())
            tail = text[preposition.end() : min(clause_end, preposition.end() + VENUE_LONGEST)]
            at = min((tail.find(v) for v in rule.settings.verbs if v in tail), default=-1)
            venue = tail[:at].strip()
            if at <= 0 or not venue.endswith(heads):
                continue
            if any(preposition.start() < p.end and p.start < preposition.end() + at for p in places):
                continue  # the venue names a place: the rule above reads it
            verb_end = preposition.end() + at
            event = event_before(scope, sentence, clause_start, preposition.start()) or next(
                (
                    m
                    for m in scope.in_sentence(sentence.index, "Event", nested=False)
                    if verb_end <= m.start <= verb_end + 4 and m.end <= clause_end
                ),
                None,
            )
            if event is None or label_of(event) in located:
                continue
            found.append(
                Relation(event, rule.settings.predicate, f"{rule.id}.dateline", sentence.index, object=place)
            )
    return found


def _event_held_at(
    scope: ArticleScope, sentence: Sentence, clause_start: int, venue: int, verb_end: int
) -> Mention | None:
    """The event a clause holds at the venue starting at ``venue`` (after its preposition): named
    before it (EVENT在PLACE举办) or right after the verb ending at ``verb_end`` (在PLACE召开EVENT)."""
    return event_before(scope, sentence, clause_start, venue - 1) or object_after(
        scope, sentence, verb_end, ("Event",)
    )


def _at_located_venue(scope: ArticleScope, rule: Rule[WithVerbs], located: set[str]) -> list[Relation]:
    """An event held at a body whose name opens with a place the article names (在泰安市第一中学
    举办…活动, after 泰安市科协) is in that place."""
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        for body in scope.in_sentence(sentence.index, "Organization", nested=False):
            if body.start == 0 or text[body.start - 1] not in scope.rules.words(VENUE_PREPOSITIONS):
                continue
            clause_start, clause_end = clause_bounds(text, body.start)
            tail = text[body.end : min(clause_end, body.end + 6)]
            verb = next((v for v in rule.settings.verbs if v in tail), None)
            place = _known_place_opening(scope, body)
            if verb is None or place is None or not _named(scope, place):
                continue
            verb_end = body.end + tail.index(verb) + len(verb)
            event = _event_held_at(scope, sentence, clause_start, body.start, verb_end)
            if event is None or label_of(event) in located:
                continue
            found.append(
                Relation(event, rule.settings.predicate, f"{rule.id}.venue", sentence.index, object=place)
            )
    return found


@finder("place_before_body", settings=OfPredicate, emits=(RULE_PREDICATE,))
def place_before_body(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """A curated body written right after a place, with nothing between (北京中国科技馆, a venue
    after its city), is in that place."""
    found = []
    for sentence in scope.sentences:
        places = {p.end: p for p in scope.in_sentence(sentence.index, "Place", nested=False)}
        for body in scope.in_sentence(sentence.index, "Organization", nested=False):
            place = places.get(body.start)
            if body.key is not None and place is not None:
                found.append(Relation(body, rule.settings.predicate, rule.id, sentence.index, object=place))
    return found


def _place_chain(first: Mention, places: Sequence[Mention]) -> list[Mention]:
    """新疆维吾尔自治区乌鲁木齐市: the places written one after another from ``first``."""
    chain = [first]
    for place in sorted(places, key=lambda m: m.start):
        if place.start == chain[-1].end:
            chain.append(place)
    return chain


def _most_specific(scope: ArticleScope, chain: list[Mention]) -> list[Mention]:
    """The most specific division of a chain of places: 新疆维吾尔自治区乌鲁木齐市 → 乌鲁木齐,
    贵州省遵义市湄潭县 → 湄潭, 离石区信义镇严村 → 严村 (of two at one level, the later: a chain runs
    from the larger to the smaller); a curated venue after its city (北京人民大会堂) leaves the city;
    a venue named by its kind (青岛国际会议中心) is kept beside its city."""
    named = [p for p in chain if _named_venue(scope, p)]
    rest = [p for p in chain if p not in named]
    divisions = [p for p in rest if not _venue(scope, p)] or rest
    ranked = sorted(enumerate(divisions), key=lambda at: (_level(scope, at[1]), at[0]))
    return ([ranked[-1][1]] if ranked else []) + named


def _venue(scope: ArticleScope, place: Mention) -> bool:
    """A curated place inside a city (人民大会堂, a development zone): where, not which division (a
    county, 滑县 or 义乌市, is a division: one of its names ends in a division's suffix)."""
    entry = scope.rules.gazetteer.get(place.key) if place.key else None
    if entry is None or entry.within is None or _level(scope, place) <= CITY:
        return False
    return not any(name.endswith(scope.rules.words(DIVISION_SUFFIXES).words) for name in entry.aliases)


def _named_venue(scope: ArticleScope, place: Mention) -> bool:
    """A venue no gazetteer knows, named by the kind of place it is (青岛国际会议中心, 某大酒店)."""
    return place.key is None and label_of(place).endswith(scope.rules.words(VENUE_PLACE_HEADS).words)


def _level(scope: ArticleScope, place: Mention) -> int:
    """0 a country, 1 a province, 2 a city (a municipality too), 3 within a city (derived from the
    gazetteer when the rules load); a county found by pattern after its city counts as 3."""
    return scope.rules.place_levels.get(place.key, CITY + 1) if place.key else CITY + 1


# --- issue 8c: a body's place from its name -------------------------------------------------------


@finder("body_place", settings=OfPredicate, emits=(RULE_PREDICATE,))
def body_place(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """A body whose name opens with a place is located there (潢川县科协 → 潢川, 河南省科协 → 河南);
    a department's place is its body's (河南省科协调研宣传部: 河南省科协 → 河南); a body named inside an
    event's name too (第七届黑龙江省科协学术年会: 黑龙江省科协 → 黑龙江)."""
    found = []
    for sentence in scope.sentences:
        places = scope.in_sentence(sentence.index, "Place", nested=True)
        for body in scope.in_sentence(sentence.index, "Organization"):  # in an event's name too
            place = next((p for p in places if p.start == body.start and p.end < body.end), None)
            if place is not None:  # 湖南省|宜章县|科协: the last of the places its name chains
                inside = [p for p in places if p.end < body.end]
                place = _place_chain(place, inside)[-1]
            if place is None:
                opening = _known_place_opening(scope, body)
                # a body outside other names is located only in a place the article names itself
                # (outside names, or opening another body's), or in the last of places its name
                # chains (上海|杨浦区|科协, 江苏|无锡市|科协)
                chained = _chained_place_opening(scope, body, opening)
                if chained is not None:
                    place = chained
                elif opening is not None and (body.nested or _named(scope, opening)):
                    place = opening
            if place is None:
                continue
            located = body
            if body.parent and body.surface.startswith(body.parent) and body.parent != body.surface:
                located = Mention(
                    body.sentence,
                    body.start,
                    body.start + len(body.parent),
                    body.parent,
                    "Organization",
                    rule.id,
                    nested=True,
                )
            found.append(Relation(located, rule.settings.predicate, rule.id, sentence.index, object=place))
    return found


def _named(scope: ArticleScope, place: Mention) -> bool:
    """Does the article name ``place`` itself: outside other names, or opening a body's name?"""
    return place.key in scope.named_keys or place.key in scope.body_place_keys


def _chained_place_opening(scope: ArticleScope, body: Mention, first: Mention | None) -> Mention | None:
    """The second of two curated places a local body's name opens with, the first holding it
    (上海杨浦区科协 → 杨浦, 江苏无锡市科协 → 无锡); None when the name opens with one place or none,
    or goes on with no local body (天津南开医院: 南开 is the hospital's name)."""
    name, rules = body.surface, scope.rules
    if first is None or not name.startswith(first.surface):
        return None
    start = len(first.surface)
    for end in range(len(name) - 2, start + 1, -1):
        entry = rules.lookup(name[start:end])
        local = is_bare_local_body(name[end - 1 :], rules) or name[end:] in rules.words(LOCAL_BODIES)
        lower = entry is not None and rules.place_levels.get(entry.id, 0) > rules.place_levels.get(
            first.key or "", 0
        )
        if local and entry is not None and entry.cls == "Place" and lower:
            return _place_in_name(body, start, end, entry)
    return None


def _known_place_opening(scope: ArticleScope, body: Mention) -> Mention | None:
    """The curated place a body's name opens with, where no mention holds it (a curated body,
    澳门某协会, or one named inside an event's name: 第七届黑龙江省科协学术年会 holds 黑龙江省科协,
    whose 黑龙江省 no matcher kept), or the full name a bare one stands for (市科协 for 邓州市科协).
    Not a country: 中国科协 is a national body, not one located in a place."""
    name = body.label if body.label and body.label.endswith(body.surface) else body.surface
    for end in range(len(name) - 2, 1, -1):
        entry = scope.rules.lookup(name[:end])
        if entry is not None and entry.cls == "Place" and scope.rules.place_levels.get(entry.id, 0) > 0:
            return _place_in_name(body, 0, end, entry, surface=name[:end])
    return None


def _place_in_name(
    body: Mention, start: int, end: int, entry: GazetteerEntry, surface: str | None = None
) -> Mention:
    """The curated place written at ``start:end`` of a body's name, as a mention nested in it."""
    return Mention(
        body.sentence,
        body.start + start,
        body.start + end,
        surface if surface is not None else body.surface[start:end],
        "Place",
        body.rule,
        key=entry.id,
        label=entry.label,
        nested=True,
    )
