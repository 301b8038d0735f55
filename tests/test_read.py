"""Stage 1, read: formats, encodings, sources and bad inputs (with the segmenter downstream)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from castkg import read
from castkg.errors import InputError
from castkg.model import Article, Document
from castkg.read import html_to_text, markdown_to_text, read_paths, shown
from castkg.segment import segment

INPUTS = Path(__file__).resolve().parent / "inputs"
FORMATS = INPUTS / "formats"
BAD = INPUTS / "bad"
TWINS = ["gbk.txt", "bom_crlf.txt", "page.html", "page.md"]


def _read(*paths: str | Path) -> tuple[list[Document], list[InputError]]:
    errors: list[InputError] = []
    documents = list(read_paths(paths, on_error=errors.append))
    return documents, errors


def _one(path: str | Path) -> Document:
    documents, errors = _read(path)
    assert errors == []
    assert len(documents) == 1
    return documents[0]


def _comparable(articles: list[Article]) -> list[Article]:
    return [dataclasses.replace(article, source="") for article in articles]


def _load(path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    name = f"castkg_fixture_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# --- the fixtures are what their generators write ---------------------------


@pytest.mark.parametrize(
    ("folder", "generator", "function"),
    [
        (FORMATS, "make_twins.py", "twins"),
        (BAD, "make_bad.py", "files"),
    ],
)
def test_fixtures_match_their_generator(
    folder: Path, generator: str, function: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = getattr(_load(folder / generator, monkeypatch), function)()
    for name, data in expected.items():
        assert (folder / name).read_bytes() == data, f"{name} is stale: run python {folder / generator}"


# --- formats ----------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_articles() -> list[Article]:
    return segment(_one(FORMATS / "plain.txt"))


def test_plain_bulletin_segments_as_written(plain_articles: list[Article]) -> None:
    assert [(a.title, a.date, a.publishers, len(a.items)) for a in plain_articles] == [
        ("第二十一届中国科协年会在哈尔滨开幕", dt.date(2019, 7, 1), ("中国科协调研宣传部",), 0),
        ("2019年全国科普日活动精彩纷呈", dt.date(2019, 9, 23), ("中国科协科学技术普及部", "信息中心"), 3),
    ]
    text = "".join(block.text for article in plain_articles for block in article.blocks)
    assert "120余场" in text and "公众前来" in text
    assert [block.item for block in plain_articles[1].blocks] == [None, 0, 1, 2]


@pytest.mark.parametrize("twin", TWINS)
def test_every_twin_segments_like_plain_text(twin: str, plain_articles: list[Article]) -> None:
    document = _one(FORMATS / twin)
    assert "\r" not in document.text and "\ufeff" not in document.text
    assert _comparable(segment(document)) == _comparable(plain_articles)


def test_jsonl_records_are_documents_of_their_own(plain_articles: list[Article]) -> None:
    documents, errors = _read(FORMATS / "corpus.jsonl")
    assert errors == []
    source = (FORMATS / "corpus.jsonl").as_posix()
    assert [(d.source, d.date) for d in documents] == [
        (f"{source}#a1", dt.date(2019, 6, 30)),
        (f"{source}#a2", None),
    ]
    articles = [article for document in documents for article in segment(document)]
    expected = [dataclasses.replace(article, index=1) for article in plain_articles]
    assert _comparable(articles) == _comparable(expected)
    assert articles[0].key == f"{source}#a1#1"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("plain.txt", "utf-8"),
        ("gbk.txt", "gb18030"),
        ("bom_crlf.txt", "utf-8-sig"),
    ],
)
def test_encodings_are_detected(name: str, encoding: str) -> None:
    assert _one(FORMATS / name).encoding == encoding


def test_html_keeps_the_article_only() -> None:
    text = _one(FORMATS / "page.html").text
    for furniture in (
        "示例站点",
        "首页",
        "搜索",
        "页面统计脚本",
        "页脚脚本",
        "font-family",
        "侧栏的推荐文章",
        "版权所有",
        "脚本改写的标题",
    ):
        assert furniture not in text
    assert text.startswith("第二十一届中国科协年会在哈尔滨开幕\n\n")
    assert "\n\n1 主场活动展示科技成就\n\n" in text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<html><head><title>网页标题</title></head><body><div><p>第一段\n文字。</p><p>第二段。</p></div></body></html>",
            "网页标题\n\n第一段文字。\n\n第二段。",
        ),
        (
            "<body><main><h2>小标题</h2><p>Hello\nworld.</p><ul><li>甲</li><li>乙</li></ul></main></body>",
            "小标题\n\nHello world.\n\n- 甲\n\n- 乙",
        ),
        (
            '<body><main><ol start="3"><li><p>第三</p><p>说明。</p></li><li>第四</li></ol></main></body>',
            "3 第三\n\n说明。\n\n4 第四",
        ),
        ("<body><main><p>第一行<br>第二行</p><!-- 注释 --></main></body>", "第一行\n\n第二行"),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (
            "## 标题 ##\n\n正文**加粗**和*强调*，见[链接](http://x.cn/a_(b))。",
            "标题\n\n正文加粗和强调，见链接。",
        ),
        ("- 甲\n* 乙\n1. 丙", "- 甲\n* 乙\n1. 丙"),
        ("> 引用\n\n![图](p.png)说明\n\n---\n\n`代码`", "引用\n\n说明\n\n\n\n代码"),
        ("标题\n===\n正文。", "标题\n\n正文。"),
    ],
)
def test_markdown_to_text(markdown: str, expected: str) -> None:
    assert markdown_to_text(markdown) == (expected, None)


def test_markdown_front_matter_gives_the_date() -> None:
    text = "---\ntitle: x\ndate: 2021-05-30\n---\n正文。"
    assert markdown_to_text(text) == ("正文。", dt.date(2021, 5, 30))


# --- sources and folders ----------------------------------------------------


def test_a_folder_is_read_recursively_in_sorted_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INPUTS.parent)
    documents, errors = _read("inputs/formats")
    assert errors == []
    assert [d.source for d in documents] == [
        "inputs/formats/bom_crlf.txt",
        "inputs/formats/corpus.jsonl#a1",
        "inputs/formats/corpus.jsonl#a2",
        "inputs/formats/gbk.txt",
        "inputs/formats/page.html",
        "inputs/formats/page.md",
        "inputs/formats/plain.txt",
    ]


def test_sources_stay_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FORMATS)
    assert _one("plain.txt").source == "plain.txt"
    assert _one(FORMATS / "plain.txt").source == (FORMATS / "plain.txt").as_posix()


def test_nested_folders_and_other_extensions(tmp_path: Path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "b" / "c" / "z.txt").write_text("标题\n\n正文。", encoding="utf-8")
    (tmp_path / "a.md").write_text("# 标题\n\n正文。", encoding="utf-8")
    (tmp_path / "notes.dat").write_text("不读。", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("不读。", encoding="utf-8")
    documents, errors = _read(tmp_path)
    assert errors == []
    assert [Path(d.source).relative_to(tmp_path).as_posix() for d in documents] == ["a.md", "b/c/z.txt"]
    assert _one(tmp_path / "notes.dat").text == "不读。"


# --- encodings --------------------------------------------------------------

ENCODED = {
    "utf-16-bom": ("utf-16", "中国科协召开常委会议。\n"),
    "big5": ("big5", "中國科協召開常委會議，會議強調加強學會建設與科學普及工作。\n" * 3),
    "gb18030-rare": ("gb18030", "中国科协召开常委会议。\U00020000\n"),
}


@pytest.mark.parametrize(("encoding", "text"), ENCODED.values(), ids=ENCODED.keys())
def test_other_encodings_decode(tmp_path: Path, encoding: str, text: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(text.encode(encoding))
    assert _one(path).text == text


def test_line_ends_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes("甲\r\n乙\r丙\n".encode())
    assert _one(path).text == "甲\n乙\n丙\n"


def test_characters_are_kept_as_written(tmp_path: Path) -> None:
    text = "\u3000\u3000全角：２０２１年，ＣＡＳＴ（中国科协）\n"
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    assert _one(path).text == text


# --- bad inputs -------------------------------------------------------------

BAD_FILES = {
    "empty.txt": "empty.txt: empty file, skipped",
    "binary.txt": "binary.txt: not text (binary content), skipped",
    "undecodable.txt": "undecodable.txt: cannot decode",
    "records.jsonl": "records.jsonl:2: not JSON",
}


@pytest.mark.parametrize(("name", "message"), BAD_FILES.items(), ids=BAD_FILES.keys())
def test_a_bad_file_gives_one_error_naming_it(name: str, message: str) -> None:
    documents, errors = _read(BAD / name, BAD / "good.txt")
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{BAD.as_posix()}/{message}")
    assert "\n" not in str(errors[0])
    assert documents[-1].source == (BAD / "good.txt").as_posix()


def test_a_bad_folder_reports_each_bad_file_and_reads_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(INPUTS)
    documents, errors = _read("bad", "missing.txt")
    assert [str(error).split(":")[0] for error in errors] == [
        "bad/binary.txt",
        "bad/empty.txt",
        "bad/records.jsonl",
        "bad/undecodable.txt",
        "missing.txt",
    ]
    assert str(errors[-1]) == "missing.txt: no such file or folder"
    assert all(isinstance(error, InputError) for error in errors)
    assert [d.source for d in documents] == ["bad/good.txt", "bad/records.jsonl#ok"]
    assert documents[1].date == dt.date(2019, 3, 15)
    assert [a.title for d in documents for a in segment(d)] == ["中国科协召开学会工作座谈会"] * 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "x"}', '"text" missing or empty'),
        ('{"text": "正文。"}', '"id" missing'),
        ('{"id": "x", "text": "正文。", "date": "2021/01/29"}', "is not YYYY-MM-DD"),
        ('{"id": "x", "text": "正文。", "date": "2021-02-30"}', "is not a real day"),
        ('["id", "text"]', "not a JSON object"),
        ('{"id": "a", "text": "重复的编号。"}', "duplicate id 'a'"),
    ],
)
def test_a_bad_jsonl_line_is_skipped_with_its_line_number(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "正文。"}\n\n' + line + "\n", encoding="utf-8")
    documents, errors = _read(path)
    assert [d.source for d in documents] == [f"{path.as_posix()}#a"]
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{path.as_posix()}:3: ") and message in str(errors[0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b" \n\t\r\n", "empty file, skipped"),
        ("\ufeff\n".encode(), "empty file, skipped"),
        (b"text\x01\x02\x03\x04\x05\x06\x07\x08 more", "not text (binary content), skipped"),
        (b"<html><body><nav>only navigation</nav></body></html>", "no article text found, skipped"),
    ],
)
def test_empty_and_binary_content(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / ("x.html" if content.startswith(b"<html") else "x.txt")
    path.write_bytes(content)
    documents, errors = _read(path)
    assert documents == []
    assert [str(error) for error in errors] == [f"{path.as_posix()}: {message}"]


def test_an_empty_folder_is_reported(tmp_path: Path) -> None:
    documents, errors = _read(tmp_path)
    assert documents == [] and len(errors) == 1 and str(tmp_path) in str(errors[0])


# --- odd bytes, names and shapes ----------------------------------------------


def test_nul_bytes_are_dropped_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    text = "中国科协召开常委会议，会议强调加强学会建设与科学普及工作。\n"
    path.write_bytes(text.replace("科协", "科\x00协").encode())
    assert _one(path).text == text


def test_utf16_without_a_byte_order_mark_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    text = "中国科协召开常委会议，会议强调加强学会建设与科学普及工作。\n" * 3
    path.write_bytes(text.encode("utf-16-le"))
    assert _one(path).text == text


def test_lone_surrogates_in_json_lines_become_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = '{"id": "a\\ud800", "text": "中国\\udfff科协召开会议。"}\r\n{"id": 2, "text": "正文。"}\r'
    path.write_bytes(lines.encode("utf-8"))
    documents, errors = _read(path)
    assert errors == []
    assert [(d.source, d.text) for d in documents] == [
        (f"{path.as_posix()}#a\ufffd", "中国\ufffd科协召开会议。"),
        (f"{path.as_posix()}#2", "正文。"),
    ]


def test_a_json_value_nested_too_deep_is_that_line_s_error(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "x", "text": "t", "n": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "ascii")
    documents, errors = _read(path)
    assert documents == []
    assert [str(e) for e in errors] == [
        f"{path.as_posix()}:1: JSON nested too deep; line skipped",
        f"{path.as_posix()}: no usable JSON Lines record, skipped",
    ]


def test_a_file_name_that_is_not_utf8_is_shown_with_escapes(tmp_path: Path) -> None:
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/bad\xff\n.txt"))
    path.write_text("标题\n\n正文。", encoding="utf-8")
    assert shown(path) == f"{tmp_path.as_posix()}/bad\\xff\\x0a.txt"
    assert _one(path).source == shown(path)
    assert _one(tmp_path).source == shown(path)


def test_pipes_and_link_loops_are_reported_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")
    (tmp_path / "sub" / "ok.txt").write_text("标题\n\n正文。", encoding="utf-8")
    documents, errors = _read(tmp_path, tmp_path / "pipe.txt", tmp_path / "loop.txt")
    assert [Path(d.source).name for d in documents] == ["ok.txt"]
    assert [str(e).removeprefix(tmp_path.as_posix()) for e in errors] == [
        "/loop.txt: cannot read (Too many levels of symbolic links), skipped",
        "/pipe.txt: not a regular file (a pipe, socket or device), skipped",
        "/pipe.txt: not a regular file (a pipe, socket or device), skipped",
        "/loop.txt: a broken or looping symbolic link, skipped",
    ]


def test_any_failure_while_reading_a_file_is_that_file_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.html").write_text("<p>坏</p>", encoding="utf-8")
    (tmp_path / "b.txt").write_text("标题\n\n正文。", encoding="utf-8")

    def broken(html: str) -> str:  # stands in for a bug in the HTML reader
        raise ValueError("boom")

    monkeypatch.setattr(read, "html_to_text", broken)
    documents, errors = _read(tmp_path)
    assert [Path(d.source).name for d in documents] == ["b.txt"]
    assert [str(e).removeprefix(tmp_path.as_posix()) for e in errors] == [
        "/a.html: reading failed (ValueError: boom); skipped, rerun with --debug for the traceback and "
        "please report it"
    ]
    with pytest.raises(ValueError, match="boom"):
        list(read_paths([tmp_path], on_error=errors.append, strict=True))


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>" + "<b>" * 500 + "深层" + "</b>" * 500 + "</p>", "深层"),
        ("<main>" + "<ul><li>" * 1_000 + "深层" + "</li></ul>" * 1_000 + "</main>", "- 深层"),
        ('<main><ol start="7">' + "<li>甲</li>" * 3 + "</ol></main>", "7 甲\n\n8 甲\n\n9 甲"),
    ],
)
def test_html_of_any_depth_is_walked(html: str, expected: str) -> None:
    assert html_to_text(html).endswith(expected)


@pytest.mark.parametrize(
    "line", ["*a " * 30_000, "_a " * 30_000, "**a " * 30_000, "[" * 30_000, "![" * 30_000, "[a](" * 30_000]
)
def test_markdown_inline_patterns_stop_at_the_next_delimiter(line: str) -> None:
    """Each of these lines took seconds to minutes with patterns that searched to the line's end."""
    assert markdown_to_text(line)[0].strip()
