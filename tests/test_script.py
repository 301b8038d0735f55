"""The text the rules read: pinyin glosses of machine-converted mirrors dropped, offsets kept."""

from __future__ import annotations

import pytest

from castkg.script import normalise


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("浙江省科協(xié)召開會議", "浙江省科協召開會議"),  # one gloss with a tone mark is enough
        ("省科協(xie2)召開會議", "省科協召開會議"),  # a tone digit
        ("科協(xie)舉(ju)行工(gong)作會(hui)議", "科協舉行工作會議"),  # toneless, throughout the text
        ("工(gong)(gong)作(zuo)站(zhan)的揭牌", "工作站的揭牌"),  # a gloss written twice
        ("他在论坛(an)上发言", "他在论坛(an)上发言"),  # one toneless bracket alone is text
        ("国际组织(WFEO)与科(ke)协(xie)合作", "国际组织(WFEO)与科(ke)协(xie)合作"),  # two alone stay
    ],
)
def test_pinyin_glosses_are_not_read(written: str, read: str) -> None:
    assert normalise(written).text == read


def test_every_character_read_keeps_its_place_in_the_written_text() -> None:
    written = "周(zhou)明遠(yuan)出席(xi)會議"
    mapped = normalise(written)
    assert mapped.text == "周明遠出席會議"
    assert [written[start:end] for start, end in zip(mapped.starts, mapped.ends, strict=True)] == list(
        mapped.text
    )
