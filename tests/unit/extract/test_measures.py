"""Counted numbers (extract/measures.py) with the number grammar of measures.yaml."""

from __future__ import annotations

from decimal import Decimal

from castkg.extract.measures import find_counts
from unit.helpers import rules


def counts(text: str) -> list[tuple[Decimal, str | None, str | None]]:
    return [(c.value, c.unit, c.qualifier) for c in find_counts(text, rules())]


def test_a_count_with_its_multiplier_unit_and_qualifier() -> None:
    assert counts("传播量超20亿人次。") == [(Decimal(2_000_000_000), "人次", "MoreThan")]
    assert counts("约1.4万名科技工作者参加。") == [(Decimal(14_000), "名", "Approximately")]


def test_ranks_rates_years_dates_and_anniversaries_are_no_counts() -> None:
    for text in ("第3届大会", "每5年一次", "2021年举办", "3月5日开幕", "建校70周年"):
        assert counts(text) == [], text


def test_small_chinese_numbers_are_words() -> None:
    assert counts("一场报告会") == [] and counts("三四个单位") == []
    assert counts("二十个单位") == [(Decimal(20), "个", None)]
