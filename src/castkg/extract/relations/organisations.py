"""Which body a body belongs to: subOrganizationOf for a department named after its body
(中国科协联合国咨商专委会 → 中国科协)."""

from __future__ import annotations

from dataclasses import dataclass

from castkg.extract.relations.common import finder, label_of
from castkg.extract.scope import ArticleScope
from castkg.model import Mention, Relation
from castkg.registry import RULE_PREDICATE
from castkg.rules import Predicate, Rule, Rules, WordList, name_key


@dataclass(frozen=True)
class WithWholeBodies:
    """Settings of ``sub_organization``: the property it states, and the endings (``whole_bodies``,
    a word list) of a body that stands on its own even where it is named only inside one of its
    units (安徽某大学|创新教育学院, 某市科协|办公室)."""

    predicate: Predicate
    whole_bodies: WordList


@finder("sub_organization", settings=WithWholeBodies, emits=(RULE_PREDICATE,))
def sub_organization(scope: ArticleScope, rule: Rule[WithWholeBodies]) -> list[Relation]:
    """A department named after its body: 中国科协联合国咨商专委会 → 中国科协; in the text, or
    signing it (中国科协某办公室供稿) when no curated entry already says whose it is. The body is
    named elsewhere in the article, or its name ends as a whole body's does."""
    found = []
    standalone = {name_key(label_of(m)) for m in scope.all_mentions() if not m.nested} | (
        {name_key(label_of(scope.owner))} if scope.owner else set()
    )
    whole = rule.settings.whole_bodies.words
    signers = [m for m in scope.signers if m.key is None]
    for mention in [*scope.all_mentions(), *signers]:
        name = mention.parent
        if mention.cls != "Organization" or not name:
            continue
        if name_key(name) in standalone or name.endswith(whole):
            parent = Mention(
                mention.sentence,
                mention.start,
                mention.start + len(name),
                name,
                "Organization",
                rule.id,
                key=_key(scope.rules, name),
                nested=True,
            )
            found.append(Relation(mention, rule.settings.predicate, rule.id, mention.sentence, object=parent))
    return found


def _key(rules: Rules, name: str) -> str | None:
    entry = rules.lookup(name)
    return entry.id if entry else None
