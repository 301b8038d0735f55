"""Seeded generator of synthetic CAST-style bulletins for the benchmarks (not a test input).

    python benchmarks/corpus.py --articles 10000 --seed 1 --out /work/bench-corpora/a10000 [--per-file 5]

Writes UTF-8 ``.txt`` files of ``--per-file`` articles each (1,000 files per sub-folder) and a
``corpus.json`` manifest. Each article (~5 KB) has a title, body paragraphs and a signature
(department lines and ``[YYYY-MM-DD]``), and mixes what the extractor meets in real bulletins:
yearless and full dates and date ranges, ranked lists (``1 …``, ``一、…``, ``（一）…``), PDF-style
broken line wraps inside names and numbers, counted numbers (万/亿, 余/近/超), names drawn from
``ontology/gazetteer`` (loaded with :func:`castkg.rules.load_rules`) and unseen names made from
patterns (X省Y学会, 第N届…论坛, …计划, people, companies). The sentences are the generator's own.

Article ``i`` is drawn from its own generator seeded by ``(seed, i)``, so the same seed gives a
byte-identical corpus, a smaller corpus is a prefix of a larger one with the same seed and
``--per-file``, and files can be written by several processes (``--workers``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
GENERATOR_VERSION = 1
"""Raise when the output for a given seed changes, so cached corpora are made again."""
FILES_PER_FOLDER = 1000
MANIFEST = "corpus.json"

# --- word pools of our own (unseen names are made from these) ---------------------------

DISCIPLINES = (
    "植物保护", "作物", "土壤肥料", "园艺", "水产", "畜牧兽医", "林学", "气象", "地理", "测绘地理信息",
    "计算机", "自动化", "电子", "通信", "机械工程", "汽车工程", "航空", "造船工程", "材料研究", "金属",
    "化工", "环境科学", "生态", "营养", "药学", "中西医结合", "康复医学", "科普作家", "科学技术史",
    "青少年科技教育", "城市规划", "水利", "电机工程", "岩石力学", "食品科学技术", "农业工程", "茶叶",
    "蚕学", "微生物", "心理", "统计", "建筑", "图学", "振动工程", "粮油", "纺织工程",
)  # fmt: skip
TOPICS = (
    "智能制造", "生物医药", "数字经济", "绿色低碳", "海洋科技", "现代农业", "新材料", "集成电路",
    "人工智能", "科学传播", "科技创新", "新能源", "智慧城市", "乡村振兴科技", "青年科学家", "工程教育",
    "卫星应用", "大数据", "生态保护", "先进计算", "种业创新", "健康科普", "应急科普", "低空经济",
)  # fmt: skip
PROGRAM_WORDS = (
    "青年英才", "科技领军人才", "基层科普", "科技小院", "企业科技特派员", "乡村科技带头人", "学会能力提升",
    "创新人才培育", "科普资源共享", "产学研协同", "卓越工程师", "科技志愿服务", "银龄专家", "科学教育提质",
)  # fmt: skip
COMPANY_WORDS = (
    "华瑞", "启明", "远航", "博识", "新域", "恒信", "致远", "青禾", "星辰", "睿智", "天工", "云帆", "汇川",
    "中拓", "鼎新", "立方", "海纳", "慧源", "同创", "万象",
)  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力志永春晓东海峰晨宇欣嘉怡鹏飞宁凯浩然思远"  # noqa: E501
)
POSTS = (
    "党组书记", "党组书记、常务副主席", "副主席", "书记处书记", "秘书长", "理事长", "副理事长", "院长",
    "党委书记", "主任", "副主任", "首席科学家", "部长", "副部长", "所长", "校长",
)  # fmt: skip
HONOURS = ("院士", "教授", "研究员")
UNITS = ("名", "人", "个", "场", "项", "家", "所", "次", "篇", "件")
COUNTED_NOUNS = {
    "名": ("代表", "专家学者", "科技工作者", "青少年", "志愿者", "会员"),
    "人": ("嘉宾", "观众", "学员"),
    "个": ("会员单位", "科普基地", "创新平台", "服务站", "项目"),
    "场": ("科普活动", "学术报告", "专题讲座", "对接活动"),
    "项": ("科技成果", "合作协议", "标准"),
    "家": ("企业", "高校和科研院所", "合作机构"),
    "所": ("中小学", "高校"),
    "次": ("线上访问", "浏览", "参与"),
    "篇": ("学术论文", "科普文章"),
    "件": ("展品", "作品"),
}
RANK_STYLES = ("arabic-space", "arabic-dot", "chinese", "chinese-paren")
CHINESE_DIGITS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Pools:
    """Names drawn from the gazetteer, each pool sorted so that draws do not depend on load order."""

    cast_units: tuple[str, ...]
    orgs: tuple[str, ...]
    provinces: tuple[tuple[str, str], ...]
    """(short, full) names of provinces with a suffixed full name: (河北, 河北省)."""
    cities: tuple[tuple[str, str, tuple[str, str]], ...]
    """(short, full, its province) names of cities: (保定, 保定市, (河北, 河北省))."""
    people: tuple[str, ...]
    platforms: tuple[str, ...]
    initiatives: tuple[str, ...]
    awards: tuple[str, ...]
    series: tuple[str, ...]
    publications: tuple[str, ...]


def load_pools() -> Pools:
    """The gazetteer's names by kind, via :func:`castkg.rules.load_rules`."""
    from castkg.rules import load_rules

    entries = sorted(load_rules().gazetteer.values(), key=lambda e: e.id)

    def labels(cls: str, keep: Callable[[object], bool] = lambda e: True) -> tuple[str, ...]:
        return tuple(
            e.label
            for e in entries
            if e.cls == cls and keep(e) and not e.quoted_only and not e.label.isascii()
        )

    by_id = {e.id: e for e in entries}
    provinces = tuple(
        (e.label, e.aliases[0])
        for e in entries
        if e.cls == "Place"
        and e.within == "china"
        and e.aliases
        and e.aliases[0].startswith(e.label)
        and e.aliases[0][len(e.label) :] in ("省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区")
    )
    province_of = {pair[0]: pair for pair in provinces}
    cities = tuple(
        (e.label, e.aliases[0] if e.aliases else e.label, province_of[by_id[e.within].label])
        for e in entries
        if e.cls == "Place" and e.within in by_id and by_id[e.within].label in province_of and e.aliases
    )
    return Pools(
        cast_units=tuple(
            e.label
            for e in entries
            if e.part_of == "cast" and e.label[-1] in "部厅心社所院" and len(e.label) <= 16
        ),
        orgs=labels("Organization", lambda e: e.part_of != "cast"),
        provinces=provinces,
        cities=cities,
        people=labels("Person", lambda e: "·" not in e.label),
        platforms=labels("Platform"),
        initiatives=labels("Initiative"),
        awards=labels("Award"),
        series=labels("Event", lambda e: e.series),
        publications=labels("Publication"),
    )


# --- one article -------------------------------------------------------------------------


class Article:
    """The state of one article being written: its random source, date, actors and paragraphs."""

    def __init__(self, pools: Pools, rng: random.Random) -> None:
        self.p, self.r = pools, rng
        self.random = rng.random  # random() and the two helpers below: 3x faster than choice/randint
        self.year = self.num(2018, 2024)
        self.month, self.day = self.num(1, 12), self.num(1, 28)
        self.city, self.city_full, (self.province, self.province_full) = self.pick(pools.cities)
        self.host = self.pick(
            ("中国科协", "中国科学技术协会", f"{self.province_full}科协", self.pick(pools.orgs))
        )
        self.society = f"{self.province_full}{self.pick(DISCIPLINES)}学会"
        self.leader = self.person()
        self.break_chance = self.pick((0.0, 0.15, 0.3))
        self.wrap_width = self.pick((0, 0, 0, 34, 38, 42))  # a PDF extraction wraps at a fixed width

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def num(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    # names
    def person(self) -> str:
        if self.random() < 0.35:
            return self.pick(self.p.people)
        given = "".join(self.pick(GIVEN) for _ in range(self.pick((1, 2, 2))))
        return self.pick(SURNAMES) + given

    def org(self) -> str:
        pick = self.random()
        if pick < 0.45:
            return self.pick(self.p.orgs)
        if pick < 0.6:
            return self.pick(self.p.cast_units)
        if pick < 0.75:
            return f"{self.pick(self.p.provinces)[1]}{self.pick(DISCIPLINES)}学会"
        if pick < 0.88:
            return f"{self.pick(self.p.cities)[1]}科协"
        return f"{self.pick(self.p.cities)[0]}{self.pick(COMPANY_WORDS)}科技有限公司"

    def forum(self) -> str:
        place = self.pick((self.province, self.city, "长三角", "粤港澳大湾区", "东北"))
        return f"第{self.cn(self.num(2, 15))}届{place}{self.pick(TOPICS)}论坛"

    def programme(self) -> str:
        if self.random() < 0.5:
            return self.pick(self.p.initiatives)
        return f"{self.pick((self.province, self.city, ''))}{self.pick(PROGRAM_WORDS)}计划"

    def edition(self) -> str:
        series = self.pick(self.p.series)
        if self.random() < 0.6:
            return f"{self.year}年{series}"
        return f"第{self.num(2, 30)}届{series}"

    def post(self) -> str:
        who = self.person()
        if self.random() < 0.3:
            return f"{who}{self.pick(HONOURS)}"
        return f"{self.org()}{self.pick(POSTS)}{who}"

    # numbers and dates
    def cn(self, n: int) -> str:
        if n <= 10:
            return CHINESE_DIGITS[n]
        if n < 20:
            return "十" + (CHINESE_DIGITS[n - 10] if n > 10 else "")
        return CHINESE_DIGITS[n // 10] + "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")

    def count(self) -> tuple[str, str]:
        """A counted number and its noun: (近3万名, 科技工作者)."""
        unit = self.pick(UNITS)
        noun = self.pick(COUNTED_NOUNS[unit])
        form = self.random()
        if form < 0.3:
            number = f"{self.num(1, 99)}{self.pick(('', '.5', '.2'))}万"
        elif form < 0.4:
            number, unit = f"{self.num(1, 30)}亿", "次"
            noun = self.pick(COUNTED_NOUNS[unit])
        else:
            number = str(self.num(12, 9800))
        qualifier = self.random()
        if qualifier < 0.25:
            return f"{number}余{unit}", noun
        if qualifier < 0.4:
            return f"近{number}{unit}", noun
        if qualifier < 0.55:
            return f"超{number}{unit}", noun
        if qualifier < 0.65:
            return f"超过{number}{unit}", noun
        return f"{number}{unit}", noun

    def date(self, full: bool | None = None) -> str:
        month, day = self.month, self.day
        if full is None:
            full = self.random() < 0.35
        return f"{self.year}年{month}月{day}日" if full else f"{month}月{day}日"

    def span(self) -> str:
        end = min(self.day + self.num(1, 4), 30)
        return self.pick(
            (
                f"{self.month}月{self.day}日至{end}日",
                f"{self.month}月{self.day}—{end}日",
                f"{self.month}月{self.day}日",
            )
        )

    def broken(self, text: str) -> str:
        """``text`` with, sometimes, a PDF line break inside it (a name or a number)."""
        if len(text) < 3 or self.random() >= self.break_chance:
            return text
        cut = self.num(1, len(text) - 1)
        return text[:cut] + self.pick(("\n", "\n\n")) + text[cut:]

    def wrapped(self, paragraph: str) -> str:
        if not self.wrap_width:
            return paragraph
        width = self.wrap_width
        return "\n".join(paragraph[i : i + width] for i in range(0, len(paragraph), width))


# --- kinds of articles: a title and an opening paragraph --------------------------------


def _meeting(a: Article) -> tuple[str, str]:
    n = a.num(1, 12)
    body = a.pick(("党组", "常委会", "书记处", "主席团"))
    meeting = f"{a.year}年第{n}次{body}会议" if body == "党组" else f"第{a.cn(n)}次{body}会议"
    title = f"{a.host}召开{meeting}"
    opening = (
        f"{a.date()}，{a.broken(a.host)}召开{meeting}，传达学习近期有关会议精神，研究部署下一阶段重点工作。"
        f"{a.broken(a.post())}主持会议，{a.post()}出席会议并讲话。"
        f"会议认为，过去一段时间各部门和单位紧扣年度目标，在服务科技工作者、服务创新发展方面取得了新进展。"
    )
    return title, opening


def _opening(a: Article) -> tuple[str, str]:
    event = a.edition()
    title = a.pick((f"{event}在{a.city}开幕", f"{event}开幕式在{a.city_full}举行", f"{event}于{a.city}启幕"))
    count, noun = a.count()
    opening = (
        f"{a.span()}，{a.broken(event)}在{a.province_full}{a.city_full}举办。"
        f"本次活动由{a.broken(a.host)}和{a.province_full}人民政府共同主办，{a.org()}承办。"
        f"活动期间共组织{a.broken(count)}{noun}参与，线上线下同步开展展览、论坛和互动体验。"
    )
    return title, opening


def _forum(a: Article) -> tuple[str, str]:
    forum = a.forum()
    title = f"{forum}在{a.city}举办"
    count, noun = a.count()
    opening = (
        f"{a.date(full=True)}，{a.broken(forum)}在{a.city}开幕，论坛以“协同创新、共享发展”为主题，"
        f"吸引{count}{noun}到会交流。{a.post()}、{a.post()}出席开幕式并致辞，"
        f"{a.broken(a.person())}研究员、{a.person()}教授分别作主旨报告。"
    )
    return title, opening


def _launch(a: Article) -> tuple[str, str]:
    programme = a.programme()
    platform = a.pick(a.p.platforms)
    title = a.pick(
        (f"{a.host}启动{programme}", f"{programme}正式启动", f"“{platform}”{a.province}站上线运行")
    )
    count, noun = a.count()
    opening = (
        f"近日，{a.broken(a.host)}正式启动{programme}，计划用三年时间在全国范围内支持{count}{noun}。"
        f"该计划依托“{platform}”平台汇聚资源，由{a.society}等单位具体实施。"
        f"{a.post()}表示，要把这项工作作为服务基层的重要抓手，确保取得实效。"
    )
    return title, opening


def _ranking(a: Article) -> tuple[str, str]:
    field = a.pick(("科学普及", "学会发展", "科技期刊", "青年人才", "科技经济融合", "科技传播"))
    title = f"{a.year}年度{field}领域十大进展发布"
    opening = (
        f"{a.date()}，{a.broken(a.host)}在{a.city}发布{a.year}年度{field}领域十大进展。"
        f"评选工作历时{a.cn(a.num(2, 9))}个月，经学会推荐、专家初评、公众投票和终评会议等环节产生。"
    )
    return title, opening


def _award(a: Article) -> tuple[str, str]:
    award = a.pick(a.p.awards)
    title = f"第{a.cn(a.num(2, 18))}届{award}颁奖会议在京召开"
    count, noun = a.count()
    opening = (
        f"{a.date()}，第{a.cn(a.num(2, 18))}届{a.broken(award)}颁奖会议在北京召开，"
        f"{count}{noun}受到表彰。{a.post()}宣读表彰决定，{a.post()}为获奖代表颁奖。"
    )
    return title, opening


def _society(a: Article) -> tuple[str, str]:
    congress = f"第{a.cn(a.num(3, 12))}次全国会员代表大会"
    title = f"{a.society}召开{congress}"
    count, noun = a.count()
    opening = (
        f"{a.date(full=True)}，{a.broken(a.society)}{congress}在{a.city_full}召开，"
        f"{a.broken(count)}{noun}参加会议。大会审议通过了理事会工作报告和章程修改草案，"
        f"选举产生了新一届理事会，{a.leader}当选理事长。"
    )
    return title, opening


KINDS = (_meeting, _opening, _forum, _launch, _ranking, _award, _society)


# --- body paragraphs -----------------------------------------------------------------


def _speech(a: Article) -> str:
    return (
        f"{a.broken(a.post())}在讲话中指出，要坚持面向世界科技前沿、面向经济主战场，"
        f"把{a.pick(TOPICS)}作为今后一个时期的重点方向，推动科技资源向基层延伸。"
        f"要发挥{a.broken(a.org())}和各级学会的组织优势，完善评价机制，营造鼓励探索、宽容失败的良好氛围。"
    )


def _numbers(a: Article) -> str:
    (c1, n1), (c2, n2), (c3, n3) = a.count(), a.count(), a.count()
    return (
        f"据统计，{a.year - 1}年以来{a.broken(a.host)}累计组织{a.broken(c1)}{n1}，覆盖{c2}{n2}，"
        f"带动{a.broken(c3)}{n3}参与其中。{a.pick(a.p.platforms)}平台全年访问量超"
        f"{a.num(2, 90)}亿人次，发布原创内容{a.num(1, 9)}.{a.num(1, 9)}万条。"
    )


def _cooperation(a: Article) -> str:
    return (
        f"会上，{a.broken(a.org())}与{a.broken(a.org())}签署合作协议，双方将围绕{a.pick(TOPICS)}"
        f"在人才培养、联合攻关和成果转化等方面加强合作。{a.post()}、{a.post()}共同见证签约。"
    )


def _side_events(a: Article) -> str:
    forum, edition = a.forum(), a.edition()
    return (
        f"{a.span()}期间，还举办了{a.broken(forum)}和{edition}系列活动，"
        f"{a.org()}、{a.org()}等单位的代表参加。{a.month}月{min(a.day + 2, 28)}日闭幕式上，"
        f"主办方发布了《{a.city}{a.pick(TOPICS)}发展报告》。"
    )


def _platform(a: Article) -> str:
    platform = a.pick(a.p.platforms)
    return (
        f"“{platform}”在活动中设立专区，集中展示{a.pick(TOPICS)}领域的最新成果。"
        f"{a.broken(a.programme())}同步发布年度工作安排，{a.pick(a.p.publications)}编辑部介绍了相关专题的组稿情况。"
    )


def _visit(a: Article) -> str:
    return (
        f"{a.date()}下午，{a.broken(a.post())}一行来到{a.city_full}{a.pick(COMPANY_WORDS)}科技园区调研，"
        f"实地了解{a.pick(PROGRAM_WORDS)}工作进展，并与{a.society}负责同志座谈交流。"
    )


def _attendance(a: Article) -> str:
    people = "、".join(a.person() for _ in range(a.num(2, 5)))
    return (
        f"{a.org()}、{a.org()}有关负责同志，{people}等专家学者，以及来自{a.province_full}"
        f"各地市的{a.broken(str(a.num(40, 900)))}余名代表参加会议。会议采取线上线下相结合的方式进行。"
    )


def _plans(a: Article) -> str:
    return (
        f"会议强调，下一步要以{a.year + 1}年重点任务为牵引，深入实施{a.broken(a.programme())}，"
        f"办好{a.broken(a.edition())}等品牌活动，持续提升组织力、服务力和影响力，"
        f"为建设科技强国贡献{a.pick(('学会', '科协', '基层'))}力量。"
    )


def _exhibition(a: Article) -> str:
    count, noun = a.count()
    return (
        f"同期举办的{a.pick(TOPICS)}成果展设置{a.cn(a.num(3, 9))}个展区，展出{a.broken(count)}{noun}，"
        f"{a.pick(COMPANY_WORDS)}实验室、{a.broken(a.org())}等带来的互动展项吸引了大批观众驻足体验。"
    )


def _training(a: Article) -> str:
    return (
        f"{a.month}月{a.day}日至{min(a.day + a.num(2, 6), 30)}日，{a.broken(a.org())}在{a.city}举办"
        f"{a.pick(TOPICS)}骨干培训班，来自{a.province_full}的{a.num(60, 400)}名学员参加培训。"
        f"培训采取专题授课、案例研讨和现场教学相结合的方式，{a.person()}教授等专家授课。"
    )


def _youth(a: Article) -> str:
    count, noun = a.count()
    return (
        f"面向青少年，{a.broken(a.host)}联合{a.org()}开展“走近科学家”系列活动，组织{a.broken(count)}{noun}"
        f"走进实验室和科研院所。{a.person()}研究员为中学生讲授了{a.pick(TOPICS)}的基础知识。"
    )


def _international(a: Article) -> str:
    return (
        f"{a.date(full=True)}，{a.broken(a.post())}会见了来访的{a.pick(a.p.orgs)}代表团，双方就"
        f"{a.pick(TOPICS)}领域的人员交流、联合研究和共同举办{a.broken(a.forum())}等事项交换了意见。"
    )


def _publication(a: Article) -> str:
    return (
        f"会上还发布了《{a.year}年{a.province}{a.pick(TOPICS)}蓝皮书》，报告由{a.broken(a.society)}组织编写，"
        f"收录调研数据{a.num(2, 60)}00余组，{a.pick(a.p.publications)}将刊发其中的主要结论。"
    )


PARAGRAPHS = (
    _speech, _numbers, _cooperation, _side_events, _platform, _visit, _attendance, _plans,
    _exhibition, _training, _youth, _international, _publication,
)  # fmt: skip


def _ranked_list(a: Article) -> list[str]:
    """The article's ranked list: heading lines in one numbering style, each with a sentence under it."""
    style = a.pick(RANK_STYLES)
    lines = []
    for rank in range(1, a.num(5, 10) + 1):
        label = {
            "arabic-space": f"{rank} ",
            "arabic-dot": f"{rank}.",
            "chinese": f"{a.cn(rank)}、",
            "chinese-paren": f"（{a.cn(rank)}）",
        }[style]
        head = a.pick(
            (
                f"{a.edition()}在{a.pick(a.p.cities)[0]}举办",
                f"{a.org()}启动{a.programme()}",
                f"“{a.pick(a.p.platforms)}”新增{a.count()[0]}服务站点",
                f"{a.forum()}发布合作倡议",
            )
        )
        count, noun = a.count()
        lines.append(label + head)
        lines.append(
            f"{a.month}月，{a.broken(a.org())}牵头开展相关工作，{a.broken(count)}{noun}参与，"
            f"{a.person()}等专家给予指导。"
        )
    return lines


def article_text(pools: Pools, seed: int, index: int) -> str:
    """Article ``index`` of the corpus of ``seed``, ending with its signature and a blank line."""
    rng = random.Random(f"castkg-bench:{seed}:{index}")
    a = Article(pools, rng)
    kind = a.pick(KINDS)
    title, opening = kind(a)
    blocks = [opening]
    target = a.num(4300, 5700)
    size = len(title.encode()) + len(opening.encode())
    has_list = kind is _ranking or a.random() < 0.25
    order: list[Callable[[Article], str]] = []
    while size < target:
        if has_list and len(blocks) == 2:
            for line in _ranked_list(a):
                blocks.append(line)
                size += len(line.encode())
            continue
        if not order:  # each kind of paragraph once before any repeats
            order = list(PARAGRAPHS)
            rng.shuffle(order)
        paragraph = order.pop()(a)
        blocks.append(a.wrapped(paragraph))
        size += len(paragraph.encode())
    departments = a.pick(
        ((a.pick(pools.cast_units),), (a.pick(pools.cast_units), a.pick(pools.cast_units)), (a.society,))
    )
    signature = "\n".join(departments) + f"\n\n[{a.year}-{a.month:02d}-{a.day:02d}]"
    return f"{title}\n\n" + "\n\n".join(blocks) + f"\n\n{signature}\n\n"


# --- the corpus -----------------------------------------------------------------------------


def file_path(out: Path, number: int) -> Path:
    """Where file ``number`` of a corpus goes (1,000 files per sub-folder)."""
    return out / f"d{number // FILES_PER_FOLDER:03d}" / f"bulletin_{number:06d}.txt"


def _write_files(args: tuple[Path, int, int, int, int, int]) -> int:
    out, seed, articles, per_file, first, last = args
    pools = load_pools()
    written = 0
    for number in range(first, last):
        start = number * per_file
        text = "".join(article_text(pools, seed, i) for i in range(start, min(start + per_file, articles)))
        path = file_path(out, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = ("\n" + text).encode("utf-8")
        path.write_bytes(data)
        written += len(data)
    return written


def generate(out: str | Path, articles: int, seed: int = 1, per_file: int = 5, workers: int = 1) -> dict:
    """Write a corpus of ``articles`` articles into ``out`` and return its manifest (also in corpus.json).

    Raises ``ValueError`` for a folder that holds anything but an earlier corpus.
    """
    if articles < 1 or per_file < 1:
        raise ValueError("--articles and --per-file must be at least 1")
    target = Path(out)
    if target.exists() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise ValueError(f"{target}: not empty and not a corpus; give an empty or new folder")
    if (target / MANIFEST).is_file():
        for old in target.glob("d[0-9][0-9][0-9]/bulletin_*.txt"):
            old.unlink()
    target.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    files = -(-articles // per_file)
    workers = max(1, min(workers, files))
    bounds = [files * w // workers for w in range(workers + 1)]
    jobs = [(target, seed, articles, per_file, bounds[w], bounds[w + 1]) for w in range(workers)]
    if workers == 1:
        sizes = [_write_files(jobs[0])]
    else:
        with ProcessPoolExecutor(workers) as pool:
            sizes = list(pool.map(_write_files, jobs))
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "articles": articles,
        "seed": seed,
        "per_file": per_file,
        "files": files,
        "bytes": sum(sizes),
        "sha256": digest(target),
        "seconds": round(time.perf_counter() - started, 2),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def digest(folder: Path) -> str:
    """One SHA-256 over every bulletin file of ``folder`` in path order (names included)."""
    total = hashlib.sha256()
    for path in sorted(folder.glob("d[0-9][0-9][0-9]/bulletin_*.txt")):
        total.update(path.relative_to(folder).as_posix().encode() + b"\0")
        total.update(path.read_bytes())
    return total.hexdigest()


def ensure(out: str | Path, articles: int, seed: int = 1, per_file: int = 5, workers: int = 1) -> dict:
    """The manifest of the corpus at ``out``, generated first unless an identical one is already there."""
    manifest_path = Path(out) / MANIFEST
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        wanted = {
            "generator_version": GENERATOR_VERSION,
            "articles": articles,
            "seed": seed,
            "per_file": per_file,
        }
        if all(manifest.get(k) == v for k, v in wanted.items()):
            return manifest
    return generate(out, articles, seed, per_file, workers)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles")
    parser.add_argument("--seed", type=int, default=1, help="the seed (default 1)")
    parser.add_argument(
        "--out", type=Path, required=True, help="folder to write (new, empty or an earlier corpus)"
    )
    parser.add_argument("--per-file", type=int, default=5, help="articles per file (default 5)")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)"
    )
    args = parser.parse_args(argv)
    try:
        manifest = generate(args.out, args.articles, args.seed, args.per_file, args.workers)
    except ValueError as exc:
        print(f"corpus: {exc}", file=sys.stderr)
        return 2
    print(
        f"{manifest['articles']} articles in {manifest['files']} files, "
        f"{manifest['bytes'] / 1e6:.1f} MB, {manifest['seconds']} s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
