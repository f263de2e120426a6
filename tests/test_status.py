"""The transient status line (cli/status.py): on a terminal for work over a second, erased before the report;
never in a pipe or a file, and never for quick work."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from ledgercheck.cli import status
from tests.conftest import ROOT, SAMPLE_AS_OF
from tests.ledgers import VIOLATIONS

SETTINGS = SimpleNamespace(lang="zh", show_pii=False)


def _terminal_output(seconds: float, monkeypatch: pytest.MonkeyPatch) -> str:
    """What `working` writes to a pseudo-terminal while a block runs for `seconds`."""
    monkeypatch.setattr(status, "DELAY", 0.2)
    monkeypatch.setattr(status, "TICK", 0.05)
    master, slave = os.openpty()
    with open(slave, "w", encoding="utf-8", closefd=True) as terminal:
        with status.working("台账.xlsx", SETTINGS, terminal):
            time.sleep(seconds)
        terminal.flush()
    chunks = []
    os.set_blocking(master, False)
    try:
        while True:
            chunks.append(os.read(master, 65536))
    except (BlockingIOError, OSError):
        pass
    os.close(master)
    return b"".join(chunks).decode("utf-8")


def test_long_work_shows_a_status_on_a_terminal_and_erases_it(monkeypatch: pytest.MonkeyPatch) -> None:
    written = _terminal_output(0.6, monkeypatch)
    assert "正在读取和检查 台账.xlsx" in written
    last = written.rstrip("\r").rsplit("\r", 1)[-1]
    assert last.strip() == "", repr(written[-80:])  # the line is blanked before the report comes
    assert "\n" not in written and "\x1b" not in written


def test_quick_work_shows_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _terminal_output(0.0, monkeypatch) == ""


def test_a_pipe_or_a_file_gets_no_status(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(status, "DELAY", 0.0)
    stream = io.StringIO()
    with status.working("台账.xlsx", SETTINGS, stream):
        time.sleep(0.2)
    assert stream.getvalue() == ""


def test_a_report_to_a_pipe_is_the_report_alone() -> None:
    """No status, no escape codes, no trailing spaces when the output is not a terminal."""
    done = subprocess.run([sys.executable, "-m", "ledgercheck", "audit", str(VIOLATIONS), "--as-of", SAMPLE_AS_OF,
                           "--no-config"], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          timeout=300)
    assert done.returncode == 1, done.stderr
    assert done.stderr == "" and "\x1b" not in done.stdout
    lines = done.stdout.splitlines()
    assert len(lines) > 50 and all(line == line.rstrip() for line in lines)
