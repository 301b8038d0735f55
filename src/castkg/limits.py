"""The bounds that keep one odd input from costing the whole build: sizes and a CPU budget.

Bulletins are a few thousand characters; the caps below are far above any real one (the
longest article in our corpora is about 5,500 characters, the longest sentence about 700)
and far below the sizes at which a stage's cost stops being small. Every cap that cuts
or skips something is reported for that input, never applied silently.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 128 * 1024 * 1024
"""The largest input file read (a JSON Lines file is streamed, so this bounds each of its lines)."""
MAX_ARTICLE_CHARS = 100_000
"""The most characters of body text extracted per article; the rest is cut off and reported."""
MAX_SENTENCE_CHARS = 2_000
"""The longest run of text without a sentence end; a longer one is cut into pieces, at a comma when
one is near. Matching inside one sentence costs more than linear time, so this bounds it."""
SECONDS_PER_INPUT = 30.0
"""The CPU seconds that reading one file, segmenting one document or extracting one article may take
before it is skipped and reported (a real article takes well under a second)."""


class OverBudget(BaseException):
    """Raised inside the work that ran past its CPU budget.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` on the way can swallow
    it; :func:`cpu_budget` turns it back into a plain report for its caller.
    """


@contextmanager
def cpu_budget(seconds: float | None) -> Iterator[None]:
    """Run the body with at most ``seconds`` of process CPU time; past it, raise :class:`OverBudget`.

    CPU time, not wall time, so that a busy machine does not skip inputs a quiet one builds. The
    budget is a profiling timer (``SIGPROF``), so it only applies in the main thread of a Unix
    process; elsewhere, or when ``seconds`` is None or not positive, the body runs unbounded.
    """
    if (
        not seconds
        or seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or getattr(signal.getsignal(signal.SIGPROF), "castkg_budget", False)  # an outer budget governs
    ):
        yield
        return
    armed = True

    def over(signum: int, frame: object) -> None:
        nonlocal armed
        if armed:  # a tick that lands after the body ended must not raise
            armed = False
            raise OverBudget

    over.castkg_budget = True  # type: ignore[attr-defined]
    previous = signal.signal(signal.SIGPROF, over)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
