"""When: startDate and endDate of an event from the day a sentence states (1月29日, 8月10—15日,
当天), the year from the list or the article; 开幕 gives the start, 闭幕 the end."""

from __future__ import annotations

from castkg.extract.relations.common import NoSettings, finder, meeting_for
from castkg.extract.scope import ArticleScope
from castkg.extract.text import CLAUSE_MARKS, DaySpan, clause_bounds, year_in
from castkg.model import Mention, Relation, Sentence
from castkg.registry import WORDS
from castkg.rules import Rule

FUTURE_MARKERS = WORDS.need("future_markers")
PAST_VERBS = WORDS.need("past_verbs")
OPENING_VERBS = WORDS.need("opening_verbs")
CLOSING_VERBS = WORDS.need("closing_verbs")
SAME_DAY_WORDS = WORDS.need("same_day_words")
EVENT_ANAPHORA = WORDS.need("event_anaphora")
DAY_ANAPHORA = WORDS.need("day_anaphora")


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
        for day in [*scope.days[sentence.index], *_same_days(text, scope)]:
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
            for held in scope.coordinated(event):
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
        at = text.find(word)
        while at >= 0:
            found.append(DaySpan(at, at + len(word), date.year, date.month, date.day, None, None, None))
            at = text.find(word, at + len(word))
    return found


def _event_of_day(scope: ArticleScope, sentence: Sentence, start: int, end: int) -> Mention | None:
    text = sentence.text
    events = [m for m in scope.in_sentence(sentence.index, "Event", nested=False)]
    clause_start, clause_end = clause_bounds(text, start)
    opens_sentence = end < len(text) and text[end] in CLAUSE_MARKS and clause_start == 0
    following = [m for m in events if m.start >= end and (m.end <= clause_end or opens_sentence)]
    if following:
        nearest = following[0]
        other_days = [d for d in scope.days[sentence.index] if end <= d.start < nearest.start]
        return None if other_days else nearest
    preceding = [m for m in events if clause_start <= m.start and m.end <= start]
    if preceding:
        return preceding[-1]
    anaphoric = text.startswith(scope.rules.words(EVENT_ANAPHORA).words) or scope.rules.words(
        DAY_ANAPHORA
    ).pattern.search(text[:start])
    if not events and anaphoric:
        return meeting_for(scope, sentence)  # 本届大赛…于8月19日至23日举行
    return None
