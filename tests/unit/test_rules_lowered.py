"""The rules' frozen form (rules.py): what is derived once when the rules load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from castkg.errors import RuleError
from castkg.rules import CITY, WordList, gazetteer_automaton, load_rules, word_lists_of
from conftest import ONTOLOGY
from unit.helpers import rules


def test_administrative_levels_are_derived_from_the_gazetteer() -> None:
    levels = rules().place_levels
    assert (levels["china"], levels["hunan"], levels["changsha"]) == (0, 1, CITY)
    assert levels["beijing"] == CITY  # a municipality: provincial in rank, a city in the text
    assert levels["zhongguancun"] == CITY + 1  # within Beijing


def test_word_lists_are_ordered_longest_first_and_compiled_once() -> None:
    roles = rules().lexicon["roles"]
    assert isinstance(roles, WordList)
    assert roles.words.index("党组书记") < roles.words.index("书记")
    assert roles.pattern.match("党组书记").group() == "党组书记"
    assert rules().lexicon["roles"] is roles


def test_the_name_automaton_is_built_with_the_rules() -> None:
    assert rules().automaton is not None and gazetteer_automaton(rules()) is rules().automaton


def test_a_cycle_of_places_fails_at_load(tmp_path: Path) -> None:
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    places = folder / "gazetteer" / "places.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(
        text.replace("  label: 中国\n", "  label: 中国\n  within: beijing\n", 1), encoding="utf-8"
    )
    with pytest.raises(RuleError) as caught:
        load_rules(folder)
    assert "within: its places form a cycle" in str(caught.value) and "places.yaml:" in str(caught.value)


def test_a_suffix_rule_takes_the_words_of_its_shared_lists_and_they_count_as_read() -> None:
    shared = rules().lexicon["gathering_kinds"]
    for rule_id in ("event.suffix", "event.held", "event.held-subject", "event.listed"):
        rule = rules().entity_rule_by_id[rule_id]
        assert set(shared) <= set(rule.settings.suffixes), rule_id
        assert len(rule.settings.suffixes) == len(set(rule.settings.suffixes))  # each once
        assert "gathering_kinds" in word_lists_of(rule)
    assert "座谈会" in rules().entity_rule_by_id["event.held"].settings.suffixes  # its own stay
