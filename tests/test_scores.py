"""Issue 2's quality bar, measured by the shared scorer on real builds.

The seed bulletin against ``../shared/eval/seed-gold.json``: entity F1 ≥ 0.95, no gold
entity split over several nodes and no node merging two, facts and measures recall ≥ 0.90,
every competency question answered. Each of our own bulletins (``data/<stem>.txt``) against
its hand-made gold ``tests/gold/<stem>.json``: entity F1 ≥ 0.85. The scorer runs as a
separate process (``score.py --json``), exactly as an evaluator would run it; ``pytest -s``
prints the figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import castkg
from castkg.write import write_graph
from conftest import DATA, GOLD, SCORER, SEED_GOLD

OWN_GOLDS = sorted(GOLD.glob("*.json"))


def build_and_score(inputs: list[Path], gold: Path, out: Path) -> dict:
    """Build ``inputs`` with the Python API, write castkg.ttl, score it; return the scorer's JSON."""
    write_graph(castkg.build(inputs), out)
    process = subprocess.run(
        [sys.executable, str(SCORER), str(gold), str(out / "castkg.ttl"), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def figures(name: str, result: dict) -> str:
    e, f, m, q = result["entities"], result["facts"], result["measures"], result["questions"]
    lines = [
        f"{name}: entities P={e['precision']} R={e['recall']} F1={e['f1']} (gold {e['gold']}, kg {e['kg']}); "
        f"split {len(result['identity']['split'])}, merged {len(result['identity']['merged'])}; "
        f"facts R={f['recall']} ({f['found']}/{f['gold']}); "
        f"measures R={m['recall']} ({m['found']}/{m['gold']}); "
        f"questions {q['passed']}/{q['total']}"
    ]
    lines += [f"    split: {x}" for x in result["identity"]["split"]]
    lines += [f"    merged: {x}" for x in result["identity"]["merged"]]
    lines += [f"    missed fact: {x}" for x in f["missed"]]
    lines += [f"    missed measure: {x}" for x in m["missed"]]
    lines += [f"    failed {x['id']}: {x['ask']} got {x['got']} want {x['want']}" for x in q["failed"]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def seed_score(seed_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not SEED_GOLD.is_file() or not SCORER.is_file():
        pytest.skip("the seed gold or the scorer is not next to the repository")
    result = build_and_score([seed_path], SEED_GOLD, tmp_path_factory.mktemp("seed-score"))
    print("\n" + figures("seed", result))
    return result


def test_seed_entity_f1(seed_score: dict) -> None:
    assert seed_score["entities"]["f1"] >= 0.95, figures("seed", seed_score)


def test_seed_one_node_per_thing(seed_score: dict) -> None:
    assert seed_score["identity"] == {"split": [], "merged": []}, figures("seed", seed_score)


def test_seed_facts_recall(seed_score: dict) -> None:
    assert seed_score["facts"]["recall"] >= 0.90, figures("seed", seed_score)


def test_seed_measures_recall(seed_score: dict) -> None:
    assert seed_score["measures"]["recall"] >= 0.90, figures("seed", seed_score)


def test_seed_every_question_passes(seed_score: dict) -> None:
    questions = seed_score["questions"]
    assert questions["total"] > 0
    assert questions["passed"] == questions["total"], figures("seed", seed_score)


def test_at_least_four_own_golds() -> None:
    stems = [gold.stem for gold in OWN_GOLDS]
    assert len(stems) >= 4, stems
    for stem in stems:
        assert (DATA / f"{stem}.txt").is_file(), f"tests/gold/{stem}.json has no data/{stem}.txt"


@pytest.fixture(scope="module")
def own_scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every own bulletin built alone, once, and scored against its gold."""
    if not SCORER.is_file():
        pytest.skip("the scorer is not next to the repository")
    scores = {}
    for gold in OWN_GOLDS:
        documents = json.loads(gold.read_text(encoding="utf-8")).get("documents") or [f"{gold.stem}.txt"]
        scores[gold.stem] = build_and_score(
            [DATA / d for d in documents], gold, tmp_path_factory.mktemp(gold.stem)
        )
        print("\n" + figures(gold.stem, scores[gold.stem]))
    return scores


@pytest.mark.parametrize("stem", [gold.stem for gold in OWN_GOLDS])
def test_own_bulletin_entity_f1(stem: str, own_scores: dict[str, dict]) -> None:
    assert own_scores[stem]["entities"]["f1"] >= 0.85, figures(stem, own_scores[stem])
