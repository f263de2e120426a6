"""An audit as configured: rule pack with overrides and selection, aliases, waivers and a baseline.

Built once from Settings and run per workbook, so `audit` (and later `scan`) apply the configuration the
same way: engine → waivers → baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledgercheck.app.audit import audit_workbook
from ledgercheck.app.config import Settings
from ledgercheck.findings.result import AuditResult
from ledgercheck.ingest.aliases import AliasTable, load_aliases
from ledgercheck.findings.redact import redact_result
from ledgercheck.rulebook.loader import Rulebook

if TYPE_CHECKING:  # waivers and baselines are imported only when used: most audits have neither
    from ledgercheck.review.waivers import LoadedWaiver


@dataclass
class Pipeline:
    settings: Settings
    rulebook: Rulebook
    aliases: AliasTable
    waivers: list[LoadedWaiver] | None
    baseline: dict[str, Any] | None
    baseline_display: str | None = None

    @classmethod
    def build(cls, settings: Settings, baseline: Path | None = None) -> Pipeline:
        """Load everything that does not depend on the workbook; errors surface before any workbook is read."""
        rulebook = settings.rulebook()
        aliases = load_aliases(list(settings.aliases))
        waivers = baseline_doc = None
        if settings.waivers is not None:
            from ledgercheck.review.waivers import load_waivers

            waivers = load_waivers(settings.waivers)
        if baseline is not None:
            from ledgercheck.review.baseline import load_baseline

            baseline_doc = load_baseline(baseline)
        return cls(settings, rulebook, aliases, waivers, baseline_doc, str(baseline) if baseline else None)

    def run(self, path: Path, display: str | None = None) -> AuditResult:
        result = audit_workbook(path, self.rulebook, self.settings.as_of, self.settings.since, self.aliases,
                                display=display or str(path), limits=self.settings.limits)
        if self.waivers is not None:
            from ledgercheck.review.waivers import apply_waivers

            apply_waivers(result, self.waivers, str(self.settings.waivers))
        if self.baseline is not None:
            from ledgercheck.review.baseline import apply_baseline

            apply_baseline(result, self.baseline, self.baseline_display or "")
        if not self.settings.show_pii:  # after matching: fingerprints are never masked, the text always is
            redact_result(result)
        return result
