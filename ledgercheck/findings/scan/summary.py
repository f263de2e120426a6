"""What a worker sends back for one workbook: a compact, picklable summary, never the records.

The score is defined here, once: an organization starts at 100 and loses SCORE_WEIGHTS points per
finding by severity, floored at 0; a unit's score is the mean over its organizations that at least one
rule was judged for. Advisory (info) findings cost nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.result import AuditResult
from ledgercheck.model.ledger import Ledger

Status = Literal["ok", "input_errors", "internal_errors", "unreadable"]
STATUSES: tuple[Status, ...] = ("ok", "input_errors", "internal_errors", "unreadable")
SEVERITIES = ("error", "warning", "info")

SCORE_WEIGHTS = {"error": 5.0, "warning": 2.0, "info": 0.0}
SCORE_FORMULA = Text(
    "得分：每个组织从100分起，每条错误扣5分、每条警告扣2分（提示不扣分），最低0分；"
    "单位得分为其受检组织（至少有一条规则适用的组织）得分的平均值",
    "Score: each organization starts at 100 and loses 5 points per error and 2 per warning (info costs "
    "nothing), floored at 0; a unit's score is the mean over its organizations that at least one rule applied to",
)


def org_score(counts: dict[str, int]) -> float:
    return max(0.0, 100.0 - sum(SCORE_WEIGHTS[s] * counts.get(s, 0) for s in SEVERITIES))


@dataclass(slots=True)
class OrgResult:
    org_id: str
    name: str
    org_type: str
    base_type: str
    parent_id: str | None
    members: int  # active members, this organization and those below it
    counts: dict[str, int]
    rules_judged: int
    rules_failed: int

    @property
    def judged(self) -> bool:
        return self.rules_judged > 0

    @property
    def score(self) -> float | None:
        return org_score(self.counts) if self.judged else None


@dataclass(slots=True)
class FindingRow:
    org_id: str
    org_name: str
    rule_id: str
    severity: str
    period: str | None
    location: str | None
    message: str
    fingerprint: str = ""  # for the scan history (findings/scan/history.py); the report does not show it


@dataclass(slots=True)
class FileResult:
    """One workbook's outcome. `error` is the one-line reason when the file could not be audited."""

    path: str
    status: Status
    error: str | None = None
    unit: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    input_errors: int = 0
    input_warnings: int = 0
    internal_errors: int = 0
    skipped_rules: tuple[str, ...] = ()
    orgs: list[OrgResult] = field(default_factory=list)
    rules: dict[str, tuple[int, int]] = field(default_factory=dict)  # rule id → (orgs judged, orgs complying)
    judged: tuple[tuple[str, str, bool], ...] = ()  # (rule id, org id, complying) per judgement: the history
    findings: list[FindingRow] = field(default_factory=list)
    seconds: float = 0.0
    blocking: int = 0  # findings that fail the run by the fail-on policy (not waived, at or above fail-on)

    @property
    def audited(self) -> bool:
        return self.status != "unreadable"

    @property
    def members(self) -> int:
        return sum(o.members for o in self.orgs if o.parent_id is None)

    @property
    def score(self) -> float | None:
        scores = [s for s in (o.score for o in self.orgs) if s is not None]
        return round(sum(scores) / len(scores), 1) if scores else None

    @classmethod
    def unreadable(cls, path: str, error: str, seconds: float = 0.0) -> FileResult:
        return cls(path, "unreadable", error=error, seconds=seconds)


def _unit_name(ledger: Ledger) -> str | None:
    """The unit is its top organization (the 机关党委); several top organizations are listed together."""
    tops = [o.name for o in ledger.orgs if ledger.is_top_level(o)]
    return "、".join(tops[:3]) + ("…" if len(tops) > 3 else "") if tops else None


def summarize(path: str, ledger: Ledger, result: AuditResult, lang: Lang, seconds: float = 0.0,
              blocking: int = 0) -> FileResult:
    by_org: dict[str, Counter[str]] = {o.org_id: Counter() for o in ledger.orgs}
    failed: dict[str, set[str]] = {o.org_id: set() for o in ledger.orgs}
    failing_orgs: dict[str, set[str]] = {}
    rows = []
    for finding in result.findings:
        by_org.setdefault(finding.org_id, Counter())[finding.severity.value] += 1
        failed.setdefault(finding.org_id, set()).add(finding.rule_id)
        failing_orgs.setdefault(finding.rule_id, set()).add(finding.org_id)
        rows.append(FindingRow(finding.org_id, finding.org_name, finding.rule_id, finding.severity.value,
                               finding.period.label if finding.period else None,
                               finding.location.short() if finding.location else None, finding.message(lang),
                               finding.fingerprint))
    judged_count: Counter[str] = Counter()
    rules: dict[str, tuple[int, int]] = {}
    judged: list[tuple[str, str, bool]] = []
    for rule_id, org_ids in result.judged.items():
        judged_count.update(org_ids)
        failing = failing_orgs.get(rule_id, set())
        rules[rule_id] = (len(org_ids), sum(1 for o in org_ids if o not in failing))
        judged += [(rule_id, o, o not in failing) for o in org_ids]
    orgs = [OrgResult(o.org_id, o.name, o.org_type, o.base_type,
                      o.parent_id if not ledger.is_top_level(o) else None,
                      len(ledger.active_members(o.org_id, subtree=True)),
                      {s: by_org[o.org_id][s] for s in SEVERITIES}, judged_count[o.org_id],
                      len(failed[o.org_id])) for o in ledger.orgs]
    status: Status = "internal_errors" if result.crashes else "input_errors" if result.input_errors else "ok"
    return FileResult(path, status, unit=_unit_name(ledger), counts=result.counts(),
                      input_errors=len(result.input_errors),
                      input_warnings=len(result.input_issues) - len(result.input_errors),
                      internal_errors=len(result.crashes), skipped_rules=tuple(s.rule_id for s in result.skipped_rules),
                      orgs=orgs, rules=rules, judged=tuple(judged), findings=rows, seconds=seconds, blocking=blocking)
