"""Where a scan's audits run: the local process pool (runner.py, the default) or a Dask cluster (dask_runner.py).

One small interface for scan/run.py and the command line; Dask is imported only when it is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ledgercheck.app.config import Settings
from ledgercheck.findings.scan.report import RunOutcome
from ledgercheck.findings.scan.summary import FileResult

Kind = Literal["local", "dask"]
KINDS: tuple[Kind, ...] = ("local", "dask")


@dataclass(frozen=True)
class Executor:
    kind: Kind = "local"
    scheduler: str | None = None  # dask: the scheduler's address; None starts a LocalCluster of --jobs workers

    def check(self) -> None:
        """Refuse before the scan what would stop it at the start (Dask not installed)."""
        if self.kind == "dask":
            from ledgercheck.scan.dask_runner import require_dask

            require_dask()

    def run(self, files: list[tuple[Path, str]], settings: Settings, jobs: int,
            on_result: Callable[[int, FileResult], None], on_start: Callable[[], None] | None = None) -> RunOutcome:
        """Audit `files`, calling on_result(sequence number, result) as each completes (in any order)."""
        if self.kind == "dask":
            from ledgercheck.scan.dask_runner import run_scan as run_dask

            return run_dask(files, settings, jobs, on_result, on_start, scheduler=self.scheduler)
        from ledgercheck.scan.runner import run_scan

        return run_scan(files, settings, jobs, on_result, on_start)


LOCAL = Executor()
