"""How a build shows its progress on stderr (issue 10.6): a bar with rate and time left on a
terminal, a plain line every so often when stderr is a file or a pipe, nothing with --quiet; a
quick build shows nothing. Progress goes to stderr so the one-line summary on stdout stays clean."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

from castkg.cli.progress import Lines
from castkg.pipeline import FileResult
from conftest import DATA, ROOT, run_castkg


def _corpus(tmp_path: Path, copies: int) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for copy in range(copies):
        for bulletin in sorted(DATA.glob("*.txt")):
            shutil.copy(bulletin, corpus / f"{copy:02d}_{bulletin.name}")
    return corpus


def _on_a_terminal(*args: str | Path) -> tuple[int, str]:
    """Run ``python -m castkg ARGS`` with stderr on a pseudo-terminal; its exit code and what the
    terminal showed."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a new pty is 0 wide
    process = subprocess.Popen(
        [sys.executable, "-m", "castkg", *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        stdin=subprocess.DEVNULL,
    )
    os.close(terminal)
    shown = bytearray()
    while True:
        ready, _, _ = select.select([controller], [], [], 300)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the other end closed: the process is done
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return process.wait(timeout=60), shown.decode("utf-8", "replace")


def test_a_long_build_on_a_terminal_shows_a_bar_with_rate_and_time_left(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 12)  # 60 files, 156 articles: a few seconds of extraction
    code, shown = _on_a_terminal("build", corpus, "-o", tmp_path / "out", "--no-view", "--no-cache")
    assert code == 0, shown
    assert "extracting" in shown and "/60" in shown
    assert "file/s" in shown or "s/file" in shown
    assert "<" in shown  # tqdm's [elapsed<left]
    assert "articles" in shown


def test_quiet_shows_no_progress_and_no_warning(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 12)
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    code, shown = _on_a_terminal("-q", "build", corpus, "-o", tmp_path / "out", "--no-view", "--no-cache")
    assert code == 0
    assert shown.strip() == ""


def test_stderr_that_is_no_terminal_gets_plain_lines_not_a_bar(tmp_path: Path) -> None:
    process = run_castkg("build", DATA, "-o", tmp_path / "out", "--no-view")
    assert process.returncode == 0, process.stderr
    assert "\r" not in process.stderr and "extracting" not in process.stderr  # quick: nothing at all
    assert process.stdout.count("\n") == 1 and process.stdout.startswith("built ")


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_lines_come_every_ten_seconds_with_rate_and_time_left() -> None:
    clock = _Clock()
    shown: list[str] = []

    class Stream:
        def write(self, text: str) -> None:
            shown.append(text)

        def flush(self) -> None:
            pass

    lines = Lines(Stream(), every=10, clock=clock)  # type: ignore[arg-type]
    lines.start(files=40)
    result = FileResult("a.txt", extractions=(), problems=(), documents=1, articles=0)
    for step in range(30):
        clock.now += 1.0  # one file a second
        lines.advance(result, cached=step < 5)
    text = "".join(shown)
    assert text.count("\n") == 3  # after 10, 20 and 30 seconds
    first = text.splitlines()[0]
    assert first.startswith("castkg: extracting: 10/40 files (5 from the cache)")
    assert "0:10 elapsed" in first and "about 0:30 left" in first and "article/s" in first
