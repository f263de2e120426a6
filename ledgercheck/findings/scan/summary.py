"""What a worker sends back for one workbook: a compact, picklable summary, never the records.

The score is defined here, once (docs/scan.md, "What the summary measures"):

- an organization starts at 100 and loses SCORE_WEIGHTS points per finding by severity, floored at 0;
- a unit scores 100 minus its points lost per organization judged: 100 − (5 × errors + 2 × warnings) ÷
  organizations judged, floored at 0. The penalty grows with every count, so of two units with the same
  organizations, the one with more errors and warnings never scores higher (tests/scan/test_defensible.py
  proves it over random counts). A mean of organizations' floored scores did not have that property: 339 errors
  piled on one organization cost no more than 20.
- a unit whose audit is incomplete (cells, rows or sheets that could not be read, a required sheet missing, a
  check that failed) gets no score and no rank: what was not read may hold any number of problems.

Advisory (info) findings cost nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.groups import person
from ledgercheck.findings.result import AuditResult
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.schema import SHEETS

Status = Literal["ok", "input_errors", "internal_errors", "unreadable"]
STATUSES: tuple[Status, ...] = ("ok", "input_errors", "internal_errors", "unreadable")
SEVERITIES = ("error", "warning", "info")
# The sheets every ledger has (the optional ones, left empty or out, mean "not recorded"): without one of them
# the rules that need it are not judged, and the unit's audit is incomplete.
REQUIRED_SHEETS: tuple[str, ...] = tuple(s.key for s in SHEETS if not s.optional)

SCORE_WEIGHTS = {"error": 5.0, "warning": 2.0, "info": 0.0}
# The unit-score formula's version, kept with each round of a scan history: 1 was the mean of organizations'
# scores; 2 is points lost per organization judged, incomplete audits unscored.
SCORE_VERSION = 2
SCORE_FORMULA = Text(
    "得分：单位得分 = 100 −（错误数×5 + 警告数×2）÷ 受检组织数，最低0分，提示不扣分（受检组织：至少有一条规则适用的组织；"
    "同样的组织，错误和警告更多的单位得分不会更高）；组织得分 = 100 − 错误数×5 − 警告数×2，最低0分；"
    "检查不完整的单位不评分、不排名",
    "Score: a unit scores 100 − (5 × errors + 2 × warnings) ÷ organizations judged, floored at 0, info costing "
    "nothing (an organization is judged when at least one rule applies to it; of two units with the same "
    "organizations, the one with more errors and warnings never scores higher); an organization scores 100 − "
    "5 × errors − 2 × warnings, floored at 0; units whose audit is incomplete are neither scored nor ranked",
)


def penalty(counts: Mapping[str, int | float]) -> float:
    """Points lost for these findings: 5 per error, 2 per warning, nothing for info."""
    return sum(SCORE_WEIGHTS[s] * counts.get(s, 0) for s in SEVERITIES)


def org_score(counts: Mapping[str, int]) -> float:
    return max(0.0, 100.0 - penalty(counts))


def unit_score(counts: Mapping[str, int], orgs_judged: int) -> float | None:
    """100 − points lost per organization judged, floored at 0, to one decimal; None when no organization was
    judged. Monotone: more of any severity never raises it; rounding to 0.1 keeps that (it never reverses an
    order, it may only make a tie)."""
    if orgs_judged <= 0:
        return None
    return round(max(0.0, 100.0 - penalty(counts) / orgs_judged), 1)


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
    subject: str = ""  # who or what it is about, without its period (findings/groups.py `person`): the HTML
    subject_label: str = ""  # report lists a rule broken by one subject in several periods as one row


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
    rules_total: int = 0  # rules in force, judged or skipped
    missing_sheets: tuple[str, ...] = ()  # REQUIRED_SHEETS the workbook lacks (sheet keys)
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
    def complete(self) -> bool:
        """Audited whole: every cell read, every required sheet present, every check finished. Rules skipped
        because an optional sheet was left empty (not recorded) do not make an audit incomplete."""
        return self.status == "ok" and not self.missing_sheets

    @property
    def incomplete(self) -> bool:
        """Audited, but not whole: marked wherever the unit appears, never scored or ranked."""
        return self.audited and not self.complete

    @property
    def members(self) -> int:
        return sum(o.members for o in self.orgs if o.parent_id is None)

    @property
    def orgs_judged(self) -> int:
        return sum(1 for o in self.orgs if o.judged)

    @property
    def score(self) -> float | None:
        """unit_score of the whole unit; None when the audit is incomplete or no organization was judged."""
        return unit_score(self.counts, self.orgs_judged) if self.complete else None

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
        key, label = person(finding)
        by_org.setdefault(finding.org_id, Counter())[finding.severity.value] += 1
        failed.setdefault(finding.org_id, set()).add(finding.rule_id)
        failing_orgs.setdefault(finding.rule_id, set()).add(finding.org_id)
        rows.append(FindingRow(finding.org_id, finding.org_name, finding.rule_id, finding.severity.value,
                               finding.period.label if finding.period else None,
                               finding.location.short() if finding.location else None, finding.message(lang),
                               finding.fingerprint, f"{finding.subject.kind}:{key}",
                               label if finding.subject.kind != "org" else finding.org_name))
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
                      rules_total=result.rules or len(result.rule_info) + len(result.skipped_rules),
                      missing_sheets=tuple(k for k in REQUIRED_SHEETS if not ledger.has_sheet(k)), orgs=orgs,
                      rules=rules, judged=tuple(judged), findings=rows, seconds=seconds, blocking=blocking)
