"""A whole scan: find the workbooks, run the pool into the store, and describe the outcome for reporters."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from ledgercheck.common import exitcodes
from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.limits import Limits
from ledgercheck.rulebook.loader import Rulebook
from ledgercheck.scan.discover import Discovery
from ledgercheck.scan.progress import Progress
from ledgercheck.scan.runner import RunOutcome, run_scan
from ledgercheck.scan.store import RuleTally, ScanStore, Totals
from ledgercheck.scan.summary import FileResult
from ledgercheck.scan.worker import ScanSettings

INTERRUPTED = 130  # the shell's convention for a run stopped by Ctrl-C (128 + SIGINT)


@dataclass(frozen=True)
class RuleInfo:
    rule_id: str
    title: Text
    severity: str
    citation: Text


@dataclass
class ScanReport:
    settings: ScanSettings
    packs: list[tuple[str, str]]
    rules: list[RuleInfo]
    store: ScanStore
    outcome: RunOutcome
    jobs: int
    seconds: float
    ignored: int = 0
    unmatched: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # display names of files not audited (Ctrl-C)

    @property
    def lang(self) -> Lang:
        return self.settings.lang

    @property
    def totals(self) -> Totals:
        return self.store.totals

    def rule_rows(self) -> list[tuple[RuleInfo, RuleTally]]:
        """Rules in rule-pack order with their tallies (rules no unit could be judged on included)."""
        return [(info, self.totals.rules.get(info.rule_id, RuleTally())) for info in self.rules]

    def exit_code(self, fail_on: str) -> int:
        """130 interrupted; 2 any file unreadable, with unreadable cells or a crashed check; else like audit."""
        from ledgercheck.findings.severity import Severity

        if self.outcome.interrupted:
            return INTERRUPTED
        statuses = self.totals.statuses
        if statuses["unreadable"] or statuses["input_errors"] or statuses["internal_errors"]:
            return exitcodes.UNUSABLE_INPUT
        if fail_on == "never":
            return exitcodes.OK
        threshold = Severity(fail_on).rank
        failing = sum(n for s, n in self.totals.findings.items() if Severity(s).rank >= threshold)
        return exitcodes.FINDINGS if failing else exitcodes.OK


def rule_infos(rulebook: Rulebook) -> list[RuleInfo]:
    return [RuleInfo(r.rule.id, r.rule.title.text(), r.rule.severity.value, rulebook.citation(r.rule, short=True))
            for r in rulebook.rules.values()]


def scan(discovery: Discovery, rulebook: Rulebook, settings: ScanSettings, jobs: int, progress: Progress,
         store: ScanStore) -> ScanReport:
    """Audit every discovered workbook into `store` (the caller closes it after reporting)."""
    started = time.perf_counter()
    seen: set[int] = set()

    def on_result(seq: int, result: FileResult) -> None:
        store.add(seq, result)
        seen.add(seq)
        progress.advance(result)

    try:
        outcome = run_scan(discovery.files, settings, max(1, min(jobs, len(discovery.files) or 1)), on_result,
                           on_start=progress.start)
    finally:
        progress.stop()
    unfinished = [display for seq, (_path, display) in enumerate(discovery.files) if seq not in seen]
    return ScanReport(settings, list(rulebook.packs), rule_infos(rulebook), store, outcome, jobs,
                      time.perf_counter() - started, discovery.ignored, discovery.unmatched, unfinished)


def default_jobs() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def settings_for(rules: str, alias_files: tuple[Path, ...], as_of: dt.date | None, since: dt.date | None,
                 lang: Lang, limits: Limits | None = None, show_pii: bool = False) -> ScanSettings:
    return ScanSettings(rules, tuple(str(p) for p in alias_files), as_of or dt.date.today(), since, lang,
                        limits or Limits(), show_pii)
