"""Rectification (整改) tracking: compare an audit with an earlier one by fingerprint.

A finding is *new* (not in the baseline), *open* (in both: not yet put right) or *resolved* (in the baseline,
gone now). A baseline finding that the new audit did not judge again — its rule was not run or was skipped,
its organization is gone, or its period lies outside the new window — is *not re-checked*, never resolved:
turning a rule off must not look like rectification.

The baseline is an earlier `--format json` output (schema 1.x); both `audit --baseline` and `diff` use it.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledgercheck.common.errors import LedgercheckError
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.fileio.text import read_text
from ledgercheck.findings.finding import BaselineState
from ledgercheck.findings.result import AuditResult
from ledgercheck.findings.review import BaselineComparison
from ledgercheck.model.periods import Period

Doc = Mapping[str, Any]


class BaselineError(LedgercheckError):
    kind = Text("基线文件错误", "baseline file error")


def load_baseline(path: Path, display: str | None = None) -> dict[str, Any]:
    """Read an earlier JSON output; errors name the file (and the line, for broken JSON)."""
    display = display or str(path)
    text = read_text(path, display, BaselineError)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(Text("不是有效的 JSON", "not valid JSON"), Location(display, line=exc.lineno),
                            exc.msg) from None
    except RecursionError:  # arrays or objects nested thousands deep: no output of ours is
        raise BaselineError(Text("JSON 嵌套过深，不是 ledgercheck 的输出", "the JSON is nested too deeply: not a "
                                 "ledgercheck output"), Location(display)) from None
    version = str(data.get("schema_version", "")) if isinstance(data, dict) else ""
    findings = data.get("findings") if isinstance(data, dict) else None
    if not version.startswith("1.") or not isinstance(findings, list) or not all(
            isinstance(f, dict) and isinstance(f.get("fingerprint"), str) for f in findings):
        raise BaselineError(Text("不是 ledgercheck 的 JSON 输出（应由 `ledgercheck audit --format json` 生成，"
                                 "schema_version 1.x）",
                                 "not a ledgercheck JSON output (made by `ledgercheck audit --format json`, "
                                 "schema_version 1.x)"), Location(display))
    return data


@dataclass(frozen=True)
class Coverage:
    """What an audit judged: which rules for which organizations, over which complete periods."""

    rules_by_org: dict[str, frozenset[str]] | None  # None: unknown (a 1.0 output); then only skips count
    skipped: frozenset[str]
    start: str  # window start, ISO date
    as_of: str

    @classmethod
    def of_doc(cls, doc: Doc) -> Coverage:
        orgs = doc.get("organizations")
        rules_by_org = ({o["org_id"]: frozenset(o.get("rules", [])) for o in orgs}
                        if isinstance(orgs, list) else None)
        window = doc.get("window") or {}
        return cls(rules_by_org, frozenset(s["rule"] for s in doc.get("skipped_rules", [])),
                   str(window.get("start", "")), str(doc.get("as_of", "")))

    def judged(self, finding: Doc) -> bool:
        rule_id = finding["rule"]["id"]
        if rule_id in self.skipped:
            return False
        if self.rules_by_org is not None and rule_id not in self.rules_by_org.get(str(finding.get("org_id")), ()):
            return False
        label = finding.get("period")
        if label and self.start:
            period = Period.parse(label)
            if period.start.isoformat() < self.start or period.end.isoformat() >= self.as_of:
                return False
        return True


@dataclass
class Comparison:
    states: dict[str, BaselineState]  # new-side fingerprint → new | open
    resolved: list[dict[str, Any]]
    not_rechecked: list[dict[str, Any]]


def compare(old_findings: Iterable[Doc], new_fingerprints: Iterable[str], coverage: Coverage) -> Comparison:
    old = list(old_findings)
    before = {f["fingerprint"] for f in old}
    now = set(new_fingerprints)
    states: dict[str, BaselineState] = {fp: ("open" if fp in before else "new") for fp in now}
    gone = [f for f in old if f["fingerprint"] not in now]
    resolved = [dict(copy.deepcopy(f), baseline_state="resolved") for f in gone if coverage.judged(f)]
    not_rechecked = [dict(copy.deepcopy(f)) for f in gone if not coverage.judged(f)]
    return Comparison(states, resolved, not_rechecked)


def apply_baseline(result: AuditResult, baseline: Doc, display: str) -> AuditResult:
    """Mark each finding new or open and record the resolved ones."""
    coverage = Coverage({o.org_id: frozenset(o.rules) for o in result.organizations},
                        frozenset(s.rule_id for s in result.skipped_rules),
                        result.window.start.isoformat(), result.as_of.isoformat())
    comparison = compare(baseline["findings"], (f.fingerprint for f in result.findings), coverage)
    result.findings = [dataclasses.replace(f, baseline_state=comparison.states[f.fingerprint])
                       for f in result.findings]
    result.baseline = BaselineComparison(display, baseline.get("as_of"), len(baseline["findings"]),
                                         comparison.resolved, comparison.not_rechecked)
    return result


# ---------------------------------------------------------------- the rectification status table


@dataclass
class OrgStatus:
    org_id: str
    org_name: str
    new: int = 0
    open: int = 0
    resolved: int = 0
    waived: int = 0  # of new + open, how many are waived
    not_rechecked: int = 0

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass
class Rectification:
    """Per organization: new / still open / resolved, from two JSON documents (old, new)."""

    old: dict[str, Any]  # {file, as_of}
    new: dict[str, Any]
    orgs: list[OrgStatus]
    findings: list[dict[str, Any]]  # new-side findings with baseline_state, then the resolved ones
    not_rechecked: list[dict[str, Any]]

    @property
    def total(self) -> OrgStatus:
        total = OrgStatus("", "")
        for row in self.orgs:
            for name in ("new", "open", "resolved", "waived", "not_rechecked"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total

    def to_dict(self) -> dict[str, object]:
        total = self.total.to_dict()
        del total["org_id"], total["org_name"]
        return {"schema_version": "1.0", "old": self.old, "new": self.new, "total": total,
                "organizations": [o.to_dict() for o in self.orgs], "findings": self.findings,
                "not_rechecked": self.not_rechecked}


def status_rows(current: Sequence[Doc], resolved: Sequence[Doc], not_rechecked: Sequence[Doc],
                organizations: Iterable[Doc] = ()) -> list[OrgStatus]:
    """Count per organization, in workbook order; organizations with nothing to count are left out."""
    order: dict[str, OrgStatus] = {}
    for org in organizations:
        order[org["org_id"]] = OrgStatus(org["org_id"], org["org_name"])
    for finding in [*current, *resolved, *not_rechecked]:
        order.setdefault(finding["org_id"], OrgStatus(finding["org_id"], finding.get("org_name", "")))
    for finding in [*current, *resolved]:
        row = order[finding["org_id"]]
        state = finding["baseline_state"]
        setattr(row, state, getattr(row, state) + 1)
        if state != "resolved" and finding.get("waiver"):
            row.waived += 1
    for finding in not_rechecked:
        order[finding["org_id"]].not_rechecked += 1
    return [row for row in order.values() if row.new or row.open or row.resolved or row.not_rechecked]


def rectification(old: Doc, new: Doc) -> Rectification:
    """The status table between two audit outputs (`ledgercheck diff OLD NEW`)."""
    comparison = compare(old["findings"], (f["fingerprint"] for f in new["findings"]), Coverage.of_doc(new))
    current = [dict(f, baseline_state=comparison.states[f["fingerprint"]]) for f in new["findings"]]
    rows = status_rows(current, comparison.resolved, comparison.not_rechecked, new.get("organizations") or [])
    return Rectification({"file": old.get("file"), "as_of": old.get("as_of")},
                         {"file": new.get("file"), "as_of": new.get("as_of")},
                         rows, current + comparison.resolved, comparison.not_rechecked)


def rectification_of_audit(doc: Doc) -> Rectification:
    """The status table of one audit run with --baseline, from its own JSON document."""
    baseline = doc["baseline"]
    resolved, not_rechecked = list(doc.get("resolved", [])), list(baseline.get("not_rechecked", []))
    rows = status_rows(list(doc["findings"]), resolved, not_rechecked, doc.get("organizations") or [])
    return Rectification({"file": baseline["file"], "as_of": baseline.get("as_of")},
                         {"file": doc.get("file"), "as_of": doc.get("as_of")},
                         rows, [*doc["findings"], *resolved], not_rechecked)
