"""Facts between the mentions of one article, by the relation rules of relations.yaml.

Each rule kind is a finder registered by name in ``FINDERS``: a plain function from the
article's mentions (an :class:`ArticleScope`) and the rule to the relations it supports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from castkg.extract.text import CLAUSE_MARKS, clause_bounds, find_days, year_in
from castkg.model import Article, Mention, PositionMention, Relation, Sentence
from castkg.rules import Rule, Rules

LEADING_NUMBERING = re.compile(r"^(?:\d{4}年?度?|第[0-9一二三四五六七八九十百零〇]+[届次期批]|首届)+")
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
        return [m for m in self.mentions.get(index, ()) if (not classes or m.cls in classes)
                and (nested is None or m.nested == nested)]

    def all_mentions(self) -> Iterator[Mention]:
        """Every mention of the article, in reading order."""
        for index in sorted(self.mentions):
            yield from self.mentions[index]


Finder = Callable[[ArticleScope, Rule], list[Relation]]
FINDERS: dict[str, Finder] = {}


def finder(kind: str) -> Callable[[Finder], Finder]:
    """Register a relation finder for rules of ``kind``."""

    def register(function: Finder) -> Finder:
        FINDERS[kind] = function
        return function

    return register


def _verb_positions(text: str, verbs: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    for match in re.finditer("|".join(map(re.escape, verbs)), text):
        yield match.start(), match.end()


def _object_after(scope: ArticleScope, sentence: Sentence, position: int, classes: list[str]) -> Mention | None:
    for mention in scope.in_sentence(sentence.index, *classes, nested=False):
        gap = sentence.text[position:mention.start]
        if mention.start >= position and len(gap) <= 1 and gap in ("", "“", "了", "「"):
            return mention
    return None


def _organised_by_name(scope: ArticleScope, mention: Mention) -> Mention | None:
    """The body whose name opens ``mention``'s name (中共中央政治局会议, 第22届中国科协年会)."""
    text = scope.sentences[mention.sentence].text[mention.start:mention.end]
    lead = LEADING_NUMBERING.match(text)
    offset = mention.start + (lead.end() if lead else 0)
    for inner in scope.in_sentence(mention.sentence, "Organization", nested=True):
        if inner.start in (offset, offset + 1) and inner.end < mention.end:
            return inner
    return None


@finder("subject_verb")
def subject_verb(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """ORG + verb + THING: 中国科协召开…会议, 中国科协第一时间启动…机制."""
    found = []
    for sentence in scope.sentences:
        for start, end in _verb_positions(sentence.text, scope.rules.words(rule.get("verbs"))):
            thing = _object_after(scope, sentence, end, rule.get("object"))
            if thing is None:
                continue
            clause_start, _ = clause_bounds(sentence.text, start)
            subjects = [m for m in scope.in_sentence(sentence.index, *rule.get("subject"), nested=False)
                        if clause_start <= m.start and m.end <= start and start - m.end <= 6]
            if subjects:
                found.append(Relation(thing, rule.get("predicate"), rule.id, sentence.index, object=subjects[-1]))
    return found


@finder("name_prefix")
def name_prefix(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """A body whose name opens the thing's name: 世界卫生组织新冠论文数据库 → 世界卫生组织."""
    found = []
    for mention in scope.all_mentions():
        if mention.cls in rule.get("object"):
            body = _organised_by_name(scope, mention)
            if body is not None:
                found.append(Relation(mention, rule.get("predicate"), rule.id, mention.sentence, object=body))
    return found


@finder("unstated_actor")
def unstated_actor(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """Verb + THING with no actor in its clause: the bulletin's body did it (contract, "Who did it")."""
    if scope.owner is None:
        return []
    found = []
    for sentence in scope.sentences:
        for start, end in _verb_positions(sentence.text, scope.rules.words(rule.get("verbs"))):
            thing = _object_after(scope, sentence, end, rule.get("object"))
            if thing is None or _organised_by_name(scope, thing) is not None:
                continue
            clause_start, _ = clause_bounds(sentence.text, start)
            actors = [m for m in scope.in_sentence(sentence.index, "Organization", "Person", nested=False)
                      if clause_start <= m.start and m.end <= start]
            if not actors:
                found.append(Relation(thing, rule.get("predicate"), rule.id, sentence.index, object=scope.owner))
    return found


@finder("list_owner")
def list_owner(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """A ranked list in a body's bulletin is that body's."""
    if scope.owner is None or scope.list_event is None:
        return []
    return [Relation(scope.list_event, rule.get("predicate"), rule.id, scope.list_event.sentence, object=scope.owner)]


@finder("chair")
def chair(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """PERSON主持: the person presides over the sentence's meeting, else the paragraph's first one."""
    found = []
    for sentence in scope.sentences:
        for start, _ in _verb_positions(sentence.text, scope.rules.words(rule.get("verbs"))):
            people = [m for m in scope.in_sentence(sentence.index, "Person") if 0 <= start - m.end <= 2]
            event = _meeting_for(scope, sentence)
            if people and event is not None:
                found.append(Relation(event, rule.get("predicate"), rule.id, sentence.index, object=people[-1]))
    return found


def _meeting_for(scope: ArticleScope, sentence: Sentence) -> Mention | None:
    same = scope.in_sentence(sentence.index, "Event", nested=False)
    if same:
        return same[0]
    earlier = [s for s in scope.sentences if s.block == sentence.block and s.index < sentence.index]
    for other in earlier:
        events = scope.in_sentence(other.index, "Event", nested=False)
        if events:
            return events[0]
    return None


@finder("location")
def location(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """EVENT在PLACE举办 and 在PLACE召开EVENT."""
    verbs = scope.rules.words(rule.get("verbs"))
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        for place in scope.in_sentence(sentence.index, "Place", nested=False):
            if place.start == 0 or text[place.start - 1] not in "在于":
                continue
            tail = text[place.end:place.end + 6]
            verb = next((v for v in verbs if v in tail), None)
            if verb is None:
                continue
            clause_start, clause_end = clause_bounds(text, place.start)
            before = [m for m in scope.in_sentence(sentence.index, "Event", nested=False)
                      if clause_start <= m.start and m.end <= place.start - 1 and place.start - 1 - m.end <= 2]
            verb_end = place.end + tail.index(verb) + len(verb)
            after = [m for m in scope.in_sentence(sentence.index, "Event", nested=False)
                     if verb_end <= m.start <= verb_end + 1 and m.end <= clause_end]
            event = (before or after or [None])[-1 if before else 0]
            if event is not None:
                found.append(Relation(event, rule.get("predicate"), rule.id, sentence.index, object=place))
    return found


@finder("event_date")
def event_date(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """A stated day gives the start and end of the event it introduces (1月29日,…召开…会议)."""
    list_year = year_in(scope.list_event.label or scope.list_event.surface) if scope.list_event else None
    past_verbs = scope.rules.words("past_verbs")
    found = []
    for sentence in scope.sentences:
        days = find_days(sentence.text)
        for day in days:
            event = _event_of_day(scope, sentence, day.start, day.end)
            if event is None:
                continue
            past = any(v in sentence.text for v in past_verbs)
            dates = day.resolve(scope.article.date, list_year if sentence.item is not None else None, past)
            if dates is None:
                continue
            for predicate, value in (("startDate", dates[0]), ("endDate", dates[1])):
                found.append(Relation(event, predicate, rule.id, sentence.index, value=value.isoformat(),
                                      datatype="date"))
    return found


def _event_of_day(scope: ArticleScope, sentence: Sentence, start: int, end: int) -> Mention | None:
    text = sentence.text
    events = [m for m in scope.in_sentence(sentence.index, "Event", nested=False)]
    clause_start, clause_end = clause_bounds(text, start)
    opens_sentence = end < len(text) and text[end] in CLAUSE_MARKS and clause_start == 0
    following = [m for m in events if m.start >= end and (m.end <= clause_end or opens_sentence)]
    if following:
        nearest = following[0]
        other_days = [d for d in find_days(text) if end <= d.start < nearest.start]
        return None if other_days else nearest
    preceding = [m for m in events if clause_start <= m.start and m.end <= start]
    return preceding[-1] if preceding else None


@finder("sub_organization")
def sub_organization(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """A department named after its body: 中国科协联合国咨商专委会 → 中国科协."""
    found = []
    for mention in scope.all_mentions():
        if mention.cls == "Organization" and mention.parent:
            parent = Mention(mention.sentence, mention.start, mention.start + len(mention.parent), mention.parent,
                             "Organization", rule.id, key=_key(scope.rules, mention.parent), nested=True)
            found.append(Relation(mention, rule.get("predicate"), rule.id, mention.sentence, object=parent))
    return found


def _key(rules: Rules, name: str) -> str | None:
    entry = rules.lookup(name)
    return entry.id if entry else None


@finder("list_item")
def list_item(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """Each item of a ranked list is part of the list's event and has its rank."""
    found = []
    for item in scope.items.values():
        if scope.list_event is not None:
            found.append(Relation(item, rule.get("predicate"), rule.id, item.sentence, object=scope.list_event))
        found.append(Relation(item, "rank", rule.id, item.sentence, value=str(item.rank), datatype="integer"))
    return found


@finder("involves_item")
def involves_item(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """An item of a ranked list involves every entity its heading and body name."""
    found = []
    for index, item in scope.items.items():
        for sentence in scope.sentences:
            if sentence.item != index:
                continue
            for mention in scope.in_sentence(sentence.index):
                found.append(Relation(item, rule.get("predicate"), rule.id, sentence.index, object=mention))
    return found


@finder("involves_sentence")
def involves_sentence(scope: ArticleScope, rule: Rule) -> list[Relation]:
    """Any other event involves the entities named in the sentence that describes it."""
    found = []
    for sentence in scope.sentences:
        mentions = scope.in_sentence(sentence.index)
        for event in (m for m in mentions if m.cls == "Event" and not m.nested):
            for other in mentions:
                if other is not event and not (other.cls == "Event" and not other.nested):
                    found.append(Relation(event, rule.get("predicate"), rule.id, sentence.index, object=other))
    return found


def find_positions(scope: ArticleScope, rule_id: str) -> list[PositionMention]:
    """ORG + post(s) + PERSON: 中国科协党组书记怀进鹏; 中国科协党组书记、常务副主席张玉卓."""
    roles = scope.rules.words("roles")
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        orgs = scope.in_sentence(sentence.index, "Organization", nested=False)
        for person in scope.in_sentence(sentence.index, "Person"):
            for org in orgs:
                between = text[org.end:person.start]
                if not between or org.end > person.start or len(between) > 24:
                    continue
                titles = [t for t in re.split("[、和及兼]", between) if t]
                if not titles or not all(any(t.endswith(r) for r in roles) for t in titles):
                    continue
                body, titles = _lift_to_parent(scope, org, titles, roles)
                found.extend(PositionMention(sentence.index, person, body, title, rule_id) for title in titles)
    return found


def _lift_to_parent(scope: ArticleScope, org: Mention, titles: list[str],
                    roles: tuple[str, ...]) -> tuple[Mention, list[str]]:
    """中国科协党组 + 书记 is a post of 中国科协: 党组书记."""
    entry = scope.rules.gazetteer.get(org.key) if org.key else None
    parent_name = org.parent or (scope.rules.gazetteer[entry.part_of].label if entry and entry.part_of else None)
    if not parent_name or not titles:
        return org, titles
    parent_entry = scope.rules.lookup(parent_name)
    names = [org.surface] + ([entry.label] if entry else [])
    for name in names:
        for prefix in (parent_name, *(parent_entry.all_names if parent_entry else ())):
            if name.startswith(prefix) and name != prefix:
                tail = name[len(prefix):]
                if tail + titles[0] in roles:
                    parent = Mention(org.sentence, org.start, org.start + len(prefix), prefix, "Organization",
                                     org.rule, key=parent_entry.id if parent_entry else None,
                                     label=parent_entry.label if parent_entry else None, nested=True)
                    return parent, [tail + titles[0], *titles[1:]]
    return org, titles
