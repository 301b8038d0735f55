"""Where (extract/relations/places.py): location from 在PLACE + verb, from a place in the event's
name, and the most specific division of a chain of places."""

from __future__ import annotations

from unit.helpers import run, scope

HELD_IN = "location.held-in"


def test_an_event_held_in_a_place() -> None:
    found = run(HELD_IN, scope("科技周", "5月20日，全国科技活动周在北京开幕。"))
    assert found == {("全国科技活动周", "location", "北京")}


def test_a_chain_of_places_locates_the_event_in_its_most_specific_division() -> None:
    text = "第二十五届中国科协年会于7月9日在贵州省遵义市湄潭县举办。"
    assert run(HELD_IN, scope("年会", text)) == {("第二十五届中国科协年会", "location", "湄潭")}


def test_a_venue_after_its_city_leaves_the_city() -> None:
    found = run(HELD_IN, scope("大会", "中国科协第十次全国代表大会在北京人民大会堂开幕。"))
    assert found == {("中国科协第十次全国代表大会", "location", "北京")}


def test_a_place_inside_the_event_name_locates_it_by_its_own_rule() -> None:
    found_in = scope("主场活动", "2021年全国科普日北京主场活动在中国科技馆举行。")
    assert run(HELD_IN, found_in) == {("2021年全国科普日北京主场活动", "location", "北京")}
    from castkg.extract.relations import find_relations
    from unit.helpers import rules

    relations, _ = find_relations(found_in, rules())
    assert {r.rule for r in relations if r.predicate == "location"} == {"location.held-in.in-name"}


def test_no_location_without_a_verb_of_holding_in_the_clause() -> None:
    assert run(HELD_IN, scope("调研", "中国科协在北京，调研组走访了多家企业。")) == set()


# --- news style (issue 8) ---


def test_a_venue_that_is_no_place_is_in_the_datelines_city() -> None:
    text = "人民网天津7月14日电 今天下午，天津市科协学术交流中心揭牌仪式在市科协举行。"
    found = run(HELD_IN, scope("揭牌", text, date="2023-07-15"))
    assert ("天津市科协学术交流中心揭牌仪式", "location", "天津") in found


def test_a_nationwide_activity_is_not_in_the_datelines_city() -> None:
    text = "新华社北京9月6日电 2017年全国科普日活动将于9月16日至22日在全国集中开展。"
    found = run(HELD_IN, scope("科普日", text, date="2017-09-07"))
    assert not any(predicate == "location" for _, predicate, _ in found)


def test_a_one_character_short_form_names_its_city() -> None:
    found = run(HELD_IN, scope("会议", "3月8日，中国科协在穗召开全国学会党建工作会议。", date="2023-03-09"))
    assert found == {("全国学会党建工作会议", "location", "广州")}


def test_a_known_body_named_with_its_city_is_located_there() -> None:
    found = run("location.body-name", scope("科普讲座", "大连市科协举办科普讲座。", signed="大连市科协"))
    assert ("大连市科协", "location", "大连") in found


def test_a_body_facing_its_public_and_a_body_inside_an_event_name_are_located() -> None:
    found = run("location.body-name", scope("服务", "庆阳市科协面向全市科技工作者开展服务。"))
    assert ("庆阳市科协", "location", "庆阳") in found  # 科协面向: 面 does not end the suffix here
    found = run("location.body-name", scope("年会", "第九届甘肃省科协学术年会在兰州召开。"))
    assert ("甘肃省科协", "location", "甘肃") in found


def test_an_event_whose_name_opens_with_its_city_is_held_there() -> None:
    found = run(
        "location.held-in",
        scope("大赛开幕", "哈尔滨首届青年创客大赛日前开幕。", signed="哈尔滨市科协"),
    )
    assert ("哈尔滨首届青年创客大赛", "location", "哈尔滨") in found
