"""Events named without a scope word (the ``event.held-subject`` and ``event.listed`` suffix rules of
entities.yaml): a name that opens its clause and is then said to be held, and names listed together;
no name made of generic words, none after 同 or 联合, none cut by a count (四大赛事)."""

from __future__ import annotations

from castkg.extract.mentions import find_mentions, sentence_scope
from unit.helpers import rules


def events(text: str) -> list[str]:
    found = find_mentions(sentence_scope(text, 0, rules()), rules())
    return [m.label or m.surface for m in found if m.cls == "Event" and not m.nested]


def test_a_name_opening_its_clause_then_held_is_an_event() -> None:
    assert events("青山湖科技论坛在杭州开幕。") == ["青山湖科技论坛"]
    assert events("日前，首届黄河流域生态保护科技论坛在郑州举行。") == ["首届黄河流域生态保护科技论坛"]
    assert events("8月2日，星火乡土人才研修班于县党校顺利开班。") == ["星火乡土人才研修班"]


def test_a_ceremony_of_two_joined_events_is_named_by_both() -> None:
    assert events("第十届科普宣传周暨第七个全国科技工作者日启动仪式在青州举行。") == [
        "第十届科普宣传周暨第七个全国科技工作者日启动仪式"
    ]


def test_generic_subjects_and_names_not_held_are_none() -> None:
    assert events("本次大赛在青州举行。") == []
    assert events("科普活动在全市各乡镇举行。") == []
    assert events("他说，青山湖科技论坛意义重大。") == []


def test_names_listed_together_are_events() -> None:
    assert events("大会设置海洋牧场高端研讨会、盐碱地治理学术论坛等专题。") == [
        "海洋牧场高端研讨会",
        "盐碱地治理学术论坛",
    ]
    assert events("同期举办智能农机挑战赛、无人机植保大赛以及青少年航模设计大赛三大赛事。") == [
        "智能农机挑战赛",
        "无人机植保大赛",
        "青少年航模设计大赛",
    ]


def test_lists_of_generic_kinds_and_a_body_then_同_are_none() -> None:
    assert events("开展科普讲座、科技咨询、科普展览等活动。") == []
    assert events("市科技馆同步开放大赛展区。") == []
    assert events("支持承办重要国际学术会议和高端论坛。") == []


def test_a_meeting_named_by_its_term_and_session_is_an_event() -> None:
    assert events("3月9日，青峰县科协召开二届三次会议暨科普工作会议。") == ["二届三次会议暨科普工作会议"]
    assert events("河湾区科协召开五届四次全委(扩大)会议。") == ["五届四次全委(扩大)会议"]
    assert events("青峰县科协召开会议。") == []


def test_a_founding_meeting_is_named_with_the_body_founded() -> None:
    assert events("由三所学院组成的芜湖市高校科协联盟成立会议在芜湖召开。") == ["芜湖市高校科协联盟成立会议"]


def test_a_bare_session_number_after_a_body_is_no_meeting_of_its_own() -> None:
    assert "第十次会议" not in events("经常务理事会第十次会议审议表决，方案获得通过。")
    assert events("县科协召开第二次会议。") == []


def test_a_name_never_opens_with_a_dash() -> None:
    assert events("—助力“双减”科普资源对接活动启动仪式在滨海举行。") == ["助力“双减”科普资源对接活动启动仪式"]
