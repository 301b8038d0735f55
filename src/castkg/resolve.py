"""Stage 4, resolve: every article's mentions → one entity per real thing, with its facts.

Identity comes from typed keys (:class:`castkg.model.EntityKey`): a gazetteer id for a curated
thing; an edition of a curated series by the series and its year (2021年全国科普日, and
第五个全国科技工作者日 is the 2021 edition where the series' first year is known); else the
class and the compare-form of the name (quotes, spaces and case ignored), qualified by the
organizer for meetings named by number alone (2021年第4次党组会议), by the list for ranked-list
items, and, for an event named with no year or ordinal, by the day it happened (two
中共中央政治局会议 of different days are two meetings).

Each input file is resolved on its own (:func:`resolve_file`): what its articles' graphs state
depends on that file alone, so an article's graph is the same in any build that holds its file.
Only the preferred label of each entity depends on the whole corpus (:func:`preferred_label`,
stated apart by :func:`castkg.mapping.entity_graph`). Nothing here reads files or keeps state.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field

from castkg.extract.bodies import is_bare_local_name
from castkg.extract.mentions import joins_title_event, names_title_event
from castkg.extract.relations.parts import SHORT_FORM_LEAST
from castkg.extract.sessions import is_bare_session
from castkg.extract.text import OPEN_QUOTES, evidence, is_numbered_meeting, year_in
from castkg.infer import infer
from castkg.model import (
    Article,
    ArticleRecord,
    Entity,
    EntityKey,
    Extraction,
    Fact,
    MeasureFact,
    MeasureMention,
    Mention,
    PositionFact,
    PositionMention,
    Relation,
    Resolved,
)
from castkg.namespace import SERIES
from castkg.normalise import chinese_integer
from castkg.registry import PATTERNS, WORDS
from castkg.rules import CITY, GazetteerEntry, Rules, name_key
from castkg.script import simplified
from castkg.slugs import ascii_slug, short_hash

LEADING_NUMBERING = PATTERNS.need("leading_numbering")
NAME_REMARK = PATTERNS.need("name_remark")
PARTY_BEFORE_COMMITTEE = PATTERNS.need("party_before_committee")
EDITION_BEFORE = PATTERNS.need("edition_before", groups=("year", "ordinal", "first"))
EDITION_OPENING = PATTERNS.need("edition_opening", groups=("year", "ordinal", "first"))
TIMED_NAME = PATTERNS.need("timed_name")
GENERIC_HEADS = WORDS.need("generic_heads")
LOCAL_LEVELS = WORDS.need("local_levels")
SAME_EVENT_TAILS = WORDS.need("same_event_tails")

EDITION_RULE = "gazetteer.series"
"""The rule id of ``ckg:editionOf`` facts: what the gazetteer's ``series: true`` entries make."""


# --- labels --------------------------------------------------------------------------------------


def preferred_label(cls: str, names: Iterable[str]) -> str:
    """The preferred name of a non-curated thing of class ``cls`` among every name the texts use
    for it (contract, "Labels"): the fullest Chinese one; for a place, the fullest of its bare names, those
    that no other of its names opens (澜沧, not 澜沧拉祜族自治县). A pure function of the names,
    so a build and a store updated file by file agree."""
    found = {n for n in names if n}
    found = {n for n in found if not n.isascii()} or found  # a Chinese name where there is one
    found = {n for n in found if simplified(n) == n} or found  # a traditional form is an altLabel only
    if cls == "Place":
        found = {n for n in found if not any(n != m and n.startswith(m) for m in found)} or found
    return sorted(found, key=lambda n: (-len(name_key(n)), -len(n), n))[0]


def entity_class(key: EntityKey, cls: str, rules: Rules) -> str:
    """The class a key's node has: a curated series as such is an EventSeries, never an Event."""
    if key.curated and key.entry is not None and rules.gazetteer[key.entry].series:
        return SERIES
    return cls


# --- identity ------------------------------------------------------------------------------------


@dataclass
class _Pool:
    """Entities as they are gathered: class, names, articles and evidence per key."""

    cls: dict[EntityKey, str] = field(default_factory=dict)
    names: dict[EntityKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    articles: dict[EntityKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    names_in: dict[EntityKey, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    evidence_in: dict[EntityKey, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )

    def add(
        self,
        key: EntityKey,
        cls: str,
        names: Iterable[str],
        article: str,
        proof: str | None = None,
        written: str | None = None,
    ) -> None:
        self.cls.setdefault(key, cls)
        names = [n for n in names if n]
        self.names[key].update(names)
        self.names_in[key][article].update(names)
        if written:  # the traditional form as written: another name, never the preferred one
            self.names_in[key][article].add(written)
        self.articles[key].add(article)
        if proof:
            self.evidence_in[key][article].add(proof)


def _lookup(rules: Rules, name: str, cls: str) -> str | None:
    """The gazetteer id of ``name`` (or of it without a generic head: 科普中国平台) when of class ``cls``."""
    for candidate in (
        name,
        *(name.removesuffix(h) for h in rules.words(GENERIC_HEADS) if name.endswith(h)),
    ):
        entry = rules.lookup(candidate)
        if entry is not None and entry.cls == cls:
            return entry.id
    return None


def mention_key(mention: Mention, rules: Rules) -> EntityKey:
    """The identity key of one mention by its name alone, before its article refines it."""
    if mention.key:
        return EntityKey.of_entry(mention.key)
    name = mention.label or mention.surface
    if mention.cls == "Award":
        name = rules.pattern(LEADING_NUMBERING).sub("", name) or name
    curated = _lookup(rules, name, mention.cls)
    if curated:
        return EntityKey.of_entry(curated)
    bare = rules.pattern(NAME_REMARK).sub("", name)  # 某县(某镇)某协会 is 某县某协会
    return EntityKey.of_name(mention.cls, short_form(name_key(bare), rules))


def short_form(key: str, rules: Rules) -> str:
    """A name's key with its long words in their usual short form: 湖南省科学技术协会 → 湖南省科协,
    中共张家界市委 → 张家界市委."""
    return rules.pattern(PARTY_BEFORE_COMMITTEE).sub("", rules.in_short_form(key))


MIDDLE_LEFT_OUT_ENDS = 6
"""How long both ends of a name must be for the name with its middle left out to be the same thing's."""


def _middle_left_out(short: str, long: str) -> bool:
    """Is ``short`` the name ``long`` with a run of its middle left out, each end long enough to
    tell what it names (甲与乙|合作协议签约仪式 in 甲与乙|深化科技创新|合作协议签约仪式)?"""
    head = len(os.path.commonprefix([short, long]))
    tail = short[head:]
    return (
        len(short) < len(long)
        and head >= MIDDLE_LEFT_OUT_ENDS
        and len(tail) >= MIDDLE_LEFT_OUT_ENDS
        and long.endswith(tail)
    )


def _label(mention: Mention) -> str:
    return mention.label or mention.surface


@dataclass(frozen=True)
class Edition:
    """An edition of a curated series as a mention names it: 2021年全国科普日, 第五个全国科技工作者日."""

    series: GazetteerEntry
    year: int | None
    ordinal: int | None
    name: str
    """The edition's name as the text writes it (the series' name with its year or ordinal)."""

    @property
    def key(self) -> EntityKey:
        """The edition's key: its series and year, else its ordinal."""
        return EntityKey.edition(self.series.id, self.year, self.ordinal)


def _numbering(match: re.Match[str] | None, series: GazetteerEntry) -> tuple[int | None, int | None]:
    """(year, ordinal) of an edition's numbering; the year counted from the ordinal where the
    series' first year is known."""
    if match is None:
        return None, None
    year = int(match["year"]) if match["year"] else None
    ordinal = (
        1
        if match["first"]
        else chinese_integer(match["ordinal"] or "")
        or (int(match["ordinal"]) if match["ordinal"] and match["ordinal"].isdigit() else None)
    )
    if year is None and ordinal and series.first_year:
        year = series.first_year + ordinal - 1
    return year, ordinal


def edition_of(mention: Mention, sentence_text: str, rules: Rules) -> Edition | None:
    """The edition a mention names: an edition's name (2021年全国科普日, whose series' name the
    extractor kept as an alternative label), or a series' name right after a year or an ordinal
    (第五个|全国科技工作者日); None for anything else, a series named alone included."""
    if mention.cls != "Event":
        return None
    if mention.key:
        series = rules.gazetteer[mention.key]
        if not series.series:
            return None
        before = rules.pattern(EDITION_BEFORE).search(sentence_text[: mention.start])
        year, ordinal = _numbering(before, series)
        if before is None or (year is None and ordinal is None):
            return None
        # 第五个“全国科技工作者日”: the name's quote is not part of the edition's label
        return Edition(series, year, ordinal, before.group().rstrip(OPEN_QUOTES) + mention.surface)
    name = _label(mention)
    for alt in mention.alt_labels:
        entry = rules.lookup(alt)
        if entry is None or not entry.series or entry.cls != "Event":
            continue
        opening = rules.pattern(EDITION_OPENING).match(name)
        year, ordinal = _numbering(opening, entry)
        rest = name[opening.end() :] if opening else name
        if (year or ordinal) and name_key(rest) in {name_key(n) for n in entry.all_names}:
            return Edition(entry, year, ordinal, name)
    return None


@dataclass(frozen=True)
class FileContext:
    """What one input file says that the keys of its articles' mentions depend on: the editions of
    each series it names, and for each event name the first day it states for it (else the date
    of the first article naming it). Computed from the file alone."""

    editions: Mapping[str, frozenset[EntityKey]]
    """Series id → the keys of the editions of it the file names."""
    days: Mapping[str, str]
    """Event name (compare-form) → the first start date (else end date) the file states for it."""
    first_named: Mapping[str, Article]
    """Event name (compare-form) → the first article of the file that names it."""

    @classmethod
    def of(cls, extractions: Sequence[Extraction], rules: Rules) -> FileContext:
        """The context of one file's extractions."""
        editions: dict[str, set[EntityKey]] = defaultdict(set)
        starts: dict[str, str] = {}
        ends: dict[str, str] = {}
        first_named: dict[str, Article] = {}
        for extraction in extractions:
            for mention in extraction.mentions:
                if mention.cls != "Event":
                    continue
                first_named.setdefault(name_key(_label(mention)), extraction.article)
                found = edition_of(mention, _text_of(extraction, mention), rules)
                if found is not None:
                    editions[found.series.id].add(found.key)
            for relation in extraction.relations:
                if relation.predicate in ("startDate", "endDate") and relation.value:
                    stated = starts if relation.predicate == "startDate" else ends
                    stated.setdefault(name_key(_label(relation.subject)), relation.value)
        return cls(
            {series: frozenset(keys) for series, keys in editions.items()},
            {**ends, **starts},
            first_named,
        )


def _text_of(extraction: Extraction, mention: Mention) -> str:
    sentences = extraction.sentences
    return sentences[mention.sentence].text if 0 <= mention.sentence < len(sentences) else ""


class _Keys:
    """Keys of one article's mentions, with the article- and file-level refinements."""

    def __init__(self, extraction: Extraction, rules: Rules, context: FileContext) -> None:
        self.rules, self.extraction, self.context = rules, extraction, context
        self.digest = extraction.article.digest
        self.list_key: EntityKey | None = None
        self.organizers = self._organizers()
        self.sessions = self._sessions()
        self.short_forms = self._short_forms()
        self.placed_bodies = self._placed_bodies()
        self.places_in: dict[int, list[Mention]] = defaultdict(list)  # sentence → its places
        for mention in extraction.mentions:
            if mention.cls == "Place":
                self.places_in[mention.sentence].append(mention)
        self.local_events = self._local_events()
        self.title_event = self._title_event()
        list_event = extraction.list_event
        self.list_year = year_in(_label(list_event), rules) if list_event is not None else None
        self.list_key = self.of(list_event) if list_event is not None else None

    def _organizers(self) -> dict[tuple[int, int, int], Mention]:
        found: dict[tuple[int, int, int], Mention] = {}
        for relation in self.extraction.relations:
            if relation.predicate == "organizer" and relation.object is not None:
                found.setdefault(_span(relation.subject), relation.object)
        return found

    def _sessions(self) -> dict[tuple[int, int, int], Mention]:
        """Each session named by its kind alone (a ceremony's, or a visit's meeting) → the event it
        is part of."""
        visit_rules = {r.id for r in self.rules.relation_rules if r.kind == "visit_meeting"}
        found: dict[tuple[int, int, int], Mention] = {}
        for relation in self.extraction.relations:
            if (
                relation.predicate == "partOf"
                and relation.object is not None
                and (is_bare_session(relation.subject, self.rules) or relation.rule in visit_rules)
            ):
                found.setdefault(_span(relation.subject), relation.object)
        return found

    def _session(self, key: EntityKey, mention: Mention) -> tuple[EntityKey, tuple[str, ...]] | None:
        """A session named by its kind alone (开幕式) keyed by the event it is part of, and named by
        the kind qualified by that event (2023年全国科普日启动仪式; contract, "Labels")."""
        whole = self.sessions.get(_span(mention))
        if whole is None:
            return None
        kind, event = _label(mention), _label(self._stands_for(whole) or whole)
        return key.session_of(self.of(whole)), (_qualified(kind, event),)

    def _short_forms(self) -> dict[str, Mention]:
        """An event named by the end of a longer event name in the same article is that event
        (北京主场活动 → 2021年全国科普日北京主场活动), and so is one named by its kind alone (a title's
        举办培训班 → the body's 《科普中国》信息管理人员培训班) or by the longer name with a run of
        its middle left out (a headline's 甲与乙合作协议签约仪式 → the lead's 甲与乙深化…合作协议签约仪式),
        or without a tail that adds nothing (某某专场 → 某某专场活动)."""
        events = [m for m in self.extraction.mentions if m.cls == "Event" and m.rank is None and not m.key]
        labels = {name_key(_label(m)): m for m in events}
        found = {}
        for short in labels:
            longer = [
                m
                for label, m in labels.items()
                if label != short
                and (
                    label.endswith(short)
                    or _middle_left_out(short, label)
                    or (label.startswith(short) and label[len(short) :] in self.rules.words(SAME_EVENT_TAILS))
                )
            ]
            if (len(short) >= SHORT_FORM_LEAST or short in self.rules.suffix_words) and len(longer) == 1:
                found[short] = longer[0]
        return found

    def _placed_bodies(self) -> dict[str, Mention]:
        """A body no gazetteer knows named in the same article with a place before its name and
        without it (天津市蓟州区科学技术协会, 蓟州区科协) is one body: short name → fuller mention."""
        bodies = [m for m in self.extraction.mentions if m.cls == "Organization" and not m.key]
        names = {short_form(name_key(_label(m)), self.rules): m for m in bodies}
        found = {}
        for short in names:
            longer = [
                m
                for name, m in names.items()
                if name != short and name.endswith(short) and self._is_place(name[: -len(short)])
            ]
            if len(longer) == 1:
                found[short] = longer[0]
        return found

    def _settings(self, mention: Mention) -> object:
        """The settings of the rule that found ``mention`` (None for a gazetteer name)."""
        rule = self.rules.entity_rule_by_id.get(mention.rule)
        return rule.settings if rule is not None else None

    def _title_event(self) -> Mention | None:
        """The event the headline names by a title rule (某市科协到某县调研…), where the article's
        mentions that join it (a lead's 调研某某工作) all name one thing."""
        titled = [m for m in self.extraction.mentions if names_title_event(self._settings(m))]
        joining = {
            name_key(_label(m)) for m in self.extraction.mentions if joins_title_event(self._settings(m))
        }
        return titled[0] if len({name_key(_label(m)) for m in titled}) == 1 and len(joining) <= 1 else None

    def _fullest(self, event: Mention) -> Mention:
        """The mention ``event`` stands for, followed to the end (a name may stand for one that
        stands for another); where the names stand for one another in a ring (a shorter name's
        fuller one is another's variant with fewer places), the ring's longest name, the first
        written, for all of them."""
        path = [event]
        while (fuller := self._stands_for(path[-1])) is not None:
            ring = next((i for i, m in enumerate(path) if m is fuller), None)
            if ring is not None:
                return min(path[ring:], key=lambda m: (-len(name_key(_label(m))), m.sentence, m.start))
            path.append(fuller)
        return path[-1]

    def _stands_for(self, event: Mention) -> Mention | None:
        """The fuller mention of the same event in this article, where ``event`` names it shorter or
        without its place, or is the visit its headline names (see ``_short_forms``,
        ``_local_events``, ``_local_edition`` and ``_title_event``)."""
        if joins_title_event(self._settings(event)) and self.title_event is not None:
            return self.title_event
        if event.key:
            return self._local_edition(event) if self.rules.gazetteer[event.key].series else None
        name = name_key(_label(event))
        return self.short_forms.get(name) or self.local_events.get(name)

    def _local_events(self) -> dict[str, Mention]:
        """Events no gazetteer knows that one article names with their place before the year, after
        it or not at all, with their year or without (马鞍山市2008年科技活动周, 2008年马鞍山科技活动周,
        马鞍山科技活动周): each name → the one naming the most places, where the others' places and
        year are among its own."""
        groups: dict[str, list[_Variant]] = defaultdict(list)
        for mention in self.extraction.mentions:
            unnamed = mention.rank is None and not mention.key and not is_bare_session(mention, self.rules)
            if mention.cls == "Event" and unnamed:
                variant = self._variant(mention)
                groups[variant.core].append(variant)
        found: dict[str, Mention] = {}
        for variants in groups.values():
            widest = max(variants, key=lambda v: (len(v.places), v.year is not None))
            if not widest.places or any(
                v.places and v.places != widest.places and len(v.places) == len(widest.places)
                for v in variants
            ):
                continue  # no place named, or two events of different places (北京市…, 天津市…)
            for variant in variants:
                name = name_key(_label(variant.mention))
                if name != name_key(_label(widest.mention)) and variant.within(widest):
                    found.setdefault(name, widest.mention)
        return found

    def _variant(self, mention: Mention) -> _Variant:
        """``mention`` as a local event's variant: its name without places and year, its places and year."""
        places = [
            p for p in self.places_in[mention.sentence] if mention.start <= p.start and p.end <= mention.end
        ]
        name = mention.surface
        for place in sorted(places, key=lambda p: p.start, reverse=True):
            start, end = place.start - mention.start, place.end - mention.start
            level = self.rules.words(LOCAL_LEVELS).pattern.match(name, end)  # 马鞍山|市: the gazetteer's
            end = level.end() if level else end  # name is the bare one
            name = name[:start] + name[end:]
        year = _YEAR.search(name)
        core = name_key(_YEAR.sub("", name, count=1))
        keys = frozenset(p.key or name_key(_label(p)) for p in places)
        return _Variant(mention, core, keys, int(year[1]) if year else None)

    def _local_edition(self, mention: Mention) -> Mention | None:
        """The local event a curated series' short name stands for in an article that names one of
        its editions with its place (科技活动周 in a page on 马鞍山市2008年科技活动周), if exactly one."""
        assert mention.key is not None
        label, name = self.rules.gazetteer[mention.key].label, name_key(_label(mention))
        surface = name_key(mention.surface)
        if surface == name_key(label) or not name_key(label).endswith(surface):
            return None  # named in full (全国科技活动周): the national series itself
        local = {id(m): m for m in self.local_events.values() if name_key(_label(m)).endswith(surface)}
        if len(local) != 1:
            return None
        event = next(iter(local.values()))
        edition = edition_of(mention, _text_of(self.extraction, mention), self.rules)
        local_year = self._variant(event).year
        if edition is not None and edition.year is not None and local_year not in (None, edition.year):
            return None
        return event if name != name_key(_label(event)) else None

    def _placed(self, body: Mention) -> Mention | None:
        """The fuller mention, with its place, of a body the article also names without it
        (蓟州区科协 → 天津市蓟州区科学技术协会)."""
        return self.placed_bodies.get(short_form(name_key(_label(body)), self.rules))

    def _is_place(self, name: str) -> bool:
        """Is ``name`` one or more places' names written together (江苏省南京市)?"""
        for end in range(len(name), 0, -1):
            entry = self.rules.lookup(name[:end])
            if entry is None or entry.cls != "Place":
                continue
            if end == len(name) or self._is_place(name[end:]):
                return True
        return False

    def of(self, mention: Mention) -> EntityKey:
        """The key of ``mention`` in this article."""
        return self._identify(mention)[0]  # the key only: no names without the city

    def extra_names(self, mention: Mention) -> tuple[str, ...]:
        """Names of the thing that the mention's span does not hold: an edition's name with its
        ordinal (第五个全国科技工作者日), a dated series' edition name (2022年全国科技工作者日)."""
        return self.identify(mention)[1]

    def identify(self, mention: Mention) -> tuple[EntityKey, tuple[str, ...]]:
        """The key of ``mention`` and the names of it that its span does not hold."""
        key, names = self._identify(mention)
        if mention.cls not in ("Organization", "Event") or mention.key:
            return key, names
        shorter = (self._below_its_city(name) for name in (_label(mention), *names))
        return key, (*names, *(name for name in shorter if name))

    def _below_its_city(self, name: str) -> str | None:
        """A county's body or meeting named after its city too (襄阳市南漳县科协…) as the county's
        own news names it (南漳县科协…)."""
        levels = self.rules.words(LOCAL_LEVELS).words
        for end in range(min(len(name) - 4, 8), 1, -1):  # the city's name as written in full: 襄阳市
            if not name.endswith(levels, 0, end):
                continue  # no place's full name ends here: spare the lookup
            city = self.rules.lookup(name[:end])
            if city is None or city.cls != "Place":
                continue
            rest = name[end:]
            below = self.rules.place_levels.get(city.id) == CITY and any(
                rest.endswith(levels, 0, n) and self._is_county(rest[:n]) for n in range(2, len(rest) - 1)
            )
            return rest if below else None
        return None

    def _is_county(self, name: str) -> bool:
        entry = self.rules.lookup(name)
        return entry is not None and entry.cls == "Place" and self.rules.place_levels.get(entry.id, 0) > CITY

    def _identify(self, mention: Mention) -> tuple[EntityKey, tuple[str, ...]]:
        if mention.rank is not None:
            return EntityKey.item(mention.rank, self.list_key, self.digest), ()
        key = mention_key(mention, self.rules)
        if is_bare_local_name(mention, self.rules):
            return key.numbered(None, self.digest), ()  # 县科协 (市文化中心) of a page naming no county
        if mention.cls == "Organization" and not mention.key:
            fuller = self._placed(mention)
            if fuller is not None:
                return self.identify(fuller)
        if mention.cls != "Event":
            return key, ()
        session = self._session(key, mention)
        if session is not None:
            return session
        fuller = self._fullest(mention)
        if fuller is not mention:
            return self.identify(fuller)
        name = name_key(_label(mention))
        edition = edition_of(mention, _text_of(self.extraction, mention), self.rules)
        if edition is not None:
            return edition.key, (edition.name,)
        if key.entry is not None and self.rules.gazetteer[key.entry].series:
            return self._series_alone(key.entry, name, mention)
        if is_numbered_meeting(_label(mention), self.rules):
            return self._numbered(key, mention)
        if key.entry is None and not self.rules.pattern(TIMED_NAME).search(_label(mention)):
            return self._on_its_day(key, name), ()
        return key, ()

    def _numbered(self, key: EntityKey, mention: Mention) -> tuple[EntityKey, tuple[str, ...]]:
        """A meeting named by its number, keyed by the body that holds it and named with that
        body's name before its own (公安县科协 + 三届二次会议 → 公安县科协三届二次会议)."""
        organizer = self.organizers.get(_span(mention))
        if organizer is None:
            return key.numbered(None, self.digest), ()
        body = organizer.surface if organizer.key else _label(self._placed(organizer) or organizer)
        name = _label(mention)
        return key.numbered(mention_key(organizer, self.rules), self.digest), (
            () if name.startswith(body) else (body + name,)
        )

    def _series_alone(self, series: str, name: str, mention: Mention) -> tuple[EntityKey, tuple[str, ...]]:
        """A series named alone (全国科普日) is the one edition of it its file names, else the
        edition of the year of the day its file states for it, or of the year of the ranked list
        whose item names it (contract, "Dates": 2020年度… items are 2020 events), else the edition of
        the year the news speaks from (a 2023 page's 全国科普日 is 2023's), or, on an undated page, of
        the first day its file states for any event, else the series."""
        editions = self.context.editions.get(series, frozenset())
        if len(editions) == 1:
            return next(iter(editions)), ()
        day = self.context.days.get(name)
        sentences = self.extraction.sentences
        in_item = 0 <= mention.sentence < len(sentences) and sentences[mention.sentence].item is not None
        year = int(day[:4]) if day is not None else self.list_year if in_item else None
        if year is None and self.extraction.article.reference_date is not None:
            year = self.extraction.article.reference_date.year
        if year is None:  # an undated page: the year of the first day it states for any event
            stated = next(iter(self.context.days.values()), None)
            year = int(stated[:4]) if stated is not None else None
        if year is not None:
            return EntityKey.edition(series, year), (f"{year}年{self.rules.gazetteer[series].label}",)
        return EntityKey.of_entry(series), ()

    def _on_its_day(self, key: EntityKey, name: str) -> EntityKey:
        """An event named with no year or ordinal, keyed with the first day its file states for
        it, else the date of the first article naming it, else that article itself."""
        day = self.context.days.get(name)
        first = self.context.first_named.get(name, self.extraction.article)
        if day is None and first.date is not None:
            day = first.date.isoformat()
        return key.on(day, first.digest)


@dataclass(frozen=True)
class _Variant:
    """One name of a local event: the mention, its name without places and year, its places, its year."""

    mention: Mention
    core: str
    places: frozenset[str]
    year: int | None

    def within(self, widest: _Variant) -> bool:
        """Does this name say nothing ``widest`` does not (its places and year are among widest's)?"""
        return self.places <= widest.places and self.year in (None, widest.year)


_YEAR = re.compile(r"((?:19|20)\d{2})年?度?")
"""A year in an event's name, with the word for year after it (2008年): what a local event's
variants may hold or leave out."""


def _span(mention: Mention) -> tuple[int, int, int]:
    return mention.sentence, mention.start, mention.end


# --- the stage ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileResolution:
    """One input file resolved on its own: its articles, facts, measures and posts, and what
    each article names (the :class:`_Pool` part of it)."""

    records: tuple[ArticleRecord, ...]
    facts: tuple[Fact, ...]
    measures: tuple[MeasureFact, ...]
    positions: tuple[PositionFact, ...]


def resolve(extractions: Sequence[Extraction], rules: Rules) -> Resolved:
    """One entity per real thing across ``extractions``, with facts, measures, posts and articles.

    Each input file is resolved alone (:func:`resolve_file`); only the entities' preferred labels
    take the whole corpus into account."""
    pool = _Pool()
    files: dict[str, list[Extraction]] = defaultdict(list)
    for extraction in extractions:
        files[extraction.article.source].append(extraction)
    parts = [resolve_file(group, rules, pool) for group in files.values()]
    entities = _entities(pool, rules)
    facts = [f for part in parts for f in part.facts]
    facts += _curated_facts(entities, rules)
    return Resolved(
        entities=entities,
        facts=tuple(f for f in facts if _stands_alone(f, entities)),
        measures=tuple(m for part in parts for m in part.measures),
        positions=tuple(p for part in parts for p in part.positions),
        articles=tuple(r for part in parts for r in part.records),
    )


def resolve_alone(
    extractions: Sequence[Extraction], rules: Rules, classes: MutableMapping[EntityKey, str]
) -> Resolved:
    """The articles of one input file (or one JSON Lines record) resolved as :func:`resolve`
    resolves them within a corpus, without the rest of it: what their graphs state, for a build
    that maps and writes file by file. ``classes`` is the corpus's class of each key so far (the
    first file naming a key gives it, as in :func:`resolve`); this file's new keys are added.
    The entities' preferred labels are left empty: they depend on the whole corpus, and the
    graph of entities is made from every article's names at the end."""
    pool = _Pool()
    part = resolve_file(extractions, rules, pool)
    for key, cls in pool.cls.items():
        classes.setdefault(key, cls)
    pool.cls = {key: classes[key] for key in pool.cls}
    entities = _entities(pool, rules, labelled=False)
    facts = [*part.facts, *_curated_facts(entities, rules)]
    return Resolved(
        entities=entities,
        facts=tuple(f for f in facts if _stands_alone(f, entities)),
        measures=part.measures,
        positions=part.positions,
        articles=part.records,
    )


def resolve_file(extractions: Sequence[Extraction], rules: Rules, pool: _Pool) -> FileResolution:
    """The articles of one input file, resolved from that file alone; what they name is added
    to ``pool``."""
    context = FileContext.of(extractions, rules)
    records, facts, measures, positions = [], [], [], []
    for extraction in extractions:
        record, article_facts, article_measures, article_positions = _resolve_article(
            extraction, rules, pool, context
        )
        records.append(record)
        facts += article_facts
        measures += article_measures
        positions += article_positions
    return FileResolution(
        tuple(records),
        tuple(infer(_one_date_each(_dedupe(_without_guesses(facts, rules))), rules)),
        tuple(measures),
        tuple(positions),
    )


def _resolve_article(
    extraction: Extraction, rules: Rules, pool: _Pool, context: FileContext
) -> tuple[ArticleRecord, list[Fact], list[MeasureFact], list[PositionFact]]:
    article = extraction.article
    sentences = extraction.sentences
    keys = _Keys(extraction, rules, context)
    named: list[EntityKey] = []

    def proof(index: int) -> str | None:
        return evidence(sentences[index].original) if 0 <= index < len(sentences) else None

    def add(key: EntityKey, mention: Mention, names: Iterable[str], told: str | None = None) -> None:
        pool.add(key, entity_class(key, mention.cls, rules), names, article.key, told, mention.written)

    editions: list[EntityKey] = []
    for mention in extraction.mentions:
        key, more = keys.identify(mention)
        add(
            key,
            mention,
            [*_names(mention), *more],
            proof(mention.sentence) if mention.cls == "Event" else None,
        )
        named.append(key)
        if key.is_edition:
            editions.append(key)
    publishers = []
    for mention in extraction.publishers:
        key, names = _publisher(mention, rules, keys)
        add(key, mention, names)
        publishers.append(key)
        named.append(key)
    facts = [
        _fact(relation, keys, article, proof(relation.sentence), rules, pool)
        for relation in extraction.relations
    ]
    facts += _edition_facts(editions, article, rules, pool)
    named += [EntityKey.of_entry(key.entry) for key in editions if key.entry is not None]
    measures = [
        _measure(m, keys, article, proof(m.sentence), n) for n, m in enumerate(extraction.measures, 1)
    ]
    posts = [_position(p, keys, article, proof(p.sentence)) for p in extraction.positions]
    for post in extraction.positions:
        for mention in (post.person, post.organization):
            add(keys.of(mention), mention, _names(mention))
    record = ArticleRecord(
        article,
        f"{ascii_slug(article.title, 32)}-{article.digest}",
        article.file_digest or short_hash(article.source, 16),
        tuple(dict.fromkeys(publishers)),
        tuple(sorted(set(named), key=lambda k: k.text)),
    )
    return record, [f for f in facts if f], measures, posts


def _edition_facts(editions: Iterable[EntityKey], article: Article, rules: Rules, pool: _Pool) -> list[Fact]:
    """Each edition an article names is an edition of its series, which the article names too."""
    facts = []
    for key in sorted(set(editions), key=lambda k: k.text):
        assert key.entry is not None
        series = EntityKey.of_entry(key.entry)
        pool.add(series, SERIES, [rules.gazetteer[key.entry].label], article.key)
        facts.append(Fact(key, "editionOf", EDITION_RULE, article.key, object=series))
    return facts


def _names(mention: Mention) -> list[str]:
    names = [mention.surface, *(mention.alt_labels)]
    if mention.label:
        names.insert(0, mention.label)
    return [n for n in names if n]


def _publisher(mention: Mention, rules: Rules, keys: _Keys) -> tuple[EntityKey, list[str]]:
    """The key and names of a body that signs the article: a bare 省科协 is keyed as the same body
    in the article's text is (one node, not two)."""
    if mention.key:
        return EntityKey.of_entry(mention.key), [mention.label or mention.surface]
    name = mention.surface
    if mention.parent and not name.startswith(mention.parent):
        full = mention.parent + name
        curated = _lookup(rules, full, "Organization")
        key = EntityKey.of_entry(curated) if curated else EntityKey.of_name("Organization", name_key(full))
        return key, [full, name]
    return keys.of(mention), [name]


def _fact(
    relation: Relation, keys: _Keys, article: Article, proof: str | None, rules: Rules, pool: _Pool
) -> Fact | None:
    subject = keys.of(relation.subject)
    if relation.object is not None:
        target = keys.of(relation.object)
        if target == subject:
            return None
        if relation.predicate == "partOf" and entity_class(target, relation.object.cls, rules) == SERIES:
            return None  # an undated page's 某学会全国科普日活动: part of an edition it cannot date
        # a body the fact names without a span of its own (the bulletin's body, a parent, 中国共产党 in
        # 党的十九大) is named by this article too, so the article's graph holds it; an event so named
        # (the contest a 某大赛总决赛 opens with) is named inside the fact's sentence, its evidence
        pool.add(
            target,
            entity_class(target, relation.object.cls, rules),
            [*_names(relation.object), *keys.extra_names(relation.object)],
            article.key,
            proof=proof if relation.object.cls == "Event" else None,
            written=relation.object.written,
        )
        return Fact(subject, relation.predicate, relation.rule, article.key, object=target, evidence=proof)
    return Fact(
        subject,
        relation.predicate,
        relation.rule,
        article.key,
        value=relation.value,
        datatype=relation.datatype,
        evidence=proof,
    )


def _measure(
    measure: MeasureMention, keys: _Keys, article: Article, proof: str | None, number: int
) -> MeasureFact:
    owner = keys.of(measure.owner) if measure.owner else None
    return MeasureFact(
        f"{article.digest}-{number}",
        article.key,
        owner,
        measure.value,
        measure.unit,
        measure.counts,
        measure.qualifier,
        proof or "",
        measure.rule,
        measure.counts_written,
        measure.activity,
    )


def _position(position: PositionMention, keys: _Keys, article: Article, proof: str | None) -> PositionFact:
    person, organization = keys.of(position.person), keys.of(position.organization)
    organization_name = position.organization.label or position.organization.surface
    held = person.text + organization.text + position.role
    return PositionFact(
        f"{ascii_slug(organization.readable + position.role, 40)}-{short_hash(held)}",
        person,
        organization,
        position.role,
        organization_name + position.role,
        proof or "",
        article.key,
        position.rule,
        date=article.date,
        membership=short_hash(f"{held}@{article.digest}", 16),
    )


def _entities(pool: _Pool, rules: Rules, labelled: bool = True) -> dict[EntityKey, Entity]:
    entities = {}
    curated_alts: tuple[str, ...]
    for key in sorted(pool.cls, key=lambda k: k.text):
        cls = pool.cls[key]
        curated = rules.gazetteer.get(key.entry) if key.curated and key.entry is not None else None
        if not labelled:
            label, en, curated_alts = "", None, ()
        elif curated:
            label, en = curated.label, curated.en
            curated_alts = tuple(sorted({*curated.aliases, *curated.known_as, *curated.en_aliases}))
        else:
            label, en, curated_alts = preferred_label(cls, pool.names[key]), None, ()
        entities[key] = Entity(
            key,
            cls,
            key.slug(cls),
            label,
            en,
            tuple(sorted(pool.articles[key])),
            {a: tuple(sorted(ns)) for a, ns in pool.names_in[key].items()},
            {a: tuple(sorted(ps)) for a, ps in pool.evidence_in[key].items()},
            curated_alts,
        )
    return entities


def _curated_facts(entities: Mapping[EntityKey, Entity], rules: Rules) -> list[Fact]:
    """What the gazetteer knows of the things an article names: parents, runners, seats, where the
    article names both ends (so an article's graph never depends on another file)."""
    facts = []
    fields = (("part_of", "subOrganizationOf"), ("launched_by", "launchedBy"), ("located_in", "location"))
    for key, entity in entities.items():
        if not key.curated or key.entry is None:
            continue
        entry = rules.gazetteer[key.entry]
        for field_name, predicate in fields:
            target_id = getattr(entry, field_name)
            target = entities.get(EntityKey.of_entry(target_id)) if target_id else None
            if target is None:
                continue
            for article in sorted(
                set(entity.articles) & set(target.articles)
            ):  # each article graph stands alone
                facts.append(Fact(key, predicate, f"gazetteer.{field_name}", article, object=target.key))
    return facts


def _stands_alone(fact: Fact, entities: Mapping[EntityKey, Entity]) -> bool:
    """Does the fact's article name both its ends? (Then the article's graph needs no other file.)"""
    ends = [fact.subject] + ([fact.object] if fact.object else [])
    return all(end in entities and fact.article in entities[end].articles for end in ends)


def _without_guesses(facts: list[Fact], rules: Rules) -> list[Fact]:
    """Drop a bulletin-body guess of an actor where the same article states one for the same thing,
    or, for a session or ceremony, for the event it is part of (…启动仪式。本次活动由A、B主办: the
    event's hosts are named, the ceremony's actor is no guess of the bulletin's)."""
    guessing = {r.id for r in rules.relation_rules if r.guess}
    sessions = {r.id for r in rules.relation_rules if r.kind == "session"}
    stated = {(f.subject, f.predicate, f.article) for f in facts if f.rule not in guessing and f.object}
    wholes: dict[tuple[EntityKey, str], set[EntityKey]] = {}
    for fact in facts:
        if fact.rule in sessions and fact.object:
            wholes.setdefault((fact.subject, fact.article), set()).add(fact.object)

    def contradicted(fact: Fact) -> bool:
        things = {fact.subject, *wholes.get((fact.subject, fact.article), ())}
        return any((thing, fact.predicate, fact.article) in stated for thing in things)

    return [f for f in facts if f.rule not in guessing or not contradicted(f)]


def _dedupe(facts: Iterable[Fact]) -> list[Fact]:
    seen, kept = set(), []
    for fact in facts:
        identity = (fact.subject, fact.predicate, fact.object, fact.value, fact.article)
        if identity not in seen:
            seen.add(identity)
            kept.append(fact)
    return kept


def _one_date_each(facts: list[Fact]) -> list[Fact]:
    """An event keeps the first start and end date its file states for it (the contract allows
    one of each); a later, different one in the same file is dropped."""
    first: dict[tuple[EntityKey, str], str] = {}
    for fact in facts:
        if fact.predicate in ("startDate", "endDate"):
            first.setdefault((fact.subject, fact.predicate), fact.value or "")
    return [
        f
        for f in facts
        if f.predicate not in ("startDate", "endDate") or first[(f.subject, f.predicate)] == f.value
    ]


def _qualified(kind: str, event: str) -> str:
    """A session's kind qualified by its event's name, the words they share written once (某馆正式开馆
    + 开馆仪式 → 某馆正式开馆仪式; 某年会 + 开幕式 → 某年会开幕式)."""
    if event.endswith(kind):
        return event
    shared = next((n for n in range(len(kind) - 1, 1, -1) if event.endswith(kind[:n])), 0)
    return event + kind[shared:]
