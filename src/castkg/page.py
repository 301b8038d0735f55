"""Web page conventions: ``ontology/rules/page.yaml`` → one frozen :class:`PageRules`, and what it
tells of a line of a published page (furniture, a page's tail, a menu, a dateline, a signature).

The segment stage reads a page through these (:mod:`castkg.segment`). Every pattern is matched on a
line's *matching form* (:meth:`PageRules.matching_form`): NFKC character by character, pinyin in
brackets and leaked HTML tags left out, traditional characters folded one for one (the ``fold``
table, else OpenCC's t2s of the character alone), with a map back to the line's own offsets, so
what is cut from a line is cut from the text as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from castkg.errors import RuleError
from castkg.graphs import ontology_dir
from castkg.rules import LINE, check_fields, did_you_mean, key_lines, read_yaml
from castkg.script import simplified

LABEL_KINDS = ("date", "source", "person", "count")
"""What a byline label's value is: the page's date, its source, a person, a count or a tool."""
PAGE_FILE = Path("rules") / "page.yaml"
DEFAULT_LONGEST = 80
_PLACE = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class PagePattern:
    """One named pattern of page.yaml, compiled, with the longest line it may drop."""

    id: str
    pattern: re.Pattern[str]
    longest: int
    source: str
    """``file:line`` of the pattern."""

    def search(self, form: str) -> re.Match[str] | None:
        """The pattern's first match in a line's matching form, when the line is short enough."""
        return self.pattern.search(form) if len(form) <= self.longest else None


@dataclass(frozen=True)
class PageRules:
    """What a published page wraps around its news text, validated and compiled."""

    fold: Mapping[int, str]
    """``str.translate`` table: traditional forms of the cue words' characters → simplified."""
    pinyin: re.Pattern[str]
    leaked_tags: re.Pattern[str]
    noise: re.Pattern[str]
    labels: Mapping[str, str]
    """Byline label → its kind (one of ``LABEL_KINDS``)."""
    label_pattern: re.Pattern[str]
    """A label and its separator (``来源：``, ``编辑|``), group ``label``."""
    signature_bodies: tuple[str, ...]
    media: tuple[str, ...]
    ui_words: frozenset[str]
    menu_words: frozenset[str]
    furniture: tuple[PagePattern, ...]
    tail: tuple[PagePattern, ...]
    datelines: tuple[PagePattern, ...]
    after_dateline: re.Pattern[str]
    closing_credit: re.Pattern[str]
    photo_credit: re.Pattern[str]
    inline_credit: re.Pattern[str]
    inline_byline: re.Pattern[str]
    """Where a byline runs on after a headline on one line, in a line's matching form."""
    signature_line: re.Pattern[str]
    count_phrase: re.Pattern[str]
    link_item: re.Pattern[str]
    """An item of a list of links (a bullet and a short title), in a line's matching form."""
    link_list_fewest: int
    """The fewest items in a row that make a list of links before the news text."""
    link_heading: re.Pattern[str]
    """A list of links' heading, the line right before it (媒体, 热点)."""
    aside_list_heads: frozenset[str]
    """Lines before a numbered list that make it no list of news (附件, 说明), in matching form."""
    teaser_end: re.Pattern[str]
    """The end of an excerpt cut short (…, ...), in a line's matching form."""
    listing_stamp: re.Pattern[str]
    """A stamp after a listed page's excerpt (a count of views, 2019/07), alone on its line."""
    source: str = ""

    # --- the matching form ----------------------------------------------------------------

    def without_leaks(self, line: str) -> str:
        """``line`` without the HTML tags and anti-copy noise a page leaked into its text (a line
        longer than ``LEAK_LINE_MAX`` is left whole: the size caps cut it and say so)."""
        if len(line) > LEAK_LINE_MAX:
            return line
        return self.noise.sub("", self.leaked_tags.sub("", line))

    def matching_form(self, line: str) -> tuple[str, list[int]]:
        """The form every page pattern matches on, and for each of its characters the offset of the
        character of ``line`` it came from."""
        keep: list[int] = []
        position = 0
        for match in self.pinyin.finditer(line):
            keep.extend(range(position, match.start()))
            position = match.end()
        keep.extend(range(position, len(line)))
        chars = []
        for index in keep:
            folded = unicodedata.normalize("NFKC", line[index])
            chars.append(folded if len(folded) == 1 else line[index])
        return "".join(chars).translate(self.fold), keep

    def form(self, line: str) -> str:
        """The matching form of ``line`` alone."""
        return self.matching_form(line)[0]

    # --- lines ----------------------------------------------------------------------------

    def furniture_of(self, form: str) -> str | None:
        """The id of the furniture pattern a line (in matching form) is, or None."""
        return next((p.id for p in self.furniture if p.search(form)), None)

    def ends_page(self, form: str) -> str | None:
        """The id of the tail pattern that ends a page's news text at this line, or None."""
        return next((p.id for p in self.tail if p.search(form)), None)

    def is_menu(self, form: str) -> bool:
        """Whether the line is made of tool-bar words alone, or of three or more menu words; a word
        written with its characters spaced apart (【打 印】) is the word."""
        tokens = [t for t in _MENU_SEPARATORS.split(_SPACED_PAIR.sub(r"\1", form)) if t]
        if not tokens or len(form) > 400:
            return False
        if form.count("|") >= 2 and all(len(t) <= PIPED_ITEM_MAX for t in tokens):
            return True  # 葫芦岛市| 游戏| 娱乐: short items between bars
        counts = [self._words_in(token) for token in tokens]
        if any(count is None for count in counts):
            return False
        words = [w for found in counts if found for w in found]
        if all(w in self.ui_words for w in words) and all(len(w) > 1 for w in words[:1]):
            return len(form.strip()) > 1
        return len(words) >= 3

    def _words_in(self, token: str) -> list[str] | None:
        """``token`` as a run of menu and tool-bar words (longest first), or None when it is not one."""
        known = self.ui_words | self.menu_words
        longest = max(map(len, known), default=0)
        best: list[list[str] | None] = [None] * (len(token) + 1)
        best[0] = []
        for start in range(len(token)):
            before = best[start]
            if before is None:
                continue
            for end in range(min(len(token), start + longest), start, -1):
                if token[start:end] in known and best[end] is None:
                    best[end] = [*before, token[start:end]]
        return best[len(token)]

    def link_lists(self, forms: Sequence[str]) -> set[int]:
        """The positions of the lines (in matching form) that stand in a run of at least
        ``link_list_fewest`` items of a list of links, with the run's heading."""
        listed: set[int] = set()
        run: list[int] = []
        for position, form in enumerate([*forms, ""]):
            if form and self.link_item.search(form):
                run.append(position)
                continue
            if len(run) >= self.link_list_fewest:
                listed.update(run)
                heading = run[0] - 1
                if heading >= 0 and heading not in listed and self.link_heading.search(forms[heading]):
                    listed.add(heading)
            run = []
        return listed

    def listing_lines(self, forms: Sequence[str]) -> tuple[list[int], list[int]]:
        """The positions of the lines (in matching form) of a listing of other pages: each excerpt
        cut short with stamps right after it (or right after the stamps of another), and those
        stamps."""
        excerpts: list[int] = []
        stamps: list[int] = []
        for position, form in enumerate(forms):
            after = position + 1
            while after < len(forms) and self.listing_stamp.search(forms[after]):
                after += 1
            follows = bool(stamps) and stamps[-1] == position - 1  # the listing's last item, unstamped
            if (after > position + 1 or follows) and self.teaser_end.search(form):
                excerpts.append(position)
                stamps.extend(range(position + 1, after))
        return excerpts, stamps

    def is_noise(self, form: str) -> bool:
        """Whether a line holds no Chinese and is mostly symbols (------5 [5 j1 g$, +1, ?); a line
        longer than ``LEAK_LINE_MAX`` is no page's noise but an input the size caps report."""
        if _CJK.search(form) or len(form) > LEAK_LINE_MAX:
            return False
        visible = [c for c in form if not c.isspace()]
        symbols = sum(1 for c in visible if not c.isalnum())
        return not visible or symbols / len(visible) > NOISE_SYMBOL_SHARE or len(visible) <= 2

    def dateline(self, form: str) -> tuple[PagePattern, re.Match[str]] | None:
        """The dateline a line opens (or closes) with: the pattern and its match, or None."""
        for dateline in self.datelines:
            match = dateline.pattern.search(form)
            if match is not None:
                return dateline, match
        return None

    def signs(self, name: str, labelled: bool) -> bool:
        """Whether ``name`` (matching form) signs an article: not a website, paper or agency, and,
        without a label, a body of the CAST family."""
        if not name or any(name.endswith(m) for m in self.media) or any(m in name for m in _MEDIA_INSIDE):
            return False
        if any(word in name for word in self.signature_bodies) and (
            name.endswith(self.signature_bodies) or name[-1] in _BODY_ENDINGS
        ):
            return True  # 某县科协, 中国科协科普部; not a site's column (科协综合)
        return labelled and name[-1] in _BODY_ENDINGS


PIPED_ITEM_MAX = 8
"""The longest item of a line of items between bars still read as a menu."""
_MENU_SEPARATORS = re.compile(r"[\s|·•/>»›\[\]【】_\-—:,]+")
_SPACED_PAIR = re.compile(r"(?<![\u3400-\u9fff])([\u3400-\u9fff])\s(?=[\u3400-\u9fff](?![\u3400-\u9fff]))")
"""Two characters standing alone with a space between them (打 印): a word spaced out."""
NOISE_SYMBOL_SHARE = 0.3
LEAK_LINE_MAX = 2_000
"""The longest line whose leaked tags and noise are taken out (as long as the sentence cap)."""
_CJK = re.compile(r"[\u3400-\u9fff]")
_MEDIA_INSIDE = ("新华社", "新闻", "本网", "本报", "网站")
_BODY_ENDINGS = frozenset("部厅心室馆社会协院所局处委组站团盟办司科队府")
"""Last characters of a body's name (调研宣传部, 科学技术厅, 新沂市科协 …): a labelled source that
ends otherwise (上海要闻) names no body."""


# --- loading ------------------------------------------------------------------------------------

_FIELDS: Mapping[str, tuple[str, bool]] = {
    "fold": ("mapping", True),
    "pinyin": ("string", True),
    "leaked_tags": ("string", True),
    "noise": ("string", True),
    "labels": ("mapping", True),
    "signature_bodies": ("list of strings", True),
    "media": ("list of strings", True),
    "ui_words": ("list of strings", True),
    "menu_words": ("list of strings", True),
    "furniture": ("list", True),
    "tail": ("list", True),
    "datelines": ("list", True),
    "after_dateline": ("string", True),
    "closing_credit": ("string", True),
    "photo_credit": ("string", True),
    "inline_credit": ("string", True),
    "inline_byline": ("string", True),
    "signature_line": ("string", True),
    "count_phrase": ("string", True),
    "link_item": ("string", True),
    "link_list_fewest": ("count", True),
    "aside_list_heads": ("list of strings", True),
    "link_heading": ("string", True),
    "teaser_end": ("string", True),
    "listing_stamp": ("string", True),
}
_GROUPS: Mapping[str, tuple[str, ...]] = {"signature_line": ("body", "people", "label")}


def load_page_rules(directory: str | Path | None = None) -> PageRules:
    """Load and check ``rules/page.yaml`` under ``directory`` (default: the project's ``ontology/``).

    Raises :class:`~castkg.errors.RuleError` naming the file, the line and what was expected.
    """
    path = (Path(directory) if directory else ontology_dir()) / PAGE_FILE
    document = read_yaml(path)
    if not isinstance(document, dict):
        raise RuleError(str(path), None, "expected a mapping of page settings (fold, labels, furniture …)")
    lines = key_lines(path)
    for key in document:
        if key != LINE and key not in _FIELDS:
            raise RuleError(
                str(path),
                lines.get(key),
                f"{key} → unknown setting (expected one of: {', '.join(_FIELDS)})"
                f"{did_you_mean(key, _FIELDS)}",
            )
    for key, (expected, _) in _FIELDS.items():
        if key not in document:
            raise RuleError(
                str(path), None, f"missing setting {key!r}; add it (see the comments in the file)"
            )
        if not _is(document[key], expected):
            raise RuleError(str(path), lines.get(key), f"{key} → expected a {expected}")
    labels = _labels(document["labels"], path, lines.get("labels"))
    lists: dict[str, Sequence[str] | str] = {kind: tuple(words) for kind, words in _by_kind(labels).items()}
    lists |= {name: tuple(document[name]) for name in ("signature_bodies", "media", "ui_words", "menu_words")}
    lists["count_phrase"] = document["count_phrase"]  # a pattern, put in place as written

    def pattern(key: str) -> re.Pattern[str]:
        return _compile(document[key], lists, path, lines.get(key), key, _GROUPS.get(key, ()))

    datelines = _patterns(document["datelines"], lists, path, "datelines")
    return PageRules(
        fold=MappingProxyType(Fold(_fold(document["fold"], path, lines.get("fold")))),
        pinyin=pattern("pinyin"),
        leaked_tags=pattern("leaked_tags"),
        noise=pattern("noise"),
        labels=MappingProxyType(labels),
        label_pattern=re.compile(rf"(?P<label>{_alternation(labels)})\s*[:|]"),
        signature_bodies=tuple(document["signature_bodies"]),
        media=tuple(document["media"]),
        ui_words=frozenset(document["ui_words"]),
        menu_words=frozenset(document["menu_words"]),
        furniture=_patterns(document["furniture"], lists, path, "furniture"),
        tail=_patterns(document["tail"], lists, path, "tail"),
        datelines=datelines,
        after_dateline=pattern("after_dateline"),
        closing_credit=pattern("closing_credit"),
        photo_credit=pattern("photo_credit"),
        inline_credit=pattern("inline_credit"),
        inline_byline=pattern("inline_byline"),
        signature_line=pattern("signature_line"),
        count_phrase=pattern("count_phrase"),
        link_item=pattern("link_item"),
        link_list_fewest=document["link_list_fewest"],
        link_heading=pattern("link_heading"),
        aside_list_heads=frozenset(document["aside_list_heads"]),
        teaser_end=pattern("teaser_end"),
        listing_stamp=pattern("listing_stamp"),
        source=str(path),
    )


def _is(value: Any, expected: str) -> bool:
    if expected == "mapping":
        return isinstance(value, dict)
    if expected == "string":
        return isinstance(value, str) and bool(value)
    if expected == "list":
        return isinstance(value, list)
    if expected == "count":  # a whole number above 0
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


class Fold(dict[int, str]):
    """The fold table, filled in as characters come: a character it does not list folds as OpenCC's
    t2s converts it alone (佈 → 布), so cue words read in traditional forms no one listed."""

    def __missing__(self, code: int) -> str:
        folded = simplified(chr(code))
        self[code] = folded
        return folded


def _fold(table: Mapping[str, Any], path: Path, line: int | None) -> dict[int, str]:
    folded = {}
    for key, value in table.items():
        if key == LINE:
            continue
        if not (isinstance(key, str) and isinstance(value, str) and len(key) == len(value) == 1):
            raise RuleError(
                str(path), line, f"fold → {key!r}: {value!r}: expected one character for one character"
            )
        folded[ord(key)] = value
    return folded


def _labels(table: Mapping[str, Any], path: Path, line: int | None) -> dict[str, str]:
    labels: dict[str, str] = {}
    for kind, words in table.items():
        if kind == LINE:
            continue
        if kind not in LABEL_KINDS:
            raise RuleError(
                str(path),
                line,
                f"labels → unknown kind {kind!r} (expected one of: {', '.join(LABEL_KINDS)})"
                f"{did_you_mean(kind, LABEL_KINDS)}",
            )
        if not _is(words, "list of strings"):
            raise RuleError(str(path), line, f"labels → {kind}: expected a list of strings")
        labels.update(dict.fromkeys(words, kind))
    return labels


def _by_kind(labels: Mapping[str, str]) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {kind: [] for kind in LABEL_KINDS}
    for word, kind in labels.items():
        kinds[kind].append(word)
    return kinds


def _alternation(words: Sequence[str] | Mapping[str, str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) or "(?!)"


def _filling(value: Sequence[str] | str) -> str:
    return f"(?:{value})" if isinstance(value, str) else _alternation(value)


def _compile(
    template: str,
    lists: Mapping[str, Sequence[str] | str],
    path: Path,
    line: int | None,
    what: str,
    groups: Sequence[str] = (),
) -> re.Pattern[str]:
    for name in _PLACE.findall(template):
        if name not in lists:
            raise RuleError(
                str(path), line, f"{what} → {{{name}}}: no such word list{did_you_mean(name, lists)}"
            )
    filled = _PLACE.sub(lambda m: _filling(lists[m[1]]), template)
    try:
        compiled = re.compile(filled)
    except re.error as exc:
        raise RuleError(str(path), line, f"{what} → not a valid regular expression ({exc})") from exc
    missing = [g for g in groups if g not in compiled.groupindex]
    if missing:
        raise RuleError(str(path), line, f"{what} → no group (?P<{missing[0]}>…), which castkg.page reads")
    return compiled


def _patterns(
    items: list[Any],
    lists: Mapping[str, Sequence[str] | str],
    path: Path,
    what: str,
    groups: Sequence[str] = (),
) -> tuple[PagePattern, ...]:
    found = []
    schema = {"id": ("string", True), "pattern": ("string", True), "longest": ("integer", False)}
    for item in items:
        fields = check_fields(item, schema, path, f"{what} pattern")
        line = item.get(LINE)
        compiled = _compile(fields["pattern"], lists, path, line, f"{what} id={fields['id']}", groups)
        longest = fields.get("longest", DEFAULT_LONGEST if what != "datelines" else 10_000)
        found.append(PagePattern(fields["id"], compiled, longest, f"{path}:{line}"))
    return tuple(found)
