"""Run the audits as Dask distributed tasks, with the local pool's contract (runner.py): results handed to the
caller as they complete, a bounded number in flight, a worker-killing file retried once then reported, files past
the time limit stopped, Ctrl-C reporting what finished, SIGTERM ending the run.

- Each task is worker.scan_task(settings, token, path, display): the worker builds its Context from the pickled
  Settings once per scan (token) and audits the file at `path`, which must be the same path on the workers.
- A worker that dies fails the tasks it had (KilledWorker, once `allowed-failures` workers died on them: 0 in the
  LocalCluster started here, as DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=0 sets it for a scheduler of your own,
  docs/scan.md). As in the local pool, those files are then retried one at a time, alone on the cluster, and the
  one that kills its worker again is reported; the scan goes on.
- A file a worker has been executing longer than the time limit is reported, its task cancelled and that worker's
  process ended (its nanny starts a new one), as the local pool kills its worker.
- Without a scheduler address, a LocalCluster of `jobs` single-threaded worker processes runs on this machine.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import queue
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ledgercheck import __version__
from ledgercheck.app.config import Settings
from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Text
from ledgercheck.findings.scan.report import RunOutcome
from ledgercheck.findings.scan.summary import FileResult
from ledgercheck.scan.runner import IN_FLIGHT_PER_WORKER, TOO_LONG, WORKER_DIED, StopFlag
from ledgercheck.scan.worker import scan_task

MISSING = Text("使用 --executor dask 需要安装 Dask：pip install 'ledgercheck[dask]'",
               "--executor dask needs Dask: pip install 'ledgercheck[dask]'")
UNREACHABLE = Text("无法连接 Dask 调度器", "cannot reach the Dask scheduler")
NO_WORKERS = Text("Dask 调度器上没有工作进程（用 dask worker 启动）", "the Dask scheduler has no workers (start them "
                  "with dask worker)")
MISMATCH = Text("Dask 工作进程的 ledgercheck 版本与本机不同（须安装同一版本）",
                "Dask workers run another version of ledgercheck than this one (install the same version)")
LOST = Text("与 Dask 调度器的连接中断，检查未完成", "the connection to the Dask scheduler was lost; the scan did not finish")
CONNECT_SECONDS = 10
WATCH_SECONDS = 1.0  # how often the workers are asked which files they are on (for the time limit)

Job = tuple[int, Path, str]


def require_dask() -> None:
    """Raise a UsageError saying how to install Dask when distributed cannot be imported (call before the scan)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(MISSING) from None


def worker_version() -> str:
    """Run on every worker before the scan: the ledgercheck version it audits with."""
    return __version__


def _executing(dask_worker: Any) -> list[str]:
    """Run on every worker: the keys of the tasks it is executing now."""
    return [str(task.key) for task in dask_worker.state.executing]


def _exit_if_executing(key: str, dask_worker: Any = None) -> None:
    """Run on a worker: end its process at once when it is still executing `key`."""
    if dask_worker is not None and key in _executing(dask_worker):
        os._exit(1)


class _Cluster:
    """A client to the given scheduler, or to a LocalCluster started for this scan and closed after it."""

    def __init__(self, scheduler: str | None, jobs: int):
        import distributed

        self.local: Any = None
        # Distributed logs what the scan reports in its own words (a worker that died, a task given up on, a lost
        # result computed again) on stderr, among the progress lines: quiet while the scan runs.
        self.levels = {name: logging.getLogger(name).level for name in list(logging.root.manager.loggerDict)
                       if name == "distributed" or name.startswith("distributed.")}
        for name in self.levels:  # each has a level of its own (distributed's logging configuration)
            logging.getLogger(name).setLevel(logging.CRITICAL)
        try:
            if scheduler is None:
                # A dashboard on any free port (8787 may be taken); the tasks of a worker that dies fail at once (retried
        # alone by run_scan).
                self.local = distributed.LocalCluster(
                    n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL,
                    scheduler_kwargs={"allowed_failures": 0}, preload=["ledgercheck.scan.dask_preload"])
                self.client = distributed.Client(self.local)
            else:
                self.client = distributed.Client(scheduler, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise UsageError(UNREACHABLE, detail=f"{scheduler}: {exc}") from None
        try:
            self._check_workers()
        except BaseException:
            self.close()
            raise

    def _check_workers(self) -> None:
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            raise UsageError(NO_WORKERS) from None
        try:
            versions = self.client.run(worker_version)
        except Exception as exc:  # noqa: BLE001 - ledgercheck not importable on a worker
            raise UsageError(MISMATCH, detail=f"{type(exc).__name__}: {exc}") from None
        other = {address: version for address, version in versions.items() if version != __version__}
        if other:
            shown = ", ".join(f"{address}: {version}" for address, version in sorted(other.items()))
            raise UsageError(MISMATCH, detail=f"{__version__} here; {shown}")

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def executing(self) -> dict[str, list[str]]:
        """Worker address → keys it is executing; empty when a worker does not answer in time."""
        try:
            return dict(self.client.run(_executing, on_error="return", wait=True))
        except Exception:  # noqa: BLE001 - a worker going away while asked; the next round asks again
            return {}

    def stop(self, address: str, key: str) -> None:
        """End the worker at `address` if it is still on `key` (its nanny starts a new one): a Python thread cannot
        be stopped, and a graceful restart would wait for the audit to finish."""
        try:
            self.client.run(_exit_if_executing, key, workers=[address], on_error="return")
        except Exception:  # noqa: BLE001 - gone already: the task is cancelled either way
            pass

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close(timeout=CONNECT_SECONDS)
        if self.local is not None:
            self.local.close(timeout=CONNECT_SECONDS)
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)


def _absolute(settings: Settings) -> Settings:
    """The settings with the files the workers read named by absolute paths (a worker's working folder is its own)."""
    from ledgercheck.rulebook.loader import builtin_root, resolve_pack

    rules = settings.rules
    if not resolve_pack(rules).is_relative_to(builtin_root()):  # a pack of one's own, not a built-in pack's name
        rules = os.path.abspath(rules)
    return dataclasses.replace(settings, rules=rules, aliases=tuple(path.absolute() for path in settings.aliases),
                               waivers=settings.waivers.absolute() if settings.waivers is not None else None)


def run_scan(files: list[tuple[Path, str]], settings: Settings, jobs: int,
             on_result: Callable[[int, FileResult], None], on_start: Callable[[], None] | None = None,
             scheduler: str | None = None) -> RunOutcome:
    """Audit `files` on a Dask cluster; call on_result(sequence number, result) for each as it completes."""
    from distributed import CancelledError, KilledWorker

    settings = _absolute(settings)
    cluster = _Cluster(scheduler, jobs)
    client = cluster.client
    token = uuid.uuid4().hex  # the workers' Context is built once per scan
    pending: deque[Job] = deque((seq, path, display) for seq, (path, display) in enumerate(files))
    suspects: deque[Job] = deque()  # in flight on a worker that died: retried alone
    in_flight: dict[str, tuple[Any, Job, bool]] = {}  # task key → (future, job, whether it runs alone)
    ready: queue.SimpleQueue[Any] = queue.SimpleQueue()  # futures done, put by the client's event loop
    started: dict[str, float] = {}  # task key → when a worker was first seen executing it
    finished = 0
    lost = False
    max_seconds = settings.limits.max_seconds
    too_long = TOO_LONG(settings.lang).format(seconds=max_seconds)
    watched = time.monotonic()
    workers = cluster.threads()  # the most seen at once, for the report
    limit = workers * IN_FLIGHT_PER_WORKER  # asked again with the time-limit watch: workers come and go

    def submit(job: Job, alone: bool) -> None:
        key = f"ledgercheck-{token}-{job[0]}{'-alone' if alone else ''}"
        future = client.submit(scan_task, settings, token, os.path.abspath(job[1]), job[2], key=key, pure=False)
        in_flight[key] = (future, job, alone)
        future.add_done_callback(ready.put)

    def fill() -> None:
        if suspects:  # retried alone, so that the file which kills a worker is the one reported
            if not in_flight:
                submit(suspects.popleft(), alone=True)
            return
        while pending and len(in_flight) < limit:
            submit(pending.popleft(), alone=False)

    def deliver(job: Job, result: FileResult) -> None:
        nonlocal finished
        on_result(job[0], result)
        finished += 1

    def overdue() -> None:
        now = time.monotonic()
        for address, keys in cluster.executing().items():
            if not isinstance(keys, list):  # the worker answered with an error
                continue
            for key in keys:
                if key in in_flight and now - started.setdefault(key, now) > max_seconds:
                    future, job, _alone = in_flight.pop(key)
                    future.cancel()  # first, so that the scheduler does not run it again when its worker ends
                    deliver(job, FileResult.unreadable(job[2], too_long, float(max_seconds)))
                    cluster.stop(address, key)

    with StopFlag() as stop:
        try:
            fill()
            if on_start is not None:
                on_start()
            while in_flight and not stop.event.is_set():
                try:
                    future = ready.get(timeout=0.2)
                except queue.Empty:
                    future = None
                if future is not None and future.key in in_flight and in_flight[future.key][0] is future:
                    _future, job, alone = in_flight.pop(future.key)
                    started.pop(future.key, None)
                    try:
                        result = future.result()
                    except KilledWorker:  # its worker died while on it (or on another task beside it)
                        future.release()
                        if not alone:
                            suspects.append(job)
                            fill()
                            continue
                        result = FileResult.unreadable(job[2], WORKER_DIED(settings.lang))
                    except CancelledError:  # not by us: the scheduler is gone
                        lost = True
                        break
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
                        result = FileResult.unreadable(job[2], f"{type(exc).__name__}: {exc}")
                    future.release()
                    deliver(job, result)
                if time.monotonic() - watched > WATCH_SECONDS:
                    watched = time.monotonic()
                    overdue()
                    threads = cluster.threads()
                    workers, limit = max(workers, threads), threads * IN_FLIGHT_PER_WORKER
                fill()
        finally:
            interrupted = stop.event.is_set() or bool(in_flight) or lost
            try:
                if in_flight:
                    client.cancel([future for future, _job, _alone in in_flight.values()], force=True)
            finally:
                cluster.close()
    if lost and sys.stderr is not None:
        print(LOST(settings.lang), file=sys.stderr)
    return RunOutcome(len(files), finished, interrupted, workers)
