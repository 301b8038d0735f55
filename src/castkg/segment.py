"""Stage 2, segment: a document → its articles (title, blocks, ranked lists, signature)."""

from __future__ import annotations

from castkg.model import Article, Document


def segment(document: Document) -> list[Article]:
    """Split a document into articles, repairing PDF-broken line wraps."""
    raise NotImplementedError
