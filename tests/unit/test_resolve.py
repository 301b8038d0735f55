"""Identity (resolve.py, model.EntityKey): typed keys, one slug, and the entities they make."""

from __future__ import annotations

import re

from castkg.model import EntityKey
from castkg.resolve import preferred_label, resolve
from castkg.slugs import short_hash
from unit.helpers import extraction, rules

MEETING = "2021年第4次党组会议"


def test_a_curated_key_is_its_gazetteer_id() -> None:
    key = EntityKey.of_entry("cast")
    assert key.curated and key.text == "gaz:cast"
    assert key.slug("Organization") == "org_cast"


def test_a_named_key_slug_is_readable_and_digests_the_key() -> None:
    key = EntityKey.of_name("Event", "全国科普日")
    slug = key.slug("Event")
    assert slug == f"event_quan-guo-ke-pu-ri-{short_hash('Event:全国科普日')}"
    assert (
        EntityKey.of_name("Event", "全国科普日") == key
        and EntityKey.of_name("Initiative", "全国科普日") != key
    )


def test_relative_keys_name_what_they_are_relative_to() -> None:
    top10 = EntityKey.of_name("Event", "十大事件")
    assert EntityKey.item(3, top10, "a.txt#1").text == "item:Event:十大事件#3"
    assert EntityKey.item(3, None, "a.txt#1").text == "item:article:a.txt#1#3"
    meeting = EntityKey.of_name("Event", MEETING)
    assert meeting.numbered(EntityKey.of_entry("cast"), "a.txt#1").text == f"Event:{MEETING}@gaz:cast"
    assert meeting.numbered(None, "a.txt#1").text == f"Event:{MEETING}@article:a.txt#1"
    assert not meeting.numbered(EntityKey.of_entry("cast"), "a.txt#1").curated


def _meetings(*organizers: str) -> list[str]:
    found = [
        extraction("会议", f"{body}召开{MEETING}。", signed="", source=f"{n}.txt")
        for n, body in enumerate(organizers)
    ]
    resolved = resolve(found, rules())
    return sorted(e.label for e in resolved.entities.values() if e.label.endswith(MEETING))


def test_a_meeting_named_by_number_is_one_per_organizer() -> None:
    assert len(_meetings("中国科协", "中国科协")) == 1
    assert len(_meetings("中国科协", "中国工程院")) == 2


def test_a_meeting_named_by_number_is_labelled_with_its_body() -> None:
    assert _meetings("中国科协", "中国工程院") == [f"中国工程院{MEETING}", f"中国科协{MEETING}"]


def test_every_entity_slug_is_its_keys_slug() -> None:
    resolved = resolve(
        [extraction("会议", "3月2日，中国科协、教育部和科技部联合召开全国科普工作会议。")], rules()
    )
    for key, entity in resolved.entities.items():
        assert entity.slug == key.slug(entity.cls)
        assert re.fullmatch(r"[a-z]+_[a-z0-9-]+", entity.slug), entity.slug


def test_a_guessed_actor_gives_way_to_a_stated_one() -> None:
    found = extraction(
        "大赛",
        "举办全国青少年科技创新大赛。",
        "全国青少年科技创新大赛由教育部主办。",
        signed="中国科协青少年科技中心",
    )
    guessed = {r.rule for r in found.relations if r.predicate == "organizer"}
    assert guessed == {"organizer.bulletin-body", "organizer.passive"}
    resolved = resolve([found], rules())
    labels = {key: e.label for key, e in resolved.entities.items()}
    organizers = {
        (labels[f.subject], labels[f.object])
        for f in resolved.facts
        if f.predicate == "organizer" and f.object
    }
    assert organizers == {("2023年全国青少年科技创新大赛", "教育部")}  # the edition of the news' year


def _events(*articles: tuple[str, str, str]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Event label → (slug, start dates) of each node, for articles (text, date, source) resolved together."""
    found = [extraction("会议", text, date=date, source=source) for text, date, source in articles]
    resolved = resolve(found, rules())
    starts: dict[object, list[str]] = {}
    for fact in resolved.facts:
        if fact.predicate == "startDate" and fact.value:
            starts.setdefault(fact.subject, []).append(fact.value)
    events: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for key, entity in resolved.entities.items():
        if entity.cls == "Event":
            events.setdefault(entity.label, []).append((entity.slug, tuple(sorted(starts.get(key, [])))))
    return events


def test_an_event_named_without_a_year_is_keyed_with_its_day() -> None:
    events = _events(
        ("3月9日，中共中央政治局召开中共中央政治局会议。", "2023-03-10", "a.txt"),
        ("10月27日，中共中央政治局召开中共中央政治局会议。", "2023-10-28", "b.txt"),
        ("会议传达学习中共中央政治局会议精神。", "2023-10-30", "c.txt"),
    )
    meetings = sorted(events["中共中央政治局会议"], key=lambda e: e[1])
    assert [days for _, days in meetings] == [(), ("2023-03-09",), ("2023-10-27",)]
    assert len({slug for slug, _ in meetings}) == 3  # the undated one on its article's date


def test_an_edition_is_its_series_and_year_whatever_its_name() -> None:
    key = EntityKey.edition("st-workers-day", 2021)
    assert key.slug("Event") == "event_st-workers-day--2021" and not key.curated and key.is_edition
    assert EntityKey.edition("castic", None, 37).slug("Event") == "event_castic--no37"
    events = _events(
        ("5月30日是第五个全国科技工作者日。", "2021-05-31", "a.txt"),
        ("2021年全国科技工作者日当天，各地科协开展慰问活动。", "2021-05-31", "b.txt"),
    )
    slugs = {slug for label, nodes in events.items() for slug, _ in nodes if "科技工作者日" in label}
    assert slugs == {"event_st-workers-day--2021"}


def test_a_series_named_alone_in_dated_news_is_that_years_edition() -> None:
    events = _events(
        ("各地科协在全国科普日期间开展科普进社区活动。", "2022-09-20", "a.txt"),
        ("全国科普日是科协系统的品牌活动。", "", "b.txt"),
    )
    slugs = {slug for label, nodes in events.items() for slug, _ in nodes if "科普日" in label}
    editions = {slug for slug in slugs if slug.startswith("event_national-kepu-day--")}
    assert editions == {"event_national-kepu-day--2022"}  # the undated page keeps the series


def test_an_edition_numbered_before_a_quoted_series_name() -> None:
    events = _events(
        ("在第六个“全国科技工作者日”到来之际，市科协走访慰问科技工作者。", "2022-05-28", "a.txt"),
        ("首个“全国科技工作者日”当天，中国科协举行座谈会。", "", "b.txt"),
        ("这是新规划印发后的首个全国科技工作者日。", "2022-05-30", "c.txt"),  # first after it, not the first
    )
    slugs = {slug for label, nodes in events.items() for slug, _ in nodes if "科技工作者日" in label}
    assert slugs == {"event_st-workers-day--2022", "event_st-workers-day--2017"}


def test_a_place_is_labelled_by_its_fullest_bare_name() -> None:
    assert preferred_label("Place", ["澜沧拉祜族自治县", "澜沧"]) == "澜沧"
    assert preferred_label("Organization", ["WFEO", "世界工程组织联合会"]) == "世界工程组织联合会"
    assert preferred_label("Event", ["第四届“一带一路”青少年创客营", "第四届一带一路青少年创客营"]) == (
        "第四届“一带一路”青少年创客营"
    )
