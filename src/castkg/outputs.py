"""Everything ``castkg build -o DIR`` writes (the graph files and the view), replaced as one set.

:class:`OutputFolder` is a build's output transaction: the files are written into a new folder
beside DIR, which is then fsynced and swapped in by rename (:mod:`castkg.transaction`), so DIR
always holds the three files of one build: the previous one until the new one is complete.
Files in DIR that castkg does not write (notes, an exported network …) are carried over into
the new folder; a folder inside DIR is refused before the build, since a swap would have to
move it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

from rdflib import Dataset

from castkg.errors import OutputError
from castkg.graphs import TRIG, TURTLE, VIEW
from castkg.transaction import TMP, FolderTransaction
from castkg.write import Written, write_graph

OUTPUT_FILES: tuple[str, ...] = (TURTLE, TRIG, VIEW)
"""The files a build writes into its output folder; every other file there is carried over."""


def check_output_folder(directory: str | Path, shown: str | None = None) -> None:
    """Raise :class:`OutputError` when ``directory`` cannot be a build's output folder: it is a
    file, or it holds a folder (which the swap would have to move)."""
    path, shown = Path(directory), shown if shown is not None else str(directory)
    if path.exists() and not path.is_dir():
        raise OutputError(
            f"{shown}: is a file; -o takes a folder, for castkg.ttl, castkg.trig and graph.html"
        )
    if not path.is_dir():
        return
    folders = sorted(child.name for child in path.iterdir() if child.is_dir() and not child.is_symlink())
    if folders:
        raise OutputError(
            f"{shown}: holds folders ({', '.join(folders)}) and each build replaces its output folder "
            f"as a whole; give -o a folder of its own"
        )


def _carry_over(old: Path, new: Path) -> None:
    """Link the files of the old output folder that castkg does not write into the new one."""
    for child in sorted(old.iterdir()):
        if child.name in OUTPUT_FILES or TMP in child.name or os.path.lexists(new / child.name):
            continue
        if child.is_symlink():
            os.symlink(os.readlink(child), new / child.name)
        elif child.is_dir():
            raise OutputError(f"{old / child.name}: a folder appeared in the output folder during the build")
        else:
            try:
                os.link(child, new / child.name)
            except OSError:  # a filesystem without hard links
                shutil.copy2(child, new / child.name)


class OutputFolder:
    """A build's output transaction::

        with OutputFolder("out") as out:   # checks -o and takes its lock, before any work
            out.write(dataset)             # or write files into out.staging yourself
            out.commit()                   # swaps the new set in; leaving without it changes nothing

    Raises :class:`OutputError` when the folder cannot be used or written.
    """

    def __init__(self, directory: str | Path, shown: str | None = None) -> None:
        self.directory = Path(directory)
        self.shown = shown if shown is not None else str(directory)
        self._transaction = FolderTransaction(directory, self.shown, OutputError)

    @property
    def staging(self) -> Path:
        """The folder the new files go into until :meth:`commit`."""
        return self._transaction.staging

    def write(self, dataset: Dataset, view: bool = True) -> Written:
        """Write castkg.ttl, castkg.trig and (unless ``view`` is false) graph.html of ``dataset``
        into the new folder; returns where they will be once committed."""
        written = write_graph(dataset, self.staging)
        if view:
            from castkg.view import write_view  # the view's modules only where a view is drawn

            write_view(dataset, self.staging / VIEW)
        return Written(
            self.directory / TURTLE,
            self.directory / TRIG,
            written.triples,
            self.directory / VIEW if view else None,
        )

    def commit(self) -> None:
        """Swap the new files in as one set (the old ones go, with a graph.html not written anew)."""
        self._transaction.commit(before_swap=_carry_over)

    def __enter__(self) -> OutputFolder:
        check_output_folder(self.directory, self.shown)
        self._transaction.begin()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._transaction.abort()


def write_outputs(dataset: Dataset, directory: str | Path, view: bool = True) -> Written:
    """Write castkg.ttl, castkg.trig and (unless ``view`` is false) graph.html of ``dataset`` into
    ``directory``; the same files, byte for byte, as ``castkg build -o DIRECTORY``, swapped in
    together. Raises :class:`OutputError`."""
    with OutputFolder(directory) as outputs:
        written = outputs.write(dataset, view)
        outputs.commit()
    return written
