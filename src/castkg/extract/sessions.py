"""Sessions and ceremonies named by their kind alone (开幕式, 启动仪式, 分论坛 …): which named
ceremony of the article a bare kind refers back to (启动仪式 after …科技活动周启动暨…授牌仪式).

A bare kind that refers to no named ceremony is a session of its own; the relation finders
(``extract.relations.parts``) make it part of the event it belongs to, and resolve qualifies its
label by that event (contract, "Labels").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from castkg.model import Mention
from castkg.registry import WORDS
from castkg.rules import Rules

SESSION_KINDS = WORDS.need("session_kinds")
SESSION_HEADS = WORDS.need("session_heads")
EVENT_JOINERS = WORDS.need("event_joiners")


def is_bare_session(mention: Mention, rules: Rules) -> bool:
    """Is ``mention`` a session or ceremony named by its kind alone (its label is the kind)?"""
    return (
        mention.cls == "Event" and mention.label is not None and mention.label in rules.words(SESSION_KINDS)
    )


def named_by_kind(mention: Mention, rules: Rules) -> bool:
    """Is ``mention`` named by a session's kind alone, bare or referring back to a named ceremony
    (its kind is its altLabel and ends its surface)?"""
    kinds = rules.words(SESSION_KINDS)
    return mention.cls == "Event" and any(
        alt in kinds and mention.surface.endswith(alt) for alt in mention.alt_labels
    )


def refers_to(kind: str, name: str, rules: Rules) -> bool:
    """Does the bare ``kind`` name the ceremony called ``name``: the name ends with the kind, holds
    it before 暨 (开幕式暨大会报告会), or ends with the kind's head and holds the rest of it
    (启动仪式 → …科技活动周启动暨科普教育基地授牌仪式)? Each is read in its short form (签字仪式
    and 签约仪式 are one kind)."""
    kind, name = rules.in_short_form(kind), rules.in_short_form(name)
    if name == kind:
        return False
    if name.endswith(kind) or any(kind + joiner in name for joiner in rules.words(EVENT_JOINERS)):
        return True
    head = next((h for h in rules.words(SESSION_HEADS) if kind.endswith(h)), None)
    stem = kind[: -len(head)] if head else ""
    return head is not None and len(stem) >= 2 and name.endswith(head) and stem in name


def refer_back(mentions: Mapping[int, Sequence[Mention]], rules: Rules) -> dict[int, list[Mention]]:
    """The article's mentions (by sentence), each bare kind that names a ceremony the article names
    in full given that ceremony's name as label, so both are one entity (its kind an altLabel)."""
    named = [
        m
        for index in sorted(mentions)
        for m in mentions[index]
        if m.cls == "Event" and not m.nested and not is_bare_session(m, rules)
    ]
    found: dict[int, list[Mention]] = {}
    for index in sorted(mentions):
        found[index] = []
        for mention in mentions[index]:
            if is_bare_session(mention, rules):
                kind = mention.label or mention.surface
                targets = [m for m in named if refers_to(kind, m.label or m.surface, rules)]
                earlier = [m for m in targets if (m.sentence, m.start) < (mention.sentence, mention.start)]
                if earlier:
                    mention = replace(mention, label=earlier[-1].label or earlier[-1].surface)
            found[index].append(mention)
    return found
