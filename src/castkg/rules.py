"""Mapping rules and gazetteers: YAML files under ``ontology/`` → one frozen :class:`Rules`.

Loading runs a short list of named steps (read YAML with line numbers; compile the word lists
of lexicon.yaml and the patterns of patterns.yaml; check each rule against the schema derived
from its kind's settings dataclass and convert its settings, classes and properties checked
against the closed ontology namespace; check that every list and pattern the code declares it
reads is there and that nothing there is unread; index the gazetteer's names and derive what
follows from them) and rejects a bad file at load time with ``file:line rule=id → what was
expected``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, NewType, TypeVar, get_args, get_origin, get_type_hints

import yaml

from castkg.errors import RuleError
from castkg.graphs import ontology_dir
from castkg.namespace import CKG, ENTITY_CLASSES
from castkg.registry import FINDERS, INFERENCES, MATCHERS, PATTERNS, WORDS, Kind, Kinds, Need, Needs

LINE = "__line__"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
QUOTE_MARKS = re.compile("[“”‘’\"'《》〈〉「」『』【】]")
COUNT_NUMBER = PATTERNS.need("count_number")
MUNICIPALITY_SUFFIXES = WORDS.need("municipality_suffixes")
CITY = 2
"""The administrative level of a city: 0 a country, 1 a province, 2 a city, 3 within a city."""


def name_key(text: str) -> str:
    """The compare-form of a name: NFKC, no whitespace, no quote marks, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return QUOTE_MARKS.sub("", re.sub(r"\s+", "", text)).lower()


# --- the frozen internal form ----------------------------------------------------


@dataclass(frozen=True)
class GazetteerEntry:
    """One curated real thing: a body, platform, initiative, award, event series, person, place …"""

    id: str
    cls: str
    label: str
    aliases: tuple[str, ...] = ()
    known_as: tuple[str, ...] = ()
    en: str | None = None
    en_aliases: tuple[str, ...] = ()
    part_of: str | None = None
    located_in: str | None = None
    within: str | None = None
    launched_by: str | None = None
    series: bool = False
    first_year: int | None = None
    """Of a series whose editions are numbered one a year (第五个全国科技工作者日): the year of its
    first edition, so an ordinal gives the edition's year."""
    quoted_only: bool = False
    """A slogan or policy name (脱贫攻坚, 十四五) is named as a thing only inside quote marks."""
    label_matched: bool = True
    """False where the label is too common a word to be looked for in text (新安 of 新安县): only
    the aliases are."""
    source: str = ""

    @property
    def matched_names(self) -> tuple[str, ...]:
        """Names that are looked for in text."""
        label = (self.label,) if self.label_matched else ()
        return (*label, *self.aliases, *(n for n in (self.en, *self.en_aliases) if n and len(n) >= 3))

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name, matched or not."""
        return (self.label, *self.aliases, *self.known_as, *(n for n in (self.en, *self.en_aliases) if n))


@dataclass(frozen=True)
class WordList:
    """A named word list of ``lexicon.yaml``: its words, longest first, and the same words as one
    alternation compiled when the rules load."""

    name: str
    words: tuple[str, ...]
    pattern: re.Pattern[str]
    """``(?:w1|w2|…)``, longest word first, so a match at a position is the longest word there."""
    source: str = ""
    members: frozenset[str] = field(init=False, compare=False, repr=False)
    """The words as a set, for ``word in list``."""
    automaton: Any = field(init=False, compare=False, repr=False)
    """An Aho-Corasick automaton of the words (values: their lengths), for :meth:`spans`."""
    lengths: tuple[int, ...] = field(init=False, compare=False, repr=False)
    """The words' lengths, longest first, each once."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", frozenset(self.words))
        object.__setattr__(self, "automaton", _word_automaton(self.words))
        object.__setattr__(self, "lengths", tuple(sorted({len(w) for w in self.words}, reverse=True)))

    def starting_at(self, text: str, position: int) -> Iterator[str]:
        """The words that ``text`` has at ``position``, longest first (as they are listed)."""
        for length in self.lengths:
            word = text[position : position + length]
            if len(word) == length and word in self.members:
                yield word

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every occurrence of every word in ``text``, overlapping ones too, in one
        pass whatever the number of words."""
        if self.automaton is None:
            return
        for last, length in self.automaton.iter(text):
            yield last + 1 - length, last + 1

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.members

    def __len__(self) -> int:
        return len(self.words)


def word_list(name: str, words: Iterable[str], source: str = "") -> WordList:
    """The :class:`WordList` of ``words``: duplicates dropped, longest first (ties in code-point order)."""
    ordered = tuple(sorted(set(words), key=lambda w: (-len(w), w)))
    return WordList(name, ordered, re.compile(alternation(ordered)), source)


def _word_automaton(words: Iterable[str]) -> Any:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in words:
        if word:
            automaton.add_word(word, len(word))
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def alternation(words: Iterable[str]) -> str:
    """``words`` as one non-capturing regular-expression alternation, in the order given."""
    listed = list(words)
    return f"(?:{'|'.join(map(re.escape, listed))})" if listed else "(?!)"


ClassName = NewType("ClassName", str)
"""A setting naming a contract class (Organization, Event …); checked when the rules load."""
Predicate = NewType("Predicate", str)
"""A setting naming a contract property (organizer, partOf …); checked when the rules load."""
RelationRuleId = NewType("RelationRuleId", str)
"""A setting naming a rule of relations.yaml (list.item …); checked when the rules load."""

S = TypeVar("S")


def yaml_name(key: str) -> dict[str, str]:
    """Field metadata giving a settings field the YAML key ``key`` where that is no Python name
    (``cls: ClassName = field(metadata=yaml_name("class"))``)."""
    return {"yaml": key}


@dataclass(frozen=True)
class Rule(Generic[S]):
    """One entity or relation rule: its id, its kind and the kind's settings, typed and checked."""

    id: str
    kind: str
    settings: S
    source: str
    """``file:line`` of the rule."""
    guess: bool = False
    """A relation rule that guesses (the bulletin's body as the actor): its fact is dropped where
    the same article states one for the same thing."""
    patterns: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    """The patterns its kind fills with the rule's own word lists, compiled at load."""
    filled: frozenset[str] = frozenset()
    """The word lists its own patterns name in braces ({venue_openings}), filled in at load."""

    def pattern(self, need: Need) -> re.Pattern[str]:
        """A pattern the rule's kind declared, filled with the rule's word lists."""
        return self.patterns[need.name]


@dataclass(frozen=True)
class MeasureRules:
    """How counted numbers are read."""

    normaliser: str
    units: tuple[str, ...]
    multipliers: Mapping[str, int]
    before: Mapping[str, str]
    """Qualifier words before a number → qualifier name."""
    after: Mapping[str, str]
    """Qualifier words after a number → qualifier name."""
    noun_stops: tuple[str, ...]
    clause_openers: tuple[str, ...]
    max_noun: int
    subject_enders: tuple[str, ...] = ()
    subject_verbs: tuple[str, ...] = ()
    rank_markers: tuple[str, ...] = ()
    anniversary_words: tuple[str, ...] = ()
    date_words: tuple[str, ...] = ()
    date_word_units: tuple[str, ...] = ()
    year_units: tuple[str, ...] = ()
    bare_noun_stops: tuple[str, ...] = ()
    small_numeral_runs: tuple[str, ...] = ()
    small_numbers: tuple[str, ...] = ()
    # issue 8a: numbers on the web
    structure_markers: tuple[str, ...] = ()
    """Words between a bare number and its noun, part of neither (五大板块 counts 板块)."""
    subject_units: tuple[str, ...] = ()
    """Measure words whose number counts its clause's subject, not the noun after it (比例…达10.56%)."""
    people_units: tuple[str, ...] = ()
    """Units of people, whose clause may say what the people counted do (60余人参加会议)."""
    noun_openers: tuple[str, ...] = ()
    """Words that open a counted noun although a noun stop opens them (获奖作品, 入选项目)."""
    noun_skips: tuple[str, ...] = ()
    """Words right after a count that are not what it counts, the noun following them (10名|首届|
    “最美科技工作者”)."""
    id_digits: int = 0
    """A number of this many digits or more with no measure word or multiplier is an id or a
    phone number, not a count (0: no such limit)."""
    ordinal_units: tuple[str, ...] = ()
    ordinal_heads: tuple[str, ...] = ()
    """A number of ``ordinal_units`` before one of ``ordinal_heads`` or after another ordinal unit
    is an ordinal written without 第 (七次代表大会, 十四届九次全会)."""
    pattern: re.Pattern[str] = re.compile("(?!)")
    """The count grammar (qualifier, number, multiplier, unit), compiled once at load."""


@dataclass(frozen=True)
class Rules:
    """Every rule and gazetteer entry, validated and indexed; what the extractor reads."""

    gazetteer: Mapping[str, GazetteerEntry]
    names: Mapping[str, str]
    """``name_key`` of every gazetteer name (matched or not) → entry id."""
    lexicon: Mapping[str, WordList]
    """Every word list of lexicon.yaml by name."""
    short_forms: Mapping[str, str]
    """Long words → the short forms naming the same thing (科学技术协会 → 科协), for identity keys;
    the longest word first (so that replacing in order never cuts a longer one)."""
    entity_rules: tuple[Rule[Any], ...]
    relation_rules: tuple[Rule[Any], ...]
    measures: MeasureRules
    directory: Path = field(compare=False, default=Path("."))
    inference_rules: tuple[Rule[Any], ...] = ()
    """The rules of inferences.yaml: facts drawn from the facts the relation rules found."""
    suffixes: tuple[str, ...] = ()
    """Every suffix of every suffix rule, longest first: where one name may end before another."""
    suffix_words: WordList = field(default_factory=lambda: word_list("suffixes", ()))
    """The same suffixes as a word list, to find where any of them ends in one pass."""
    patterns: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    """The patterns of ``patterns.yaml``, word lists filled in, compiled."""
    place_levels: Mapping[str, int] = field(default_factory=dict)
    """Gazetteer id → administrative level of the place (see ``CITY``), derived when the rules load."""
    automaton: Any = field(default=None, compare=False, repr=False)
    """The Aho-Corasick automaton of the gazetteer's names (:func:`gazetteer_automaton`)."""
    templates: Mapping[str, str] = field(default_factory=dict)
    """The same patterns as written, for those a rule fills with its own word lists."""
    place_abbreviations: Mapping[str, str] = field(default_factory=dict)
    """One-character short forms of places → the place's name (穗 → 广州), as in 在穗召开."""
    entity_rule_by_id: Mapping[str, Rule[Any]] = field(default_factory=dict)
    """Entity rule id → the rule, derived when the rules load: how a mention was found (its kind)
    and with which settings."""

    def words(self, need: Need) -> WordList:
        """The word list the code declared with ``WORDS.need(name)``."""
        return self.lexicon[need.name]

    def in_short_form(self, text: str) -> str:
        """``text`` with its long words in their usual short form (lexicon's short_forms:
        湖南省科学技术协会 → 湖南省科协, 签字仪式 → 签约仪式)."""
        for long, short in self.short_forms.items():  # longest first, as the rules keep them
            text = text.replace(long, short)
        return text

    def pattern(self, need: Need) -> re.Pattern[str]:
        """The pattern the code declared with ``PATTERNS.need(name)``."""
        return self.patterns[need.name]

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The gazetteer entry one of whose names is ``name`` (compared ignoring quotes and case)."""
        entry_id = self.names.get(name_key(name))
        return self.gazetteer[entry_id] if entry_id else None


# --- step 1: YAML with line numbers ---------------------------------------------------


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader (libyaml's, where PyYAML has it: ~4× faster) that records each mapping's line
    under ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, mappings carrying their line; raise RuleError naming the file and line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (safe loader subclass)
    except FileNotFoundError as exc:
        raise RuleError(
            str(path), None, "file not found; restore it or point --rules at a complete folder"
        ) from exc
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise RuleError(str(path), line, f"not valid YAML: {exc.problem}") from exc
    except UnicodeDecodeError as exc:
        raise RuleError(str(path), None, "not UTF-8 text; save it as UTF-8") from exc


# --- step 2: check entries against a schema ---------------------------------------------------

_LIST, _STR, _BOOL, _INT, _MAP = "list of strings", "string", "true or false", "integer", "mapping"
_NAMES = "word list's name or a list of names"


def _check_type(value: Any, expected: str) -> bool:
    return {
        _LIST: lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        _STR: lambda v: isinstance(v, str) and v.strip() != "",
        _BOOL: lambda v: isinstance(v, bool),
        _INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
        _MAP: lambda v: isinstance(v, dict),
        _NAMES: lambda v: _check_type(v, _STR) or (_check_type(v, _LIST) and bool(v)),
    }[expected](value)


def check_fields(item: Any, schema: Mapping[str, tuple[str, bool]], path: Path, what: str) -> dict[str, Any]:
    """Check a YAML mapping against ``schema`` (field → (type, required)); return it without its line."""
    if not isinstance(item, dict):
        raise RuleError(str(path), None, f"{what}: expected a mapping of fields, found {type(item).__name__}")
    line = item.get(LINE)
    named = isinstance(item.get("id"), str)
    label = (f"rule={item['id']}" if what == "rule" else f"{what} id={item['id']}") if named else what
    for key, value in item.items():
        if key == LINE:
            continue
        if key not in schema:
            allowed = ", ".join(sorted(schema))
            raise RuleError(
                str(path),
                line,
                f"{label} → unknown field {key!r} (expected one of: {allowed})"
                f"{did_you_mean(str(key), schema)}",
            )
        expected, _ = schema[key]
        if not _check_type(value, expected):
            raise RuleError(str(path), line, f"{label} → {key}: expected a {expected}, found {value!r}")
    for key, (_, required) in schema.items():
        if required and key not in item:
            raise RuleError(str(path), line, f"{label} → missing required field {key!r}")
    return {k: v for k, v in item.items() if k != LINE}


# --- the gazetteer ------------------------------------------------------------------------

GAZETTEER_FIELDS: Mapping[str, tuple[str, bool]] = {
    "id": (_STR, True),
    "class": (_STR, True),
    "label": (_STR, True),
    "aliases": (_LIST, False),
    "known_as": (_LIST, False),
    "en": (_STR, False),
    "en_aliases": (_LIST, False),
    "part_of": (_STR, False),
    "located_in": (_STR, False),
    "within": (_STR, False),
    "launched_by": (_STR, False),
    "series": (_BOOL, False),
    "first_year": (_INT, False),
    "quoted_only": (_BOOL, False),
    "label_matched": (_BOOL, False),
}


def _gazetteer_entry(item: Any, path: Path) -> GazetteerEntry:
    fields = check_fields(item, GAZETTEER_FIELDS, path, "entry")
    line = item.get(LINE)
    if not SLUG.fullmatch(fields["id"]):
        raise RuleError(
            str(path),
            line,
            f"entry id={fields['id']!r} → id: expected a lowercase ASCII slug like 'cast-kepu'",
        )
    if fields["class"] not in ENTITY_CLASSES:
        raise RuleError(
            str(path),
            line,
            f"entry id={fields['id']} → class: unknown class {fields['class']!r} "
            f"(expected one of: {', '.join(ENTITY_CLASSES)})",
        )
    if "first_year" in fields and not fields.get("series"):
        raise RuleError(
            str(path),
            line,
            f"entry id={fields['id']} → first_year: only a series (series: true) has a first year",
        )
    return GazetteerEntry(
        id=fields["id"],
        cls=fields["class"],
        label=fields["label"].strip(),
        aliases=tuple(a.strip() for a in fields.get("aliases", ())),
        known_as=tuple(a.strip() for a in fields.get("known_as", ())),
        en=fields.get("en"),
        en_aliases=tuple(fields.get("en_aliases", ())),
        part_of=fields.get("part_of"),
        located_in=fields.get("located_in"),
        within=fields.get("within"),
        launched_by=fields.get("launched_by"),
        series=fields.get("series", False),
        first_year=fields.get("first_year"),
        quoted_only=fields.get("quoted_only", False),
        label_matched=fields.get("label_matched", True),
        source=f"{path}:{line}",
    )


def load_gazetteer(directory: Path) -> tuple[dict[str, GazetteerEntry], dict[str, str]]:
    """Read every ``*.yaml`` under ``directory``; return entries by id and the name index."""
    entries: dict[str, GazetteerEntry] = {}
    names: dict[str, str] = {}
    ambiguous: set[str] = set()
    for path in sorted(directory.glob("*.yaml")):
        document = read_yaml(path)
        if document is None:
            continue
        if not isinstance(document, list):
            raise RuleError(
                str(path), None, "expected a YAML list of entries (each line starting with '- id: …')"
            )
        for item in document:
            entry = _gazetteer_entry(item, path)
            if entry.id in entries:
                raise RuleError(
                    str(path),
                    item.get(LINE),
                    f"entry id={entry.id} → duplicate id, first at {entries[entry.id].source}",
                )
            entries[entry.id] = entry
            _index_names(entry, entries, names, ambiguous, path, item.get(LINE))
    for key in ambiguous:
        names.pop(key, None)
    _check_references(entries)
    return entries, names


def _index_names(
    entry: GazetteerEntry,
    entries: Mapping[str, GazetteerEntry],
    names: dict[str, str],
    ambiguous: set[str],
    path: Path,
    line: int | None,
) -> None:
    """Index an entry's names. A matched Chinese name (label, alias) must be unique and wins over
    another entry's unmatched or English name; an unmatched name two entries share names neither."""
    strict_names = {name_key(n) for n in (entry.label, *entry.aliases)}
    for name in entry.all_names:
        key = name_key(name)
        owner = names.get(key)
        if owner is None or owner == entry.id:
            names[key] = entry.id
            continue
        other = entries[owner]
        other_strict = key in {name_key(n) for n in (other.label, *other.aliases)}
        if key in strict_names and other_strict:
            raise RuleError(
                str(path),
                line,
                f"entry id={entry.id} → name {name!r} already names {other.id} "
                f"({other.source}); give it to one entry only",
            )
        if key in strict_names:
            names[key] = entry.id
            ambiguous.discard(key)
        elif not other_strict:
            ambiguous.add(key)


def _check_references(entries: Mapping[str, GazetteerEntry]) -> None:
    wanted = {
        "part_of": "Organization",
        "located_in": "Place",
        "within": "Place",
        "launched_by": "Organization",
    }
    for entry in entries.values():
        for field_name, cls in wanted.items():
            target = getattr(entry, field_name)
            if target is None:
                continue
            path, _, line = entry.source.rpartition(":")
            if target not in entries:
                raise RuleError(
                    path, int(line), f"entry id={entry.id} → {field_name}: no entry has id {target!r}"
                )
            if entries[target].cls != cls:
                raise RuleError(
                    path,
                    int(line),
                    f"entry id={entry.id} → {field_name}: {target} is a "
                    f"{entries[target].cls}, expected a {cls}",
                )


# --- rules ------------------------------------------------------------------------------------
# A rule is ``id``, ``kind`` and the settings of its kind: the fields of the frozen dataclass the
# kind is registered with (``@finder("subject_verb", settings=SubjectVerb, …)``). The schema a
# rule is checked against is derived from that dataclass; every setting is used by the kind or
# rejected here.

ENTITY_COMMON = {"id": (_STR, True), "kind": (_STR, True)}
RELATION_COMMON = {**ENTITY_COMMON, "guess": (_BOOL, False)}


def yaml_key(setting: Field[Any]) -> str:
    """The YAML key of a settings field (``class`` for ``cls``)."""
    return str(setting.metadata.get("yaml", setting.name))


def _expected(hint: Any) -> str:
    """The YAML type a settings field of type ``hint`` takes, as :func:`check_fields` names it."""
    origin = get_origin(hint)
    if hint is bool:
        return _BOOL
    if hint is int:
        return _INT
    if origin is tuple:
        return _LIST
    if origin is Mapping or hint is dict:
        return _MAP
    if hint is WordList:
        return _NAMES
    return _STR  # str, ClassName, Predicate, a regular expression


def settings_schema(settings: type) -> dict[str, tuple[str, bool]]:
    """The YAML schema of a kind's settings dataclass: key → (type, required)."""
    hints = get_type_hints(settings)
    return {
        yaml_key(f): (_expected(hints[f.name]), f.default is MISSING and f.default_factory is MISSING)
        for f in fields(settings)
        if f.init
    }


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """' (did you mean X?)' for the closest of ``options``, or ''."""
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def contract_properties() -> list[str]:
    """The properties of the closed ontology namespace."""
    return [name for name in CKG.__annotations__ if name[0].islower()]


def _load_rule_list(
    path: Path,
    kinds: Kinds,
    common: Mapping[str, tuple[str, bool]],
    lexicon: Mapping[str, WordList],
    templates: Mapping[str, str],
) -> tuple[Rule[Any], ...]:
    document = read_yaml(path)
    if not isinstance(document, list):
        raise RuleError(str(path), None, "expected a YAML list of rules (each starting with '- id: …')")
    rules: list[Rule[Any]] = []
    seen: set[str] = set()
    for item in document:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in kinds:
            line = item.get(LINE) if isinstance(item, dict) else None
            rid = item.get("id") if isinstance(item, dict) else "?"
            raise RuleError(
                str(path),
                line,
                f"rule={rid} → kind: unknown kind {kind!r} "
                f"(expected one of: {', '.join(sorted(kinds))})"
                f"{did_you_mean(str(kind), kinds)}",
            )
        assert isinstance(kind, str)  # it is one of the kinds' names
        declared = kinds[kind]
        values = check_fields(item, {**common, **settings_schema(declared.settings)}, path, "rule")
        line, rid = item[LINE], values["id"]
        if rid in seen:
            raise RuleError(str(path), line, f"rule={rid} → duplicate rule id")
        seen.add(rid)
        where = _Where(path, line, rid)
        settings = _settings(declared, values, lexicon, where)
        rules.append(
            Rule(
                rid,
                kind,
                settings,
                f"{path}:{line}",
                guess=values.get("guess", False),
                patterns=MappingProxyType(_rule_patterns(declared, settings, lexicon, templates, where)),
                filled=_lists_in_patterns(declared, values),
            )
        )
    return tuple(rules)


def _load_inferences(
    path: Path,
    relation_rules: Sequence[Rule[Any]],
    lexicon: Mapping[str, WordList],
    templates: Mapping[str, str],
) -> tuple[Rule[Any], ...]:
    """The inference rules of ``path`` (none where a rules folder has no such file), each relation
    rule they name checked to exist."""
    if not path.is_file():
        return ()
    rules = _load_rule_list(path, INFERENCES, ENTITY_COMMON, lexicon, templates)
    known = {rule.id for rule in relation_rules}
    for rule in rules:
        hints = get_type_hints(type(rule.settings))
        for setting in fields(rule.settings):
            if hints[setting.name] != tuple[RelationRuleId, ...]:
                continue
            for name in getattr(rule.settings, setting.name):
                if name not in known:
                    raise RuleError(
                        str(path),
                        int(rule.source.rsplit(":", 1)[1]),
                        f"rule={rule.id} → {yaml_key(setting)}: no relation rule {name!r} in "
                        f"relations.yaml{did_you_mean(name, known)}",
                    )
    return rules


@dataclass(frozen=True)
class _Where:
    path: Path
    line: int
    rule: str

    def error(self, message: str) -> RuleError:
        return RuleError(str(self.path), self.line, f"rule={self.rule} → {message}")


def _lists_in_patterns(kind: Kind, values: Mapping[str, Any]) -> frozenset[str]:
    """The word lists a rule's pattern settings name in braces."""
    hints = get_type_hints(kind.settings)
    patterns = [
        values.get(yaml_key(f)) for f in fields(kind.settings) if get_origin(hints[f.name]) is re.Pattern
    ]
    return frozenset(
        name for pattern in patterns if isinstance(pattern, str) for name in PLACE.findall(pattern)
    )


def _settings(kind: Kind, values: Mapping[str, Any], lexicon: Mapping[str, WordList], where: _Where) -> Any:
    """The kind's settings dataclass from a rule's checked YAML values: classes, properties and word
    lists looked up, patterns compiled; what the dataclass rejects is reported at the rule."""
    hints = get_type_hints(kind.settings)
    arguments = {}
    for f in fields(kind.settings):
        key = yaml_key(f)
        if f.init and key in values:
            arguments[f.name] = _convert(key, hints[f.name], values[key], lexicon, where)
    try:
        return kind.settings(**arguments)
    except ValueError as exc:
        raise where.error(str(exc)) from exc


def _convert(key: str, hint: Any, value: Any, lexicon: Mapping[str, WordList], where: _Where) -> Any:
    if hint is ClassName:
        if value not in ENTITY_CLASSES:
            raise where.error(
                f"{key}: unknown class ckg:{value} (expected one of: {', '.join(ENTITY_CLASSES)})"
                f"{did_you_mean(value, ENTITY_CLASSES)}"
            )
        return value
    if hint is Predicate:
        if value not in contract_properties():
            raise where.error(
                f"{key}: unknown property ckg:{value}{did_you_mean(value, contract_properties())}"
            )
        return value
    if hint is WordList:
        names = value if isinstance(value, list) else [value]  # several lists: their words together
        for name in names:
            if name not in lexicon:
                raise where.error(
                    f"{key}: no word list {name!r} in lexicon.yaml{did_you_mean(name, lexicon)}"
                )
        if len(names) == 1:
            return lexicon[names[0]]
        return word_list(LIST_JOINER.join(names), (w for name in names for w in lexicon[name]))
    if get_origin(hint) is re.Pattern:
        unknown = [name for name in PLACE.findall(value) if name not in lexicon]
        if unknown:
            raise where.error(f"{key}: no word list {unknown[0]!r} in lexicon.yaml for {{{unknown[0]}}}")
        try:
            return re.compile(_fill(value, lexicon))  # {venue_openings}: a word list of lexicon.yaml
        except re.error as exc:
            raise where.error(f"{key}: not a valid regular expression ({exc})") from exc
    if get_origin(hint) is tuple:
        return tuple(_convert(key, get_args(hint)[0], v, lexicon, where) for v in value)
    if get_origin(hint) is Mapping:
        key_type, value_type = get_args(hint)
        return MappingProxyType(
            {
                _convert(key, key_type, k, lexicon, where): _convert(
                    f"{key}.{k}", value_type, v, lexicon, where
                )
                for k, v in value.items()
                if k != LINE
            }
        )
    if hint in (str, int, bool, RelationRuleId):
        return value
    raise TypeError(f"settings of type {hint!r} are not supported")  # a kind declared a type the loader lacks


def _rule_patterns(
    kind: Kind,
    settings: Any,
    lexicon: Mapping[str, WordList],
    templates: Mapping[str, str],
    where: _Where,
) -> dict[str, re.Pattern[str]]:
    """The patterns the kind declares, ``{places}`` filled with the rule's own word lists first."""
    own = {yaml_key(f): getattr(settings, f.name) for f in fields(settings)}
    lists = {**lexicon, **{k: v for k, v in own.items() if isinstance(v, WordList)}}
    compiled = {}
    for need in kind.patterns:
        missing = [p for p in PLACE.findall(templates[need.name]) if p not in lists]
        if missing:
            raise where.error(f"pattern {need.name} needs {{{missing[0]}}}: the rule has no such word list")
        compiled[need.name] = re.compile(_fill(templates[need.name], lists))
    return compiled


def word_lists_of(rule: Rule[Any]) -> set[str]:
    """The names of the word lists a rule's settings name, alone, together, in a tuple or in braces
    in a pattern."""
    values = [getattr(rule.settings, f.name) for f in fields(rule.settings)]
    lists = [v for value in values for v in (value if isinstance(value, tuple) else (value,))]
    named = {name for v in lists if isinstance(v, WordList) for name in v.name.split(LIST_JOINER)}
    return named | rule.filled


LIST_JOINER = "+"
"""How the name of a rule's list made of several (verbs: [a, b]) joins theirs: a+b."""


MAPPINGS = ("short_forms", "place_abbreviations")
"""Lexicon entries that map words to words rather than list them."""


def key_lines(path: Path) -> dict[str, int]:
    """The line of each top-level key of a YAML mapping file."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError:  # read_yaml has already reported what is wrong
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _load_lexicon(path: Path) -> tuple[dict[str, WordList], dict[str, dict[str, str]]]:
    """The word lists of lexicon.yaml, and its mappings (``MAPPINGS``) by name."""
    document = read_yaml(path)
    if not isinstance(document, dict):
        raise RuleError(str(path), None, "expected a mapping of word-list names to lists of words")
    lines = key_lines(path)
    lexicon: dict[str, WordList] = {}
    forms: dict[str, dict[str, str]] = {}
    for name, words in document.items():
        if name == LINE:
            continue
        if name in MAPPINGS:
            if not isinstance(words, dict) or not all(
                isinstance(v, str) for k, v in words.items() if k != LINE
            ):
                raise RuleError(str(path), lines.get(name), f"{name}: expected a mapping of words to words")
            forms[name] = {k: v for k, v in words.items() if k != LINE}
            continue
        if not _check_type(words, _LIST):
            raise RuleError(str(path), lines.get(name), f"word list {name!r}: expected a list of strings")
        if any(not word.strip() for word in words):
            raise RuleError(str(path), lines.get(name), f"word list {name!r}: an empty word; remove it")
        lexicon[name] = word_list(name, words, f"{path}:{lines.get(name)}")
    return lexicon, forms


PLACE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
"""A ``{name}`` place in a pattern: a word list goes there (regex counts like ``{2,12}`` are digits)."""


def _fill(template: str, lists: Mapping[str, WordList]) -> str:
    return PLACE.sub(lambda m: lists[m[1]].pattern.pattern if m[1] in lists else m[0], template)


def _load_patterns(
    path: Path, lexicon: Mapping[str, WordList]
) -> tuple[dict[str, re.Pattern[str]], dict[str, str]]:
    """Compile every pattern of ``patterns.yaml``, word lists filled in; a place the code fills
    itself (a rule's own verbs) is left for it, the rest of the pattern checked."""
    document = read_yaml(path)
    if not isinstance(document, dict):
        raise RuleError(str(path), None, "expected a mapping of pattern names to regular expressions")
    lines = key_lines(path)
    compiled, templates = {}, {}
    for name, template in document.items():
        if name == LINE:
            continue
        line = lines.get(name)
        if not isinstance(template, str) or not template:
            raise RuleError(str(path), line, f"pattern {name!r}: expected a regular expression in quotes")
        fills = PATTERNS[name].fills if name in PATTERNS else ()
        for place in PLACE.findall(template):
            if place not in lexicon and place not in fills:
                raise RuleError(
                    str(path),
                    line,
                    f"pattern {name} → {{{place}}}: no word list {place!r} in lexicon.yaml"
                    f"{did_you_mean(place, [*lexicon, *fills])}",
                )
        filled = _fill(template, lexicon)
        try:
            pattern = re.compile(PLACE.sub("(?:x)", filled))
        except re.error as exc:
            raise RuleError(
                str(path), line, f"pattern {name} → not a valid regular expression ({exc})"
            ) from exc
        templates[name] = template
        if not fills:
            compiled[name] = pattern
    return compiled, templates


def _check_needs(needs: Needs, present: Mapping[str, object], used: set[str], path: Path) -> None:
    """Every name the code reads is in the file, and every name in the file is read by something:
    a misspelt name fails here, at its line, with the closest name the code reads."""
    lines = key_lines(path)
    for name in present:
        if name not in needs and name not in used:
            raise RuleError(
                str(path),
                lines.get(name),
                f"{needs.what} {name} → read by no rule and no part of castkg"
                f"{did_you_mean(name, [*needs, *used]) or '; delete it or refer to it from a rule'}",
            )
    for name in needs:
        if name not in present:
            raise RuleError(
                str(path),
                None,
                f"no {needs.what} {name!r}, which {', '.join(needs.readers(name))} reads; add it"
                f"{did_you_mean(name, present)}",
            )


def _check_groups(patterns: Mapping[str, re.Pattern[str]], templates: Mapping[str, str], path: Path) -> None:
    lines = key_lines(path)
    for name, need in PATTERNS.items():
        groups = re.compile(PLACE.sub("(?:x)", templates[name])).groupindex
        missing = [g for g in need.groups if g not in groups]
        if missing:
            raise RuleError(
                str(path),
                lines.get(name),
                f"pattern {name} → no group (?P<{missing[0]}>…), "
                f"which {', '.join(PATTERNS.readers(name))} reads",
            )


MEASURE_FIELDS = {
    "normaliser": (_STR, True),
    "units": (_LIST, True),
    "multipliers": (_MAP, True),
    "qualifiers": (_MAP, True),
    "noun_stops": (_LIST, True),
    "clause_openers": (_LIST, True),
    "max_noun": (_INT, True),
    "subject_enders": (_LIST, True),
    "subject_verbs": (_LIST, True),
    "rank_markers": (_LIST, True),
    "anniversary_words": (_LIST, True),
    "date_words": (_LIST, True),
    "date_word_units": (_LIST, True),
    "year_units": (_LIST, True),
    "bare_noun_stops": (_LIST, True),
    "small_numeral_runs": (_LIST, True),
    "small_numbers": (_LIST, True),
    # issue 8a: numbers on the web
    "structure_markers": (_LIST, False),
    "subject_units": (_LIST, False),
    "people_units": (_LIST, False),
    "noun_openers": (_LIST, False),
    "noun_skips": (_LIST, False),
    "id_digits": (_INT, False),
    "ordinal_units": (_LIST, False),
    "ordinal_heads": (_LIST, False),
}
QUALIFIERS = ("Approximately", "MoreThan", "Nearly")


def _load_measures(path: Path, number: re.Pattern[str]) -> MeasureRules:
    from castkg.normalise import NORMALISERS

    document = read_yaml(path)
    fields = check_fields(document, MEASURE_FIELDS, path, "measures")
    line = document.get(LINE) if isinstance(document, dict) else None
    if fields["normaliser"] not in NORMALISERS:
        raise RuleError(
            str(path),
            line,
            f"normaliser: unknown normaliser {fields['normaliser']!r} "
            f"(known: {', '.join(sorted(NORMALISERS))})",
        )
    before, after = {}, {}
    for name, words in fields["qualifiers"].items():
        if name == LINE:
            continue
        if name not in QUALIFIERS:
            raise RuleError(
                str(path),
                words.get(LINE) if isinstance(words, dict) else line,
                f"qualifiers: unknown qualifier {name!r} (expected one of: {', '.join(QUALIFIERS)})",
            )
        spec = check_fields(
            words, {"before": (_LIST, True), "after": (_LIST, True)}, path, f"qualifier {name}"
        )
        before.update({w: name for w in spec["before"]})
        after.update({w: name for w in spec["after"]})
    multipliers = {k: v for k, v in fields["multipliers"].items() if k != LINE}
    measures = MeasureRules(
        normaliser=fields["normaliser"],
        units=tuple(sorted(fields["units"], key=lambda w: (-len(w), w))),
        multipliers=MappingProxyType(multipliers),
        before=MappingProxyType(before),
        after=MappingProxyType(after),
        noun_stops=tuple(sorted(fields["noun_stops"], key=lambda w: (-len(w), w))),
        clause_openers=tuple(sorted(fields["clause_openers"], key=lambda w: (-len(w), w))),
        max_noun=fields["max_noun"],
        subject_enders=tuple(sorted(fields["subject_enders"], key=lambda w: (-len(w), w))),
        subject_verbs=tuple(fields["subject_verbs"]),
        rank_markers=tuple(fields["rank_markers"]),
        anniversary_words=tuple(fields["anniversary_words"]),
        date_words=tuple(fields["date_words"]),
        date_word_units=tuple(fields["date_word_units"]),
        year_units=tuple(fields["year_units"]),
        bare_noun_stops=tuple(fields["bare_noun_stops"]),
        small_numeral_runs=tuple(fields["small_numeral_runs"]),
        small_numbers=tuple(fields["small_numbers"]),
        structure_markers=tuple(fields.get("structure_markers", ())),
        subject_units=tuple(fields.get("subject_units", ())),
        people_units=tuple(fields.get("people_units", ())),
        noun_openers=tuple(sorted(fields.get("noun_openers", ()), key=lambda w: (-len(w), w))),
        noun_skips=tuple(sorted(fields.get("noun_skips", ()), key=lambda w: (-len(w), w))),
        id_digits=fields.get("id_digits", 0),
        ordinal_units=tuple(fields.get("ordinal_units", ())),
        ordinal_heads=tuple(sorted(fields.get("ordinal_heads", ()), key=lambda w: (-len(w), w))),
    )
    return replace(measures, pattern=count_pattern(measures, number))


def count_pattern(rules: MeasureRules, number: re.Pattern[str]) -> re.Pattern[str]:
    """The regular expression of a counted number under ``rules``; ``number`` is the number itself."""
    before = "|".join(map(re.escape, sorted(rules.before, key=len, reverse=True)))
    after = "|".join(map(re.escape, sorted(rules.after, key=len, reverse=True)))
    multipliers = "|".join(map(re.escape, sorted(rules.multipliers, key=len, reverse=True)))
    units = "|".join(map(re.escape, rules.units))
    return re.compile(
        rf"(?P<before>{before})?(?P<number>{number.pattern})(?P<after1>{after})?(?P<mult>(?:{multipliers})+)?"
        rf"(?P<after2>{after})?(?P<unit>{units})?(?(unit)(?P<after3>{after})?)"  # 1000个|以上
    )


def load_rules(directory: str | Path | None = None) -> Rules:
    """Load and validate the rules under ``directory`` (default: the project's ``ontology/``).

    Raises :class:`RuleError` naming the file, the line and what was expected.
    """
    root = Path(directory) if directory else ontology_dir()
    if not root.is_dir():
        raise RuleError(
            str(root), None, "rules folder not found; pass the folder that holds rules/ and gazetteer/"
        )
    lexicon_path, patterns_path = root / "rules" / "lexicon.yaml", root / "rules" / "patterns.yaml"
    lexicon, mappings = _load_lexicon(lexicon_path)
    patterns, templates = _load_patterns(patterns_path, lexicon)
    _check_needs(PATTERNS, templates, set(), patterns_path)
    _check_groups(patterns, templates, patterns_path)
    gazetteer, names = load_gazetteer(root / "gazetteer")
    entity_rules = _load_rule_list(
        root / "rules" / "entities.yaml", MATCHERS, ENTITY_COMMON, lexicon, templates
    )
    relation_rules = _load_rule_list(
        root / "rules" / "relations.yaml", FINDERS, RELATION_COMMON, lexicon, templates
    )
    inference_rules = _load_inferences(root / "rules" / "inferences.yaml", relation_rules, lexicon, templates)
    used = {
        name for rule in (*entity_rules, *relation_rules, *inference_rules) for name in word_lists_of(rule)
    }
    used |= {place for template in templates.values() for place in PLACE.findall(template)}
    _check_needs(WORDS, lexicon, used, lexicon_path)
    suffixes = {s for rule in entity_rules if rule.kind == "suffix" for s in rule.settings.suffixes}
    return Rules(
        gazetteer=MappingProxyType(gazetteer),
        names=MappingProxyType(names),
        lexicon=MappingProxyType(lexicon),
        short_forms=MappingProxyType(_longest_first(mappings.get("short_forms", {}))),
        place_abbreviations=MappingProxyType(mappings.get("place_abbreviations", {})),
        entity_rules=entity_rules,
        relation_rules=relation_rules,
        inference_rules=inference_rules,
        measures=_load_measures(root / "rules" / "measures.yaml", patterns[COUNT_NUMBER.name]),
        directory=root,
        suffixes=tuple(sorted(suffixes, key=lambda w: (-len(w), w))),
        suffix_words=word_list("suffixes", suffixes),
        patterns=MappingProxyType(patterns),
        templates=MappingProxyType(templates),
        place_levels=MappingProxyType(place_levels(gazetteer, lexicon[MUNICIPALITY_SUFFIXES.name])),
        automaton=_automaton(gazetteer, names),
        entity_rule_by_id=MappingProxyType({rule.id: rule for rule in entity_rules}),
    )


def _longest_first(pairs: Mapping[str, str]) -> dict[str, str]:
    return dict(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


def place_levels(gazetteer: Mapping[str, GazetteerEntry], municipal: WordList) -> dict[str, int]:
    """Each entry's administrative level, counted down its chain of ``within``: 0 a country, 1 a
    province, 2 a city; a municipality (北京, 上海: provincial in rank, written 北京市) counts as a
    city, and what lies within it one more."""
    levels = {}
    for entry in gazetteer.values():
        level, at = 0, entry
        while at.within:
            parent = gazetteer[at.within]
            if parent.within is None and any(a.endswith(municipal.words) for a in at.aliases):
                level = CITY + level
                break
            level, at = level + 1, parent
            if level > len(gazetteer):
                path, _, line = entry.source.rpartition(":")
                raise RuleError(path, int(line), f"entry id={entry.id} → within: its places form a cycle")
        levels[entry.id] = level
    return levels


def gazetteer_automaton(rules: Rules) -> Any:
    """An Aho-Corasick automaton over the compare-form of every matched gazetteer name.

    Values are ``(entry id, key length, is_latin)``. Built once, when the rules load.
    """
    return rules.automaton if rules.automaton is not None else _automaton(rules.gazetteer, rules.names)


def _automaton(gazetteer: Mapping[str, GazetteerEntry], names: Mapping[str, str]) -> Any:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for entry in gazetteer.values():
        for name in entry.matched_names:
            key = name_key(name)
            if len(key) < 2 or names.get(key) != entry.id:
                continue
            automaton.add_word(key, (entry.id, len(key), key.isascii()))
    automaton.make_automaton()
    return automaton
