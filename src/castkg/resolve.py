"""Stage 4, resolve: every article's mentions → one entity per real thing, with its facts.

Identity comes from typed keys (:class:`castkg.model.EntityKey`): a gazetteer id for a curated
thing; else the class and the compare-form of the name (quotes, spaces and case ignored),
qualified by the organizer for meetings named by number alone (2021年第4次党组会议) and by the
list for ranked-list items. Nothing here reads files or keeps state: the same extractions always
give the same entities, in the same order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from castkg.extract.bodies import is_bare_local_body
from castkg.extract.sessions import is_bare_session
from castkg.extract.text import evidence
from castkg.model import (
    Article,
    ArticleRecord,
    Entity,
    EntityKey,
    Extraction,
    Fact,
    MeasureFact,
    MeasureMention,
    Mention,
    PositionFact,
    PositionMention,
    Relation,
    Resolved,
)
from castkg.registry import PATTERNS, WORDS
from castkg.rules import Rules, name_key
from castkg.slugs import ascii_slug, path_slug, short_hash

LEADING_NUMBERING = PATTERNS.need("leading_numbering")
GENERIC_HEADS = WORDS.need("generic_heads")
NUMBERED_MEETINGS = WORDS.need("numbered_meetings")


# --- identity ------------------------------------------------------------------------------------


@dataclass
class _Pool:
    """Entities as they are gathered: names, articles and evidence per key."""

    cls: dict[EntityKey, str] = field(default_factory=dict)
    names: dict[EntityKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    articles: dict[EntityKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    names_in: dict[EntityKey, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    evidence_in: dict[EntityKey, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    curated: dict[EntityKey, str] = field(default_factory=dict)
    bare: dict[EntityKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    """A place's names without their administrative suffix (澜沧 for 澜沧拉祜族自治县)."""
    sessions: dict[EntityKey, tuple[EntityKey, str]] = field(default_factory=dict)
    """A session named by its kind alone → the event it is part of and its kind (开幕式)."""

    def add(
        self,
        key: EntityKey,
        cls: str,
        names: Iterable[str],
        article: str,
        proof: str | None = None,
        curated: str | None = None,
        bare: str | None = None,
        written: str | None = None,
    ) -> None:
        self.cls.setdefault(key, cls)
        if bare:
            self.bare[key].add(bare)
        names = [n for n in names if n]
        self.names[key].update(names)
        self.names_in[key][article].update(names)
        if written:  # the traditional form as written: another name, never the preferred one
            self.names_in[key][article].add(written)
        self.articles[key].add(article)
        if proof:
            self.evidence_in[key][article].add(proof)
        if curated:
            self.curated[key] = curated


def _lookup(rules: Rules, name: str, cls: str) -> str | None:
    """The gazetteer id of ``name`` (or of it without a generic head: 科普中国平台) when of class ``cls``."""
    for candidate in (
        name,
        *(name.removesuffix(h) for h in rules.words(GENERIC_HEADS) if name.endswith(h)),
    ):
        entry = rules.lookup(candidate)
        if entry is not None and entry.cls == cls:
            return entry.id
    return None


def mention_key(mention: Mention, rules: Rules) -> EntityKey:
    """The identity key of one mention, before organizers are known."""
    if mention.key:
        return EntityKey.of_entry(mention.key)
    name = mention.label or mention.surface
    if mention.cls == "Award":
        name = rules.pattern(LEADING_NUMBERING).sub("", name) or name
    curated = _lookup(rules, name, mention.cls)
    if curated:
        return EntityKey.of_entry(curated)
    return EntityKey.of_name(mention.cls, short_form(name_key(name), rules))


def short_form(key: str, rules: Rules) -> str:
    """A name's key with its long words in their usual short form: 湖南省科学技术协会 → 湖南省科协."""
    for long, short in sorted(rules.short_forms.items(), key=lambda pair: -len(pair[0])):
        key = key.replace(long, short)
    return key


def _numbered_meeting(label: str, rules: Rules) -> bool:
    label = re.sub(r"[(（][\u4e00-\u9fff]{1,4}[)）]", "", label)  # 党组(扩大)会议
    bare = rules.pattern(LEADING_NUMBERING).sub("", label)
    return bare != label and bare in rules.words(NUMBERED_MEETINGS)


class _Keys:
    """Keys of one article's mentions, with the article-level refinements."""

    def __init__(
        self, extraction: Extraction, rules: Rules, editions: Mapping[str, EntityKey] | None = None
    ) -> None:
        self.rules, self.extraction = rules, extraction
        self.list_key: EntityKey | None = None
        self.organizers = self._organizers()
        self.sessions = self._sessions()
        self.editions = {**(editions or {}), **self._editions()}
        self.short_forms = self._short_forms()
        list_event = extraction.list_event
        self.list_key = self.of(list_event) if list_event is not None else None

    def _organizers(self) -> dict[tuple[int, int, int], EntityKey]:
        found: dict[tuple[int, int, int], EntityKey] = {}
        for relation in self.extraction.relations:
            if relation.predicate == "organizer" and relation.object is not None:
                found.setdefault(_span(relation.subject), mention_key(relation.object, self.rules))
        return found

    def _sessions(self) -> dict[tuple[int, int, int], Mention]:
        """Each session named by its kind alone → the event it is part of."""
        found: dict[tuple[int, int, int], Mention] = {}
        for relation in self.extraction.relations:
            if (
                relation.predicate == "partOf"
                and relation.object is not None
                and is_bare_session(relation.subject, self.rules)
            ):
                found.setdefault(_span(relation.subject), relation.object)
        return found

    def session_of(self, mention: Mention) -> tuple[EntityKey, str] | None:
        """The event a session named by its kind alone is part of, and the kind; else None."""
        whole = self.sessions.get(_span(mention)) if is_bare_session(mention, self.rules) else None
        return (self.of(whole), mention.label or mention.surface) if whole is not None else None

    def _editions(self) -> dict[str, EntityKey]:
        """A series name said alone in a file that names one edition is that edition."""
        editions: dict[str, EntityKey] = {}
        for mention in self.extraction.mentions:
            for alt in mention.alt_labels:
                editions.setdefault(name_key(alt), self.of(mention, refine=False))
        return editions

    def _short_forms(self) -> dict[str, Mention]:
        """An event named by the end of a longer event name in the same article is that event
        (北京主场活动 → 2021年全国科普日北京主场活动)."""
        events = [m for m in self.extraction.mentions if m.cls == "Event" and m.rank is None and not m.key]
        labels = {name_key(m.label or m.surface): m for m in events}
        found = {}
        for short in labels:
            longer = [m for label, m in labels.items() if label != short and label.endswith(short)]
            if len(short) >= 4 and len(longer) == 1:
                found[short] = longer[0]
        return found

    def of(self, mention: Mention, refine: bool = True) -> EntityKey:
        """The key of ``mention`` in this article."""
        if mention.rank is not None:
            return EntityKey.item(mention.rank, self.list_key, self.extraction.article.key)
        key = mention_key(mention, self.rules)
        if not refine:
            return key
        session = self.session_of(mention)
        if session is not None:
            return key.session_of(session[0])
        if mention.cls == "Event" and not mention.key:
            longer = self.short_forms.get(name_key(mention.label or mention.surface))
            if longer is not None:
                return self.of(longer)
        if mention.cls == "Event" and key.entry is not None and self.rules.gazetteer[key.entry].series:
            return self.editions.get(name_key(mention.label or mention.surface), key)
        label = mention.label or mention.surface
        if mention.cls == "Organization" and is_bare_local_body(label, self.rules):
            return key.numbered(None, self.extraction.article.key)  # 县科协 of a page naming no county
        if mention.cls == "Event" and _numbered_meeting(label, self.rules):
            return key.numbered(self.organizers.get(_span(mention)), self.extraction.article.key)
        return key


def _span(mention: Mention) -> tuple[int, int, int]:
    return mention.sentence, mention.start, mention.end


# --- the stage ---------------------------------------------------------------------------------------


def resolve(extractions: Sequence[Extraction], rules: Rules) -> Resolved:
    """One entity per real thing across ``extractions``, with facts, measures, posts and articles."""
    pool = _Pool()
    facts: list[Fact] = []
    measures: list[MeasureFact] = []
    positions: list[PositionFact] = []
    records: list[ArticleRecord] = []
    editions = _editions_by_file(extractions, rules)
    for extraction in extractions:
        record, article_facts, article_measures, article_positions = _resolve_article(
            extraction, rules, pool, editions[extraction.article.source]
        )
        records.append(record)
        facts += article_facts
        measures += article_measures
        positions += article_positions
    entities = _qualified_sessions(_entities(pool, rules), pool.sessions)
    facts += _curated_facts(entities, rules, records)
    facts = [f for f in _dedupe(_without_guesses(facts, rules)) if _stands_alone(f, entities)]
    return Resolved(
        entities=entities,
        facts=tuple(_one_date_each(facts)),
        measures=tuple(measures),
        positions=tuple(positions),
        articles=tuple(records),
    )


def _editions_by_file(extractions: Sequence[Extraction], rules: Rules) -> dict[str, dict[str, EntityKey]]:
    """Per input file, the edition each series name stands for (全国科普日 → 2022年全国科普日)."""
    found: dict[str, dict[str, EntityKey]] = defaultdict(dict)
    for extraction in extractions:
        for series, key in _Keys(extraction, rules).editions.items():
            found[extraction.article.source].setdefault(series, key)
    return found


def _resolve_article(
    extraction: Extraction, rules: Rules, pool: _Pool, editions: Mapping[str, EntityKey]
) -> tuple[ArticleRecord, list[Fact], list[MeasureFact], list[PositionFact]]:
    article = extraction.article
    sentences = extraction.sentences
    keys = _Keys(extraction, rules, editions)
    named: list[EntityKey] = []

    def proof(index: int) -> str | None:
        return evidence(sentences[index].original) if 0 <= index < len(sentences) else None

    for mention in extraction.mentions:
        key = keys.of(mention)
        pool.add(
            key,
            mention.cls,
            _names(mention, rules),
            article.key,
            proof(mention.sentence) if mention.cls == "Event" else None,
            curated=mention.key,
            bare=mention.label if mention.cls == "Place" else None,
            written=mention.written,
        )
        session = keys.session_of(mention)
        if session is not None:
            pool.sessions[key] = session
        named.append(key)
    publishers = []
    for mention in extraction.publishers:
        key, names = _publisher(mention, rules)
        pool.add(key, "Organization", names, article.key, curated=mention.key, written=mention.written)
        publishers.append(key)
        named.append(key)
    facts = [
        _fact(relation, keys, article, proof(relation.sentence), rules, pool)
        for relation in extraction.relations
    ]
    measures = [
        _measure(m, keys, article, proof(m.sentence), n) for n, m in enumerate(extraction.measures, 1)
    ]
    posts = [_position(p, keys, article, proof(p.sentence)) for p in extraction.positions]
    for post in extraction.positions:
        for mention in (post.person, post.organization):
            pool.add(
                keys.of(mention),
                mention.cls,
                _names(mention, rules),
                article.key,
                curated=mention.key,
                written=mention.written,
            )
    slug = f"{path_slug(article.source)}-{article.index}"
    record = ArticleRecord(
        article,
        slug,
        path_slug(article.source),
        tuple(dict.fromkeys(publishers)),
        tuple(sorted(set(named), key=lambda k: k.text)),
    )
    return record, [f for f in facts if f], measures, posts


def _names(mention: Mention, rules: Rules) -> list[str]:
    names = [mention.surface, *(mention.alt_labels)]
    if mention.label:
        names.insert(0, mention.label)
    return [n for n in names if n]


def _publisher(mention: Mention, rules: Rules) -> tuple[EntityKey, list[str]]:
    if mention.key:
        return EntityKey.of_entry(mention.key), [mention.label or mention.surface]
    name = mention.surface
    if mention.parent and not name.startswith(mention.parent):
        full = mention.parent + name
        curated = _lookup(rules, full, "Organization")
        key = EntityKey.of_entry(curated) if curated else EntityKey.of_name("Organization", name_key(full))
        return key, [full, name]
    return mention_key(mention, rules), [name]


def _fact(
    relation: Relation, keys: _Keys, article: Article, proof: str | None, rules: Rules, pool: _Pool
) -> Fact | None:
    subject = keys.of(relation.subject)
    if relation.object is not None:
        target = keys.of(relation.object)
        if target == subject:
            return None
        # a body the fact names without a span of its own (the bulletin's body, a parent, 中国共产党 in
        # 党的十九大) is named by this article too, so the article's graph holds it
        pool.add(
            target,
            relation.object.cls,
            _names(relation.object, rules),
            article.key,
            curated=relation.object.key,
            written=relation.object.written,
        )
        return Fact(subject, relation.predicate, relation.rule, article.key, object=target, evidence=proof)
    return Fact(
        subject,
        relation.predicate,
        relation.rule,
        article.key,
        value=relation.value,
        datatype=relation.datatype,
        evidence=proof,
    )


def _measure(
    measure: MeasureMention, keys: _Keys, article: Article, proof: str | None, number: int
) -> MeasureFact:
    owner = keys.of(measure.owner) if measure.owner else None
    slug = f"{path_slug(article.source)}-{article.index}-{number}"
    return MeasureFact(
        slug,
        article.key,
        owner,
        measure.value,
        measure.unit,
        measure.counts,
        measure.qualifier,
        proof or "",
        measure.rule,
        measure.counts_written,
    )


def _position(position: PositionMention, keys: _Keys, article: Article, proof: str | None) -> PositionFact:
    person, organization = keys.of(position.person), keys.of(position.organization)
    organization_name = position.organization.label or position.organization.surface
    digest = short_hash(person.text + organization.text + position.role)
    slug = f"{ascii_slug(organization_name + position.role, 40)}-{digest}"
    return PositionFact(
        slug,
        person,
        organization,
        position.role,
        organization_name + position.role,
        proof or "",
        article.key,
        position.rule,
    )


def _entities(pool: _Pool, rules: Rules) -> dict[EntityKey, Entity]:
    entities = {}
    for key in sorted(pool.cls, key=lambda k: k.text):
        cls = pool.cls[key]
        curated = rules.gazetteer.get(key.entry) if key.curated and key.entry is not None else None
        names = {n for n in pool.names[key] if n}
        if curated:
            label, en = curated.label, curated.en
            curated_alts = tuple(sorted({*curated.aliases, *curated.known_as, *curated.en_aliases}))
        else:
            label = _preferred(pool.bare[key] if cls == "Place" and pool.bare[key] else names)
            en, curated_alts = None, ()
        entities[key] = Entity(
            key,
            cls,
            key.slug(cls, label),
            label,
            en,
            tuple(sorted(pool.articles[key])),
            {a: tuple(sorted(ns)) for a, ns in pool.names_in[key].items()},
            {a: tuple(sorted(ps)) for a, ps in pool.evidence_in[key].items()},
            curated_alts,
        )
    return entities


def _qualified_sessions(
    entities: dict[EntityKey, Entity], sessions: Mapping[EntityKey, tuple[EntityKey, str]]
) -> dict[EntityKey, Entity]:
    """Sessions named by their kind alone take the kind qualified by their event as label
    (2023年全国科普日 + 启动仪式; contract, "Labels"); the bare kind stays an altLabel."""

    def label(key: EntityKey, seen: frozenset[EntityKey] = frozenset()) -> str:
        if key not in sessions or key in seen or sessions[key][0] not in entities:
            return entities[key].label
        whole, kind = sessions[key]
        qualifier = label(whole, seen | {key})
        return qualifier if qualifier.endswith(kind) else qualifier + kind

    qualified = dict(entities)
    for key in sessions:
        if key in entities:
            name = label(key)
            qualified[key] = replace(entities[key], label=name, slug=key.slug(entities[key].cls, name))
    return qualified


def _preferred(names: set[str]) -> str:
    """The fullest of ``names`` (contract, labels: the fullest name the text uses; for a place,
    the caller passes its bare names)."""
    return sorted(names, key=lambda n: (-len(name_key(n)), -len(n), n))[0]


def _curated_facts(
    entities: Mapping[EntityKey, Entity], rules: Rules, records: Sequence[ArticleRecord]
) -> list[Fact]:
    """What the gazetteer knows of the things an article names: parents, runners, seats, where the
    article names both ends (so an article's graph never depends on another file)."""
    facts = []
    fields = (("part_of", "subOrganizationOf"), ("launched_by", "launchedBy"), ("located_in", "location"))
    for key, entity in entities.items():
        if not key.curated or key.entry is None:
            continue
        entry = rules.gazetteer[key.entry]
        for field_name, predicate in fields:
            target_id = getattr(entry, field_name)
            target = entities.get(EntityKey.of_entry(target_id)) if target_id else None
            if target is None:
                continue
            for article in sorted(
                set(entity.articles) & set(target.articles)
            ):  # each article graph stands alone
                facts.append(Fact(key, predicate, f"gazetteer.{field_name}", article, object=target.key))
    return facts


def _stands_alone(fact: Fact, entities: Mapping[EntityKey, Entity]) -> bool:
    """Does the fact's article name both its ends? (Then the article's graph needs no other file.)"""
    ends = [fact.subject] + ([fact.object] if fact.object else [])
    return all(end in entities and fact.article in entities[end].articles for end in ends)


def _without_guesses(facts: list[Fact], rules: Rules) -> list[Fact]:
    """Drop a bulletin-body guess of an actor where the same article states one for the same thing."""
    guessing = {r.id for r in rules.relation_rules if r.guess}
    stated = {(f.subject, f.predicate, f.article) for f in facts if f.rule not in guessing and f.object}
    return [f for f in facts if f.rule not in guessing or (f.subject, f.predicate, f.article) not in stated]


def _dedupe(facts: Iterable[Fact]) -> list[Fact]:
    seen, kept = set(), []
    for fact in facts:
        identity = (fact.subject, fact.predicate, fact.object, fact.value, fact.article)
        if identity not in seen:
            seen.add(identity)
            kept.append(fact)
    return kept


def _one_date_each(facts: list[Fact]) -> list[Fact]:
    """An event keeps the first start and end date stated for it (the contract allows one of each)."""
    first: dict[tuple[EntityKey, str], str] = {}
    for fact in facts:
        if fact.predicate in ("startDate", "endDate"):
            first.setdefault((fact.subject, fact.predicate), fact.value or "")
    return [
        f
        for f in facts
        if f.predicate not in ("startDate", "endDate") or first[(f.subject, f.predicate)] == f.value
    ]
