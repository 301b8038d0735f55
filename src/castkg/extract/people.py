"""People named in full once and then by a part of their name: one entity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from castkg.extract.mentions import MIDDLE_DOTS
from castkg.model import Mention

__all__ = ["name_short_people"]


def name_short_people(mentions: Mapping[int, Sequence[Mention]]) -> dict[int, list[Mention]]:
    """The article's mentions (by sentence), each person named by the last part of a transliterated
    name the article gives in full (萨尔瓦·某某 … 某某表示) labelled with that full name, so both are
    one entity."""
    full: dict[str, Mention] = {}
    for found in mentions.values():
        for mention in found:
            name = mention.label or mention.surface
            if mention.cls == "Person" and any(dot in name for dot in MIDDLE_DOTS):
                last = name.translate({ord(dot): "·" for dot in MIDDLE_DOTS}).rsplit("·", 1)[-1]
                full.setdefault(last, mention)
    return {
        index: [
            replace(m, label=full[m.surface].label or full[m.surface].surface, key=full[m.surface].key)
            if m.cls == "Person" and m.label is None and m.key is None and m.surface in full
            else m
            for m in found
        ]
        for index, found in mentions.items()
    }
