"""What a build's result depends on besides its inputs, as digests: the rules and castkg's code.

The cache (:mod:`castkg.cache`) keys each file's result with them, and the Dask engine
(:mod:`castkg.engines`) ships the rules' files to its workers and checks what they loaded.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

RULE_FOLDERS = ("rules", "gazetteer")
"""The folders of a rules directory that :func:`castkg.rules.load_rules` reads."""


def rules_files(directory: str | Path) -> dict[str, bytes]:
    """Every file the rules are loaded from, by its path relative to ``directory``, sorted."""
    root = Path(directory)
    found = {}
    for folder in RULE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def digest_of(files: Mapping[str, bytes]) -> str:
    """One SHA-256 of named files: their names and bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


@cache
def code_digest() -> str:
    """A SHA-256 of castkg's Python modules' bytes (its version is in ``__init__.py``) and the
    Python version: a cached result is never used by other code than made it, released or not."""
    package = Path(__file__).resolve().parent
    files = {path.relative_to(package).as_posix(): path.read_bytes() for path in package.rglob("*.py")}
    files["\0python"] = f"{sys.version_info[:2]}".encode()
    return digest_of(files)
