"""The composition root: one Context, built from the Settings, that every front end uses.

`audit`, `remind`, `explain`, `rules`, `scan` and its workers all build a Context from resolved Settings
(configuration file < command line) and call it; none wires the rule pack, aliases, limits, waivers, baseline
or fail-on policy by hand. Settings are picklable: a scan worker receives them and builds its own Context.

Everything that does not depend on the workbook is loaded by `build`, so a broken rule pack, alias file,
waiver file or baseline stops the command before any workbook is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledgercheck.app.audit import EarlyRules, audit_loaded, sort_issues
from ledgercheck.app.config import Settings
from ledgercheck.common.gcpause import paused_gc
from ledgercheck.common.timing import phase
from ledgercheck.engine.evaluate import rule_info
from ledgercheck.fileio.names import escape_undecodable
from ledgercheck.findings.redact import redact_reminders, redact_result
from ledgercheck.findings.result import AuditResult, RuleInfo
from ledgercheck.ingest.aliases import AliasTable, load_aliases
from ledgercheck.ingest.loader import LoadResult, load_ledger
from ledgercheck.review.policy import FailPolicy, exit_code
from ledgercheck.rulebook.loader import Rulebook

if TYPE_CHECKING:  # waivers, baselines and reminders are imported only when used: most audits have none
    from dateutil.relativedelta import relativedelta

    from ledgercheck.findings.reminders import RemindResult
    from ledgercheck.review.waivers import LoadedWaiver


EARLY = True  # judge rules while the last sheets are parsed (off: the straightforward order, for the tests)


@dataclass(frozen=True)
class Baseline:
    """An earlier audit's JSON output to compare findings with (--baseline)."""

    document: dict[str, Any]  # an earlier `audit --format json` output
    display: str


@dataclass
class Context:
    """What a command runs with: its settings, rule pack, alias table, waivers and baseline."""

    settings: Settings
    rulebook: Rulebook
    aliases: AliasTable
    waivers: list[LoadedWaiver] | None = None
    baseline: Baseline | None = None

    @classmethod
    def build(cls, settings: Settings, baseline: Path | None = None) -> Context:
        """Load everything that does not depend on the workbook; errors surface before any workbook is read."""
        rulebook = settings.rulebook()
        aliases = load_aliases(list(settings.aliases))
        waivers = None
        if settings.waivers is not None:
            from ledgercheck.review.waivers import load_waivers

            waivers = load_waivers(settings.waivers)
        loaded_baseline = None
        if baseline is not None:
            from ledgercheck.review.baseline import load_baseline

            loaded_baseline = Baseline(load_baseline(baseline), str(baseline))
        return cls(settings, rulebook, aliases, waivers, loaded_baseline)

    def derive(self, settings: Settings) -> Context:
        """A context for other per-audit settings (date, window, language, the user's aliases) that shares this
        one's rule pack: what a long-running front end (the web page's workers) uses for each audit."""
        aliases = self.aliases if settings.aliases == self.settings.aliases else load_aliases(list(settings.aliases))
        return Context(settings, self.rulebook, aliases, self.waivers, self.baseline)

    def forget(self) -> None:
        """Forget the cell texts reading remembered from the workbooks read so far (names among them): what a
        front end serving many people does between two people's workbooks (ingest/remembered.py)."""
        from ledgercheck.ingest.remembered import forget

        forget(self.aliases)

    @property
    def policy(self) -> FailPolicy:
        return self.settings.policy

    @property
    def today(self) -> dt.date:
        """The audit date: `--as-of`, else today."""
        return self.settings.as_of or dt.date.today()

    def rule_infos(self) -> list[RuleInfo]:
        """Every rule in force, in pack order (scan reports list them all, judged or not)."""
        return [rule_info(loaded, self.rulebook) for loaded in self.rulebook.rules.values()]

    # ---------------------------------------------------------------- audits

    def read(self, path: Path | Sequence[Path], display: str | None = None,
             early: EarlyRules | None = None, samples: bool = True) -> LoadResult:
        """Read a ledger: a workbook, or the workbooks of one unit. Raises LedgercheckError subclasses when it
        cannot be used at all. `samples`: each column's first values kept, for showing how it was read (a scan's
        summary shows none)."""
        paths = [path] if isinstance(path, Path) else list(path)
        with phase("load"):
            return load_ledger(paths, self.aliases,
                               display or (escape_undecodable(str(paths[0])) if len(paths) == 1 else None),
                               self.settings.limits, self.settings.org, early, samples)

    def judge(self, loaded: LoadResult, early: EarlyRules | None = None) -> AuditResult:
        """The engine's findings and the input problems of a workbook already read (and the rules `early` judged
        while it was read)."""
        return audit_loaded(loaded, self.rulebook, self.today, self.settings.since,
                            early.judged if early is not None else None)

    def review(self, result: AuditResult) -> AuditResult:
        """Waivers, then the baseline, then masking: what every output of an audit is made from."""
        if self.waivers is not None:
            from ledgercheck.review.waivers import apply_waivers

            apply_waivers(result, self.waivers, str(self.settings.waivers))
        if self.baseline is not None:
            from ledgercheck.review.baseline import apply_baseline

            apply_baseline(result, self.baseline.document, self.baseline.display)
        if not self.settings.show_pii:  # after matching: fingerprints are never masked, the text always is
            redact_result(result)
        return result

    def audit(self, path: Path | Sequence[Path], display: str | None = None) -> AuditResult:
        with paused_gc():
            # While the loader waits for a large sheet's background parse, the rules that do not need it are judged.
            early = EarlyRules(self.rulebook, self.today, self.settings.since) if EARLY else None
            loaded = self.read(path, display, early)
            result = self.judge(loaded, early)
            # The records go now, by reference counting, so the collector does not walk them once it is back on.
            del loaded
        return self.review(result)

    def exit_code(self, result: AuditResult) -> int:
        return exit_code(result, self.policy)

    # ---------------------------------------------------------------- reminders

    def remind(self, path: Path | Sequence[Path], within: relativedelta, display: str | None = None) -> RemindResult:
        return self.remind_loaded(self.read(path, display), within)

    def remind_loaded(self, loaded: LoadResult, within: relativedelta) -> RemindResult:
        """What falls due within `within` of the audit date, in a ledger already read."""
        from ledgercheck.engine.remind import remind
        from ledgercheck.ingest.plausibility import future_dates

        day = self.today
        result = remind(loaded.ledger, self.rulebook, day, day + within)
        result.input_issues = sort_issues(loaded.issues + future_dates(loaded.ledger, day), loaded)
        return result if self.settings.show_pii else redact_reminders(result)
