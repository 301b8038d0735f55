"""Readable, stable IRI local names: pinyin slugs of Chinese names and short digests.

The same input gives the same slug on every run and machine; a digest keeps distinct things
apart where their readable part is the same.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import lru_cache
from typing import cast

from pypinyin import lazy_pinyin

CLASS_PATHS = {
    "Organization": "org",
    "Platform": "platform",
    "Event": "event",
    "Initiative": "initiative",
    "Award": "award",
    "Person": "person",
    "Place": "place",
    "Publication": "publication",
    "EventSeries": "series",
}
"""The first part of an entity's IRI local name, by class: ``ckr:org_cast``, ``ckr:event_…``."""


def short_hash(text: str, length: int = 6) -> str:
    """A stable short hex digest of ``text``."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def _as_one_word(chars: str) -> list[str]:
    """Characters without pinyin (digits, Latin letters) stay as they are, as one word."""
    return [chars]


# pypinyin's stub types the errors= callback as returning str; it may return a list (see its docs)
_KEEP_AS_ONE_WORD = cast("Callable[[str], str]", _as_one_word)


@lru_cache(maxsize=1 << 16)  # a pure function asked again for every article naming a thing; pinyin is slow
def ascii_slug(text: str, limit: int = 48) -> str:
    """A readable ASCII slug of a name: 第22届中国科协年会 → di-22-jie-zhong-guo-ke-xie-nian-hui."""
    words = lazy_pinyin(text, errors=_KEEP_AS_ONE_WORD)
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")
    return slug[:limit].rstrip("-") or "x"


def path_slug(source: str) -> str:
    """The slug of an input path: readable, plus a digest so distinct paths never collide."""
    return f"{ascii_slug(source, 60)}-{short_hash(source)}"
