"""Counted numbers (extract/measures.py) with the number grammar of measures.yaml."""

from __future__ import annotations

from decimal import Decimal

from castkg.extract import extract
from castkg.extract.measures import counted_noun, find_counts
from castkg.model import Document
from castkg.segment import segment
from unit.helpers import rules


def counts(text: str) -> list[tuple[Decimal, str | None, str | None]]:
    return [(c.value, c.unit, c.qualifier) for c in find_counts(text, rules())]


def test_a_count_with_its_multiplier_unit_and_qualifier() -> None:
    assert counts("传播量超20亿人次。") == [(Decimal(2_000_000_000), "人次", "MoreThan")]
    assert counts("约1.4万名科技工作者参加。") == [(Decimal(14_000), "名", "Approximately")]


def test_ranks_rates_years_dates_and_anniversaries_are_no_counts() -> None:
    for text in ("第3届大会", "每5年一次", "2021年举办", "3月5日开幕", "建校70周年"):
        assert counts(text) == [], text


def test_small_chinese_numbers_are_words() -> None:
    assert counts("一场报告会") == [] and counts("三四个单位") == []
    assert counts("二十个单位") == [(Decimal(20), "个", None)]


# --- numbers on the web (issue 8a) ------------------------------------------------------------


def nouns(text: str) -> list[tuple[Decimal, str]]:
    found = find_counts(text, rules())
    return [
        (c.value, counted_noun(text, c, rules(), [], {o.start for o in found if o is not c})) for c in found
    ]


def test_chinese_numerals_with_a_measure_word_are_counts() -> None:
    assert counts("三位院士出席") == [(Decimal(3), "位", None)]
    assert counts("两千余名志愿者") == [(Decimal(2000), "名", "Approximately")]
    assert counts("深入十余个县区") == [(Decimal(10), "个", "Approximately")]
    assert counts("近千人参加") == [(Decimal(1000), "人", "Nearly")]
    assert counts("三万名群众") == [(Decimal(30000), "名", None)]


def test_a_numeral_before_da_counts_the_noun_after_it() -> None:
    assert nouns("活动设置五大板块。") == [(Decimal(5), "板块")]
    assert nouns("涵盖10大领域企业") == [(Decimal(10), "领域企业")]
    for text in ("发布2021年度十大事件", "迎接党的二十大胜利召开", "一大波福利"):
        assert counts(text) == [], text


def test_fixed_expressions_and_ordinals_without_di_are_no_counts() -> None:
    for text in (
        "统筹推进五位一体总体布局",
        "走进千家万户",
        "科协七次代表大会开幕",
        "市委十四届九次全会精神",
    ):
        assert counts(text) == [], text
    assert counts("先后召开三次会议") == [(Decimal(3), "次", None)]


def test_numbers_of_page_furniture_are_no_counts() -> None:
    for text in (
        "浏览次数：3562字号",
        "本文被阅读过20668次",
        "访问量:1197第十二届年会",
        "2018/2/1 9:56:15来源",
        "电话：13812345678转办公室",
        "%E5%8D%81%E5%85%AD%E5",
        "编号010020020110000000000000011106661122892961",
    ):
        assert counts(text) == [], text
    # the same words in news, with a qualifier or 万/亿, state a measure
    assert counts("线上浏览量超过1.2亿人次") == [(Decimal(120_000_000), "人次", "MoreThan")]


def test_a_percentage_counts_its_clause_subject() -> None:
    text = "公民具备科学素质的比例从2010年的3.27%上升到2020年的10.56%。"
    assert nouns(text) == [
        (Decimal("3.27"), "公民具备科学素质的比例"),
        (Decimal("10.56"), "公民具备科学素质的比例"),
    ]
    assert nouns("占比20%。") == [(Decimal(20), "占比")]


def test_the_head_noun_after_a_short_clause() -> None:
    assert nouns("展出400余件具有代表性的珍贵历史图片。") == [(Decimal(400), "珍贵历史图片")]
    assert nouns("全村有2800人。") == [(Decimal(2800), "全村")]
    assert nouns("首批三家“海智计划”工作站挂牌。") == [(Decimal(3), "海智计划工作站挂牌")]


def test_a_count_in_quoted_speech_is_a_count_but_not_in_a_quoted_slogan() -> None:
    spoken = [value for value, _, _ in counts("“这是第九次举办科普周,预计将有2亿人参与3万多项活动。")]
    assert Decimal(200_000_000) in spoken and Decimal(30_000) in spoken
    assert counts("以“奋进100年”为主题的活动开展。") == []


def test_a_visiting_party_counts_the_party_not_the_visit() -> None:
    assert nouns("市科协主席王某一行3人来访我县科协。") == [(Decimal(3), "市科协主席王某一行")]
    assert nouns("区科协等一行6人来到某某新材料有限公司。") == [(Decimal(6), "区科协等一行")]


def test_a_page_with_no_title_line_states_its_first_sentence_numbers_once() -> None:
    text = (
        "6月3日，某某科普研究所副所长王某一行5人赴某某市开展基层科普工作专题调研，走访了8个村。\n\n"
        "调研组听取了市科协的工作汇报。\n"
    )
    (page,) = segment(Document("page.txt", text))
    found = extract(page, rules())
    assert page.title.startswith("6月3日")  # the title is the first sentence itself
    assert sorted((m.value, m.unit) for m in found.measures) == [(Decimal(5), "人"), (Decimal(8), "个")]
