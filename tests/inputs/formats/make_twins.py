"""Write the format fixtures: one small two-article bulletin in every input form castkg reads.

``plain.txt`` is laid out like a PDF extraction (blank line after every line, a
paragraph broken mid-number and mid-phrase, a signature split over two lines); its
twins hold the same bulletin as GBK bytes (``gbk.txt``), as UTF-8 with BOM and CRLF
(``bom_crlf.txt``), as a web page with navigation, header, footer, script and style
around two ``<article>`` elements (``page.html``), as Markdown (``page.md``), and as
one JSON Lines record per article (``corpus.jsonl``). Every twin must segment to the
same articles as ``plain.txt``.

The text is written for these tests (about real CAST activities of 2019, the 21st
CAST annual meeting and the national science popularisation day); it quotes no
bulletin. Run ``python make_twins.py`` to rewrite the files next to this script.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRAP = "|"
"""Where a paragraph is broken in the PDF-like layouts (plain text, Markdown)."""


@dataclass(frozen=True)
class Item:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Bulletin:
    title: str
    paragraphs: tuple[str, ...]
    items: tuple[Item, ...]
    signature: tuple[str, ...]
    """The signature lines as printed: the date goes at the end of the last one."""
    date: str


BULLETINS = (
    Bulletin(
        title="第二十一届中国科协年会在哈尔滨开幕",
        paragraphs=(
            "6月30日，第二十一届中国科协年会在黑龙江省哈尔滨市开幕。年会由中国科协和黑龙江省人民政府共同主办，"
            "来自全国学会、高校和企业的科技工作者参加开幕式。",
            "年会期间举办学术交流、科技成果对接和科普展览等活动，共设置1|20余场分会场活动，"
            "吸引科技工作者和公众广泛参与。",
            "中国科协有关负责同志表示，将以年会为平台，推动科技经济融合，服务地方高质量发展。",
        ),
        items=(),
        signature=("中国科协调研宣传部",),
        date="2019-07-01",
    ),
    Bulletin(
        title="2019年全国科普日活动精彩纷呈",
        paragraphs=(
            "9月，2019年全国科普日活动在全国各地举办。各级科协组织广泛动员，活动主要有以下三个方面。",
        ),
        items=(
            Item(
                "主场活动展示科技成就",
                ("主场活动在北京举办，集中展示新中国成立70周年来的重大科技成就，吸引公众|前来参观体验。",),
            ),
            Item("线上活动扩大覆盖面", ("各地依托“科普中国”平台开展线上科普活动，网民参与热情高涨。",)),
            Item(
                "基层活动服务群众",
                ("各地科协组织科技志愿者深入社区、乡村和学校，开展科普讲座和科学实验展示。",),
            ),
        ),
        signature=("中国科协科学技术普及部、", "信息中心"),
        date="2019-09-23",
    ),
)


# --- renderers --------------------------------------------------------------


def _pdf_lines(text: str) -> list[str]:
    return text.split(WRAP)


def plain_article(bulletin: Bulletin) -> str:
    """One article laid out like the PDF extraction of a CAST bulletin."""
    lines = [bulletin.title]
    for paragraph in bulletin.paragraphs:
        lines += _pdf_lines(paragraph)
    for rank, item in enumerate(bulletin.items, start=1):
        lines.append(f"{rank} {item.heading}")
        for paragraph in item.paragraphs:
            lines += _pdf_lines(paragraph)
    *names, last = bulletin.signature
    if names:
        lines += names
        lines.append(f"{last} [{bulletin.date}]")
    else:
        lines += [last, f"[{bulletin.date}]"]
    return "\n\n".join(lines)


def plain() -> str:
    return "\n\n" + "\n\n".join(plain_article(bulletin) for bulletin in BULLETINS) + "\n"


def markdown() -> str:
    parts = ["---", "title: 科协动态", "---", ""]
    for number, bulletin in enumerate(BULLETINS):
        if number:
            parts += ["---", ""]
        parts += [f"# {bulletin.title}", ""]
        for paragraph in bulletin.paragraphs:
            parts += [_markdown_inline(paragraph).replace(WRAP, "\n"), ""]
        for rank, item in enumerate(bulletin.items, start=1):
            parts += [f"{rank}. **{item.heading}**", ""]
            for paragraph in item.paragraphs:
                parts += ["   " + _markdown_inline(paragraph).replace(WRAP, "\n   "), ""]
        *names, last = bulletin.signature
        parts += [*names, f"*{last}* [{bulletin.date}]", ""]
    return "\n".join(parts)


def _markdown_inline(text: str) -> str:
    return text.replace("“科普中国”", "“[科普中国](https://www.kepuchina.cn/)”").replace(
        "学术交流", "**学术交流**"
    )


def html() -> str:
    articles = "\n".join(_html_article(bulletin) for bulletin in BULLETINS)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>科协动态 - 示例站点</title>
<style>body {{ font-family: sans-serif; }} .nav a {{ color: #333; }}</style>
<script>var tracker = "页面统计脚本"; document.title = "脚本改写的标题";</script>
</head>
<body>
<header class="site"><h1>示例站点</h1><p>站点口号：服务科技工作者</p></header>
<nav class="nav"><a href="/">首页</a> | <a href="/news">要闻</a> | <a href="/about">关于我们</a></nav>
<form action="/search"><input name="q"><button>搜索</button></form>
<main>
{articles}
</main>
<aside><h2>相关阅读</h2><ul><li><a href="/x">侧栏的推荐文章</a></li></ul></aside>
<footer class="site"><p>版权所有 示例站点</p></footer>
<script>console.log("页脚脚本");</script>
</body>
</html>
"""


def _html_article(bulletin: Bulletin) -> str:
    # A wrap in the HTML source is a line break inside a paragraph; between two
    # digits a browser would show a space, so the source keeps numbers whole.
    def paragraph(text: str) -> str:
        before, _, after = text.partition(WRAP)
        if after and not (before[-1].isdigit() and after[0].isdigit()):
            return f"<p>{before}\n      {after}</p>"
        return f"<p>{before}{after}</p>"

    body = [f"<header><h1>{bulletin.title}</h1></header>"]
    body += [paragraph(text) for text in bulletin.paragraphs]
    if bulletin.items:
        body.append("<ol>")
        for item in bulletin.items:
            inner = "".join(paragraph(text) for text in item.paragraphs)
            body.append(f"<li><strong>{item.heading}</strong>{inner}</li>")
        body.append("</ol>")
    *names, last = bulletin.signature
    signature = "<br>".join([*names, f"{last} [{bulletin.date}]"])
    body.append(f'<footer><p class="signature">{signature}</p></footer>')
    return "<article>\n  " + "\n  ".join(body) + "\n</article>"


def jsonl() -> str:
    records = [
        {"id": "a1", "text": plain_article(BULLETINS[0]), "date": "2019-06-30"},
        {"id": "a2", "text": plain_article(BULLETINS[1])},
    ]
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def twins() -> dict[str, bytes]:
    """Every fixture file name with its exact bytes."""
    text = plain()
    return {
        "plain.txt": text.encode("utf-8"),
        "gbk.txt": text.encode("gbk"),
        "bom_crlf.txt": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        "page.html": html().encode("utf-8"),
        "page.md": markdown().encode("utf-8"),
        "corpus.jsonl": jsonl().encode("utf-8"),
    }


def main() -> None:
    for name, data in twins().items():
        (HERE / name).write_bytes(data)
        print(f"wrote {HERE / name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
