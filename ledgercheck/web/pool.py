"""A bounded pool of audit worker processes that the web server hands tasks to and never waits on.

- Audits never run in the server process: a workbook that makes a native reader abort, or eats memory, takes
  down one worker, which is replaced; the task gets a message and the server goes on.
- Capacity is `workers` running plus `queue` waiting. Beyond it `submit` raises `Busy` at once, and the page
  answers "busy, try again" instead of piling up uploads.
- A task has `time_limit` seconds; then its worker is killed and replaced, and the task gets a message.
- A worker is replaced after `max_jobs` tasks, so that no worker's memory grows without bound.
- Workers are forked from a fork server that has imported ledgercheck (fast to start, and never a fork of the
  threaded server itself); elsewhere they are spawned.
"""

from __future__ import annotations

import multiprocessing
import queue
import sys
import threading
from concurrent.futures import Future
from typing import Any

from ledgercheck.app.config import Settings
from ledgercheck.common.i18n import Text
from ledgercheck.web.worker import AnnotateTask, AuditTask, Outcome

Task = AuditTask | AnnotateTask

TIMED_OUT = Text("检查超过了时间上限（{seconds}秒），已停止：台账可能过大或已损坏。请稍后再试，或请管理员调高时间上限",
                 "the audit took longer than the limit ({seconds} s) and was stopped: the ledger may be too large "
                 "or damaged. Try again later, or ask the administrator to raise the limit")
DIED = Text("检查这个台账时工作进程意外退出（文件可能过大或已损坏）：请在 Excel/WPS 中打开并另存为新的 .xlsx 后再试",
            "the worker process died while auditing this ledger (the file may be too large or damaged): open it "
            "in Excel or WPS, save it as a new .xlsx and try again")
START_TIMEOUT = 120.0  # seconds a new worker may take to load the rule pack
SHUTTING_DOWN = Text("服务器正在关闭，检查已停止：请稍后重新上传", "the server is shutting down and the audit was stopped: "
                     "upload it again later")


def _stopped() -> Outcome:
    """A task's answer when the server stops before or while it runs."""
    return Outcome(False, 503, SHUTTING_DOWN)


class Busy(Exception):
    """Every worker is busy and the queue is full."""


def _mp_context() -> Any:
    if sys.platform == "linux":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["ledgercheck.web.worker"])
        return context
    return multiprocessing.get_context("spawn")


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, mp: Any, settings: Settings):
        from ledgercheck.web import worker

        self.conn, child = mp.Pipe()
        self.process = mp.Process(target=worker.main, args=(child, settings), daemon=True,
                                  name="ledgercheck-web-worker")
        self.process.start()
        child.close()
        self.done = 0
        if not self.conn.poll(START_TIMEOUT) or self.conn.recv() != "ready":
            self.kill()
            raise RuntimeError("a web worker did not start")

    def ask(self, task: Task, time_limit: float) -> Outcome | None:
        """The worker's answer, or None when it ran out of time (it is then killed)."""
        self.conn.send(task)
        if not self.conn.poll(time_limit):
            self.kill()
            return None
        outcome: Outcome = self.conn.recv()
        self.done += 1
        return outcome

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class AuditPool:
    def __init__(self, settings: Settings, workers: int = 2, queue_size: int = 8, time_limit: float = 120.0,
                 max_jobs: int = 200):
        self.settings = settings
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue_size)
        self.time_limit = time_limit
        self.max_jobs = max_jobs
        self._tasks: queue.Queue[tuple[Task, Future[Outcome]] | None] = queue.Queue()
        self._free = threading.BoundedSemaphore(self.capacity)
        self._lock = threading.Lock()
        self._pending = 0
        self._running = 0
        self._threads: list[threading.Thread] = []
        self._workers: dict[int, _Worker | None] = {}  # by slot thread
        self._mp = _mp_context()
        self.aborted = False  # abort(): the running audits were stopped, and no more start
        self.draining = False  # drain(): the running audits finish, no more start

    def start(self) -> None:
        started: list[_Worker | BaseException] = []
        ready = threading.Semaphore(0)
        for n in range(self.workers):
            thread = threading.Thread(target=self._slot, args=(started, ready), name=f"ledgercheck-slot-{n}",
                                      daemon=True)
            thread.start()
            self._threads.append(thread)
        for _ in range(self.workers):
            ready.acquire()
        failures = [s for s in started if isinstance(s, BaseException)]
        if failures:
            self.close()
            raise failures[0]

    def submit(self, task: Task) -> Future[Outcome]:
        """Queue a task; raises Busy when the pool is full."""
        if not self._free.acquire(blocking=False):
            raise Busy()
        future: Future[Outcome] = Future()
        with self._lock:
            self._pending += 1
        future.add_done_callback(self._finished)
        self._tasks.put((task, future))
        return future

    def _finished(self, _future: Future[Outcome]) -> None:
        with self._lock:
            self._pending -= 1
        self._free.release()

    def full(self) -> bool:
        """No room for another task now (an upload is refused before its body is read)."""
        with self._lock:
            return self._pending >= self.capacity

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"workers": self.workers, "running": self._running,
                    "waiting": self._pending - self._running, "capacity": self.capacity}

    def pids(self) -> list[int]:
        """The worker processes' ids (for the health page and the tests)."""
        return [w.process.pid for w in self._workers.values() if w is not None and w.process.pid is not None]

    def _slot(self, started: list[_Worker | BaseException], ready: threading.Semaphore) -> None:
        slot = threading.get_ident()
        try:
            worker: _Worker | None = _Worker(self._mp, self.settings)
            started.append(worker)  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001 - reported by start()
            started.append(exc)
            return
        finally:
            ready.release()
        self._workers[slot] = worker
        while True:
            item = self._tasks.get()
            if item is None:
                break
            task, future = item
            if not future.set_running_or_notify_cancel():
                continue
            if self.aborted or self.draining:
                future.set_result(_stopped())
                continue
            with self._lock:
                self._running += 1
            try:
                if worker is None or not worker.process.is_alive() or worker.done >= self.max_jobs:
                    if worker is not None:
                        worker.stop()
                    worker = self._workers[slot] = None
                    worker = self._workers[slot] = _Worker(self._mp, self.settings)
                outcome = worker.ask(task, self.time_limit)
                if outcome is None:  # out of time: ask() killed it
                    worker = self._workers[slot] = None
                    outcome = Outcome(False, 504, TIMED_OUT.format(seconds=round(self.time_limit)))
                future.set_result(outcome)
            except (EOFError, OSError):  # the worker died under the task (a native crash, the OOM killer, abort())
                if worker is not None:
                    worker.kill()
                worker = self._workers[slot] = None
                future.set_result(_stopped() if self.aborted else Outcome(False, 422, DIED))
            except BaseException as exc:  # noqa: BLE001 - a worker that could not start: the request says so
                if worker is not None:
                    worker.kill()
                worker = self._workers[slot] = None
                if not future.done():
                    future.set_exception(exc)
            finally:
                with self._lock:
                    self._running -= 1
        if worker is not None:
            worker.stop()
        self._workers.pop(slot, None)

    def drain(self) -> int:
        """Let the running audits finish and start no more (the server is stopping): the tasks waiting are answered
        that the server is shutting down now, not after the running ones. Returns how many were waiting."""
        self.draining = True
        answered = 0
        while True:
            try:
                item = self._tasks.get_nowait()
            except queue.Empty:
                return answered
            if item is None:  # close() has begun: its sentinels stay for the slots
                self._tasks.put(None)
                return answered
            if item[1].set_running_or_notify_cancel():
                item[1].set_result(_stopped())
                answered += 1

    def abort(self) -> None:
        """Stop the running audits now (a second Ctrl-C): their workers are killed, and they and the tasks still
        waiting are answered that the server is shutting down."""
        self.aborted = True
        for worker in list(self._workers.values()):
            if worker is not None and worker.process.is_alive():
                worker.process.kill()

    def close(self) -> None:
        for _ in self._threads:
            self._tasks.put(None)
        for thread in self._threads:
            thread.join(10)
        self._threads.clear()
        while True:  # tasks still queued get an answer, never silence
            try:
                item = self._tasks.get_nowait()
            except queue.Empty:
                break
            if item is not None and not item[1].done():
                item[1].set_result(_stopped())
