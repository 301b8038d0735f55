"""When: startDate and endDate of an event from the day a sentence states (1月29日, 8月10—15日,
当天, 昨天, 18日), the year from the list, the event's own name (2023世界机器人大会) or the article, a
day said relative to the news (当日, 昨(2)日, 18日) from its dateline or date; 开幕 gives the start,
闭幕 the end."""

from __future__ import annotations

import datetime as dt
import re

from castkg.extract.relations.common import (
    CLOCK_TIME,
    HOLDING_OPENERS,
    NoSettings,
    ceremonies_of,
    finder,
    holds_named_before,
    label_of,
    meeting_for,
    news_event,
    opens_with_kind,
)
from castkg.extract.scope import ArticleScope
from castkg.extract.text import (
    CLAUSE_MARKS,
    TITLE_BLOCK,
    DaySpan,
    clause_bounds,
    day_number,
    make_date,
    year_in,
)
from castkg.model import Mention, Relation, Sentence
from castkg.registry import PATTERNS, WORDS
from castkg.rules import Rule

FUTURE_MARKERS = WORDS.need("future_markers")
PAST_VERBS = WORDS.need("past_verbs")
OPENING_VERBS = WORDS.need("opening_verbs")
CLOSING_VERBS = WORDS.need("closing_verbs")
SAME_DAY_WORDS = WORDS.need("same_day_words")
THAT_DAY_WORDS = WORDS.need("that_day_words")
EVENT_ANAPHORA = WORDS.need("event_anaphora")
DAY_ANAPHORA = WORDS.need("day_anaphora")
YESTERDAY_WORDS = WORDS.need("yesterday_words")
DAY_ONLY = PATTERNS.need("day_only", groups=("d", "d2"))
YESTERDAY_DAY = PATTERNS.need("yesterday_day", groups=("d",))
THIS_MONTH_DAYS = PATTERNS.need("this_month_days", groups=("d", "d2", "last"))
NAME_YEAR = PATTERNS.need("name_year", groups=("y",))
DURATION = PATTERNS.need("duration", groups=("n",))
THEME_PHRASE = PATTERNS.need("theme_phrase")
SESSION_KINDS = WORDS.need("session_kinds")
OPENING_SESSIONS = WORDS.need("opening_sessions")
CLOSING_SESSIONS = WORDS.need("closing_sessions")


@finder("event_date", settings=NoSettings, emits=("startDate", "endDate"))
def event_date(scope: ArticleScope, rule: Rule[NoSettings]) -> list[Relation]:
    """A stated day gives the start and end of the event it introduces (1月29日,…召开…会议); an
    opening day only the start, a closing day only the end."""
    list_year = _list_year(scope)
    words = scope.rules.words
    lead = next((s for s in scope.sentences if s.block >= 0 and scope.days[s.index]), None)
    # a page with no date of its own may date its dateline by its lead event's name: found once
    reference = scope.article.reference_date or _dateline_in_lead_year(scope)
    found = []
    for sentence in scope.sentences:
        text = sentence.text
        future = any(w in text for w in words(FUTURE_MARKERS))
        past = not future and any(v in text for v in words(PAST_VERBS))
        headline = _title_event(scope) if sentence is lead else None
        for day in [*scope.days[sentence.index], *_relative_days(sentence, scope, reference, future)]:
            event = _event_of_day(scope, sentence, day.start, day.end, headline)
            if event is None:
                continue
            year = list_year if sentence.item is not None else _name_year(event, scope)
            dates = day.resolve(scope.article.reference_date, year, past)
            if dates is None:
                continue
            _, clause_end = clause_bounds(text, max(event.end, day.end))
            clause = text[max(event.end, day.end) : clause_end]
            ranged = day.end_day is not None
            opens = not ranged and any(v in clause for v in words(OPENING_VERBS))
            closes = not ranged and any(v in clause for v in words(CLOSING_VERBS))
            ceremony = label_of(event).endswith(words(SESSION_KINDS).words)  # one day, opening or closing
            stated = (
                [("startDate", dates[0]), ("endDate", dates[1])]
                if ceremony or not (opens or closes)
                else [("startDate", dates[0])]
                if opens
                else [("endDate", dates[1])]
            )
            lasting = _duration(text, event, scope) if not (ranged or ceremony) else None
            if lasting is not None and closes:  # 为期两天的…年会23日落下帷幕: the two days up to that one
                stated = [("startDate", dates[1] - dt.timedelta(days=lasting - 1)), ("endDate", dates[1])]
            elif lasting is not None:  # 为期3天的…活动昨日启动: three days from that one
                stated = [("startDate", dates[0]), ("endDate", dates[0] + dt.timedelta(days=lasting - 1))]
            if (opens or closes) and not ceremony:  # one day: its 开幕式 (闭幕式) is held on it
                held_on = (dates[0] if opens else dates[1]).isoformat()
                for session in ceremonies_of(scope, event, OPENING_SESSIONS if opens else CLOSING_SESSIONS):
                    found += [
                        Relation(
                            session, p, f"{rule.id}.session", sentence.index, value=held_on, datatype="date"
                        )
                        for p in ("startDate", "endDate")
                    ]
            for held in scope.coordinated(event):
                for predicate, value in stated:
                    found.append(
                        Relation(
                            held, predicate, rule.id, sentence.index, value=value.isoformat(), datatype="date"
                        )
                    )
    return found


def _duration(text: str, event: Mention, scope: ArticleScope) -> int | None:
    """The days an event lasts, said right before its name (为期3天的…, 为期两天的…), else None."""
    match = scope.rules.pattern(DURATION).search(text, 0, event.start)
    days = day_number(match["n"]) if match else 0
    return days if 1 < days <= MOST_DAYS else None


MOST_DAYS = 31
"""A longer stay (为期两个月) is no event's run of days this reads."""


def _list_year(scope: ArticleScope) -> int | None:
    """The year the article's ranked list is of (2020年度…), which its items' days take."""
    list_event = scope.list_event
    return year_in(list_event.label or list_event.surface, scope.rules) if list_event else None


def _relative_days(
    sentence: Sentence, scope: ArticleScope, reference: dt.date | None, future: bool
) -> list[DaySpan]:
    """Days said relative to the news, on its ``reference`` day (its dateline's or its date): 当天,
    同日 (that day), 昨天 (the day before), 本月29日 (of its month), 昨(2)日 and 18日 (that day of its
    month, or of the month before when the day has not come yet and the event is not to come)."""
    if reference is None:
        return []
    text, words = sentence.text, scope.rules.words
    found = []
    pointing_back = set(words(THAT_DAY_WORDS))
    for offset, need in ((0, SAME_DAY_WORDS), (1, YESTERDAY_WORDS)):
        day = reference - dt.timedelta(days=offset)
        for word in words(need):
            for match in re.finditer(re.escape(word), text):
                stated = _day_before(scope, sentence, match.start()) if word in pointing_back else None
                found.append(_on(match.start(), match.end(), stated or day))
    taken = [(d.start, d.end) for d in scope.days[sentence.index]]
    for match in scope.rules.pattern(THIS_MONTH_DAYS).finditer(text):  # 本月29日至30日, 上月十八日
        end_day = day_number(match["d2"]) if match["d2"] else None
        year, month = reference.year, reference.month
        if match["last"]:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        ends = (year, month, end_day) if end_day else (None, None, None)
        span = DaySpan(match.start(), match.end(), year, month, day_number(match["d"]), *ends)
        if make_date(year, month, span.day) is not None:
            found.append(span)
            taken.append(match.span())
    for need in (YESTERDAY_DAY, DAY_ONLY):
        for match in scope.rules.pattern(need).finditer(text):
            if any(start <= match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            of_month = _day_of_month(day_number(match["d"]), reference, future)
            last = match.groupdict().get("d2")
            end = make_date(of_month.year, of_month.month, day_number(last)) if of_month and last else None
            if of_month is not None and end is not None and end > of_month:  # 12日至13日
                found.append(_between(match.start(), match.end(), of_month, end))
            elif of_month is not None and not last:
                found.append(_on(match.start(), match.end(), of_month))
    return found


def _dateline_in_lead_year(scope: ArticleScope) -> dt.date | None:
    """The dateline's day (新华社杭州11月15日电) of a page with no date of its own, in the year the
    name of the first event of its lead paragraph gives (2022世界青年科学家峰会), else None."""
    dateline = scope.article.dateline
    if dateline is None or dateline.month_day is None:
        return None
    lead = min((s.block for s in scope.sentences if s.block >= 0), default=None)
    for sentence in scope.sentences:
        if sentence.block != lead:
            continue
        for event in scope.in_sentence(sentence.index, "Event", nested=False):
            year = _name_year(event, scope)
            if year is not None:
                return make_date(year, *dateline.month_day)
    return None


def _day_before(scope: ArticleScope, sentence: Sentence, position: int) -> dt.date | None:
    """The day last stated before ``position`` in the article (in the same list item), which 同日
    and 当天 point back to; None when none is, or the last is a range of days."""
    for earlier in reversed(scope.sentences[: sentence.index + 1]):
        if earlier.item != sentence.item:
            continue
        days = [d for d in scope.days[earlier.index] if earlier.index < sentence.index or d.end <= position]
        if not days:
            continue
        last = days[-1]
        if last.end_day is not None:
            return None
        list_year = _list_year(scope) if earlier.item is not None else None
        dates = last.resolve(scope.article.reference_date, list_year, True)
        return dates[0] if dates else None
    return None


def _on(start: int, end: int, day: dt.date) -> DaySpan:
    return DaySpan(start, end, day.year, day.month, day.day, None, None, None)


def _between(start: int, end: int, first: dt.date, last: dt.date) -> DaySpan:
    return DaySpan(start, end, first.year, first.month, first.day, last.year, last.month, last.day)


def _day_of_month(day: int, reference: dt.date, future: bool) -> dt.date | None:
    """Day ``day`` of the reference's month, or of the month before when it is after the reference
    and nothing says it is to come."""
    month = reference.replace(day=1)
    if day > reference.day and not future:
        month = (month - dt.timedelta(days=1)).replace(day=1)
    try:
        return month.replace(day=day)
    except ValueError:
        return None


def _day_part(text: str, position: int, scope: ArticleScope) -> str:
    """The part of the day and the clock time (上午, 下午9:00 …) written at ``position``, or ''."""
    match = scope.rules.pattern(CLOCK_TIME).match(text, position)
    return match.group() if match else ""


def _name_year(event: Mention, scope: ArticleScope) -> int | None:
    """The year an event's own name gives (2023世界机器人大会, 2025年…启动仪式)."""
    match = scope.rules.pattern(NAME_YEAR).search(event.label or event.surface)
    return int(match["y"]) if match else None


def _event_of_day(
    scope: ArticleScope, sentence: Sentence, start: int, end: int, headline: Mention | None = None
) -> Mention | None:
    """The event the day at ``start``–``end`` dates; ``headline``, the title's event when the
    sentence is the body's first to state a day, when the sentence names none."""
    text = sentence.text
    events = [m for m in scope.in_sentence(sentence.index, "Event", nested=False)]
    clause_start, clause_end = clause_bounds(text, start)
    after = end + len(_day_part(text, end, scope))  # 8月20日上午(9:00)，…: the day still opens the sentence
    # 8月20日上午，…开幕; 为…，5月29日，…座谈会举行: a day closing the first clause, or alone in its
    # clause, dates what follows
    alone = clause_start == 0 or not text[clause_start:start].strip()
    opens_sentence = after < len(text) and text[after] in CLAUSE_MARKS and alone
    themes = _theme_spans(scope, text, after)
    following = [
        m
        for m in events
        if m.start >= end
        and (m.end <= clause_end or opens_sentence)
        and not any(a <= m.start and m.end <= b for a, b in themes)
    ]
    if following:
        nearest = news_event(scope, following)  # not 在…日到来之际 before the meeting it dates
        other_days = [d for d in scope.days[sentence.index] if end <= d.start < nearest.start]
        return None if other_days or _dated_after(scope, sentence, nearest) else nearest
    preceding = [m for m in events if clause_start <= m.start and m.end <= start]
    if not preceding and holds_named_before(scope, sentence, text, clause_start):
        preceding = [m for m in events if m.end == clause_start - 1]
    if preceding:
        return preceding[-1]
    if opens_with_kind(scope, text[clause_start:start]):  # …国情研修班”，研修班于7月8日…举办
        earlier = [m for m in events if m.end <= clause_start]
        if earlier:
            return earlier[-1]
    anaphoric = (
        text.startswith(scope.rules.words(EVENT_ANAPHORA).words)
        or scope.rules.words(DAY_ANAPHORA).pattern.search(text[:start])
        or opens_with_kind(scope, text[:start])
    )
    if not events and anaphoric:
        return meeting_for(scope, sentence)  # 本届大赛…于8月19日至23日举行
    return None if events else headline  # 某县科协调研…工作 | 7月9日，…到…调研: the headline's event


def _dated_after(scope: ArticleScope, sentence: Sentence, event: Mention) -> bool:
    """Is ``event`` given a day of its own right after its name (9月26日，…获悉，某论坛将于9月27日至29日
    举办: the day the news was heard is not the forum's)?"""
    openers = re.compile(f"(?:{scope.rules.words(HOLDING_OPENERS).pattern.pattern})*")
    return any(
        day.start >= event.end and openers.fullmatch(sentence.text, event.end, day.start) is not None
        for day in scope.days[sentence.index]
    )


def _title_event(scope: ArticleScope) -> Mention | None:
    """The one event the article's title (its first sentence) names, if it names one."""
    if not scope.sentences or scope.sentences[0].block != TITLE_BLOCK:
        return None
    titled = [m for m in scope.in_sentence(0, "Event", nested=False) if m.rank is None]
    return titled[0] if len(titled) == 1 else None


def _theme_spans(scope: ArticleScope, text: str, day_end: int) -> list[tuple[int, int]]:
    """Where a theme phrase opens a clause or follows the day (9月15日以“喜迎二十大”为主题的…): an
    event named there is no event of the day."""
    pattern = scope.rules.pattern(THEME_PHRASE)
    starts = {0, day_end, *(i + 1 for i, char in enumerate(text) if char in CLAUSE_MARKS)}
    spans = []
    for start in sorted(starts):
        match = pattern.match(text[start:])
        if match:
            spans.append((start, start + match.end()))
    return spans
