"""The inference rules of inferences.yaml on hand-made facts: what a whole takes on from its parts."""

from __future__ import annotations

from castkg.infer import infer
from castkg.model import EntityKey, Fact

from .helpers import rules

ARTICLE = "a1"
CONTEST, FINAL, CEREMONY = (EntityKey.of_name("Event", n) for n in ("某大赛", "某大赛总决赛", "颁奖仪式"))
LIST, ITEM = EntityKey.of_name("Event", "十大进展"), EntityKey.of_name("Event", "第一项进展")
ZHANG, HUST = EntityKey.of_name("Person", "张华"), EntityKey.of_name("Organization", "某大学")
WUHAN, XIAN = EntityKey.of_name("Place", "武汉"), EntityKey.of_name("Place", "西安")
CITY_BODY, OTHER_BODY = (
    EntityKey.of_name("Organization", "某市科协"),
    EntityKey.of_name("Organization", "某学会"),
)
HUBEI, COUNTY = EntityKey.of_entry("hubei"), EntityKey.of_name("Place", "某县")


def fact(subject: EntityKey, predicate: str, obj: EntityKey, rule: str = "r", article: str = ARTICLE) -> Fact:
    return Fact(subject, predicate, rule, article, object=obj, evidence=f"{rule} sentence")


def drawn(*facts: Fact) -> set[tuple[str | None, str, str | None, str]]:
    """What ``infer`` adds to ``facts``: (subject, predicate, object, rule) by name."""
    added = infer(list(facts), rules())[len(facts) :]
    return {(f.subject.name, f.predicate, f.object.name if f.object else None, f.rule) for f in added}


def test_a_whole_takes_part_through_every_level_of_its_parts() -> None:
    found = drawn(
        fact(CEREMONY, "partOf", FINAL, "partof.session"),
        fact(FINAL, "partOf", CONTEST, "partof.name"),
        fact(CEREMONY, "chair", ZHANG),
        fact(FINAL, "organizer", HUST),
    )
    assert found == {
        ("某大赛总决赛", "cooccursWith", "张华", "involves.through-part"),
        ("某大赛", "cooccursWith", "张华", "involves.through-part"),
        ("某大赛", "cooccursWith", "某大学", "involves.through-part"),
        ("颁奖仪式", "involves", "张华", "involves.chair"),
    }


def test_who_chairs_an_event_takes_part_in_it() -> None:
    assert drawn(fact(CEREMONY, "chair", ZHANG)) == {("颁奖仪式", "involves", "张华", "involves.chair")}
    assert drawn(fact(CEREMONY, "chair", ZHANG), fact(CEREMONY, "involves", ZHANG)) == set()


def test_an_inferred_fact_keeps_the_evidence_of_the_fact_it_follows_from() -> None:
    facts = [fact(FINAL, "partOf", CONTEST, "partof.name"), fact(FINAL, "involves", ZHANG, "stated")]
    (lifted,) = infer(facts, rules())[2:]
    assert (lifted.subject, lifted.object, lifted.evidence, lifted.article) == (
        CONTEST,
        ZHANG,
        "stated sentence",
        ARTICLE,
    )


def test_a_whole_with_a_place_of_its_own_keeps_it_alone() -> None:
    part = [fact(FINAL, "partOf", CONTEST, "partof.name"), fact(FINAL, "location", WUHAN)]
    assert ("某大赛", "location", "武汉", "location.through-part") in drawn(*part)
    assert not any(p == "location" for _, p, _, _ in drawn(*part, fact(CONTEST, "location", XIAN)))


def test_a_ranked_list_does_not_take_on_its_items() -> None:
    assert drawn(fact(ITEM, "partOf", LIST, "list.item"), fact(ITEM, "itemInvolves", HUST)) == set()


def test_a_day_does_not_take_on_an_activity_held_for_it() -> None:
    held_for = fact(FINAL, "partOf", CONTEST, "partof.occasion")
    assert drawn(held_for, fact(FINAL, "involves", ZHANG), fact(FINAL, "location", WUHAN)) == set()


def test_facts_of_another_article_are_not_joined() -> None:
    found = drawn(fact(FINAL, "partOf", CONTEST, "partof.name"), fact(FINAL, "involves", ZHANG, article="a2"))
    assert found == set()


def test_what_is_stated_already_is_not_inferred_again_and_cycles_end() -> None:
    found = drawn(
        fact(FINAL, "partOf", CONTEST, "partof.name"),
        fact(CONTEST, "partOf", FINAL, "partof.during"),
        fact(FINAL, "involves", ZHANG),
        fact(CONTEST, "cooccursWith", ZHANG),
    )
    assert found == set()  # each already involves 张华 (by one property or another)


def test_a_whole_that_hosts_someone_does_not_also_co_occur_with_them() -> None:
    found = drawn(
        fact(FINAL, "partOf", CONTEST, "partof.name"),
        fact(FINAL, "involves", HUST),
        fact(CONTEST, "organizer", HUST),
    )
    assert found == set()


def home(body: EntityKey, place: EntityKey, rule: str = "location.body-name") -> Fact:
    """``body`` is at ``place``, by the place its name opens with (or by ``rule``)."""
    return fact(body, "location", place, rule)


def test_a_local_body_s_event_is_held_where_the_body_is() -> None:
    assert drawn(fact(FINAL, "organizer", CITY_BODY), home(CITY_BODY, COUNTY)) == {
        ("某大赛总决赛", "location", "某县", "location.host-place")
    }


def test_a_national_body_s_seat_places_none_of_its_events() -> None:
    seat = home(CITY_BODY, COUNTY, rule="gazetteer.located_in")
    assert drawn(fact(FINAL, "organizer", CITY_BODY), seat) == set()


def test_no_host_place_for_a_province_two_places_or_an_event_placed_already() -> None:
    assert rules().place_levels["hubei"] == 1
    assert drawn(fact(FINAL, "organizer", CITY_BODY), home(CITY_BODY, HUBEI)) == set()
    two = [fact(FINAL, "organizer", CITY_BODY), fact(FINAL, "organizer", OTHER_BODY)]
    assert drawn(*two, home(CITY_BODY, COUNTY), home(OTHER_BODY, XIAN)) == set()
    hosted = [fact(FINAL, "organizer", CITY_BODY), home(CITY_BODY, COUNTY)]
    assert drawn(*hosted, fact(FINAL, "location", WUHAN)) == set()


OPENING, CLOSING = EntityKey.of_name("Event", "某大赛开幕式"), EntityKey.of_name("Event", "某大赛闭幕式")


def day(subject: EntityKey, predicate: str, value: str) -> Fact:
    return Fact(subject, predicate, "date.event-day", ARTICLE, value=value, datatype="date", evidence="dated")


def dated(*facts: Fact) -> set[tuple[str | None, str, str | None, str]]:
    """What ``infer`` adds to ``facts`` of days: (subject, predicate, value, rule) by name."""
    added = infer(list(facts), rules())[len(facts) :]
    return {(f.subject.name, f.predicate, f.value, f.rule) for f in added if f.value is not None}


def test_an_opening_session_is_held_on_its_events_first_day_and_a_closing_one_on_its_last() -> None:
    found = dated(
        fact(OPENING, "partOf", CONTEST, "partof.session"),
        fact(CLOSING, "partOf", CONTEST, "partof.session"),
        day(CONTEST, "startDate", "2023-09-21"),
        day(CONTEST, "endDate", "2023-09-23"),
    )
    assert found == {
        ("某大赛开幕式", "startDate", "2023-09-21", "date.session-day"),
        ("某大赛开幕式", "endDate", "2023-09-21", "date.session-day"),
        ("某大赛闭幕式", "startDate", "2023-09-23", "date.session-day"),
        ("某大赛闭幕式", "endDate", "2023-09-23", "date.session-day"),
    }


def test_a_dated_opening_session_opens_its_undated_event_and_a_dated_one_keeps_its_day() -> None:
    opening_day = day(OPENING, "startDate", "2023-09-21")
    assert dated(fact(OPENING, "partOf", CONTEST, "partof.session"), opening_day) == {
        ("某大赛", "startDate", "2023-09-21", "date.session-day")
    }
    own_day = dated(
        fact(OPENING, "partOf", CONTEST, "partof.session"),
        day(OPENING, "startDate", "2023-09-20"),
        day(CONTEST, "startDate", "2023-09-21"),
    )
    assert own_day == set()
    listed = dated(fact(OPENING, "partOf", CONTEST, "list.item"), day(CONTEST, "startDate", "2023-09-21"))
    assert listed == set()


def _day(subject: EntityKey, predicate: str, day: str) -> Fact:
    return Fact(subject, predicate, "date.event-day", ARTICLE, value=day, evidence="dated sentence")


def test_a_part_of_a_ceremony_held_on_one_day_is_held_that_day_but_not_of_a_congress() -> None:
    launch, release = EntityKey.of_name("Event", "某活动启动仪式"), EntityKey.of_name("Event", "某书发布会")
    congress, forum = EntityKey.of_name("Event", "某年会"), EntityKey.of_name("Event", "某专题论坛")
    found = drawn(
        fact(release, "partOf", launch, "partof.during"),
        _day(launch, "startDate", "2024-09-06"),
        _day(launch, "endDate", "2024-09-06"),
        fact(forum, "partOf", congress, "partof.name"),
        _day(congress, "startDate", "2024-11-01"),
        _day(congress, "endDate", "2024-11-01"),
    )
    dated = {(s, p) for s, p, _, rule in found if rule == "date.one-day-whole"}
    assert dated == {("某书发布会", "startDate"), ("某书发布会", "endDate")}
