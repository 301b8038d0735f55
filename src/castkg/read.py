"""Stage 1, read: paths → documents (decoded text of .txt, .md, .html, .jsonl inputs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from castkg.errors import InputError
from castkg.model import Document


def read_paths(paths: Iterable[str | Path], on_error: Callable[[InputError], None]) -> Iterator[Document]:
    """Yield one Document per readable input under ``paths``; report each bad one to ``on_error``."""
    raise NotImplementedError
