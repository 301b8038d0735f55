"""Named normalisers: plain functions registered by name and referenced from the rules.

``NORMALISERS[name]`` gives the function; an unknown name in a rule file is reported
with the list of known ones when the rules load.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from castkg.registry import Registry

NORMALISERS: Registry[Callable[..., Any]] = Registry("normaliser")
normaliser = NORMALISERS.register


CHINESE_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL = re.compile("[〇零一二两三四五六七八九十百千]+")
CONTRACTED_TENS = {"廿": "二十", "卅": "三十"}
"""Twenty and thirty in one character, as days are written (廿二日, 卅一日)."""


@normaliser("chinese_integer")
def chinese_integer(text: str) -> int | None:
    """二十二 → 22, 十 → 10, 一百零五 → 105, 二〇二一 → 2021 (digit by digit), 廿二 → 22; None when not
    a numeral."""
    for contracted, spelled in CONTRACTED_TENS.items():
        text = text.replace(contracted, spelled)
    if not text or not CHINESE_NUMERAL.fullmatch(text):
        return None
    if not any(c in CHINESE_UNITS for c in text):
        return int("".join(str(CHINESE_DIGITS[c]) for c in text))
    total, digit = 0, None
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * CHINESE_UNITS[char]
            digit = None
    return total + (digit or 0)


@normaliser("chinese_amount")
def chinese_amount(number: str, multiplier: str = "") -> Decimal | None:
    """A number with its 万/亿 multiplier as a Decimal: ("1.4", "万") → 14000, ("百", "") → 100."""
    number = unicodedata.normalize("NFKC", number).replace(",", "")
    try:
        value = Decimal(number)
    except InvalidOperation:
        integer = chinese_integer(number)
        if integer is None:
            return None
        value = Decimal(integer)
    with localcontext() as context:  # as many digits as the number has: 42 digits of an id stay exact
        context.prec = max(context.prec, len(number) + 2 * len(multiplier) * 8 + 2)
        for char in multiplier:
            value *= BIG_UNITS.get(char, CHINESE_UNITS.get(char, 1))
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@normaliser("date")
def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A calendar date, or None for an impossible one (2月30日)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@normaliser("year_for")
def year_for(
    month: int, day: int, reference: dt.date | None, list_year: int | None, past: bool
) -> int | None:
    """The year of a day written without one (contract, "Dates").

    A ranked list's year wins; else the article's year, moved one back when a past-tense
    event would otherwise fall after the article's date.
    """
    if list_year:
        return list_year
    if reference is None:
        return None
    year = reference.year
    if past:
        candidate = make_date(year, month, day)
        if candidate and candidate > reference:
            return year - 1
    return year
