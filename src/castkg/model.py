"""The typed values that flow between pipeline stages.

read:    paths            → Document
segment: Document         → Article (title, blocks, ranked-list items, signature)
extract: Article + Rules  → Extraction (mentions, relation and measure candidates)
resolve: Extractions      → Resolved (EntityKey → Entity, facts, measures, positions)
map:     Resolved         → rdflib Dataset

Every value is a frozen dataclass, so no stage can change what an earlier one made.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from castkg.slugs import CLASS_PATHS, ascii_slug, short_hash


@dataclass(frozen=True)
class Document:
    """One decoded input: a file, or one record of a JSON Lines corpus."""

    source: str
    """The input path as given on the command line (relative where it was relative);
    for a JSON Lines record, ``path#id``."""
    text: str
    """The decoded text, line ends normalised to ``\\n``; HTML already reduced to its article text."""
    encoding: str = "utf-8"
    date: dt.date | None = None
    """A publication date that came with the input (JSON Lines ``date``), used when no signature gives one."""

    @property
    def digest(self) -> str:
        """A digest of the text: what the input's IRI is made of, wherever the file lies."""
        return short_hash(self.text, 16)


@dataclass(frozen=True)
class ListItem:
    """One item of a ranked list ("1 …", "一、…", "（一）…", Markdown bullets)."""

    rank: int
    heading: str
    """The heading text without its number or bullet."""


@dataclass(frozen=True)
class Block:
    """One paragraph of an article body, with the ranked-list item it belongs to, if any."""

    text: str
    item: int | None = None
    """Index into ``Article.items`` of the item this paragraph belongs to (its heading
    line is not repeated here); ``None`` for paragraphs outside a list."""


@dataclass(frozen=True)
class Dateline:
    """What a news dateline (新华社北京5月30日电, 人民网天津7月14日电) says: where and on which day the
    news was filed. The dateline itself is not in the article's text."""

    place: str | None = None
    """The place as written (北京); None when the dateline names none (本报讯)."""
    date: dt.date | None = None
    """The day it states, its year from the article's date; None without a day or a year."""
    agency: str | None = None
    """The news agency or site that filed it, as written (新华社); None when the dateline names none."""
    month_day: tuple[int, int] | None = None
    """The month and day it states, known with or without a year (11月15日)."""


@dataclass(frozen=True)
class Article:
    """One news item of a document: title, body, signature."""

    source: str
    index: int
    """1-based position of the article in its document."""
    title: str
    blocks: tuple[Block, ...]
    items: tuple[ListItem, ...] = ()
    publishers: tuple[str, ...] = ()
    """The signing departments as written in the signature ("中国科协调研宣传部", "信息中心")."""
    date: dt.date | None = None
    """The signature's ``[YYYY-MM-DD]``, else the page's own date line, else the document's date."""
    file_digest: str = ""
    """The :attr:`Document.digest` of the input it came from (its file node's IRI)."""
    dateline: Dateline | None = None
    """The dateline its text opened (or closed) with, when it had one."""

    @property
    def reference_date(self) -> dt.date | None:
        """The day the news speaks from (今天, 当日, a day without month or year): its dateline's day,
        else its date."""
        if self.dateline is not None and self.dateline.date is not None:
            return self.dateline.date
        return self.date

    @property
    def key(self) -> str:
        """Where the article is, for messages and for telling articles apart within one build:
        its source and position. Never part of an IRI (see :attr:`digest`)."""
        return f"{self.source}#{self.index}"

    @cached_property  # asked for each key and IRI: normalising the whole text each time was 10 % of a build
    def digest(self) -> str:
        """Who the article is, wherever its file lies: a digest of its normalised text (title,
        list headings and body; NFKC, whitespace removed). Two files holding the same article
        (a reprint) give it one digest."""
        text = "".join((self.title, *(i.heading for i in self.items), *(b.text for b in self.blocks)))
        return short_hash(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)), 16)


# --- extraction -------------------------------------------------------------


@dataclass(frozen=True)
class TextMap:
    """A normalised text with the way back to the text as written (:func:`castkg.script.normalise`).

    Every character of ``text`` came from the span ``starts[i]:ends[i]`` of the text as written (a
    character NFKC expands gives several characters with one span; a space standing for a run of
    whitespace spans the run), in order; what the normaliser removed (invisible characters,
    whitespace, pinyin glosses) lies between spans.
    """

    text: str
    """The form the rules match on: NFKC, glosses and invisibles removed, simplified script."""
    written: str
    """``text`` before traditional characters became simplified: of the same length, so
    ``written[i:j]`` is how the text wrote what ``text[i:j]`` reads (協會 for 协会)."""
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the text as written that ``text[start:end]`` (not empty) came from."""
        return self.starts[start], self.ends[end - 1]


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, in original and normalised form."""

    index: int
    block: int
    """Index into ``Article.blocks``; -1 for the title, -2 - i for the heading of item i."""
    original: str
    text: str
    """Normalised text (NFKC, simplified script: ``source.text``), the form all rules match on."""
    item: int | None = None
    source: TextMap | None = None
    """How ``text`` maps back to ``original``; None for a sentence made without the normaliser."""

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that ``text[start:end]`` (a mention, a count) was written as."""
        return self.source.original_span(start, end) if self.source is not None else (start, end)


@dataclass(frozen=True)
class Mention:
    """A span of a sentence that names an entity of a contract class."""

    sentence: int
    start: int
    end: int
    surface: str
    """The name as matched (NFKC), without wrapping quote marks."""
    cls: str
    """Contract class local name: Organization, Platform, Event, …"""
    rule: str
    key: str | None = None
    """The gazetteer id when the mention is of a curated entity."""
    label: str | None = None
    """Preferred label when it differs from the surface (a Place's bare name, a list item's heading)."""
    alt_labels: tuple[str, ...] = ()
    parent: str | None = None
    """Surface of the body this mention is a department of (调研宣传部 → 中国科协)."""
    rank: int | None = None
    """For the event of a ranked-list item: its rank."""
    nested: bool = False
    """True when the mention lies inside another mention's span (世界经济论坛 in its 对话会)."""
    written: str | None = None
    """The name as the text wrote it, when that differs from ``surface`` (traditional script:
    中國科協 for 中国科协); stated as an other name, never as the preferred one."""


@dataclass(frozen=True)
class Relation:
    """A candidate fact between two mentions, or a mention and a literal."""

    subject: Mention
    predicate: str
    """Contract property local name: organizer, chair, location, launchedBy, …"""
    rule: str
    sentence: int
    object: Mention | None = None
    value: str | None = None
    """A literal value in its lexical form (an ``xsd:date``, an integer)."""
    datatype: str | None = None


@dataclass(frozen=True)
class MeasureMention:
    """A counted number stated in a sentence."""

    sentence: int
    value: Decimal
    unit: str | None
    counts: str
    qualifier: str | None
    """Approximately, MoreThan or Nearly; None when exact."""
    surface: str
    rule: str
    owner: Mention | None = None
    """The list-item event the number belongs to; None for article level."""
    counts_written: str | None = None
    """What is counted as the text wrote it, when that differs from ``counts`` (traditional script)."""
    activity: str = ""
    """What the people counted do, when their clause says (60余人参加会议 → 参加会议): counted too."""


@dataclass(frozen=True)
class PositionMention:
    """A person named with a post in an organisation (中国科协党组书记怀进鹏)."""

    sentence: int
    person: Mention
    organization: Mention
    role: str
    rule: str


@dataclass(frozen=True)
class Extraction:
    """Everything one article's text yields, before entities are resolved across articles."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...] = ()
    measures: tuple[MeasureMention, ...] = ()
    positions: tuple[PositionMention, ...] = ()
    publishers: tuple[Mention, ...] = ()
    owner: Mention | None = None
    """The body whose bulletin the article is (the top of its first signer's parents)."""
    list_event: Mention | None = None
    """The event the article's ranked list is (十大事件), when it has one: its items are known by it."""


# --- resolution -------------------------------------------------------------


@dataclass(frozen=True)
class EntityKey:
    """Who a thing is, across articles: two mentions with equal keys name one entity.

    A curated thing is its gazetteer id; anything else its class and the compare-form of its
    name. An edition of a curated series is the series and its year (2021年全国科普日), or its
    ordinal where no year can be known. An event named with no year or ordinal is also keyed
    with the day it happened (``when``: two 中共中央政治局会议 of different days are two
    meetings). Three kinds of thing are known only relative to another (``within``): a
    ranked-list item by the list and its rank, a meeting named by number alone
    (2021年第4次党组会议) by its organizer, and a session or ceremony named by its kind alone
    (开幕式) by its event. Where the list, the organizer or the day is unknown,
    the article stands in for it. Make keys with :meth:`of_entry`, :meth:`of_name`,
    :meth:`edition`, :meth:`item`, :meth:`numbered`, :meth:`session_of` and :meth:`on`.
    """

    entry: str | None = None
    """The gazetteer id of a curated thing, or of the series an edition belongs to."""
    cls: str | None = None
    """The contract class of a thing known by its name (a curated thing's is the gazetteer's)."""
    name: str | None = None
    """The compare-form of the name, long words in their short form (湖南省科学技术协会 → 湖南省科协)."""
    rank: int | None = None
    """A ranked-list item's rank in its list."""
    within: EntityKey | None = None
    """What the key is relative to: an item's list, a numbered meeting's organizer, a session's event."""
    article: str | None = None
    """The article (its :attr:`Article.digest`) standing in for ``within`` or ``when`` when the
    list, the organizer or the day is unknown."""
    year: int | None = None
    """An edition's year."""
    ordinal: int | None = None
    """An edition's number in its series, where its year cannot be known."""
    when: str | None = None
    """The day (ISO) an event named without a year or ordinal happened."""

    @classmethod
    def of_entry(cls, entry: str) -> EntityKey:
        """The key of the curated thing with gazetteer id ``entry``."""
        return cls(entry=entry)

    @classmethod
    def of_name(cls, klass: str, name: str) -> EntityKey:
        """The key of a thing of class ``klass`` known by ``name`` (a compare-form)."""
        return cls(cls=klass, name=name)

    @classmethod
    def edition(cls, series: str, year: int | None = None, ordinal: int | None = None) -> EntityKey:
        """The key of the edition of the curated series ``series`` of ``year`` (else of ``ordinal``)."""
        return cls(entry=series, year=year, ordinal=None if year else ordinal)

    @classmethod
    def item(cls, rank: int, within: EntityKey | None, article: str) -> EntityKey:
        """The key of the item of rank ``rank`` in the list ``within`` (else in ``article``'s list)."""
        return cls(rank=rank, within=within, article=None if within else article)

    def numbered(self, organizer: EntityKey | None, article: str) -> EntityKey:
        """This meeting's key once qualified by its organizer (else by ``article``)."""
        return replace(self, within=organizer, article=None if organizer else article)

    def session_of(self, event: EntityKey) -> EntityKey:
        """This session's or ceremony's key (开幕式) once qualified by the event it is part of:
        two articles' 开幕式 are different things."""
        return replace(self, within=event, article=None)

    def on(self, when: str | None, article: str) -> EntityKey:
        """This event's key once qualified by the day it happened (else by ``article``)."""
        return replace(self, when=when, article=None if when else article)

    @property
    def curated(self) -> bool:
        """Is this the key of a gazetteer entry itself (no list, organizer, edition or day)?"""
        return self.entry is not None and self == EntityKey.of_entry(self.entry)

    @property
    def is_edition(self) -> bool:
        """Is this the key of one edition of a curated series?"""
        return self.entry is not None and (self.year is not None or self.ordinal is not None)

    @property
    def text(self) -> str:
        """The key as one string (``gaz:cast``, ``Event:…@gaz:cast``, ``gaz:national-kepu-day#2021``,
        ``Event:…@2021-01-28``, ``item:…#3``): what the digest in a non-curated IRI is taken of.
        Only ever written, never parsed back."""
        relative = self.within.text if self.within is not None else f"article:{self.article}"
        if self.rank is not None:
            return f"item:{relative}#{self.rank}"
        own = f"gaz:{self.entry}" if self.entry is not None else f"{self.cls}:{self.name}"
        if self.is_edition:
            own += f"#{self.year}" if self.year is not None else f"#no{self.ordinal}"
        if self.when is not None:
            return f"{own}@{self.when}"
        return own if self.within is None and self.article is None else f"{own}@{relative}"

    def slug(self, cls: str) -> str:
        """The IRI local name under ckr: of the entity of class ``cls`` this key identifies, made of
        the key alone (never of a label, which depends on the other articles of a build):
        ``org_cast`` for a curated body, ``event_national-kepu-day--2021`` for an edition,
        ``event_zhong-gong-zhong-yang-…-3fa1c2`` for anything else (no ``/``, so Turtle writes
        every resource as a prefixed name)."""
        if self.curated:
            return f"{CLASS_PATHS[cls]}_{self.entry}"
        if self.is_edition:
            number = str(self.year) if self.year is not None else f"no{self.ordinal}"
            return f"{CLASS_PATHS[cls]}_{self.entry}--{number}"  # gazetteer ids never hold "--"
        return f"{CLASS_PATHS[cls]}_{ascii_slug(self.readable)}-{short_hash(self.text)}"

    @property
    def readable(self) -> str:
        """The readable part of a non-curated IRI: the name, or an item's list and rank."""
        if self.rank is not None:
            return f"{self.within.readable if self.within is not None else 'item'}-{self.rank}"
        return self.name or self.entry or "x"


@dataclass(frozen=True)
class Entity:
    """One real thing of a contract class (or a series of events), as the graph will state it.

    What the text says of it is kept per article (``names_in``, ``evidence_in``), so each article's
    graph states only its own article's words and never depends on another file. Its one preferred
    ``label`` (and English label) depends on every article that names it, so it is stated apart
    from the article graphs, in the graph of entities (:func:`castkg.mapping.entity_graph`).
    """

    key: EntityKey
    cls: str
    slug: str
    """The IRI's local part under ckr: (:meth:`EntityKey.slug`)."""
    label: str
    en: str | None
    articles: tuple[str, ...]
    names_in: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Article key → the names that article uses for the entity."""
    evidence_in: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Article key → the sentences of that article that tell of the entity (events)."""
    curated_alt_labels: tuple[str, ...] = ()
    """The gazetteer's other names, stated in the graph of entities."""

    def names_used_in(self, article: str) -> tuple[str, ...]:
        """Every name an article uses for the entity (Chinese and English), sorted: its graph
        states them as ``skos:altLabel``."""
        return tuple(sorted(self.names_in.get(article, ())))


@dataclass(frozen=True)
class Fact:
    """One statement about an entity, with where it came from."""

    subject: EntityKey
    predicate: str
    rule: str
    article: str
    object: EntityKey | None = None
    value: str | None = None
    datatype: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class MeasureFact:
    """A stated number: what it counts, and the event or article it belongs to."""

    slug: str
    article: str
    owner: EntityKey | None
    value: Decimal
    unit: str | None
    counts: str
    qualifier: str | None
    evidence: str
    rule: str
    counts_written: str | None = None
    """``counts`` as the text wrote it (traditional script), stated as a second ckg:counts."""
    activity: str = ""
    """What the people counted do (参加会议), stated as a further ckg:counts."""


@dataclass(frozen=True)
class PositionFact:
    """A post held by a person in an organisation, as one article states it (on its date)."""

    slug: str
    person: EntityKey
    organization: EntityKey
    role: str
    label: str
    evidence: str
    article: str
    rule: str
    date: dt.date | None = None
    """The article's date: the day the article says the person held the post."""
    membership: str = ""
    """The IRI local part of the org:Membership this article's statement of the post makes."""


@dataclass(frozen=True)
class ArticleRecord:
    """An article with the keys the graph needs: its IRI slug, signers and what it names."""

    article: Article
    slug: str
    file_slug: str
    publishers: tuple[EntityKey, ...]
    mentions: tuple[EntityKey, ...]


@dataclass(frozen=True)
class Resolved:
    """The whole corpus, resolved: what the mapping stage turns into RDF."""

    entities: Mapping[EntityKey, Entity]
    facts: tuple[Fact, ...]
    measures: tuple[MeasureFact, ...]
    positions: tuple[PositionFact, ...]
    articles: tuple[ArticleRecord, ...]
