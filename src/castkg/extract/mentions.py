"""Entity mentions in one sentence: gazetteer names first, then the pattern rules.

Each rule kind is a matcher registered by name in ``castkg.registry.MATCHERS`` with the frozen
dataclass of its settings (``@matcher("suffix", settings=Suffix, emits=…)``); entities.yaml
chooses and configures them. The sentence is read once into a frozen :class:`SentenceScope`
(the gazetteer's names and indexes over them). Overlaps are resolved longest first, then
leftmost, then by rule priority; a name inside a longer name of another class is kept as a
nested mention (世界经济论坛 inside 世界经济论坛“达沃斯议程”对话会).
"""

from __future__ import annotations

import functools
import re
import string
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from castkg.extract.text import (
    CJK,
    CLOSE_QUOTES,
    LEADING_NUMBERING,
    OPEN_QUOTES,
    REMARK,
    SENTENCE_MARKS,
    clause_bounds,
    is_numbered_meeting,
)
from castkg.model import Mention
from castkg.registry import MATCHERS, PATTERNS, RULE_CLASS, WORDS
from castkg.rules import (
    CITY,
    ClassName,
    GazetteerEntry,
    Rule,
    Rules,
    WordList,
    gazetteer_automaton,
    name_key,
    yaml_name,
)

QUOTE_CHARS = OPEN_QUOTES + CLOSE_QUOTES
OPEN_QUOTE_MARKS, CLOSE_QUOTE_MARKS = "“「『", "”」』"
"""The quote marks a name may sit inside (straight quotes and ‘’ open and close alike)."""
HAN = re.compile(r"[\u4e00-\u9fff]")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
NAME_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z0-9·\-—]")
MIDDLE_DOTS = "·・•‧"
DASH = "—"
NAME_SEPARATORS = MIDDLE_DOTS + DASH
LEADING_SEPARATORS = NAME_SEPARATORS + "-"
"""What no name opens with, though a name may hold it (安东尼奥·古特雷斯)."""
TYPED_DASH = "--"
"""A dash typed as two hyphens (某学会--某省某学会), where a single one may join two names."""

BY_GAZETTEER, BY_QUOTES, BY_PATTERN, BY_FALLBACK = 0, 1, 2, 3
"""Priorities: on equal spans a curated name beats a quoted one beats a suffix pattern beats a
template marked ``fallback``."""

YEAR_INSIDE = PATTERNS.need("year_inside")
BRACKETED_ALIAS_MARKER = PATTERNS.need("bracketed_alias_marker")
BRACKETED_ALIAS = PATTERNS.need("bracketed_alias")
EVENT_DESCRIPTION_OPENING = PATTERNS.need("event_description_opening")
COUNTED_START = PATTERNS.need("counted_start")
ANNIVERSARY_OPENING = PATTERNS.need("anniversary_opening")
PUBLISHED_AFTER = PATTERNS.need("published_after")
COUNT_BEFORE = PATTERNS.need("count_before")
COUNT_INSIDE = PATTERNS.need("count_inside")
INDEFINITE_COUNT = PATTERNS.need("indefinite_count")
NAME_REMARK = PATTERNS.need("name_remark")
COUNT_AFTER = PATTERNS.need("count_after")
HELD_SUBJECT_BEFORE = PATTERNS.need("held_subject_before")
THEME_PHRASE = PATTERNS.need("theme_phrase")
THEME_BEFORE = PATTERNS.need("theme_before")
THEME_CUE = PATTERNS.need("theme_cue")
PEOPLE_LIST_OPENING = PATTERNS.need("people_list_opening")
LISTED_PEOPLE_COUNT = PATTERNS.need("listed_people_count")
EDITION_ORDINAL = PATTERNS.need("edition_ordinal")
CLAUSE_MARKS = "，,。；;：:！!？? \n"
NAME_LIST_MARKS = CLAUSE_MARKS + "、"
"""What a name opening a clause or listed after another comes right after."""
HELD_SUBJECT_AFTER = PATTERNS.need("held_subject_after")
ETHNIC_TAIL = PATTERNS.need("ethnic_tail")
TOWN_OPENING = PATTERNS.need("town_opening")
PHOTO_POSITION = PATTERNS.need("photo_position")
ETHNIC_TOWNSHIP_TAIL = PATTERNS.need("ethnic_township_tail")
COORDINATORS = WORDS.need("coordinators")
LIST_JOINERS = WORDS.need("list_joiners")
ENUMERATION_MARKS = WORDS.need("enumeration_marks")
COLLECTIVE_CORES = WORDS.need("collective_cores")
LEFT_BOUNDARIES = WORDS.need("left_boundaries")
FALSE_STARTS = WORDS.need("false_starts")
NOT_PLACE_AFTER = WORDS.need("not_place_after")
NOT_LEVEL_AFTER = WORDS.need("not_level_after")
NOT_PERSON_AFTER = WORDS.need("not_person_after")
STREET_WORDS = WORDS.need("street_words")
NOT_STREET_WORDS = WORDS.need("not_street_words")
SCOPE_WORDS = WORDS.need("scope_words")
LOCALITY_OPENERS = WORDS.need("locality_openers")
THEME_WORDS = WORDS.need("theme_words")
APPOINTMENT_OPENERS = WORDS.need("appointment_openers")
LOCALITY_KINDS = WORDS.need("locality_kinds")
LOCALITY_CLOSERS = WORDS.need("locality_closers")
COUNTRY_NAMES = WORDS.need("country_names")
SUFFIX_NOT_BEFORE = WORDS.need("suffix_not_before")
GENERIC_PREFIXES = WORDS.need("generic_prefixes")
KIND_PREFIXES = WORDS.need("kind_prefixes")
ADVERBS = WORDS.need("adverbs")
GENERIC_CORES = WORDS.need("generic_cores")
GENERIC_HEADS = WORDS.need("generic_heads")
PUBLISH_VERBS = WORDS.need("publish_verbs")
POSSESSIVE = WORDS.need("possessive_particles")
ORDINAL_MARKS = WORDS.need("ordinal_marks")
ETHNIC_GROUPS = WORDS.need("ethnic_groups")
GENERIC_PLACE_CORES = WORDS.need("generic_place_cores")
SURNAMES = WORDS.need("surnames")
AFTER_NAME = WORDS.need("after_name")
NAME_CLOSING_VERBS = WORDS.need("name_closing_verbs")
FUNCTION_CHARS = WORDS.need("function_chars")
ROLES = WORDS.need("roles")
NAME_OPENING_POSTS = WORDS.need("posts_before_honorifics")
HONORIFICS = WORDS.need("honorifics")
NAME_PHRASE_HEADS = WORDS.need("name_phrase_heads")
HELD_NAME_INNER_WORDS = WORDS.need("held_name_inner_words")
NESTED_BODY_SUFFIXES = WORDS.need("nested_body_suffixes")
NOT_COUNTY_WORDS = WORDS.need("not_county_words")
EVENT_JOINERS = WORDS.need("event_joiners")
SETUP_VERBS = WORDS.need("setup_verbs")
NOT_PLACE_OPENERS = WORDS.need("not_place_openers")
DIVISION_SUFFIXES = WORDS.need("division_suffixes")
PLACELESS_BODY_HEADS = WORDS.need("placeless_body_heads")
LOCAL_LEVELS = WORDS.need("local_levels")
NATIONAL_OPENINGS = WORDS.need("national_openings")
OBSERVANCE_KINDS = WORDS.need("observance_kinds")
EVENT_KIND_ENDS = WORDS.need("event_kind_ends")
QUOTED_THEME_HEADS = WORDS.need("quoted_theme_heads")
ORGANIZE_VERBS = WORDS.need("organize_verbs")
LOCAL_BODIES = WORDS.need("local_bodies")
PROFESSIONAL_TITLES = WORDS.need("professional_titles")
GROUP_TITLES = WORDS.need("group_titles")
NAME_VERBS = WORDS.need("name_verbs")
SURE_NAME_VERBS = WORDS.need("sure_name_verbs")
NAME_VERB_ADVERBS = WORDS.need("name_verb_adverbs")
NOT_NAME_ENDS = WORDS.need("not_name_ends")
SUFFIX_PARTICLES = WORDS.need("suffix_particles")
POST_COPULAS = WORDS.need("post_copulas")
NOT_COPULAS = WORDS.need("not_copulas")
COLLECTIVE_SCHOOLS = WORDS.need("collective_schools")
VENUE_PLACE_HEADS = WORDS.need("venue_place_heads")
VENUE_GENERIC_OPENERS = WORDS.need("venue_generic_openers")
VENUE_ADVERBS = WORDS.need("venue_adverbs")
OWN_PLACE_WORDS = WORDS.need("own_place_words")
VENUE_PREPOSITIONS = WORDS.need("venue_prepositions")
VENUE_ROOMS = WORDS.need("venue_rooms")
LOCATION_VERBS = WORDS.need("location_verbs")
SIGNING_VERBS = WORDS.need("signing_verbs")
LIST_ENDS = WORDS.need("list_ends")
UNIT_PERSON_LINKS = WORDS.need("unit_person_links")
UNIT_HEADS = WORDS.need("unit_heads")
AUTHORSHIP_WORDS = WORDS.need("authorship_words")
NOT_NAMES = WORDS.need("not_names")
ORDER_NOTES = WORDS.need("order_notes")
EVENT_COMMITTEES = WORDS.need("event_committees")
PEOPLE_NOUNS = WORDS.need("people_nouns")
SESSION_KINDS = WORDS.need("session_kinds")
PERFORMANCE_CUES = WORDS.need("performance_cues")
TOPIC_CUES = WORDS.need("topic_cues")
OPENING_SESSIONS = WORDS.need("opening_sessions")
CLOSING_SESSIONS = WORDS.need("closing_sessions")
ROLE_NAME_NOT_ENDS = WORDS.need("role_name_not_ends")
ROLE_NOT_BEFORE = WORDS.need("role_not_before")
POST_TAKING_WORDS = WORDS.need("post_taking_words")
APPOINTING_VERBS = WORDS.need("appointing_verbs")
NOT_IN_PLACE_NAMES = WORDS.need("not_in_place_names")
VERBS_BEFORE_BODIES = WORDS.need("verbs_before_bodies")
COLLECTIVE_LEVEL_WORDS = WORDS.need("collective_level_words")
ONE_CHARACTER_LEVELS = WORDS.need("one_character_levels")
ONE_CHARACTER_NOT_PLACES = WORDS.need("one_character_not_places")
BOUNDARY_HOLDERS = WORDS.need("boundary_holders")
ELECTED_LINKS = WORDS.need("elected_links")
POST_QUALIFIERS = WORDS.need("post_qualifiers")
VERBS_AFTER_BODIES = WORDS.need("verbs_after_bodies")
LOCAL_DEPARTMENTS = WORDS.need("local_departments")


@dataclass(frozen=True)
class Candidate:
    """A mention before overlaps are resolved."""

    mention: Mention
    priority: int


@dataclass(frozen=True)
class Quotes:
    """Where quotes open and close in a text, so that "which quote is this inside?" is one lookup."""

    opened: tuple[int | None, ...]
    """For each position, where the innermost quote still open before it opened."""
    last_close: int
    """The last closing quote mark (-1 when none)."""

    def inside(self, position: int) -> int | None:
        """Where the quote that ``position`` lies inside opens, if it does (and closes after it)."""
        return self.opened[position] if position <= self.last_close else None


_QUOTE_MARK = re.compile(f"[{OPEN_QUOTE_MARKS}{CLOSE_QUOTE_MARKS}]")


def quotes_of(text: str) -> Quotes:
    """The :class:`Quotes` of ``text``: a closing mark closes the latest open quote, a stray one
    nothing."""
    opened: list[int | None] = []
    stack: list[int] = []
    last_close, done = -1, 0  # positions before `done` have their entry
    for mark in _QUOTE_MARK.finditer(text):
        position = mark.start()
        opened.extend([stack[-1] if stack else None] * (position + 1 - done))
        done = position + 1
        if mark.group() in CLOSE_QUOTE_MARKS:
            last_close = position
            if stack:
                stack.pop()
        else:
            stack.append(position)
    opened.extend([stack[-1] if stack else None] * (len(text) + 1 - done))
    return Quotes(tuple(opened), last_close)


@dataclass(frozen=True)
class SentenceScope:
    """What the matchers of one sentence share: its text, the rules, the gazetteer's names in it
    (found first) and indexes over them, all built once by :func:`sentence_scope`."""

    text: str
    index: int
    rules: Rules
    stops: frozenset[int] = frozenset()
    """Positions a name never extends left across (ends of dates and counted numbers)."""
    title: bool = False
    """Whether the sentence is the article's title."""
    counts_end: frozenset[int] = frozenset()
    """Ends of counted numbers: a name right after one is a category (105个科技服务团), not a name."""
    gazetteer: tuple[Candidate, ...] = ()
    """The gazetteer's names in the sentence."""
    gazetteer_hits: tuple[Mention, ...] = ()
    hits_by_start: Mapping[int, tuple[Mention, ...]] = field(default_factory=dict, repr=False)
    hits_by_end: Mapping[int, tuple[Mention, ...]] = field(default_factory=dict, repr=False)
    hit_starts: tuple[int, ...] = ()
    """Where gazetteer names start, in order."""
    body_starts: frozenset[int] = frozenset()
    """Where curated bodies start."""
    opener_starts: frozenset[int] = frozenset()
    """Where curated places and bodies start: a name may open there."""
    named_ends: frozenset[int] = frozenset()
    """Where curated bodies and places end."""
    boundary_ends: frozenset[int] = frozenset()
    """Where a left-boundary word (召开, 在, 的 …) ends: no name runs left across it."""
    suffix_ends: frozenset[int] = frozenset()
    """Where a suffix of any suffix rule ends: another name may end there."""
    after_names: frozenset[int] = frozenset()
    """Where a coordinator (、和与及) ends that follows a name's suffix or a curated body or place."""
    local_starts: frozenset[int] = frozenset()
    """Where a place no gazetteer knows starts, named before its level and a local body
    (青川|县科技馆, 奉化|区科协): a name may open there."""
    quotes: Quotes = Quotes((None,), -1)
    unit_names: tuple[tuple[int, int], ...] = ()
    """Where the names right after a unit's name start and end (某学会|胡某某、): people, and the
    anchors of lists of names."""


def sentence_scope(
    text: str,
    index: int,
    rules: Rules,
    stops: Iterable[int] = (),
    counts_end: Iterable[int] = (),
    title: bool = False,
) -> SentenceScope:
    """The scope of one sentence: the gazetteer's names in it, and the indexes the matchers read."""
    gazetteer = tuple(gazetteer_mentions(text, index, rules))
    hits = tuple(c.mention for c in gazetteer)
    by_start: dict[int, list[Mention]] = {}
    by_end: dict[int, list[Mention]] = {}
    for hit in hits:
        by_start.setdefault(hit.start, []).append(hit)
        by_end.setdefault(hit.end, []).append(hit)
    named_ends = frozenset(h.end for h in hits if h.cls in ("Organization", "Place"))
    suffix_ends = frozenset(end for _, end in rules.suffix_words.spans(text))
    titled_ends = {end for _, end in rules.words(HONORIFICS).spans(text)}  # …林晓东博士|和…
    # 主席某某|及…: a name after a post ends like a title
    titled_ends |= {_name_after(text, end, rules) or -1 for _, end in rules.words(ROLES).spans(text)}
    # 某会议精神|和…: the phrase a name's head word makes ends as the name would
    titled_ends |= {end for start, end in rules.words(NAME_PHRASE_HEADS).spans(text) if start in suffix_ends}
    held_words = rules.words(BOUNDARY_HOLDERS).spans(text)  # 科技馆联合行动: no coordinator
    levels = rules.words(LOCAL_LEVELS)
    local_bodies = tuple(rules.words(LOCAL_BODIES).spans(text))  # read three times below
    local_ends = {end for start, end in local_bodies if text[start - 1 : start] in levels}
    after_names = frozenset(
        end
        for start, end in rules.words(COORDINATORS).spans(text)
        if (start in suffix_ends or start in named_ends or start in titled_ends or start in local_ends)
        and not any(s <= start and end <= e for s, e in held_words)
    )  # 北京市文联|和|北京市科协: a local body's name ends before 和 as a suffix's does
    # 副院长某某|为|协会…: a function word after a post's holder ends the name before it
    held = {
        end + 1 for end in titled_ends if 0 <= end < len(text) and text[end] in rules.words(FUNCTION_CHARS)
    }
    boundary_ends = _boundary_ends(text, rules, hits, local_bodies, suffix_ends) | held
    local_starts = _local_place_starts(text, rules, boundary_ends, {h.start for h in hits})
    local_starts |= _town_starts(text, rules, local_bodies)
    return SentenceScope(
        text=text,
        index=index,
        rules=rules,
        stops=frozenset(stops),
        title=title,
        counts_end=frozenset(counts_end),
        gazetteer=gazetteer,
        gazetteer_hits=hits,
        hits_by_start=MappingProxyType({start: tuple(found) for start, found in by_start.items()}),
        hits_by_end=MappingProxyType({end: tuple(found) for end, found in by_end.items()}),
        hit_starts=tuple(sorted(h.start for h in hits)),
        body_starts=frozenset(h.start for h in hits if h.cls == "Organization"),
        opener_starts=frozenset(h.start for h in hits if h.cls in ("Place", "Organization")),
        named_ends=named_ends,
        boundary_ends=boundary_ends,
        suffix_ends=suffix_ends,
        after_names=after_names,
        local_starts=frozenset(local_starts),
        quotes=quotes_of(text),
        unit_names=tuple(_names_after_units(text, rules)),
    )


def _boundary_ends(
    text: str,
    rules: Rules,
    hits: Sequence[Mention],
    local_bodies: Sequence[tuple[int, int]],
    suffix_ends: frozenset[int],
) -> frozenset[int]:
    """Where a left-boundary word ends, and a verb right after a body or a name's suffix (中卫市科协|
    组织|专家服务团, 市科协学会部|组织|学会; ``local_bodies``: the spans of local bodies' words):
    no name runs left across these. A boundary
    inside a longer word bounds nothing (启动|仪式, 求是|杰出青年奖, 成立|大会, 科协组织部)."""
    holders = [
        *rules.words(SESSION_KINDS).spans(text),
        *rules.words(BOUNDARY_HOLDERS).spans(text),
        *rules.words(LOCAL_DEPARTMENTS).spans(text),
        *rules.words(EVENT_COMMITTEES).spans(text),
        *((h.start, h.end) for h in hits),
    ]
    body_ends = {end for _, end in local_bodies}
    body_ends |= {h.end for h in hits if h.cls == "Organization"} | suffix_ends
    verbs = [(start, end) for start, end in rules.words(VERBS_AFTER_BODIES).spans(text) if start in body_ends]
    words = list(rules.words(LEFT_BOUNDARIES).spans(text))
    crossed = {
        (start, end) for start, end in words for s, e in words if s < start < e < end
    }  # 召开|馆校: 开馆 is none
    return frozenset(
        end
        for start, end in [*words, *verbs]
        if (start, end) not in crossed
        and not any(s <= start and end <= e and (s, e) != (start, end) for s, e in holders)
    )


def _local_place_starts(text: str, rules: Rules, boundary_ends: frozenset[int], named: set[int]) -> set[int]:
    """Where a place named before its level and a local body starts (青川县科技馆 → 0): two to
    four characters after punctuation or a boundary word, none of them a word that opens no place,
    and no curated name starting among them (产生湖南省科协 is 湖南's)."""
    starts = set()
    levels, not_openers = rules.words(LOCAL_LEVELS), rules.words(NOT_PLACE_OPENERS).words
    for match in rules.words(LOCAL_BODIES).pattern.finditer(text):
        level = match.start() - 1
        if level < 2 or text[level] not in levels:
            continue
        for start in range(max(0, level - 4), level - 1):
            opens = start == 0 or not HAN.match(text[start - 1]) or start in boundary_ends
            core = text[start:level]
            if any(start <= n < level for n in named):
                break
            if any(c in rules.words(NOT_IN_PLACE_NAMES) for c in core):
                continue
            if opens and HAN_RUN.fullmatch(core) and not core.startswith(not_openers):
                after = _past_verb(text, rules, start, level)  # 组织|市科协: no place
                if after == start or level - after >= 2:
                    starts.add(after)
                break
    return starts


def _town_starts(text: str, rules: Rules, local_bodies: Sequence[tuple[int, int]]) -> set[int]:
    """Where a town opens a body's name: after a word that leads to a place (在两河口镇|某某协会召开),
    and wherever the sentence names again a town it names before a local body (``local_bodies``:
    their words' spans; 长安镇科学技术协会、长安镇|经济发展局): a place at the name's start, as a
    county is."""
    town = rules.pattern(TOWN_OPENING)
    starts = {
        opener.end()
        for opener in rules.words(LOCALITY_OPENERS).pattern.finditer(text)
        if town.match(text, opener.end())
    }
    names = {
        text[start:body]
        for body, _ in local_bodies
        for start in range(max(0, body - TOWN_LONGEST), body - 2)
        if (start == 0 or text[start - 1] in NAME_LIST_MARKS)  # 、长安镇|科学技术协会; not 联合|果园镇政府
        and (found := town.match(text, start)) is not None
        and found.end() == body
    }
    for name in names:
        at = text.find(name)
        while at >= 0:
            starts.add(at)
            at = text.find(name, at + 1)
    return starts


TOWN_LONGEST = 5
"""The most characters of a town's name with its level (某某某街道)."""


Matcher = Callable[[SentenceScope, Rule[Any]], list[Candidate]]
matcher = MATCHERS.register


@dataclass(frozen=True)
class OfClass:
    """Settings of a kind that is told only the class of what it finds."""

    cls: ClassName = field(metadata=yaml_name("class"))


def _mention(scope: SentenceScope, start: int, end: int, cls: str, rule: str, **extra: object) -> Mention:
    while start < end - 1 and scope.text[start] in LEADING_SEPARATORS:
        start += 1  # —赋能某某活动 (a headline's second line): no name opens with a dash or a dot
    surface = strip_wrapping(scope.text[start:end])
    return Mention(sentence=scope.index, start=start, end=end, surface=surface, cls=cls, rule=rule, **extra)  # type: ignore[arg-type]


def strip_wrapping(text: str) -> str:
    """A name without quote marks or brackets around the whole of it."""
    pairs = {"“": "”", "《": "》", "「": "」", "『": "』", '"': '"', "‘": "’", "(": ")", "（": "）"}
    text = text.strip()
    while (
        len(text) > 2
        and text[0] in pairs
        and text.endswith(pairs[text[0]])
        and text[1:-1].count(text[0]) == text[1:-1].count(pairs[text[0]])
    ):
        text = text[1:-1].strip()
    return text


# --- gazetteer ---------------------------------------------------------------------------------


def _local_namesake(rules: Rules, entry: GazetteerEntry, text: str, start: int, end: int) -> bool:
    """Is the short name of a national body, series or congress (创新战略研究院 for 中国科协创新战略研究院,
    青少年科技创新大赛 for 全国青少年科技创新大赛, 科协十大 for 中国科协第十次全国代表大会) written right
    after a province's, city's or county's name, so naming that place's own body, contest or
    congress? A day or week the nation keeps (某市|科技活动周) is the national one kept there."""
    if entry.cls not in ("Organization", "Event") or not entry.label.startswith(
        rules.words(NATIONAL_OPENINGS).words
    ):
        return False
    written = text[start:end]
    if entry.cls == "Event" and (
        (not entry.series and written.startswith(rules.words(NATIONAL_OPENINGS).words))
        or entry.label.endswith(rules.words(OBSERVANCE_KINDS).words)
    ):
        return False  # a one-time event written in full is that event; a national day is kept there
    if name_key(written) == name_key(entry.label):
        return False
    return text.endswith(rules.words(LOCAL_LEVELS).words, 0, start)


def gazetteer_mentions(text: str, index: int, rules: Rules) -> list[Candidate]:
    """Every matched name of the gazetteer, compared ignoring quote marks, spaces and case."""
    searchable, position = _folded(text)
    found = []
    for last, (entry_id, length, latin) in gazetteer_automaton(rules).iter(searchable):
        first = last - length + 1
        start, end = position(first), position(last) + 1
        if latin and not _latin_bounded(text, start, end):
            continue
        if end - start == 2 and start and text[start - 1 : start + 1] in rules.words(FALSE_STARTS):
            continue  # 其中国家 holds no 中国
        entry = rules.gazetteer[entry_id]
        quoted = start > 0 and text[start - 1] in OPEN_QUOTES and text[end : end + 1] in CLOSE_QUOTES
        if entry.cls == "Place" and text.startswith(rules.words(NOT_PLACE_AFTER).words, end):
            continue  # 西班牙语 is a language, not Spain; 中国式现代化, 中国特色 name no place
        if entry.cls == "Person" and text.startswith(rules.words(NOT_PERSON_AFTER).words, end):
            continue  # 习近平新时代中国特色社会主义思想 names a doctrine, not its author's part in the news
        if entry.cls == "Place" and _in_street_name(rules, text, end):
            continue  # 沱江西路 is a street, no 江西
        if entry.quoted_only and not quoted:
            continue  # 决战脱贫攻坚 names a task; “十四五” names the plan
        if _local_namesake(rules, entry, text, start, end):
            continue  # 山东省|创新战略研究院, 四川省|知识产权局: a local body of the national one's name
        surface = strip_wrapping(text[start:end])
        mention = Mention(
            index, start, end, surface, entry.cls, f"gazetteer:{entry.id}", key=entry.id, label=entry.label
        )
        found.append(Candidate(mention, BY_GAZETTEER))
    return found


def _in_street_name(rules: Rules, text: str, end: int) -> bool:
    """Does a street's name go on at ``end``, after a place's (沱江西路, 北京东路)?"""
    return text.startswith(rules.words(STREET_WORDS).words, end) and not text.startswith(
        rules.words(NOT_STREET_WORDS).words, end
    )


_UNFOLDED = re.compile(rf"[{QUOTE_CHARS}\s]")


def _folded(text: str) -> tuple[str, Callable[[int], int]]:
    """``text`` without quote marks and spaces, each character lower-cased, and where each of its
    characters is in ``text``."""
    removed = [m.start() for m in _UNFOLDED.finditer(text)]
    kept = _UNFOLDED.sub("", text) if removed else text
    folded = kept.lower()
    if len(folded) != len(kept) or "\u03a3" in kept:  # a letter that lowers to two, or Σ (ς at a word end)
        folded = "".join(char.lower() for char in kept)
        if len(folded) != len(kept):
            positions = [i for i, char in enumerate(text) if char not in QUOTE_CHARS and not char.isspace()]
            lengths = [len(char.lower()) for char in kept]
            owner = [k for k, n in enumerate(lengths) for _ in range(n)]  # folded index → kept index
            return folded, lambda i: positions[owner[i]]
    # a kept character's place in text: its own place plus the removed characters before it
    gaps = [at - count for count, at in enumerate(removed)]
    return folded, lambda i: i + bisect_right(gaps, i)


def _latin_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


# --- suffix names ------------------------------------------------------------------------------


QUOTED_PART_OPENERS, QUOTED_PART_CLOSERS = "“「『《", "”」』》"
"""Marks of a quoted part or a title inside a name (“同心同影”…活动, 《科普中国》…培训班)."""


_CLAUSE_MARK = re.compile(f"[{re.escape(CLAUSE_MARKS)}]")
QUOTED_NAME_MAX = 30
"""The most characters before a suffix inside quotes that are one name when a comma stands among
them (“玩转科技，点燃梦想——2013沪台青少年科技夏令营”); a longer quote with one is a remark."""


def _quoted_name(quoted: str, rules: Rules) -> bool:
    """Can the quoted words before a suffix be one name, not a remark (“某站的设立，是…，希望老科协…”)?
    A slogan may open a name (“玩转科技，点燃梦想——2013…夏令营”); a clause that opens with a
    boundary word (“创建某基地，是某科协…”) is said, not named."""
    if not any(mark in CLAUSE_MARKS for mark in quoted):
        return True
    last_clause = _CLAUSE_MARK.split(quoted)[-1]
    return (
        len(quoted) <= QUOTED_NAME_MAX
        and not any(mark in SENTENCE_MARKS for mark in quoted)
        and not last_clause.startswith(rules.words(LEFT_BOUNDARIES).words)
    )


def _alias_note_ending(scope: SentenceScope, end: int, name_end: int) -> re.Match[str] | None:
    """The alias note of a body's name that ends at ``end`` (某某协会|（以下简称某协）), if any, when
    the name going on after it to ``name_end`` joins no second one (…颁授会及…会议 are two)."""
    text, words = scope.text, scope.rules.words
    opening = max(text.rfind(o, 0, end) for o in "(（")
    if opening < 0 or words(COORDINATORS).pattern.search(text, end, name_end):
        return None
    body = text.endswith(words(NESTED_BODY_SUFFIXES).words, 0, opening) or any(
        h.cls == "Organization" for h in scope.hits_by_end.get(opening, ())
    )
    return _alias_note_at(scope, opening, end) if body else None


def _alias_note_at(scope: SentenceScope, start: int, end: int) -> re.Match[str] | None:
    """The bracketed short name that says it is one (（以下简称某协）) from ``start`` to ``end``, if it is."""
    note = scope.rules.pattern(BRACKETED_ALIAS).fullmatch(scope.text, start, end)
    marked = scope.rules.pattern(BRACKETED_ALIAS_MARKER).match(scope.text, start) is not None
    return note if marked else None


def _without_alias_note(scope: SentenceScope, start: int, end: int) -> str | None:
    """The name from ``start`` to ``end`` without the alias note of a body inside it (the name the
    mention is known by), or None when it holds none."""
    text, marker = scope.text, scope.rules.pattern(BRACKETED_ALIAS_MARKER)
    for note in scope.rules.pattern(BRACKETED_ALIAS).finditer(text, start, end):
        if marker.match(text, note.start()):
            return text[start : note.start()] + text[note.end() : end]
    return None


def walk_left(scope: SentenceScope, position: int, through_notes: bool = False) -> int:
    """Where a name ending at ``position`` starts: back over name characters and at most one
    quoted part (one on each side of 暨), stopping at punctuation, a boundary word, a date or a
    counted number, and at a coordinator after another name (中国科协与人民日报社 is two names).
    With ``through_notes``, on over a body's alias note (an event's name: 某协会(以下简称某协)|
    表彰大会)."""
    text = scope.text
    opened = scope.quotes.inside(position)
    if opened is not None and _quoted_name(text[opened + 1 : position], scope.rules):
        return opened + 1  # a quoted name; a quoted remark is walked as any text
    i, quotes = position, 0
    while i > 0 and i not in scope.stops:
        char = text[i - 1]
        if char in QUOTED_PART_CLOSERS:  # one quoted part or title (《科普中国》信息员培训班)
            start = max(text.rfind(o, 0, i - 1) for o in QUOTED_PART_OPENERS)
            if quotes or start < 0:
                break
            i, quotes = start, quotes + 1
            joiner = _title_pair_joiner(scope, i)
            if joiner:  # “某某奖”及|“某某称号”活动: two titles joined in one name
                i, quotes = i - len(joiner), 0
            continue
        if char in ")）":
            remark = re.search(r"[(（][“”\u4e00-\u9fff\d]{1,8}[)）]$", text[:i])
            alias = remark and scope.rules.pattern(BRACKETED_ALIAS_MARKER).match(text, remark.start())
            if remark and remark.start() > 0 and not alias:  # 第16次党组(扩大)会议, 第十五次(2018年)“…”活动
                i = remark.start()
                continue
            coordinator = scope.rules.words(COORDINATORS).pattern.match(text, i)
            if alias and coordinator and coordinator.end() < position:  # A(以下简称甲)和|B
                i = coordinator.end()
            elif through_notes and (note := _alias_note_ending(scope, i, position)) is not None:
                i = note.start()  # 某协会(以下简称某协)|表彰大会: a body's alias note inside the name
                continue
            break
        if char == "、" and _joins_known_events(scope, i - 1, position):
            i -= 1  # 某市全国科技活动周、全国科技工作者日|系列活动: one programme named after both
            continue
        if not NAME_CHAR.match(char) and not (char in RANGE_MARKS and _joins_alternatives(text, i - 1)):
            break
        dash = char in NAME_SEPARATORS or text.endswith(TYPED_DASH, 0, i)
        if dash and len(text[:i].rstrip(LEADING_SEPARATORS)) in scope.suffix_ends:
            break  # 第十五届某某论坛·2023某某专家论坛, 某年会——某圆桌会议, 某学会--某省某学会: two
            # names, the dot or the dash after the first's suffix
        if char in "—-" and text[:i].rstrip("—-").endswith(tuple(CLOSE_QUOTES)):
            break  # “创新争先”——某市科技工作者日主题活动: the slogan is the theme, the name follows
        if (
            i in scope.boundary_ends
            and not text.startswith(scope.rules.words(EVENT_JOINERS).words, i)
            and not scope.rules.pattern(ANNIVERSARY_OPENING).match(text, i)
        ):
            break  # …活动周启动暨…授牌仪式: a verb before 暨 is part of the first name; 发射成功|50周年
        if _after_a_name(scope, i) or _name_meets_name(scope, i):
            break
        if text.endswith(scope.rules.words(EVENT_JOINERS).words, 0, i) and i - 1 not in scope.suffix_ends:
            quotes = 0  # …“甲”建设暨|“乙”活动启动仪式: each half may hold its quoted part (not when the
            # first half is a name of its own: “甲”启动仪式暨|“乙”活动)
        i -= 1
    return i


def _title_pair_joiner(scope: SentenceScope, opener: int) -> str:
    """The joiner word right before the quoted part opening at ``opener`` when another quoted part
    ends right before it (“甲”及|“乙”), else ''. Not the enumeration mark: “甲”、“乙”展 lists two."""
    text = scope.text
    joiners = (j for j in scope.rules.words(LIST_JOINERS).words if j != LIST_COMMA)
    joiner = next((j for j in joiners if text.endswith(j, 0, opener)), "")
    before = opener - len(joiner)
    return joiner if joiner and before > 0 and text[before - 1] in QUOTED_PART_CLOSERS else ""


def _joins_known_events(scope: SentenceScope, mark: int, name_end: int) -> bool:
    """Does the enumeration mark at ``mark`` stand between two events the gazetteer knows (全国科技
    活动周、全国科技工作者日), with the name ending at ``name_end`` going on after the second (…系列
    活动: one programme named after both)?"""
    before = any(h.cls == "Event" for h in scope.hits_by_end.get(mark, ()))
    after = scope.hits_by_start.get(mark + 1, ())
    return before and any(h.cls == "Event" and h.end <= name_end for h in after)


RANGE_MARKS = "/-–"
"""Marks that join two numbers inside a name (2020/2021秋季学术会议, 2012-2013某某研讨会)."""


def _joins_alternatives(text: str, slash: int) -> bool:
    """Does the mark at ``slash`` join two alternatives inside a name: digits (2020/2021秋季学术
    会议, 2012-2013某某报告研讨会) or, for a slash, words (全科/家庭医学学术研讨会)? Not a crumb's
    separator, which spaces or starts."""
    before, after = text[slash - 1 : slash], text[slash + 1 : slash + 2]
    if before.isdigit() and after.isdigit():
        return True
    return text[slash] == "/" and bool(HAN.match(before) and HAN.match(after))


def _name_meets_name(scope: SentenceScope, position: int) -> bool:
    """Does a curated body start at ``position`` right after another name's suffix (…大会中国科协…)?"""
    return position in scope.body_starts and position in scope.suffix_ends


def _after_a_name(scope: SentenceScope, position: int) -> bool:
    """Is there a coordinator ending at ``position`` with a name right before it?"""
    return position in scope.after_names


def _has_scope(scope: SentenceScope, start: int, end: int, suffix_start: int, strict: bool = False) -> bool:
    """Does the name start, after a year or ordinal, with a scope word (中国, 全国, 世界 …), a place,
    a body or a quote, and say more than that before its suffix (全国学会 is no name)?
    ``strict`` admits only a quote, a place or a body."""
    core = scope.text[start:end]
    lead = scope.rules.pattern(LEADING_NUMBERING).match(core)
    offset = start + (lead.end() if lead else 0)
    rest = scope.text[offset:end]
    if not rest:
        return False
    if rest[0] in QUOTE_CHARS or (rest[0].isascii() and rest[0].isalpha()):
        return True
    hit = max(
        (
            h.end
            for h in scope.hits_by_start.get(offset, ())
            if h.end < end
            and (
                h.cls in ("Place", "Organization")
                or (not strict and h.cls in ("Initiative", "Platform", "Event"))
            )
        ),
        default=None,
    )
    if (
        hit is not None
        or offset in scope.local_starts
        or rest.startswith(scope.rules.words(COUNTRY_NAMES).words)
        or _bracketed_place(scope, offset, suffix_start)
    ):
        return True
    if strict:
        return False
    word = next((w for w in scope.rules.words(SCOPE_WORDS) if rest.startswith(w)), None)
    return word is not None and (offset + len(word) < suffix_start or lead is not None)


def _bracketed_place(scope: SentenceScope, start: int, end: int) -> bool:
    """Does a place stand in brackets between ``start`` and ``end`` (某产业(铜陵)联合体): the scope a
    name gives after its field instead of before it?"""
    # one past ``end``: the pattern looks ahead for the name going on after the remark
    for remark in scope.rules.pattern(NAME_REMARK).finditer(scope.text, start, end + 1):
        inner = remark.start() + 1
        if any(h.cls == "Place" and h.end == remark.end() - 1 for h in scope.hits_by_start.get(inner, ())):
            return True
    return False


def _suffix_pattern(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    """The suffixes as one alternation, longest first, so the longest suffix at a place wins."""
    if not suffixes:
        raise ValueError("suffixes: give at least one")
    return re.compile("|".join(map(re.escape, sorted(suffixes, key=len, reverse=True))))


@dataclass(frozen=True)
class Suffix:
    """Settings of ``suffix``: names of ``class`` ending in one of ``suffixes``."""

    cls: ClassName = field(metadata=yaml_name("class"))
    suffixes: tuple[str, ...]
    """The rule's own suffixes, then the words of ``suffix_lists``."""
    suffix_lists: tuple[WordList, ...] = ()
    """Word lists of lexicon.yaml whose words are suffixes too, shared by several rules
    (gathering_kinds: 意见征求会, 吹风会, 联赛 …)."""
    min_core: int = 2
    """The fewest characters before the suffix (a name quoted whole needs 2)."""
    requires_parent: bool = False
    """Only right after a body's name (中国科协科普部)."""
    requires_trigger: tuple[str, ...] = ()
    """Only right after one of these words (启动…机制)."""
    requires_scope: bool = False
    """The name starts with a scope word, a place, a body or a quote (中国…学会)."""
    requires_name_start: bool = False
    """The name starts with a place, a body or a quote (not a bare scope word)."""
    requires_listed: bool = False
    """Only listed with another name: after a coordinator that follows a name's suffix, or right
    before 、 (设置深空探测高端研讨会、催化科学高端学术论坛…)."""
    requires_held_after: bool = False
    """Only as the subject of its holding: opening its clause, then 在…举行, 开幕 … (patterns
    ``held_subject_before`` and ``held_subject_after``: 院士专家项目对接会在济南召开)."""
    requires_year: bool = False
    """Only a name opening with its year (2013院士专家项目对接台州企业活动): a year before four or more
    characters (pattern ``edition_ordinal``)."""
    requires_followed_by: tuple[str, ...] = ()
    """Only right before one of these words (某园区科学技术协会|成立大会)."""
    requires_unknown: bool = False
    """Only a name with no curated place or body, nor a local place or level, inside it after its
    start (those are the scoped rules' to start: 当天结合|遂城镇科协)."""
    not_after: tuple[str, ...] = ()
    """Cores that end so are no names (获奖, 颁奖)."""
    not_before: tuple[str, ...] = ()
    """What, right after the suffix, makes it part of a longer word (科普展|教资源, 作品展|出)."""
    generic_words: tuple[str, ...] = ()
    """Words that say nothing of which thing it is: a core made of them alone names none (科普活动,
    线上活动, 系列科普活动), nor one holding a list joiner (A和B两场活动)."""
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        shared = (word for words in self.suffix_lists for word in words)
        object.__setattr__(self, "suffixes", tuple(dict.fromkeys((*self.suffixes, *shared))))
        object.__setattr__(self, "pattern", _suffix_pattern(self.suffixes))


@matcher("suffix", settings=Suffix, emits=(RULE_CLASS,))
def match_suffix(scope: SentenceScope, rule: Rule[Suffix]) -> list[Candidate]:
    """Names ending in one of the rule's suffixes (…学会, …论坛, …计划), started by ``walk_left``."""
    text = scope.text
    found = []
    through_notes = rule.settings.cls == "Event"  # an event's name, not a body's, holds a body's note
    for match in _suffixes_ending_names(scope, rule.settings):
        start = walk_left(scope, match.start(), through_notes)
        if rule.settings.cls == "Organization":
            start = _past_joiners(scope, start, match.start())
            start = _past_locality(scope, start, match.start())
            start = _past_verb_before_body(scope, start, match.start())
        if rule.settings.requires_parent:  # 省科协|某某中心: the walk stops after the body's suffix
            start = _local_body_before(scope, start)
            if rule.settings.min_core == 0:  # 中国科协|学会服务中心|党委: the whole curated body
                parents = scope.hits_by_end.get(match.start(), ())
                start = min([start, *(h.start for h in parents if h.cls == "Organization")])
        if any(
            h.cls in ("Organization", "Initiative")
            and h.cls in ("Organization", rule.settings.cls)
            and h.start > start
            and not scope.rules.pattern(LEADING_NUMBERING).fullmatch(text[start : h.start])
            and not (rule.settings.requires_parent and _local_body_before(scope, h.start) == start)
            for h in scope.hits_by_end.get(match.end(), ())
        ):
            continue  # …基地获中国科协, …认定为中国科协海智计划: the curated name ending here is the name
            # (not an event's, a local edition of a curated series; nor after a year or ordinal; nor
            # a unit's bare name after a local body: 省科协|农村专业技术服务中心 is the province's)
        start = _trigger_start(scope, rule, start)
        theme = scope.rules.pattern(THEME_PHRASE).match(text[start : match.start()])  # ^ anchors at 0
        if theme is not None and theme.end() < match.start() - start:
            start += theme.end()  # 举行|以“某某”为主题|科技活动周启动仪式: the theme is no part of the name
        if rule.settings.requires_unknown and (
            any(p in scope.opener_starts or p in scope.local_starts for p in range(start + 1, match.start()))
            or text[match.start() - 1 : match.start()] in scope.rules.words(LOCAL_LEVELS)  # 某镇|科协
        ):
            continue
        if _reject_suffix_name(scope, rule, start, match):
            later = _later_start(scope, rule, start, match)
            if later is None:
                continue
            start = later
        if rule.settings.cls == "Event":
            start = _listed_namesakes_start(scope, start, match.start())
            start = _quoted_title_start(scope, start, match.end())
        mention = _mention(scope, start, match.end(), rule.settings.cls, rule.id)
        unnoted = _without_alias_note(scope, start, match.end()) if through_notes else None
        found.append(Candidate(replace(mention, surface=unnoted) if unnoted else mention, BY_PATTERN))
    return found


SLOGAN_COMMAS = (",", "，")


def _quoted_title_start(scope: SentenceScope, start: int, end: int) -> int:
    """Where an event's name quoted whole starts when a slogan with a comma opens it before a dash
    (“甲，乙——某某活动”): at the quote, not after the comma; else ``start``."""
    text, opener = scope.text, scope.quotes.inside(start)
    if opener is None or text[end : end + 1] not in CLOSE_QUOTES or scope.quotes.inside(end) != opener:
        return start
    lead = text[opener + 1 : start]
    if not lead.endswith(SLOGAN_COMMAS) or any(mark in lead for mark in SENTENCE_MARKS):
        return start
    return opener + 1 if DASH in text[start:end] else start


def _listed_namesakes_start(scope: SentenceScope, start: int, kind_start: int) -> int:
    """Where an event's name starts when things of one kind are listed before it (甲科技小院、|乙科技
    小院授牌仪式: the ceremony of both; the thing listed ends like a part of the name), the list
    opening its clause; else ``start``."""
    text, first = scope.text, start
    thing = text[start:kind_start]
    while first > 1 and text[first - 1] == LIST_COMMA:
        before = walk_left(scope, first - 1)
        listed = text[before : first - 1]
        of_one_kind = len(listed) >= MIN_SHARED_KIND and listed[-MIN_SHARED_KIND:] in thing
        opens = before == 0 or before in scope.stops or not NAME_CHAR.match(text[before - 1])
        if not (of_one_kind and opens):
            break
        first = before
    return first


LIST_COMMA = "、"
MIN_SHARED_KIND = 2
"""The last characters of a thing listed that the name must hold for both to be of one kind
(…科技|小院、…科技小院授牌仪式)."""


def _suffixes_ending_names(scope: SentenceScope, settings: Suffix) -> Iterator[re.Match[str]]:
    """The suffixes in the sentence that end a word, left to right. One that runs on into a longer
    word (any rule's, or this rule's own: 工作会|议) hides no shorter suffix inside it (工作|会议)."""
    text, runs_on = scope.text, scope.rules.words(SUFFIX_NOT_BEFORE).pattern
    position = 0
    while match := settings.pattern.search(text, position):
        if runs_on.match(text, match.end()) or text.startswith(settings.not_before, match.end()):
            position = match.start() + 1
            continue
        yield match
        position = match.end()


def _past_joiners(scope: SentenceScope, start: int, end: int) -> int:
    """Where a body's name ending at ``end`` starts when a joiner stands in it: after 暨 (…党委工作暨|
    学会工作会议), which joins the names of two events, never two halves of a body's; after 与, 和 or
    及 when a curated place or body opens what follows (…原大使某某与|四川省人民政府), though not when
    it joins two words of one name (材料科学与工程学院), right after a body's Latin acronym (IEET与|
    中国工程师学会), or at the start of the run (与|某某联盟签订…); and after a dash (某工作基地——|
    某学会), which no body's name holds."""
    text = scope.text
    ends = [text.rfind(j, start, end) + len(j) for j in (*scope.rules.words(EVENT_JOINERS), DASH)]
    for joiner in scope.rules.words(LIST_JOINERS):
        at = text.rfind(joiner, start, end) + len(joiner)
        before = at - len(joiner) - 1
        # 与|某某联盟签订协议: a preposition opening the run, unless it opens a known name (和田)
        opens_run = before + 1 == start and start not in scope.opener_starts
        if at > start and (
            opens_run
            or at in scope.opener_starts
            or (before >= start and text[before].isascii() and text[before].isalpha())
        ):
            ends.append(at)
    return max((at for at in ends if at > start), default=start)


def _past_verb_before_body(scope: SentenceScope, start: int, end: int) -> int:
    """Where a body's name starts when a verb that acts on a body stands in the run, right before
    a place or a level that opens the body (某乡联合|县科协, 某局会同|省科协): after the last such
    verb; else ``start``."""
    text, levels = scope.text, scope.rules.words(LOCAL_LEVELS).words
    after = [
        verb.end()
        for verb in scope.rules.words(VERBS_BEFORE_BODIES).pattern.finditer(text, start, end)
        if verb.end() in scope.opener_starts or text.startswith(levels, verb.end())
    ]
    return after[-1] if after else start


def _past_locality(scope: SentenceScope, start: int, end: int) -> int:
    """Where a body's name starts when a town or village is written right before a province or
    city that opens it (在某镇|山东某某有限公司): a name runs from the larger place down, so the
    smaller one before it is where the body is, not part of its name; else ``start``."""
    localities = scope.rules.words(LOCALITY_KINDS).words
    for position in range(start + 2, end):
        if scope.text.endswith(localities, start, position) and any(
            h.cls == "Place" and h.key is not None and scope.rules.place_levels.get(h.key, CITY) <= CITY
            for h in scope.hits_by_start.get(position, ())
        ):
            return position
    return start


def _trigger_start(scope: SentenceScope, rule: Rule[Suffix], start: int) -> int:
    """For a name its verb opens, the start right after the nearest verb before ``start`` in the
    same clause, when the walk stopped at a word that may sit inside such a name (举办|街道科协工作
    人员业务能力提升培训班), or when 暨 joins two names between the verb and the stop (开展|某某服务团
    成立暨走进某县服务活动); else ``start``."""
    trigger, text = rule.settings.requires_trigger, scope.text
    if not trigger or text.endswith(trigger, 0, start):
        return start
    inner = text.endswith(scope.rules.words(HELD_NAME_INNER_WORDS).words, 0, start)
    verb = _verb_before(text, trigger, start, MAX_TRIGGER_REACH if inner else MAX_JOINED_REACH)
    if verb is None:
        return start
    joined = any(joiner in text[verb:start] for joiner in scope.rules.words(EVENT_JOINERS))
    return verb if inner or joined else start


def _verb_before(text: str, verbs: tuple[str, ...], start: int, reach: int) -> int | None:
    """Where the nearest of ``verbs`` before ``start`` ends, within ``reach`` characters of name
    (one quoted title inside counts as one) in the same clause; None if there is none."""
    clause_start = clause_bounds(text, start)[0]
    position, steps, titles = start - 1, 0, 0
    while position >= clause_start and steps < reach:
        if text[position] in QUOTED_PART_CLOSERS and not titles:  # 举办|《科普中国》信息管理人员培训班
            position = max(text.rfind(mark, clause_start, position) for mark in QUOTED_PART_OPENERS)
            titles += 1
            if position < 0:
                break
        elif not NAME_CHAR.match(text[position]):
            break
        if text.endswith(verbs, 0, position):
            return position
        position, steps = position - 1, steps + 1
    return None


MAX_TRIGGER_REACH = 8
"""How far left of a walk's stop the verb that opens a held name may lie (one quoted title
inside counts as one character)."""

MAX_JOINED_REACH = 40
"""As far, when 暨 joins two names between the verb and the stop."""


def _later_start(scope: SentenceScope, rule: Rule[Suffix], start: int, match: re.Match[str]) -> int | None:
    """A later start where a name opens (做好2022世界机器人大会 → 2022世界机器人大会): a year or
    ordinal, or a curated place or body, that then passes the rule's checks. (Not a bare scope word:
    重要国际论坛峰会 holds no name.)"""
    text = scope.text
    leading = scope.rules.pattern(LEADING_NUMBERING)
    for position in range(start + 1, match.start()):
        opens = (
            position in scope.opener_starts
            or position in scope.local_starts
            or leading.match(text[position:])
        )  # ^ anchors at 0 only
        joined = any(c in text[position : match.start()] for c in scope.rules.words(LIST_JOINERS))
        previous = text[position - 1]  # …大会总结和2022年… holds no restart
        if (
            opens
            and not joined
            and not (previous in "0123456789" or previous in scope.rules.words(ORDINAL_MARKS))
            and not _reject_suffix_name(scope, rule, position, match)
        ):
            return position
    return None


def _names_a_kind(core: str, kinds: WordList) -> bool:
    """Is ``core`` made of ``kinds`` alone, one after another (全国|企业, 企业(园区))?"""
    text = _QUOTE_OR_REMARK.sub("", core)
    reached = {0}
    for position in range(len(text)):
        if position in reached:
            reached.update(position + len(w) for w in kinds.starting_at(text, position))
    return bool(text) and len(text) in reached


def _local_body_at(scope: SentenceScope, start: int, before: int) -> bool:
    """Does a local body open the text at ``start``, bare or after its curated place, and end before
    ``before`` (省科协|某某中心, 湖北省科协|某某中心)? Not one before its own departments, which
    ``local_body`` reads."""
    levels = [start] + [h.end - 1 for h in scope.hits_by_start.get(start, ()) if h.cls == "Place"]
    end = next((e for level in levels if (e := _bare_local_body_end(scope, level)) is not None), None)
    if end is None or end >= before:
        return False
    return scope.rules.words(LOCAL_DEPARTMENTS).pattern.match(scope.text, end) is None


def _local_body_before(scope: SentenceScope, position: int) -> int:
    """Where the local body ending at ``position`` starts (湖北省科协|…, 省科协|…), with the curated
    place before its level; else ``position``."""
    levels = range(max(0, position - 8), position)
    level = next((s for s in levels if _bare_local_body_end(scope, s) == position), None)
    if level is None:
        return position
    place = [h.start for h in scope.hits_by_end.get(level + 1, ()) if h.cls == "Place" and h.start < level]
    return min(place, default=level)


def _bare_local_body_end(scope: SentenceScope, start: int) -> int | None:
    """Where the bare local body opening the text at ``start`` ends (省科协, 县委), if one does."""
    rules, text = scope.rules, scope.text
    if text[start : start + 1] not in rules.words(LOCAL_LEVELS):
        return None
    body = rules.words(LOCAL_BODIES).pattern.match(text, start + 1)
    return body.end() if body else None


def _kind_after_a_name(scope: SentenceScope, suffix_start: int) -> bool:
    """Does a word for a kind of body stand right before ``suffix_start`` and right after a
    curated name other than a place's (中国科协|全国|学会, 某工程|企业|科协; not 北京市|企业|科协)?"""
    text, kinds = scope.text, scope.rules.words(COLLECTIVE_CORES)
    return any(
        text.startswith(word, suffix_start - len(word))
        and any(
            h.key is not None and h.cls != "Place"
            for h in scope.hits_by_end.get(suffix_start - len(word), ())
        )
        for word in kinds.words
    )


def _reject_suffix_name(scope: SentenceScope, rule: Rule[Suffix], start: int, match: re.Match[str]) -> bool:
    settings = rule.settings
    text, words = scope.text, scope.rules.words
    core = _QUOTE_CHAR.sub("", text[start : match.start()])
    quoted_after_count = start in scope.counts_end and text[start] in OPEN_QUOTES  # 6场|“…”宣讲活动
    if (start in scope.counts_end and not quoted_after_count) or core.startswith(
        words(GENERIC_PREFIXES).words
    ):
        return True
    if text.startswith(words(SUFFIX_PARTICLES).words, match.end() - 1):
        return True  # 秘书长某某|所作的报告: a particle, no body's suffix
    if text.endswith(words(COLLECTIVE_SCHOOLS).words, start, match.end()):
        return True  # 某县中小学: the county's schools, no one school
    if settings.cls == "Organization" and _names_fellow_levels(core, scope.rules):
        return True  # 宁波市兄弟县(市)区老科协: the bodies of the fellow counties, no one body
    if settings.cls == "Organization" and core.startswith(words(KIND_PREFIXES).words):
        return True  # 基层科协: a kind of body; 基层科协组织建设专题调研 is one event
    if settings.cls == "Organization" and _post_and_name_inside(scope, core):
        return True  # 某馆馆长王某|某市科协: a post and a person before the body, whose name starts later
    if core.endswith(words(ADVERBS).words) or _names_a_kind(core, words(COLLECTIVE_CORES)):
        return True  # 全国学会, 高校科协, 全国城市科协: a kind of body, not one
    if any(word in core for word in words(THEME_WORDS).words):
        return True  # 以…疫情为主题|收藏项目: the theme of a clause, no name
    if scope.rules.pattern(INDEFINITE_COUNT).search(core):
        return True  # 在某县一所中心学校: one school of a kind, not its name
    if _kind_after_a_name(scope, match.start()):
        return True  # 中国科协…助力工程|全国学会: the societies a name speaks of, no body
    name = _QUOTE_OR_REMARK.sub("", text[start : match.end()])
    numbered_meeting = is_numbered_meeting(name, scope.rules)  # 2021年第4次党组会议, 三届二次会议
    whole_quote = (
        start > 0 and text[start - 1] in OPEN_QUOTES and text[match.end() : match.end() + 1] in CLOSE_QUOTES
    )
    slogan_and_kind = whole_quote or text.endswith(tuple(CLOSE_QUOTES), 0, match.start())  # 主题是“…”|活动
    if (whole_quote and ("," in core or "，" in core)) or (
        slogan_and_kind and scope.rules.pattern(THEME_CUE).search(text, max(0, start - 8), start)
    ):
        return True  # 主题是“创新发展，全民行动”, “科技强国，全民行动”: a theme or a slogan, quoted whole
    if len(core) < (2 if whole_quote else settings.min_core) and not numbered_meeting:
        return True  # “英才计划” is a name; 英才计划 unquoted needs more
    leading = scope.rules.pattern(LEADING_NUMBERING)
    if (
        settings.cls == "Organization"
        and (leading.match(core) or scope.rules.pattern(YEAR_INSIDE).search(core))
        and match.group() not in words(EVENT_COMMITTEES)
    ):
        return True  # 中国科协2020年全国学会(秘书长会议) holds no body; 第十五届年会执委会 is one
    scope_word = next((w for w in words(SCOPE_WORDS) if core.startswith(w)), "")
    if core[len(scope_word) :] in words(GENERIC_CORES):
        return True  # 世界一流学会, 国际学术会议
    if core.endswith(settings.not_after):
        return True
    has_scope = (
        whole_quote
        or _has_scope(scope, start, match.end(), match.start(), settings.requires_name_start)
        or (settings.cls == "Event" and scope.rules.pattern(EDITION_ORDINAL).match(core) is not None)
        or (  # 县老科协及渔业协会、…: a body listed after a name, unless the run holds a list itself
            settings.cls == "Organization"
            and _after_a_name(scope, start)
            and not any(w in scope.text[start : match.start()] for w in scope.rules.words(COORDINATORS))
        )
    )
    if (settings.requires_scope or settings.requires_name_start) and not (numbered_meeting or has_scope):
        return True
    # the parent must end before the suffix, right before it only where the rule needs no core
    # (市科协|党总支: a branch named after its body)
    parent_end_limit = match.start() + 1 if settings.min_core == 0 else match.start()
    if settings.requires_parent and not (
        any(h.cls == "Organization" and h.end < parent_end_limit for h in scope.hits_by_start.get(start, ()))
        or _local_body_at(scope, start, parent_end_limit)
    ):
        return True
    if settings.generic_words and (
        _generic_core(
            scope,
            core,
            settings.generic_words,
            _may_join_topics(scope, settings, match),
            QUOTED_NAME.sub("", text[start : match.start()]),
        )
        or scope.rules.pattern(COUNTED_START).match(core)
        or any(
            h.cls == "Event" and not _joined_before(scope, start, h.start)
            for h in scope.hits_by_end.get(match.start(), ())
        )
    ):
        return True  # 科普活动, 3届…论坛, 全国科技工作者日活动: no name of their own
    if settings.requires_year and not _opens_with_year(scope, core):
        return True
    if settings.requires_followed_by and not text.startswith(settings.requires_followed_by, match.end()):
        return True
    trigger = settings.requires_trigger
    theme = scope.rules.pattern(THEME_BEFORE).search(text, max(0, start - THEME_LONGEST), start)
    opened = theme.start() if theme is not None else start
    if quoted_after_count and (count := scope.rules.pattern(COUNT_BEFORE).search(text, 0, start)) is not None:
        opened = count.start()  # 开展了|6场|“科普进社区”宣讲活动
    if trigger and not text.endswith(trigger, 0, opened):
        return True
    if settings.requires_listed and not _listed(scope, start, match.end()):
        return True
    return settings.requires_held_after and not _held_subject(scope, start, match.end())


THEME_LONGEST = 48
"""How far before a name a theme (以“…”为主题) that stands between it and its verb may start."""


def _names_fellow_levels(core: str, rules: Rules) -> bool:
    """Does ``core`` hold a word for every body of a level right before that level (兄弟|县,
    主要城|市, 各|区)?"""
    levels = rules.words(LOCAL_LEVELS).words
    return any(
        core.startswith(levels, at + len(word))
        for word in rules.words(COLLECTIVE_LEVEL_WORDS)
        for at in _positions(core, word)
    )


def _positions(text: str, word: str) -> Iterator[int]:
    """Every position where ``word`` occurs in ``text``."""
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _post_and_name_inside(scope: SentenceScope, core: str) -> bool:
    """Does a post and then a surname stand inside a body's name (某科技馆馆长|王某某咸阳市科协, a
    comma left out)? A post at the core's end names a kind of member (某某大学校长|联盟)."""
    rules = scope.rules
    for post in rules.words(ROLES).pattern.finditer(core):
        rest = core[post.end() :]
        if len(rest) >= MIN_NAME_AND_BODY and next(rules.words(SURNAMES).starting_at(rest, 0), None):
            return True
    return False


MIN_NAME_AND_BODY = 4
"""The fewest characters after a post inside a body's name that hold a person and a body (王某|某市)."""


def _opens_with_year(scope: SentenceScope, core: str) -> bool:
    """Does ``core`` open with a year before four or more characters, and join no two names (A暨B
    is read by the rules of joined names)?"""
    joined = any(j in core for j in scope.rules.words(EVENT_JOINERS))
    return core[:4].isdigit() and scope.rules.pattern(EDITION_ORDINAL).match(core) is not None and not joined


def _listed(scope: SentenceScope, start: int, end: int) -> bool:
    """Is the name at ``start``–``end`` an item of a list of names: right after a list joiner that
    follows another name, or right before 、? (Not after 同 or 联合: 科技馆同步开放… lists nothing.)"""
    text = scope.text
    joined = any(text.endswith(joiner, 0, start) for joiner in scope.rules.words(LIST_JOINERS).words)
    return (joined and _after_a_name(scope, start)) or text.startswith("、", end)


def _held_subject(scope: SentenceScope, start: int, end: int) -> bool:
    """Does the name at ``start``–``end`` open its clause, or follow an event's name joined to it
    (某某座谈会及|某某颁奖活动在北京召开), and is it then said to be held?"""
    rules = scope.rules
    opens = start in scope.stops or bool(rules.pattern(HELD_SUBJECT_BEFORE).search(scope.text[:start]))
    if not opens:
        joiner = next((j for j in rules.words(LIST_JOINERS).words if scope.text.endswith(j, 0, start)), None)
        opens = joiner is not None and scope.text.endswith(
            rules.words(EVENT_KIND_ENDS).words, 0, start - len(joiner)
        )
    return opens and (
        bool(rules.pattern(HELD_SUBJECT_AFTER).match(scope.text, end)) or _held_with_next(scope, end)
    )


def _held_with_next(scope: SentenceScope, end: int) -> bool:
    """Is the name ending at ``end`` joined to another event's name that is then said to be held
    (某座谈会|及某颁奖活动在北京召开)?"""
    rules, text = scope.rules, scope.text
    joiner = next((j for j in rules.words(LIST_JOINERS).words if text.startswith(j, end)), None)
    if joiner is None:
        return False
    clause_end = next((i for i in range(end, len(text)) if text[i] in CLAUSE_MARKS), len(text))
    kinds = rules.words(EVENT_KIND_ENDS).words
    held_after = rules.pattern(HELD_SUBJECT_AFTER)
    return any(
        text.endswith(kinds, 0, position) and held_after.match(text, position)
        for position in range(end + len(joiner) + 2, min(clause_end, end + JOINED_NAME_LONGEST) + 1)
    )


JOINED_NAME_LONGEST = 40
"""How long a name joined after another (…及|某颁奖活动|在…举行) may be."""


def _joined_before(scope: SentenceScope, start: int, position: int) -> bool:
    """Is another name joined by 暨 before ``position`` (A暨全国科技工作者日启动仪式 is named by both)?"""
    return any(joiner in scope.text[start:position] for joiner in scope.rules.words(EVENT_JOINERS))


_QUOTE_CHAR = re.compile(f"[{QUOTE_CHARS}]")
_QUOTE_OR_REMARK = re.compile(f"[{QUOTE_CHARS}]|{REMARK.pattern}")


def _generic_core(
    scope: SentenceScope, core: str, generic: tuple[str, ...], topics: bool, unquoted: str | None = None
) -> bool:
    """Is ``core`` (after a year or ordinal) made of generic words alone, or a list of things? With
    ``topics``, 和, 与 or 及 may join two topics of one name (see ``_joins_topics``); in ``unquoted``,
    the core without its quoted titles, only (“我与科协”征文活动 joins nothing)."""
    joined = any(
        joiner in (core if unquoted is None else unquoted) for joiner in scope.rules.words(LIST_JOINERS)
    )
    if joined and not (topics and _joins_topics(scope, core, generic)):
        return True
    return len(_specific_part(scope, core, generic)) < 2


def _may_join_topics(scope: SentenceScope, settings: Suffix, match: re.Match[str]) -> bool:
    """May a joiner inside the name ending at ``match`` join topics? Only an event's, and not one
    a count follows (机器人与人工智能讲座|近百场 counts lectures of two kinds)."""
    return settings.cls == "Event" and not scope.rules.pattern(COUNT_AFTER).match(scope.text, match.end())


def _specific_part(scope: SentenceScope, core: str, generic: tuple[str, ...]) -> str:
    """What of ``core`` is left without its year or ordinal and its generic words."""
    rest = scope.rules.pattern(LEADING_NUMBERING).sub("", core)
    for word in sorted(generic, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest


def _joins_topics(scope: SentenceScope, core: str, generic: tuple[str, ...]) -> bool:
    """Does 和, 与 or 及 join two topics of one event's name (科学道德和学风建设|报告会, 创客营与
    教师研讨|活动), not two things listed (学术交流和科普|活动, A和B两场|活动)? Each half says
    something of its own and no count stands in it; 、 always lists."""
    if "、" in core or scope.rules.pattern(COUNT_INSIDE).search(core):
        return False
    halves = scope.rules.words(LIST_JOINERS).pattern.split(core)
    return all(len(_specific_part(scope, half, generic)) >= 2 for half in halves)


# --- quoted and bracketed names ------------------------------------------------------------------

QUOTED_NAME = re.compile(r"“([^“”。;；!?！？]{2,60})”|「([^「」]{2,60})」")
BRACKETED = re.compile(r"《([^《》]{2,80})》")


@dataclass(frozen=True)
class Quoted:
    """Settings of ``quoted``: the words right after a closing quote that say what the name is."""

    heads: Mapping[ClassName, tuple[str, ...]]


@matcher("quoted", settings=Quoted, emits=("{heads}", "Publication"))
def match_quoted(scope: SentenceScope, rule: Rule[Quoted]) -> list[Candidate]:
    """Names in “…”: classed by the word after the quote (“科创中国”平台), or by being a
    publication's object (发布“…”), an event by its opening or closing after the quote (“某某行”启动仪式),
    or, with no cue, by the gazetteer (left to it)."""
    heads = rule.settings.heads
    opening_or_closing = (*scope.rules.words(OPENING_SESSIONS), *scope.rules.words(CLOSING_SESSIONS))
    found = []
    for match in QUOTED_NAME.finditer(scope.text):
        inner = match.group(1) or match.group(2)
        after = scope.text[match.end() :]
        head_cls, head = _head_after(after, heads)
        themed = _themed_event_head(scope, after)
        by_theme = len(themed) > len(head)
        if by_theme:  # “某某”主题科普志愿服务活动: the theme's event, kind and all
            head_cls, head = "Event", themed
        curated = scope.rules.lookup(inner)
        if head_cls and curated is not None:
            head_cls = curated.cls if head in scope.rules.words(GENERIC_HEADS) else head_cls
        if head_cls:
            end = match.end() + len(head)
            generic = head in scope.rules.words(GENERIC_HEADS)  # “科普中国”平台 is 科普中国; …国际版 is not
            label = inner if generic else None
            alt: tuple[str, ...] = (inner + head,) if generic else (inner,)
            if by_theme:
                alt = ()  # “科技工作者日”主题报告会: the quote is its theme, no name of it
            start = _numbering_before(scope, match.start()) if head_cls == "Event" else match.start()
            if start < match.start():  # 2020年“湖南科技论坛”活动: the year is the name's, so is the head
                label, alt = None, (inner, inner + head)
            found.append(
                Candidate(
                    _mention(scope, start, end, head_cls, rule.id, label=label, alt_labels=alt),
                    BY_QUOTES,
                )
            )
        elif _published(scope, match.start(), match.end()):
            found.append(
                Candidate(_mention(scope, match.start(), match.end(), "Publication", rule.id), BY_QUOTES)
            )
        elif curated is None and after.startswith(opening_or_closing):
            start = _numbering_before(scope, match.start())  # “某某行”启动仪式: the event it opens
            found.append(Candidate(_mention(scope, start, match.end(), "Event", rule.id), BY_QUOTES))
        elif curated is None and _quoted_event_name(scope, inner, match.start()):
            found.append(Candidate(_mention(scope, match.start(), match.end(), "Event", rule.id), BY_QUOTES))
        elif (listed := _listed_with(scope, match)) is not None:
            found.append(Candidate(_mention(scope, match.start(), match.end(), listed, rule.id), BY_QUOTES))
    return found


def _quoted_event_name(scope: SentenceScope, inner: str, start: int) -> bool:
    """Is a quoted name, ended by an event's kind, an event's: opened by its edition's year or ordinal,
    or after a slogan and a dash so (“第二十届青少年科普书籍阅读奖励活动”, “某某——2025某某研学活动”),
    or what a verb of holding holds (开展“百名专家下基层活动”)?"""
    if len(inner) < 6 or not inner.endswith(scope.rules.words(EVENT_KIND_ENDS).words):
        return False
    named = inner.rsplit("—", 1)[-1]  # “院士领航，童心共创——2025某某研学活动”: the slogan, then the name
    opening = scope.rules.pattern(LEADING_NUMBERING).match(named)
    held = scope.text.endswith(scope.rules.words(ORGANIZE_VERBS).words, 0, start)
    return held or (opening is not None and len(named) - opening.end() >= 4)


def _numbering_before(scope: SentenceScope, start: int) -> int:
    """Where a year or ordinal written right before ``start`` opens (2020年, 第四届), else ``start``."""
    leading = scope.rules.pattern(LEADING_NUMBERING)
    for opening in range(max(0, start - 8), start):
        if leading.fullmatch(scope.text[opening:start]):  # the pattern is anchored with ^
            return opening
    return start


def _listed_with(scope: SentenceScope, match: re.Match[str]) -> str | None:
    """The class of a curated quoted name listed next to this one (创建“科技工作者之家”、“青少年
    创客之家”): names listed together are things of one kind."""
    joiners = scope.rules.words(LIST_JOINERS).words
    for other in QUOTED_NAME.finditer(scope.text):
        if other.start() == match.start():
            continue
        between = (
            scope.text[other.end() : match.start()]
            if other.end() <= match.start()
            else scope.text[match.end() : other.start()]
        )
        curated = scope.rules.lookup(other.group(1) or other.group(2) or "")
        if curated is not None and curated.cls != "Place" and between in joiners:
            return curated.cls
    return None


def _themed_event_head(scope: SentenceScope, after: str) -> str:
    """The words after a quoted theme that name its event (主题科普志愿服务活动, 专题宣讲活动): a theme
    word, at most a few more words of a name, and an event's kind; else ""."""
    opener = next((w for w in scope.rules.words(QUOTED_THEME_HEADS) if after.startswith(w)), None)
    if opener is None:
        return ""
    run = len(opener)
    stops = scope.rules.words(LEFT_BOUNDARIES).pattern
    while (
        run < min(len(after), THEMED_HEAD_LONGEST)
        and HAN.match(after[run])
        and after[run] not in scope.rules.words(FUNCTION_CHARS)
        and not stops.match(after, run)  # …活动|期间的展览: the name ends before
    ):
        run += 1
    kinds = scope.rules.words(EVENT_KIND_ENDS).words
    end = next((end for end in range(run, len(opener), -1) if after.endswith(kinds, 0, end)), 0)
    return after[:end]


THEMED_HEAD_LONGEST = 14
"""The most characters of a theme's event after its quote (主题 + a few words + the kind)."""


def _head_after(after: str, heads: Mapping[ClassName, tuple[str, ...]]) -> tuple[str | None, str]:
    best: tuple[str | None, str] = (None, "")
    for cls, words in heads.items():
        for word in words:
            if after.startswith(word) and len(word) > len(best[1]):
                best = (cls, word)
    return best


def _published(scope: SentenceScope, start: int, end: int | None = None) -> bool:
    """Is the quoted name at ``start`` (ending at ``end``) what a verb of publishing before it
    publishes (发布“…”), or, a title in corner brackets, what the words right after it publish
    (「大气科学」出版, 「某某学报」由某局出刊: titles as traditional script quotes them)?"""
    text = scope.text
    if any(text.endswith(v, 0, start) for v in scope.rules.words(PUBLISH_VERBS)):
        return True
    return (
        end is not None
        and text[start] in CORNER_QUOTES
        and bool(scope.rules.pattern(PUBLISHED_AFTER).match(text, end))
    )


CORNER_QUOTES = "「『"

TITLE_RUN = re.compile(r"(?:、?《[^《》]{1,80}》)*")
"""The titles in 《…》 written right after one, side by side or listed (《甲》《乙》、《丙》)."""


def _past_titles(text: str, position: int) -> int:
    """Where the titles in 《…》 written from ``position`` on end (``position`` when none are)."""
    run = TITLE_RUN.match(text, position)
    return run.end() if run else position


@dataclass(frozen=True)
class Bracketed:
    """Settings of ``bracketed``: the class of names in 《…》, and the words after the bracket that
    make the whole another class's name (《某某》杂志社 is the body that publishes 某某)."""

    cls: ClassName = field(metadata=yaml_name("class"))
    heads: Mapping[ClassName, tuple[str, ...]] = field(default_factory=dict)


@matcher("bracketed", settings=Bracketed, emits=(RULE_CLASS, "{heads}"))
def match_bracketed(scope: SentenceScope, rule: Rule[Bracketed]) -> list[Candidate]:
    """Names in 《…》 are publications; 《A》(《B》) names one thing twice; 《A》杂志社 names a body."""
    found = []
    performances = scope.rules.words(PERFORMANCE_CUES).words
    topics = scope.rules.words(TOPIC_CUES).words
    for match in BRACKETED.finditer(scope.text):
        curated = scope.rules.lookup(match.group(1))
        if curated is not None and curated.cls != rule.settings.cls:
            continue  # 《科普中国》 is the platform the gazetteer knows, not a publication of that name
        if scope.text.endswith(performances, 0, match.start()):
            continue  # 情景剧《…》, 表演了《…》: a play or a show, no publication
        if scope.text.startswith(topics, _past_titles(scope.text, match.end())):
            continue  # 《…》《…》等主题授课: what lectures are about, no publication
        head_cls, head = _head_after(scope.text[match.end() :], rule.settings.heads)
        if head_cls:
            name = match.group(1) + head
            found.append(
                Candidate(
                    _mention(scope, match.start(), match.end() + len(head), head_cls, rule.id, label=name),
                    BY_QUOTES,
                )
            )
            continue
        twin = re.match(r"[(（]《([^《》]{2,80})》[)）]", scope.text[match.end() :])
        end = match.end() + (twin.end() if twin else 0)
        alt = (twin.group(1),) if twin else ()
        found.append(
            Candidate(
                _mention(
                    scope,
                    match.start(),
                    end,
                    rule.settings.cls,
                    rule.id,
                    label=match.group(1),
                    alt_labels=alt,
                ),
                BY_QUOTES,
            )
        )
    return found


# --- templates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """Settings of ``template``: a regular expression whose named groups fill ``label``. The
    mention spans the group ``name`` where there is one (the cue around it is matched, not named),
    else the whole match."""

    cls: ClassName = field(metadata=yaml_name("class"))
    pattern: re.Pattern[str]
    label: str
    title_only: bool = False
    """Match the article's title alone (a headline that tells of a visit names it)."""
    fallback: bool = False
    """Yield to any other rule that names the same span (县|农业农村局 is the local body's, which
    knows its county)."""
    alt_labels: tuple[str, ...] = ()
    """Other names filled from the groups, kept as alternative labels (某站活动 is also 某站)."""
    joins_title_event: bool = False
    """In an article whose headline names one event by a ``title_only`` rule, name that event (the
    survey a lead tells of is the visit its headline names)."""

    def __post_init__(self) -> None:
        wanted = {
            name
            for template in (self.label, *self.alt_labels)
            for _, name, _, _ in string.Formatter().parse(template)
            if name
        }
        missing = sorted(wanted - set(self.pattern.groupindex))
        if missing:
            raise ValueError(f"label: {{{missing[0]}}} is no named group (?P<{missing[0]}>…) of the pattern")


def names_title_event(settings: object) -> bool:
    """Do a rule's settings name the event of an article's headline (a ``title_only`` template)?"""
    return isinstance(settings, Template) and settings.title_only


def joins_title_event(settings: object) -> bool:
    """Do a rule's settings make its mention the headline's event (see ``Template.joins_title_event``)?"""
    return isinstance(settings, Template) and settings.joins_title_event


@matcher("template", settings=Template, emits=(RULE_CLASS,))
def match_template(scope: SentenceScope, rule: Rule[Template]) -> list[Candidate]:
    """A regular expression whose named groups fill a label template; ``{org}`` takes the full name of
    the body the text abbreviates (科协 → 中国科协, 党的 → 中国共产党)."""
    if rule.settings.title_only and not scope.title:
        return []
    found = []
    for match in rule.settings.pattern.finditer(scope.text):
        groups = dict(match.groupdict())
        if "org" in groups:
            entry = scope.rules.lookup(_without_suffixes(groups["org"], scope.rules.words(POSSESSIVE)))
            if entry is None:
                continue
            groups["org"] = entry.label
        label = rule.settings.label.format(**groups)
        start, end = match.span("name") if "name" in groups else match.span()  # the name, not its cue
        surface = scope.text[start:end]
        # a label built around its mention (某馆|正式开馆 → 某馆正式开馆) has no other name
        alt_labels = () if label != surface and label.endswith(surface) else (name_key(surface),)
        for template in rule.settings.alt_labels:
            if (alt := template.format(**groups)) != label and alt not in alt_labels:
                alt_labels = (*alt_labels, alt)
        found.append(
            Candidate(
                _mention(
                    scope,
                    start,
                    end,
                    rule.settings.cls,
                    rule.id,
                    label=label,
                    alt_labels=alt_labels,
                ),
                BY_FALLBACK if rule.settings.fallback else BY_QUOTES,
            )
        )
    return found


def _without_suffixes(text: str, suffixes: Iterable[str]) -> str:
    for suffix in suffixes:
        text = text.removesuffix(suffix)
    return text


@dataclass(frozen=True)
class Locality:
    """Settings of ``locality``: towns, streets, communities and villages below a county, named by
    a short core and their kind (复兴镇, 忠州街道, 水坪社区), after a word that leads to a place, a
    list mark or another of them, and closed by punctuation, a joiner or a boundary word."""

    suffixes: WordList
    openers: WordList
    """Words a locality's name may follow (在, 到, 走进 …); punctuation and list marks always open one."""
    not_in_core: WordList
    """Characters no locality's core holds (进社区, 下乡 and 农村 are no places)."""
    max_core: int = 3


@matcher("locality", settings=Locality, emits=("Place",))
def match_locality(scope: SentenceScope, rule: Rule[Locality]) -> list[Candidate]:
    """复兴镇水坪社区, 红星社区、香怡社区: each a Place, written without the county or city above it."""
    text, settings = scope.text, rule.settings
    kinds = [*settings.suffixes.pattern.finditer(text)]
    spans = [
        (start, match.end())
        for match in kinds
        for core_end in {match.start(), _before_ethnic_tail(scope, match.start())}
        for start in range(core_end - 2, core_end - settings.max_core - 1, -1)
        if start >= 0 and _locality_core(scope, text[start:core_end], settings)
    ]
    ends = {end for _, end in spans}
    spans += [  # 信义镇|严村: right after another locality, a village's core may be one character
        (match.start() - 1, match.end())
        for match in kinds
        if match.start() - 1 in ends
        and _locality_core(scope, text[match.start() - 1 : match.start()], settings)
        and not any(text[match.start() - 1] in kind for kind in settings.suffixes.words)  # 乡|镇街道
    ]
    starts, ends = {start for start, _ in spans}, {end for _, end in spans}
    found, taken = [], set()
    for start, end in spans:  # the shortest core that opens and closes, for each kind word
        if end in taken or not _locality_opens(scope, start, ends, settings):
            continue
        if _locality_closes(scope, end, starts, _after_a_division(scope, start)):
            taken.add(end)
            found.append(Candidate(_mention(scope, start, end, "Place", rule.id), BY_PATTERN))
    return found


def _before_ethnic_tail(scope: SentenceScope, position: int) -> int:
    """Where the peoples before ``position`` start (古砦|仫佬族|乡, an ethnic township), else ``position``."""
    tail = scope.rules.pattern(ETHNIC_TOWNSHIP_TAIL).search(scope.text, max(0, position - 8), position)
    return tail.start() if tail is not None else position


def _locality_core(scope: SentenceScope, core: str, settings: Locality) -> bool:
    return (
        HAN_RUN.fullmatch(core) is not None
        and not any(c in settings.not_in_core for c in core)
        and not any(c in scope.rules.words(NOT_IN_PLACE_NAMES) for c in core)
    )


def _locality_opens(scope: SentenceScope, start: int, ends: set[int], settings: Locality) -> bool:
    text = scope.text
    return (
        start == 0
        or not CJK.match(text[start - 1])
        or text[start - 1] in scope.rules.words(LIST_JOINERS)
        or text.endswith(settings.openers.words, 0, start)
        or start in ends
        or (start in scope.named_ends and text[start] not in scope.rules.words(LIST_JOINERS))
        or _after_a_division(scope, start)
    )  # 浙江大学|和乌镇: a joiner after a name opens no locality of its own; 江北区|五宝镇: a
    # division's level word opens the one below it, named or not


def _after_a_division(scope: SentenceScope, start: int) -> bool:
    """Does a division's name (a character or more, then its level word: 江北区, 某县) end at ``start``?"""
    level = next((w for w in scope.rules.words(LOCAL_LEVELS) if scope.text.endswith(w, 0, start)), None)
    return (
        level is not None and start > len(level) and CJK.match(scope.text[start - len(level) - 1]) is not None
    )


def _locality_closes(scope: SentenceScope, end: int, starts: set[int], after_division: bool = False) -> bool:
    """Does a locality's name end at ``end``: at punctuation, a joiner, a boundary word, another
    locality, or (``after_division``, in an address: 某县|某镇) a unit named after it?"""
    text, rules = scope.text, scope.rules
    return (
        end >= len(text)
        or not CJK.match(text[end])
        or text.startswith((*rules.words(LIST_JOINERS).words, *rules.words(LIST_ENDS).words), end)
        or text.startswith(rules.words(LEFT_BOUNDARIES).words, end)
        or text.startswith(rules.words(LOCALITY_CLOSERS).words, end)
        or end in starts
        or (after_division and _unit_named_after(scope, end))
    )


ADDRESSED_UNIT_LONGEST = 8
"""The most characters of a unit's own name after the town it is named by (某镇|新星小学)."""


def _unit_named_after(scope: SentenceScope, end: int) -> bool:
    """Does a unit named after the place ending at ``end`` follow it (某县某镇|新星小学, |中心卫生院)?"""
    heads = scope.rules.words(UNIT_HEADS).words + scope.rules.words(LOCAL_BODIES).words
    run = HAN_RUN.match(scope.text, end)
    if run is None:
        return False
    return any(
        scope.text.find(head, end, min(run.end(), end + ADDRESSED_UNIT_LONGEST + len(head))) >= 0
        for head in heads
    )


@dataclass(frozen=True)
class PlaceSuffix:
    """Settings of ``place_suffix``: counties and districts written after their province or city."""

    suffixes: tuple[str, ...]
    min_core: int = 2
    ethnic_suffixes: tuple[str, ...] = ()
    """Suffixes after which the name may close with ethnic groups, dropped from its label."""
    short_when_listed: tuple[str, ...] = ()
    """Suffixes after which a county listed after the first may have a one-character name."""
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", _suffix_pattern(self.suffixes))
        for key, words in (
            ("ethnic_suffixes", self.ethnic_suffixes),
            ("short_when_listed", self.short_when_listed),
        ):
            stray = [w for w in words if w not in self.suffixes]
            if stray:
                raise ValueError(f"{key}: {stray[0]!r} is not one of the suffixes")


@matcher("place_suffix", settings=PlaceSuffix, emits=("Place",))
def match_place_suffix(scope: SentenceScope, rule: Rule[PlaceSuffix]) -> list[Candidate]:
    """A county, district or county-level city written after its province or city, as places are
    in Chinese (云南省澜沧拉祜族自治县 → 澜沧, 浙江省义乌市 → 义乌), and the ones listed after it
    (宜宾市南溪区、叙州区和珙县): its label drops the suffix."""
    text, found = scope.text, []
    hits = [h for h in scope.gazetteer_hits if h.cls == "Place"]
    anchors: list[tuple[int, bool]] = []  # (end of the place before, listed after another county)
    by_start: list[tuple[int, int]] = []  # (where a county after the anchor starts, its place in anchors)

    def anchor(end: int, listed: bool) -> None:
        insort(by_start, (end + (len(_separator(scope, end)) if listed else 0), len(anchors)))
        anchors.append((end, listed))

    for hit in _outermost(hits):
        anchor(hit.end, False)
        if scope.rules.place_levels.get(hit.key or "", 0) > CITY and _separator(scope, hit.end):
            anchor(hit.end, True)  # a curated county opening a list: 南溪区、叙州区和珙县
    unnamed = [i for i, char in enumerate(text) if not HAN.match(char)]
    for match in rule.settings.pattern.finditer(text):
        if text[match.end() : match.end() + 1] in scope.rules.words(NOT_PLACE_AFTER):
            continue  # …综合市场 is a market, no city
        if text.startswith(scope.rules.words(NOT_LEVEL_AFTER).words, match.end()):
            continue  # 首批市级: a rank, no city
        before = bisect_left(unnamed, match.start())
        last_other = unnamed[before - 1] if before else -1
        # a county's name is Chinese characters only, so only anchors between the last other
        # character and the suffix can start one; they are tried in the order they were found
        low, high = (
            bisect_right(by_start, (last_other, len(anchors))),
            bisect_left(by_start, (match.start(), -1)),
        )
        for place in sorted(i for _, i in by_start[low:high]):
            end, listed = anchors[place]
            start = end + (len(_separator(scope, end)) if listed else 0)
            core = text[start : match.start()]
            bare = _county_core(scope, rule, core, match.group(), start, match.start(), listed)
            if bare is None:
                continue
            bare = bare + match.group() if len(bare) == 1 else bare  # 凤县, as 临县: the level stays
            found.append(
                Candidate(
                    _mention(
                        scope,
                        start,
                        match.end(),
                        "Place",
                        rule.id,
                        label=bare,
                        alt_labels=(core + match.group(),),
                    ),
                    BY_PATTERN,
                )
            )
            if _separator(scope, match.end()):
                anchor(match.end(), True)
            break
    return found


def _outermost(hits: Sequence[Mention]) -> list[Mention]:
    """The places no other place holds and runs past (湖南 in 湖南省 is not one), in order."""
    reach: dict[int, int] = {}
    for hit in hits:
        reach[hit.start] = max(reach.get(hit.start, hit.end), hit.end)
    furthest, running = {}, -1
    for start in sorted(reach):
        running = max(running, reach[start])
        furthest[start] = running
    return [h for h in hits if furthest[h.start] <= h.end]


def _separator(scope: SentenceScope, position: int) -> str:
    return next((s for s in scope.rules.words(LIST_JOINERS) if scope.text.startswith(s, position)), "")


def _county_core(
    scope: SentenceScope, rule: Rule[PlaceSuffix], core: str, suffix: str, start: int, end: int, listed: bool
) -> str | None:
    """The bare name of a county (澜沧 of 澜沧拉祜族自治县), or None when ``core`` names none."""
    ethnic = scope.rules.pattern(ETHNIC_TAIL)
    settings = rule.settings
    bare = ethnic.sub("", core) if suffix in settings.ethnic_suffixes else core
    # 黄山市|歙县: right after its city a county's name may be one character
    one_character_county = _one_character_county(scope.rules, core, suffix) and not core.startswith(
        scope.rules.words(NOT_PLACE_OPENERS).words
    )
    shortest = (
        1 if (listed and suffix in settings.short_when_listed) or one_character_county else settings.min_core
    )
    if not (shortest <= len(bare) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", core)):
        return None
    if bare.startswith(scope.rules.words(GENERIC_PLACE_CORES).words):
        return None
    if (core + suffix).endswith(scope.rules.words(NOT_COUNTY_WORDS).words):
        return None  # 芭茅巷社区: a community, no district 芭茅巷社
    if (core + suffix).endswith(scope.rules.words(OWN_PLACE_WORDS).words):
        return None  # 经市里评审|我区: the writer's own district, no county 评审我
    if any(w in core[1:-1] for w in scope.rules.words(LOCALITY_KINDS).words):
        return None  # 某乡|红旗小学: a town and a name going on, no banner 某乡红旗 (宁乡, 镇原 are counties)
    words = scope.rules.words
    between = (*words(LEFT_BOUNDARIES), *words(COORDINATORS), *words(VERBS_BEFORE_BODIES))
    if any(w in core for w in (*between, *scope.rules.suffixes)):
        return None  # 广东省科协联合广州市, 中国科技馆和北京市, 李海东代表市委: no county between
    first = bisect_left(scope.hit_starts, start)
    if first < len(scope.hit_starts) and scope.hit_starts[first] < end:
        return None
    return bare


@dataclass(frozen=True)
class Abbreviation:
    """Settings of ``abbreviation``: where a short form of ``class`` is used as a name (group ``name``)."""

    cls: ClassName = field(metadata=yaml_name("class"))
    pattern: re.Pattern[str]

    def __post_init__(self) -> None:
        if "name" not in self.pattern.groupindex:
            raise ValueError("pattern: no group (?P<name>…) around the short form")


@matcher("abbreviation", settings=Abbreviation, emits=(RULE_CLASS,))
def match_abbreviation(scope: SentenceScope, rule: Rule[Abbreviation]) -> list[Candidate]:
    """A short form the gazetteer keeps unmatched (京 for 北京), matched only where the rule's
    pattern says it is used as a name (在京召开)."""
    found = []
    for match in rule.settings.pattern.finditer(scope.text):
        name = match["name"]
        entry = scope.rules.lookup(name) or scope.rules.lookup(
            scope.rules.place_abbreviations.get(name, name)
        )
        if entry is None or entry.cls != rule.settings.cls:
            continue
        start, end = match.span("name")
        found.append(
            Candidate(
                _mention(scope, start, end, entry.cls, rule.id, key=entry.id, label=entry.label), BY_GAZETTEER
            )
        )
    return found


# --- sessions and ceremonies named by their kind -------------------------------------------------


@dataclass(frozen=True)
class Session:
    """Settings of ``session``: the kinds of session or ceremony (开幕式, 启动仪式, 分论坛 …) and the
    words for an event already named that may stand before one (大会开幕式, 本届年会开幕式)."""

    kinds: WordList
    anaphora: WordList
    venues: WordList
    """Kinds that alone name a venue, not a session (在主会场参加会议)."""
    manners: WordList
    """Words of how a session is held that may stand before its kind (举行线上|颁奖仪式)."""
    lead: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = f"{self.anaphora.pattern.pattern}|{self.manners.pattern.pattern}"
        object.__setattr__(self, "lead", re.compile(f"(?:{words})+"))


@matcher("session", settings=Session, emits=("Event",))
def match_session(scope: SentenceScope, rule: Rule[Session]) -> list[Candidate]:
    """A session or ceremony named by its kind alone (出席开幕式, 大会的开幕式, 年会开幕式): an Event
    whose label, for now, is the bare kind; the event it belongs to qualifies it later (contract,
    "Labels"). A kind after a name (2023世界机器人大会开幕式) is left to the suffix rules."""
    text, found = scope.text, []
    for match in rule.settings.kinds.pattern.finditer(text):
        if match.group() in rule.settings.venues:
            continue
        start = walk_left(scope, match.start())
        if text[match.start() - 1 : match.start()] in scope.rules.words(LIST_JOINERS):
            start = match.start()  # 出席成果展示和|闭幕式: the kind alone, listed after another thing
        lead = text[start : match.start()]
        if lead and not rule.settings.lead.fullmatch(lead):
            continue  # a name before the kind: the whole is a name of its own
        if text.startswith(scope.rules.words(EVENT_JOINERS).words, match.end()):
            continue  # 开幕式暨…报告会: one event named A暨B, the suffix rules' to find
        if start in scope.counts_end or text.endswith(scope.rules.words(SETUP_VERBS).words, 0, start):
            continue  # 12个分论坛, 设立分论坛: sessions counted or set up, not one held
        found.append(
            Candidate(
                _mention(
                    scope,
                    start,
                    match.end(),
                    "Event",
                    rule.id,
                    label=match.group(),
                    alt_labels=(match.group(),),
                ),
                BY_PATTERN,
            )
        )
    return found


# --- bodies below the province -------------------------------------------------------------------


BRACKETED_LEVEL = re.compile(r"[(（].[)）]")
"""A level written in brackets among others (县(市)区): one of the levels named together."""


@dataclass(frozen=True)
class LocalBody:
    """Settings of ``local_body``: a body of a province, city, county or district written after its
    level (县科协, 省委, 区政府), after the place's own name (潢川县科协), with a department after it
    (县委宣传部, 省科协科普部)."""

    levels: WordList
    bodies: WordList
    departments: WordList
    """Departments written right after the body (宣传部, 科普部, 办公室 …)."""
    max_place: int = 4
    """The longest name of a place before its level (潢川, 澜沧拉祜族自治 is left to place_suffix)."""


@matcher("local_body", settings=LocalBody, emits=("Organization", "Place"))
def match_local_body(scope: SentenceScope, rule: Rule[LocalBody]) -> list[Candidate]:
    """县科协, 潢川县科协 (and the county 潢川), 广西壮族自治区科协, 县委宣传部 (a department of 县委):
    found without a province or city before them. The label is the name as written."""
    text, settings, found = scope.text, rule.settings, []
    for match in settings.bodies.pattern.finditer(text):
        level_word = next((w for w in settings.levels if text.endswith(w, 0, match.start())), None)
        if level_word is None:
            continue
        level = match.start() - len(level_word)
        if any(text.startswith(w, match.end()) for w in scope.rules.words(SUFFIX_NOT_BEFORE)):
            continue  # 县委员会, 市科协会员: not this body
        if text.endswith(scope.rules.words(NOT_COUNTY_WORDS).words, 0, match.start()):
            continue  # 园区|科协, 社区|科协: a common noun ends there, no place's level
        if (
            level >= 2
            and text[level - 1] in scope.rules.words(LIST_JOINERS)
            and text[level - 2] in settings.levels
        ):
            continue  # 市、县科协: the bodies of every city and county
        levels_start = level
        while levels_start:  # 兄弟|省市|科协, 兄弟|县(市)区|老科协: levels named together
            if text[levels_start - 1] in settings.levels:
                levels_start -= 1
            elif BRACKETED_LEVEL.fullmatch(text, max(0, levels_start - 3), levels_start) and (
                text[levels_start - 2] in settings.levels
            ):
                levels_start -= 3
            else:
                break
        if text.endswith(scope.rules.words(COLLECTIVE_LEVEL_WORDS).words, 0, levels_start):
            continue  # 直辖市科协: the bodies of every municipality; 兄弟省市科协: of fellow ones
        if text[levels_start : level + len(level_word)] in scope.rules.words(COLLECTIVE_CORES):
            continue  # 乡镇科协: the bodies of every township
        # past the last verb first: 先后联合|果园镇政府 names 果园, though the run is long
        walked = _past_verb(text, scope.rules, walk_left(scope, level), level)
        start = _place_before_level(scope, walked, level, settings.max_place)
        place_start = _after_leading_body(scope, start, level)
        if text[start : level + len(level_word)] in scope.rules.words(COLLECTIVE_CORES):
            continue  # 园区科协, 社区科协: the bodies of every park, every community
        core = _place_core(scope, text[place_start:level], level_word, place_start)
        if not core and place_start == start and not _one_character_name(scope, start, level):
            start = level  # 全县科协, 还有|省政府: the level's own body, no place named
        body_end = match.end()
        department = settings.departments.pattern.match(text, body_end)
        end = department.end() if department else body_end
        parent = text[start:body_end] if department else None
        found.append(
            Candidate(_mention(scope, start, end, "Organization", rule.id, parent=parent), BY_PATTERN)
        )
        found.extend(_listed_after(scope, rule, end, text[place_start:level] + level_word if core else ""))
        if core and not any(h.cls == "Place" and h.start == place_start for h in scope.gazetteer_hits):
            # 临县: a one-character name keeps its level; so does a town's (果园镇, as localities are named)
            one = len(core) == 1 or level_word in scope.rules.words(LOCALITY_KINDS)
            place = core + level_word if one else core
            found.append(
                Candidate(
                    _mention(
                        scope,
                        place_start,
                        level + (len(level_word) if one else 0),
                        "Place",
                        rule.id,
                        label=place,
                        alt_labels=_with_level(place, level_word),
                    ),
                    BY_PATTERN,
                )
            )
    return found


def _listed_after(scope: SentenceScope, rule: Rule[LocalBody], end: int, place: str) -> list[Candidate]:
    """The bodies listed bare right after a local body of a named place (潢川县科协、教育局、科技局):
    the same place's, labelled with it (潢川县教育局); written alone they name no one body."""
    text, found = scope.text, []
    joiners = scope.rules.words(LIST_JOINERS)
    while place:  # no place named before the first body: its list names no place's bodies
        joiner = joiners.pattern.match(text, end)
        body = joiner and rule.settings.bodies.pattern.match(text, joiner.end())
        if not body or len(body.group()) < 2 or _continues_name(scope, body.end()):
            break
        label = place + body.group()
        found.append(
            Candidate(
                _mention(scope, body.start(), body.end(), "Organization", rule.id, label=label),
                BY_PATTERN,
            )
        )
        end = body.end()
    return found


def _continues_name(scope: SentenceScope, position: int) -> bool:
    """Does a longer name go on at ``position`` (教育局|局长 is a post; 科技局|长 no body's end)?"""
    return (
        position < len(scope.text)
        and bool(NAME_CHAR.match(scope.text[position]))
        and not (
            scope.rules.words(LIST_JOINERS).pattern.match(scope.text, position)
            or scope.rules.words(VERBS_AFTER_BODIES).pattern.match(scope.text, position)
            or scope.rules.words(LEFT_BOUNDARIES).pattern.match(scope.text, position)
        )
    )


def _after_leading_body(scope: SentenceScope, start: int, level: int) -> int:
    """Where the place before a level starts when a curated body opens the run (中共|盐城市委,
    九三学社|某某市委): right after that body; else ``start``."""
    return next(
        (
            h.end
            for h in scope.gazetteer_hits
            if h.cls == "Organization" and h.start == start and h.end < level
        ),
        start,
    )


def _one_character_name(scope: SentenceScope, start: int, level: int) -> bool:
    """A one-character name after punctuation opens the body's name, a place or not (师市科协)."""
    text = scope.text
    return (
        level - start == 1
        and (start == 0 or not HAN.match(text[start - 1]))
        and not text.startswith(scope.rules.words(NOT_PLACE_OPENERS).words, start)
        and text[start] not in scope.rules.words(NOT_IN_PLACE_NAMES)
    )


def _place_core(scope: SentenceScope, core: str, level: str, start: int) -> str:
    """The place's name before a level, or "" when the words there name none: a word that opens no
    place (全, 本 …), a function word or verb inside (建设该工程是|省委), one character but a county's
    after punctuation (临县, 沛县; not 师市, not 于|都县, not 团县委)."""
    if not core:
        return ""
    rules, text = scope.rules, scope.text
    if core.startswith(rules.words(NOT_PLACE_OPENERS).words) or not HAN_RUN.fullmatch(core):
        return ""
    if any(c in rules.words(NOT_IN_PLACE_NAMES) for c in core):
        return ""
    if len(core) == 1:
        after_punctuation = start == 0 or not HAN.match(text[start - 1])
        return core if after_punctuation and _one_character_county(rules, core, level) else ""
    return core


def _one_character_county(rules: Rules, core: str, level: str) -> bool:
    """May ``core`` before ``level`` be a county named by one character (临县, 歙县; not 团县委)?"""
    return level in rules.words(ONE_CHARACTER_LEVELS) and core not in rules.words(ONE_CHARACTER_NOT_PLACES)


def _with_level(core: str, level: str) -> tuple[str, ...]:
    """The place's name written with its level (潢川县), unless it already ends so (临县)."""
    return () if core.endswith(level) else (core + level,)


def _past_verb(text: str, rules: Rules, start: int, level: int) -> int:
    """``start`` past the last verb in the words before a level (组织|市科协, 某某代表|市科协): no
    place's name holds one."""
    verbs = list(rules.words(VERBS_BEFORE_BODIES).pattern.finditer(text, start, level))
    return verbs[-1].end() if verbs else start


def _place_before_level(scope: SentenceScope, start: int, level: int, longest: int) -> int:
    """Where the name of the place before a level starts (潢川|县科协): at the run's last curated
    place or body, and the ones written right before it (产生|湖南省科协, 江苏省南京市科协; not the first
    body of 湖南省科协工作和|湖南省科协), else the whole run when it is short, else the part after the
    first joiner that leaves a short name (妇联和|新和县科协), else the level itself (no place)."""
    start_ending_at: dict[int, int] = {}  # where each curated name in the run ends → its earliest start
    for hit in scope.gazetteer_hits:
        if start <= hit.start < level and hit.cls in ("Place", "Organization"):
            start_ending_at[hit.end] = min(hit.start, start_ending_at.get(hit.end, hit.start))
    if start_ending_at:
        nearest = max(start_ending_at.values())
        while nearest in start_ending_at:  # 江苏省|南京市科协: back over the names written right before
            nearest = start_ending_at[nearest]
        return nearest
    if level - start <= longest:
        return start
    for joiner in scope.rules.words(LIST_JOINERS).pattern.finditer(scope.text, start, level):
        if 2 <= level - joiner.end() <= longest:
            return joiner.end()
    return level


# --- venues ----------------------------------------------------------------------------------------


@matcher("venue", settings=OfClass, emits=(RULE_CLASS,))
def match_venue(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A named venue an event is held at, after 在 and before the verb (在青岛国际会议中心举行,
    在湖南长沙某大酒店隆重开幕): the part after the places written before it, labelled with its
    city when that part alone says no more than a kind (杭州市|国际博览中心 → 杭州国际博览中心),
    with the city as written when the part opens with the city's own body (遵义市|科技馆科学报告厅)."""
    text, rules, found = scope.text, scope.rules, []
    heads = rules.words(VENUE_PLACE_HEADS)
    for preposition in rules.words(VENUE_PREPOSITIONS).pattern.finditer(text):
        start = preposition.end()
        opener = rules.words(OWN_PLACE_WORDS).pattern.match(text, start)
        start = opener.end() if opener else start
        head = heads.pattern.search(text, start, start + VENUE_LONGEST)
        between = text[start : head.start()] if head else ""
        if head is None or not all(NAME_CHAR.match(c) for c in between):
            continue
        if rules.words(VENUE_PREPOSITIONS).pattern.search(between):
            continue  # 于当天在某地: the venue follows the last preposition
        after = _past_room(scope, head.end())
        adverb = rules.words(VENUE_ADVERBS).pattern.match(text, after)
        verb_at = adverb.end() if adverb else after
        if not any(
            rules.words(verbs).pattern.match(text, verb_at) for verbs in (LOCATION_VERBS, SIGNING_VERBS)
        ):
            continue  # 在某文化宫举行, 在某文化宫签署…协议: a venue
        places = _places_from(scope, start, head.start())
        own = places[-1].end if places else start
        if own >= head.end() or (own >= head.start() and not places):
            continue  # 在北京人民大会堂: a curated venue; 在广场举行: a kind of place, no name
        label = None
        written = places and text.startswith(rules.words(LOCAL_BODIES).words, own)  # 遵义市|科技馆…, 某县|委…
        if written or (
            places and (own >= head.start() or text.startswith(rules.words(VENUE_GENERIC_OPENERS).words, own))
        ):
            city = text[places[-1].start : own] if written else places[-1].label or places[-1].surface
            label = city + text[own : head.end()]
        found.append(
            Candidate(_mention(scope, own, head.end(), rule.settings.cls, rule.id, label=label), BY_PATTERN)
        )
    return found


VENUE_LONGEST = 16
"""The longest venue name read after 在: a longer stretch is a clause."""


def _past_room(scope: SentenceScope, position: int) -> int:
    """Past a room of the venue ending at ``position`` (…会议中心|一楼会议室举办), else ``position``:
    the event is held at the venue, named without its room."""
    text = scope.text
    room = scope.rules.words(VENUE_ROOMS).pattern.search(text, position, position + VENUE_ROOM_LONGEST)
    if room is None or not all(NAME_CHAR.match(c) for c in text[position : room.start()]):
        return position
    return room.end()


VENUE_ROOM_LONGEST = 10
"""The longest room (floor and all: 三楼第一会议室) read after a venue."""


def _places_from(scope: SentenceScope, start: int, end: int) -> list[Mention]:
    """The curated places written one after another from ``start``, ending before ``end``."""
    chain: list[Mention] = []
    position = start
    while True:
        hits = [h for h in scope.hits_by_start.get(position, ()) if h.cls == "Place" and h.end <= end]
        if not hits:
            return chain
        longest = max(hits, key=lambda h: h.end)
        chain.append(longest)
        position = longest.end


# --- people ------------------------------------------------------------------------------------


def _name_after(text: str, start: int, rules: Rules) -> int | None:
    """End of a Chinese personal name starting at ``start``: a surname and one or two more
    characters, followed by a word that may follow a name, a count of people or punctuation."""
    surnames = rules.words(SURNAMES)
    after = rules.words(AFTER_NAME)
    word_after = any(len(w) > 1 for w in after.starting_at(text, start))
    if word_after or (start and text[start - 1].isdigit()):
        return None  # 宣读了…, 陪同…: a word, no name; 120余位院士: a count
    if text.startswith(rules.words(NOT_NAMES).words, start):
        return None  # 院士|项目13个: a word that looks like a name
    for surname in surnames.starting_at(text, start):
        third = text[start + len(surname) + 1 : start + len(surname) + 2]
        # 郭哲对2024年…: a function word after two characters ends a two-character name, unless the
        # three close a name (饶子和，…) or a list (陈子和等…)
        short_first = third and third in rules.words(FUNCTION_CHARS)
        after_three = start + len(surname) + 2
        if short_first and (
            _closes_name(text, after_three) or text.startswith(rules.words(LIST_ENDS).words, after_three)
        ):
            short_first = False
        if third and third in rules.words(NAME_CLOSING_VERBS):
            short_first = True  # 万钢说，…; 余健作《…》报告: a verb of speaking ends a two-character name
        for given in (1, 2) if short_first else (2, 1):
            end = start + len(surname) + given
            name = text[start:end]
            if len(name) != len(surname) + given or not all(CJK.match(c) for c in name):
                continue
            if given > 1 and name.endswith(rules.words(LIST_ENDS).words):
                continue  # 副处长来扬等，…: the list's end, no part of the name
            if end >= len(text) or not CJK.match(text[end]) or next(after.starting_at(text, end), None):
                return end
            if rules.pattern(LISTED_PEOPLE_COUNT).match(text, end):
                return end  # 孙某某三位院士: a count of the people listed closes the last name
    return None


NAME_CLOSERS = ",，、。;；:：!！?？)）"
"""Punctuation that closes a name for sure (digits and Latin letters do not: 郭哲对2024年)."""


def _closes_name(text: str, end: int) -> bool:
    return end >= len(text) or text[end] in NAME_CLOSERS


@matcher("person_role", settings=OfClass, emits=(RULE_CLASS,))
def match_person_role(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A name right after a post: 党组书记怀进鹏, 秘书长安东尼奥·古特雷斯."""
    found = []
    cues = [*scope.rules.words(ROLES).pattern.finditer(scope.text)]
    cues += scope.rules.words(PROFESSIONAL_TITLES).pattern.finditer(scope.text)  # 高级农艺师毛颖盈
    cues += scope.rules.words(GROUP_TITLES).pattern.finditer(scope.text)  # 市领导张一
    for match in cues:
        if scope.text.startswith(scope.rules.words(LIST_JOINERS).words, match.end()):
            continue  # 副主席和|部室负责人: 和 joins two posts here, no surname
        start = _holder_start(scope.text, match.end(), scope.rules)
        end = _foreign_name_end(scope.text, start, scope.rules) or _name_after(scope.text, start, scope.rules)
        if end:
            found.append(Candidate(_mention(scope, start, end, rule.settings.cls, rule.id), BY_PATTERN))
    return found


def _holder_start(text: str, position: int, rules: Rules) -> int:
    """Where the name of who holds the post ending at ``position`` starts: past a post in brackets
    after it (部长(主任)|罗晖) and a copula before a name (团长为|某某, 秘书长由|某某担任; 由 and 为
    are surnames too, so the copula is passed only when a name follows it)."""
    start = _past_bracketed_post(text, position, rules)
    copula = next(rules.words(POST_COPULAS).starting_at(text, start), "")
    end = _name_after(text, start + len(copula), rules) if copula else None
    if end is None:
        return start
    listed = rules.words(LIST_JOINERS).pattern.match(text, end) is not None
    if text.startswith(rules.words(NOT_COPULAS).words, start) and not listed:
        return start  # 为何|空缺: a word, unless a list goes on after the name (副团长为|何某、…)
    return start + len(copula)


def _past_bracketed_post(text: str, position: int, rules: Rules) -> int:
    """Past a post held under a second name, in brackets right after the first (部长(主任)罗晖), or
    a note of the order the names follow in (委员（按姓氏笔画排序）某某)."""
    match = BRACKETED_POST.match(text, position)
    if match is None:
        return position
    post = match["post"]
    return (
        match.end()
        if post in rules.words(ROLES) or post.endswith(rules.words(ORDER_NOTES).words)
        else position
    )


BRACKETED_POST = re.compile(r"[(（](?P<post>[\u4e00-\u9fff]{2,10})[)）]")


@matcher("person_honorific", settings=OfClass, emits=(RULE_CLASS,))
def match_person_honorific(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A name right before an honorific, after punctuation or an enumeration: 、钟南山院士."""
    found = []
    text, words = scope.text, scope.rules.words
    for match in words(HONORIFICS).pattern.finditer(text):
        for length in (3, 2):
            start = match.start() - length
            if start < 0:
                continue
            boundary = (
                start == 0
                or not CJK.match(text[start - 1])
                or text[start - 1] in words(LIST_JOINERS)
                or text.endswith(words(ROLES).words + words(NAME_OPENING_POSTS).words, 0, start)
                or (length == 2 and text.endswith(words(LEFT_BOUNDARIES).words, 0, start))
            )  # 、钟南山院士, 某学会顾问|某某先生, 由|某某先生
            if (
                boundary
                and _name_after(text, start, scope.rules) == match.start()
                and not text.startswith(words(NOT_NAMES).words, start)
                and not (length == 3 and text[start] in words(LEFT_BOUNDARIES).words)
            ):  # 全省|院士专家工作站: no name; 由|某某先生: 由 is no surname here
                found.append(
                    Candidate(_mention(scope, start, match.start(), rule.settings.cls, rule.id), BY_PATTERN)
                )
                break
    return found


# --- issue 8c: people before their post, in lists, after their unit ---------------------------------


@matcher("person_before_role", settings=OfClass, emits=(RULE_CLASS,))
def match_person_before_role(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A name right before a post or a title, after punctuation, a joiner, a boundary word or a
    body's name: 王元立副主席, 辽宁省科协王元立副主席, 沈阳农业大学迟维意书记; and the names listed
    right before it (陈某、温某同志)."""
    text, found = scope.text, []
    cues = [*scope.rules.words(ROLES).pattern.finditer(text)]
    cues += scope.rules.words(PROFESSIONAL_TITLES).pattern.finditer(text)
    cues += scope.rules.words(HONORIFICS).pattern.finditer(text)  # 发展处彭立颖博士
    for match in cues:
        if text.startswith(scope.rules.words(ROLE_NOT_BEFORE).words, match.end()):
            continue  # 管理委员会 holds no 委员
        taking = next(
            (w for w in scope.rules.words(POST_TAKING_WORDS) if text.endswith(w, 0, match.start())), ""
        )
        name_end = match.start() - len(taking)  # 刘某|任|副主席: the verb of taking the post is no name's
        for length in (3, 2, 4):
            start = name_end - length
            if start < 0 or not _is_name(text[start:name_end], scope.rules):
                continue
            if text.endswith(scope.rules.words(ROLE_NAME_NOT_ENDS).words, 0, name_end):
                continue  # 省农科院|研究员: a body's short name
            if start and text[start - 1].isdigit():
                continue  # 120余位院士: a count
            if text.startswith(scope.rules.words(NOT_NAMES).words, start):
                continue  # 党小|组长: a word that looks like a name (党小组)
            if start + 1 in scope.boundary_ends and _is_name(text[start + 1 : name_end], scope.rules):
                continue  # 由林海主席: 由 is no surname here
            if _opens_name(scope, start):
                found.append(
                    Candidate(_mention(scope, start, name_end, rule.settings.cls, rule.id), BY_PATTERN)
                )
                found.extend(  # 陈某、|温某同志当选副主席: the names listed before it share the post
                    Candidate(_mention(scope, a, b, rule.settings.cls, rule.id), BY_PATTERN)
                    for a, b in _names_listed_before(scope, start)
                )
                break
    return found


@matcher("person_in_caption", settings=OfClass, emits=(RULE_CLASS,))
def match_person_in_caption(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A name right before a photo caption's position mark: 得主陈某某(左二)、童某某(左三)."""
    text, found = scope.text, []
    for match in scope.rules.pattern(PHOTO_POSITION).finditer(text):
        for length in (3, 2):
            start = match.start() - length
            if (
                start >= 0
                and _is_name(text[start : match.start()], scope.rules)
                and _opens_name(scope, start)
            ):
                mention = _mention(scope, start, match.start(), rule.settings.cls, rule.id)
                found.append(Candidate(mention, BY_PATTERN))
                break
    return found


@matcher("person_appointed", settings=OfClass, emits=(RULE_CLASS,))
def match_person_appointed(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A name between a boundary word and a link to a post (选举王一为理事长, 聘请李二担任名誉会长),
    or right after a verb of electing and before its link (选举唐洁为园区科协…主席): the person
    elected or appointed."""
    text, rules = scope.text, scope.rules
    found: list[Candidate] = []
    openings = _clause_openings(text) | set(scope.boundary_ends)
    qualifiers = rules.words(POST_QUALIFIERS).words
    for match in rules.words(ROLES).pattern.finditer(text):
        post = match.start()
        while (qualifier := next((q for q in qualifiers if text.endswith(q, 0, post)), None)) is not None:
            post -= len(qualifier)  # 为|名誉|理事长
        link = next((w for w in rules.words(ELECTED_LINKS) if text.endswith(w, 0, post)), None)
        if link is None:
            continue
        name_end = post - len(link)
        listed = _names_listed_to(scope, name_end, openings)
        if listed:  # 金一、严二、欧阳三|为副主任
            found.extend(
                Candidate(_mention(scope, s, e, rule.settings.cls, rule.id), BY_PATTERN) for s, e in listed
            )
            continue
        for length in (3, 2):
            start = name_end - length
            opens = start in scope.boundary_ends or text.endswith(
                rules.words(APPOINTMENT_OPENERS).words, 0, start
            )
            if start >= 0 and opens and _is_name(text[start:name_end], rules):
                mention = _mention(scope, start, name_end, rule.settings.cls, rule.id)
                found.append(Candidate(mention, BY_PATTERN))
                break
    for verb in rules.words(APPOINTING_VERBS).pattern.finditer(text):  # 选举|唐洁|为园区科协…主席
        for length in (3, 2):
            end = verb.end() + length
            if _is_name(text[verb.end() : end], rules) and text.startswith(
                rules.words(ELECTED_LINKS).words, end
            ):
                found.append(
                    Candidate(_mention(scope, verb.end(), end, rule.settings.cls, rule.id), BY_PATTERN)
                )
                break
    return found


def _names_listed_to(scope: SentenceScope, end: int, openings: Collection[int]) -> list[tuple[int, int]]:
    """The names listed with list commas that end at ``end`` (金一、严二、欧阳三|为副主任), the first
    at one of ``openings`` (a clause's, or after a boundary word); empty unless two or more."""
    text, rules = scope.text, scope.rules
    names: list[tuple[int, int]] = []
    while True:
        start = next(
            (
                end - length
                for length in (2, 3, 4)
                if end - length >= 0
                and (end - length in openings or text[end - length - 1] == LIST_COMMA)
                and _is_name(text[end - length : end], rules)
            ),
            None,
        )
        if start is None:
            return []
        names.append((start, end))
        if start in openings:
            return names if len(names) > 1 else []
        end = start - 1


@matcher("person_after_body", settings=OfClass, emits=(RULE_CLASS,))
def match_person_after_body(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A name right after a body's name, or after the body and 的, closed by punctuation or a word
    of authorship, as in lists of winners (北方民族大学顾俊杰；浙江大学徐海君；…, 某中学某某申报的《…》,
    某学院的某某、某集团的某某等)."""
    return [
        Candidate(_mention(scope, start, end, rule.settings.cls, rule.id), BY_PATTERN)
        for start, end in scope.unit_names
    ]


def _names_after_units(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Where the names right after a unit's name (or the unit and 的) start and end."""
    found = []
    units = rules.words(UNIT_HEADS).words
    authorship = rules.words(AUTHORSHIP_WORDS).words
    for unit_end in range(2, len(text) - 1):
        if not text.endswith(units, 0, unit_end):
            continue
        link = rules.words(UNIT_PERSON_LINKS).pattern.match(text, unit_end)
        position = link.end() if link else unit_end
        for length in (3, 2):
            end = position + length
            closer = text[end : end + 1]
            closed = (
                closer in LISTED_NAME_CLOSERS[3 if link else length]  # the unit and 的 vouch for a short name
                or text.startswith(authorship, end)
                or (link is not None and text.startswith(rules.words(LIST_ENDS).words, end))
            )
            if closed and _is_name(text[position:end], rules):
                found.append((position, end))
                break
    return found


LISTED_NAME_CLOSERS = {3: ";；、(（。", 2: ";；。"}
"""What closes a name listed after its unit: a three-character one, or a shorter, less sure one."""


@matcher("person_listed", settings=OfClass, emits=(RULE_CLASS,))
def match_person_listed(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """Names listed after a person's name (胡锦涛、温家宝、吴官正、罗干等; 副理事长洪友士、刘人怀、
    龙勉), after a list's opening (人员名单，分别是马某、王某), or closed by a count of people
    (王立新、杨海波、陈志强等10人), or before a known person's name: each a surname and one or two
    characters between joiners."""
    text, rules, found = scope.text, scope.rules, []
    anchors = [h.end for h in scope.gazetteer_hits if h.cls == "Person"]
    anchors += [end for _, end in scope.unit_names]  # 某学会胡某某、|张某某、…
    cues = [
        *rules.words(ROLES).pattern.finditer(text),
        *rules.words(PROFESSIONAL_TITLES).pattern.finditer(text),  # 科普作家|甲、乙、丙
        *rules.words(GROUP_TITLES).pattern.finditer(text),
    ]
    for match in cues:
        end = _name_after(text, _holder_start(text, match.end(), rules), rules)
        if end is not None:
            anchors.append(end)
    joiners = rules.words(LIST_JOINERS)
    for opening in rules.pattern(PEOPLE_LIST_OPENING).finditer(text):  # 名单，分别是|马某、王某…
        first_end = _name_after(text, opening.end(), rules)
        if first_end is not None and joiners.pattern.match(text, first_end):
            found.append(
                Candidate(_mention(scope, opening.end(), first_end, rule.settings.cls, rule.id), BY_PATTERN)
            )
            anchors.append(first_end)
    for first_start, first_end in _counted_name_lists(scope):
        found.append(
            Candidate(_mention(scope, first_start, first_end, rule.settings.cls, rule.id), BY_PATTERN)
        )
        anchors.append(first_end)
    for end in sorted(set(anchors)):
        while True:
            joiner = joiners.pattern.match(text, _past_note(text, end))
            if joiner is None:
                break
            start = joiner.end()
            after = _name_after(text, start, rules)
            if after is None or not _closes_list_name(text, _past_note(text, after), rules):
                break
            found.append(Candidate(_mention(scope, start, after, rule.settings.cls, rule.id), BY_PATTERN))
            end = after
    for hit in scope.gazetteer_hits:
        if hit.cls == "Person":
            found.extend(
                Candidate(_mention(scope, start, end, rule.settings.cls, rule.id), BY_PATTERN)
                for start, end in _names_listed_before(scope, hit.start)
            )
    return found


def _names_listed_before(scope: SentenceScope, position: int) -> list[tuple[int, int]]:
    """The names listed right before a known person's (甲乙、丙丁、钟南山等): each a surname and one
    or two characters after a list mark, the first after punctuation or a boundary word."""
    text, rules, names = scope.text, scope.rules, []
    marks = rules.words(ENUMERATION_MARKS).words
    while position > 0 and text.endswith(marks, 0, position):
        mark = position - 1
        for length in (3, 2):
            start = mark - length
            opens = start == 0 or text[start - 1] in CLAUSE_MARKS or text.endswith(marks, 0, start)
            if start >= 0 and _is_name(text[start:mark], rules) and (opens or start in scope.boundary_ends):
                names.append((start, mark))
                position = start
                break
        else:
            break
    return names


@matcher("person_before_verb", settings=OfClass, emits=(RULE_CLASS,))
def match_person_before_verb(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """Names opening a clause or after a word for people (专家田一、冯二获评…), alone or listed,
    right before a verb of people (王一当选为…主席; 张一、李二出席…; 赵小三表示…), or listed and
    closed by 等 and an honorific (张一、李二等院士).
    A lone two-character name needs a sure verb (当选, 出席)."""
    text, rules = scope.text, scope.rules
    found: list[Candidate] = []
    verbs, sure = rules.words(NAME_VERBS).words, rules.words(SURE_NAME_VERBS).words
    after_nouns = {m.end() for m in rules.words(PEOPLE_NOUNS).pattern.finditer(text)}  # 专家|田一、冯二获评
    after_bodies = set(scope.suffix_ends) | {
        h.end for h in scope.gazetteer_hits if h.cls == "Organization"
    }  # 某某学会|柳一二出席: a member named after the body, without a post, needs a sure verb
    clauses = _clause_openings(text)
    openings = clauses | set(scope.boundary_ends)  # 特邀|陈一、李二等院士
    inside_posts = _inside_words(text, rules.words(ROLES))
    for start in sorted(openings | after_nouns | after_bodies):
        if start not in clauses and text.startswith(rules.words(LIST_JOINERS).words, start):
            continue  # 组建|和运营表示: inside a clause, 和 joins two words and opens no name
        if start in inside_posts:
            continue  # 某中心部|长孙某一行: 部长 is a post, no body ends before 长
        chain = _name_chain(text, start, rules)
        if not chain:
            continue
        if start in after_bodies - after_nouns - openings and not text.startswith(sure, chain[-1][1]):
            continue
        if len(chain) > 1 and _closed_by_title(text, chain[-1][1], rules):
            found.extend(
                Candidate(_mention(scope, first, last, rule.settings.cls, rule.id), BY_PATTERN)
                for first, last in chain
            )
            continue
        adverb = rules.words(NAME_VERB_ADVERBS).pattern.match(text, chain[-1][1])
        verb_at = adverb.end() if adverb else chain[-1][1]
        if not text.startswith(verbs, verb_at):
            continue
        if len(chain) == 1 and chain[0][1] - chain[0][0] < 3 and not text.startswith(sure, verb_at):
            continue  # a lone two-character name needs a sure verb
        found.extend(
            Candidate(_mention(scope, first, last, rule.settings.cls, rule.id), BY_PATTERN)
            for first, last in chain
        )
    return found


def _inside_words(text: str, words: WordList) -> set[int]:
    """The positions of ``text`` inside one of ``words``, past its first character."""
    return {position for start, end in words.spans(text) for position in range(start + 1, end)}


def _closed_by_title(text: str, position: int, rules: Rules) -> bool:
    """Whether a list of names ends at ``position`` with 等 and what they all are (等院士, 等专家,
    等工程院院士: a few characters may say whose)."""
    end = rules.words(LIST_ENDS).pattern.match(text, position)
    if end is None:
        return False
    for title in range(end.end(), min(len(text), end.end() + TITLE_QUALIFIER_LONGEST + 1)):
        if rules.words(HONORIFICS).pattern.match(text, title) or rules.words(PEOPLE_NOUNS).pattern.match(
            text, title
        ):
            return True
        if not HAN.match(text[title]) or text[title] in rules.words(FUNCTION_CHARS):
            return False  # 等单位的专家: no title of the names
    return False


TITLE_QUALIFIER_LONGEST = 4
"""The most characters between 等 and the title of the names listed before it (等工程院|院士)."""


def _clause_openings(text: str) -> set[int]:
    """Where the clauses of ``text`` open: its start and right after each clause mark."""
    return {0, *(i + 1 for i, c in enumerate(text) if c in CLAUSE_MARKS)}


def _name_chain(text: str, start: int, rules: Rules) -> list[tuple[int, int]]:
    """The names listed from ``start`` (张一、李二…), each a surname and one or two characters that
    no body or place ends with; empty when the first is none."""
    joiners, chain, position = rules.words(LIST_JOINERS), [], start
    while (end := _name_after(text, position, rules)) is not None:
        name = text[position:end]
        if not _is_name(name, rules) or name.endswith(rules.words(NOT_NAME_ENDS).words):
            return []
        chain.append((position, end))
        joiner = joiners.pattern.match(text, end)
        if joiner is None:
            break
        position = joiner.end()
    return chain


def _counted_name_lists(scope: SentenceScope) -> list[tuple[int, int]]:
    """The first names of lists that open a clause (or follow a boundary word) and close with a count
    of people (王立新、杨海波、陈志强等10人, …邹学校6位院士): three names or more, each a surname and
    one or two characters."""
    text, rules = scope.text, scope.rules
    joiners = rules.words(LIST_JOINERS)
    firsts = []
    openings = _clause_openings(text) | scope.boundary_ends
    for start in sorted(openings):  # 向官春云、陈政清、邹学校6位院士颁发: 向 is a boundary word
        if start in scope.boundary_ends and start + 1 in scope.boundary_ends:
            continue  # 产生了|由|力志等14人: a boundary word right after another is no surname
        chain, position, last = [], start, start
        while (end := _name_after(text, position, rules)) is not None:
            last = _past_note(text, end)
            if not _closes_list_name(text, last, rules):
                break
            chain.append((position, end))
            joiner = joiners.pattern.match(text, last)
            if joiner is None:
                break
            position = joiner.end()
        counted = rules.pattern(LISTED_PEOPLE_COUNT).match(text, last) is not None
        after_colon = start > 0 and text[start - 1] in LIST_COLONS  # 名单为:甲、乙、丙。
        if len(chain) >= 3 and (counted or (after_colon and _closes_name(text, last))):
            firsts.append(chain[0])
        elif chain and counted and text.startswith(rules.words(LIST_ENDS).words, last):
            firsts.append(chain[0])  # 授予王立新等186名同志: one name and the count of the others
    return firsts


LIST_COLONS = ":："
"""A colon opens a list: names listed right after one (副理事长:甲、乙、丙) need no count after them."""


def _past_note(text: str, end: int) -> int:
    """Past a short note in brackets after a listed name (甲(新任)、乙), else ``end``."""
    note = REMARK.match(text[end : end + 6])
    return end + note.end() if note else end


def _closes_list_name(text: str, end: int, rules: Rules) -> bool:
    """Does a listed name end here: punctuation, a joiner, 等, a verb or copula after names (…为理事)
    or a count of people (…邱明华6位院士)?"""
    return (
        end >= len(text)
        or text[end] in NAME_CLOSERS
        or text.startswith(rules.words(LIST_JOINERS).words, end)
        or text.startswith(rules.words(LIST_ENDS).words, end)
        or text.startswith(rules.words(NAME_VERBS).words, end)
        or text.startswith(rules.words(POST_COPULAS).words, end)  # …、某某|为理事
        or rules.pattern(LISTED_PEOPLE_COUNT).match(text, end) is not None
    )


def _is_name(name: str, rules: Rules) -> bool:
    """Is ``name`` a Chinese personal name: a surname and one or two characters, holding no word
    that follows a name or a post (原馆长, 宣读了), and no other thing's name the gazetteer knows?"""
    followers = (rules.words(AFTER_NAME), rules.words(ROLES))
    if not all(CJK.match(c) for c in name) or _holds_a_word(name, followers):
        return False
    if name.startswith(rules.words(NOT_NAMES).words):  # 党委|副书记 as well as 党委
        return False
    if name[:1] in rules.words(COORDINATORS).words and name[1:] in rules.words(LEFT_BOUNDARIES).words:
        return False  # 和|建立院士工作站: a joiner and a verb, though 和 is a surname
    curated = rules.lookup(name)
    if curated is not None and curated.cls != "Person":
        return False  # 马鞍山|师范…: a place the gazetteer knows, though 马 is a surname
    return any(1 <= len(name) - len(s) <= 2 for s in rules.words(SURNAMES).starting_at(name, 0))


def _holds_a_word(text: str, lists: Sequence[WordList]) -> bool:
    """Does the short ``text`` hold a word of two or more characters of one of ``lists``? (Every
    stretch of it is looked up, not every word searched for: a name has at most ten stretches.)"""
    return any(
        text[i:j] in words for i in range(len(text)) for j in range(i + 2, len(text) + 1) for words in lists
    )


def _opens_name(scope: SentenceScope, start: int) -> bool:
    """May a name open at ``start``: after punctuation, a joiner, a boundary word, a body's name
    or what people are (专家何积丰教授)?"""
    text = scope.text
    return (
        start == 0
        or not CJK.match(text[start - 1])
        or text.endswith(scope.rules.words(LIST_JOINERS).words, 0, start)
        or start in scope.boundary_ends
        or start in scope.named_ends
        or text.endswith(scope.rules.suffixes, 0, start)
        or (  # 专家何积丰教授, but 学生和青年工程师: 和 joins two kinds of people
            text.endswith(scope.rules.words(PEOPLE_NOUNS).words, 0, start)
            and not text.startswith(scope.rules.words(LIST_JOINERS).words, start)
        )
    )


FOREIGN_NAME = re.compile(rf"[\u4e00-\u9fff]{{1,6}}(?:[{MIDDLE_DOTS}][\u4e00-\u9fff]{{1,6}})+")


def _foreign_name_end(text: str, start: int, rules: Rules | None = None) -> int | None:
    """End of a transliterated name (安东尼奥·古特雷斯) at ``start``: the last part ends before a
    word that may follow a name, or before punctuation."""
    match = FOREIGN_NAME.match(text, start)
    if not match:
        return None
    after = rules.words(AFTER_NAME).words if rules else ()
    last_dot = max(text.rfind(d, start, match.end()) for d in MIDDLE_DOTS)
    for end in range(last_dot + 2, match.end() + 1):
        if any(text.startswith(w, end) for w in after):
            return end
    rest = text[match.end() :]
    return match.end() if not rest or not CJK.match(rest[0]) else None


@matcher("person_transliterated", settings=OfClass, emits=(RULE_CLASS,))
def match_person_transliterated(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A transliterated name with middle dots (安东尼奥·古特雷斯) after punctuation or a post."""
    found = []
    for match in FOREIGN_NAME.finditer(scope.text):
        start = match.start()
        if (start and CJK.match(scope.text[start - 1])) or scope.quotes.inside(start) is not None:
            continue  # “创新·体验·成长” is a slogan
        if start and scope.text[start - 1] == "《":
            continue  # 话剧《数·筑未来》 is a title
        if _opens_with_place(scope, start, match.end()):
            continue  # 金华·科学, 中国·南京: a title whose first part is a place
        post = scope.rules.words(ROLES).pattern.match(scope.text, start)
        if post is not None and post.end() < _first_dot(scope.text, start, match.end()):
            start = post.end()  # 副局长|艾山江·吐尔洪: the post is no part of the name
        end = _foreign_name_end(scope.text, start, scope.rules)
        if end:
            found.append(Candidate(_mention(scope, start, end, rule.settings.cls, rule.id), BY_PATTERN))
    return found


def _opens_with_place(scope: SentenceScope, start: int, end: int) -> bool:
    """Does the first part of the dotted name at ``start`` end with a curated place (金华·…)?"""
    first_dot = _first_dot(scope.text, start, end)
    return any(h.cls == "Place" and h.start >= start for h in scope.hits_by_end.get(first_dot, ()))


def _first_dot(text: str, start: int, end: int) -> int:
    return min((p for p in (text.find(d, start, end) for d in MIDDLE_DOTS) if p >= 0), default=-1)


# --- overlaps ----------------------------------------------------------------------------------


NESTABLE = ("Organization", "Person")
"""Classes kept when named inside another name: the body that holds an event, runs a platform."""


def _nestable(mention: Mention, rules: Rules) -> bool:
    """Kept inside another name: a curated body or person, or a body by pattern that ends like one."""
    if mention.cls not in NESTABLE:
        return False
    return (
        mention.key is not None
        or mention.cls == "Person"
        or mention.surface.endswith(rules.words(NESTED_BODY_SUFFIXES).words)
    )


def _programme_in_event_name(mention: Mention, containers: list[Mention], text: str, rules: Rules) -> bool:
    """A curated programme, platform or award inside an event's name (中国流动科技馆|某县巡展, 科普大篷车|
    校园行活动, 第25届|某某奖|颁奖活动, 中国科协|“某行动”|某某行) is what the event belongs to or is
    about; right after a place's name (湖南|最美科技工作者…) it is that place's namesake."""
    if mention.cls not in ("Initiative", "Platform", "Award") or mention.key is None:
        return False
    return all(
        c.cls == "Event" and not _after_a_place(text[c.start : mention.start], rules) for c in containers
    )


def _after_a_place(prefix: str, rules: Rules) -> bool:
    """Does the start of a name, before a curated name in it, end with a place's name (湖南, 某某县)?"""
    prefix = rules.pattern(LEADING_NUMBERING).sub("", prefix.strip(OPEN_QUOTES + CLOSE_QUOTES))
    if not prefix:
        return False
    entry = rules.lookup(prefix)
    return (entry is not None and entry.cls == "Place") or prefix.endswith(rules.words(LOCAL_LEVELS).words)


def _publication_in_event_name(mention: Mention, containers: list[Mention], text: str) -> bool:
    """A publication or platform in book-title marks inside an event's name (《某某作品集》发布会,
    《科普中国》信息员培训班) is what the event is about."""
    return (
        mention.cls in ("Publication", "Platform")
        and all(c.cls == "Event" for c in containers)
        and (
            text.startswith(BOOK_TITLE_OPENERS, mention.start)
            or text.endswith(BOOK_TITLE_OPENERS, 0, mention.start)
        )
    )


BOOK_TITLE_OPENERS = ("《", "〈")


def _place_in_event_name(
    mention: Mention, containers: list[Mention], text: str, rules: Rules, quotes: Quotes
) -> bool:
    """A place named inside an event's name, past its start and outside quotes, locates the event."""
    if mention.cls != "Place" or len(containers) != 1 or containers[0].cls != "Event":
        return False
    event = containers[0]
    lead = rules.pattern(LEADING_NUMBERING).match(text[event.start : event.end])
    start = event.start + (lead.end() if lead else 0)
    if quotes.inside(mention.start) is not None:
        return False
    # at the name's start only a division below the country (哈尔滨首届…大赛, 2014年陕西省科技活动周)
    return mention.start > start or (
        mention.start == start and rules.place_levels.get(mention.key or "", CITY) > 0
    )


def _place_opening_body(
    mention: Mention, containers: list[Mention], rules: Rules, near: Sequence[Mention] = ()
) -> bool:
    """A place (no country) opening the name of a body no gazetteer knows (潢川县科协, 哈尔滨电气…
    有限公司), or right after another that does (湖南省|宜章县|科协), is where the body is: kept, nested."""
    if mention.cls != "Place" or len(containers) != 1 or containers[0].cls != "Organization":
        return False
    body = containers[0]
    opens = mention.start == body.start or any(
        k.cls == "Place" and k.nested and body.start <= k.start and k.end == mention.start for k in near
    )
    if not opens or rules.place_levels.get(mention.key or "", CITY) == 0:
        return False
    if any(head in body.surface for head in rules.words(PLACELESS_BODY_HEADS)):
        return False  # 河北农业大学 is no body of 河北's
    divisions = rules.words(DIVISION_SUFFIXES).words
    written = body.surface[len(mention.surface) :]
    return mention.surface.endswith(divisions) or written.startswith(divisions)  # 湖南省, 潢川|县


def _quoted_title_in_event(mention: Mention, containers: list[Mention], quotes: Quotes) -> bool:
    """A body by pattern quoted whole inside an event's name (“我与科协”征文活动) is the event's title."""
    return (
        mention.cls == "Organization"
        and mention.key is None
        and all(c.cls == "Event" for c in containers)
        and quotes.inside(mention.start) is not None
        and quotes.inside(mention.start) == quotes.inside(mention.end - 1)
    )


def _place_in_platform_name(mention: Mention, containers: list[Mention], rules: Rules) -> bool:
    """A known place (no country) in the name of a station or service (西北地区宁夏服务站, 某县科普e站)
    is where it serves: kept, nested."""
    return (
        mention.cls == "Place"
        and mention.key is not None
        and len(containers) == 1
        and containers[0].cls == "Platform"
        and rules.place_levels.get(mention.key, CITY) != 0
    )


def resolve_overlaps(candidates: Sequence[Candidate], rules: Rules, text: str = "") -> list[Mention]:
    """Keep the longest, then leftmost, then highest-priority candidate of each overlap.

    A candidate strictly inside a kept mention of another class is kept as nested; one inside
    a kept mention of its own class is dropped, its name becoming the outer mention's parent
    (an organisation at the start of a department's name) or alternative label (a series name
    inside an edition's name: 世界青年科学家峰会 in 2020世界青年科学家峰会).
    """
    ordered = sorted(
        candidates,
        key=lambda c: (
            -(c.mention.end - c.mention.start),
            c.mention.start,
            c.priority,
            c.mention.cls,
            c.mention.rule,
        ),
    )
    kept: list[Mention] = []
    starts: list[tuple[int, int]] = []  # (start, place in kept) of every kept mention, in order
    longest = 0
    quotes = quotes_of(text)
    addresses = _address_chains(candidates, rules)
    for candidate in ordered:
        mention = candidate.mention
        # what can hold or cross it starts at most `longest` before it (kept are never shorter)
        low = bisect_left(starts, (mention.start - longest, -1))
        high = bisect_right(starts, (mention.end, len(kept)))
        near = [kept[i] for i in sorted(i for _, i in starts[low:high])]
        containers = [k for k in near if k.start <= mention.start and mention.end <= k.end]
        crossing = [
            k for k in near if k.start < mention.end and mention.start < k.end and k not in containers
        ]
        if crossing:
            continue
        if not containers:
            insort(starts, (mention.start, len(kept)))
            longest = max(longest, mention.end - mention.start)
            kept.append(mention)
            continue
        if any(k.start == mention.start and k.end == mention.end for k in containers):
            continue
        same = [k for k in containers if k.cls == mention.cls]
        if same:
            _absorb(kept, same[0], mention, rules)
            continue
        if _quoted_title_in_event(mention, containers, quotes):
            continue
        if (
            _nestable(mention, rules)
            or _programme_in_event_name(mention, containers, text, rules)
            or _publication_in_event_name(mention, containers, text)
            or _place_in_event_name(mention, containers, text, rules, quotes)
            or _place_opening_body(mention, containers, rules, near)
            or _place_in_address(mention, containers, addresses)
            or _place_in_platform_name(mention, containers, rules)
        ):
            insort(starts, (mention.start, len(kept)))
            longest = max(longest, mention.end - mention.start)
            kept.append(replace(mention, nested=True))
    kept = [_addressed_body(m, addresses) for m in kept]
    return sorted(kept, key=lambda m: (m.start, -m.end, m.cls))


MIN_ADDRESS_PLACES = 2
"""Places one after another, each with its level word, that make an address (云南省|某市|某县…)."""


def _address_chains(candidates: Sequence[Candidate], rules: Rules) -> dict[int, list[tuple[int, int]]]:
    """Each position where an address opens: the places that follow one another from it, each
    written with its level word (某省|某市|某自治县|某镇), at least MIN_ADDRESS_PLACES of them."""
    divisions = rules.words(DIVISION_SUFFIXES).words
    spans: dict[int, int] = {}
    for candidate in candidates:
        m = candidate.mention
        if m.cls == "Place" and m.surface.endswith(divisions):
            spans[m.start] = max(spans.get(m.start, m.start), m.end)
    chains: dict[int, list[tuple[int, int]]] = {}
    for start in sorted(spans):
        chain, at = [], start
        while at in spans:
            chain.append((at, spans[at]))
            at = spans[at]
        if len(chain) >= MIN_ADDRESS_PLACES:
            chains[start] = chain
    return chains


def _place_in_address(
    mention: Mention, containers: list[Mention], addresses: Mapping[int, list[tuple[int, int]]]
) -> bool:
    """A place of the address that opens a body's name (云南省某市某县某镇|某小学): where the body is,
    whatever its head (a school's, a hospital's), kept nested."""
    if mention.cls != "Place" or len(containers) != 1 or containers[0].cls != "Organization":
        return False
    chain = addresses.get(containers[0].start)
    return chain is not None and (mention.start, mention.end) in chain and chain[-1][1] < containers[0].end


def _addressed_body(mention: Mention, addresses: Mapping[int, list[tuple[int, int]]]) -> Mention:
    """A body named after an address (云南省某市某县某镇某小学) also goes by its name from the last
    place on (某镇某小学), as it is written once the address is known."""
    chain = addresses.get(mention.start)
    if mention.cls != "Organization" or mention.key is not None or not chain or chain[-1][1] >= mention.end:
        return mention
    short = mention.surface[chain[-1][0] - mention.start :]
    if short in mention.alt_labels:
        return mention
    return replace(mention, alt_labels=(*mention.alt_labels, short))


def _absorb(kept: list[Mention], outer: Mention, inner: Mention, rules: Rules) -> None:
    index = kept.index(outer)
    series = inner.key is not None and rules.gazetteer[inner.key].series
    if inner.cls == "Organization" and inner.start == outer.start and outer.parent is None:
        kept[index] = replace(outer, parent=inner.label or inner.surface)
    elif inner.cls == "Event" and series and not outer.key and _edition_of(outer, inner, rules):
        kept[index] = replace(outer, alt_labels=(*outer.alt_labels, inner.label or inner.surface))


def _edition_of(outer: Mention, series: Mention, rules: Rules) -> bool:
    """Is ``outer`` the series' name, or the name it is written by, with only a year or ordinal
    before it (2020年全国科普日, 第31届|青少年科技创新大赛)?"""
    bare = name_key(rules.pattern(LEADING_NUMBERING).sub("", outer.surface))
    return bare in {name_key(series.label or series.surface), name_key(series.surface)}


def find_mentions(scope: SentenceScope, rules: Rules) -> list[Mention]:
    """All entity mentions of one sentence, overlaps resolved."""
    candidates = list(scope.gazetteer)
    for rule in rules.entity_rules:
        candidates.extend(MATCHERS[rule.kind].function(scope, rule))
    # 105个|科技服务团 is a kind counted, 6场|“科普进社区”宣讲活动 a name: a quote makes it one
    candidates = [
        c
        for c in candidates
        if c.mention.start not in scope.counts_end or scope.text[c.mention.start] in OPEN_QUOTES
    ]
    candidates = [c for c in candidates if not _describes_told_event(scope, c.mention)]
    candidates.extend(joined_events(scope, candidates))
    position = scope.rules.pattern(PHOTO_POSITION)  # 某某(右一)|巡展: a caption run into the text
    candidates = [c for c in candidates if c.mention.key or not position.search(c.mention.surface)]
    found = venues_apart(resolve_overlaps(candidates, rules, scope.text), scope)
    found = [_with_joined_halves(m, rules) for m in found]
    return listed_bodies(bodies_before_posts(found, scope), scope)


MIN_JOINED_HALF = 4
"""The fewest characters of a half of a joined event's name that names it too (not 会暨|…)."""


def _with_joined_halves(mention: Mention, rules: Rules) -> Mention:
    """An event named by two or more names joined (甲研讨会暨乙会员代表大会) goes by each of them:
    the halves, quote marks stripped, become other names."""
    if mention.cls != "Event" or mention.key is not None:
        return mention
    joiners = rules.words(EVENT_JOINERS)
    if not any(j in mention.surface for j in joiners):
        return mention
    halves = re.split(joiners.pattern, mention.surface)
    names = [strip_wrapping(h) for h in halves if len(strip_wrapping(h)) >= MIN_JOINED_HALF]
    if len(names) < len(halves):
        return mention
    return replace(mention, alt_labels=tuple(dict.fromkeys((*mention.alt_labels, *names))))


JOINED_EVENT_RULE = "event.joined"


def joined_events(scope: SentenceScope, candidates: Sequence[Candidate]) -> list[Candidate]:
    """Two events' names written on either side of a joiner (某协会年度会员代表大会暨|一届二次理事会)
    name one event held as both, whichever rules found the halves: the longest pair at each joiner
    (each half is then an other name of it: :func:`_with_joined_halves`)."""
    by_end: dict[int, Mention] = {}
    by_start: dict[int, Mention] = {}
    for event in (c.mention for c in candidates if c.mention.cls == "Event"):
        if event.end not in by_end or event.start < by_end[event.end].start:
            by_end[event.end] = event
        if event.start not in by_start or event.end > by_start[event.start].end:
            by_start[event.start] = event
    found = []
    for joiner in scope.rules.words(EVENT_JOINERS):
        for end, first in by_end.items():
            second = by_start.get(end + len(joiner))
            if second is not None and scope.text.startswith(joiner, end):
                mention = _mention(scope, first.start, second.end, "Event", JOINED_EVENT_RULE)
                found.append(Candidate(mention, BY_PATTERN))
    return found


def _describes_told_event(scope: SentenceScope, mention: Mention) -> bool:
    """Is ``mention`` an event found by pattern in a clause that says what an event told of before
    is (此项大赛是面向…开展的|青少年科技竞赛活动): a description, no new event."""
    if mention.cls != "Event" or mention.key is not None:
        return False
    clause_start = clause_bounds(scope.text, mention.start)[0]
    opening = scope.rules.pattern(EVENT_DESCRIPTION_OPENING).match(scope.text, clause_start)
    return opening is not None and opening.end() <= mention.start


@functools.cache
def _inner_characters(words: tuple[str, ...]) -> frozenset[str]:
    """Every character of the words but their first: what may follow the start of one of them."""
    return frozenset(word[k] for word in words for k in range(1, len(word)))


def bodies_before_posts(mentions: list[Mention], scope: SentenceScope) -> list[Mention]:
    """A curated body whose name ends with the start of a post written on after it is the shorter
    body holding that post: 中国科协党组书记 is 中国科协 and 党组书记, not 中国科协党组 and 书记."""
    text, rules = scope.text, scope.rules
    roles = rules.words(ROLES).words
    continuations = _inner_characters(roles)
    found = []
    for mention in mentions:
        found.append(mention)
        if (
            mention.cls != "Organization"
            or mention.key is None
            or text[mention.end : mention.end + 1] not in continuations
        ):
            continue  # what follows continues no post
        for role in roles:
            cut = next(
                (
                    k
                    for k in range(1, len(role))
                    if mention.surface.endswith(role[:k]) and text.startswith(role[k:], mention.end)
                ),
                None,
            )
            shorter = rules.lookup(mention.surface[:-cut]) if cut else None
            if cut and shorter is not None and shorter.cls == "Organization":
                end = mention.end - cut
                found[-1] = replace(
                    mention,
                    end=end,
                    surface=text[mention.start : end],
                    key=shorter.id,
                    label=shorter.label,
                    rule=f"gazetteer:{shorter.id}",
                    parent=None,
                    alt_labels=(),
                    written=mention.written[:-cut] if mention.written else None,
                )
                break
    return found


LISTED_BODY_LONGEST = 10
"""At most this many characters in an unknown name listed between two bodies."""


def listed_bodies(mentions: list[Mention], scope: SentenceScope) -> list[Mention]:
    """A name no rule knows listed between two bodies (中国科协、教育部、体育总局、共青团中央) is a
    body too: things listed together are of one kind. A gap may list several (环境保护部、体育总局)."""
    text, joiners = scope.text, scope.rules.words(LIST_JOINERS).words
    bodies = [m for m in mentions if m.cls == "Organization" and not m.nested]
    taken = [(m.start, m.end) for m in mentions]
    found = []
    for left, right in zip(bodies, bodies[1:], strict=False):
        gap = text[left.end : right.start]
        opener = next((j for j in joiners if gap.startswith(j)), None)
        closer = next((j for j in joiners if gap.endswith(j)), None)
        if opener is None or closer is None or len(gap) <= len(opener) + len(closer):
            continue
        start, end = left.end + len(opener), right.start - len(closer)
        if any(s < end and start < e for s, e in taken):
            continue
        names, at = [], start
        for name in re.split(scope.rules.words(ENUMERATION_MARKS).pattern, text[start:end]):
            if not (2 <= len(name) <= LISTED_BODY_LONGEST and HAN_RUN.fullmatch(name)):
                break
            if any(j in name for j in joiners) or name.endswith(scope.rules.words(PEOPLE_NOUNS).words):
                break  # …协会、市级科技专家、…协会: people listed with bodies, no body
            names.append((at, at + len(name)))
            at += len(name) + 1
        else:
            found += [_mention(scope, a, b, "Organization", "org.listed") for a, b in names]
    return sorted([*mentions, *found], key=lambda m: (m.start, -m.end, m.cls)) if found else mentions


def venues_apart(mentions: list[Mention], scope: SentenceScope) -> list[Mention]:
    """A place written right before a curated body's name (北京中国科技馆) is where the body is, not
    part of a new body's name: a name found by pattern that is exactly a curated place and a
    curated body is the two of them (the relation finders then locate the body there). A body
    written after its place's level is that place's own (蓟州区|农技协 is 蓟州区's association)."""
    found = []
    for mention in mentions:
        found_by = scope.rules.entity_rule_by_id.get(mention.rule)
        written_after_level = found_by is not None and found_by.kind == "local_body"
        if mention.key is not None or mention.cls != "Organization" or written_after_level:
            found.append(mention)
            continue
        places = [
            h for h in scope.hits_by_start.get(mention.start, ()) if h.cls == "Place" and h.end < mention.end
        ]
        pair = next(
            (
                (place, body)
                for place in sorted(places, key=lambda h: -h.end)
                for body in scope.hits_by_start.get(place.end, ())
                if body.cls == "Organization" and body.end == mention.end
            ),
            None,
        )
        found.extend(pair if pair is not None else (mention,))
    return sorted(found, key=lambda m: (m.start, -m.end, m.cls))
