"""A whole scan: run the executor (local pool or Dask) over the discovered workbooks into the store; the outcome."""

from __future__ import annotations

import os
import time

from ledgercheck.app.context import Context
from ledgercheck.common.privacy import mask_text
from ledgercheck.findings.scan.history import RoundWriter, unit_record
from ledgercheck.findings.scan.report import ScanReport
from ledgercheck.findings.scan.store import ScanStore
from ledgercheck.findings.scan.summary import FileResult
from ledgercheck.scan.discover import Discovery
from ledgercheck.scan.executor import LOCAL, Executor
from ledgercheck.scan.progress import Progress


def scan(discovery: Discovery, context: Context, jobs: int, progress: Progress, store: ScanStore,
         history: RoundWriter | None = None, executor: Executor = LOCAL) -> ScanReport:
    """Audit every discovered workbook into `store` (the caller closes it after reporting).

    The context's settings go to the workers with the audit date fixed, so that every worker judges as of the
    same day even when the scan runs past midnight.
    """
    started = time.perf_counter()
    seen: set[int] = set()
    settings = context.settings.pinned(context.today)

    files = discovery.files
    if not settings.show_pii:  # a workbook named after a person's ID number is reported under its masked name
        files = [(path, mask_text(display)) for path, display in files]

    def on_result(seq: int, result: FileResult) -> None:
        store.add(seq, result)
        if history is not None:  # a round of the scan history, written as the results arrive
            history.add(unit_record(result, files[seq][1]))
        seen.add(seq)
        progress.advance(result)

    try:
        outcome = executor.run(files, settings, max(1, min(jobs, len(files) or 1)), on_result,
                               on_start=progress.start)
    finally:
        progress.stop()
    unfinished = [display for seq, (_path, display) in enumerate(files) if seq not in seen]
    reports = discovery.reports if settings.show_pii else [mask_text(display) for display in discovery.reports]
    return ScanReport(settings.lang, context.today, settings.since, list(context.rulebook.packs),
                      context.rule_infos(), store, outcome, outcome.workers or jobs, time.perf_counter() - started,
                      discovery.ignored,
                      discovery.unmatched, unfinished, reports=reports)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
