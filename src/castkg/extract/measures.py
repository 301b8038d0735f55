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
from castkg.rules import MeasureRules

QUOTES = re.compile('[“”‘’"《》「」]')
TIME_OPENER = re.compile(
    r"^(?:(?:到|至|截至|截止|自|从)?\d{4}年(?:底|末|初|以来)?|今年|去年|目前|当前|同期)+"
)


@dataclass(frozen=True)
class Count:
    """A number as found, before its noun is known."""

    start: int
    end: int
    value: Decimal
    unit: str | None
    qualifier: str | None
    surface: str


def find_counts(text: str, rules: MeasureRules) -> list[Count]:
    """Every counted number of ``text``; years, ordinals, ranks and codes (COVID-19) are not counts."""
    amount = NORMALISERS[rules.normaliser]
    counts = []
    for match in rules.pattern.finditer(text):
        number, unit, mult = match["number"], match["unit"], match["mult"] or ""
        start = match.start("number")
        if _not_a_count(text, match, start):
            continue
        chinese = not number[0].isdigit()
        if chinese and (
            unit is None or mult or _small_chinese(number) or CHINESE_NUMERAL_NEXT.match(text, match.end())
        ):
            continue  # 一场报告会, 千家万户: words, not counts
        value = amount(number, mult)
        if value is None:
            continue
        qualifier = rules.before.get(match["before"] or "") or rules.after.get(
            match["after1"] or match["after2"] or ""
        )
        end = match.end()
        reached = any(text.endswith(w, 0, match.start()) for w in rules.subject_enders)
        if unit is None and not mult and not qualifier and not reached and not _bare_count_noun(text, end):
            continue  # a bare number counts the noun after it, or follows 提升至 (影响因子提升至25.6)
        if _inside_quotes(text, match.start()):
            continue  # “百年再出发” is a slogan
        counts.append(Count(match.start(), end, value, unit, qualifier, match.group()))
    return counts


CHINESE_NUMERAL_NEXT = re.compile(r".?[一二三四五六七八九十百千万亿]")


def _inside_quotes(text: str, position: int) -> bool:
    return text.count("“", 0, position) > text.count("”", 0, position)


def _small_chinese(number: str) -> bool:
    return number in "一二两三四五六七八九" or number in ("一百",)


def _not_a_count(text: str, match: re.Match[str], start: int) -> bool:
    number, unit = match["number"], match["unit"]
    previous = text[start - 1] if start else ""
    if previous and (
        previous in "第前每" or (previous.isascii() and (previous.isalnum() or previous in "-./"))
    ):
        return True
    following = text[match.end("number") : match.end("number") + 1]
    if following.isascii() and following.isalpha() or following in "-./" and following:
        return True
    if number.isdigit() and len(number) == 4 and 1900 <= int(number) <= 2100 and (unit in (None, "年")):
        return True
    if text.startswith("周年", match.end("number")):
        return True  # 70周年 is an anniversary
    return bool(re.match(r"[年月日号时届]", text[match.end("number") :]) and unit not in ("年", "人", "人次"))


def _bare_count_noun(text: str, end: int) -> bool:
    """A number with no measure word counts the noun right after it (9省区)."""
    return end < len(text) and "\u4e00" <= text[end] <= "\u9fff" and text[end] not in "年月日号届次"


def counted_noun(text: str, count: Count, rules: MeasureRules, mentions: list[Mention]) -> str:
    """What the number counts: the noun after it, else its clause's subject ('' when neither)."""
    noun = _noun_after(text, count.end, rules, {m.start for m in mentions if not m.nested})
    if noun:
        return noun
    return _clause_subject(text, count.start, rules, mentions)


def _noun_after(text: str, position: int, rules: MeasureRules, names: set[int]) -> str:
    """The noun right after a count: up to punctuation, a digit, a stop word or another name."""
    end = position
    while end < len(text) and end - position < rules.max_noun:
        char = text[end]
        if char in CLAUSE_MARKS or char in "、()（）" or char.isdigit():
            break
        if end > position and (end in names or (char == "“" and end + 1 in names)):
            break
        if any(text.startswith(stop, end) for stop in rules.noun_stops) and end > position:
            break
        if end == position and any(text.startswith(stop, end) for stop in rules.noun_stops):
            return ""
        end += 1
    return QUOTES.sub("", text[position:end])


def _clause_subject(text: str, position: int, rules: MeasureRules, mentions: list[Mention]) -> str:
    start, _ = clause_bounds(text, position)
    starts = {m.start: m.end for m in mentions if not m.nested}
    moved = True
    while moved and start < position:
        moved = False
        if start in starts and starts[start] <= position:
            start, moved = starts[start], True
        while start < position and text[start] in "()（）《》“”":
            start, moved = start + 1, True
    subject = TIME_OPENER.sub("", text[start:position])
    changed = True
    while changed:
        changed = False
        for opener in rules.clause_openers:
            if subject.startswith(opener) and len(subject) > len(opener):
                subject, changed = subject[len(opener) :], True
    for word in (*sorted(rules.before, key=len, reverse=True), *rules.subject_enders):
        subject = subject.removesuffix(word)
    verbs = [(subject.rfind(v) + len(v)) for v in rules.subject_verbs if v in subject]
    if verbs and max(verbs) < len(subject):
        subject = subject[max(verbs) :]
    if "的" in subject and len(subject) > 12 and re.search("[、和及与]", subject.rsplit("的", 1)[0]):
        # 来自各省科协、全国学会…和高校科协的代表 → 代表
        subject = subject.rsplit("的", 1)[1] or subject
    return QUOTES.sub("", subject)
