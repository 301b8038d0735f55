"""Identity (resolve.py, model.EntityKey): typed keys, one slug, and the entities they make."""

from __future__ import annotations

import re

from castkg.model import EntityKey
from castkg.resolve import resolve
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
    return sorted(e.slug for e in resolved.entities.values() if e.label == MEETING)


def test_a_meeting_named_by_number_is_one_per_organizer() -> None:
    assert len(_meetings("中国科协", "中国科协")) == 1
    assert len(_meetings("中国科协", "中国工程院")) == 2


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
    assert organizers == {("全国青少年科技创新大赛", "教育部")}
