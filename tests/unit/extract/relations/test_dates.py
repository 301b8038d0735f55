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


# --- news style (issue 8): days said relative to the news, years in names ---


def test_a_day_without_month_takes_the_articles_month() -> None:
    found = run(DAY, scope("会议", "全国学会工作会议18日在杭州闭幕。", date="2023-08-19"))
    assert found == {("全国学会工作会议", "endDate", "2023-08-18")}


def test_a_day_without_month_after_the_articles_day_is_of_the_month_before() -> None:
    found = run(DAY, scope("会议", "全国学会工作会议25日在杭州召开。", date="2023-08-03"))
    assert ("全国学会工作会议", "startDate", "2023-07-25") in found


def test_the_end_of_a_range_is_no_day_of_its_own() -> None:
    found = run(DAY, scope("会议", "全国学会工作会议于5月28日至30日召开。", date="2023-06-01"))
    assert found == {
        ("全国学会工作会议", "startDate", "2023-05-28"),
        ("全国学会工作会议", "endDate", "2023-05-30"),
    }


def test_yesterday_is_the_day_before_the_articles_date() -> None:
    found = run(DAY, scope("会议", "昨天，中国科协召开全国学会工作会议。", date="2023-03-01"))
    assert ("全国学会工作会议", "startDate", "2023-02-28") in found


def test_yesterday_with_its_day_in_brackets() -> None:
    found = run(DAY, scope("会议", "昨(2)日，中国科协召开全国学会工作会议。", date="2006-11-03"))
    assert ("全国学会工作会议", "startDate", "2006-11-02") in found


def test_a_year_in_the_events_name_dates_its_days() -> None:
    found = run(DAY, scope("回顾", "8月20日，2022世界机器人大会在北京开幕。", date="2024-01-05"))
    assert found == {("2022世界机器人大会", "startDate", "2022-08-20")}


def test_a_years_review_is_held_after_the_year_its_name_gives() -> None:
    found = run(DAY, scope("会议", "1月10日，中国科协召开2022年度全国学会工作会议。", date="2023-01-12"))
    assert ("2022年度全国学会工作会议", "startDate", "2023-01-10") in found


def test_a_part_of_the_day_after_it_still_opens_the_sentence() -> None:
    found = run(DAY, scope("大会", "8月20日上午，2022世界机器人大会在北京开幕。", date="2022-08-21"))
    assert found == {("2022世界机器人大会", "startDate", "2022-08-20")}


def test_the_same_day_is_the_datelines_day() -> None:
    text = "新华社成都9月16日电 全国科普工作推进会在成都开幕。当日，中国科协召开全国科普信息化工作座谈会。"
    found = run(DAY, scope("会议", text, date="2022-09-17"))
    assert ("全国科普信息化工作座谈会", "startDate", "2022-09-16") in found
