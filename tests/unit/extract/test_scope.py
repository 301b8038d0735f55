"""The article as the finders read it (extract/scope.py): a frozen ArticleScope whose indexes
are built once — mentions by sentence and class, coordination groups, the days of each sentence."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from castkg.extract.scope import BRACKETED_REMARK_LONGEST, _chained, _groups
from castkg.model import Mention
from unit.helpers import name, rules, scope

COORDINATED = scope("会议", "3月2日，中国科协、教育部和科技部联合召开全国科普工作会议，北京市科协参加。")


def _sentence(found_in: object, surface: str) -> Mention:
    return next(m for m in found_in.all_mentions() if m.surface == surface)  # type: ignore[attr-defined]


def test_the_scope_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        COORDINATED.owner = None  # type: ignore[misc]


def test_mentions_by_sentence_and_class_keep_reading_order() -> None:
    index = _sentence(COORDINATED, "教育部").sentence
    assert [m.surface for m in COORDINATED.in_sentence(index, "Organization")] == [
        "中国科协",
        "教育部",
        "科技部",
        "北京市科协",
    ]
    assert [m.surface for m in COORDINATED.in_sentence(index, "Event", nested=False)] == ["全国科普工作会议"]
    assert [m.cls for m in COORDINATED.in_sentence(index, "Event", "Organization")][:2] == [
        "Organization",
        "Organization",
    ]


def test_names_joined_by_coordinators_are_one_group_and_a_name_after_a_comma_is_not() -> None:
    group = [m.surface for m in COORDINATED.coordinated(_sentence(COORDINATED, "教育部"))]
    assert group == ["中国科协", "教育部", "科技部"]
    assert COORDINATED.coordinated(_sentence(COORDINATED, "中国科协")) == COORDINATED.coordinated(
        _sentence(COORDINATED, "科技部")
    )
    assert [m.surface for m in COORDINATED.coordinated(_sentence(COORDINATED, "北京市科协"))] == [
        "北京市科协"
    ]


def test_a_bracketed_alias_between_two_names_still_joins_them() -> None:
    found_in = scope("联盟", "“一带一路”国际科学组织联盟（ANSO）与中国科协共同主办论坛。")
    group = [name(m) for m in found_in.coordinated(_sentence(found_in, "中国科协"))]
    assert group[-1] == "中国科协" and len(group) == 2


def test_the_days_of_each_sentence_and_the_owner_are_read_once() -> None:
    index = _sentence(COORDINATED, "教育部").sentence
    assert [(d.month, d.day) for d in COORDINATED.days[index]] == [(3, 2)]
    assert COORDINATED.owner is not None and COORDINATED.owner.surface == "中国科协"


# --- the one-pass groups are the groups of the definition ----------------------------------------

COORDINATORS = rules().lexicon["coordinators"].words
LONGEST = BRACKETED_REMARK_LONGEST + max(map(len, COORDINATORS))


@st.composite
def names_in_text(draw: st.DrawFn) -> tuple[str, list[Mention]]:
    """A text of names (X…), coordinators, brackets and other characters, and the names' spans."""
    pieces = draw(
        st.lists(
            st.sampled_from(["X", "XX", "、", "和", "以及", "联合", "（A）", "(", "）", "，", "的", "Y"]),
            max_size=30,
        )
    )
    text, found, at = "", [], 0
    for piece in pieces:
        if piece.startswith("X"):
            found.append(Mention(0, at, at + len(piece), piece, "Organization", "test"))
        text += piece
        at += len(piece)
    return text, found


@settings(max_examples=300, deadline=None)
@given(names_in_text())
def test_one_pass_groups_equal_the_definition(case: tuple[str, list[Mention]]) -> None:
    text, found = case
    fast = _groups(text, found, COORDINATORS, LONGEST)
    assert fast == {m: _chained(text, m, sorted(found, key=lambda m: m.start), COORDINATORS) for m in found}
