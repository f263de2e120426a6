"""A whole scan as reporters see it: its settings in brief, the rules in force, the store and how the run went."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ledgercheck.common.i18n import Lang
from ledgercheck.findings.result import RuleInfo
from ledgercheck.findings.scan.movement import Comparison
from ledgercheck.findings.scan.store import RuleTally, ScanStore, Totals


@dataclass
class RunOutcome:
    total: int
    finished: int
    interrupted: bool

    @property
    def not_finished(self) -> int:
        return self.total - self.finished


@dataclass
class ScanReport:
    lang: Lang
    as_of: dt.date
    since: dt.date | None
    packs: list[tuple[str, str]]
    rules: list[RuleInfo]
    store: ScanStore
    outcome: RunOutcome
    jobs: int
    seconds: float
    ignored: int = 0
    unmatched: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # display names of files not audited (Ctrl-C)
    movement: Comparison | None = None  # against the previous round, when the scan is recorded in a history

    @property
    def totals(self) -> Totals:
        return self.store.totals

    def rule_rows(self) -> list[tuple[RuleInfo, RuleTally]]:
        """Rules in rule-pack order with their tallies (rules no unit could be judged on included)."""
        return [(info, self.totals.rules.get(info.rule_id, RuleTally())) for info in self.rules]
