"""A Ctrl-C that lands where Python cannot raise it (a finaliser, a callback of the import machinery)
still stops castkg with its one line, never an ignored traceback and a build that goes on."""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import sys, time
{install}
class Finaliser:
    def __del__(self):
        raise KeyboardInterrupt  # as a Ctrl-C arriving while Python runs a callback
Finaliser()
try:
    time.sleep(2)
except KeyboardInterrupt:
    print("interrupted")
    sys.exit(130)
print("went on")
"""


def run(install: str) -> subprocess.CompletedProcess[str]:
    code = PROGRAM.format(install=install)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)


def test_an_interrupt_python_could_not_raise_is_delivered_again() -> None:
    done = run("from castkg.cli import _interrupt_again\nsys.unraisablehook = _interrupt_again")
    assert (done.returncode, done.stdout.strip(), done.stderr) == (130, "interrupted", "")


def test_without_the_hook_python_prints_it_and_goes_on() -> None:
    done = run("")  # the default: what castkg's hook exists to prevent
    assert done.stdout.strip() == "went on" and "Exception ignored" in done.stderr
