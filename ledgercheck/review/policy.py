"""When a run fails: the one place that decides which findings block (exit 1), shared by the exit code and
the reports that mark blocking findings (JUnit failures), so the two can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ledgercheck.common import exitcodes
from ledgercheck.findings.finding import Finding
from ledgercheck.findings.result import AuditResult
from ledgercheck.findings.severity import Severity

if TYPE_CHECKING:
    from ledgercheck.findings.scan.store import Totals

FailOn = Literal["error", "warning", "info", "never"]
FAIL_ON: tuple[FailOn, ...] = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class FailPolicy:
    """Which findings make the exit code 1 (--fail-on, --fail-on-new)."""

    fail_on: FailOn = "error"
    only_new: bool = False  # --fail-on-new: only findings that are not in the baseline block

    def blocks(self, finding: Finding) -> bool:
        """A finding blocks when it is at or above `fail_on`, not waived, and (with only_new) new."""
        if self.fail_on == "never" or finding.waiver is not None:
            return False
        if self.only_new and finding.baseline_state != "new":
            return False
        return finding.severity.rank >= Severity(self.fail_on).rank


def decide(unusable: bool, blocking: bool) -> int:
    """2 when input could not be read or a check crashed; 1 when a finding blocks; else 0."""
    if unusable:
        return exitcodes.UNUSABLE_INPUT
    return exitcodes.FINDINGS if blocking else exitcodes.OK


def exit_code(result: AuditResult, policy: FailPolicy) -> int:
    return decide(bool(result.input_errors or result.crashes), any(policy.blocks(f) for f in result.findings))


def scan_exit_code(totals: Totals, interrupted: bool) -> int:
    """130 when interrupted; else as one audit decides, over every workbook (an unreadable one counts as input
    that could not be used)."""
    if interrupted:
        return exitcodes.INTERRUPTED
    statuses = totals.statuses
    return decide(bool(statuses["unreadable"] or statuses["input_errors"] or statuses["internal_errors"]),
                  totals.blocking > 0)
