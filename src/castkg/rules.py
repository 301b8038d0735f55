"""Mapping rules and gazetteers: YAML files under ``ontology/`` → one frozen :class:`Rules`.

Loading runs a short list of named steps (read YAML with line numbers, check each rule
against its kind's settings, expand word-list references, check classes and properties
against the closed ontology namespace, index the gazetteer's names) and rejects a bad
file at load time with ``file:line rule=id → what was expected``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from castkg.errors import RuleError
from castkg.namespace import CKG, ENTITY_CLASSES
from castkg.registry import PATTERNS, WORDS, Need, Needs

LINE = "__line__"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
QUOTE_MARKS = re.compile("[“”‘’\"'《》〈〉「」『』【】]")
COUNT_NUMBER = PATTERNS.need("count_number")


def default_ontology_dir() -> Path:
    """The ``ontology/`` folder: the checkout's own, else the copy shipped in the package."""
    checkout = Path(__file__).resolve().parents[2] / "ontology"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "resources" / "ontology"


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
    quoted_only: bool = False
    """A slogan or policy name (脱贫攻坚, 十四五) is named as a thing only inside quote marks."""
    source: str = ""

    @property
    def matched_names(self) -> tuple[str, ...]:
        """Names that are looked for in text."""
        return (self.label, *self.aliases, *(n for n in (self.en, *self.en_aliases) if n and len(n) >= 3))

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

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __len__(self) -> int:
        return len(self.words)


def word_list(name: str, words: Iterable[str], source: str = "") -> WordList:
    """The :class:`WordList` of ``words``: duplicates dropped, longest first (ties in code-point order)."""
    ordered = tuple(sorted(set(words), key=lambda w: (-len(w), w)))
    return WordList(name, ordered, re.compile(alternation(ordered)), source)


def alternation(words: Iterable[str]) -> str:
    """``words`` as one non-capturing regular-expression alternation, in the order given."""
    listed = list(words)
    return f"(?:{'|'.join(map(re.escape, listed))})" if listed else "(?!)"


@dataclass(frozen=True)
class Rule:
    """One entity or relation rule, settings checked against its kind."""

    id: str
    kind: str
    settings: Mapping[str, Any]
    source: str

    def get(self, key: str, default: Any = None) -> Any:
        """A setting of the rule, or ``default``."""
        return self.settings.get(key, default)


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
    pattern: re.Pattern[str] = re.compile("(?!)")
    """The count grammar (qualifier, number, multiplier, unit), compiled once at load."""


@dataclass(frozen=True)
class Rules:
    """Every rule and gazetteer entry, validated and indexed; what the extractor reads."""

    gazetteer: Mapping[str, GazetteerEntry]
    names: Mapping[str, str]
    """``name_key`` of every gazetteer name (matched or not) → entry id."""
    lexicon: Mapping[str, WordList]
    short_forms: Mapping[str, str]
    """Long words → the short forms naming the same thing (科学技术协会 → 科协), for identity keys."""
    entity_rules: tuple[Rule, ...]
    relation_rules: tuple[Rule, ...]
    measures: MeasureRules
    directory: Path = field(compare=False, default=Path("."))
    suffixes: tuple[str, ...] = ()
    """Every suffix of every suffix rule, longest first: where one name may end before another."""
    patterns: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    """The patterns of ``patterns.yaml``, word lists filled in, compiled."""
    templates: Mapping[str, str] = field(default_factory=dict)
    """The same patterns as written, for those a rule fills with its own word lists."""

    def words(self, need: Need) -> WordList:
        """The word list the code declared with ``WORDS.need(name)``."""
        return self.lexicon[need.name]

    def pattern(self, need: Need) -> re.Pattern[str]:
        """The pattern the code declared with ``PATTERNS.need(name)``."""
        return self.patterns[need.name]

    def filled(self, need: Need, **lists: WordList) -> re.Pattern[str]:
        """A pattern whose ``{name}`` places are filled from ``lists`` first, then from the lexicon."""
        return re.compile(_fill(self.templates[need.name], {**self.lexicon, **lists}))

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The gazetteer entry one of whose names is ``name`` (compared ignoring quotes and case)."""
        entry_id = self.names.get(name_key(name))
        return self.gazetteer[entry_id] if entry_id else None


# --- step 1: YAML with line numbers ---------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records each mapping's line under ``__line__``."""


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


def _check_type(value: Any, expected: str) -> bool:
    return {
        _LIST: lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        _STR: lambda v: isinstance(v, str) and v.strip() != "",
        _BOOL: lambda v: isinstance(v, bool),
        _INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
        _MAP: lambda v: isinstance(v, dict),
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
    "quoted_only": (_BOOL, False),
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
        quoted_only=fields.get("quoted_only", False),
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

_COMMON = {"id": (_STR, True), "kind": (_STR, True)}
ENTITY_KINDS: Mapping[str, Mapping[str, tuple[str, bool]]] = {
    "suffix": {
        "class": (_STR, True),
        "suffixes": (_LIST, True),
        "min_core": (_INT, False),
        "requires_parent": (_BOOL, False),
        "requires_trigger": (_LIST, False),
        "requires_scope": (_BOOL, False),
        "requires_name_start": (_BOOL, False),
        "not_after": (_LIST, False),
    },
    "quoted": {"class": (_STR, True), "heads": (_MAP, True)},
    "bracketed": {"class": (_STR, True)},
    "template": {"class": (_STR, True), "pattern": (_STR, True), "label": (_STR, True)},
    "abbreviation": {"class": (_STR, True), "pattern": (_STR, True)},
    "place_suffix": {
        "class": (_STR, True),
        "suffixes": (_LIST, True),
        "min_core": (_INT, False),
        "ethnic_suffixes": (_LIST, False),
        "short_when_listed": (_LIST, False),
    },
    "person_role": {"class": (_STR, True)},
    "person_honorific": {"class": (_STR, True)},
    "person_transliterated": {"class": (_STR, True)},
}
RELATION_KINDS: Mapping[str, Mapping[str, tuple[str, bool]]] = {
    "subject_verb": {
        "predicate": (_STR, True),
        "verbs": (_STR, True),
        "subject": (_LIST, True),
        "object": (_LIST, True),
    },
    "name_prefix": {"predicate": (_STR, True), "subject": (_LIST, True), "object": (_LIST, True)},
    "unstated_actor": {"predicate": (_STR, True), "verbs": (_STR, True), "object": (_LIST, True)},
    "list_owner": {"predicate": (_STR, True)},
    "passive_actor": {"predicate": (_STR, True), "verbs": (_STR, True), "object": (_LIST, False)},
    "name_part": {"predicate": (_STR, True)},
    "during": {"predicate": (_STR, True)},
    "chair": {"predicate": (_STR, True), "verbs": (_STR, True)},
    "location": {"predicate": (_STR, True), "verbs": (_STR, True)},
    "event_date": {"predicate": (_STR, True)},
    "sub_organization": {"predicate": (_STR, True)},
    "list_item": {"predicate": (_STR, True)},
    "involves_item": {"predicate": (_STR, True)},
    "involves_sentence": {"predicate": (_STR, True)},
    "position": {"predicate": (_STR, True)},
}


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """' (did you mean X?)' for the closest of ``options``, or ''."""
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _contract_properties() -> list[str]:
    return [name for name in CKG.__annotations__ if name[0].islower()]


def _known_term(name: str) -> bool:
    try:
        CKG[name]  # the closed namespace raises on an undeclared term
    except (AttributeError, KeyError):
        return False
    return True


def _load_rule_list(
    path: Path, kinds: Mapping[str, Mapping[str, tuple[str, bool]]], lexicon: Mapping[str, WordList]
) -> tuple[Rule, ...]:
    document = read_yaml(path)
    if not isinstance(document, list):
        raise RuleError(str(path), None, "expected a YAML list of rules (each starting with '- id: …')")
    rules, seen = [], set()
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
        settings = check_fields(item, {**_COMMON, **kinds[kind]}, path, "rule")
        _check_rule_terms(settings, path, item[LINE], lexicon)
        if settings["id"] in seen:
            raise RuleError(str(path), item[LINE], f"rule={settings['id']} → duplicate rule id")
        seen.add(settings["id"])
        rules.append(Rule(settings["id"], kind, MappingProxyType(settings), f"{path}:{item[LINE]}"))
    return tuple(rules)


def _check_rule_terms(
    settings: Mapping[str, Any], path: Path, line: int, lexicon: Mapping[str, WordList]
) -> None:
    rid = settings["id"]
    classes = [settings["class"]] if "class" in settings else []
    classes += list(settings.get("subject", ())) + list(settings.get("object", ()))
    classes += list(settings.get("heads", {}).keys()) if isinstance(settings.get("heads"), dict) else []
    for cls in classes:
        if cls == LINE:
            continue
        if cls not in ENTITY_CLASSES:
            raise RuleError(
                str(path),
                line,
                f"rule={rid} → unknown class ckg:{cls} "
                f"(expected one of: {', '.join(ENTITY_CLASSES)})"
                f"{did_you_mean(cls, ENTITY_CLASSES)}",
            )
    if "predicate" in settings and not _known_term(settings["predicate"]):
        raise RuleError(
            str(path),
            line,
            f"rule={rid} → predicate: unknown property ckg:{settings['predicate']}"
            f"{did_you_mean(settings['predicate'], _contract_properties())}",
        )
    if "verbs" in settings and settings["verbs"] not in lexicon:
        raise RuleError(
            str(path),
            line,
            f"rule={rid} → verbs: no word list {settings['verbs']!r} in lexicon.yaml"
            f"{did_you_mean(settings['verbs'], lexicon)}",
        )
    if "pattern" in settings:
        try:
            re.compile(settings["pattern"])
        except re.error as exc:
            raise RuleError(
                str(path), line, f"rule={rid} → pattern: not a valid regular expression ({exc})"
            ) from exc


MAPPINGS = ("short_forms",)
"""Lexicon entries that map words to words rather than list them."""


def key_lines(path: Path) -> dict[str, int]:
    """The line of each top-level key of a YAML mapping file."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # read_yaml has already reported what is wrong
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _load_lexicon(path: Path) -> tuple[dict[str, WordList], dict[str, str]]:
    document = read_yaml(path)
    if not isinstance(document, dict):
        raise RuleError(str(path), None, "expected a mapping of word-list names to lists of words")
    lines = key_lines(path)
    lexicon, forms = {}, {}
    for name, words in document.items():
        if name == LINE:
            continue
        if name in MAPPINGS:
            if not isinstance(words, dict) or not all(
                isinstance(v, str) for k, v in words.items() if k != LINE
            ):
                raise RuleError(
                    str(path), lines.get(name), f"{name}: expected a mapping of long words to short forms"
                )
            forms = {k: v for k, v in words.items() if k != LINE}
            continue
        if not _check_type(words, _LIST):
            raise RuleError(str(path), lines.get(name), f"word list {name!r}: expected a list of strings")
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
        rf"(?P<after2>{after})?(?P<unit>{units})?"
    )


def load_rules(directory: str | Path | None = None) -> Rules:
    """Load and validate the rules under ``directory`` (default: the project's ``ontology/``).

    Raises :class:`RuleError` naming the file, the line and what was expected.
    """
    root = Path(directory) if directory else default_ontology_dir()
    if not root.is_dir():
        raise RuleError(
            str(root), None, "rules folder not found; pass the folder that holds rules/ and gazetteer/"
        )
    lexicon_path, patterns_path = root / "rules" / "lexicon.yaml", root / "rules" / "patterns.yaml"
    lexicon, short_forms = _load_lexicon(lexicon_path)
    patterns, templates = _load_patterns(patterns_path, lexicon)
    gazetteer, names = load_gazetteer(root / "gazetteer")
    entity_rules = _load_rule_list(root / "rules" / "entities.yaml", ENTITY_KINDS, lexicon)
    relation_rules = _load_rule_list(root / "rules" / "relations.yaml", RELATION_KINDS, lexicon)
    used = {r.get("verbs") for r in (*entity_rules, *relation_rules) if r.get("verbs")}
    used |= {place for template in templates.values() for place in PLACE.findall(template)}
    _check_needs(WORDS, lexicon, used, lexicon_path)
    _check_needs(PATTERNS, templates, set(), patterns_path)
    _check_groups(patterns, templates, patterns_path)
    suffixes = {s for rule in entity_rules if rule.kind == "suffix" for s in rule.get("suffixes")}
    return Rules(
        gazetteer=MappingProxyType(gazetteer),
        names=MappingProxyType(names),
        lexicon=MappingProxyType(lexicon),
        short_forms=MappingProxyType(short_forms),
        entity_rules=entity_rules,
        relation_rules=relation_rules,
        measures=_load_measures(root / "rules" / "measures.yaml", patterns[COUNT_NUMBER.name]),
        directory=root,
        suffixes=tuple(sorted(suffixes, key=lambda w: (-len(w), w))),
        patterns=MappingProxyType(patterns),
        templates=MappingProxyType(templates),
    )


def gazetteer_automaton(rules: Rules) -> Any:
    """An Aho-Corasick automaton over the compare-form of every matched gazetteer name.

    Values are ``(entry id, key length, is_latin)``. Built once per Rules value and kept on it.
    """
    cached = rules.__dict__.get("_automaton")
    if cached is not None:
        return cached
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for entry in rules.gazetteer.values():
        for name in entry.matched_names:
            key = name_key(name)
            if len(key) < 2 or rules.names.get(key) != entry.id:
                continue
            automaton.add_word(key, (entry.id, len(key), key.isascii()))
    automaton.make_automaton()
    object.__setattr__(
        rules, "_automaton", automaton
    )  # a derived index, not state: same Rules, same automaton
    return automaton
