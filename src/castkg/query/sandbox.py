"""Running a query where it cannot hurt: its own process, no network, bounded memory, a deep stack.

* :func:`run_isolated` runs a function in a forked worker and returns its result. The worker
  is killed at the deadline, and a crash of the query engine (a segmentation fault on a
  pathological query, an allocation refused at the memory limit) becomes a
  :class:`QueryError` saying which, instead of taking the caller down.
* :func:`block_network` is the second layer behind the SERVICE guard (:mod:`castkg.query.scan`):
  a seccomp filter that makes ``socket()`` fail for every family but local (Unix) sockets,
  and ``connect()`` and ``io_uring_setup()`` fail outright, for the worker and every thread
  it starts. pyoxigraph's SERVICE client is Rust code that never passes through Python's
  ``socket`` module, so a Python-level block would not stop it; the kernel does. It needs
  no privileges (``PR_SET_NO_NEW_PRIVS`` first) and works in containers, on Linux x86-64
  and AArch64; elsewhere it reports that it could not be installed.
* :func:`on_big_stack` runs a function on a thread with a 256 MB stack: Oxigraph's parser and
  evaluator recurse once per nesting level, and some constructs take about 8 KB a level, so
  the default 8 MB stack overflows near a thousand levels; 256 MB moves that to about thirty
  thousand, far past castkg's nesting limit.
"""

from __future__ import annotations

import ctypes
import errno
import faulthandler
import logging
import multiprocessing
import os
import platform
import resource
import signal
import struct
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from castkg.errors import CastkgError, QueryError

log = logging.getLogger(__name__)

T = TypeVar("T")

STACK_SIZE = 256 << 20
"""Bytes of stack for the thread a query runs on (address space only; pages are used as needed)."""

# Linux seccomp: the architecture token and the numbers of the calls the filter refuses.
_ARCHES = {
    "x86_64": (0xC000003E, {"socket": 41, "connect": 42, "io_uring_setup": 425}),
    "aarch64": (0xC00000B7, {"socket": 198, "connect": 203, "io_uring_setup": 425}),
}
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_JGE_K, _BPF_RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW, _DENY = 0x7FFF0000, 0x00050000 | errno.EACCES
_AF_UNIX = 1


def _instruction(code: int, k: int, jump_true: int = 0, jump_false: int = 0) -> bytes:
    return struct.pack("HBBI", code, jump_true, jump_false, k)


def _network_filter(machine: str) -> bytes | None:
    """The BPF program of :func:`block_network` for ``machine``, or None for an unknown one."""
    if machine not in _ARCHES:
        return None
    arch, calls = _ARCHES[machine]
    return b"".join(
        [
            _instruction(_BPF_LD_W_ABS, 4),  # seccomp_data.arch
            _instruction(_BPF_JEQ_K, arch, 1, 0),
            _instruction(_BPF_RET_K, _DENY),  # another ABI (32-bit calls): refuse everything
            _instruction(_BPF_LD_W_ABS, 0),  # seccomp_data.nr
            _instruction(_BPF_JGE_K, 0x40000000, 0, 1),  # the x32 ABI
            _instruction(_BPF_RET_K, _DENY),
            _instruction(_BPF_JEQ_K, calls["socket"], 0, 4),
            _instruction(_BPF_LD_W_ABS, 16),  # seccomp_data.args[0], low half: the address family
            _instruction(_BPF_JEQ_K, _AF_UNIX, 0, 1),
            _instruction(_BPF_RET_K, _ALLOW),
            _instruction(_BPF_RET_K, _DENY),
            _instruction(_BPF_JEQ_K, calls["connect"], 1, 0),
            _instruction(_BPF_JEQ_K, calls["io_uring_setup"], 0, 1),
            _instruction(_BPF_RET_K, _DENY),
            _instruction(_BPF_RET_K, _ALLOW),
        ]
    )


_FILTER = _network_filter(platform.machine()) if platform.system() == "Linux" else None


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def block_network() -> None:
    """Forbid this process (and the threads it starts later) every network socket, for good.

    Raises :class:`OSError` where the filter cannot be installed (not Linux x86-64/AArch64,
    or seccomp unavailable).
    """
    if _FILTER is None:
        raise OSError(errno.ENOSYS, f"no seccomp filter for {platform.system()} {platform.machine()}")
    libc = ctypes.CDLL(None, use_errno=True)
    program = ctypes.create_string_buffer(_FILTER, len(_FILTER))
    fprog = _SockFprog(len(_FILTER) // 8, ctypes.addressof(program))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


def network_block_available() -> bool:
    """Whether :func:`block_network` works here (tried in a throwaway child process)."""
    if _FILTER is None or not hasattr(os, "fork"):
        return False
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            block_network()
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def address_space() -> int:
    """Bytes of address space this process uses now (its virtual size)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def limit_memory(extra: int) -> None:
    """Let this process grow by at most ``extra`` bytes of address space beyond what it uses now."""
    limit = address_space() + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def on_big_stack(function: Callable[[], T]) -> T:
    """Run ``function`` on a thread with a :data:`STACK_SIZE` stack; return or raise what it does."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = function()
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc

    previous = threading.stack_size()
    try:
        threading.stack_size(STACK_SIZE)
        worker = threading.Thread(target=target, name="castkg-query")
    except (ValueError, RuntimeError):  # a platform that refuses the size: run here
        return function()
    finally:
        threading.stack_size(previous)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Limits:
    """What a worker of :func:`run_isolated` may do."""

    timeout: float | None = None
    """Seconds before the worker is killed (None: no deadline)."""
    max_memory: int | None = None
    """Bytes of address space the worker may add to what it inherits (None: no limit)."""
    network: bool = True
    """Whether the worker may open network sockets (False installs :func:`block_network`)."""


class QueryTimeout(QueryError):
    """The worker ran past its deadline and was killed."""


class QueryOutOfMemory(QueryError):
    """The query engine was refused memory at the worker's limit."""


class QueryCrashed(QueryError):
    """The query engine crashed (a signal) on this query."""


class _KeepRecords(logging.Handler):
    """Keeps the worker's log records, to be logged again by the parent (where the user sees them)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
        self.records.append(record)


def _child(function: Callable[[], Any], limits: Limits, sender: Any, stderr_fd: int) -> None:
    os.dup2(stderr_fd, 2)  # the engine's last words (an allocation failure, a stack overflow) for the parent
    faulthandler.disable()  # a crash here is reported by the parent, in one line
    kept = _KeepRecords()
    logging.getLogger("castkg").addHandler(kept)
    message: tuple[str, Any]
    try:
        if not limits.network:
            block_network()

        def guarded() -> Any:
            if limits.max_memory is not None:
                limit_memory(limits.max_memory)
            return function()

        message = ("value", on_big_stack(guarded))
    except MemoryError:
        message = ("memory", None)
    except CastkgError as exc:
        message = ("error", exc)
    except BaseException as exc:  # a bug: report it rather than die silently
        message = ("bug", f"{type(exc).__name__}: {exc}")
    try:
        sender.send((*message, kept.records))
    finally:
        os._exit(0)  # no atexit handlers or finalizers of the parent's state in the child


def run_isolated(function: Callable[[], T], limits: Limits, what: str = "the query") -> T:
    """Run ``function`` in a forked worker under ``limits`` and return its (picklable) result.

    A :class:`~castkg.errors.CastkgError` raised in the worker is raised here. Raises
    :class:`QueryTimeout`, :class:`QueryOutOfMemory` or :class:`QueryCrashed` when the
    worker is stopped or dies; ``what`` names the work in their messages. Without ``fork``
    (Windows) the function runs here on a big stack, with no limits.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return on_big_stack(function)
    context = multiprocessing.get_context("fork")
    # The worker's stderr goes to a file, not a pipe: a chatty worker can never block on it.
    with tempfile.TemporaryFile() as last_words:
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(
            target=_child, args=(function, limits, sender, last_words.fileno()), daemon=True
        )
        worker.start()
        sender.close()
        try:
            if not receiver.poll(limits.timeout):
                raise QueryTimeout(
                    f"{what} ran longer than {limits.timeout:g}s and was stopped; narrow it or add LIMIT"
                )
            kind, payload, records = receiver.recv()
        except EOFError:
            worker.join(5)
            last_words.seek(0)
            said = last_words.read(4096).decode("utf-8", "replace")
            raise _death(worker.exitcode, said, limits, what) from None
        finally:
            receiver.close()
            if worker.is_alive():
                worker.kill()
            worker.join()
    for record in records:  # the worker's log, where the caller's logging sends it
        logging.getLogger(record.name).handle(record)
    if kind == "value":
        return payload  # type: ignore[no-any-return]
    if kind == "error":
        raise payload
    if kind == "memory":
        raise _out_of_memory(limits, what)
    raise QueryError(f"{what} failed inside castkg ({payload}); please report it")


def _out_of_memory(limits: Limits, what: str) -> QueryOutOfMemory:
    size = f" ({limits.max_memory >> 20} MB)" if limits.max_memory else ""
    return QueryOutOfMemory(
        f"{what} needed more memory than a query may use{size} and was stopped; narrow it"
    )


def _death(exitcode: int | None, last_words: str, limits: Limits, what: str) -> QueryError:
    """The error for a worker that died without an answer."""
    if "memory allocation" in last_words or "out of memory" in last_words.lower():
        return _out_of_memory(limits, what)
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        if "overflowed its stack" in last_words or name in ("SIGSEGV", "SIGBUS"):
            return QueryCrashed(
                f"the query engine crashed ({name}) on {what}; it is probably nested too deeply or too "
                f"long: simplify it"
            )
        if name == "SIGABRT" and limits.max_memory is not None:
            return _out_of_memory(limits, what)
        return QueryCrashed(f"the query engine stopped ({name}) on {what}")
    return QueryCrashed(f"the query engine stopped without an answer on {what} (exit {exitcode})")
