"""What the relation finders share: how a finder is registered, the settings several kinds take,
and the reading of a sentence's event that more than one family needs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from castkg.extract.mentions import HAN_RUN
from castkg.extract.scope import ArticleScope
from castkg.extract.sessions import is_bare_session
from castkg.extract.text import CLAUSE_MARKS, CLOSE_QUOTES, LEADING_NUMBERING, find_days
from castkg.model import Mention, PositionMention, Relation, Sentence
from castkg.registry import FINDERS, PATTERNS, WORDS, Need
from castkg.rules import Predicate, Rule, WordList

Finding = Relation | PositionMention
"""What a finder finds: a relation, or a post a person holds."""
Finder = Callable[[ArticleScope, Rule[Any]], Sequence[Finding]]
finder = FINDERS.register
"""``@finder(kind, settings=…, emits=…)``: register a function as the finder of a rule kind."""


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
class NoSettings:
    """Settings of a kind that states fixed properties and takes none."""


VENUE_GAP = PATTERNS.need("venue_gap")
EVENT_ANAPHORA = WORDS.need("event_anaphora")
LOCATION_VERBS = WORDS.need("location_verbs")
SIGNING_VERBS = WORDS.need("signing_verbs")
FUTURE_MARKERS = WORDS.need("future_markers")
CITED_EVENT_TAILS = WORDS.need("cited_event_tails")
EVENT_FRAME_TAILS = WORDS.need("event_frame_tails")
APPOSITION_MARKS = WORDS.need("apposition_marks")
HOLDING_OPENERS = WORDS.need("holding_openers")
REPORT_LEAD_INS = WORDS.need("report_lead_ins")
EVENT_DEMONSTRATIVES = WORDS.need("event_demonstratives")
HELD_MANNER = PATTERNS.need("held_manner")
CLOCK_TIME = PATTERNS.need("clock_time")
DAY_STATEMENT = PATTERNS.need("day_statement")
DAY_PARTS = WORDS.need("day_parts")
DAY_ONLY = PATTERNS.need("day_only", groups=("d", "d2"))
THIS_MONTH_DAYS = PATTERNS.need("this_month_days", groups=("d", "d2", "last"))
BEFORE_OBJECT = WORDS.need("before_object")
OWN_PLACE_WORDS = WORDS.need("own_place_words")
THEME_PHRASE = PATTERNS.need("theme_phrase")
OBJECT_LEAD = PATTERNS.need("object_lead")


def meeting_for(scope: ArticleScope, sentence: Sentence, before: int | None = None) -> Mention | None:
    """The event a sentence speaks of: one it names (before ``before``; not one whose spirit it
    cites: 宣讲全国两会精神，某某主持会议), else its paragraph's first."""
    same = [
        m
        for m in scope.in_sentence(sentence.index, "Event", nested=False)
        if (before is None or m.end <= before) and not cited(scope, m)
    ]
    if same:
        return same[0]
    for other in scope.earlier_in_block(sentence):
        events = [
            m
            for m in scope.in_sentence(other.index, "Event", nested=False)
            if not cited(scope, m) and not framed(scope, m)
        ]
        if events:
            return news_event(scope, events)
    text = after_lead_in(scope, sentence.text)  # 据了解，|本次巡展由…主办
    kind = kind_opening(scope, text)
    if kind is not None or text.startswith(scope.rules.words(EVENT_ANAPHORA).words):
        # 本届大会由…主办, 该峰会由…主办 in a paragraph of its own: the article's event, or the
        # first of the kind it says (活动邀请了… after 在…日前夕 … 举办…活动: the 活动)
        event = main_event(scope)
        if kind is not None and event is not None and not label_of(event).endswith(kind):
            event = next((m for m in told_events(scope) if label_of(m).endswith(kind)), event)
        return event
    return None


def after_lead_in(scope: ArticleScope, text: str) -> str:
    """``text`` after a reporter's lead-in and its comma (据悉，|赛事期间还将举办…), if it opens with one."""
    lead_in = scope.rules.words(REPORT_LEAD_INS).pattern.match(text)
    return text[lead_in.end() :].lstrip("，, ") if lead_in else text


def holds_named_before(scope: ArticleScope, sentence: Sentence, text: str, clause_start: int) -> bool:
    """Does the clause at ``clause_start`` of ``sentence`` (``text``: its text, places masked) hold
    what the clause before named last (第五届中国西部科技创新大会, 于8月16日在兰州举办: a comma after
    the name, then 于/在/将, after a day if one opens the clause (…年会,5月22日上午在合肥召开, …仪式,
    12日在某地举行), and its holding)?"""
    if clause_start == 0 or text[clause_start - 1] != ",":
        return False
    start = clause_start
    day = next((d.end for d in scope.days[sentence.index] if d.start == start), None)
    this_month = scope.rules.pattern(THIS_MONTH_DAYS).match(text, start)  # 本月廿二日
    day = this_month.end() if this_month else day
    day_only = scope.rules.pattern(DAY_ONLY).match(text, start)  # …开幕仪式,12日在某地举行
    day = day_only.end() if day is None and day_only else day
    if day is not None:
        start = day
        part = scope.rules.words(DAY_PARTS).pattern.match(text, start)
        start = part.end() if part else start
    return text.startswith(scope.rules.words(HOLDING_OPENERS).words, start)


def opens_with_kind(scope: ArticleScope, text: str) -> bool:
    """Does ``text`` open with the kind of an event the article names, bare or after a
    demonstrative (研修班于…举办, 该峰会由…主办, after …国情研修班, …青年科学家峰会)?"""
    return kind_opening(scope, text) is not None


def kind_opening(scope: ArticleScope, text: str) -> str | None:
    """The kind of an event the article names that ``text`` opens with, bare or after a
    demonstrative (本次活动由… after …主场活动: 活动; 报告会 after …宣讲报告会), the shortest first."""
    text = without_demonstrative(scope, text)
    names = [label_of(m) for m in scope.all_mentions() if m.cls == "Event" and not m.nested]
    kinds = [text[:size] for size in (2, 3) if len(text) > size]
    return next((k for k in kinds if any(len(n) > len(k) and n.endswith(k) for n in names)), None)


def anaphora_opening(scope: ArticleScope, text: str) -> str | None:
    """The word for an event told of before that ``text`` opens with (会议, 活动, 大会 …), if any."""
    return next((w for w in scope.rules.words(EVENT_ANAPHORA).words if text.startswith(w)), None)


def called_back_kind(scope: ArticleScope, clause: str) -> str | None:
    """The kind of an event the article names that ``clause`` calls back by a demonstrative and that
    kind (本次论坛将…, 该主题展由…), else None."""
    return kind_opening(scope, clause) if without_demonstrative(scope, clause) != clause else None


def without_demonstrative(scope: ArticleScope, text: str) -> str:
    """``text`` without the demonstrative it opens with (本次, 该, 此次 …), if any."""
    for demonstrative in scope.rules.words(EVENT_DEMONSTRATIVES).words:
        if text.startswith(demonstrative):
            return text[len(demonstrative) :]
    return text


def ceremonies_of(scope: ArticleScope, event: Mention, kinds: Need) -> list[Mention]:
    """The opening (or closing) ceremonies of ``event`` the article names: held the day the event
    opens (or closes). Named ones start with the event's name (…大会开幕式); bare ones (出席开幕式)
    are the article's."""
    name, words = label_of(event), scope.rules.words(kinds).words
    return [
        m
        for m in scope.all_mentions()
        if m.cls == "Event"
        and label_of(m).endswith(words)
        and (label_of(m) in words or (label_of(m).startswith(name) and label_of(m) != name))
    ]


def cited(scope: ArticleScope, event: Mention) -> bool:
    """Is ``event`` named as a source of guidance, not told of (学习贯彻二十大精神)?"""
    text = scope.sentences[event.sentence].text
    return any(text.startswith(tail, event.end) for tail in scope.rules.words(CITED_EVENT_TAILS))


def framed(scope: ArticleScope, event: Mention) -> bool:
    """Is ``event`` named as the time of the news, not as the news (在…科技工作者日来临之际, 5月30日是
    第六个全国科技工作者日。)?"""
    text = scope.sentences[event.sentence].text
    end = event.end + 1 if text[event.end : event.end + 1] in CLOSE_QUOTES else event.end
    closes_clause = end >= len(text) or text[end] in CLAUSE_MARKS
    if closes_clause and scope.rules.pattern(DAY_STATEMENT).search(text, 0, event.start):
        return True
    return text.startswith(scope.rules.words(EVENT_FRAME_TAILS).words, end)


def news_event(scope: ArticleScope, events: Sequence[Mention]) -> Mention:
    """The first of ``events`` (not empty) that is the news, not its time (:func:`framed`) nor the
    larger event a dash then names a part of (:func:`apposed_part`)."""
    return next((m for m in events if not framed(scope, m) and apposed_part(scope, m) is None), events[0])


def apposed_part(scope: ArticleScope, event: Mention) -> Mention | None:
    """The event a dash (a mark of the rules' ``apposition_marks``) names right after ``event`` and
    a few words of what it is to it (第二十四届中国科协年会重点活动——|某论坛): a part of ``event``;
    else None."""
    text = scope.sentences[event.sentence].text
    for mark in scope.rules.words(APPOSITION_MARKS).words:
        at = text.find(mark, event.end, event.end + MAX_APPOSITION_WORDS + 1)
        if at < 0 or not (at == event.end or HAN_RUN.fullmatch(text[event.end : at])):
            continue
        after = at + len(mark)
        part = next(
            (m for m in scope.in_sentence(event.sentence, "Event", nested=False) if m.start == after), None
        )
        if part is not None:
            return part
    return None


MAX_APPOSITION_WORDS = 8
"""The most characters (重点活动, 系列活动之一) between an event and the dash before its part."""


def told_events(scope: ArticleScope) -> list[Mention]:
    """The events the article tells of, in its order: not part of a name, a bare session, a ranked
    item or a source of guidance."""
    return [
        m
        for m in scope.all_mentions()
        if m.cls == "Event"
        and not m.nested
        and not is_bare_session(m, scope.rules)
        and m.rank is None
        and not cited(scope, m)
    ]


def title_event(scope: ArticleScope) -> Mention | None:
    """The event the article's title tells of, if any."""
    titled = [m for m in told_events(scope) if scope.sentences[m.sentence].block < 0]
    return news_event(scope, titled) if titled else None


def main_event(scope: ArticleScope) -> Mention | None:
    """The article's main event: the title's, else the first one told of as held (dated, or with a
    held verb), else the first it names."""
    titled = title_event(scope)
    if titled is not None:
        return titled
    events = told_events(scope)
    held = scope.rules.words(LOCATION_VERBS)
    future = scope.rules.words(FUTURE_MARKERS)
    for event in events:
        sentence = scope.sentences[event.sentence]
        told = scope.days[sentence.index] or any(v in sentence.text for v in held) or signed(scope, event)
        if told and not any(w in sentence.text for w in future):  # 即将召开十九大 is no event told of
            return apposed_part(scope, event) or event  # 某年会重点活动——某论坛: the 论坛
    return events[0] if events else None


def signed(scope: ArticleScope, event: Mention) -> bool:
    """Is ``event`` the agreement a verb of signing right before it names (签署|某协议, 签署了|某协议):
    a signing told as held?"""
    text = scope.sentences[event.sentence].text
    signing = scope.rules.words(SIGNING_VERBS).words
    return any(text.endswith(signing, 0, end) for end in (event.start, event.start - 1))


def label_of(mention: Mention) -> str:
    """The name a mention goes by: its label, else its surface."""
    return mention.label or mention.surface


def event_before(
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
    if not events and holds_named_before(scope, sentence, text, clause_start):
        events = [
            m for m in scope.in_sentence(sentence.index, "Event", nested=False) if m.end == clause_start - 1
        ]
    if not events:
        return None
    event = events[-1]
    gap = text[event.end : position].lstrip(",")
    gap = gap[1:] if gap[:1] and gap[:1] in CLOSE_QUOTES else gap  # “某某科技活动周”|4日将在…开幕
    for day in find_days(gap, scope.rules):
        gap = gap.replace(gap[day.start : day.end], "")
    gap = scope.rules.pattern(CLOCK_TIME).sub("", scope.rules.pattern(THIS_MONTH_DAYS).sub("", gap))
    return event if len(gap.strip()) <= 3 else None


def object_after(
    scope: ArticleScope, sentence: Sentence, position: int, classes: Sequence[str]
) -> Mention | None:
    """The mention of ``classes`` a verb ending at ``position`` takes as its object: right after
    it, or after a theme, a year or a count (举办了以“…”为主题的|科技活动周, 的2008年|科技活动周,
    开展了一场生动活泼的|“…”活动)."""
    for mention in scope.in_sentence(sentence.index, *classes, nested=False):
        gap = sentence.text[position : mention.start]
        for _ in range(2):  # 举办了|“…”: a particle, then a quote
            if gap[:1] and gap[:1] in scope.rules.words(BEFORE_OBJECT):
                gap = gap[1:]
        own = scope.rules.words(OWN_PLACE_WORDS).pattern.match(gap)  # 举办了|我市|“…”活动
        gap = gap[own.end() :] if own else gap
        gap = scope.rules.pattern(THEME_PHRASE).sub("", gap)
        gap = scope.rules.pattern(OBJECT_LEAD).sub("", gap)
        if mention.start >= position and (gap == "" or scope.rules.pattern(LEADING_NUMBERING).fullmatch(gap)):
            return mention
    return None
