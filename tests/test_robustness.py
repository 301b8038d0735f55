"""Property tests: no text, however odd, makes segmentation or extraction raise.

Real bulletins are messy (broken wraps, stray numbers, half a quote, markup left in); a
crash would lose a whole corpus build, so the extractor must take anything.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from castkg.extract import extract
from castkg.model import Document
from castkg.rules import load_rules
from castkg.segment import segment

RULES = load_rules()

# pieces that trigger the rules: names, suffixes, verbs, numbers, dates, quotes, list marks
PIECES = [
    "中国科协",
    "召开",
    "举办",
    "主持",
    "在",
    "北京",
    "山东省",
    "第22届",
    "年会",
    "学会",
    "论坛",
    "计划",
    "“",
    "”",
    "《",
    "》",
    "1月29日",
    "8月10—15日",
    "至",
    "3",
    "500余个",
    "1.4万",
    "近",
    "超",
    "%",
    "由",
    "、",
    "和",
    "主办",
    "党组书记",
    "怀进鹏",
    "·",
    "\n",
    "\n\n",
    "1 ",
    "一、",
    "（一）",
    "[2021-01-29]",
    "。",
    ",",
    "，",
    "科协“十大”",
    "平台",
    "发布",
    "科普中国",
    "当天",
    "开幕",
    "闭幕",
    "<script>",
    " ",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_segments_and_extracts(text: str) -> None:
    for article in segment(Document(source="fuzz.txt", text=text)):
        extraction = extract(article, RULES)
        for mention in extraction.mentions:
            assert 0 <= mention.start <= mention.end
        for measure in extraction.measures:
            assert measure.counts


def test_a_failing_article_is_reported_and_the_others_are_kept(tmp_path, monkeypatch) -> None:
    import castkg.pipeline as pipeline

    good = tmp_path / "good.txt"
    good.write_text(
        "中国科协召开年会\n\n1月29日,中国科协在北京召开第22届中国科协年会。\n\n中国科协办公厅\n\n[2021-01-30]\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.txt"
    bad.write_text("会议报道\n\n这一篇会让抽取出错。\n", encoding="utf-8")
    real_extract = pipeline.extract

    def flaky(article, rules):  # stands in for a bug in some rule, on one article only
        if "出错" in "".join(b.text for b in article.blocks):
            raise ValueError("boom")
        return real_extract(article, rules)

    monkeypatch.setattr(pipeline, "extract", flaky)
    problems = []
    dataset = pipeline.build([good, bad], on_input_error=problems.append)
    titles = {
        str(o) for _, _, o, _ in dataset.quads((None, None, None, None)) if str(o) == "中国科协召开年会"
    }
    assert titles == {"中国科协召开年会"}
    assert len(problems) == 1 and "bad.txt#1" in str(problems[0]) and "ValueError" in str(problems[0])
