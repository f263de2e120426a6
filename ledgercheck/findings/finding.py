"""A finding: what is wrong, about whom, in which period, where, and on what basis; its stable fingerprint."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Literal, NamedTuple

from ledgercheck.common.i18n import Lang, Text, format_value
from ledgercheck.common.location import Location
from ledgercheck.findings.severity import Severity
from ledgercheck.model.periods import MonthDate, Period, YearDate


class Subject(NamedTuple):
    """What a finding is about. `key` is stable (fingerprints); `label` is for display."""

    kind: str  # org | member | group | meeting | dues | election | recruit
    key: str
    label: str


def fingerprint(rule_id: str, org_id: str, subject: Subject, period: Period | None) -> str:
    """Stable across re-sorted or inserted rows: built from what the finding is about, not where."""
    basis = "|".join((rule_id, org_id, f"{subject.kind}:{subject.key}", period.label if period else ""))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]


BaselineState = Literal["new", "open", "resolved"]


@dataclass(frozen=True, slots=True)
class WaiverRef:
    """The waiver that covers a finding: why, who approved it, until when, and where it is written."""

    reason: str
    approver: str
    expires: dt.date
    source: Location  # waivers.yaml:line
    match: Literal["fingerprint", "rule"]

    def to_dict(self) -> dict[str, object]:
        return {"reason": self.reason, "approver": self.approver, "expires": self.expires.isoformat(),
                "source": f"{self.source.file}:{self.source.line}", "match": self.match}


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on one subject: what is wrong, where, and the regulation it cites."""

    rule_id: str
    rule_title: Text
    severity: Severity
    org_id: str
    org_name: str
    subject: Subject
    period: Period | None
    location: Location | None
    message: Text
    citation: Text
    evidence: dict[str, object]
    fingerprint: str
    related: tuple[Location, ...] = ()
    citation_short: Text | None = None  # with short regulation names, for tables
    baseline_state: BaselineState | None = None  # new | open, once compared with a baseline (baseline.py)
    waiver: WaiverRef | None = None  # the waiver in force for this finding (waivers.py)

    def sort_key(self) -> tuple[object, ...]:
        loc = self.location
        return (self.org_id, -self.severity.rank, self.rule_id, self.period.start if self.period else dt.date.min,
                loc.sheet or "" if loc else "", loc.row or 0 if loc else 0, self.subject.key)

    def to_dict(self, lang: Lang) -> dict[str, object]:
        return {
            "rule": {"id": self.rule_id, "title": self.rule_title(lang)},
            "severity": self.severity.value,
            "org_id": self.org_id,
            "org_name": self.org_name,
            "subject": {"kind": self.subject.kind, "key": self.subject.key, "label": self.subject.label},
            "period": self.period.label if self.period else None,
            "location": self.location.to_dict() if self.location else None,
            "related": [loc.to_dict() for loc in self.related],
            "message": self.message(lang),
            "citation": self.citation(lang),
            "evidence": {k: _plain(v, lang) for k, v in self.evidence.items() if v is not None},
            "fingerprint": self.fingerprint,
            "baseline_state": self.baseline_state,
            "waiver": self.waiver.to_dict() if self.waiver else None,
        }


def _plain(value: object, lang: Lang) -> object:
    """Evidence as JSON values: numbers stay numbers, dates become ISO strings (a month-only or year-only date,
    MonthDate or YearDate, its stored day: machines parse the same form whatever the ledger wrote; messages show it
    as its month or year)."""
    if isinstance(value, (bool, int, float)):
        return value
    if value.__class__ in (MonthDate, YearDate):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v, lang) for v in value]
    return format_value(value, lang)
