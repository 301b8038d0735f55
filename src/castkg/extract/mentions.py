"""Entity mentions in one sentence: gazetteer names first, then the pattern rules.

Each rule kind is a matcher registered by name in ``castkg.registry.MATCHERS`` with the frozen
dataclass of its settings (``@matcher("suffix", settings=Suffix, emits=…)``); entities.yaml
chooses and configures them. The sentence is read once into a frozen :class:`SentenceScope`
(the gazetteer's names and indexes over them). Overlaps are resolved longest first, then
leftmost, then by rule priority; a name inside a longer name of another class is kept as a
nested mention (世界经济论坛 inside 世界经济论坛“达沃斯议程”对话会).
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from castkg.extract.text import CJK, CLOSE_QUOTES, LEADING_NUMBERING, OPEN_QUOTES
from castkg.model import Mention
from castkg.registry import MATCHERS, PATTERNS, RULE_CLASS, WORDS
from castkg.rules import ClassName, Rule, Rules, gazetteer_automaton, name_key, yaml_name

QUOTE_CHARS = OPEN_QUOTES + CLOSE_QUOTES
OPEN_QUOTE_MARKS, CLOSE_QUOTE_MARKS = "“「『", "”」』"
"""The quote marks a name may sit inside (straight quotes and ‘’ open and close alike)."""
HAN = re.compile(r"[\u4e00-\u9fff]")
NAME_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z0-9·\-—]")
MIDDLE_DOTS = "·・•‧"

BY_GAZETTEER, BY_QUOTES, BY_PATTERN = 0, 1, 2
"""Priorities: on equal spans a curated name beats a quoted one beats a suffix pattern."""

YEAR_INSIDE = PATTERNS.need("year_inside")
ETHNIC_TAIL = PATTERNS.need("ethnic_tail")
COORDINATORS = WORDS.need("coordinators")
LIST_JOINERS = WORDS.need("list_joiners")
LEFT_BOUNDARIES = WORDS.need("left_boundaries")
FALSE_STARTS = WORDS.need("false_starts")
NOT_PLACE_AFTER = WORDS.need("not_place_after")
SCOPE_WORDS = WORDS.need("scope_words")
SUFFIX_NOT_BEFORE = WORDS.need("suffix_not_before")
GENERIC_PREFIXES = WORDS.need("generic_prefixes")
ADVERBS = WORDS.need("adverbs")
NUMBERED_MEETINGS = WORDS.need("numbered_meetings")
GENERIC_CORES = WORDS.need("generic_cores")
GENERIC_HEADS = WORDS.need("generic_heads")
PUBLISH_VERBS = WORDS.need("publish_verbs")
POSSESSIVE = WORDS.need("possessive_particles")
ORDINAL_MARKS = WORDS.need("ordinal_marks")
ETHNIC_GROUPS = WORDS.need("ethnic_groups")
GENERIC_PLACE_CORES = WORDS.need("generic_place_cores")
SURNAMES = WORDS.need("surnames")
AFTER_NAME = WORDS.need("after_name")
FUNCTION_CHARS = WORDS.need("function_chars")
ROLES = WORDS.need("roles")
HONORIFICS = WORDS.need("honorifics")
NESTED_BODY_SUFFIXES = WORDS.need("nested_body_suffixes")


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
    counts_end: frozenset[int] = frozenset()
    """Ends of counted numbers: a name right after one is a category (105个科技服务团), not a name."""
    gazetteer: tuple[Candidate, ...] = ()
    """The gazetteer's names in the sentence."""
    gazetteer_hits: tuple[Mention, ...] = ()
    hits_by_start: Mapping[int, tuple[Mention, ...]] = field(default_factory=dict, repr=False)
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
    quotes: Quotes = Quotes((None,), -1)


def sentence_scope(
    text: str, index: int, rules: Rules, stops: Iterable[int] = (), counts_end: Iterable[int] = ()
) -> SentenceScope:
    """The scope of one sentence: the gazetteer's names in it, and the indexes the matchers read."""
    gazetteer = tuple(gazetteer_mentions(text, index, rules))
    hits = tuple(c.mention for c in gazetteer)
    by_start: dict[int, list[Mention]] = {}
    for hit in hits:
        by_start.setdefault(hit.start, []).append(hit)
    named_ends = frozenset(h.end for h in hits if h.cls in ("Organization", "Place"))
    suffix_ends = frozenset(end for _, end in rules.suffix_words.spans(text))
    after_names = frozenset(
        end
        for start, end in rules.words(COORDINATORS).spans(text)
        if start in suffix_ends or start in named_ends
    )
    return SentenceScope(
        text=text,
        index=index,
        rules=rules,
        stops=frozenset(stops),
        counts_end=frozenset(counts_end),
        gazetteer=gazetteer,
        gazetteer_hits=hits,
        hits_by_start=MappingProxyType({start: tuple(found) for start, found in by_start.items()}),
        hit_starts=tuple(sorted(h.start for h in hits)),
        body_starts=frozenset(h.start for h in hits if h.cls == "Organization"),
        opener_starts=frozenset(h.start for h in hits if h.cls in ("Place", "Organization")),
        named_ends=named_ends,
        boundary_ends=frozenset(end for _, end in rules.words(LEFT_BOUNDARIES).spans(text)),
        suffix_ends=suffix_ends,
        after_names=after_names,
        quotes=quotes_of(text),
    )


Matcher = Callable[[SentenceScope, Rule[Any]], list[Candidate]]
matcher = MATCHERS.register


@dataclass(frozen=True)
class OfClass:
    """Settings of a kind that is told only the class of what it finds."""

    cls: ClassName = field(metadata=yaml_name("class"))


def _mention(scope: SentenceScope, start: int, end: int, cls: str, rule: str, **extra: object) -> Mention:
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
        if entry.cls == "Place" and text[end : end + 1] in rules.words(NOT_PLACE_AFTER):
            continue  # 西班牙语 is a language, not Spain
        if entry.quoted_only and not quoted:
            continue  # 决战脱贫攻坚 names a task; “十四五” names the plan
        surface = strip_wrapping(text[start:end])
        mention = Mention(
            index, start, end, surface, entry.cls, f"gazetteer:{entry.id}", key=entry.id, label=entry.label
        )
        found.append(Candidate(mention, BY_GAZETTEER))
    return found


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


def walk_left(scope: SentenceScope, position: int) -> int:
    """Where a name ending at ``position`` starts: back over name characters and at most one
    quoted part, stopping at punctuation, a boundary word, a date or a counted number, and at
    a coordinator after another name (中国科协与人民日报社 is two names)."""
    text = scope.text
    opened = scope.quotes.inside(position)
    if opened is not None:
        return opened + 1
    i, quotes = position, 0
    while i > 0 and i not in scope.stops:
        char = text[i - 1]
        if char in "”」』":
            start = max(text.rfind(o, 0, i - 1) for o in "“「『")
            if quotes or start < 0:
                break
            i, quotes = start, quotes + 1
            continue
        if char in ")）":
            remark = re.search(r"[(（][“”\u4e00-\u9fff]{1,8}[)）]$", text[:i])
            if remark and remark.start() > 0:  # 2024年第16次党组(扩大)会议
                i = remark.start()
                continue
            break
        if not NAME_CHAR.match(char) or i in scope.boundary_ends:
            break
        if _after_a_name(scope, i) or _name_meets_name(scope, i):
            break
        i -= 1
    return i


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
    if hit is not None:
        return True
    if strict:
        return False
    word = next((w for w in scope.rules.words(SCOPE_WORDS) if rest.startswith(w)), None)
    return word is not None and (offset + len(word) < suffix_start or lead is not None)


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
    not_after: tuple[str, ...] = ()
    """Cores that end so are no names (获奖, 颁奖)."""
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", _suffix_pattern(self.suffixes))


@matcher("suffix", settings=Suffix, emits=(RULE_CLASS,))
def match_suffix(scope: SentenceScope, rule: Rule[Suffix]) -> list[Candidate]:
    """Names ending in one of the rule's suffixes (…学会, …论坛, …计划), started by ``walk_left``."""
    text, words = scope.text, scope.rules.words
    found = []
    for match in rule.settings.pattern.finditer(text):
        if words(SUFFIX_NOT_BEFORE).pattern.match(text, match.end()):
            continue
        start = walk_left(scope, match.start())
        if _reject_suffix_name(scope, rule, start, match):
            later = _later_start(scope, rule, start, match)
            if later is None:
                continue
            start = later
        found.append(Candidate(_mention(scope, start, match.end(), rule.settings.cls, rule.id), BY_PATTERN))
    return found


def _later_start(scope: SentenceScope, rule: Rule[Suffix], start: int, match: re.Match[str]) -> int | None:
    """A later start where a name opens (做好2022世界机器人大会 → 2022世界机器人大会): a year or
    ordinal, or a curated place or body, that then passes the rule's checks. (Not a bare scope word:
    重要国际论坛峰会 holds no name.)"""
    text = scope.text
    leading = scope.rules.pattern(LEADING_NUMBERING)
    for position in range(start + 1, match.start()):
        opens = position in scope.opener_starts or leading.match(text[position:])  # ^ anchors at 0 only
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


def _reject_suffix_name(scope: SentenceScope, rule: Rule[Suffix], start: int, match: re.Match[str]) -> bool:
    settings = rule.settings
    text, words = scope.text, scope.rules.words
    core = _QUOTE_CHAR.sub("", text[start : match.start()])
    if start in scope.counts_end or core.startswith(words(GENERIC_PREFIXES).words):
        return True
    if core.endswith(words(ADVERBS).words):
        return True
    name = _QUOTE_OR_REMARK.sub("", text[start : match.end()])
    numbered_meeting = any(
        name.endswith(m) and scope.rules.pattern(LEADING_NUMBERING).fullmatch(name[: -len(m)] or "-")
        for m in words(NUMBERED_MEETINGS)
    )  # 2021年第4次党组会议, 2023年全体大会
    whole_quote = (
        start > 0 and text[start - 1] in OPEN_QUOTES and text[match.end() : match.end() + 1] in CLOSE_QUOTES
    )
    if len(core) < (2 if whole_quote else settings.min_core) and not numbered_meeting:
        return True  # “英才计划” is a name; 英才计划 unquoted needs more
    leading = scope.rules.pattern(LEADING_NUMBERING)
    if settings.cls == "Organization" and (
        leading.match(core) or scope.rules.pattern(YEAR_INSIDE).search(core)
    ):
        return True  # 中国科协2020年全国学会(秘书长会议) holds no body
    scope_word = next((w for w in words(SCOPE_WORDS) if core.startswith(w)), "")
    if core[len(scope_word) :] in words(GENERIC_CORES):
        return True  # 世界一流学会, 国际学术会议
    whole_quote = (
        start > 0 and text[start - 1] in OPEN_QUOTES and text[match.end() : match.end() + 1] in CLOSE_QUOTES
    )
    if core.endswith(settings.not_after):
        return True
    has_scope = whole_quote or _has_scope(
        scope, start, match.end(), match.start(), settings.requires_name_start
    )
    if (settings.requires_scope or settings.requires_name_start) and not (numbered_meeting or has_scope):
        return True
    if settings.requires_parent and not any(
        h.cls == "Organization" and h.end < match.start() for h in scope.hits_by_start.get(start, ())
    ):
        return True
    trigger = settings.requires_trigger
    return bool(trigger) and not text.endswith(trigger, 0, start)


_QUOTE_CHAR = re.compile(f"[{QUOTE_CHARS}]")
_QUOTE_OR_REMARK = re.compile(f"[{QUOTE_CHARS}]|[(（][\u4e00-\u9fff]{{1,4}}[)）]")


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
    publication's object (发布“…”), or, with no cue, by the gazetteer (left to it)."""
    heads = rule.settings.heads
    found = []
    for match in QUOTED_NAME.finditer(scope.text):
        inner = match.group(1) or match.group(2)
        after = scope.text[match.end() :]
        head_cls, head = _head_after(after, heads)
        curated = scope.rules.lookup(inner)
        if head_cls and curated is not None:
            head_cls = curated.cls if head in scope.rules.words(GENERIC_HEADS) else head_cls
        if head_cls:
            end = match.end() + len(head)
            generic = head in scope.rules.words(GENERIC_HEADS)  # “科普中国”平台 is 科普中国; …国际版 is not
            label = inner if generic else None
            alt = (inner + head,) if generic else (inner,)
            found.append(
                Candidate(
                    _mention(scope, match.start(), end, head_cls, rule.id, label=label, alt_labels=alt),
                    BY_QUOTES,
                )
            )
        elif _published(scope, match.start()):
            found.append(
                Candidate(_mention(scope, match.start(), match.end(), "Publication", rule.id), BY_QUOTES)
            )
    return found


def _head_after(after: str, heads: Mapping[ClassName, tuple[str, ...]]) -> tuple[str | None, str]:
    best: tuple[str | None, str] = (None, "")
    for cls, words in heads.items():
        for word in words:
            if after.startswith(word) and len(word) > len(best[1]):
                best = (cls, word)
    return best


def _published(scope: SentenceScope, start: int) -> bool:
    return any(scope.text.endswith(v, 0, start) for v in scope.rules.words(PUBLISH_VERBS))


@matcher("bracketed", settings=OfClass, emits=(RULE_CLASS,))
def match_bracketed(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """Names in 《…》 are publications; 《A》(《B》) names one thing twice."""
    found = []
    for match in BRACKETED.finditer(scope.text):
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
    """Settings of ``template``: a regular expression whose named groups fill ``label``."""

    cls: ClassName = field(metadata=yaml_name("class"))
    pattern: re.Pattern[str]
    label: str

    def __post_init__(self) -> None:
        wanted = {name for _, name, _, _ in string.Formatter().parse(self.label) if name}
        missing = sorted(wanted - set(self.pattern.groupindex))
        if missing:
            raise ValueError(f"label: {{{missing[0]}}} is no named group (?P<{missing[0]}>…) of the pattern")


@matcher("template", settings=Template, emits=(RULE_CLASS,))
def match_template(scope: SentenceScope, rule: Rule[Template]) -> list[Candidate]:
    """A regular expression whose named groups fill a label template; ``{org}`` takes the full name of
    the body the text abbreviates (科协 → 中国科协, 党的 → 中国共产党)."""
    found = []
    for match in rule.settings.pattern.finditer(scope.text):
        groups = dict(match.groupdict())
        if "org" in groups:
            entry = scope.rules.lookup(_without_suffixes(groups["org"], scope.rules.words(POSSESSIVE)))
            if entry is None:
                continue
            groups["org"] = entry.label
        label = rule.settings.label.format(**groups)
        found.append(
            Candidate(
                _mention(
                    scope,
                    match.start(),
                    match.end(),
                    rule.settings.cls,
                    rule.id,
                    label=label,
                    alt_labels=(name_key(match.group()),),
                ),
                BY_QUOTES,
            )
        )
    return found


def _without_suffixes(text: str, suffixes: Iterable[str]) -> str:
    for suffix in suffixes:
        text = text.removesuffix(suffix)
    return text


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
    unnamed = [i for i, char in enumerate(text) if not HAN.match(char)]
    for match in rule.settings.pattern.finditer(text):
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
    shortest = 1 if listed and suffix in settings.short_when_listed else settings.min_core
    if not (shortest <= len(bare) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", core)):
        return None
    if bare.startswith(scope.rules.words(GENERIC_PLACE_CORES).words):
        return None
    words = scope.rules.words
    if any(w in core for w in (*words(LEFT_BOUNDARIES), *words(COORDINATORS), *scope.rules.suffixes)):
        return None  # 广东省科协联合广州市, 中国科技馆和北京市: no county between
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
        entry = scope.rules.lookup(match["name"])
        if entry is None or entry.cls != rule.settings.cls:
            continue
        start, end = match.span("name")
        found.append(
            Candidate(
                _mention(scope, start, end, entry.cls, rule.id, key=entry.id, label=entry.label), BY_GAZETTEER
            )
        )
    return found


# --- people ------------------------------------------------------------------------------------


def _name_after(text: str, start: int, rules: Rules) -> int | None:
    """End of a Chinese personal name starting at ``start``: a surname and one or two more
    characters, followed by a word that may follow a name or by punctuation."""
    surnames = rules.words(SURNAMES)
    after = rules.words(AFTER_NAME)
    for surname in surnames.starting_at(text, start):
        third = text[start + len(surname) + 1 : start + len(surname) + 2]
        # 郭哲对2024年…: a function word after two characters ends a two-character name
        for given in (1, 2) if third and third in rules.words(FUNCTION_CHARS) else (2, 1):
            end = start + len(surname) + given
            name = text[start:end]
            if len(name) != len(surname) + given or not all(CJK.match(c) for c in name):
                continue
            if end >= len(text) or not CJK.match(text[end]) or text.startswith(after.words, end):
                return end
    return None


@matcher("person_role", settings=OfClass, emits=(RULE_CLASS,))
def match_person_role(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A name right after a post: 党组书记怀进鹏, 秘书长安东尼奥·古特雷斯."""
    found = []
    for match in scope.rules.words(ROLES).pattern.finditer(scope.text):
        end = _foreign_name_end(scope.text, match.end(), scope.rules) or _name_after(
            scope.text, match.end(), scope.rules
        )
        if end:
            found.append(Candidate(_mention(scope, match.end(), end, rule.settings.cls, rule.id), BY_PATTERN))
    return found


@matcher("person_honorific", settings=OfClass, emits=(RULE_CLASS,))
def match_person_honorific(scope: SentenceScope, rule: Rule[OfClass]) -> list[Candidate]:
    """A name right before an honorific, after punctuation or an enumeration: 、钟南山院士."""
    found = []
    for match in scope.rules.words(HONORIFICS).pattern.finditer(scope.text):
        for length in (3, 2):
            start = match.start() - length
            if start < 0:
                continue
            boundary = (
                start == 0
                or not CJK.match(scope.text[start - 1])
                or scope.text[start - 1] in scope.rules.words(LIST_JOINERS)
            )
            if boundary and _name_after(scope.text, start, scope.rules) == match.start():
                found.append(
                    Candidate(_mention(scope, start, match.start(), rule.settings.cls, rule.id), BY_PATTERN)
                )
                break
    return found


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
        end = _foreign_name_end(scope.text, start, scope.rules)
        if end:
            found.append(Candidate(_mention(scope, start, end, rule.settings.cls, rule.id), BY_PATTERN))
    return found


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


def _place_in_event_name(
    mention: Mention, containers: list[Mention], text: str, rules: Rules, quotes: Quotes
) -> bool:
    """A place named inside an event's name, past its start and outside quotes, locates the event."""
    if mention.cls != "Place" or len(containers) != 1 or containers[0].cls != "Event":
        return False
    event = containers[0]
    lead = rules.pattern(LEADING_NUMBERING).match(text[event.start : event.end])
    start = event.start + (lead.end() if lead else 0)
    return mention.start > start and quotes.inside(mention.start) is None


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
        if _nestable(mention, rules) or _place_in_event_name(mention, containers, text, rules, quotes):
            insort(starts, (mention.start, len(kept)))
            longest = max(longest, mention.end - mention.start)
            kept.append(replace(mention, nested=True))
    return sorted(kept, key=lambda m: (m.start, -m.end, m.cls))


def _absorb(kept: list[Mention], outer: Mention, inner: Mention, rules: Rules) -> None:
    index = kept.index(outer)
    series = inner.key is not None and rules.gazetteer[inner.key].series
    if inner.cls == "Organization" and inner.start == outer.start and outer.parent is None:
        kept[index] = replace(outer, parent=inner.label or inner.surface)
    elif inner.cls == "Event" and series and not outer.key and _edition_of(outer, inner, rules):
        kept[index] = replace(outer, alt_labels=(*outer.alt_labels, inner.label or inner.surface))


def _edition_of(outer: Mention, series: Mention, rules: Rules) -> bool:
    """Is ``outer`` the series' name with only a year or ordinal before it (2020年全国科普日)?"""
    bare = rules.pattern(LEADING_NUMBERING).sub("", outer.surface)
    return name_key(bare) == name_key(series.label or series.surface)


def find_mentions(scope: SentenceScope, rules: Rules) -> list[Mention]:
    """All entity mentions of one sentence, overlaps resolved."""
    candidates = list(scope.gazetteer)
    for rule in rules.entity_rules:
        candidates.extend(MATCHERS[rule.kind].function(scope, rule))
    candidates = [c for c in candidates if c.mention.start not in scope.counts_end]
    return resolve_overlaps(candidates, rules, scope.text)
