"""Everything ``castkg build -o DIR`` writes, for Python callers: the graph files and the view."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rdflib import Dataset

from castkg.graphs import VIEW
from castkg.view import write_view
from castkg.write import Written, write_graph


def write_outputs(dataset: Dataset, directory: str | Path, view: bool = True) -> Written:
    """Write castkg.ttl, castkg.trig and (unless ``view`` is false) graph.html of ``dataset`` into
    ``directory``; the same files, byte for byte, as ``castkg build -o DIRECTORY``."""
    written = write_graph(dataset, directory)
    if not view:
        return written
    page = Path(directory) / VIEW
    write_view(dataset, page)
    return replace(written, view=page)
