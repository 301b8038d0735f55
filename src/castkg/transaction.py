"""Crash-safe writing: a file replaced by rename, a folder replaced as a whole.

:class:`FolderTransaction` is how castkg replaces anything that must never be seen half-written
(a build's output folder, a store). Everything is written into a fresh folder beside the target
(``.NAME.castkg-new-…``); :meth:`FolderTransaction.commit` fsyncs every file and folder in it and
swaps it in by one rename: Linux's ``renameat2(RENAME_EXCHANGE)`` swaps the two folders
atomically, elsewhere two renames do it and the next transaction puts the previous folder back
if a crash fell between them. A process killed at any moment (SIGKILL included) therefore
leaves the target as it was or as committed, never a mix; what a killed transaction left
beside it is removed by the next one. Ctrl-C and SIGTERM that arrive during the swap are held
until it is done.

One transaction at a time per target: a lock file ``.NAME.castkg-lock`` beside the target, held
with ``flock`` (so a killed holder frees it), stays there between builds.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import secrets
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from types import TracebackType

from castkg.errors import CastkgError, OutputError

log = logging.getLogger(__name__)

NEW, OLD, LOCK, TMP = ".castkg-new-", ".castkg-old-", ".castkg-lock", ".castkg-tmp-"
"""What castkg puts beside a target ``NAME``: ``.NAME`` + one of these (+ a random part)."""

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def fsync_path(path: str | Path, directory: bool = False) -> None:
    """Flush one file (or folder entry list) to disk."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: str | Path) -> None:
    """Flush every file and folder under ``folder`` (itself included) to disk, deepest first."""
    for root, _, files in os.walk(folder, topdown=False):
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                fsync_path(path)
        fsync_path(root, directory=True)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Replace the file ``path`` by ``data``: written to a temporary name beside it, fsynced, renamed.

    A crash leaves the old file or the new one, never a truncated one. Raises ``OSError``.
    """
    path = Path(path)
    temporary = path.parent / f".{path.name}{TMP}{secrets.token_hex(4)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_path(path.parent, directory=True)


@cache
def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is None:  # a C library older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False when the system or filesystem cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done, then act on them as before.

    Only the main thread can do this (it is where Python runs signal handlers); elsewhere the
    block runs unprotected.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[signal.Signals] = []
    caught = (signal.SIGINT, signal.SIGTERM)
    previous = {
        number: signal.signal(number, lambda number, _: received.append(signal.Signals(number)))
        for number in caught
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if received:
            handler = previous[received[0]]
            if callable(handler):
                handler(received[0], None)
            elif handler != signal.SIG_IGN:
                signal.raise_signal(received[0])


class FolderTransaction:
    """Replace the folder ``target`` as a whole, crash-safely (see the module's docstring).

    Use as a context manager: ``begin`` on entry, then write into :attr:`staging`, then
    :meth:`commit`; leaving the block without committing throws the new folder away and
    leaves the target untouched. ``shown`` is how messages name the target; ``error`` the
    :class:`~castkg.errors.CastkgError` subclass they raise.
    """

    def __init__(
        self, target: str | Path, shown: str | None = None, error: type[CastkgError] = OutputError
    ) -> None:
        self.shown = shown if shown is not None else str(target)
        self._given = Path(target)
        self.target = Path(os.path.abspath(target))
        if self.target.is_symlink():  # swap the folder the link points to, keep the link
            self.target = self.target.resolve()
        self.parent = self.target.parent
        self._error = error
        self._lock: int | None = None
        self._staging: Path | None = None

    @property
    def staging(self) -> Path:
        """The new folder being written (raises when the transaction is not open)."""
        if self._staging is None:
            raise RuntimeError(f"{self.shown}: no transaction open")
        return self._staging

    def _sibling(self, kind: str) -> Path:
        return self.parent / f".{self.target.name}{kind}{secrets.token_hex(4) if kind != LOCK else ''}"

    def _leftovers(self, kind: str) -> list[Path]:
        prefix = f".{self.target.name}{kind}"
        try:
            return [path for path in self.parent.iterdir() if path.name.startswith(prefix)]
        except FileNotFoundError:
            return []

    def begin(self) -> FolderTransaction:
        """Take the target's lock, repair what a killed transaction left, make the new folder.

        Raises ``error`` when the place is not writable or another castkg holds the lock.
        """
        if os.path.lexists(self.target) and not self.target.is_dir():
            raise self._error(f"{self.shown}: is a file, not a folder")
        for above in self._given.parents:
            if above.exists():
                if not above.is_dir():
                    raise self._error(f"{self.shown}: {above} is a file, not a folder")
                break
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock = os.open(self._sibling(LOCK), os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._release()
                raise self._error(
                    f"{self.shown}: another castkg is writing it now; wait for it to finish"
                ) from None
            self._recover()
            staging = self._sibling(NEW)
            staging.mkdir(0o777)
            self._staging = staging
            if self.target.is_dir():
                os.chmod(staging, self.target.stat().st_mode & 0o7777)
        except OSError as exc:
            self._release()
            raise self._error(
                f"{self.shown}: cannot write in {self.parent} ({exc.strerror or exc}); "
                f"give a place you can write to"
            ) from exc
        return self

    def _recover(self) -> None:
        """Put back a target left aside by a crash between two renames; drop other leftovers."""
        olds = self._leftovers(OLD)
        if not os.path.lexists(self.target) and olds:
            newest = max(olds, key=lambda path: path.stat().st_mtime)
            os.rename(newest, self.target)
            fsync_path(self.parent, directory=True)
            olds.remove(newest)
            log.warning("%s: put back as it was before an interrupted update", self.shown)
        for leftover in [*olds, *self._leftovers(NEW)]:
            log.info("%s: removing %s, left by an interrupted update", self.shown, leftover.name)
            _remove(leftover)

    def commit(self, before_swap: Callable[[Path, Path], None] | None = None) -> None:
        """Make the new folder the target: fsync all of it, then swap it in and drop the old one.

        ``before_swap(target, staging)`` runs first, while the old target is still in place.
        Raises ``error`` when the swap fails (the target is then unchanged).
        """
        staging = self.staging
        try:
            with signals_held():
                if before_swap is not None and self.target.is_dir():
                    before_swap(self.target, staging)
                fsync_tree(staging)
                if not os.path.lexists(self.target):
                    os.rename(staging, self.target)
                    fsync_path(self.parent, directory=True)
                elif exchange(staging, self.target):  # staging now holds the previous folder
                    fsync_path(self.parent, directory=True)
                    _remove(staging)
                else:
                    aside = self._sibling(OLD)
                    os.rename(self.target, aside)
                    try:
                        os.rename(staging, self.target)
                    except OSError:
                        os.rename(aside, self.target)
                        raise
                    fsync_path(self.parent, directory=True)
                    _remove(aside)
                self._staging = None
            log.info("%s: the new version is in place", self.shown)
        except OSError as exc:
            raise self._error(f"{self.shown}: cannot put the new version in place ({exc})") from exc
        finally:
            self.abort()

    def abort(self) -> None:
        """Throw the new folder away (if any) and release the lock; the target stays as it is."""
        if self._staging is not None:
            _remove(self._staging)
            self._staging = None
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing frees the flock
            self._lock = None

    def __enter__(self) -> FolderTransaction:
        return self.begin() if self._lock is None else self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.abort()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with suppress(OSError):
            path.unlink()
