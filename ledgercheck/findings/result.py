"""The audit result, with the one serialization every machine format is built from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from ledgercheck import __version__
from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.finding import Finding
from ledgercheck.findings.groups import group_findings
from ledgercheck.findings.review import BaselineComparison, WaiverNotice
from ledgercheck.findings.severity import Severity
from ledgercheck.model.issues import InputIssue
from ledgercheck.model.periods import Window

SCHEMA_VERSION = "1.3"  # 1.1 added rules, organizations, baseline_state, waiver, baseline, resolved, waivers;
# 1.2 added cause on internal_errors; 1.3 added groups (the repeated findings of one rule and subject, as one)


@dataclass(frozen=True, slots=True)
class SkippedRule:
    """A rule not judged, and why (the ledger lacks a sheet or column it needs)."""

    rule_id: str
    reason: Text
    title: Text | None = None  # for reports to people (not serialized)

    def to_dict(self, lang: Lang) -> dict[str, object]:
        return {"rule": self.rule_id, "reason": self.reason(lang)}


@dataclass(frozen=True, slots=True)
class RuleCrash:
    """A check that raised, reported by rule and organization; the other rules still ran.

    `cause` is "bug" (ledgercheck's check code failed: please report) or "rule" (the rule itself fails on
    this ledger, such as an expression that cannot be evaluated on a row: the rule pack needs fixing).
    """

    rule_id: str
    kind: str
    org_id: str
    error: str
    traceback: str
    cause: Literal["bug", "rule"] = "bug"
    message: Text | None = None  # for cause "rule": what to fix, in both languages

    def describe(self, lang: Lang) -> str:
        return self.message(lang) if self.message is not None else self.error

    def to_dict(self, lang: Lang = "en") -> dict[str, object]:
        return {"rule": self.rule_id, "kind": self.kind, "org_id": self.org_id, "error": self.describe(lang),
                "cause": self.cause}


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a machine format needs to describe a rule that ran: SARIF rules[], JUnit test names."""

    rule_id: str
    title: Text
    severity: Severity
    citation: Text
    fix: Text | None = None
    rationale: Text | None = None
    tags: tuple[str, ...] = ()
    citation_short: Text | None = None  # with short regulation names, for tables

    @property
    def basis(self) -> Text:
        """The citation for tables: with the regulations' short names when the rule pack gives them."""
        return self.citation_short or self.citation

    def to_dict(self, lang: Lang) -> dict[str, object]:
        return {"id": self.rule_id, "title": self.title(lang), "severity": self.severity.value,
                "citation": self.citation(lang), "fix": self.fix(lang) if self.fix else None,
                "rationale": self.rationale(lang) if self.rationale else None, "tags": list(self.tags)}


@dataclass(frozen=True, slots=True)
class OrgInfo:
    """An organization of the ledger and the rules that were judged for it (after applies_to)."""

    org_id: str
    name: str
    org_type: str
    rules: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"org_id": self.org_id, "org_name": self.name, "org_type": self.org_type, "rules": list(self.rules)}


@dataclass
class AuditResult:
    """Everything one audit found: findings, input problems, skipped rules, waivers and reminders."""

    file: str
    as_of: dt.date
    window: Window
    packs: list[tuple[str, str]]
    findings: list[Finding] = field(default_factory=list)
    input_issues: list[InputIssue] = field(default_factory=list)
    skipped_rules: list[SkippedRule] = field(default_factory=list)
    crashes: list[RuleCrash] = field(default_factory=list)
    rules: int = 0  # in the rulebook, judged or skipped
    sheets: list[dict[str, object]] = field(default_factory=list)
    rule_info: list[RuleInfo] = field(default_factory=list)
    organizations: list[OrgInfo] = field(default_factory=list)
    baseline: BaselineComparison | None = None  # set by baseline.compare
    waiver_notices: list[WaiverNotice] = field(default_factory=list)  # set by waivers.apply
    waivers_file: str | None = None

    @property
    def orgs(self) -> int:
        return len(self.organizations)

    @property
    def waived(self) -> list[Finding]:
        return [f for f in self.findings if f.waiver is not None]

    @property
    def judged(self) -> dict[str, list[str]]:
        """Rule id → the organizations it was judged for (its data present, applies_to matched, no crash).

        Compliance rates (organizations judged without a finding ÷ organizations judged) are built from it.
        """
        by_rule: dict[str, list[str]] = {info.rule_id: [] for info in self.rule_info}
        for org in self.organizations:
            for rule_id in org.rules:
                by_rule.setdefault(rule_id, []).append(org.org_id)
        return by_rule

    @property
    def input_errors(self) -> list[InputIssue]:
        return [i for i in self.input_issues if i.level == "error"]

    @property
    def complete(self) -> bool:
        """Every rule judged on the whole ledger: no unreadable input, no rule without its data, no sheet missing,
        no crash. Pages and reports say plainly when a check is not complete."""
        return not (self.input_errors or self.skipped_rules or self.crashes
                    or any(i.code == "INPUT-MISSING-SHEET" for i in self.input_issues))

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    def tracking(self) -> dict[str, int | None]:
        """Rectification counts: waived always; new / open / resolved only when compared with a baseline."""
        states = [f.baseline_state for f in self.findings]
        compared = self.baseline is not None
        return {"waived": len(self.waived),
                "new": states.count("new") if compared else None,
                "open": states.count("open") if compared else None,
                "resolved": len(self.baseline.resolved) if self.baseline else None}

    def to_dict(self, lang: Lang) -> dict[str, object]:
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "ledgercheck", "version": __version__},
            "file": self.file,
            "as_of": self.as_of.isoformat(),
            "window": {"start": self.window.start.isoformat(), "end": self.window.as_of.isoformat()},
            "rule_packs": [{"name": n, "version": v} for n, v in self.packs],
            "summary": {"findings": len(self.findings), **self.counts(), "input_errors": len(self.input_errors),
                        "input_warnings": len(self.input_issues) - len(self.input_errors),
                        "organizations": self.orgs, "rules": self.rules,
                        "skipped_rules": len(self.skipped_rules), "internal_errors": len(self.crashes),
                        **self.tracking()},
            "findings": [f.to_dict(lang) for f in self.findings],
            "groups": [g.to_dict(lang) for g in group_findings(self.findings)],
            "input_issues": [i.to_dict(lang) for i in self.input_issues],
            "skipped_rules": [s.to_dict(lang) for s in self.skipped_rules],
            "internal_errors": [c.to_dict(lang) for c in self.crashes],
            "sheets": self.sheets,
            "rules": [r.to_dict(lang) for r in self.rule_info],
            "organizations": [o.to_dict() for o in self.organizations],
            "baseline": self.baseline.to_dict() if self.baseline else None,
            "resolved": list(self.baseline.resolved) if self.baseline else [],
            "waivers": {"file": self.waivers_file, "notices": [n.to_dict(lang) for n in self.waiver_notices]},
        }
