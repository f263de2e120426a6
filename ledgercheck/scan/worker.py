"""The work done in each pool process: the context built once by the initializer, then one workbook per call.
A Dask worker does the same through scan_task: the context built from the Settings on its first task of a scan.

A workbook that cannot be used becomes an `unreadable` FileResult with the one-line message the audit
command would print; nothing a single workbook does may stop the scan. Each call says in the pool's shared
`Watch` which file the worker is on and since when, so that the parent can stop a worker that takes longer than
the time limit (runner.py).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledgercheck.app.config import Settings
from ledgercheck.app.context import Context
from ledgercheck.common.errors import LedgercheckError
from ledgercheck.common.gcpause import paused_gc
from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import mask_text, masker
from ledgercheck.findings.scan.summary import FileResult, summarize

_context: Context | None = None
_watch: Watch | None = None
_slot: int | None = None
INTERNAL = Text("内部错误（这是 ledgercheck 的缺陷，请报告）", "internal error (a bug in ledgercheck; please report it)")


@dataclass
class Watch:
    """Shared memory the workers write and the parent reads: per worker, its pid, the sequence number of the file
    it is on (-1: none) and when it started on it (time.monotonic, the same clock in every process)."""

    pids: Any  # multiprocessing arrays, one slot per worker
    seqs: Any
    started: Any
    taken: Any  # a multiprocessing Value: the next free slot
    parent: int = 0  # the scan's own process

    @classmethod
    def create(cls, mp_context: Any, slots: int) -> Watch:
        return cls(mp_context.Array("q", [0] * slots, lock=False), mp_context.Array("q", [-1] * slots, lock=False),
                   mp_context.Array("d", [0.0] * slots, lock=False), mp_context.Value("i", 0), os.getpid())

    def running(self) -> list[tuple[int, int, float]]:
        """(pid, sequence number, seconds so far) of every file a worker is on."""
        now = time.monotonic()
        found = []
        for slot in range(len(self.seqs)):
            seq = self.seqs[slot]
            started, pid = self.started[slot], self.pids[slot]
            if seq >= 0 and self.seqs[slot] == seq:  # not changed while read
                found.append((pid, seq, now - started))
        return found


def init_worker(settings: Settings, watch: Watch | None = None) -> None:
    """Pool initializer. Ctrl-C is the parent's to handle: it stops the pool and reports what finished; SIGTERM
    ends a worker at once (the parent, which set a handler of its own before forking, cleans up). Each worker leads
    a process group of its own, so that the parent stops a worker together with any process it started."""
    global _context, _watch, _slot
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if hasattr(os, "setpgid"):  # a group of its own: stopping a worker stops what it started (a reader's process)
        try:
            os.setpgid(0, 0)
        except OSError:
            pass
    if watch is not None and watch.parent:
        _die_with(watch.parent)
    if watch is not None:
        with watch.taken.get_lock():
            slot = watch.taken.value
            watch.taken.value += 1
        if slot < len(watch.seqs):
            _watch, _slot = watch, slot
            watch.pids[slot] = os.getpid()
    _context = Context.build(settings)
    # The modules, rule pack and alias table live as long as the worker: kept out of the collector's walks, which
    # otherwise went through them again at every full collection (about 1.7 ms a file).
    gc.freeze()


def _die_with(parent: int) -> None:
    """On Linux, end when the scan's process ends, however it ends (killed after a CI job's grace period, say):
    a worker is never left running on its own."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def scan_file(path: str, display: str, seq: int = -1) -> FileResult:
    """Audit one workbook and summarize it. Never raises for anything the workbook contains."""
    assert _context is not None, "init_worker was not called"
    if _watch is not None and _slot is not None:
        _watch.started[_slot] = time.monotonic()
        _watch.seqs[_slot] = seq
    try:
        return scan_with(_context, path, display)
    finally:
        if _watch is not None and _slot is not None:
            _watch.seqs[_slot] = -1


def scan_task(settings: Settings, token: str, path: str, display: str) -> FileResult:
    """A Dask task (scan/dask_runner.py): the worker builds its Context from the Settings once per scan (`token`
    names the scan's settings), as init_worker does for the local pool, and audits one workbook. Per thread: a
    Dask worker may run several tasks at once, and a Context is not shared between concurrent audits."""
    held = getattr(_per_thread, "held", None)
    if held is None or held[0] != token:
        if held is not None:  # a cluster may serve another inspector's scan next: the last scan's names go
            held[1].forget()
        held = _per_thread.held = (token, Context.build(settings))
    return scan_with(held[1], path, display)


_per_thread = threading.local()


def scan_with(context: Context, path: str, display: str) -> FileResult:
    """Audit one workbook with `context` and summarize it (both executors)."""
    settings = context.settings
    started = time.perf_counter()
    mask = masker(settings.show_pii)
    try:
        # The collector paused for the file, as an audit pauses it (common/gcpause.py): a unit's records, findings
        # and summary are thousands of objects without cycles, which it walked ten times a file.
        with paused_gc():
            loaded = context.read(Path(path), display, samples=False)  # a summary shows no column's values
            result = context.review(context.judge(loaded))
            summary = summarize(display, loaded.ledger, result, settings.lang, time.perf_counter() - started,
                                blocking=sum(1 for f in result.findings if context.policy.blocks(f)))
            del loaded, result  # freed now by reference counting, before the collector is back on
        if not settings.show_pii:  # names taken from the ledger itself: the unit and its organizations
            summary.unit = summary.unit and mask_text(summary.unit)
            for org in summary.orgs:
                org.name = mask_text(org.name)
        return summary
    except LedgercheckError as exc:
        return FileResult.unreadable(display, mask(describe(exc, settings.lang)), time.perf_counter() - started)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a loader bug or a reader panic must not end the scan
        message = mask(f"{INTERNAL(settings.lang)}: {type(exc).__name__}: {exc}")
        return FileResult.unreadable(display, message, time.perf_counter() - started)


def describe(exc: LedgercheckError, lang: Lang) -> str:
    """The audit command's one-line message without the file name, which the scan shows in its own column."""
    where = exc.location.describe(lang, with_file=False) if exc.location else ""
    detail = f" ({exc.detail})" if exc.detail else ""
    return f"{exc.kind(lang)}: {where + ': ' if where else ''}{exc.message(lang)}{detail}"
