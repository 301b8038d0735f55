"""Posts (extract/relations/posts.py): a person named with posts in a body holds each of them; a
run of posts belongs to the body at its head, a later body takes the posts after it."""

from __future__ import annotations

from castkg.model import PositionMention
from castkg.registry import FINDERS
from unit.helpers import rule, scope

POSITION = "position.org-role-person"


def posts(*paragraphs: str) -> set[tuple[str, str, str]]:
    found = FINDERS["position"].function(scope("会议", *paragraphs), rule(POSITION))
    return {
        (p.person.surface, p.organization.label or p.organization.surface, p.role)
        for p in found
        if isinstance(p, PositionMention)
    }


def test_a_body_then_posts_then_a_name() -> None:
    assert posts("中国科协党组书记、常务副主席张玉卓出席会议。") == {
        ("张玉卓", "中国科协", "党组书记"),
        ("张玉卓", "中国科协", "常务副主席"),
    }


def test_a_later_body_takes_the_posts_after_it() -> None:
    assert posts("中国工程院院士、四川大学教授李言荣作报告。") == {
        ("李言荣", "中国工程院", "院士"),
        ("李言荣", "四川大学", "教授"),
    }


def test_a_clause_between_the_body_and_the_name_joins_nothing() -> None:
    assert posts("中国科协发布通知，要求张三做好准备。") == set()


def test_posts_are_a_registered_finder_like_every_other_kind() -> None:
    assert FINDERS["position"].emits == ("holds",)
