"""The text every rule matches on, with the way back to the text as written.

A sentence as published may hold full-width forms, invisible characters, runs of spaces, pinyin
glosses in brackets left by mirror sites (協(xié)會(huì)) and traditional characters. :func:`normalise`
gives the form the rules read, in this order:

1. invisible characters removed (zero-width spaces and joiners, bidi marks, soft hyphens,
   variation selectors: :data:`INVISIBLE`);
2. NFKC, one unit at a time (a character with the combining marks that compose with it), so each
   output character knows the unit it came from; a bullet or another dot right between two CJK
   characters written as the middle dot (千名院士•千场科普 → 千名院士·千场科普: :func:`middle_dots`);
3. a pinyin gloss in brackets right after a CJK character removed (:data:`PINYIN_GLOSS`), and a
   comma glued before another mark (周济,、陈左宁 and 出席开幕式,。 on the same mirrors:
   :data:`STRAY_COMMA`);
4. a run of whitespace removed next to a CJK character or a Chinese mark, one space elsewhere,
   none at either end;
5. when asked, traditional characters converted to simplified ones with OpenCC's ``t2s`` config,
   character for character (:func:`simplified`);
6. a year in Chinese numerals written in digits (二零二一年 → 2021年: :func:`arabic_years`);
7. a pair of straight double quotes around Chinese words read as curly ones (科协"三长"论坛 →
   科协“三长”论坛: :func:`curly_quotes`), as sites that type ASCII quotes mean them;
8. two hyphens between Chinese words read as the dash (工作基地--某学会 → 工作基地——某学会:
   :func:`chinese_dashes`).

The result (:class:`~castkg.model.TextMap`) says, for every character it holds, the span of the
text as written that it came from and its form before steps 5 to 8. :func:`is_traditional` decides
whether a text is in traditional script: simplified text is never converted, since the converter
would change the few characters both scripts share with different uses (乾安县 → 干安县, 於 the
surname → 于).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from castkg.model import TextMap

__all__ = [
    "INVISIBLE",
    "PINYIN_GLOSS",
    "TONELESS_GLOSS",
    "arabic_years",
    "changed_share",
    "curly_quotes",
    "is_traditional",
    "normalise",
    "simplified",
    "written_form",
]

INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
"""Characters that show nothing: zero-width spaces and joiners, bidi marks and overrides, the
byte-order mark, soft hyphen, variation selectors, tags (Unicode's Default_Ignorable_Code_Point)."""

QUOTE_MARKS = frozenset('“”‘’"《》「」『』')
"""Quote marks a name or a counted noun is given without."""

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""The CJK ideographs, as a character class body."""
HAN_RUN = re.compile(f"[{HAN}]+")

NO_SPACE_NEXT_TO = re.compile(r"[\u3400-\u9fff“”‘’《》（）()、,]")
"""A space next to one of these is no word separator (中国 科协, “科普 中国”) and is removed."""

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_LETTER = f"a-zA-Zü{_TONED}"
_SYLLABLE = (
    "(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?"
    "(?:iang|iong|uang|ang|eng|ing|ong|uai|iao|ian|uan|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un"
    "|ue|üe|ve|a|o|e|i|u|ü|v)"
)
PINYIN_GLOSS = re.compile(
    rf"(?<=[\u3400-\u9fff])(?:\s*\(\s*"
    rf"(?:(?=[{_LETTER}]{{0,6}}[{_TONED}])[{_LETTER}]{{1,7}}"  # xié, huì, chuàng: a tone mark
    r"|(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüv]{1,3}(?:ng|n|r)?[1-5])"  # xie2, zhuang4: a tone digit
    r"\s*\))+"
)
"""A pinyin gloss in brackets after a character (協(xié), 會(huì), 协(xie2)), maybe written twice
(工(gōng)(gōng)): one syllable of 1–7 letters with a tone mark, or a syllable with a tone digit.
Matched on the NFKC text, where full-width brackets are already ASCII. Brackets holding anything
else (WFEO, 记者…) stay."""
TONELESS_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff])(?:\s*\(\s*{_SYLLABLE}\s*\))+")
"""A pinyin gloss without a tone (協(xie), 工(gong)(gong)): one lower-case syllable of Hanyu pinyin.
Dropped only from a text holding at least :data:`TONELESS_GLOSSES_LEAST` of them, since one such
bracket alone may be a word of the text (an abbreviation, a name)."""
TONELESS_GLOSSES_LEAST = 3
STRAY_COMMA = re.compile(r",(?=[,、。;:!?])")
"""A comma right before another mark (matched on the NFKC text): mirrors that gloss in pinyin
leave one after each gloss, which would cut every list of names (A,、B)."""

MAX_UNIT = 32
"""The most characters one NFKC unit may span: Unicode's stream-safe limit on combining marks, so
a run of 100,000 combining marks costs linear time."""

ARTICLE_SHARE = 0.1
"""An article is in traditional script when OpenCC changes at least this share of its CJK
characters. Measured on the 43 dev pages: 0 on every simplified page, 0.31–0.47 on traditional
and mixed ones; 乾 or 於 in simplified text changes well under one character in ten."""
SENTENCE_SHARE, SENTENCE_CHANGED = 0.2, 3
"""A sentence of an article otherwise simplified is converted when the converter changes at least
this share and this number of its CJK characters (a traditional paragraph quoted or left by a
mirror)."""


def normalise(text: str, simplify: bool = False) -> TextMap:
    """``text`` as the rules read it, with each character's span in ``text`` (see the module)."""
    chars, starts, ends = _nfkc_units(text)
    chars = middle_dots(chars)
    chars, starts, ends = _without_glosses(chars, starts, ends)
    chars, starts, ends = _spaced(chars, starts, ends)
    written = "".join(chars)
    read = arabic_years(simplified(written) if simplify else written).translate(LOOKALIKE_MARKS)
    return TextMap(chinese_dashes(curly_quotes(read)), written, tuple(starts), tuple(ends))


LOOKALIKE_MARKS = str.maketrans({"\u2236": ":"})
"""Marks some sites type for another, read as that one (the ratio sign for a clock's colon: 9∶00);
one character for one, so offsets stay exact."""


LOOKALIKE_DOTS = frozenset("\u2022\u2027\u2219\u30fb\uff65")
"""A bullet or another dot typed for the middle dot between two Chinese words (千名院士•千场科普)."""


def middle_dots(chars: list[str]) -> list[str]:
    """``chars`` (the text's NFKC units) with each dot typed for a middle dot right between two
    Chinese characters written as ·, so that 千名院士•千场科普 and 千名院士·千场科普 read the same;
    a bullet after a space or a line's start stays."""
    return [
        "\u00b7"
        if c in LOOKALIKE_DOTS
        and 0 < i < len(chars) - 1
        and HAN_RUN.fullmatch(chars[i - 1][-1:])
        and HAN_RUN.fullmatch(chars[i + 1][:1])
        else c
        for i, c in enumerate(chars)
    ]


STRAIGHT_QUOTED = re.compile(f'"([^"\\n]{{0,40}}[{HAN}][^"\\n]{{0,40}})"')
"""Straight double quotes around a short run holding a Chinese character, on one line."""


def curly_quotes(text: str) -> str:
    """``text`` with each pair of straight double quotes around Chinese words written as “”, of the
    same length, so that a name quoted either way (科协"三长"论坛, 科协“三长”论坛) reads the same."""
    if '"' not in text:
        return text
    return STRAIGHT_QUOTED.sub(lambda quoted: f"“{quoted.group(1)}”", text)


TYPED_DASH = re.compile(f"(?<=[{HAN}])--(?=[{HAN}])")
"""Two hyphens typed for the Chinese dash between Chinese words (工作基地--某某学会)."""


def chinese_dashes(text: str) -> str:
    """``text`` with two hyphens between Chinese characters written as the dash ——, of the same
    length, so that a name ends before them as before the dash."""
    return TYPED_DASH.sub("——", text) if "--" in text else text


CHINESE_YEAR = re.compile("[〇○◯零一二三四五六七八九]{4}(?=年)")
"""A year written in Chinese numerals, one character a digit (二零二一年, 二〇二三年; typed with a
circle for the zero, 二○二一年)."""
_DIGITS = str.maketrans("〇○◯零一二三四五六七八九", "0000123456789")


def arabic_years(text: str) -> str:
    """``text`` with its years in Chinese numerals written in digits, of the same length
    (二零二一年 → 2021年), so that every date and edition rule reads them."""
    return CHINESE_YEAR.sub(lambda year: year.group().translate(_DIGITS), text)


def written_form(source: TextMap | None, text: str, fragment: str, near: int = 0) -> str | None:
    """How ``source`` wrote ``fragment``, a piece of its normalised ``text`` (the occurrence
    nearest ``near``): None when the text was not converted, the fragment is not in it, or it was
    written as it reads."""
    if source is None or source.written == source.text or not fragment:
        return None
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(fragment), text)]
    unquoted = not found
    if unquoted:  # quote marks taken out of the fragment (“海智计划”基地 → 海智计划基地)
        kept = [i for i, c in enumerate(text) if c not in QUOTE_MARKS]
        bare = "".join(text[i] for i in kept)
        found = [(kept[m.start()], kept[m.end() - 1] + 1) for m in re.finditer(re.escape(fragment), bare)]
        if not found:
            return None
    start, end = min(found, key=lambda span: (abs(span[0] - near), span[0]))
    written = source.written[start:end]
    if unquoted:
        written = "".join(c for i, c in enumerate(written, start) if text[i] not in QUOTE_MARKS)
    return written if written != fragment else None


TRADITIONAL_VARIANTS = str.maketrans({"陜": "陝"})
"""Variant forms of traditional characters that OpenCC's t2s leaves as they are (陜西 in some
Big5 pages), written in the form it converts (陝 → 陕)."""


@functools.cache
def _converter() -> Callable[[str], str]:
    import opencc  # the C++ library loads its dictionaries once, on first use

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


def simplified(text: str, convert: Callable[[str], str] | None = None) -> str:
    """``text`` with its traditional characters in simplified form, of the same length: each run
    of CJK characters is converted as a whole (phrases decide: 乾燥 → 干燥, 乾隆 stays), and
    character by character where a phrase would change the run's length (a character whose own
    conversion would too stays as written). ``convert`` is OpenCC's t2s unless given."""
    convert = convert or _converter()

    def run(match: re.Match[str]) -> str:
        piece = match.group().translate(TRADITIONAL_VARIANTS)
        converted = convert(piece)
        if len(converted) == len(piece):
            return converted
        return "".join(c if len(c) == 1 else o for o, c in ((o, convert(o)) for o in piece))

    return HAN_RUN.sub(run, text)


def changed_share(text: str) -> tuple[int, int]:
    """How many of ``text``'s CJK characters the converter changes, and how many it has."""
    han = "".join(HAN_RUN.findall(text))
    return sum(1 for a, b in zip(han, simplified(han), strict=True) if a != b), len(han)


def is_traditional(text: str, share: float = ARTICLE_SHARE, least: int = 1) -> bool:
    """Is ``text`` written in traditional script (or mixed)? At least ``share`` of its CJK
    characters, and ``least`` of them, change when converted to simplified."""
    changed, total = changed_share(text)
    return changed >= least and changed >= share * total > 0


def sentence_is_traditional(text: str) -> bool:
    """Is this one sentence in traditional script, whatever its article is?"""
    return is_traditional(text, SENTENCE_SHARE, SENTENCE_CHANGED)


# --- the steps -----------------------------------------------------------------------------------


def _nfkc_units(text: str) -> tuple[list[str], list[int], list[int]]:
    """Steps 1 and 2: each output character, with the start and end in ``text`` of its unit."""
    kept = [(i, c) for i, c in enumerate(text) if not INVISIBLE.match(c)]
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    k = 0
    while k < len(kept):
        j = k + 1
        unit = kept[k][1]
        form = unicodedata.normalize("NFKC", unit)
        while j < len(kept) and j - k < MAX_UNIT and not _starts_unit(kept[j][1], unit, form):
            unit += kept[j][1]
            form = unicodedata.normalize("NFKC", unit)
            j += 1
        start, end = kept[k][0], kept[j - 1][0] + 1
        for char in form:
            chars.append(char)
            starts.append(start)
            ends.append(end)
        k = j
    return chars, starts, ends


def _starts_unit(char: str, unit: str, form: str) -> bool:
    """Does ``char`` start a new NFKC unit after ``unit`` (whose NFKC form is ``form``)?"""
    if char < "\u0300" or "\u3400" <= char <= "\u9fff":
        return True  # never the second half of a composition, never reordered
    return unicodedata.normalize("NFKC", unit + char) == form + unicodedata.normalize("NFKC", char)


def _without_glosses(
    chars: list[str], starts: list[int], ends: list[int]
) -> tuple[list[str], list[int], list[int]]:
    """Step 3."""
    text = "".join(chars)
    if "(" not in text and "," not in text:
        return chars, starts, ends
    drop = {i for m in PINYIN_GLOSS.finditer(text) for i in range(m.start(), m.end())}
    toneless = list(TONELESS_GLOSS.finditer(text))
    if len(toneless) >= TONELESS_GLOSSES_LEAST:
        drop |= {i for m in toneless for i in range(m.start(), m.end())}
    drop |= {m.start() for m in STRAY_COMMA.finditer(text)}
    keep = [i for i in range(len(chars)) if i not in drop]
    return [chars[i] for i in keep], [starts[i] for i in keep], [ends[i] for i in keep]


def _spaced(chars: list[str], starts: list[int], ends: list[int]) -> tuple[list[str], list[int], list[int]]:
    """Step 4: a whitespace run next to CJK removed, elsewhere one space (spanning the run)."""
    text = "".join(chars)
    out_chars: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    position = 0
    for run in re.finditer(r"\s+", text):
        start, end = run.span()
        out_chars += chars[position:start]
        out_starts += starts[position:start]
        out_ends += ends[position:start]
        position = end
        joined = (start and NO_SPACE_NEXT_TO.match(text, start - 1)) or NO_SPACE_NEXT_TO.match(text, end)
        if not joined and start > 0 and end < len(text):
            # the space spans the run, less what a neighbour's unit shares with it (´ is NFKC " ́")
            first = max(starts[start], ends[start - 1])
            last = min(ends[end - 1], starts[end]) if starts[end] > starts[start] else ends[end - 1]
            if first >= last:
                first, last = starts[start], ends[start]
            out_chars.append(" ")
            out_starts.append(first)
            out_ends.append(last)
    out_chars += chars[position:]
    out_starts += starts[position:]
    out_ends += ends[position:]
    return out_chars, out_starts, out_ends
