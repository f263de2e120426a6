"""The audit as one call: load the rules and the workbook, run the engine, return the result.

Shared by every command (audit, scan, remind) and by the tests, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ledgercheck.common.gcpause import paused_gc
from ledgercheck.common.limits import Limits
from ledgercheck.common.timing import phase
from ledgercheck.engine.evaluate import Early, audit, default_window, judge_early, window_over
from ledgercheck.findings.result import AuditResult
from ledgercheck.ingest.aliases import AliasTable, load_aliases
from ledgercheck.ingest.loader import LoadResult, load_ledger
from ledgercheck.ingest.plausibility import future_dates, window_before_data
from ledgercheck.model.issues import InputIssue
from ledgercheck.model.ledger import PartialLedger
from ledgercheck.rulebook.loader import Rulebook, load_rulebook


def _issue_order(loaded: LoadResult) -> dict[str | None, int]:
    return {sheet.name: index for index, sheet in enumerate(loaded.sheets)}


def sort_issues(issues: list[InputIssue], loaded: LoadResult) -> list[InputIssue]:
    order = _issue_order(loaded)
    return sorted(issues, key=lambda i: (order.get(i.location.sheet, -1), i.location.row or 0,
                                         i.location.column or "", i.code))


def audit_workbook(path: Path, rulebook: Rulebook | None = None, as_of: dt.date | None = None,
                   since: dt.date | None = None, aliases: AliasTable | None = None,
                   display: str | None = None, limits: Limits | None = None) -> AuditResult:
    """Audit one workbook. Raises LedgercheckError subclasses when the input cannot be used at all."""
    rulebook = rulebook or load_rulebook("national")
    with paused_gc():
        with phase("load"):
            loaded = load_ledger(path, aliases or load_aliases(), display, limits)
        result = audit_loaded(loaded, rulebook, as_of, since)
        # The records go now, by reference counting, so the collector does not walk them once it is back on.
        del loaded
    return result


def audit_loaded(loaded: LoadResult, rulebook: Rulebook, as_of: dt.date | None = None,
                 since: dt.date | None = None, early: Early | None = None) -> AuditResult:
    """Audit a workbook already read; for callers that also need the ledger itself (scan's org sizes). `early`:
    what `EarlyRules` judged while it was read."""
    with phase("rules"):
        window = default_window(loaded.ledger, as_of or dt.date.today(), since)
        result = audit(loaded.ledger, rulebook, window, early)
    result.input_issues = sort_issues(loaded.issues + future_dates(loaded.ledger, window.as_of)
                                      + window_before_data(loaded.ledger, since, loaded.ledger.file), loaded)
    result.sheets = [s.to_dict() for s in loaded.sheets]
    return result


class EarlyRules:
    """`load_ledger`'s `early`: judges the rules it can on the ledger read so far, while the loader waits for the
    background parse of the last sheets (a large dues sheet); `audit_loaded` takes their verdicts.

    The window is provisional (the activity read so far): under another window every rule is judged again.
    """

    def __init__(self, rulebook: Rulebook, as_of: dt.date, since: dt.date | None = None):
        self.rulebook, self.as_of, self.since = rulebook, as_of, since
        self.judged: Early | None = None

    def __call__(self, partial: PartialLedger) -> None:
        with phase("rules"):
            window = window_over(partial.span_so_far() if self.since is None else None, self.as_of, self.since)
            self.judged = judge_early(partial, self.rulebook, window)
