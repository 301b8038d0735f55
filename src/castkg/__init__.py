"""castkg: Chinese science-organisation news bulletins into an RDF knowledge graph.

The public API is :func:`build`, which runs the whole pipeline
(files → documents → articles → mentions → entities and facts → graph).
"""

from __future__ import annotations

__version__ = "0.1.0"

from castkg.pipeline import build  # noqa: E402

__all__ = ["__version__", "build"]
