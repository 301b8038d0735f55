"""What a thing is part of and involves (extract/relations/parts.py): ranked-list items, events
named after a larger one, events held during another, what an event involves."""

from __future__ import annotations

from unit.helpers import run, scope

LIST = scope(
    "2022年度中国科协十大事件发布",
    "2022年度中国科协十大事件日前揭晓。",
    "1. 中国科协召开第十次全国代表大会",
    "大会在北京举行。",
    "2. 科普中国平台上线新版",
    "中国科协发布科普中国新版。",
    signed="中国科协调研宣传部",
)
TOP10 = "2022年度中国科协十大事件"
FIRST, SECOND = "中国科协召开第十次全国代表大会", "科普中国平台上线新版"


def test_the_list_event_and_its_items_are_found_once_in_the_scope() -> None:
    assert LIST.list_event is not None and LIST.list_event.surface == TOP10
    assert [(i.surface, i.rank) for i in LIST.items.values()] == [(FIRST, 1), (SECOND, 2)]


def test_each_item_is_part_of_the_list_and_has_its_rank() -> None:
    assert run("list.item", LIST) == {
        (FIRST, "partOf", TOP10),
        (FIRST, "rank", "1"),
        (SECOND, "partOf", TOP10),
        (SECOND, "rank", "2"),
    }


def test_an_item_involves_what_its_heading_and_body_name() -> None:
    involved = {(s, o) for s, _, o in run("involves.list-item", LIST)}
    assert {(FIRST, "北京"), (FIRST, "第十次全国代表大会"), (SECOND, "科普中国")} <= involved
    assert (SECOND, "北京") not in involved


def test_an_event_named_after_a_larger_one_is_part_of_it() -> None:
    text = "2021年全国科普日活动启动。2021年全国科普日北京主场活动在中国科技馆举行。"
    found = run("partof.name", scope("科普日", text))
    assert found == {("2021年全国科普日北京主场活动", "partOf", "2021年全国科普日")}


def test_an_event_held_during_another_is_part_of_it() -> None:
    text = "第二十五届中国科协年会于7月9日在贵阳开幕。会议期间还举办了青年科学家论坛。"
    found = run("partof.during", scope("年会", text))
    assert found == {("青年科学家论坛", "partOf", "第二十五届中国科协年会")}


def test_a_held_meeting_involves_what_its_sentence_names_and_a_named_one_does_not() -> None:
    held = run("involves.sentence", scope("会议", "中国科协、教育部和科技部联合召开全国科普工作会议。"))
    assert held == {("全国科普工作会议", "cooccursWith", body) for body in ("中国科协", "教育部", "科技部")}


# --- news of one event (issue 8: real pages tell of one event over several paragraphs) ---


def test_the_news_of_one_event_involves_what_its_later_paragraphs_name() -> None:
    news = scope(
        "青少年科技节开幕",
        "5月9日，第三届青岛青少年科技节在青岛开幕。",
        "青岛市科协主席王立新出席并致辞。",
        "来自全市的三千名学生参加了体验活动。",
        signed="青岛市科协",
    )
    found = run("involves.sentence", news)
    assert ("第三届青岛青少年科技节", "cooccursWith", "王立新") in found
    assert ("第三届青岛青少年科技节", "cooccursWith", "青岛市科协") in found


def test_a_paragraph_telling_of_another_event_ends_the_news_of_the_first() -> None:
    news = scope(
        "青少年科技节开幕",
        "5月9日，第三届青岛青少年科技节在青岛开幕。",
        "5月12日，青岛市科协在崂山召开科普工作座谈会。省科协副主席赵明远出席。",
        signed="青岛市科协",
    )
    found = run("involves.sentence", news)
    assert ("第三届青岛青少年科技节", "cooccursWith", "赵明远") not in found


def test_a_ceremony_named_by_its_kind_and_attended_involves_who_attended() -> None:
    news = scope(
        "科技馆开馆",
        "历时三年建设的临江科技馆昨日正式开馆。",
        "副市长孙海平出席开馆仪式。",
        signed="临江市科协",
    )
    found = {(s, o) for s, p, o in run("involves.sentence", news)}
    assert any(o == "孙海平" and s.endswith("开馆仪式") for s, o in found)


def test_the_news_of_one_event_is_told_in_the_lead_not_later() -> None:
    bulletin = scope(
        "科协动态",
        "近期中国科协各项工作有序推进。",
        "5月9日，第三届青岛青少年科技节在青岛开幕。",
        "科普中国平台上线科学辟谣专栏。",
        signed="中国科协办公厅",
    )
    found = run("involves.sentence", bulletin)
    assert not any(s == "第三届青岛青少年科技节" and o == "科普中国" for s, _, o in found)
