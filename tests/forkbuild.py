"""A fork server for the crash tests: imports castkg once, then runs each command it is sent in a
fresh child process forked from itself, so killing a build at a chosen moment costs no
interpreter start-up.

Protocol, one JSON value a line: the test writes ``{"argv": [...], "log": PATH}``; this answers
``{"pid": N}`` as soon as the child is forked and ``{"status": S}`` when it has ended (S is the
exit code, or minus the signal that killed it). The child is an ordinary ``castkg ARGV`` process
(its stdout and stderr go to PATH) and is killed by the test with a real signal.
It never opens a store itself: a RocksDB opened before a fork would leave its children stuck.
"""

from __future__ import annotations

import json
import os
import sys

import castkg.outputs  # noqa: F401  (everything a build imports, loaded once before forking)
import castkg.store  # noqa: F401
from castkg.cli import cli


def run_child(argv: list[str], log: str) -> None:
    """In the forked child: send output to ``log``, run ``castkg ARGV``, never return."""
    code = 3
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        try:
            cli.main(args=argv, prog_name="castkg", standalone_mode=True)
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            run_child(command["argv"], command["log"])
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    main()
