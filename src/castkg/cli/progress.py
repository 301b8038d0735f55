"""How ``castkg build`` shows its progress on stderr: a bar with rate and time left on a terminal,
a plain line every so often elsewhere (a log file, CI), nothing with ``--quiet``.

A build that ends within its first second or so shows nothing either way.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

import click
from tqdm import tqdm

from castkg.pipeline import FileResult

BAR_DELAY = 1.0
"""Seconds before the bar appears (a quick build shows none)."""
LINE_EVERY = 10.0
"""Seconds between two plain progress lines."""


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Bar:
    """A tqdm bar over the input files, with the articles so far, the rate and the time left."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar: tqdm | None = None
        self.articles = 0

    def start(self, files: int) -> None:
        self.bar = tqdm(
            total=files, desc="extracting", unit="file", delay=BAR_DELAY, leave=False, file=self.stream
        )

    def advance(self, result: FileResult, cached: bool) -> None:
        self.articles += len(result.extractions)
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.articles} articles", refresh=False)
            self.bar.update(1)

    def shown(self) -> bool:
        """Is the bar on screen (so that a warning must be written above it)?"""
        return self.bar is not None and time.time() - self.bar.start_t >= self.bar.delay

    def write(self, line: str) -> None:
        tqdm.write(line, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Lines:
    """A plain line every ``every`` seconds: files done of all, articles, rate, time left."""

    def __init__(
        self,
        stream: TextIO | None = None,
        every: float = LINE_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream, self.every, self.clock = stream, every, clock
        self.files = self.done = self.articles = self.cached = 0
        self.started = self.last = 0.0

    def start(self, files: int) -> None:
        self.files = files
        self.started = self.last = self.clock()

    def advance(self, result: FileResult, cached: bool) -> None:
        self.done += 1
        self.cached += cached
        self.articles += len(result.extractions)
        now = self.clock()
        if now - self.last >= self.every and self.done < self.files:
            self.last = now
            click.echo(self.line(now), err=True, file=self.stream)

    def line(self, now: float) -> str:
        """The progress line at time ``now``."""
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.files - self.done) / rate if rate else 0.0
        cached = f" ({self.cached} from the cache)" if self.cached else ""
        return (
            f"castkg: extracting: {self.done}/{self.files} files{cached}, {self.articles} articles, "
            f"{self.articles / elapsed:.1f} article/s, {_duration(elapsed)} elapsed, about "
            f"{_duration(left)} left"
        )

    def shown(self) -> bool:
        return False

    def write(self, line: str) -> None:
        click.echo(line, err=True, file=self.stream)

    def close(self) -> None:
        return None


def progress_for(quiet: bool, stream: TextIO | None = None) -> Bar | Lines | None:
    """The progress display for stderr: none with ``quiet``, a bar on a terminal, else lines."""
    if quiet:
        return None
    stream = stream or sys.stderr
    return Bar(stream) if stream.isatty() else Lines(stream)
