"""Bad rule files are rejected when loaded, naming the file, the right line and what was expected.

Each case copies ``ontology/`` into a temporary folder and makes one edit to one file: in
the file, find ``anchor`` (a rule's or entry's ``- id:`` line), then replace the first
``original`` at or after it with ``replacement``. ``load_rules`` must raise ``RuleError``
whose message starts with ``FILE:LINE:`` (LINE is the anchor's line for an error about a
rule or entry, the edited line for a YAML syntax error) and contains each expected
fragment. The same copy given to ``castkg build --rules`` must exit 2 with exactly one
line on stderr and no traceback; with ``--debug`` the traceback is shown.

If a case stops applying because the rules were rewritten (its anchor or original text is
gone), the test fails saying so: update the case, do not delete it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from castkg.errors import RuleError
from castkg.page import load_page_rules
from castkg.rules import load_rules
from conftest import INPUTS, ONTOLOGY, run_castkg, stderr_lines

BULLETIN = INPUTS / "formats" / "plain.txt"  # a small seed-like bulletin that builds with the real rules


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    """Path under the ontology folder."""
    anchor: str
    original: str
    replacement: str
    fragments: tuple[str, ...]
    line_at: str = "anchor"
    """Where the error must point: "anchor" (the rule's or entry's first line) or "edit"."""


CASES = (
    Case(
        "yaml-syntax",
        "rules/relations.yaml",
        "- id: organizer.subject-verb",
        "predicate: organizer",
        "predicate: organizer: [",
        ("not valid YAML",),
        line_at="edit",
    ),
    Case(
        "unknown-kind",
        "rules/entities.yaml",
        "- id: publication.bracketed",
        "kind: bracketed",
        "kind: bracket",
        ("rule=publication.bracketed", "unknown kind 'bracket'", "expected one of", "bracketed"),
    ),
    Case(
        "unknown-class",
        "rules/relations.yaml",
        "- id: organizer.subject-verb",
        "object: [Event]",
        "object: [Meeting]",
        ("rule=organizer.subject-verb", "unknown class ckg:Meeting", "expected one of", "Event"),
    ),
    Case(
        "unknown-predicate",
        "rules/relations.yaml",
        "- id: launched.subject-verb",
        "predicate: launchedBy",
        "predicate: launchBy",
        ("rule=launched.subject-verb", "unknown property ckg:launchBy", "launchedBy"),
    ),
    Case(
        "missing-required-field",
        "rules/entities.yaml",
        "- id: publication.bracketed",
        "  class: Publication\n",
        "",
        ("publication.bracketed", "missing required field 'class'"),
    ),
    Case(
        "unknown-field",
        "rules/entities.yaml",
        "- id: org.suffix",
        "suffixes:",
        "sufixes:",
        ("org.suffix", "unknown field 'sufixes'", "expected one of", "suffixes"),
    ),
    Case(
        "bad-regex",
        "rules/entities.yaml",
        "- id: event.congress-abbreviation",
        "pattern: '(?<![省市县区州旗])(?P<org>",
        "pattern: '(?<![省市县区州旗])(?P<org",
        ("rule=event.congress-abbreviation", "not a valid regular expression"),
    ),
    Case(
        "unknown-word-list-in-a-pattern",
        "rules/entities.yaml",
        "- id: event.venue-opening",
        "{venue_openings}",
        "{venue_opening}",
        ("rule=event.venue-opening", "no word list 'venue_opening'"),
    ),
    Case(
        "unknown-word-list",
        "rules/relations.yaml",
        "- id: chair.presides",
        "verbs: chair_verbs",
        "verbs: chairing_verbs",
        ("rule=chair.presides", "no word list 'chairing_verbs'", "chair_verbs"),
    ),
    Case(
        "unknown-word-list-in-an-inference",
        "rules/inferences.yaml",
        "- id: date.one-day-whole",
        "kinds: one_day_kinds",
        "kinds: one_day_kind",
        ("rule=date.one-day-whole", "no word list 'one_day_kind'", "one_day_kinds"),
    ),
    Case(
        "unknown-word-list-among-several",
        "rules/relations.yaml",
        "- id: location.held-in",
        "verbs: [location_verbs, signing_verbs]",
        "verbs: [location_verbs, signed_verbs]",
        ("rule=location.held-in", "no word list 'signed_verbs' in lexicon.yaml"),
    ),
    Case(
        "empty-list-of-word-lists",
        "rules/relations.yaml",
        "- id: location.held-in",
        "verbs: [location_verbs, signing_verbs]",
        "verbs: []",
        ("rule=location.held-in", "verbs: expected a word list's name or a list of names"),
    ),
    Case(
        "setting-the-kind-does-not-take",
        "rules/relations.yaml",
        "- id: date.event-day",
        "kind: event_date",
        "kind: event_date\n  predicate: startDate",
        ("rule=date.event-day", "unknown field 'predicate'"),
    ),
    Case(
        "guess-not-a-boolean",
        "rules/relations.yaml",
        "- id: organizer.bulletin-body",
        "guess: true",
        "guess: maybe",
        ("rule=organizer.bulletin-body", "guess: expected a true or false"),
    ),
    Case(
        "template-label-names-no-group",
        "rules/entities.yaml",
        "- id: event.congress-abbreviation",
        "label: '{org}第{n}次",
        "label: '{org}第{num}次",
        ("rule=event.congress-abbreviation", "label: {num} is no named group"),
    ),
    Case(
        "gazetteer-bad-id",
        "gazetteer/organizations_cast.yaml",
        "- id: cast-presidium",
        "- id: cast-presidium",
        "- id: Cast_Presidium",
        ("Cast_Presidium", "expected a lowercase ASCII slug"),
    ),
    Case(
        "gazetteer-part-of-missing-id",
        "gazetteer/organizations_cast.yaml",
        "- id: cast-presidium",
        "part_of: cast",
        "part_of: cast-no-such-body",
        ("id=cast-presidium", "no entry has id 'cast-no-such-body'"),
    ),
    Case(
        "gazetteer-unknown-class",
        "gazetteer/organizations_cast.yaml",
        "- id: cast-presidium",
        "class: Organization",
        "class: Meeting",
        ("unknown class 'Meeting'", "expected one of", "Organization"),
    ),
    Case(
        "measures-unknown-qualifier",
        "rules/measures.yaml",
        "qualifiers:",
        "Nearly:",
        "Roughly:",
        ("unknown qualifier 'Roughly'", "Nearly"),
        line_at="edit",
    ),
    Case(
        "page-bad-pattern",
        "rules/page.yaml",
        "- id: crumbs",
        "pattern: '^(?:您的位置",
        "pattern: '^((?:您的位置",
        ("furniture id=crumbs", "not a valid regular expression"),
    ),
    Case(
        "page-unknown-word-list",
        "rules/page.yaml",
        "- id: byline",
        "{person}",
        "{persons}",
        ("furniture id=byline", "{persons}", "no such word list", "did you mean person?"),
    ),
    Case(
        "page-unknown-label-kind",
        "rules/page.yaml",
        "labels:",
        "  count:",
        "  counts:",
        ("labels → unknown kind 'counts'", "expected one of", "did you mean count?"),
    ),
    Case(
        "page-fold-not-one-character",
        "rules/page.yaml",
        "fold:",
        "來: 来",
        "來源: 来源",
        ("fold → '來源'", "one character for one character"),
    ),
    Case(
        "page-unknown-setting",
        "rules/page.yaml",
        "signature_line:",
        "signature_line:",
        "signature_lines:",
        ("signature_lines → unknown setting", "did you mean signature_line?"),
    ),
    Case(
        "page-count-not-a-number",
        "rules/page.yaml",
        "link_list_fewest:",
        "link_list_fewest: 3",
        "link_list_fewest: three",
        ("link_list_fewest → expected a count",),
    ),
    Case(
        "inference-unknown-relation-rule",
        "rules/inferences.yaml",
        "- id: involves.through-part",
        "except_parts_by: [list.item,",
        "except_parts_by: [list.items,",
        ("rule=involves.through-part", "no relation rule 'list.items'", "did you mean list.item?"),
    ),
    Case(
        "inference-unknown-seat-rule",
        "rules/inferences.yaml",
        "- id: location.host-place",
        "seated_by: [location.body-name]",
        "seated_by: [location.body]",
        ("rule=location.host-place", "seated_by: no relation rule 'location.body'"),
    ),
    Case(
        "inference-unknown-kind",
        "rules/inferences.yaml",
        "- id: location.through-part",
        "kind: through_part",
        "kind: through_parts",
        ("rule=location.through-part", "unknown kind 'through_parts'", "through_part"),
    ),
    Case(
        "inference-unknown-property",
        "rules/inferences.yaml",
        "- id: involves.through-part",
        "carries: [involves,",
        "carries: [involved,",
        ("rule=involves.through-part", "unknown property ckg:involved", "involves"),
    ),
)


def make_bad_copy(case: Case, tmp_path: Path) -> tuple[Path, Path, int]:
    """Copy ontology/ and apply the case's edit; return (folder, edited file, expected line)."""
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    target = folder / case.file
    text = target.read_text(encoding="utf-8")
    start = text.find(case.anchor)
    assert start >= 0, f"case {case.id}: {case.anchor!r} is no longer in {case.file}; update the case"
    at = text.find(case.original, start)
    assert at >= 0, f"case {case.id}: {case.original!r} no longer follows {case.anchor!r}; update the case"
    edited = text[:at] + case.replacement + text[at + len(case.original) :]
    target.write_text(edited, encoding="utf-8")
    line = text.count("\n", 0, start if case.line_at == "anchor" else at) + 1
    if case.line_at == "anchor":  # the anchor line itself, not the start of a longer match on it
        line = text.count("\n", 0, text.rfind("\n", 0, start) + 1) + 1
    return folder, target, line


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_load_rules_names_file_line_and_expectation(case: Case, tmp_path: Path) -> None:
    folder, target, line = make_bad_copy(case, tmp_path)
    with pytest.raises(RuleError) as caught:
        load_rules(folder)
        load_page_rules(folder)  # the segment stage's rules, read from the same folder
    message = str(caught.value)
    assert message.startswith(f"{target}:{line}:"), f"expected {target.name}:{line}, got: {message}"
    if case.line_at == "anchor":  # an error about one rule or entry: "rule=id → what was expected"
        assert " → " in message, f"no 'rule → what was expected' in: {message}"
    missing = [fragment for fragment in case.fragments if fragment not in message]
    assert not missing, f"message lacks {missing}: {message}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_exits_2_with_one_line(case: Case, tmp_path: Path) -> None:
    folder, target, line = make_bad_copy(case, tmp_path)
    out = tmp_path / "out"
    process = run_castkg("build", BULLETIN, "--rules", folder, "-o", out)
    lines = stderr_lines(process)
    assert process.returncode == 2, process.stderr
    assert len(lines) == 1, process.stderr
    assert "Traceback" not in process.stderr
    assert f"{target}:{line}:" in lines[0], lines[0]
    assert not (out / "castkg.ttl").exists(), "a build with bad rules must not write output"


def test_cli_debug_shows_the_traceback(tmp_path: Path) -> None:
    folder, _, _ = make_bad_copy(CASES[2], tmp_path)
    process = run_castkg("--debug", "build", BULLETIN, "--rules", folder, "-o", tmp_path / "out")
    assert process.returncode != 0
    assert "Traceback" in process.stderr and "RuleError" in process.stderr, process.stderr


def test_unedited_copy_builds(tmp_path: Path) -> None:
    """The control: the untouched copy loads and builds, so each failure above comes from its edit."""
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    load_rules(folder)
    process = run_castkg("build", BULLETIN, "--rules", folder, "-o", tmp_path / "out", "--no-view")
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "out" / "castkg.ttl").is_file()
