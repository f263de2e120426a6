"""A transient status line on the terminal while a ledger is read and judged, so a large audit does not leave the
screen blank: shown on stderr after `DELAY` seconds, only when stderr is a terminal (never in a pipe or a file),
and erased before the report is printed. Plain characters only (a GBK console prints them), no escape sequences.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from ledgercheck.common.i18n import Text
from ledgercheck.common.wrap import char_width, width

DELAY = 1.0  # seconds before the status shows: quick audits print nothing extra
TICK = 0.2
WORKING = Text("正在读取和检查 {name} …… {seconds}秒", "reading and checking {name} … {seconds} s")
SPINNER = "-\\|/"


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _fit(text: str, cells: int) -> str:
    """`text` cut to `cells` cells."""
    if width(text) <= cells:
        return text
    used, kept = 0, []
    for char in text:
        used += char_width(char)
        if used > cells - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


@contextmanager
def working(name: str, settings: Any, stream: TextIO | None = None) -> Iterator[None]:
    """While the block runs: after DELAY seconds, a spinner, what is being done (`name`: the ledger, shown masked
    and printable as in messages) and the seconds so far, in the settings' language."""
    out = stream if stream is not None else sys.stderr
    if not _isatty(out):
        yield
        return
    import os
    import shutil

    from ledgercheck.common.privacy import masker, printable

    name, lang = masker(settings.show_pii)(printable(name)), settings.lang

    done = threading.Event()
    shown = [0]  # cells of the status line on the screen
    start = time.monotonic()

    def show() -> None:
        if done.wait(DELAY):
            return
        columns = 0
        try:  # the width of the terminal the status goes to (stdout may be a file); a new pty may say 0
            columns = os.get_terminal_size(out.fileno()).columns
        except (AttributeError, ValueError, OSError):
            pass
        columns = columns or shutil.get_terminal_size((80, 24)).columns
        tick = 0
        while not done.is_set():
            seconds = int(time.monotonic() - start)
            line = _fit(f"{SPINNER[tick % len(SPINNER)]} " + WORKING.format(name=name, seconds=seconds)(lang),
                        columns - 2)
            try:
                out.write("\r" + line + " " * max(0, shown[0] - width(line)) + "\r")
                out.flush()
            except (OSError, ValueError, UnicodeError):
                return
            shown[0] = max(shown[0], width(line))
            tick += 1
            done.wait(TICK)

    thread = threading.Thread(target=show, name="ledgercheck-status", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if shown[0]:
            try:
                out.write("\r" + " " * shown[0] + "\r")
                out.flush()
            except (OSError, ValueError, UnicodeError):
                pass
