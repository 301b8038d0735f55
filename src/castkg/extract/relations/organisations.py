"""Which body a body belongs to: subOrganizationOf for a department named after its body
(中国科协联合国咨商专委会 → 中国科协)."""

from __future__ import annotations

from castkg.extract.relations.common import OfPredicate, finder, label_of
from castkg.extract.scope import ArticleScope
from castkg.model import Mention, Relation
from castkg.registry import RULE_PREDICATE
from castkg.rules import Rule, Rules, name_key


@finder("sub_organization", settings=OfPredicate, emits=(RULE_PREDICATE,))
def sub_organization(scope: ArticleScope, rule: Rule[OfPredicate]) -> list[Relation]:
    """A department named after its body: 中国科协联合国咨商专委会 → 中国科协; in the text, or
    signing it (中国科协某办公室供稿) when no curated entry already says whose it is."""
    found = []
    standalone = {name_key(label_of(m)) for m in scope.all_mentions() if not m.nested} | (
        {name_key(label_of(scope.owner))} if scope.owner else set()
    )
    signers = [m for m in scope.signers if m.key is None]
    for mention in [*scope.all_mentions(), *signers]:
        if mention.cls == "Organization" and mention.parent and name_key(mention.parent) in standalone:
            parent = Mention(
                mention.sentence,
                mention.start,
                mention.start + len(mention.parent),
                mention.parent,
                "Organization",
                rule.id,
                key=_key(scope.rules, mention.parent),
                nested=True,
            )
            found.append(Relation(mention, rule.settings.predicate, rule.id, mention.sentence, object=parent))
    return found


def _key(rules: Rules, name: str) -> str | None:
    entry = rules.lookup(name)
    return entry.id if entry else None
