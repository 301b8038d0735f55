"""Counted numbers: value (万 and 亿 multiplied out), measure word, what is counted, qualifier.

The counted noun follows the measure word (26个创新枢纽城市); when nothing does, the number
closes its clause and counts the clause's subject (传播量超20亿人次, 深耕吕梁35年); when the
noun is left out (8种进入…), it is the noun of the previous count with the same measure word.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from castkg.extract.text import CLAUSE_MARKS, clause_bounds
from castkg.model import Mention
from castkg.normalise import NORMALISERS
from castkg.registry import PATTERNS, WORDS
from castkg.rules import MeasureRules, Rules, WordList
from castkg.script import HAN

QUOTES = re.compile('[“”‘’"《》「」]')
CJK_RUN_END = re.compile(f"[{HAN}]+$")
TIME_OPENER = PATTERNS.need("time_opener")
NUMERAL_NEXT = PATTERNS.need("numeral_next")
POSSESSIVE = WORDS.need("possessive_particles")
LIST_JOINERS = WORDS.need("list_joiners")
LIST_ENDS = WORDS.need("list_ends")
GRADE_MARKS = WORDS.need("grade_marks")
ATTEND_VERBS = WORDS.need("attend_verbs")
PERFECTIVE = WORDS.need("perfective_particles")
ATTENDANCE_WORDS = WORDS.need("attendance_words")
ATTENDANCE_MOVERS = WORDS.need("attendance_movers")
EVENT_DEMONSTRATIVES = WORDS.need("event_demonstratives")
ELECTED_LINKS = WORDS.need("elected_links")
ROLES = WORDS.need("roles")
FURNITURE_NUMBER = PATTERNS.need("furniture_number")
"""A number page furniture counts (views, clicks, phone numbers, ids): no measure."""
NUMERAL_IDIOMS = WORDS.need("numeral_idioms")
"""Fixed expressions whose numeral and measure word are no count (五位一体)."""
SINCE_YEAR = PATTERNS.need("since_year")
COUNTED_LIST_ITEM = PATTERNS.need("counted_list_item")
NEGATIONS = WORDS.need("negations")
"""A starting year inside a clause's subject and what follows it (比例从2010年的…): not what is counted."""
LONGEST_NUMBER = 15
"""More digits than this before the decimal point is a code, never an amount."""


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
    idioms = [m.span() for m in rules.words(NUMERAL_IDIOMS).pattern.finditer(text)]
    counts = []
    for match in measures.pattern.finditer(text):
        number, unit, mult = match["number"], match["unit"], match["mult"] or ""
        start = match.start("number")
        if _not_a_count(text, match, start, measures) or _furniture(text, match, rules):
            continue
        if any(s <= start < e for s, e in idioms):
            continue  # 五位一体, 千家万户
        chinese = not number[0].isdigit()
        marker = _structure_marker(text, match, measures)
        if chinese and (
            (unit is None and not marker)
            or _small_chinese(number, measures)
            or rules.pattern(NUMERAL_NEXT).match(text, match.end())
        ):
            continue  # 一场报告会, 三四个: words, not counts
        value = amount(number, mult)
        if value is None:
            continue
        qualifier = measures.before.get(match["before"] or "") or measures.after.get(
            match["after1"] or match["after2"] or match["after3"] or ""
        )
        if match["before"] and text.endswith(rules.words(NEGATIONS).words, 0, match.start("before")):
            qualifier = None  # 不超过150万元: at most, which no qualifier of the contract says
        end = match.end() + len(marker)
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


def _structure_marker(text: str, match: re.Match[str], measures: MeasureRules) -> str:
    """大 of 五大板块 or 10大领域 (the noun follows it), or ''. A Chinese numeral takes one only from
    两 to 九 (十大事件 names a list, 二十大 a Party congress)."""
    number, end = match["number"], match.end()
    if match["unit"] is not None or match["mult"]:
        return ""
    if not number[0].isdigit():
        value = NORMALISERS[measures.normaliser](number, "")
        if value is None or not 2 <= value <= 9:
            return ""
    for marker in measures.structure_markers:
        after = end + len(marker)
        if text.startswith(marker, end) and after < len(text) and "\u4e00" <= text[after] <= "\u9fff":
            return marker
    return ""


def _furniture(text: str, match: re.Match[str], rules: Rules) -> bool:
    """Is the number one page furniture states: a view count, a phone number, an id, a clock time,
    a byte of a URL (浏览次数：1234, 电话：12345678, 9:56:15, %E5%8D%81)?"""
    number, start, end = match["number"], match.start("number"), match.end("number")
    measures = rules.measures
    plain = not match["before"] and not match["mult"]  # 浏览量超5000万 is news, 浏览次数：1234 furniture
    if plain and rules.pattern(FURNITURE_NUMBER).search(text, max(0, start - 12), start):
        return True
    digits = number.split(".")[0]
    if digits.isdigit() and len(digits) > LONGEST_NUMBER:
        return True
    if (
        measures.id_digits
        and number.isdigit()
        and len(number) >= measures.id_digits
        and match["unit"] is None
        and not match["mult"]
    ):
        return True
    clock = (start >= 2 and text[start - 1] == ":" and text[start - 2].isdigit()) or (
        text[end : end + 1] == ":" and text[end + 1 : end + 2].isdigit()
    )
    encoded = text[start - 1 : start] == "%" or (
        match["unit"] == "%"
        and text[match.end() : match.end() + 1].isascii()
        and text[match.end() : match.end() + 1].isalnum()
    )
    return clock or encoded


def _inside_quotes(text: str, position: int) -> bool:
    """Inside a quoted name or slogan (“百年再出发”), not a quoted speech: a speech runs over clauses,
    or past the sentence (its closing mark in a later one)."""
    if text.count("“", 0, position) <= text.count("”", 0, position):
        return False
    opening, closing = text.rfind("“", 0, position), text.find("”", position)
    quoted = text[opening:closing] if closing >= 0 else ""
    return bool(quoted) and not any(mark in quoted for mark in CLAUSE_MARKS)


def _small_chinese(number: str, measures: MeasureRules) -> bool:
    """一 (an article), 三四 (an estimate): words, not counts."""
    run = len(number) > 1 and any(number in run for run in measures.small_numeral_runs)
    return run or number in measures.small_numbers


def _not_a_count(text: str, match: re.Match[str], start: int, measures: MeasureRules) -> bool:
    number, unit = match["number"], match["unit"]
    previous = text[start - 1] if start else ""
    if previous and (
        previous in measures.rank_markers
        or (previous.isascii() and (previous.isalnum() or previous in "-./"))
    ):
        return True
    following = text[match.end("number") : match.end("number") + 1]
    latin_unit = unit is not None and unit.isascii() and match.end("number") == match.start("unit")
    if (following.isascii() and following.isalpha() and not latin_unit) or (following in "-./" and following):
        return True  # COVID-19, 5G; not 220m2, whose letters are its measure word
    if (
        number.isdigit()
        and len(number) == 4
        and 1900 <= int(number) <= 2100
        and (unit is None or unit in measures.year_units)
    ):
        return True
    if text.startswith(measures.anniversary_words, match.end("number")):
        return True  # 70周年 is an anniversary
    if unit in measures.ordinal_units and (
        text.startswith(measures.ordinal_heads, match.end())
        or any(text.endswith(u, 0, match.start()) for u in measures.ordinal_units)
    ):
        return True  # 七次代表大会, 十四届九次全会
    after = match.end("number")
    return text[after : after + 1] in measures.date_words and unit not in measures.date_word_units


def _bare_count_noun(text: str, end: int, measures: MeasureRules) -> bool:
    """A number with no measure word counts the noun right after it (9省区)."""
    return end < len(text) and "\u4e00" <= text[end] <= "\u9fff" and text[end] not in measures.bare_noun_stops


def counted_noun(
    text: str, count: Count, rules: Rules, mentions: list[Mention], others: Collection[int] = ()
) -> str:
    """What the number counts: the noun after it, else its clause's subject ('' when neither).
    A percentage counts its clause's subject first. The noun ends where a name or another count
    (``others``: where they start) begins."""
    measures = rules.measures
    names = {m.start for m in mentions if not m.nested} | set(others)
    if count.unit in measures.subject_units:
        subject = _clause_subject(text, count.start, rules, mentions)
        if subject:
            return subject
    noun = _noun_after(text, count.end, measures, names) or _head_after_clause(text, count.end, rules, names)
    if noun:
        return noun
    return _clause_subject(text, count.start, rules, mentions) or _label_before(text, count, rules)


RATE_MARK = "/"
"""What a rate's unit follows a count's measure word with (150万元/项/年): no noun, nothing said."""

LABEL_MARKS = ":："
"""Marks between a label and the number it gives (项目数量：50项)."""


def _label_before(text: str, count: Count, rules: Rules) -> str:
    """The label a number follows, a colon between (项目数量：50项, 单项金额：不超过150万元): what it
    counts; '' when no label stands right before it."""
    position = count.start  # a qualifier word before the number is the count's own (超过150万元)
    position -= len(next((w for w in rules.words(NEGATIONS).words if text.endswith(w, 0, position)), ""))
    if position < 1 or text[position - 1] not in LABEL_MARKS:
        return ""
    start, _ = clause_bounds(text, position - 2)
    label = CJK_RUN_END.search(QUOTES.sub("", text[start : position - 1]).strip())
    return label.group()[-rules.measures.max_noun :] if label is not None else ""


def _head_after_clause(text: str, position: int, rules: Rules, names: set[int]) -> str:
    """The noun a short relative clause after a count ends in, when the clause opens with a verb:
    400余件具有代表性的珍贵历史图片 → 珍贵历史图片, 三具来自楚雄的恐龙化石 → 恐龙化石."""
    measures = rules.measures
    if not any(text.startswith(stop, position) for stop in measures.noun_stops):
        return ""
    of = rules.words(POSSESSIVE).pattern
    for end in range(position + 1, min(len(text), position + measures.max_noun)):
        if text[end] in CLAUSE_MARKS or text[end] in "、()（）":
            return ""
        particle = of.match(text, end)
        if particle:
            return _noun_after(text, particle.end(), measures, names)
    return ""


def people_activity(text: str, count: Count, rules: Rules) -> str:
    """What the people a count counts do or become, when its clause goes on to say so: attend
    (60余人参加了此次会议 → 参加会议, 200余人前来参会 → 参会) or take a post (等16人为副主席 →
    副主席); '' otherwise."""
    if count.unit not in rules.measures.people_units:
        return ""
    words = rules.words
    predicate = clause_predicate(text, count, rules)
    predicate = predicate.removeprefix(_opening(predicate, words(ATTENDANCE_MOVERS)))
    whole = _opening(predicate, words(ATTENDANCE_WORDS))
    if whole:
        return whole
    link = _opening(predicate, words(ELECTED_LINKS))
    if link and words(ROLES).pattern.search(predicate, len(link)):
        return predicate[len(link) :]  # 等16人为中国科协副主席
    verb = _opening(predicate, words(ATTEND_VERBS))
    if not verb:
        return ""
    rest = predicate[len(verb) :]
    rest = rest.removeprefix(_opening(rest, words(PERFECTIVE)))
    rest = rest.removeprefix(_opening(rest, words(EVENT_DEMONSTRATIVES)))
    return verb + rest if rest else ""


def _opening(text: str, words: WordList) -> str:
    """The longest of ``words`` that ``text`` opens with, else ''."""
    match = words.pattern.match(text)
    return match.group() if match else ""


def clause_predicate(text: str, count: Count, rules: Rules) -> str:
    """What the clause says of a count that has no noun and no subject (近千人参加了此次活动 →
    参加了此次活动): what it counts when no earlier count lends its noun either."""
    _, end = clause_bounds(text, count.end)
    predicate = QUOTES.sub("", text[count.end : min(end, count.end + rules.measures.max_noun)])
    return "" if predicate.startswith(RATE_MARK) else predicate  # 150万元|/项/年: a rate, nothing said


def _noun_after(text: str, position: int, measures: MeasureRules, names: set[int]) -> str:
    """The noun right after a count: up to punctuation, a digit, a stop word or another name."""
    skipped = next((w for w in measures.noun_skips if text.startswith(w, position)), "")
    if skipped and position + len(skipped) < len(text) and text[position + len(skipped)] not in CLAUSE_MARKS:
        position += len(skipped)  # 10名|首届|“最美科技工作者”
    first = position + 1 if text.startswith("“", position) else position  # “海智计划”工作站
    quoted_end = text.find("”", first) if first > position else -1  # a quoted noun is one, names inside
    opener = next((w for w in measures.noun_openers if text.startswith(w, position)), "")
    end = position + len(opener)  # 获奖作品: the opener is the noun's, though 获 may stop one
    while end < len(text) and end - position < measures.max_noun:
        char = text[end]
        if char in CLAUSE_MARKS or char in "、()（）" or char == RATE_MARK or char.isdigit():
            break  # 150万元|/项/年: a rate's unit, no noun
        if end > first and end > quoted_end and (end in names or (char == "“" and end + 1 in names)):
            break
        if end > position and text.startswith(measures.noun_stops, end):
            break
        if end == position and text.startswith(measures.noun_stops, end):
            return ""
        end += 1
    if opener and end == position + len(opener):
        return ""  # 10人获奖: a verb, no noun
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
    subject = rules.pattern(SINCE_YEAR).sub("", subject) or subject  # 比例从2010年的3.27%上升到…
    changed = subject not in measures.clause_openers  # 共计100余人参加了培训: no subject at all
    subject = subject if changed else ""
    openers = sorted(measures.clause_openers, key=len, reverse=True)  # 共计 before 共
    while changed:
        changed = False
        for opener in openers:
            if subject.startswith(opener) and len(subject) > len(opener):
                subject, changed = subject[len(opener) :], True
    for word in (*sorted(measures.before, key=len, reverse=True), *measures.subject_enders):
        subject = subject.removesuffix(word)
    for word in rules.words(NEGATIONS).words:
        subject = subject.removesuffix(word)  # 单项金额：不|超过150万元
    counted_item = max((m.end() for m in rules.pattern(COUNTED_LIST_ITEM).finditer(subject)), default=0)
    subject = subject[counted_item:]  # 副主席6名、常委15名: each count's noun is its own item's
    verbs = [(subject.rfind(v) + len(v)) for v in measures.subject_verbs if v in subject]
    if verbs and max(verbs) < len(subject):
        subject = subject[max(verbs) :]
    of = rules.words(POSSESSIVE).pattern
    if of.search(subject) and len(subject) > 12:
        # 来自各省科协、全国学会…和高校科协的代表 → 代表
        *_, last = of.finditer(subject)
        if any(j in subject[: last.start()] for j in rules.words(LIST_JOINERS)):
            subject = subject[last.end() :] or subject
    grades = rules.words(GRADE_MARKS)
    ends = rules.words(LIST_ENDS).pattern.finditer(subject)
    closed = max((m.end() for m in ends if subject[m.start() - 1 : m.start()] not in grades), default=0)
    if 0 < closed < len(subject) and any(j in subject[:closed] for j in rules.words(LIST_JOINERS)):
        subject = subject[closed:]  # 应急演练、科普讲座等|科普宣传活动260余场次 → 科普宣传活动
    return QUOTES.sub("", subject)
