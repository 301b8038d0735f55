"""Counted numbers: value (万 and 亿 multiplied out), measure word, what is counted, qualifier.

The counted noun follows the measure word (26个创新枢纽城市); when nothing does, the number
closes its clause and counts the clause's subject (传播量超20亿人次, 深耕吕梁35年); when the
noun is left out (8种进入…), it is the noun of the previous count with the same measure word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from castkg.extract.text import CLAUSE_MARKS, clause_bounds
from castkg.model import Mention
from castkg.normalise import NORMALISERS
from castkg.registry import PATTERNS, WORDS
from castkg.rules import MeasureRules, Rules

QUOTES = re.compile('[“”‘’"《》「」]')
TIME_OPENER = PATTERNS.need("time_opener")
NUMERAL_NEXT = PATTERNS.need("numeral_next")
POSSESSIVE = WORDS.need("possessive_particles")
LIST_JOINERS = WORDS.need("list_joiners")


@dataclass(frozen=True)
class Count:
    """A number as found, before its noun is known."""

    start: int
    end: int
    value: Decimal
    unit: str | None
    qualifier: str | None
    surface: str


def find_counts(text: str, rules: Rules) -> list[Count]:
    """Every counted number of ``text``; years, ordinals, ranks and codes (COVID-19) are not counts."""
    measures = rules.measures
    amount = NORMALISERS[measures.normaliser]
    counts = []
    for match in measures.pattern.finditer(text):
        number, unit, mult = match["number"], match["unit"], match["mult"] or ""
        start = match.start("number")
        if _not_a_count(text, match, start, measures):
            continue
        chinese = not number[0].isdigit()
        if chinese and (
            unit is None
            or mult
            or _small_chinese(number, measures)
            or rules.pattern(NUMERAL_NEXT).match(text, match.end())
        ):
            continue  # 一场报告会, 千家万户: words, not counts
        value = amount(number, mult)
        if value is None:
            continue
        qualifier = measures.before.get(match["before"] or "") or measures.after.get(
            match["after1"] or match["after2"] or ""
        )
        end = match.end()
        reached = any(text.endswith(w, 0, match.start()) for w in measures.subject_enders)
        if (
            unit is None
            and not mult
            and not qualifier
            and not reached
            and not _bare_count_noun(text, end, measures)
        ):
            continue  # a bare number counts the noun after it, or follows 提升至 (影响因子提升至25.6)
        if _inside_quotes(text, match.start()):
            continue  # “百年再出发” is a slogan
        counts.append(Count(match.start(), end, value, unit, qualifier, match.group()))
    return counts


def _inside_quotes(text: str, position: int) -> bool:
    return text.count("“", 0, position) > text.count("”", 0, position)


def _small_chinese(number: str, measures: MeasureRules) -> bool:
    return any(number in run for run in measures.small_numeral_runs) or number in measures.small_numbers


def _not_a_count(text: str, match: re.Match[str], start: int, measures: MeasureRules) -> bool:
    number, unit = match["number"], match["unit"]
    previous = text[start - 1] if start else ""
    if previous and (
        previous in measures.rank_markers
        or (previous.isascii() and (previous.isalnum() or previous in "-./"))
    ):
        return True
    following = text[match.end("number") : match.end("number") + 1]
    if following.isascii() and following.isalpha() or following in "-./" and following:
        return True
    if (
        number.isdigit()
        and len(number) == 4
        and 1900 <= int(number) <= 2100
        and (unit is None or unit in measures.year_units)
    ):
        return True
    if text.startswith(measures.anniversary_words, match.end("number")):
        return True  # 70周年 is an anniversary
    after = match.end("number")
    return text[after : after + 1] in measures.date_words and unit not in measures.date_word_units


def _bare_count_noun(text: str, end: int, measures: MeasureRules) -> bool:
    """A number with no measure word counts the noun right after it (9省区)."""
    return end < len(text) and "\u4e00" <= text[end] <= "\u9fff" and text[end] not in measures.bare_noun_stops


def counted_noun(text: str, count: Count, rules: Rules, mentions: list[Mention]) -> str:
    """What the number counts: the noun after it, else its clause's subject ('' when neither)."""
    noun = _noun_after(text, count.end, rules.measures, {m.start for m in mentions if not m.nested})
    if noun:
        return noun
    return _clause_subject(text, count.start, rules, mentions)


def _noun_after(text: str, position: int, measures: MeasureRules, names: set[int]) -> str:
    """The noun right after a count: up to punctuation, a digit, a stop word or another name."""
    end = position
    while end < len(text) and end - position < measures.max_noun:
        char = text[end]
        if char in CLAUSE_MARKS or char in "、()（）" or char.isdigit():
            break
        if end > position and (end in names or (char == "“" and end + 1 in names)):
            break
        if end > position and text.startswith(measures.noun_stops, end):
            break
        if end == position and text.startswith(measures.noun_stops, end):
            return ""
        end += 1
    return QUOTES.sub("", text[position:end])


def _clause_subject(text: str, position: int, rules: Rules, mentions: list[Mention]) -> str:
    measures = rules.measures
    start, _ = clause_bounds(text, position)
    starts = {m.start: m.end for m in mentions if not m.nested}
    moved = True
    while moved and start < position:
        moved = False
        if start in starts and starts[start] <= position:
            start, moved = starts[start], True
        while start < position and text[start] in "()（）《》“”":
            start, moved = start + 1, True
    subject = rules.pattern(TIME_OPENER).sub("", text[start:position])
    changed = True
    while changed:
        changed = False
        for opener in measures.clause_openers:
            if subject.startswith(opener) and len(subject) > len(opener):
                subject, changed = subject[len(opener) :], True
    for word in (*sorted(measures.before, key=len, reverse=True), *measures.subject_enders):
        subject = subject.removesuffix(word)
    verbs = [(subject.rfind(v) + len(v)) for v in measures.subject_verbs if v in subject]
    if verbs and max(verbs) < len(subject):
        subject = subject[max(verbs) :]
    of = rules.words(POSSESSIVE).pattern
    if of.search(subject) and len(subject) > 12:
        # 来自各省科协、全国学会…和高校科协的代表 → 代表
        *_, last = of.finditer(subject)
        if any(j in subject[: last.start()] for j in rules.words(LIST_JOINERS)):
            subject = subject[last.end() :] or subject
    return QUOTES.sub("", subject)
