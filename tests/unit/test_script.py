"""The matching form of a text and its offset map back to the text as written (castkg/script.py)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from castkg.script import (
    HAN_RUN,
    INVISIBLE,
    LOOKALIKE_DOTS,
    LOOKALIKE_MARKS,
    arabic_years,
    curly_quotes,
    is_traditional,
    normalise,
    sentence_is_traditional,
    simplified,
    written_form,
)

# --- what the normaliser does ---------------------------------------------------------------------


def test_traditional_text_reads_as_simplified_and_remembers_how_it_was_written() -> None:
    source = normalise("中國科協(xié)召開會(huì)議", simplify=True)
    assert source.text == "中国科协召开会议"
    assert source.written == "中國科協召開會議"
    assert source.original_span(2, 4) == (2, 4)  # 科协 ← 科協, the gloss after it left out
    assert source.original_span(3, 5) == (3, 10)  # 协召 ← 協(xié)召, the gloss between them in


def test_a_sentence_knows_where_a_mention_was_written() -> None:
    from castkg.extract.text import split_sentences
    from castkg.model import Article, Block

    article = Article("x", 1, "標題", (Block("近日，新和縣科協(xié)召開會議。"),))
    sentence = split_sentences(article)[1]
    start = sentence.text.index("新和县科协")
    a, b = sentence.original_span(start, start + 5)
    assert sentence.original[a:b] == "新和縣科協"
    assert sentence.original_span(start, start + 6) == (a, b + 6)  # 协召 spans the gloss (xié)


def test_pinyin_glosses_go_but_other_brackets_stay() -> None:
    assert normalise("學(xué)會 (huì )與協(xie2)會").text == "學會與協會"
    assert normalise("世界工程组织联合会(WFEO)").text == "世界工程组织联合会(WFEO)"
    assert normalise("新華社北京9月7日電(記者白國龍)").text == "新華社北京9月7日電(記者白國龍)"
    assert normalise("面积(km2)").text == "面积(km2)"
    assert normalise("A(xié)").text == "A(xié)"  # a gloss follows a CJK character


def test_whitespace_invisibles_and_full_width_forms() -> None:
    assert normalise("中 国\u3000科协 CAST  news ，").text == "中国科协CAST news,"
    assert normalise("中\u200b国\u200d科\u2060协\u202e召\u2066开").text == "中国科协召开"
    source = normalise("①２３ｋｍ")
    assert source.text == "123km"
    assert source.starts == (0, 1, 2, 3, 4)


def test_an_expansion_gives_several_characters_one_span() -> None:
    source = normalise("第\ufdfa次")  # U+FDFA expands to 18 characters
    assert len(source.text) == 20
    assert set(source.starts[1:19]) == {1} and set(source.ends[1:19]) == {2}
    assert source.original_span(1, 19) == (1, 2)


def test_a_combining_mark_joins_its_base_character() -> None:
    source = normalise("cafe\u0301 中心")
    assert source.text == "café中心"
    assert source.original_span(3, 4) == (3, 5)


def test_a_run_of_combining_marks_costs_linear_time() -> None:
    source = normalise("a" + "\u0301" * 50_000)
    assert source.ends[-1] == 50_001


def test_simplified_text_is_not_taken_for_traditional() -> None:
    for text in ("吉林省乾安县科协举办报告会", "於建华研究员作了显著成果的报告", "著名科学家乾隆年间"):
        assert not is_traditional(text), text
        assert not sentence_is_traditional(text), text
    assert is_traditional("中國科學技術協會召開會議")
    assert sentence_is_traditional("中國科學技術協會召開會議")
    assert not sentence_is_traditional("於是")  # too short to tell


def test_conversion_keeps_length_even_where_a_phrase_would_not() -> None:
    def lengthening(text: str) -> str:  # a converter whose phrase for 甲乙 has three characters
        return text.replace("甲乙", "丙丙丙").replace("甲", "丁")

    assert simplified("甲乙，甲", lengthening) == "丁乙，丁"
    assert simplified("中國", None) == "中国"


def test_the_written_form_of_a_fragment() -> None:
    source = normalise("台灣科學館與科學館", simplify=True)
    assert source.text == "台湾科学馆与科学馆"
    assert written_form(source, source.text, "科学馆", near=6) == "科學館"
    assert written_form(source, source.text, "与", near=0) == "與"
    assert written_form(source, source.text, "台", near=0) is None  # written as it reads
    assert written_form(normalise("中国科协"), "中国科协", "中国科协") is None


# --- the offset map, for any text -----------------------------------------------------------------

PIECES = [
    "中國",
    "科協",
    "协会",
    "(xié)",
    "(huì )",
    "(WFEO)",
    "(記者)",
    "（chuàng）",
    " ",
    "\u3000",
    "\n\t",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\u0301",
    "e",
    "ｋｍ",
    "①",
    "\ufdfa",
    "、",
    "“",
    "”",
    "2023年",
    "乾",
    "於",
    "著",
    "發展",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40).map("".join)
GLOSS_CHARS = set("()（）") | set("abcdefghijklmnopqrstuvwxyzü12345ABCDEFGHIJKLMNOPQRSTUVWXYZ")
GLOSS_CHARS |= set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.booleans(), st.data())
@example("中國科協(xié)召開會(huì)議", True, None)
@example("二〇二三年9∶00", False, None)
@example("“千名院士•千场科普”行动", False, None)
def test_every_normalised_character_maps_back_in_order(
    original: str, simplify: bool, data: st.DataObject | None
) -> None:
    source = normalise(original, simplify=simplify)
    n = len(source.text)
    assert len(source.written) == len(source.starts) == len(source.ends) == n
    if not simplify:  # read as written, but for one-for-one marks, years and quotes (9∶00, 二〇二三年, "某")
        assert source.text == curly_quotes(arabic_years(source.written).translate(LOOKALIKE_MARKS))
    for i in range(n):
        start, end = source.starts[i], source.ends[i]
        assert 0 <= start < end <= len(original)
        unit = unicodedata.normalize("NFKC", INVISIBLE.sub("", original[start:end]))
        if source.written[i] == " ":  # a run of whitespace, or a space NFKC made
            assert unit.isspace() or " " in unit
        elif source.written[i] == "\u00b7" and unit in LOOKALIKE_DOTS:  # 千名院士•千场科普: a middle dot
            assert HAN_RUN.match(source.written[i - 1]) and HAN_RUN.match(source.written[i + 1])
        else:  # the character came from its unit
            assert source.written[i] in unit
        if i:  # in order: one unit after the other, or the same unit again
            same = (start, end) == (source.starts[i - 1], source.ends[i - 1])
            assert same or source.ends[i - 1] <= start
    covered = {k for s, e in zip(source.starts, source.ends, strict=True) for k in range(s, e)}
    for k, char in enumerate(original):  # what was dropped is space, invisible, a gloss or a stray comma
        if k not in covered:
            stray = unicodedata.normalize("NFKC", char) == "," and _stray_comma_at(original, k)
            assert char.isspace() or INVISIBLE.match(char) or char in GLOSS_CHARS or stray, (k, char)
    if n and data is not None:
        s = data.draw(st.integers(0, n - 1))
        e = data.draw(st.integers(s + 1, n))
        a, b = source.original_span(s, e)
        # the span covers exactly the units of text[s:e]: each of them lies inside it, and the
        # unit of any character outside text[s:e] lies outside it (or is a boundary's own unit)
        for i in range(s, e):
            assert a <= source.starts[i] and source.ends[i] <= b
        for i in [*range(0, s), *range(e, n)]:
            own = (source.starts[i], source.ends[i]) in {
                (source.starts[s], source.ends[s]),
                (source.starts[e - 1], source.ends[e - 1]),
            }
            assert own or source.ends[i] <= a or source.starts[i] >= b


def _stray_comma_at(text: str, k: int) -> bool:
    """Is the comma at ``k`` a mirror's stray one, glued before another mark (A,、B; 主办,,武汉)?"""
    rest = unicodedata.normalize("NFKC", INVISIBLE.sub("", text[k + 1 :]))
    return re.match(r"[,、。;:!?]", rest) is not None


def _reference(text: str) -> str:
    """The matching form as it was before the offset map (NFKC of the whole text, a lookalike mark
    read as the one it stands for, a mirror's stray comma before another mark dropped, then spaces,
    then straight quotes curled)."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text)).translate(LOOKALIKE_MARKS)
    text = re.sub(r",(?=[,、。;:!?])", "", text)

    def space(run: re.Match[str]) -> str:
        start, end = run.span()
        near = re.compile(r"[\u3400-\u9fff“”‘’《》（）()、,]")
        return "" if (start and near.match(text, start - 1)) or near.match(text, end) else " "

    return curly_quotes(re.sub(r"\s+", space, text).strip())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT.filter(lambda t: "(" not in unicodedata.normalize("NFKC", t)))
def test_without_glosses_the_text_is_the_nfkc_form_of_the_whole(original: str) -> None:
    assert normalise(original).text == _reference(original)


def test_straight_quotes_around_chinese_words_read_as_curly_ones_at_the_same_offsets() -> None:
    published = '由省科协主办的基层科协 " 三长 " 培训班, 代号 "A1" 不变'
    read = normalise(published)
    assert read.text == '由省科协主办的基层科协“三长”培训班,代号"A1"不变'
    opening = read.text.index("“")
    assert published[read.starts[opening] : read.ends[opening]] == '"'
    assert curly_quotes('"甲"和"乙"') == "“甲”和“乙”"
    assert curly_quotes('一个"引号') == '一个"引号'  # no pair, no change


def test_a_comma_glued_before_another_mark_goes_so_lists_stay_lists() -> None:
    published = "王大明(wáng),、李小红,、张三出席,。"
    read = normalise(published, simplify=False)
    assert read.text == "王大明、李小红、张三出席。"
    assert published[read.starts[3] : read.ends[3]] == "、"  # offsets still point into the text as published


def test_a_dot_typed_between_chinese_words_reads_as_the_middle_dot() -> None:
    assert normalise("“千名院士•千场科普”行动").text == "“千名院士·千场科普”行动"
    assert normalise("千名院士・千场科普").text == "千名院士·千场科普"
    assert normalise("评论\n• 热心网友").text.count("•") == 1  # a bullet opening a line stays
    assert normalise("A•B").text == "A•B"  # not between Chinese words
