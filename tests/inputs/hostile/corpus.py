"""The hostile corpus: every bad input, odd shape and attack castkg is tested against, written
on demand (nothing large is stored in the repository).

Each :class:`Case` writes its input under a folder and says what castkg must do with it:

- ``built``: an article from it is in the graph (and, when ``entity`` is set, that entity
  is found in it: the name survives whatever was done to it);
- ``cut``: built, and one line on stderr naming it says what the size caps cut;
- ``skipped``: one line on stderr naming it says why, and nothing of it is in the graph;
- ``ignored``: nothing of it is in the graph and no line names it (hidden files).

The same table, with what castkg answers, is ``docs/robustness.md``; tests/test_hostile.py
keeps both true. ``python tests/inputs/hostile/corpus.py DIR`` writes the corpus into DIR to
try by hand (``castkg build DIR/* -o out``).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BODY = "中国化学会在北京召开学术年会，会议交流了学科发展经验。"
"""One sentence naming a body from the gazetteer (中国化学会), so a test can see it was found."""
ENTITY = "中国化学会"


def bulletin(title: str, body: str = BODY) -> str:
    """A short one-article bulletin: title, body, signature, date."""
    return f"{title}\n\n{body}\n\n中国科协学会服务中心\n\n[2021-05-30]\n"


@dataclass(frozen=True)
class Case:
    """One hostile input: how to write it, what castkg must do, and the words that say why."""

    name: str
    what: str
    """The input, in a few words (the first column of docs/robustness.md)."""
    outcome: str
    """built, cut, skipped or ignored (see the module docstring)."""
    write: Callable[[Path], Path]
    """Writes the input under the given folder; returns the path to give ``castkg build``."""
    says: str = ""
    """For cut and skipped: words the stderr line naming the input must hold."""
    source: str | None = None
    """For built and cut: the ``ckg:sourceFile`` of its article, relative to the folder (else the
    written path); a JSON Lines record's article has its file as source."""
    entity: str | None = None
    """For built and cut: a name that must be found in its article."""
    given: bool = True
    """Whether the path is given to ``castkg build`` (False: it lies inside another case's input)."""


def _file(name: str | bytes, content: str | bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        data = content.encode("utf-8") if isinstance(content, str) else content
        if isinstance(name, bytes):  # a name that is not UTF-8: through the bytes API
            path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
        else:
            path = folder / name
        path.write_bytes(data)
        return path

    return write


def _jsonl(name: str, *lines: str) -> Callable[[Path], Path]:
    return _file(name, "".join(line + "\n" for line in lines))


def _record(record_id: object, text: str) -> str:
    return json.dumps({"id": record_id, "text": text})  # ASCII escapes: \ud800 stays an escape


def _link(name: str, target: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        (folder / name).symlink_to(target)
        return folder / name

    return write


def _inside(*parts: str) -> Callable[[Path], Path]:
    return lambda folder: folder.joinpath(*parts)


def _fifo(name: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        os.mkfifo(path)
        return path

    return write


def _walk_folder(folder: Path) -> Path:
    """A folder that loops back on itself, with a pipe, broken and looping links, a hidden file."""
    root = folder / "walk"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "ok.txt").write_text(bulletin("目录中的正常简报"), encoding="utf-8")
    (root / "sub" / "up").symlink_to("..")  # a loop: followed, the walk would never end
    (root / "self.txt").symlink_to("self.txt")
    (root / "broken.txt").symlink_to("nowhere.txt")
    os.mkfifo(root / "pipe.txt")
    (root / ".hidden.txt").write_text(bulletin("隐藏文件"), encoding="utf-8")
    (root / "folder.txt").mkdir()  # a folder with a text file's name
    return root


def _html(body: str) -> str:
    return f"<html><head><title>网页</title></head><body><main>{body}</main></body></html>"


def _nested(open_tag: str, close_tag: str, depth: int, inner: str) -> str:
    return open_tag * depth + inner + close_tag * depth


_DEEP_JSON = '{"id": "deep", "text": "x", "nest": ' + "[" * 100_000 + "]" * 100_000 + "}"
_NO_END = "，".join(f"第{number}项工作取得进展" for number in range(3_000))
"""About 30,000 characters with commas but no sentence end."""
_NO_PUNCTUATION = "科学技术普及工作持续推进" * 1_000
_LONG_LINE = BODY + "科学技术普及工作持续推进，" * 60_000
"""About 2.3 MB of text on one line (each clause ends with a comma: extraction costs little, so the
test stays short; the 50 MB case is in tests/test_hostile.py)."""

CASES: tuple[Case, ...] = (
    # --- files that are not bulletins ----------------------------------------------------
    Case("empty", "empty file", "skipped", _file("empty.txt", b""), says="empty file"),
    Case(
        "whitespace", "only spaces and line breaks", "skipped", _file("blank.txt", " \n\t\r\n"), says="empty"
    ),
    Case(
        "binary",
        "binary (a PNG under a .txt name)",
        "skipped",
        _file("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(32)) * 4),
        says="not text (binary content)",
    ),
    Case(
        "all_nul",
        "4 KiB of NUL bytes",
        "skipped",
        _file("zeros.txt", b"\x00" * 4096),
        says="not text (binary content)",
    ),
    Case(
        "undecodable",
        "bytes in no Chinese or Unicode encoding",
        "skipped",
        _file("undecodable.txt", b"report \xff\xfe\xff data \xff\xff end\n" * 3),
        says="cannot decode",
    ),
    Case(
        "title_only",
        "a title and a date, no body",
        "skipped",
        _file("title_only.txt", "只有标题\n\n[2021-05-30]\n"),
        says="no body text",
    ),
    Case("missing", "a path that does not exist", "skipped", _inside("missing.txt"), says="no such"),
    Case("fifo", "a named pipe given as input", "skipped", _fifo("pipe.txt"), says="not a regular file"),
    Case(
        "loop_link",
        "a symbolic link to itself given as input",
        "skipped",
        _link("loop.txt", "loop.txt"),
        says="looping symbolic link",
    ),
    # --- a folder that fights back (its good file must still be built) ------------------
    Case(
        "walk",
        "a folder with a link back to itself, a pipe, broken and looping links, a hidden file",
        "built",
        _walk_folder,
        source="walk/sub/ok.txt",
    ),
    Case(
        "walk_pipe",
        "a named pipe inside a folder",
        "skipped",
        _inside("walk", "pipe.txt"),
        says="not a regular file",
        given=False,
    ),
    Case(
        "walk_broken",
        "a broken link inside a folder",
        "skipped",
        _inside("walk", "broken.txt"),
        says="No such file",
        given=False,
    ),
    Case(
        "walk_self",
        "a looping link inside a folder",
        "skipped",
        _inside("walk", "self.txt"),
        says="Too many levels of symbolic links",
        given=False,
    ),
    Case(
        "walk_hidden",
        "a hidden file inside a folder",
        "ignored",
        _inside("walk", ".hidden.txt"),
        given=False,
    ),
    # --- odd bytes and characters inside a bulletin ---------------------------------------
    Case(
        "nul_inside",
        "NUL bytes inside a name",
        "built",
        _file("nul.txt", bulletin("含空字符的简报", BODY.replace("化学", "化\x00学\x00"))),
        entity=ENTITY,
    ),
    Case(
        "control_chars",
        "a few other control characters (escape, bell, delete)",
        "built",
        _file("controls.txt", bulletin("含控制字符的简报", "\x1b[31m" + BODY + "\x07\x7f")),
        entity=ENTITY,
    ),
    Case(
        "zero_width",
        "zero-width space, joiners, word joiner, BOM and soft hyphen inside a name",
        "built",
        _file(
            "zero_width.txt",
            bulletin(
                "零宽字符", BODY.replace("中国化学会", "中\u200b国\u200c化\u200d学\u2060会\ufeff\u00ad")
            ),
        ),
        entity=ENTITY,
    ),
    Case(
        "bidi",
        "bidi overrides and isolates inside a name",
        "built",
        _file(
            "bidi.txt",
            bulletin("双向控制符", BODY.replace("中国化学会", "中国\u202e化学\u202c\u2066会\u2069")),
        ),
        entity=ENTITY,
    ),
    Case(
        "surrogate",
        "a lone surrogate (\\ud800) in a JSON Lines record's id and text",
        "built",
        _jsonl("surrogate.jsonl", _record("a\ud800", bulletin("孤立代理项\udfff", BODY))),
        source="surrogate.jsonl#a\ufffd",
        entity=ENTITY,
    ),
    Case(
        "utf16_no_bom",
        "UTF-16 without a byte-order mark",
        "built",
        _file("utf16.txt", bulletin("无字节序标记的UTF-16简报").encode("utf-16-le")),
        entity=ENTITY,
    ),
    Case(
        "nfkc_expansion",
        "2,000 characters that NFKC expands eighteenfold (U+FDFA)",
        "cut",
        _file("expanding.txt", bulletin("兼容字符", "\ufdfa" * 2_000 + "。" + BODY)),
        says="without a sentence end",
        entity=ENTITY,
    ),
    # --- markup and attacks -----------------------------------------------------------------
    Case(
        "xss_text",
        "script tags, event handlers and javascript: URLs in the text",
        "built",
        _file(
            "xss.txt",
            bulletin(
                "<script>alert(1)</script>“<img src=x onerror=alert(2)>”平台上线",
                BODY + '详见<a href="javascript:alert(3)">链接</a>。\'"><svg onload=alert(4)>',
            ),
        ),
        entity=ENTITY,
    ),
    Case(
        "xss_html",
        "an HTML page full of scripts, handlers and iframes",
        "built",
        _file(
            "xss.html",
            _html(
                "<h1 onclick=alert(1)>网页攻击测试</h1><script>alert(2)</script><iframe src=x></iframe>"
                f"<p onmouseover=alert(3)>{BODY}</p><style>*{{}}</style><img src=x onerror=alert(4)>"
            ),
        ),
        entity=ENTITY,
    ),
    Case(
        "markup_name",
        "a file named <img src=x onerror=alert(1)>.txt",
        "built",
        _file("<img src=x onerror=alert(1)>.txt", bulletin("文件名里的标记")),
    ),
    Case(
        "traversal_name",
        "a file named ..\\..\\evil.txt",
        "built",
        _file("..\\..\\evil.txt", bulletin("文件名里的上级目录")),
    ),
    Case(
        "bytes_name",
        "a file name that is not UTF-8 (bytes 0xFF 0xFE)",
        "built",
        _file(b"bad\xff\xfe.txt", bulletin("文件名不是UTF-8")),
        source="bad\\xff\\xfe.txt",
    ),
    Case(
        "newline_name",
        "a file name with a line break and a tab",
        "built",
        _file("line\nbreak\t.txt", bulletin("文件名里有换行")),
        source="line\\x0abreak\\x09.txt",
    ),
    Case(
        "traversal_ids",
        "JSON Lines ids ../../etc/passwd, <script>, a#b c and 2**100",
        "built",
        _jsonl(
            "ids.jsonl",
            _record("../../etc/passwd", bulletin("编号一")),
            _record("<script>alert(1)</script>", bulletin("编号二")),
            _record("a#b c", bulletin("编号三")),
            _record(2**100, bulletin("编号四")),
        ),
        source="ids.jsonl#../../etc/passwd",
        entity=ENTITY,
    ),
    # --- deep and wide structures -------------------------------------------------------------
    Case(
        "deep_inline",
        "500 nested inline HTML tags",
        "built",
        _file("deep_inline.html", _html("<h1>深层标签</h1><p>" + _nested("<b>", "</b>", 500, BODY) + "</p>")),
        entity=ENTITY,
    ),
    Case(
        "deep_list",
        "a list 1,000 levels deep",
        "built",
        _file("deep_list.html", _html("<h1>深层列表</h1>" + _nested("<ul><li>", "</li></ul>", 1_000, BODY))),
        entity=ENTITY,
    ),
    Case(
        "deep_divs",
        "5,000 nested <div>",
        "built",
        _file("deep_divs.html", _html("<h1>深层嵌套</h1>" + _nested("<div>", "</div>", 5_000, BODY))),
        entity=ENTITY,
    ),
    Case(
        "wide_list",
        "an <ol> of 10,000 items (numbered in one pass)",
        "built",
        _file("wide_list.html", _html(f"<h1>长列表</h1><p>{BODY}</p><ol>" + "<li></li>" * 10_000 + "</ol>")),
        entity=ENTITY,
    ),
    Case(
        "many_paragraphs",
        "10,000 paragraphs in one <div>, no <main> (measured in one pass)",
        "built",
        _file(
            "paragraphs.html",
            f"<html><body><h1>多段落</h1><div><p>{BODY}</p>" + "<p> </p>" * 10_000 + "</div></body></html>",
        ),
        entity=ENTITY,
    ),
    Case(
        "deep_json",
        "a JSON value nested 100,000 deep (next to a good record)",
        "built",
        _jsonl("deep.jsonl", _DEEP_JSON, _record("ok", bulletin("正常记录"))),
        source="deep.jsonl#ok",
        entity=ENTITY,
    ),
    Case(
        "deep_json_line",
        "the line of that deep JSON value",
        "skipped",
        _inside("deep.jsonl"),
        says="deep.jsonl:1: JSON nested too deep",
        given=False,
    ),
    Case(
        "huge_number",
        "a JSON Lines id of 5,000 digits",
        "skipped",
        _jsonl("huge_number.jsonl", '{"id": ' + "7" * 5_000 + ', "text": "正文。"}'),
        says="huge_number.jsonl:1:",
    ),
    # --- pathological sizes and shapes --------------------------------------------------------
    Case(
        "long_line",
        "2.3 MB on one line",
        "cut",
        _file("long_line.txt", _LONG_LINE),
        says="more than the 100,000 read per article",
        entity=ENTITY,
    ),
    Case(
        "no_sentence_end",
        "30,000 characters with commas and no sentence end",
        "cut",
        _file("no_end.txt", bulletin("没有句号", BODY + _NO_END)),
        says="without a sentence end",
        entity=ENTITY,
    ),
    Case(
        "no_punctuation",
        "12,000 characters with no punctuation or space at all",
        "cut",
        _file("no_punctuation.txt", bulletin("没有标点", BODY + _NO_PUNCTUATION)),
        says="without a sentence end",
        entity=ENTITY,
    ),
    Case(
        "wrapped_no_end",
        "50,000 short lines and no sentence end (PDF-style wraps)",
        "cut",
        _file("wrapped.txt", bulletin("断行很多", BODY + "\n".join(["科普工作"] * 50_000))),
        says="more than the 100,000 read per article",
        entity=ENTITY,
    ),
    Case(
        "many_dates",
        "20,000 date lines after a title",
        "skipped",
        _file("dates.txt", "标题\n" + "[2021-05-30]\n" * 20_000),
        says="no body text",
    ),
    Case(
        "markdown_emphasis",
        "a Markdown line of 100,000 unclosed emphasis marks (*a *a …)",
        "cut",
        _file("emphasis.md", "# 强调标记\n\n" + BODY + "\n\n" + "*a " * 100_000 + "\n"),
        says="more than the 100,000 read per article",
        entity=ENTITY,
    ),
    Case(
        "markdown_brackets",
        "Markdown lines of 100,000 [ and 30,000 unclosed links [a](",
        "cut",
        _file(
            "brackets.md", "# 方括号\n\n" + BODY + "\n\n" + "[" * 100_000 + "\n\n" + "[a](" * 30_000 + "\n"
        ),
        says="more than the 100,000 read per article",
        entity=ENTITY,
    ),
)


def write_corpus(folder: Path) -> dict[str, Path]:
    """Write every case under ``folder`` (in order: some lie inside others); returns each case's
    path, by case name."""
    return {case.name: case.write(folder) for case in CASES}


def names(count: int) -> str:
    """``count`` body names from the gazetteer joined by 、 (the coordination stress case)."""
    bodies = ("中国化学会", "中国物理学会", "中国数学会", "中国声学学会", "中国天文学会", "中国气象学会")
    return "、".join(bodies[number % len(bodies)] for number in range(count))


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    target.mkdir(parents=True, exist_ok=True)
    for name, path in write_corpus(target).items():
        print(f"{name}: {path}")
