"""What was held, named after its verb (the ``event.held`` and ``event.held-kind`` suffix rules of
entities.yaml): the words between the verb and the kind, or the kind alone for a meeting; no name
made of generic words, a count or a known event's name."""

from __future__ import annotations

from castkg.extract.mentions import find_mentions, sentence_scope
from unit.helpers import rules


def events(text: str) -> list[str]:
    found = find_mentions(sentence_scope(text, 0, rules()), rules())
    return [m.label or m.surface for m in found if m.cls == "Event" and not m.nested]


def test_a_meeting_held_is_named_by_what_stands_between_verb_and_kind() -> None:
    assert events("师市科协组织召开2025年科技工作者座谈会。") == ["2025年科技工作者座谈会"]
    assert events("开展科技咨询宣传服务系列活动。") == ["科技咨询宣传服务系列活动"]
    assert events("区科协组织代表召开座谈交流会。") == ["座谈交流会"]
    assert events("新沂市科协慰问代表，并召开座谈会。") == ["座谈会"]


def test_generic_counted_and_known_names_are_none() -> None:
    assert events("开展科普活动、线上活动和线下活动。") == []
    assert events("双方共同举办了3届粤港澳大湾区科学论坛。") == ["粤港澳大湾区科学论坛"]
    assert events("举办第五个全国科技工作者日系列活动。") == ["全国科技工作者日"]


def test_a_verb_before_a_joiner_stays_in_the_one_event_named() -> None:
    assert events("2014年陕西省科技活动周启动暨科普教育基地授牌仪式举行。") == [
        "2014年陕西省科技活动周启动暨科普教育基地授牌仪式"
    ]
