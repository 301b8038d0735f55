"""castkg.page: the page rules' matching form and what they tell of a line."""

from __future__ import annotations

from functools import cache

import pytest

from castkg.page import PageRules, load_page_rules


@cache
def page() -> PageRules:
    return load_page_rules()


def test_the_matching_form_folds_traditional_cue_characters_and_drops_pinyin() -> None:
    line = "發(fā)布時(shí)間：2015-12-16"
    form, offsets = page().matching_form(line)
    assert form == "发布时间:2015-12-16"
    assert len(offsets) == len(form)
    assert [line[i] for i in offsets][:2] == ["發", "布"]  # each character maps back to the line's own


def test_the_matching_form_keeps_simplified_text_as_it_is() -> None:
    line = "中国科协在北京召开全国科普工作会议。"
    assert page().form(line) == line


@pytest.mark.parametrize(
    ("line", "menu"),
    [
        ("北京天津河北山西内蒙古辽宁吉林黑龙江", True),
        ("设为首页 | 加入收藏 | 网站地图", True),
        ("微博", True),
        ("葫芦岛市| 游戏| 娱乐| 东乡族自治", True),
        ("北京", False),  # one place alone may be a wrapped line of a bulletin
        ("平衡", False),
        ("中国科协在北京召开会议", False),
    ],
)
def test_menus_and_tool_bars(line: str, menu: bool) -> None:
    assert page().is_menu(page().form(line)) is menu


@pytest.mark.parametrize(
    ("name", "labelled", "signs"),
    [
        ("新沂市科协", False, True),
        ("中国科协青少年科技中心", False, True),
        ("省科学技术厅", True, True),
        ("学会办公室", True, True),
        ("办公室", False, False),
        ("人民网", True, False),
        ("科技日报", True, False),
        ("中国科协网", True, False),
        ("上海要闻", True, False),
    ],
)
def test_which_names_sign(name: str, labelled: bool, signs: bool) -> None:
    assert page().signs(name, labelled) is signs


def test_noise_and_leaked_tags_leave_a_line() -> None:
    assert page().without_leaks("<p> 会议召开。</p>") == " 会议召开。"
    assert page().without_leaks('& x% l+ V0 J$ @7 O" Phttp://a.cn 2006年').strip() == "Phttp://a.cn 2006年"
    assert page().is_noise(page().form("------5 [5 j1 g$ l9 W' J3 Q"))
    assert not page().is_noise(page().form("You May Also Like"))
