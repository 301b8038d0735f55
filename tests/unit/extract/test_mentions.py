"""Names in one sentence (extract/mentions.py): the gazetteer first, then the pattern rules, each
matcher on a sentence we wrote; and the quote index the matchers share."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from castkg.extract.mentions import find_mentions, quotes_of, sentence_scope
from castkg.model import Mention
from unit.helpers import rules


def mentions(text: str) -> list[Mention]:
    return find_mentions(sentence_scope(text, 0, rules()), rules())


def named(text: str) -> list[tuple[str, str]]:
    return [(m.label or m.surface, m.cls) for m in mentions(text) if not m.nested]


def test_two_names_joined_by_a_coordinator_stay_two() -> None:
    assert named("中国科协与人民日报社联合发布报告。") == [
        ("中国科协", "Organization"),
        ("人民日报", "Organization"),
    ]


def test_a_quoted_name_takes_its_class_from_the_word_after_it() -> None:
    assert ("科创中国", "Platform") in named("“科创中国”平台新增用户。")


def test_a_county_after_its_province_is_a_place_named_without_its_suffix() -> None:
    assert ("澜沧", "Place") in named("活动走进云南省澜沧拉祜族自治县。")


def test_a_name_after_a_post_is_a_person() -> None:
    assert ("怀进鹏", "Person") in named("中国科协党组书记怀进鹏出席。")


def test_a_name_never_runs_left_across_a_boundary_word() -> None:
    assert ("全国科普工作会议", "Event") in named("科技部召开全国科普工作会议。")


def test_a_body_inside_an_event_name_is_kept_nested() -> None:
    found = mentions("第二十五届中国科协年会开幕。")
    assert [(m.surface, m.nested) for m in found] == [("第二十五届中国科协年会", False), ("中国科协", True)]


# --- the quote index is the backward scan it replaces ---------------------------------------------


def _inside_by_scanning(text: str, position: int) -> int | None:
    """The definition: walk left counting closing marks; the first opening mark not closed, if a
    closing mark follows ``position``."""
    depth = 0
    for i in range(position - 1, -1, -1):
        if text[i] in "”」』":
            depth += 1
        elif text[i] in "“「『":
            if depth == 0:
                return i if any(c in text[position:] for c in "”」』") else None
            depth -= 1
    return None


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="“”「」『』ab", max_size=16))
def test_the_quote_a_position_is_inside(text: str) -> None:
    quotes = quotes_of(text)
    assert [quotes.inside(p) for p in range(len(text) + 1)] == [
        _inside_by_scanning(text, p) for p in range(len(text) + 1)
    ]


def test_a_kind_of_body_listed_after_a_body_is_no_body() -> None:
    found = named("各省科协、全国学会、高校科协和企业科协的代表出席。")
    assert ("全国学会", "Organization") not in found and ("高校科协", "Organization") not in found


def test_a_body_listed_after_a_body_is_one_even_unknown() -> None:
    assert ("渔业协会", "Organization") in named("县老科协及渔业协会等学协会参加。")
    assert ("青山矿业局", "Organization") in named("中国科协、青山矿业局、全国妇联共同主办。")


def test_a_company_or_foundation_needs_no_scope_word_to_be_a_body() -> None:
    found = named("青年企业家、远山制药集团董事长、明德青少年发展基金会理事长周启明出席。")
    assert ("远山制药集团", "Organization") in found and ("明德青少年发展基金会", "Organization") in found


def test_a_body_before_its_post_is_cut_where_the_post_starts() -> None:
    assert ("中国科协", "Organization") in named("中国科协党组书记、常务副主席张玉卓出席。")
    assert ("中国科协党组", "Organization") in named("中国科协党组召开扩大会议。")
