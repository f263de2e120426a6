"""Parse a workbook's sheets in a background thread while the command is still starting up.

python-calamine parses a sheet without holding the GIL, so `ledgercheck audit` starts parsing the workbook
before it imports the engine and loads the rule pack, and the loader turns each sheet into records while
the next one is still being parsed: the audit's time approaches the time it takes to read the file.

The thread runs the package preflight (ingest/preflight.py) with the default limits before calamine opens the
file, and scans each sheet before calamine parses it, exactly as `Workbook` would: calamine can abort the whole
process on a sheet whose used range is absurd.

Nothing here reports errors. A sheet the thread could not parse is handed over as the exception calamine
raised, so `Workbook` reports it exactly as it would have; a workbook that failed the preflight or could not be
opened is not adopted at all, and `Workbook` checks and opens it again to say why.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import python_calamine as calamine

from ledgercheck.common.limits import Limits
from ledgercheck.ingest.formats import READABLE, read_as
from ledgercheck.ingest.preflight import Preflight, check
from ledgercheck.ingest.shadow import Shadow, open_book

_lock = threading.Lock()
READY_TIMEOUT = 30.0  # seconds; only a safeguard: waiting is an optimization, never needed for correctness
_pending: dict[tuple[str, int, int], Prefetch] = {}


class Prefetch:
    """One workbook being parsed: its sheet names, then each sheet (or its exception) as it is done.

    Two threads share the work, each with its own handle: one takes the sheets in the order the loader asks for
    them, the other the largest, which it claims before the first may start it. The largest sheet (dues) starts
    the longest chain of work (scan, parse, records, rules), so its scan runs alone: its Python parts hold the
    GIL, and the command's imports and the other scans would only stretch it (letting them run beside it made
    the large audit 1.07–1.14× slower). Everything else starts once calamine parses it without the GIL.

    Each handle is on a copy of the package (shadow.py: calamine parses each sheet once), and calamine keeps the
    copy in memory for each: the first thread's leaves the largest sheet out, the second thread's holds it alone.
    """

    def __init__(self, path: Path):
        self.book: calamine.CalamineWorkbook | None = None
        # What calamine parses (shadow.py): a copy of the package without the largest sheet (`book`), and one holding
        # it alone for the second thread; their sheets' merged cells come from the scans.
        self.copy: Shadow | None = None  # `book`'s, if it is a copy
        self.from_copy: dict[str, Shadow] = {}  # the sheets parsed from a copy, and which
        self.preflight: Preflight | None = None  # with the default limits
        self.names: list[str] = []
        # Read with the names, before any parse: the book is not to be touched while a thread parses a sheet of it
        # (calamine: "Already mutably borrowed").
        self.hidden: set[str] = set()
        self.largest: str | None = None  # the sheet parsed first by the second thread (of several)
        self.opened = threading.Event()
        # Set once the largest sheet is scanned (or there is nothing to wait for): until then nothing else runs
        # Python code, since that scan holds the GIL and is the start of the longest chain of work.
        self.ready = threading.Event()
        self._done: dict[str, threading.Event] = {}
        self._results: dict[str, object] = {}
        self._taken: set[str] = set()
        self._started: set[str] = set()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(str(path),), name="ledgercheck-prefetch",
                                          daemon=True)]
        self._threads[0].start()

    def _run(self, path: str) -> None:
        try:
            self.preflight = check(Path(path), path, Limits())
            sizes = self.preflight.sizes  # none for .xls and .ods
            # The largest sheet is the second thread's, from a copy of its own (each handle on a copy holds one).
            largest = max(sizes, key=lambda name: sizes[name]) if len(sizes) > 1 else None
            self.book, self.copy = open_book(Path(path), self.preflight, [largest] if largest is not None else [])
            self.names = list(self.book.sheet_names)
            self.hidden = hidden_sheets(self.book)
            self._done = {name: threading.Event() for name in self.names}
        except BaseException:  # noqa: BLE001 - Workbook opens the file again and reports the problem
            self.book = None
            self.ready.set()
            return
        finally:
            self.opened.set()
        if len(self.names) > 1:
            if largest not in self.names:  # the helper starts from the last sheet where no size is known
                largest = max(self.names, key=lambda name: sizes.get(name, 0)) if sizes else self.names[-1]
            self.largest = largest
            helper = threading.Thread(target=self._largest_first, args=(path, self.largest),
                                      name="ledgercheck-prefetch-2", daemon=True)
            try:
                helper.start()
                self._threads.append(helper)
            except RuntimeError:  # no thread to be had: this one parses everything (Workbook what it lacks)
                self.ready.set()
        else:
            self.ready.set()
        self.ready.wait()
        self._parse(self.book, self.names, self.copy)

    def _largest_first(self, path: str, largest: str) -> None:  # the second thread
        with self._lock:
            self._started.add(largest)  # this thread's, whichever thread is quicker to start
        try:
            self._passes_preflight(largest, alone=True)  # the result is kept: _parse_one does not scan it again
        finally:
            self.ready.set()
        try:  # made once the scan everything waits for is done; holding this one sheet only
            book, copy = open_book(Path(path), self.preflight, [name for name in self.names if name != largest])
        except BaseException as exc:  # noqa: BLE001 - handed to Workbook, which reports it
            self._results[largest] = exc
            self._done[largest].set()
            return
        try:
            self._parse_one(book, largest, copy)
        finally:
            book.close()

    def _parse(self, book: calamine.CalamineWorkbook, order: list[str], copy: Shadow | None) -> None:
        for name in order:
            with self._lock:
                if name in self._started:
                    continue
                self._started.add(name)
            self._parse_one(book, name, copy)

    def _parse_one(self, book: calamine.CalamineWorkbook, name: str, copy: Shadow | None) -> None:
        if not self._passes_preflight(name) or (copy is not None and name in copy.left_out):
            self._results[name] = None  # Workbook judges it under its own limits, or reads it from the file
            self._done[name].set()
            return
        try:
            self._results[name] = book.get_sheet_by_name(name)
            if copy is not None:
                self.from_copy[name] = copy
        except BaseException as exc:  # noqa: BLE001 - handed to Workbook, which reports it
            self._results[name] = exc
        self._done[name].set()

    def _passes_preflight(self, name: str, alone: bool = False) -> bool:
        """Scan the sheet's XML here, overlapping the other thread's parsing (preflight.LazySheets).

        A sheet too large is never handed to calamine: it would try to allocate the whole used range. Nor is one
        that only an exact reading of its cells could clear under the default limits: `Workbook` judges it under
        the command's limits, which may clear it without that reading. A scan that raised is not recorded, so
        `Workbook` scans that sheet again and reports the problem itself.
        """
        if self.preflight is None:
            return True
        try:
            return self.preflight.may_parse(name, alone)
        except BaseException:  # noqa: BLE001 - reported by Workbook.sheet, which scans again
            return False

    def take(self, name: str) -> calamine.CalamineSheet | None:
        """The parsed sheet (waiting for it if need be), once; raises what calamine raised for it.

        None for a sheet not in the workbook or already taken: the caller parses it itself, after `finish`.
        """
        if name not in self._done or name in self._taken:
            return None
        self._taken.add(name)
        self._done[name].wait()
        result = self._results.pop(name)
        if isinstance(result, BaseException):
            raise result
        return result  # type: ignore[return-value]

    def waits_for_largest(self, name: str) -> bool:
        """Whether `take(name)` would wait for the largest sheet, still being scanned or parsed: the wait the
        longest chain of work makes (the other sheets are parsed meanwhile, and seldom keep anyone waiting)."""
        done = self._done.get(name)
        return name == self.largest and done is not None and name not in self._taken and not done.is_set()

    def finish(self) -> None:
        """Wait for the threads, so the workbook is no longer in use when it is closed."""
        for thread in list(self._threads):
            thread.join()


def hidden_sheets(book: calamine.CalamineWorkbook) -> set[str]:
    """The sheets Excel or WPS does not show (hidden or very hidden)."""
    return {m.name for m in book.sheets_metadata if m.visible != calamine.SheetVisibleEnum.Visible}


def _key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return os.path.realpath(path), stat.st_mtime_ns, stat.st_size


def start(path: Path) -> None:
    """Begin parsing `path` in the background (a no-op for anything but a readable regular file).

    Returns once the largest sheet is scanned (see `Prefetch`): a few milliseconds for a small ledger.
    """
    if path.suffix.lower() not in READABLE or not path.is_file() or read_as(path) != path.suffix.lower():
        return  # an .xlsx named .xls is read by Workbook through a link that says what it is
    key = _key(path)
    if key is None:
        return
    with _lock:
        _pending.clear()  # at most one: an unclaimed prefetch of an earlier command is dropped
        _pending[key] = prefetch = Prefetch(path)
    prefetch.ready.wait(timeout=READY_TIMEOUT)


def claim(path: Path) -> Prefetch | None:
    """The prefetch of this very file (same path, size and modification time) if one was started, once."""
    key = _key(path)
    with _lock:
        prefetch = _pending.pop(key, None) if key is not None else None
    if prefetch is None:
        return None
    prefetch.opened.wait()
    if prefetch.book is None:
        prefetch.finish()
        return None
    return prefetch
