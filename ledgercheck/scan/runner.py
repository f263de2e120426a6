"""Run the audits in one process pool and hand each result to the caller as soon as it is ready.

- One pool for the whole scan; each worker loads the rules once (initializer) and is reused.
- Only paths go in and compact FileResults come out; a bounded number of jobs is in flight, so a
  scan of 100,000 files holds no more in memory than a scan of 100.
- A worker that dies (killed, out of memory, a crash in a native reader) breaks the pool: the jobs
  that were in flight are retried one at a time in a new pool, and the one that breaks it again is
  reported as an error row. The scan goes on.
- A file that takes longer than the time limit (`--limit max-seconds=`) is stopped: its worker is killed, the
  file is reported as unreadable, and the other files the pool had in hand are audited again in a new pool.
- Ctrl-C (SIGINT) stops the scan: workers are terminated, and the caller learns how many files
  finished. A second Ctrl-C interrupts at once.
- SIGTERM (a cancelled CI job, `timeout`) and SIGHUP raise `Terminated` in the main process
  (`on_termination`): the workers are terminated on the way out and the caller's store is removed.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ledgercheck.app.config import Settings
from ledgercheck.common.i18n import Text
from ledgercheck.findings.scan.report import RunOutcome
from ledgercheck.findings.scan.summary import FileResult
from ledgercheck.scan.worker import Watch, init_worker, scan_file

IN_FLIGHT_PER_WORKER = 4
WORKER_DIED = Text("检查该文件时工作进程意外退出（文件可能过大或已损坏）",
                   "the worker process died while auditing this file (it may be too large or damaged)")
TOO_LONG = Text("检查该文件超过了时间上限 {seconds} 秒，已停止（可用 --limit max-seconds=… 调高）",
                "auditing this file took longer than the time limit of {seconds} s and was stopped (raise it with "
                "--limit max-seconds=…)")

Job = tuple[int, Path, str]  # (sequence number in sorted order, path, display name)


def _context() -> Any:
    # fork starts workers in milliseconds with everything already imported; elsewhere use the default.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class StopFlag:
    """SIGINT sets a flag the loop checks, so a result is never half-stored; a second SIGINT raises."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._previous: Any = None
        self._installed = threading.current_thread() is threading.main_thread()

    def __enter__(self) -> StopFlag:
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


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (terminating the workers, removing temporary files) and exit.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way turns it into a file's error.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def on_termination() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into Terminated while the block runs (in the main thread; signals the process
    ignores, as under nohup, stay ignored). Later signals are ignored while the first one unwinds."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handle(signum: int, _frame: object) -> None:
        if not received:
            received.append(signum)
            raise Terminated(signum)

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            previous[number] = signal.signal(number, handle)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _Pool:
    def __init__(self, settings: Settings, jobs: int):
        self.settings = settings
        self.jobs = jobs
        self.watch = Watch.create(_context(), jobs)
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=_context(), initializer=init_worker,
                                   initargs=(self.settings, self.watch))

    def submit(self, job: Job) -> Future[FileResult]:
        return self.executor.submit(scan_file, str(job[1]), job[2], job[0])

    def renew(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        for pid in list(self.watch.pids):  # what the dead pool's workers had started (a reader's child process)
            _kill_group(pid, _KILL, alone=False)
        self.watch = Watch.create(_context(), self.jobs)
        self.executor = self._new()

    def overdue(self, seconds: float, in_flight: set[int]) -> list[int]:
        """Kill the workers on a file for longer than `seconds`; the sequence numbers of those files."""
        stopped = []
        for pid, seq, elapsed in self.watch.running():
            if elapsed > seconds and seq in in_flight and _kill_group(pid, _KILL):
                stopped.append(seq)
        return stopped

    def stop(self, before: set[int]) -> None:
        """Terminate our workers (the children that appeared since the scan started), then shut down."""
        for child in multiprocessing.active_children():
            if child.pid is not None and child.pid not in before and not _kill_group(child.pid, signal.SIGTERM):
                child.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)
        for pid in list(self.watch.pids):
            _kill_group(pid, _KILL, alone=False)


_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)


def _kill_group(pid: int, signum: int, alone: bool = True) -> bool:
    """Signal a worker and the processes it started (each worker leads a process group of its own: init_worker);
    with `alone`, the worker by itself when it leads no group (it had not started). Whether anything was signalled.

    Without `alone` only a group is signalled: the pid of a worker that is gone may be another process's by now.
    """
    if pid <= 0:
        return False
    if hasattr(os, "killpg"):
        try:
            os.killpg(pid, signum)
            return True
        except OSError:  # gone already, or no group of its own
            pass
    if not alone:
        return False
    try:
        os.kill(pid, signum)
        return True
    except OSError:
        return False


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
    max_seconds = settings.limits.max_seconds
    too_long = TOO_LONG(settings.lang).format(seconds=max_seconds)
    stopped: set[int] = set()  # files whose worker was killed for the time limit

    def fill() -> None:
        if suspects:  # retried alone, so that the file which kills a worker is the one reported
            if not in_flight:
                job = suspects.popleft()
                in_flight[pool.submit(job)] = (job, True)
            return
        while queue and len(in_flight) < limit:
            job = queue.popleft()
            in_flight[pool.submit(job)] = (job, False)

    with StopFlag() as stop:
        try:
            fill()
            if on_start is not None:
                on_start()
            while in_flight and not stop.event.is_set():
                done, _ = wait(in_flight, timeout=0.2, return_when=FIRST_COMPLETED)
                stopped.update(pool.overdue(max_seconds, {job[0] for job, _suspect in in_flight.values()}))
                broken = False
                failed: list[Job] = []  # in flight when the pool broke
                for future in done:
                    job, suspect = in_flight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        if suspect and job[0] not in stopped:
                            on_result(job[0], FileResult.unreadable(job[2], WORKER_DIED(settings.lang)))
                            finished += 1
                        else:
                            failed.append(job)
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
                        result = FileResult.unreadable(job[2], f"{type(exc).__name__}: {exc}")
                    on_result(job[0], result)
                    finished += 1
                if broken:
                    # Every job in flight failed with the pool. A file stopped for the time limit is reported;
                    # then the others go back to the queue, the culprit being known. Otherwise they are retried
                    # alone, so that the file which kills a worker is the one reported.
                    failed += [job for job, _suspect in in_flight.values()]
                    in_flight.clear()
                    culprit_known = False
                    retry: list[Job] = []
                    for job in failed:
                        if job[0] in stopped:
                            on_result(job[0], FileResult.unreadable(job[2], too_long, float(max_seconds)))
                            finished += 1
                            culprit_known = True
                        else:
                            retry.append(job)
                    if culprit_known:
                        queue.extendleft(reversed(sorted(retry)))
                    else:
                        suspects.extend(retry)
                    pool.renew()
                fill()
        finally:
            interrupted = stop.event.is_set() or bool(in_flight)
            if interrupted:
                pool.stop(before)
            else:
                pool.executor.shutdown(wait=True)
    return RunOutcome(len(files), finished, interrupted, jobs)
