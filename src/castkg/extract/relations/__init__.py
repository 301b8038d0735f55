"""Facts between the mentions of one article, by the relation rules of relations.yaml.

Each rule kind is a finder registered by name in ``castkg.registry.FINDERS`` with the frozen
dataclass of its settings and what it emits: a plain function from the article (a frozen
:class:`~castkg.extract.scope.ArticleScope`) and the rule to what the rule finds. One module per
family of relations:

- :mod:`.actors`: organizer, launchedBy, chair (who did it);
- :mod:`.places`: location;
- :mod:`.dates`: startDate, endDate;
- :mod:`.parts`: partOf, rank, involves (ranked lists, sub-events, what an event involves);
- :mod:`.organisations`: subOrganizationOf;
- :mod:`.posts`: the posts people hold (ckg:holds a ckg:Position).
"""

from __future__ import annotations

from castkg.extract.relations import actors, dates, organisations, parts, places, posts
from castkg.extract.scope import ArticleScope
from castkg.model import PositionMention, Relation
from castkg.registry import FINDERS
from castkg.rules import Rules

__all__ = ["FAMILIES", "find_relations"]

FAMILIES = (actors, places, dates, parts, organisations, posts)
"""The modules whose finders are registered when this package is imported."""


def find_relations(scope: ArticleScope, rules: Rules) -> tuple[list[Relation], list[PositionMention]]:
    """What every relation rule finds in the article, in rule order: the relations and the posts."""
    found = [f for rule in rules.relation_rules for f in FINDERS[rule.kind].function(scope, rule)]
    return [f for f in found if isinstance(f, Relation)], [f for f in found if isinstance(f, PositionMention)]
