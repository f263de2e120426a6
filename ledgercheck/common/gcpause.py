"""Pause Python's cyclic garbage collector while the command line starts, and while a workbook is turned into
records and audited.

A large ledger is a few hundred thousand small objects made in a burst. Each automatic collection walks
every tracked object, so the collector keeps re-walking the growing ledger: on a 200,000-row workbook
that was a third of the time spent reading it. Records, periods and findings hold no reference cycles,
so reference counting frees them as usual; only cyclic garbage waits until the collector is back on.

Starting the command line is the same burst on a smaller scale: importing makes tens of thousands of objects,
none of them garbage, and the collector walked them 60 times (about 10 ms of a small audit's 0.21 s). So
`ledgercheck` (ledgercheck/__main__.py) starts with the collector off. The first `paused_gc` block takes that
pause over and turns the collector on when it ends; a command with no such block that runs for long (`scan`,
`serve`) calls `end_startup` when it starts its work; any other command is short and ends with it off. When a
start-up pause ends, what exists by then is frozen (`gc.freeze`: kept out of later collections, still freed by
reference counting), or the first collection would walk it all at once (12 ms of the small audit). Only the
start-up's pause freezes: a web worker audits upload after upload with `paused_gc`, and cyclic garbage frozen
there would never be collected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_startup = False  # the collector is off for the start-up alone (see pause_for_startup)


def pause_for_startup() -> None:
    """Collector off until `end_startup` or the end of the first `paused_gc` block."""
    global _startup
    if gc.isenabled():
        gc.disable()
        _startup = True


def end_startup() -> None:
    """Collector back on if it is off for the start-up alone, what exists by then frozen."""
    global _startup
    if _startup:
        _startup = False
        gc.freeze()
        gc.enable()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Collector off inside the block; after it, on if it was on before the block or before the start-up."""
    global _startup
    enabled, startup = gc.isenabled() or _startup, _startup
    _startup = False  # a start-up pause ends with this block
    gc.disable()
    try:
        yield
    finally:
        if startup:
            gc.freeze()
        if enabled:
            gc.enable()
