"""Stage 2, segment: the seed bulletin and small cases of each layout rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from castkg.errors import InputError
from castkg.limits import MAX_ARTICLE_CHARS, MAX_SENTENCE_CHARS
from castkg.model import Article, Block, Dateline, Document, ListItem
from castkg.segment import parse_date, segment

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_49d197ff665d3f42.txt"


def _segment(text: str, date: dt.date | None = None) -> list[Article]:
    return segment(Document(source="case.txt", text=text, date=date))


def _only(text: str, date: dt.date | None = None) -> Article:
    articles = _segment(text, date)
    assert len(articles) == 1, [article.title for article in articles]
    return articles[0]


# --- the seed bulletin ------------------------------------------------------


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    if not SEED.is_file():
        pytest.skip(f"seed bulletin not found at {SEED}")
    return segment(Document(source="seed.txt", text=SEED.read_text(encoding="utf-8")))


def test_seed_has_two_articles_with_titles_dates_and_publishers(seed_articles: list[Article]) -> None:
    assert [(a.index, a.title, a.date, a.publishers) for a in seed_articles] == [
        (
            1,
            "中国科协党组传达学习近期中央有关重要会议和指示精神",
            dt.date(2021, 1, 29),
            ("中国科协调研宣传部",),
        ),
        (2, "“2020年度科协十大事件”揭晓", dt.date(2021, 2, 1), ("中国科协调研宣传部", "信息中心")),
    ]


def test_seed_second_article_has_the_ten_events(seed_articles: list[Article]) -> None:
    items = seed_articles[1].items
    assert [item.rank for item in items] == list(range(1, 11))
    assert items[0].heading == "贯彻习近平总书记重要回信精神,产学研融合服务高质量发展"
    assert items[2].heading == "应急科普服务抗疫主战场"
    assert items[9].heading == "第22届中国科协年会彰显“一体两翼”组织赋能优势"
    assert not seed_articles[0].items


def test_seed_blocks_belong_to_their_items(seed_articles: list[Article]) -> None:
    blocks = seed_articles[1].blocks
    assert blocks[0].item is None and blocks[0].text.startswith("2020年,中国科协")
    assert [block.item for block in blocks[1:]] == list(range(10))
    assert blocks[3].text.startswith("新冠疫情暴发以来")
    assert [block.item for block in seed_articles[0].blocks] == [None] * 4


@pytest.mark.parametrize(
    "repaired",
    [
        "袁隆平",
        "应急科普响应机制",
        "中国-瑞典",
        "平衡",
        "“怎么看”“怎么办”",
        "“最美科技工作者”品牌",
        "改革开放 创新引领",
    ],
)
def test_seed_wraps_are_repaired(seed_articles: list[Article], repaired: str) -> None:
    text = "".join(block.text for article in seed_articles for block in article.blocks)
    assert repaired in text


def test_seed_blocks_have_no_line_breaks_or_signature(seed_articles: list[Article]) -> None:
    for article in seed_articles:
        for block in article.blocks:
            assert "\n" not in block.text and "\r" not in block.text
            assert "2021-0" not in block.text
            assert block.text != "中国科协调研宣传部"
            assert block.text == block.text.strip()


# --- ranked lists -----------------------------------------------------------

LIST_FORMS = {
    "arabic-space": ("1 ", "2 ", "3 "),
    "arabic-dot": ("1.", "2.", "3."),
    "arabic-fullwidth-dot": ("1．", "2．", "3．"),
    "arabic-comma": ("1、", "2、", "3、"),
    "arabic-paren": ("（1）", "（2）", "(3)"),
    "chinese": ("一、", "二、", "三、"),
    "chinese-paren": ("（一）", "（二）", "（三）"),
    "circled": ("①", "②", "③"),
    "markdown-bullet": ("- ", "- ", "- "),
    "star-bullet": ("* ", "* ", "* "),
}


@pytest.mark.parametrize("markers", LIST_FORMS.values(), ids=LIST_FORMS.keys())
def test_ranked_list_forms(markers: tuple[str, str, str]) -> None:
    headings = ("举办科普讲座", "开展青少年科技营", "发布科普资源包")
    lines = ["科普工作三项举措", "", "今年以来，各地科协推出多项举措。", ""]
    for marker, heading in zip(markers, headings, strict=True):
        lines += [f"{marker}{heading}", "", f"{heading}的具体情况如下。", ""]
    lines += ["中国科协科学技术普及部", "[2021-03-01]"]
    article = _only("\n".join(lines))
    assert article.items == tuple(ListItem(rank, heading) for rank, heading in enumerate(headings, 1))
    assert article.blocks == (
        Block("今年以来，各地科协推出多项举措。", None),
        *(Block(f"{heading}的具体情况如下。", index) for index, heading in enumerate(headings)),
    )
    assert article.publishers == ("中国科协科学技术普及部",)


@pytest.mark.parametrize(
    "line",
    [
        "2020年，全国科普日活动覆盖各省区市。",
        "3500余个学会参与群防群治。",
        "1.5万名科技工作者参与。",
        "10 个学会联合发起倡议。",
        "3 500余个学会参与。",
        "2 万名志愿者参与。",
        "8月10日至15日举办年会。",
    ],
)
def test_a_number_at_line_start_is_not_an_item(line: str) -> None:
    text = f"年度工作回顾\n\n1 首项工作\n\n首项的情况。\n\n2 次项工作\n\n{line}\n\n次项的情况。"
    article = _only(text)
    assert [item.heading for item in article.items] == ["首项工作", "次项工作"]
    assert Block(line, 1) in article.blocks


def test_an_item_heading_may_start_with_a_year() -> None:
    headings = ["首项工作", "2021世界机器人大会在北京举办", "2021年全国科普日"]
    text = "标题" + "".join(f"\n\n{rank} {heading}\n\n9月举办。" for rank, heading in enumerate(headings, 1))
    assert [item.heading for item in _only(text).items] == headings


def test_a_lone_number_one_is_not_a_list() -> None:
    article = _only("标题\n\n开头一段。\n\n1 这一行只是正文\n\n接着的内容。")
    assert article.items == ()
    assert article.blocks == (Block("开头一段。"), Block("1 这一行只是正文接着的内容。"))


def test_the_longest_run_is_the_list() -> None:
    text = (
        "标题\n\n一、总体情况\n\n1.第一\n\n内容一。\n\n2.第二\n\n内容二。\n\n3.第三\n\n内容三。\n\n二、下一步"
    )
    article = _only(text)
    assert [item.heading for item in article.items] == ["第一", "第二", "第三"]


def test_an_item_line_with_a_sentence_and_more_is_cut_after_its_first_sentence() -> None:
    text = "标题\n\n一、加强组织领导。各地科协要明确\n\n分工。\n\n二、强化宣传。做好报道。"
    article = _only(text)
    assert article.items == (ListItem(1, "加强组织领导"), ListItem(2, "强化宣传"))
    assert article.blocks == (Block("各地科协要明确分工。", 0), Block("做好报道。", 1))


# --- wraps ------------------------------------------------------------------

WRAPS = {
    "mid-number": ("全国3\n\n500余个学会参与。", "全国3500余个学会参与。"),
    "mid-name": ("总书记给袁\n\n隆平等回信。", "总书记给袁隆平等回信。"),
    "quote-across-blank": ("回答了“怎么看”\n\n“怎么办”等问题。", "回答了“怎么看”“怎么办”等问题。"),
    "latin-words": ("期刊Cell\nResearch影响因子提升。", "期刊Cell Research影响因子提升。"),
    "latin-hyphen": ("新冠病毒肺炎(COVID-\n19)知识系统上线。", "新冠病毒肺炎(COVID-19)知识系统上线。"),
    "no-blank-lines": ("第一段。\n第二段没有\n结束。", "第一段。|第二段没有结束。"),
    "fullwidth-indent": ("\u3000\u3000第一段。\n\u3000\u3000第二段。", "第一段。|第二段。"),
    "lead-in-colon": ("会议指出：\n要持续推进。", "会议指出：|要持续推进。"),
    "closing-quote": ("他说：“今天开会。”\n下一段。", "他说：“今天开会。”|下一段。"),
    "crlf": ("第一段没有\r\n结束。\r\n第二段。", "第一段没有结束。|第二段。"),
    "cr": ("第一段没有\r结束。\r第二段。", "第一段没有结束。|第二段。"),
}


@pytest.mark.parametrize(("body", "expected"), WRAPS.values(), ids=WRAPS.keys())
def test_wraps_are_joined(body: str, expected: str) -> None:
    article = _only(f"标题\n\n{body}\n\n中国科协调研宣传部\n\n[2021-01-29]")
    assert "|".join(block.text for block in article.blocks) == expected
    assert article.title == "标题"


def test_a_title_stays_a_line_of_its_own() -> None:
    article = _only("中国科协召开常委会议\n会议强调要加强\n\n组织建设。")
    assert article.title == "中国科协召开常委会议"
    assert article.blocks == (Block("会议强调要加强组织建设。"),)


def test_without_a_title_line_the_first_sentence_is_the_title() -> None:
    article = _only("中国科协召开常委会议。会议强调要加强组织建设。")
    assert article.title == "中国科协召开常委会议"
    assert article.blocks == (Block("中国科协召开常委会议。会议强调要加强组织建设。"),)


def test_a_date_inside_prose_does_not_end_the_article() -> None:
    article = _only("标题\n\n年会定于2021年3月1日\n\n在京召开。\n\n中国科协办公厅\n\n2021年2月1日")
    assert article.blocks == (Block("年会定于2021年3月1日在京召开。"),)
    assert article.date == dt.date(2021, 2, 1)


# --- signatures and several articles ----------------------------------------

SIGNATURES = {
    "brackets": ("中国科协调研宣传部\n[2021-01-29]", ("中国科协调研宣传部",), dt.date(2021, 1, 29)),
    "fullwidth-brackets": (
        "中国科协调研宣传部\n［２０２１－０１－２９］",
        ("中国科协调研宣传部",),
        dt.date(2021, 1, 29),
    ),
    "lenticular": ("中国科协办公厅【2021-01-29】", ("中国科协办公厅",), dt.date(2021, 1, 29)),
    "split-two-lines": (
        "中国科协调研宣传部、\n信息中心 [2021-02-01]",
        ("中国科协调研宣传部", "信息中心"),
        dt.date(2021, 2, 1),
    ),
    "chinese-date": ("中国科协办公厅\n2021年1月29日", ("中国科协办公厅",), dt.date(2021, 1, 29)),
    "chinese-date-parens": ("中国科协办公厅\n（2021年1月29日）", ("中国科协办公厅",), dt.date(2021, 1, 29)),
    "bare-iso": ("中国科协办公厅 2021-01-29", ("中国科协办公厅",), dt.date(2021, 1, 29)),
    "comma-separated": (
        "中国科协调研宣传部，信息中心\n[2021-01-29]",
        ("中国科协调研宣传部", "信息中心"),
        dt.date(2021, 1, 29),
    ),
    "labels": (
        "来源：中国科协调研宣传部  发布时间：2021-01-29 10:30",
        ("中国科协调研宣传部",),
        dt.date(2021, 1, 29),
    ),
    "label-lines": ("来源：中国科协\n发布日期：2021年1月29日", ("中国科协",), dt.date(2021, 1, 29)),
}


@pytest.mark.parametrize(("signature", "publishers", "date"), SIGNATURES.values(), ids=SIGNATURES.keys())
def test_signature_forms(signature: str, publishers: tuple[str, ...], date: dt.date | None) -> None:
    text = f"第一篇标题\n\n第一篇正文。\n\n{signature}\n\n（责任编辑：张三）\n\n第二篇标题\n\n第二篇正文。"
    first, second = _segment(text, date=dt.date(2020, 12, 31))
    assert (first.title, first.publishers, first.date) == ("第一篇标题", publishers, date)
    assert first.blocks == (Block("第一篇正文。"),)
    assert (second.index, second.title, second.blocks) == (2, "第二篇标题", (Block("第二篇正文。"),))
    assert second.date == dt.date(2020, 12, 31) and second.publishers == ()


def test_department_lines_at_the_end_sign_an_article_without_date() -> None:
    article = _only("标题\n\n正文。\n\n中国科协调研宣传部、\n\n信息中心", date=dt.date(2021, 6, 1))
    assert (article.publishers, article.date) == (("中国科协调研宣传部", "信息中心"), dt.date(2021, 6, 1))
    assert article.blocks == (Block("正文。"),)


def test_a_broken_last_line_is_not_a_signature() -> None:
    article = _only("标题\n\n第一段。\n\n最后一句被截断在\n\n这里\n\n[2021-01-29]")
    assert (article.publishers, article.date) == ((), dt.date(2021, 1, 29))
    assert article.blocks == (Block("第一段。"), Block("最后一句被截断在这里"))


def test_a_meta_line_below_the_title_is_the_header() -> None:
    text = "中国科协召开常委会议\n来源：中国科协办公厅 发布时间：2021-03-05\n会议强调要加强组织建设。"
    article = _only(text)
    assert (article.title, article.publishers, article.date) == (
        "中国科协召开常委会议",
        ("中国科协办公厅",),
        dt.date(2021, 3, 5),
    )
    assert article.blocks == (Block("会议强调要加强组织建设。"),)


def test_three_articles_in_one_file() -> None:
    parts = [
        f"标题{n}\n\n正文{n}第一段。\n\n正文{n}第二段。\n\n中国科协办公厅\n\n[2021-01-0{n}]"
        for n in (1, 2, 3)
    ]
    articles = _segment("\n\n".join(parts) + "\n\n（责任编辑：李四）\n")
    assert [(a.index, a.title, a.date, len(a.blocks)) for a in articles] == [
        (n, f"标题{n}", dt.date(2021, 1, n), 2) for n in (1, 2, 3)
    ]
    assert {article.source for article in articles} == {"case.txt"}
    assert [article.key for article in articles] == ["case.txt#1", "case.txt#2", "case.txt#3"]


def test_no_signature_gives_one_article_dated_by_the_document() -> None:
    article = _only("标题\n\n只有正文。\n\n没有署名。", date=dt.date(2021, 6, 1))
    assert (article.title, article.date, article.publishers) == ("标题", dt.date(2021, 6, 1), ())
    assert article.blocks == (Block("只有正文。"), Block("没有署名。"))


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\u3000\n"])
def test_no_text_gives_no_articles(text: str) -> None:
    assert _segment(text) == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2021-01-29", dt.date(2021, 1, 29)),
        ("2021/1/9", dt.date(2021, 1, 9)),
        ("２０２１年１月２９日", dt.date(2021, 1, 29)),
        ("2021-02-30", None),
        ("1月29日", None),
    ],
)
def test_parse_date(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


def test_an_item_heading_may_start_with_a_count_when_it_goes_on_the_list() -> None:
    # "2 19场专题论坛…" is item 2 of a run; the same line could not open a list, and a sentence
    # ending in 。 after a number ("3 500余个学会参与。") stays body text (see above)
    headings = ["主论坛聚焦前沿", "19场专题论坛覆盖科技前沿", "科普活动惠及公众"]
    numbered = enumerate(headings, 1)
    text = "年会三大亮点" + "".join(f"\n\n{rank} {heading}\n\n情况如下。" for rank, heading in numbered)
    assert [item.heading for item in _only(text).items] == headings
    assert _only("标题\n\n2 19场专题论坛覆盖科技前沿\n\n情况如下。").items == ()


# --- the size caps ------------------------------------------------------------


def _capped(text: str) -> tuple[Article, list[str]]:
    said: list[InputError] = []
    (article,) = segment(Document(source="case.txt", text=text), on_error=said.append)
    return article, [str(error) for error in said]


def test_an_article_over_the_cap_is_cut_and_reported_once() -> None:
    article, said = _capped("标题\n\n" + "中国科协召开会议。\n" * 20_000)
    assert sum(len(block.text) for block in article.blocks) == MAX_ARTICLE_CHARS
    assert said == [
        "case.txt#1: 180,000 characters, more than the 100,000 read per article: the rest is skipped "
        "(split the input into articles)"
    ]


def test_a_run_without_a_sentence_end_is_cut_after_a_list_comma() -> None:
    names = "、".join(["中国化学会"] * 1_000)
    article, said = _capped(f"名单\n\n{names}参加会议。")
    assert "".join(block.text for block in article.blocks) == f"{names}参加会议。"
    assert len(article.blocks) > 1 and all(len(block.text) <= MAX_SENTENCE_CHARS for block in article.blocks)
    assert all(block.text.endswith("、") for block in article.blocks[:-1])  # no name is cut in two
    assert len(said) == 1 and "without a sentence end cut 3 time(s)" in said[0]


def test_a_run_with_no_break_at_all_is_cut_at_the_cap() -> None:
    article, _ = _capped("标题\n\n" + "科" * 5_000)
    assert [len(block.text) for block in article.blocks] == [2_000, 2_000, 1_000]


def test_an_item_heading_over_the_cap_is_cut() -> None:
    article, said = _capped("清单\n\n1 " + "科" * 3_000 + "\n\n2 第二项\n\n正文。")
    assert [len(item.heading) for item in article.items] == [2_000, 3]
    assert article.blocks[0].text == "科" * 1_000 and article.blocks[0].item == 0
    assert len(said) == 1


def test_text_within_the_caps_is_not_reported() -> None:
    _, said = _capped("标题\n\n" + "中国科协召开会议，" * 200 + "。")
    assert said == []


# --- web pages (issue 8): furniture, bylines, datelines ----------------------


def test_a_pages_title_is_the_line_above_its_byline() -> None:
    text = (
        "欢迎访问某某科协网站\n科协概况 | 新闻动态 | 学会工作 | 科学普及 | 联系我们\n"
        "当前位置：首页 > 新闻动态\n某县科协召开科普工作会议\n"
        "时间：2023-05-22 09:15  来源：某县科协  浏览次数：268\n5月20日，某县科协召开科普工作会议。"
    )
    article = _only(text)
    assert (article.title, article.date, article.publishers) == (
        "某县科协召开科普工作会议",
        dt.date(2023, 5, 22),
        ("某县科协",),
    )
    assert article.blocks == (Block("5月20日，某县科协召开科普工作会议。"),)


def test_a_date_in_chinese_with_a_short_tag_is_a_byline() -> None:
    text = (
        "回顾本报往期报纸 及 即时发布之资讯\n\n某基金会与某市科协商谈合作\n\n2017年7月18日    即时资讯\n\n"
        "【本报讯】某市科协副主席一行到访某基金会，双方就科普合作交换意见。"
    )
    article = _only(text)
    assert (article.title, article.date) == ("某基金会与某市科协商谈合作", dt.date(2017, 7, 18))
    shown = _only(  # the day a site shows its reader, with its weekday, is no byline
        "某某财经网\n\n2024年11月03日 星期天\n\n专家建议设立省级科普研究所\n\n"
        "发布时间：2015-10-12 09:29:58  来源：某某日报\n\n日前，某省科协召开智慧沙龙，专家提出建议。"
    )
    assert (shown.title, shown.date) == ("专家建议设立省级科普研究所", dt.date(2015, 10, 12))
    prose = _only("标题\n\n2017年7月18日上午，某市科协召开常委会议，审议年度工作报告。")
    assert prose.date is None and prose.blocks == (
        Block("2017年7月18日上午，某市科协召开常委会议，审议年度工作报告。"),
    )


def test_a_website_or_paper_named_as_source_signs_nothing() -> None:
    for source in ("人民网", "本网", "科技日报", "新华社"):
        article = _only(f"标题\n2023-05-22 09:15:00 来源：{source}\n正文第一句话有二十个字以上所以是正文。")
        assert (article.date, article.publishers) == (dt.date(2023, 5, 22), ()), source


def test_a_related_list_ends_the_page() -> None:
    text = (
        "标题\n会议强调，要持续提升公民科学素质，推动科普工作高质量发展。\n"
        "相关阅读\n北京市科协召开会议\n上海市科协开展活动"
    )
    article = _only(text)
    assert article.blocks == (Block("会议强调，要持续提升公民科学素质，推动科普工作高质量发展。"),)


def test_furniture_lines_are_dropped_wherever_they_are() -> None:
    text = (
        "标题\n分享到：微信 微博\n会议强调，要持续提升公民科学素质，推动科普工作高质量发展。\n"
        "责任编辑：王芳\n【打印正文】【关闭窗口】\n地址：人民路8号  电话：0906-1234567\n"
        "版权所有 某市科学技术协会\n某ICP备12345678号"
    )
    assert _only(text).blocks == (Block("会议强调，要持续提升公民科学素质，推动科普工作高质量发展。"),)


def test_a_caption_credit_between_two_sentences_is_cut_out() -> None:
    text = "标题\n论坛在长沙开幕，市长致辞。 湘江网 记者 林一鸣 摄开幕式后，代表们参观了展览。"
    assert _only(text).blocks == (Block("论坛在长沙开幕，市长致辞。开幕式后，代表们参观了展览。"),)


def test_a_name_and_a_date_alone_are_a_byline() -> None:
    paragraph = "6月3日，县科协组织科技志愿者开展科普宣传活动。"
    for line in ("林一鸣 2024-06-05", "2024-06-05 09:30 林一鸣"):
        article = _only(f"标题\n\n{line}\n\n{paragraph}")
        assert (article.blocks, article.publishers) == ((Block(paragraph),), ()), line
    signed = _only(f"标题\n\n{paragraph}\n\n中国科协 2024-06-05")  # a body's is its signature
    assert signed.publishers == ("中国科协",)


def test_a_lead_excerpt_is_dropped_and_not_glued_to_the_paragraph() -> None:
    paragraph = "5月9日上午，市科协召开学会工作座谈会，十余家学会负责人参加。"
    text = f"标题\n[导读]5月9日上午，市科协召开学会工作座谈会，十余家\n{paragraph}"
    assert _only(text).blocks == (Block(paragraph),)


def test_a_menu_of_every_province_is_dropped() -> None:
    text = "北京天津河北山西内蒙古辽宁吉林黑龙江上海江苏浙江安徽福建\n标题\n会议要求各地做好科普工作。"
    article = _only(text)
    assert (article.title, article.blocks) == ("标题", (Block("会议要求各地做好科普工作。"),))


def test_a_run_of_short_phrases_injected_into_a_mirror_is_dropped() -> None:
    injected = "甲乙视频免费看,丙丁在线观看,戊己精品一区,庚辛高清无码,壬癸免费播放,子丑在线看"
    paragraph = "5月20日，县科协在中心小学开展科普进校园活动，两百余名学生参加。"
    article = _only(f"{injected}\n县科协科普进校园\n{paragraph}")
    assert (article.title, article.blocks) == ("县科协科普进校园", (Block(paragraph),))
    listed = "会议强调，要抓好科普基地、科技馆、科普大篷车、科普中国信息员、科技志愿者"
    assert _only(f"标题\n{listed}").blocks == (Block(listed),)  # a sentence's commas and 、 are no farm


def test_a_page_printed_twice_is_read_once() -> None:
    paragraph = "5月30日是全国科技工作者日，当天，区科协召开座谈会。"
    article = _only(f"标题\n{paragraph}\n会上交流了经验。\n{paragraph}\n会上交流了经验。")
    assert article.blocks == (Block(paragraph), Block("会上交流了经验。"), Block("会上交流了经验。"))


def test_a_caption_repeating_the_title_is_dropped_with_its_credit() -> None:
    text = (
        "科协会史馆揭牌开馆\n科协会史馆揭牌开馆。人民网 孙一凡摄\n今天下午，科协会史馆揭牌仪式在市科协举行。"
    )
    assert _only(text).blocks == (Block("今天下午，科协会史馆揭牌仪式在市科协举行。"),)


def test_a_dateline_gives_place_and_day_and_leaves_the_text() -> None:
    text = (
        "标题\n发布时间：2022-09-17 08:30\n新华社成都9月16日电（记者 李文 王静）全国科普工作推进会16日开幕。"
    )
    article = _only(text)
    assert article.dateline == Dateline("成都", dt.date(2022, 9, 16), "新华社", (9, 16))
    assert article.reference_date == dt.date(2022, 9, 16)
    assert article.blocks == (Block("全国科普工作推进会16日开幕。"),)


def test_a_datelines_day_after_the_pages_date_is_of_the_year_before() -> None:
    article = _only("标题\n2023-01-02 08:30:00\n本报北京12月31日电 全国科普工作会议召开。")
    # 本报: no agency named
    assert article.dateline == Dateline("北京", dt.date(2022, 12, 31), None, (12, 31))


def test_a_dateline_without_a_year_keeps_its_place_and_day() -> None:
    article = _only("东北网双鸭山9月17日讯 昨天上午8时，科技馆正式开馆。")
    assert article.dateline == Dateline("双鸭山", None, "东北网", (9, 17))
    assert article.blocks == (Block("昨天上午8时，科技馆正式开馆。"),)


def test_a_closing_dateline_and_credits_are_cut() -> None:
    text = (
        "标题\n2017-12-06 15:44:09\n海南省科协发起行动计划。(新华社海口12月6日电 记者刘邓)\n"
        "论坛设分会场。(记者 李珂)"
    )
    article = _only(text)
    assert article.dateline == Dateline("海口", dt.date(2017, 12, 6), "新华社", (12, 6))
    assert article.blocks == (Block("海南省科协发起行动计划。"), Block("论坛设分会场。"))


def test_a_last_line_naming_a_body_and_a_person_signs_the_article() -> None:
    article = _only("标题\n全县开展科普活动，参与群众100余人次。\n新和县科协 张梦歌 供稿")
    assert (article.publishers, article.blocks) == (
        ("新和县科协",),
        (Block("全县开展科普活动，参与群众100余人次。"),),
    )
    article = _only("标题\n全县开展科普活动，参与群众100余人次。\n奉化区科协 陈振豪")
    assert article.publishers == ("奉化区科协",)


def test_a_traditional_byline_with_pinyin_reads_the_same() -> None:
    text = (
        "全國青少年科技創意大賽落幕\n- 發(fā)布時(shí)間:2015-12-16 01:31:29 來源:科技日報 責任編輯:羅伯特\n"
        "正文有二十個字以上所以這是一段正文內容。"
    )
    article = _only(text)
    assert (article.title, article.date, article.publishers) == (
        "全國青少年科技創意大賽落幕",
        dt.date(2015, 12, 16),
        (),
    )


def test_html_tags_and_copy_noise_leaked_into_text_are_dropped() -> None:
    text = (
        '<p align="center"><img src="a.jpg" /></p>\n标题\n<p> 会议强调要做好科普工作。</p>\n'
        "5 [5 j1 g$ l9 W' J3 Q"
    )
    article = _only(text)
    assert (article.title, article.blocks) == ("标题", (Block("会议强调要做好科普工作。"),))
