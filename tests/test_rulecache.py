"""The rules cache (issue 10: a CLI run skips parsing the YAML again): the same rules as loading
them, a new entry for every edit, never a damaged, foreign or invalid entry read, and the same
output bytes with the cache as without it."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from castkg.errors import RuleError
from castkg.rulecache import KEPT, cache_folder, cached_rules
from castkg.rules import load_rules
from conftest import INPUTS, ONTOLOGY, run_castkg

BULLETIN = INPUTS / "formats" / "plain.txt"


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A copy of ontology/ that a test may edit."""
    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, copy)
    return copy


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_the_cached_rules_are_the_loaded_rules(rules_copy: Path, tmp_path: Path, caplog) -> None:
    cache = tmp_path / "cache"
    first = cached_rules(rules_copy, cache)
    assert len(_entries(cache)) == 1
    with caplog.at_level(logging.DEBUG, logger="castkg.rulecache"):
        second = cached_rules(rules_copy, cache)
    assert "rules from the cache" in caplog.text
    assert second == first == load_rules(rules_copy)
    assert second.directory == rules_copy
    # the automaton is not compared by ==: it must still find a gazetteer name
    name = next(iter(second.names))
    assert any(value[0] == second.names[name] for _, value in second.automaton.iter(name))


def test_an_edited_rule_file_is_a_new_entry_and_takes_effect(rules_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = cached_rules(rules_copy, cache)
    lexicon = rules_copy / "rules" / "lexicon.yaml"
    text = lexicon.read_text(encoding="utf-8")
    listed = "\nattendance_words: [参会, "
    assert listed in text, "the edit below needs lexicon.yaml's attendance_words: update this test"
    lexicon.write_text(text.replace(listed, f"{listed}列席, ", 1), encoding="utf-8")
    after = cached_rules(rules_copy, cache)
    assert len(_entries(cache)) == 2
    assert "列席" in after.lexicon["attendance_words"].words
    assert "列席" not in before.lexicon["attendance_words"].words


def test_the_same_rules_in_another_folder_are_another_entry(rules_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cached_rules(rules_copy, cache)
    moved = shutil.copytree(rules_copy, tmp_path / "elsewhere")
    assert cached_rules(moved, cache).directory == moved  # error messages name the folder read
    assert len(_entries(cache)) == 2


def test_a_damaged_entry_is_loaded_again_and_replaced(rules_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = cached_rules(rules_copy, cache)
    (entry,) = _entries(cache)
    entry.write_bytes(entry.read_bytes()[:1000])
    assert cached_rules(rules_copy, cache) == expected
    assert entry.stat().st_size > 1000


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_an_entry_another_user_owns_is_not_read(rules_copy: Path, tmp_path: Path, caplog) -> None:
    cache = tmp_path / "cache"
    cached_rules(rules_copy, cache)
    (entry,) = _entries(cache)
    os.chown(entry, 65534, 65534)
    with caplog.at_level(logging.DEBUG, logger="castkg.rulecache"):
        assert cached_rules(rules_copy, cache) == load_rules(rules_copy)
    assert "not yours" in caplog.text and "rules from the cache" not in caplog.text


def test_rules_load_where_the_cache_cannot_be_written(rules_copy: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert cached_rules(rules_copy, blocked / "cache") == load_rules(rules_copy)


def test_invalid_rules_are_reported_and_never_kept(rules_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (rules_copy / "rules" / "lexicon.yaml").write_text("units: [", encoding="utf-8")
    with pytest.raises(RuleError, match="lexicon.yaml"):
        cached_rules(rules_copy, cache)
    assert _entries(cache) == []


def test_old_entries_are_pruned(rules_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    for number in range(KEPT + 2):
        (cache / f"old{number}.pickle").write_bytes(b"x")
        os.utime(cache / f"old{number}.pickle", (number, number))
    cached_rules(rules_copy, cache)
    assert len(_entries(cache)) == KEPT
    assert not (cache / "old0.pickle").exists()


def test_where_the_cache_is() -> None:
    assert cache_folder({"CASTKG_RULES_CACHE": "off"}) is None
    assert cache_folder({"CASTKG_RULES_CACHE": "/x/y"}) == Path("/x/y")
    assert cache_folder({"XDG_CACHE_HOME": "/c"}) == Path("/c/castkg/rules")


def test_a_build_writes_the_same_bytes_with_and_without_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    outputs = {}
    for name, setting in (("off", "off"), ("cold", str(cache)), ("warm", str(cache))):
        done = run_castkg(
            "build", BULLETIN, "-o", tmp_path / name, "-j", "2", env={"CASTKG_RULES_CACHE": setting}
        )
        assert done.returncode == 0, done.stderr
        outputs[name] = {p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())}
    assert len(_entries(cache)) == 1
    assert outputs["off"] == outputs["cold"] == outputs["warm"]
    assert set(outputs["off"]) >= {"castkg.ttl", "castkg.trig", "graph.html"}


def test_a_user_without_a_home_folder_builds_without_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")  # what pathlib raises then

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache_folder({}) is None
    assert cache_folder({"XDG_CACHE_HOME": "/c"}) == Path("/c/castkg/rules")
