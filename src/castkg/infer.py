"""Stage 4b, infer: one file's resolved facts → the facts that follow from them, by the rules of
``ontology/rules/inferences.yaml``.

Each rule kind is a plain function registered by name in ``castkg.registry.INFERENCES`` with the
frozen dataclass of its settings: from the facts of one article (entity keys, not mentions, so
that every mention of a session counts as the same session) and the rule to the facts it adds.
An inferred fact keeps the evidence of the fact it follows from and names its own rule, so a
query can tell it from a stated one. Nothing here reads files or keeps state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from castkg.model import EntityKey, Fact
from castkg.registry import INFERENCES, RULE_PREDICATE
from castkg.rules import CITY, Predicate, RelationRuleId, Rule, Rules, WordList

__all__ = ["infer"]

inference = INFERENCES.register
"""``@inference(kind, settings=…, emits=…)``: register a function as the inference of a rule kind."""


def infer(facts: Sequence[Fact], rules: Rules) -> list[Fact]:
    """``facts`` and, after them, what each inference rule draws from them, article by article, in
    rule order (a rule sees the facts the rules before it drew)."""
    by_article: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_article[fact.article].append(fact)
    drawn: list[Fact] = []
    for article_facts in by_article.values():
        known = list(article_facts)
        for rule in rules.inference_rules:
            new = _unstated(INFERENCES[rule.kind].function(known, rule, rules), known)
            known += new
            drawn += new
    return [*facts, *drawn]


def _unstated(candidates: Iterable[Fact], known: Sequence[Fact]) -> list[Fact]:
    """The candidates no known fact states already, each once."""
    seen = {(f.subject, f.predicate, f.object, f.value) for f in known}
    kept = []
    for fact in candidates:
        identity = (fact.subject, fact.predicate, fact.object, fact.value)
        if identity not in seen:
            seen.add(identity)
            kept.append(fact)
    return kept


@dataclass(frozen=True)
class ThroughPart:
    """Settings of ``through_part``: what the whole takes on from its parts."""

    predicate: Predicate
    """The property stated of the whole."""
    carries: tuple[Predicate, ...]
    """The parts' properties whose objects the whole takes."""
    except_parts_by: tuple[RelationRuleId, ...] = ()
    """Relation rules whose ckg:partOf is not followed (a ranked list's items are no sessions)."""
    unless_stated: bool = False
    """Only for a whole of which the article states no ``predicate`` of its own."""


@inference("through_part", settings=ThroughPart, emits=(RULE_PREDICATE,))
def through_part(facts: Sequence[Fact], rule: Rule[ThroughPart], rules: Rules) -> list[Fact]:
    """A whole takes on what its parts, and their parts, are told of: 总决赛 involves A → the
    大赛 it is part of involves A."""
    settings = rule.settings
    wholes = _wholes(facts, settings.except_parts_by)
    stated = {f.subject for f in facts if f.predicate == settings.predicate}
    # what the whole is already told of, by the property or by one it carries (an organizer is
    # not also a co-occurrence)
    told = {(f.subject, f.object) for f in facts if f.predicate in (settings.predicate, *settings.carries)}
    found = []
    for fact in facts:
        if fact.predicate not in settings.carries or fact.object is None:
            continue
        for whole in _all_wholes(fact.subject, wholes):
            if (whole, fact.object) in told:
                continue
            if whole != fact.object and not (settings.unless_stated and whole in stated):
                found.append(replace(fact, subject=whole, predicate=settings.predicate, rule=rule.id))
    return found


def _wholes(facts: Iterable[Fact], except_rules: Sequence[str]) -> dict[EntityKey, list[EntityKey]]:
    """Each event → the events it is part of, by the ckg:partOf facts of rules not excepted."""
    wholes: dict[EntityKey, list[EntityKey]] = defaultdict(list)
    for fact in facts:
        if fact.predicate == "partOf" and fact.object is not None and fact.rule not in except_rules:
            wholes[fact.subject].append(fact.object)
    return wholes


def _all_wholes(part: EntityKey, wholes: dict[EntityKey, list[EntityKey]]) -> list[EntityKey]:
    """The events ``part`` belongs to, directly or through its wholes, nearest first, each once."""
    found: list[EntityKey] = []
    frontier = [part]
    while frontier:
        frontier = [w for p in frontier for w in wholes.get(p, ()) if w != part and w not in found]
        frontier = list(dict.fromkeys(frontier))
        found += frontier
    return found


@dataclass(frozen=True)
class HostPlace:
    """Settings of ``host_place``: where a local body's own event is held when the article does
    not say."""

    predicate: Predicate
    """The property stated of the event (location)."""
    hosts_by: tuple[Predicate, ...]
    """The event's properties that name its host (organizer)."""
    seated_by: tuple[RelationRuleId, ...]
    """The relation rules whose ``predicate`` of a host says where it is at home: the place its
    name opens with (潢川县科协), not where a national body has its seat."""
    least_level: int = CITY
    """Only a host placed at this administrative level or below (2: a city; a place the gazetteer
    does not hold counts as local)."""


@inference("host_place", settings=HostPlace, emits=(RULE_PREDICATE,))
def host_place(facts: Sequence[Fact], rule: Rule[HostPlace], rules: Rules) -> list[Fact]:
    """An event a local body holds, placed nowhere by the article, is held where the body is
    (忠县科协第八届委员会第二次全体会议 → 忠县): the one place its hosts are at home."""
    settings = rule.settings
    placed = {f.subject for f in facts if f.predicate == settings.predicate}
    hosted: dict[EntityKey, list[Fact]] = defaultdict(list)
    seats: dict[EntityKey, set[EntityKey]] = defaultdict(set)
    for fact in facts:
        if fact.object is None:
            continue
        if fact.predicate in settings.hosts_by:
            hosted[fact.subject].append(fact)
        if fact.predicate == settings.predicate and fact.rule in settings.seated_by:
            seats[fact.subject].add(fact.object)
    found = []
    for event, hosting in hosted.items():
        places = {p for host in hosting if host.object for p in seats.get(host.object, ())}
        if event in placed or len(places) != 1:
            continue
        (place,) = places
        level = rules.place_levels.get(place.entry) if place.entry else None
        if level is None or level >= settings.least_level:  # the first hosting fact is its evidence
            found.append(replace(hosting[0], predicate=settings.predicate, rule=rule.id, object=place))
    return found


@dataclass(frozen=True)
class SessionDay:
    """Settings of ``session_day``: the day an event's opening or closing session is held."""

    opening: WordList
    """Kinds of session held on the whole's first day (开幕式, 启动仪式)."""
    closing: WordList
    """Kinds of session held on its last day (闭幕式)."""
    except_parts_by: tuple[RelationRuleId, ...] = ()
    """Relation rules whose ckg:partOf is not followed (a ranked list's items are no sessions)."""


@inference("session_day", settings=SessionDay, emits=("startDate", "endDate"))
def session_day(facts: Sequence[Fact], rule: Rule[SessionDay], rules: Rules) -> list[Fact]:
    """An opening session is held on its event's first day and a closing one on its last, when the
    article dates one and not the other: 论坛9月21日开幕 → its 开幕式 that day; 开幕式9月21日举行 →
    the 论坛 opens that day."""
    settings = rule.settings
    dates = _dates(facts)
    found = []
    for part, wholes in _wholes(facts, settings.except_parts_by).items():
        name = part.name or ""
        day = "startDate" if name.endswith(settings.opening.words) else None
        day = "endDate" if day is None and name.endswith(settings.closing.words) else day
        if day is None or not wholes:
            continue
        opened = _wholes_named_in(part, wholes) or wholes[:1]
        whole_days = [dates[whole, day] for whole in opened if (whole, day) in dates]
        if (part, "startDate") not in dates and (part, "endDate") not in dates and whole_days:
            found += [
                replace(whole_days[0], subject=part, predicate=p, rule=rule.id)
                for p in ("startDate", "endDate")
            ]
        elif (part, day) in dates:
            found += [
                replace(dates[part, day], subject=whole, rule=rule.id)
                for whole in opened
                if (whole, day) not in dates
            ]
    return found


def _wholes_named_in(part: EntityKey, wholes: Sequence[EntityKey]) -> list[EntityKey]:
    """The wholes a session's own name names, those inside another's name left out: 甲论坛暨乙活动启动仪式
    opens 甲论坛 and 乙活动, not the 全国科普日 that 乙活动 is part of."""
    own = part.name or ""
    named = {w: w.name for w in wholes if w.name and w.name in own}
    return [w for w, name in named.items() if not any(name in other for o, other in named.items() if o != w)]


def _dates(facts: Iterable[Fact]) -> dict[tuple[EntityKey, str], Fact]:
    """(entity, startDate or endDate) → the first fact that dates it."""
    dates: dict[tuple[EntityKey, str], Fact] = {}
    for fact in facts:
        if fact.predicate in ("startDate", "endDate") and fact.value is not None:
            dates.setdefault((fact.subject, fact.predicate), fact)
    return dates


@dataclass(frozen=True)
class OneDayWhole:
    """Settings of ``one_day_whole``: the day of a part of an event held on one day."""

    kinds: WordList
    """Kinds of event held within one day (启动仪式, 主会场, …日): only their parts take their day."""
    except_parts_by: tuple[RelationRuleId, ...] = ()
    """Relation rules whose ckg:partOf is not followed (a ranked list's items are news of their own)."""


@inference("one_day_whole", settings=OneDayWhole, emits=("startDate", "endDate"))
def one_day_whole(facts: Sequence[Fact], rule: Rule[OneDayWhole], rules: Rules) -> list[Fact]:
    """A part the article does not date, of a ceremony, a session or a day held on one day, is held
    that day: the 发布会 of a 启动仪式 held on 9月6日. (A congress dated by its opening day alone
    passes no day on: its forums may have been held before it opened.)"""
    dates = _dates(facts)
    kinds = rule.settings.kinds.words
    found = []
    for part, wholes in _wholes(facts, rule.settings.except_parts_by).items():
        if (part, "startDate") in dates or (part, "endDate") in dates:
            continue
        for whole in (w for w in wholes if (w.name or "").endswith(kinds)):
            start, end = dates.get((whole, "startDate")), dates.get((whole, "endDate"))
            if start is not None and end is not None and start.value == end.value:
                found += [
                    replace(start, subject=part, predicate=p, rule=rule.id) for p in ("startDate", "endDate")
                ]
                break
    return found


@dataclass(frozen=True)
class Implied:
    """Settings of ``implied``: a property whose facts state another's."""

    predicate: Predicate
    """The property stated."""
    implied_by: tuple[Predicate, ...]
    """The properties whose facts state it, of the same subject and object."""


@inference("implied", settings=Implied, emits=(RULE_PREDICATE,))
def implied(facts: Sequence[Fact], rule: Rule[Implied], rules: Rules) -> list[Fact]:
    """Each fact of an implying property states ``predicate`` of the same subject and object: who
    chairs a meeting takes part in it."""
    settings = rule.settings
    return [
        replace(fact, predicate=settings.predicate, rule=rule.id)
        for fact in facts
        if fact.predicate in settings.implied_by and fact.object is not None
    ]
