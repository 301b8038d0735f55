"""The signature of an article: its signing departments as Organization mentions, and the body
whose bulletin it is (the top of the first signer's chain of parents; contract: "Who did it")."""

from __future__ import annotations

from castkg.extract.mentions import find_mentions, sentence_scope
from castkg.extract.scope import SIGNATURE
from castkg.extract.text import in_traditional_script
from castkg.model import Article, Mention
from castkg.rules import Rules
from castkg.script import normalise, written_form

__all__ = ["owner_of", "publishers"]


def publishers(article: Article, rules: Rules) -> list[Mention]:
    """The signing departments as Organization mentions; a bare department takes the body of the
    one before it (中国科协调研宣传部、信息中心 → 中国科协信息中心)."""
    found: list[Mention] = []
    traditional = in_traditional_script(article)
    for name in article.publishers:
        source = normalise(name, simplify=traditional)
        text = source.text
        written = written_form(source, text, text)
        entry = rules.lookup(text)
        if entry is not None and entry.cls == "Organization":
            found.append(
                Mention(
                    SIGNATURE,
                    0,
                    len(text),
                    text,
                    "Organization",
                    "signature",
                    key=entry.id,
                    label=entry.label,
                    written=written,
                )
            )
            continue
        scope = sentence_scope(text, SIGNATURE, rules)
        mentions = find_mentions(scope, rules)
        whole = [m for m in mentions if m.cls == "Organization" and m.end == len(text)]
        named = any(m.start == 0 and m.cls in ("Place", "Organization") for m in mentions) or whole
        # 信息中心 after 中国科协调研宣传部 is CAST's; 江西省科学技术协会 after a CAST department is not
        parent = whole[0].parent if whole and whole[0].parent else None if named else _parent_of(found, rules)
        found.append(
            Mention(
                SIGNATURE, 0, len(text), text, "Organization", "signature", parent=parent, written=written
            )
        )
    return found


def _parent_of(previous: list[Mention], rules: Rules) -> str | None:
    for mention in reversed(previous):
        entry = rules.gazetteer.get(mention.key) if mention.key else None
        if entry and entry.part_of:
            return rules.gazetteer[entry.part_of].label
        if mention.parent:
            return mention.parent
    return None


def owner_of(publishers: list[Mention], rules: Rules) -> Mention | None:
    """The body whose bulletin this is: the top of the first signer's chain of parents."""
    if not publishers:
        return None
    first = publishers[0]
    entry = rules.gazetteer.get(first.key) if first.key else None
    if entry is None and first.parent:
        entry = rules.lookup(first.parent)
        if entry is None:
            return Mention(SIGNATURE, 0, len(first.parent), first.parent, "Organization", "signature")
    if entry is None:
        return first
    while entry.part_of:
        entry = rules.gazetteer[entry.part_of]
    return Mention(
        SIGNATURE,
        0,
        len(entry.label),
        entry.label,
        "Organization",
        "signature",
        key=entry.id,
        label=entry.label,
    )
