"""Run the audits in one process pool and hand each result to the caller as soon as it is ready.

- One pool for the whole scan; each worker loads the rules once (initializer) and is reused.
- Only paths go in and compact FileResults come out; a bounded number of jobs is in flight, so a
  scan of 100,000 files holds no more in memory than a scan of 100.
- A worker that dies (killed, out of memory, a crash in a native reader) breaks the pool: the jobs
  that were in flight are retried one at a time in a new pool, and the one that breaks it again is
  reported as an error row. The scan goes on.
- Ctrl-C (SIGINT) stops the scan: workers are terminated, and the caller learns how many files
  finished. A second Ctrl-C interrupts at once.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ledgercheck.app.config import Settings
from ledgercheck.common.i18n import Text
from ledgercheck.findings.scan.report import RunOutcome
from ledgercheck.findings.scan.summary import FileResult
from ledgercheck.scan.worker import init_worker, scan_file

IN_FLIGHT_PER_WORKER = 4
WORKER_DIED = Text("检查该文件时工作进程意外退出（文件可能过大或已损坏）",
                   "the worker process died while auditing this file (it may be too large or damaged)")

Job = tuple[int, Path, str]  # (sequence number in sorted order, path, display name)


def _context() -> Any:
    # fork starts workers in milliseconds with everything already imported; elsewhere use the default.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class _StopFlag:
    """SIGINT sets a flag the loop checks, so a result is never half-stored; a second SIGINT raises."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._previous: Any = None
        self._installed = threading.current_thread() is threading.main_thread()

    def __enter__(self) -> _StopFlag:
        if self._installed:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, _signum: int, _frame: object) -> None:
        if self.event.is_set():
            raise KeyboardInterrupt
        self.event.set()


class _Pool:
    def __init__(self, settings: Settings, jobs: int):
        self.settings = settings
        self.jobs = jobs
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=_context(), initializer=init_worker,
                                   initargs=(self.settings,))

    def submit(self, job: Job) -> Future[FileResult]:
        return self.executor.submit(scan_file, str(job[1]), job[2])

    def renew(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._new()

    def stop(self, before: set[int]) -> None:
        """Terminate our workers (the children that appeared since the scan started), then shut down."""
        for child in multiprocessing.active_children():
            if child.pid not in before:
                child.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)


def run_scan(files: list[tuple[Path, str]], settings: Settings, jobs: int,
             on_result: Callable[[int, FileResult], None], on_start: Callable[[], None] | None = None) -> RunOutcome:
    """Audit `files`; call on_result(sequence number, result) for each as it completes.

    on_start is called once the workers are running (start a progress display there: threads
    started before the workers are forked would be copied into them half-way).
    """
    before = {child.pid for child in multiprocessing.active_children() if child.pid is not None}
    queue: deque[Job] = deque((seq, path, display) for seq, (path, display) in enumerate(files))
    suspects: deque[Job] = deque()
    in_flight: dict[Future[FileResult], tuple[Job, bool]] = {}
    finished = 0
    pool = _Pool(settings, jobs)
    limit = jobs * IN_FLIGHT_PER_WORKER

    def fill() -> None:
        if suspects:  # retried alone, so that the file which kills a worker is the one reported
            if not in_flight:
                job = suspects.popleft()
                in_flight[pool.submit(job)] = (job, True)
            return
        while queue and len(in_flight) < limit:
            job = queue.popleft()
            in_flight[pool.submit(job)] = (job, False)

    with _StopFlag() as stop:
        try:
            fill()
            if on_start is not None:
                on_start()
            while in_flight and not stop.event.is_set():
                done, _ = wait(in_flight, timeout=0.2, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    job, suspect = in_flight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        if suspect:
                            on_result(job[0], FileResult.unreadable(job[2], WORKER_DIED(settings.lang)))
                            finished += 1
                        else:
                            suspects.append(job)
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
                        result = FileResult.unreadable(job[2], f"{type(exc).__name__}: {exc}")
                    on_result(job[0], result)
                    finished += 1
                if broken:
                    # Every job in flight failed with the pool; they are retried alone.
                    for future, (job, _suspect) in list(in_flight.items()):
                        suspects.append(job)
                        del in_flight[future]
                    pool.renew()
                fill()
        finally:
            interrupted = stop.event.is_set() or bool(in_flight)
            if interrupted:
                pool.stop(before)
            else:
                pool.executor.shutdown(wait=True)
    return RunOutcome(len(files), finished, interrupted)
