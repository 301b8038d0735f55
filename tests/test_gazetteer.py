"""The gazetteer (ontology/gazetteer/*.yaml): it loads whole, its ids are unique, and it is
not tuned to the seed bulletin.

Issue 2 allows at most a fifth of the entries to carry a name (label, aliases, known_as,
en, en_aliases) that occurs in the seed text: a gazetteer of real CAST-world things, not a
list of the seed's answers. Names and text are compared in the loader's compare form
(NFKC, no whitespace or quote marks, lower case), so a name broken across lines in the
seed still counts as occurring.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from castkg.errors import RuleError
from castkg.rules import load_rules, name_key
from conftest import ONTOLOGY

GAZETTEER = ONTOLOGY / "gazetteer"


def yaml_entries() -> list[tuple[Path, dict]]:
    """Every entry of every gazetteer file, read with plain PyYAML (not the loader under test)."""
    entries = []
    for path in sorted(GAZETTEER.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        entries += [(path, item) for item in document]
    return entries


def test_every_entry_loads() -> None:
    rules = load_rules(ONTOLOGY)
    raw = yaml_entries()
    assert len(raw) > 0
    assert len(rules.gazetteer) == len(raw), "the loader dropped or invented entries"
    assert sorted(rules.gazetteer) == sorted(item["id"] for _, item in raw)


def test_no_name_has_wrapping_punctuation() -> None:
    wrapped = [
        (entry.id, name)
        for entry in load_rules(ONTOLOGY).gazetteer.values()
        for name in entry.all_names
        if re.search("[“”《》「」『』【】]", name) or name != name.strip()
    ]
    assert wrapped == []


def test_at_most_a_fifth_of_entries_name_something_in_the_seed(seed_path: Path) -> None:
    text = name_key(seed_path.read_text(encoding="utf-8"))
    entries = load_rules(ONTOLOGY).gazetteer.values()
    in_seed = {
        entry.id: [n for n in entry.all_names if name_key(n) and name_key(n) in text] for entry in entries
    }
    in_seed = {key: names for key, names in in_seed.items() if names}
    share = len(in_seed) / len(entries)
    print(
        f"\n{len(in_seed)} of {len(entries)} gazetteer entries ({share:.1%}) carry a name found in the seed"
    )
    assert share <= 0.2, (
        f"{len(in_seed)}/{len(entries)} entries name something in the seed: {sorted(in_seed)[:40]}"
    )


@pytest.fixture
def ontology_copy(tmp_path: Path) -> Path:
    shutil.copytree(ONTOLOGY, tmp_path / "ontology")
    return tmp_path / "ontology"


def test_duplicate_id_is_rejected_with_file_and_line(ontology_copy: Path) -> None:
    first = next(iter(sorted(GAZETTEER.glob("*.yaml"))))
    first_id = yaml.safe_load(first.read_text(encoding="utf-8"))[0]["id"]
    target = ontology_copy / "gazetteer" / "zz_duplicate.yaml"  # read after every other file
    target.write_text(
        f"# a second entry with an id already taken\n\n- id: {first_id}\n  class: Organization\n"
        f"  label: 某某测试机构甲乙丙\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as caught:
        load_rules(ontology_copy)
    message = str(caught.value)
    assert message.startswith(f"{target}:3:"), message
    assert caught.value.line == 3
    assert first_id in message and "duplicate id" in message
    assert first.name in message, "the message should say where the id was first given"


def test_copy_of_ontology_loads_like_the_original(ontology_copy: Path) -> None:
    """The control for the test above: an unedited copy loads, so only the edit is rejected."""
    assert len(load_rules(ontology_copy).gazetteer) == len(load_rules(ONTOLOGY).gazetteer)
