"""What the extractor knows is in the rule files: no Chinese word is written in its code, and every
word list and pattern the code reads by name is checked when the rules load.

The code reads ``ontology/rules/lexicon.yaml`` and ``ontology/rules/patterns.yaml`` only through
handles declared at import (``WORDS.need("roles")``, ``PATTERNS.need("day_date")``); the loader
rejects a missing, misspelt or unread name with the file, the line and the closest name.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
import tokenize
from pathlib import Path

import pytest

from castkg.errors import RuleError
from castkg.registry import PATTERNS, WORDS
from castkg.rules import load_rules
from conftest import ONTOLOGY, ROOT

SOURCE = ROOT / "src" / "castkg"
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
"""Chinese characters. Punctuation (“” 、 ，) is orthography and may stay in code."""


def _where(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _docstring_starts(tree: ast.AST) -> set[tuple[int, int]]:
    """Where each docstring (a string standing alone as a statement) starts."""
    return {
        (node.lineno, node.col_offset)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


def chinese_literals(path: Path) -> list[str]:
    """``file:line: literal`` for each string literal of ``path`` that holds a Chinese character,
    docstrings and comments excepted."""
    text = path.read_text(encoding="utf-8")
    docstrings = _docstring_starts(ast.parse(text))
    found = []
    literal_types = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in literal_types and token.start not in docstrings and HAN.search(token.string):
            found.append(f"{_where(path)}:{token.start[0]}: {token.string}")
    return found


def test_no_chinese_word_in_the_extractor_code() -> None:
    found = [line for path in sorted((SOURCE / "extract").rglob("*.py")) for line in chinese_literals(path)]
    assert not found, "Chinese words belong in ontology/rules/*.yaml:\n" + "\n".join(found)


def test_the_checker_sees_a_chinese_literal(tmp_path: Path) -> None:
    """The control: the check above finds a literal, and only outside docstrings and comments."""
    sample = tmp_path / "sample.py"
    sample.write_text('"""主办."""\nVERBS = ("主办", "、", f"{1}举办")  # 召开\n', encoding="utf-8")
    assert [line.split(": ", 1)[1] for line in chinese_literals(sample)] == ['"主办"', 'f"{1}举办"']


def _reads_by_literal_name(path: Path) -> list[str]:
    """Calls ``….words("name")`` or ``….pattern("name")``: a name not declared as a need."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("words", "pattern")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append(f"{_where(path)}:{node.lineno}")
    return found


def test_the_code_reads_word_lists_only_through_declared_needs() -> None:
    found = [line for path in sorted(SOURCE.rglob("*.py")) for line in _reads_by_literal_name(path)]
    assert not found, (
        "declare the name with WORDS.need / PATTERNS.need and read it through that:\n" + "\n".join(found)
    )


def test_every_name_the_code_reads_is_in_the_rule_files() -> None:
    rules = load_rules()
    assert len(WORDS) > 20 and len(PATTERNS) > 10  # the modules that read them have declared them
    assert sorted(set(WORDS) - set(rules.lexicon)) == []
    assert sorted(set(PATTERNS) - set(rules.templates)) == []
    for name, need in PATTERNS.items():
        if not need.fills:
            assert set(need.groups) <= set(rules.patterns[name].groupindex), name


def _copy_with(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, Path, int]:
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    target = folder / "rules" / file
    text = target.read_text(encoding="utf-8")
    at = text.find(old)
    assert at >= 0, f"{old!r} is no longer in {file}; update the test"
    target.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return folder, target, text.count("\n", 0, at) + 1


@pytest.mark.parametrize(
    ("file", "old", "new", "fragments"),
    [
        ("lexicon.yaml", "\nroles:", "\nrolse:", ("word list rolse", "did you mean roles?")),
        ("lexicon.yaml", "\nsurnames:", "\nsurname:", ("word list surname", "did you mean surnames?")),
        ("patterns.yaml", "\nday_date:", "\nday_dates:", ("pattern day_dates", "did you mean day_date?")),
        (
            "patterns.yaml",
            "(?P<d2>",
            "(?P<dd>",
            ("pattern day_date", "no group (?P<d2>", "castkg.extract.text"),
        ),
        (
            "patterns.yaml",
            "{alias_markers}",
            "{alias_marker}",
            ("{alias_marker}", "did you mean alias_markers?"),
        ),
        (
            "patterns.yaml",
            "\nlist_year: '(\\d{4})",
            "\nlist_year: '(\\d{4}",
            ("not a valid regular expression",),
        ),
    ],
    ids=[
        "misspelt-list",
        "misspelt-list-2",
        "misspelt-pattern",
        "missing-group",
        "unknown-list-in-pattern",
        "bad-regex",
    ],
)
def test_a_misspelt_name_fails_at_load_with_file_line_and_the_closest_name(
    tmp_path: Path, file: str, old: str, new: str, fragments: tuple[str, ...]
) -> None:
    folder, target, line = _copy_with(tmp_path, file, old, new)
    if old.startswith("\n"):
        line += 1  # the edit starts with the line end before the key
    with pytest.raises(RuleError) as caught:
        load_rules(folder)
    message = str(caught.value)
    assert message.startswith(f"{target}:{line}:"), message
    missing = [f for f in fragments if f not in message]
    assert not missing, f"{missing} not in: {message}"


def test_a_deleted_list_names_the_module_that_reads_it(tmp_path: Path) -> None:
    folder, target, _ = _copy_with(tmp_path, "lexicon.yaml", "\nfunction_chars:", "\n# function_chars:")
    text = target.read_text(encoding="utf-8")
    target.write_text(re.sub(r"\n# function_chars:[^\n]*", "\n", text), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rules(folder)
    message = str(caught.value)
    assert message.startswith(f"{target}:"), message
    assert "no word list 'function_chars'" in message and "castkg.extract.mentions" in message, message
