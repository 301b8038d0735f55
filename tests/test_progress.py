"""A build that takes more than a second shows a progress bar on stderr; a quick one shows none.

The bar goes to stderr so that the one-line summary on stdout stays clean for scripts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DATA, run_castkg


def test_a_long_build_shows_a_progress_bar(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for copy in range(40):  # about 600 articles: several seconds of extraction on CI's machine
        for bulletin in sorted(DATA.glob("*.txt")):
            shutil.copy(bulletin, corpus / f"{copy:02d}_{bulletin.name}")
    process = run_castkg("build", corpus, "-o", tmp_path / "out", "--no-view")
    assert process.returncode == 0, process.stderr
    assert "extracting" in process.stderr and "article/s" in process.stderr
    assert process.stdout.count("\n") == 1 and process.stdout.startswith("built ")


def test_a_quick_build_shows_no_bar(tmp_path: Path) -> None:
    process = run_castkg("build", sorted(DATA.glob("*.txt"))[0], "-o", tmp_path / "out", "--no-view")
    assert process.returncode == 0, process.stderr
    assert "extracting" not in process.stderr
