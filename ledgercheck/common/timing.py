"""Opt-in phase timings for the benchmarks: where an audit's time goes (parse, load, rules, report …).

Off unless the environment variable LEDGERCHECK_TIMINGS names a file; then each phase's total seconds are
written there as JSON when the process exits. Normal output never changes, and when it is off a phase
costs one attribute test. Phases may nest (`parse` happens inside `load`); each total is its own wall time.
"""

from __future__ import annotations

import atexit
import json
import os
import time

_PATH = os.environ.get("LEDGERCHECK_TIMINGS") or None
totals: dict[str, float] = {}


class _Phase:
    __slots__ = ("name", "started")

    def __init__(self, name: str):
        self.name = name
        self.started = 0.0

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *_exc: object) -> None:
        totals[self.name] = totals.get(self.name, 0.0) + time.perf_counter() - self.started


class _Off:
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: object) -> None:
        return None


_OFF = _Off()


def phase(name: str) -> _Phase | _Off:
    """`with phase("rules"): …` adds the block's wall time to the phase's total (when timings are on)."""
    return _Phase(name) if _PATH is not None else _OFF


def _write() -> None:
    if _PATH is not None and totals:
        with open(_PATH, "w", encoding="utf-8") as stream:
            json.dump(totals, stream)


if _PATH is not None:
    atexit.register(_write)
