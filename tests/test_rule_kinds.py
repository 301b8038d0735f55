"""Rule kinds as declared data: each kind's settings dataclass, what it emits, and the rule files agree.

A kind is registered with the frozen dataclass of its settings and what it emits
(``@finder("subject_verb", settings=SubjectVerb, emits=(RULE_PREDICATE,))``). The rule loader
derives each kind's YAML schema from that dataclass; these tests check that the registry, the
derived schema, the rule files and the ontology's domains and ranges say the same, and that a
new verb for a relation is one line of YAML.
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import re
import shutil
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
import yaml
from rdflib import OWL, RDFS, Graph, URIRef
from rdflib.collection import Collection

import castkg
from castkg.graphs import union_graph
from castkg.namespace import CKG, ENTITY_CLASSES
from castkg.registry import FINDERS, MATCHERS, Kind, Kinds
from castkg.rules import (
    ENTITY_COMMON,
    RELATION_COMMON,
    ClassName,
    Predicate,
    WordList,
    contract_properties,
    load_rules,
    settings_schema,
    yaml_key,
)
from conftest import ONTOLOGY

RULE_FILES = {"entities.yaml": (MATCHERS, ENTITY_COMMON), "relations.yaml": (FINDERS, RELATION_COMMON)}


def _kinds(registry: Kinds) -> list[Kind]:
    return [registry[name] for name in sorted(registry)]


def _setting_types(kind: Kind) -> dict[str, Any]:
    hints = get_type_hints(kind.settings)
    return {yaml_key(f): hints[f.name] for f in dataclasses.fields(kind.settings) if f.init}


@pytest.mark.parametrize("kind", _kinds(MATCHERS) + _kinds(FINDERS), ids=lambda k: k.name)
def test_each_kind_declares_frozen_settings_and_what_it_emits(kind: Kind) -> None:
    params = getattr(kind.settings, "__dataclass_params__", None)
    assert params is not None and params.frozen, f"{kind.name}: settings must be a frozen dataclass"
    assert kind.emits, f"{kind.name}: says nothing of what it emits"
    types = _setting_types(kind)
    terms = ENTITY_CLASSES if kind in _kinds(MATCHERS) else tuple(contract_properties())
    for emitted in kind.emits:
        if emitted.startswith("{"):  # the class or property a setting of the rule names
            key = emitted.strip("{}")
            assert key in types, f"{kind.name} emits {emitted} but has no setting {key!r}"
            named = {types[key], *get_args(types[key])}
            assert named & {ClassName, Predicate}, f"{kind.name}: setting {key!r} names no class or property"
        else:
            assert emitted in terms, f"{kind.name} emits {emitted!r}, which is no contract term"


@pytest.mark.parametrize("file", sorted(RULE_FILES))
def test_every_rule_uses_a_registered_kind_and_only_its_settings(file: str) -> None:
    """The loader's schema is the dataclass's fields; each rule file keeps to it (and each kind is used)."""
    registry, common = RULE_FILES[file]
    rules = yaml.safe_load((ONTOLOGY / "rules" / file).read_text(encoding="utf-8"))
    used = set()
    for rule in rules:
        kind = registry[rule["kind"]]
        used.add(kind.name)
        schema = {**common, **settings_schema(kind.settings)}
        assert set(schema) == {*common, *(yaml_key(f) for f in dataclasses.fields(kind.settings) if f.init)}
        assert set(rule) <= set(schema), f"{rule['id']}: {sorted(set(rule) - set(schema))}"
        required = {key for key, (_, needed) in schema.items() if needed}
        assert required <= set(rule), f"{rule['id']} lacks {sorted(required - set(rule))}"
    assert used == set(registry), f"kinds no rule of {file} uses: {sorted(set(registry) - used)}"


def _classes(ontology: Graph, node: object) -> set[str]:
    """Local names of a domain or range: one class, or the members of an owl:unionOf."""
    union = ontology.value(node, OWL.unionOf)  # type: ignore[arg-type]
    members = list(Collection(ontology, union)) if union is not None else [node]
    return {str(m).removeprefix(str(CKG._NS)) for m in members}


def test_the_classes_a_relation_rule_relates_are_in_its_property_domain_and_range() -> None:
    """What each relation rule emits agrees with the ontology: the things it states a property of
    (``object``) are in the property's domain, the actors (``subject``) in its range."""
    ontology = Graph().parse(ONTOLOGY / "castkg.ttl")
    everything = set(ENTITY_CLASSES)
    checked = 0
    for rule in load_rules().relation_rules:
        settings = rule.settings
        if not hasattr(settings, "predicate"):
            continue
        prop = URIRef(CKG._NS[settings.predicate])
        domain = _classes(ontology, ontology.value(prop, RDFS.domain))
        ranges = _classes(ontology, ontology.value(prop, RDFS.range))
        domain = everything if "Entity" in domain else domain
        ranges = everything if "Entity" in ranges else ranges
        for cls in getattr(settings, "object", ()):
            assert cls in domain, f"{rule.id}: ckg:{settings.predicate} is not stated of a {cls}"
            checked += 1
        for cls in getattr(settings, "subject", ()):
            assert cls in ranges, f"{rule.id}: ckg:{settings.predicate} never points at a {cls}"
            checked += 1
    assert checked >= 10


def test_guessing_rules_are_marked_in_the_rule_file() -> None:
    rules = load_rules().relation_rules
    assert {r.id for r in rules if r.guess} == {
        "organizer.bulletin-body",
        "launched.bulletin-body",
        "organizer.ranked-list",
    }


def test_word_list_settings_are_resolved_when_the_rules_load() -> None:
    rule = next(r for r in load_rules().relation_rules if r.id == "organizer.passive")
    assert isinstance(rule.settings.verbs, WordList) and "主办" in rule.settings.verbs
    assert rule.settings.verbs.pattern.search("由中国科协主办")


# --- a new verb is one line of YAML ----------------------------------------------------------------

BULLETIN = "2024年青年科学家论坛由中国科协和北京市科协筹办。\n\n论坛围绕青年人才培养展开交流。\n"
"""Written for this test: 筹办 ("to organise, prepare") is no verb the shipped rules know."""


def _organizers(rules_folder: Path, tmp_path: Path) -> set[tuple[str, str]]:
    source = tmp_path / "bulletin.txt"
    source.write_text(f"青年科学家论坛举行\n\n{BULLETIN}", encoding="utf-8")
    graph = union_graph(castkg.build([source], rules=load_rules(rules_folder)))
    label = {s: str(o) for s, o in graph.subject_objects(RDFS.label) if getattr(o, "language", None) == "zh"}
    return {(label[s], label[o]) for s, o in graph.subject_objects(CKG.organizer)}


def test_a_new_verb_for_organizer_is_one_line_of_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    assert _organizers(folder, tmp_path) == set()

    lexicon = folder / "rules" / "lexicon.yaml"
    before = lexicon.read_text(encoding="utf-8")
    after = before.replace("passive_verbs: [主办,", "passive_verbs: [筹办, 主办,")
    lexicon.write_text(after, encoding="utf-8")
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2, changed  # one line out, one line in

    assert _organizers(folder, tmp_path) == {
        ("2024年青年科学家论坛", "中国科协"),
        ("2024年青年科学家论坛", "北京市科协"),
    }


@pytest.mark.parametrize("kind", _kinds(MATCHERS) + _kinds(FINDERS), ids=lambda k: k.name)
def test_every_setting_a_kind_takes_is_read_by_its_module(kind: Kind) -> None:
    """No setting is ignored: each field of the settings is read (``….field``) where the kind is
    defined. (A setting the kind does not declare is rejected by the loader.)"""
    source = Path(inspect.getsourcefile(kind.function) or "").read_text(encoding="utf-8")
    for f in dataclasses.fields(kind.settings):
        if f.init:
            assert re.search(rf"\.{f.name}\b", source), f"{kind.name}: setting {yaml_key(f)!r} is never read"
