"""The typed values that flow between pipeline stages.

read:    paths            → Document
segment: Document         → Article (title, blocks, ranked-list items, signature)
extract: Article + Rules  → Extraction (mentions, relation and measure candidates)
resolve: Extractions      → Resolved (entities with IRIs, facts, measures, positions)
map:     Resolved         → rdflib Dataset

Every value is a frozen dataclass, so no stage can change what an earlier one made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


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
    """The signature's ``[YYYY-MM-DD]``, else the document's date."""

    @property
    def key(self) -> str:
        """A stable identifier of the article: its source and position."""
        return f"{self.source}#{self.index}"


# --- extraction -------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, in original and NFKC form."""

    index: int
    block: int
    """Index into ``Article.blocks``; -1 for the title, -2 - i for the heading of item i."""
    original: str
    text: str
    """NFKC-normalised text, the form all rules match on."""
    item: int | None = None


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
