"""When (extract/relations/dates.py): the day a sentence states gives the start and end of its
event; 开幕 the start only, 闭幕 the end only; 当天 is the article's own date."""

from __future__ import annotations

from unit.helpers import run, scope

DAY = "date.event-day"


def test_a_day_gives_start_and_end_with_the_articles_year() -> None:
    found = run(DAY, scope("会议", "3月2日，中国科协召开全国科普工作会议。", date="2023-03-03"))
    assert found == {
        ("全国科普工作会议", "startDate", "2023-03-02"),
        ("全国科普工作会议", "endDate", "2023-03-02"),
    }


def test_an_opening_day_gives_the_start_only() -> None:
    found = run(DAY, scope("科技周", "5月20日，全国科技活动周在北京开幕。", date="2023-05-21"))
    assert found == {("全国科技活动周", "startDate", "2023-05-20")}


def test_a_range_of_days_gives_both_ends() -> None:
    text = "第五届世界智能大会于5月18日至20日在天津举办。"
    assert run(DAY, scope("大会", text, date="2021-05-21")) == {
        ("第五届世界智能大会", "startDate", "2021-05-18"),
        ("第五届世界智能大会", "endDate", "2021-05-20"),
    }


def test_the_same_day_is_the_articles_date() -> None:
    found = run(DAY, scope("会议", "当天，中国科协召开全国学会工作会议。", date="2023-04-12"))
    assert ("全国学会工作会议", "startDate", "2023-04-12") in found


def test_a_past_event_after_the_articles_date_falls_in_the_year_before() -> None:
    found = run(DAY, scope("回顾", "12月28日，中国科协召开全国学会工作会议。", date="2023-01-05"))
    assert ("全国学会工作会议", "startDate", "2022-12-28") in found
