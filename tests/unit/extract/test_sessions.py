"""Sessions and ceremonies named by their kind (extract/sessions.py, the ``session`` matcher of
extract/mentions.py, the ``session`` finder of extract/relations/parts.py): found, referred back to
a ceremony named in full, part of their event, and labelled by it in resolve."""

from __future__ import annotations

from castkg.extract.mentions import find_mentions, sentence_scope
from castkg.extract.sessions import is_bare_session, refers_to
from castkg.resolve import resolve
from unit.helpers import extraction, rules, run, scope


def sessions(text: str) -> list[str]:
    found = find_mentions(sentence_scope(text, 0, rules()), rules())
    return [m.surface for m in found if is_bare_session(m, rules())]


def test_a_kind_alone_is_a_session_and_a_kind_after_a_name_is_not() -> None:
    assert sessions("副市长李明出席开幕式并参加启动仪式。") == ["开幕式", "启动仪式"]
    assert sessions("大会的闭幕式在北京举行。") == ["闭幕式"]
    assert sessions("年会开幕式由王芳主持。") == ["年会开幕式"]
    assert sessions("2023世界机器人大会开幕式在北京举行。") == []


def test_sessions_counted_set_up_or_joined_to_another_name_are_none() -> None:
    assert sessions("年会设立12个分论坛。") == []
    assert sessions("各地设分论坛。") == []
    assert sessions("开幕式暨主旨报告会举行。") == []


def test_a_kind_refers_to_a_ceremony_ending_with_it_or_holding_its_words() -> None:
    assert refers_to("启动仪式", "2021年全国科普日启动仪式", rules())
    assert refers_to("开幕式", "第十二届中国科协年会开幕式暨大会报告会", rules())
    assert refers_to("启动仪式", "2014年陕西省科技活动周启动暨科普教育基地授牌仪式", rules())
    assert not refers_to("开幕式", "2014年陕西省科技活动周启动暨科普教育基地授牌仪式", rules())
    assert not refers_to("启动仪式", "第十二届中国科协年会", rules())


def test_a_session_is_part_of_its_paragraphs_event_else_of_the_articles() -> None:
    told = scope(
        "第五届中国智能农业大会在成都开幕",
        "9月12日，第五届中国智能农业大会在成都开幕。副部长李明远出席开幕式。",
        "会后举行了签约仪式。",
    )
    assert run("partof.session", told) == {
        ("开幕式", "partOf", "第五届中国智能农业大会"),
        ("签约仪式", "partOf", "第五届中国智能农业大会"),
    }


def test_a_ceremony_named_after_its_event_is_part_of_it() -> None:
    named = scope("活动周", "2014年陕西省科技活动周启动暨科普教育基地授牌仪式在西安举行。")
    assert run("partof.session", named) == {
        ("2014年陕西省科技活动周启动暨科普教育基地授牌仪式", "partOf", "2014年陕西省科技活动周")
    }


def test_a_kind_named_again_is_the_ceremony_named_in_full() -> None:
    found = extraction(
        "活动周启动",
        "2014年陕西省科技活动周启动暨科普教育基地授牌仪式在西安举行。副省长张道宏出席启动仪式。",
    )
    labels = {m.label or m.surface for m in found.mentions if m.cls == "Event"}
    assert "启动仪式" not in labels and "2014年陕西省科技活动周启动暨科普教育基地授牌仪式" in labels


def test_a_sessions_label_is_qualified_by_its_event_and_two_events_sessions_are_two() -> None:
    first = extraction(
        "大会开幕", "9月12日，第五届中国智能农业大会在成都开幕。副部长李明远出席开幕式。", source="a.txt"
    )
    second = extraction(
        "论坛开幕", "10月8日，第二届长江科技论坛在武汉开幕。副省长张道宏出席开幕式。", source="b.txt"
    )
    entities = resolve([first, second], rules()).entities.values()
    openings = {e.label: e for e in entities if e.label.endswith("开幕式")}
    assert set(openings) == {"第五届中国智能农业大会开幕式", "第二届长江科技论坛开幕式"}
    assert openings["第五届中国智能农业大会开幕式"].slug != openings["第二届长江科技论坛开幕式"].slug
    for entity in openings.values():
        assert entity.slug == entity.key.slug(entity.cls)  # issue 9: from the key, never the label
        assert "开幕式" in entity.names_used_in(entity.articles[0])
