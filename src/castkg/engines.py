"""Where the files of a build are read and extracted: in this process, in a pool of processes,
or on a Dask cluster.

Each engine runs :func:`castkg.pipeline.build_file` on one file at a time and hands back its
result to the build, which merges the results in input order: the output is the same bytes
whatever the engine and however many workers it has.

- :class:`InProcess` (``castkg build``, ``-j 1``): one file after the other.
- :class:`Processes` (``-j N``): N worker processes on this machine, each loading the rules once.
- :class:`Dask` (``--engine dask [--scheduler ADDRESS]``): a Dask distributed cluster, a
  ``LocalCluster`` of N single-threaded worker processes when no scheduler is given. The build
  reads each file and ships its bytes, and ships the rules' files once to every worker, so a
  worker needs castkg installed and nothing else (the inputs and the rules stay on this machine).
  Dask runs tasks in worker threads, where the CPU budget per input cannot be enforced.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import Any

from castkg.errors import EngineError
from castkg.fingerprint import digest_of, rules_files
from castkg.limits import SECONDS_PER_INPUT
from castkg.page import PageRules, load_page_rules
from castkg.pipeline import FileResult, FileTask, build_file
from castkg.pipeline import InProcess as InProcess  # the engine of -j 1, here with the others
from castkg.rulecache import cached_rules
from castkg.rules import Rules, load_rules

log = logging.getLogger(__name__)

TASKS_PER_WORKER = 4
"""Files on their way per worker: enough to keep each busy, few enough to bound memory."""


# --- processes on this machine ----------------------------------------------------------------------------

_worker: tuple[Rules, PageRules, bool, float | None] | None = None
"""In a worker process of :class:`Processes`: its rules and settings, set once when it starts."""


ORPHAN_CHECK_SECONDS = 0.5
"""How often a worker looks whether the build that started it is still there."""


def _start_worker(build: int, directory: str, strict: bool, seconds: float | None) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle, not each worker's
    # the build's own process id, given by the build: a worker that starts after its build was
    # killed already has another parent (init), which it must not take for its build
    threading.Thread(target=_exit_with_parent, args=(build,), daemon=True).start()
    _worker = (cached_rules(directory), load_page_rules(directory), strict, seconds)


def _exit_with_parent(parent: int) -> None:
    """End this worker once the build that started it is gone (killed: SIGKILL, SIGTERM, the OOM
    killer), instead of going on with the files already sent to it for no one."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


def _build_in_worker(task: FileTask) -> FileResult:
    assert _worker is not None, "a worker runs _start_worker first"
    rules, page, strict, seconds = _worker
    return build_file(task, rules, strict, seconds, page)


class _InPool:
    def __init__(self, future: Future[FileResult], task: FileTask) -> None:
        self.future, self.task = future, task

    def result(self) -> FileResult:
        try:
            return self.future.result()
        except BrokenProcessPool:
            raise EngineError(
                f"a worker process died while building {self.task.path} or a file near it (out of "
                "memory, or killed); rerun with -j 1 to build in one process"
            ) from None


class Processes:
    """Builds the files in ``jobs`` worker processes (started fresh, so they share nothing with
    this one but the rules' folder, which each loads once)."""

    def __init__(
        self, rules: Rules, jobs: int, strict: bool = False, seconds: float | None = SECONDS_PER_INPUT
    ) -> None:
        self.window = jobs * TASKS_PER_WORKER
        self.executor = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(), str(rules.directory), strict, seconds),
        )

    def submit(self, task: FileTask) -> _InPool:
        try:
            return _InPool(self.executor.submit(_build_in_worker, task), task)
        except BrokenProcessPool:
            raise EngineError(
                "a worker process died (out of memory, or killed); rerun with -j 1 to build in one process"
            ) from None

    def close(self) -> None:
        """End the worker processes once the tasks on their way are done (they are, when the build
        has every result): the merge and the view run without them."""
        self.executor.shutdown(wait=True)

    def __enter__(self) -> Processes:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
            return
        # stopped early (Ctrl-C, an error): do not wait for the files still on their way
        # after close() the pool holds None here: an error in the merge must still surface as itself
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)


# --- a Dask cluster ---------------------------------------------------------------------------------------

_loaded: dict[str, tuple[Rules, PageRules]] = {}
"""In a Dask worker process: the rules loaded so far, by the digest of their files (one, mostly)."""
_loading = threading.Lock()


def _rules_on_worker(files: Mapping[str, bytes], digest: str) -> tuple[Rules, PageRules]:
    with _loading:
        if digest not in _loaded:
            if digest_of(files) != digest:
                raise EngineError("the rules' files arrived changed on a Dask worker; rerun the build")
            folder = Path(tempfile.mkdtemp(prefix="castkg-rules-"))
            try:
                for name, data in files.items():
                    (folder / name).parent.mkdir(parents=True, exist_ok=True)
                    (folder / name).write_bytes(data)
                _loaded[digest] = (load_rules(folder), load_page_rules(folder))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        return _loaded[digest]


def _build_on_dask(
    task: FileTask, files: Mapping[str, bytes], digest: str, strict: bool, seconds: float | None
) -> FileResult:
    rules, page = _rules_on_worker(files, digest)
    return build_file(task, rules, strict, seconds, page)


class _OnDask:
    def __init__(self, future: Any, task: FileTask) -> None:
        self.future, self.task = future, task

    def result(self) -> FileResult:
        try:
            result: FileResult = self.future.result()
        except EngineError:
            raise
        except Exception as exc:
            if type(exc).__name__ in ("KilledWorker", "CancelledError", "FutureCancelledError"):
                raise EngineError(
                    f"the Dask cluster lost {self.task.path} ({type(exc).__name__}: a worker died, out of "
                    "memory or killed); rerun, or build with -j N on one machine"
                ) from None
            raise
        return result


class Dask:
    """Builds the files on a Dask distributed cluster: the scheduler at ``scheduler``, or a
    ``LocalCluster`` of ``jobs`` single-threaded worker processes started for this build."""

    def __init__(
        self,
        rules: Rules,
        jobs: int = 2,
        scheduler: str | None = None,
        strict: bool = False,
        seconds: float | None = SECONDS_PER_INPUT,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise EngineError(
                "--engine dask needs dask.distributed: pip install 'castkg[dask]' (here and on every worker)"
            ) from None
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(
                    n_workers=jobs,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
        except OSError as exc:
            raise EngineError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start it with dask-scheduler, "
                "or leave --scheduler out for a cluster on this machine"
            ) from None
        threads = sum(self.client.nthreads().values()) or jobs
        self.window = max(threads, 1) * TASKS_PER_WORKER
        files = rules_files(rules.directory)
        self.digest = digest_of(files)
        [self.files] = self.client.scatter([files], broadcast=True, hash=False)  # one object, on each worker
        self.strict, self.seconds = strict, seconds
        log.info("Dask: %d worker threads at %s", threads, self.client.scheduler.address)

    def submit(self, task: FileTask) -> _OnDask:
        future = self.client.submit(
            _build_on_dask, task, self.files, self.digest, self.strict, self.seconds, pure=False
        )
        return _OnDask(future, task)

    def close(self) -> None:
        """Leave the cluster, and stop it when this build started it (again: a no-op)."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> Dask:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
