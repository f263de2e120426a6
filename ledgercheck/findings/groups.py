"""Repeated findings as one: a rule broken by the same subject in several periods is one problem to fix.

DUES-BRACKET-AMOUNT finds a member's wrong rate in every month; DUES-MONTHLY a member's missing months; a
frequency rule a branch's missed months. Reports for people list such a series once, with its periods, naming
who it is about; the findings themselves (and their fingerprints, which baselines and waivers match) stay one
per period, and the JSON lists both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.finding import Finding
from ledgercheck.model.periods import Period

LISTED = 4  # periods named before "…等" when they are not one run


def person(finding: Finding) -> tuple[str, str]:
    """(key, label) of who or what a finding is about, without its period: a dues row's payer, not the row."""
    subject = finding.subject
    if subject.kind == "dues" and finding.period is not None:
        return subject.key.rsplit("/", 1)[0], subject.label.rsplit(" ", 1)[0]
    return subject.key, subject.label


def _key(finding: Finding) -> tuple[object, ...]:
    return (finding.org_id, finding.severity, finding.rule_id, finding.subject.kind, person(finding)[0],
            finding.baseline_state, finding.waiver is None)


@dataclass
class FindingGroup:
    """Findings of one rule that reports show together (the same problem in many rows)."""

    findings: list[Finding]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def count(self) -> int:
        return len(self.findings)

    @property
    def periods(self) -> list[Period]:
        return [f.period for f in self.findings if f.period is not None]

    @property
    def fingerprints(self) -> list[str]:
        return [f.fingerprint for f in self.findings]

    @property
    def run(self) -> bool:
        """The periods follow one another without a gap."""
        periods = self.periods
        return all(a.next() == b for a, b in zip(periods, periods[1:]))

    def span(self, lang: Lang) -> str:
        """2025年7月至2025年12月 (a run) or 2025年3月、2025年5月、2025年8月 (else); the first few and 等."""
        periods = self.periods
        if not periods:
            return ""
        if len(periods) == 1:
            return periods[0].localized(lang)
        if self.run:
            return f"{periods[0].localized(lang)}{'至' if lang == 'zh' else ' to '}{periods[-1].localized(lang)}"
        sep = "、" if lang == "zh" else ", "
        shown = sep.join(p.localized(lang) for p in periods[:LISTED])
        return shown + (("等" if lang == "zh" else ", …") if len(periods) > LISTED else "")

    def labels(self, lang: Lang) -> str:
        """The periods in the table's short form: 2025-07 ~ 2025-12 (共6期)."""
        periods = self.periods
        if not periods:
            return ""
        if len(periods) == 1:
            return periods[0].label
        head = f"{periods[0].label} ~ {periods[-1].label}" if self.run else \
            ", ".join(p.label for p in periods[:LISTED]) + (" …" if len(periods) > LISTED else "")
        return head + (f" ({len(periods)} periods)" if lang == "en" else f"（共{len(periods)}期）")

    def message(self, lang: Lang) -> str:
        """One finding's own message; a series named by who it is about, the rule and its periods."""
        first = self.first
        if self.count == 1:
            return first.message(lang)
        who = person(first)[1] if first.subject.kind != "org" else first.org_name
        title = first.rule_title(lang)
        if lang == "zh":
            return f"{who}：{title}——{self.span(lang)}，共{self.count}期"
        return f"{who}: {title} — {self.span(lang)}, {self.count} periods"

    def example(self, lang: Lang) -> str | None:
        """The first period's own message, for a series (its figures: the amount due, the count held …)."""
        if self.count == 1:
            return None
        return Text("例：", "e.g. ")(lang) + self.first.message(lang)

    def to_dict(self, lang: Lang) -> dict[str, object]:
        first = self.first
        return {"rule": first.rule_id, "severity": first.severity.value, "org_id": first.org_id,
                "subject": {"kind": first.subject.kind, "key": person(first)[0], "label": person(first)[1]},
                "periods": [p.label for p in self.periods], "count": self.count, "message": self.message(lang),
                "fingerprints": self.fingerprints}


def group_findings(findings: Iterable[Finding]) -> list[FindingGroup]:
    """Findings of one rule about one subject (in any periods, with the same review state) as one group each,
    in the order their first finding comes; a finding without a period stands alone."""
    groups: list[FindingGroup] = []
    open_groups: dict[tuple[object, ...], FindingGroup] = {}
    for finding in findings:
        if finding.period is None:
            groups.append(FindingGroup([finding]))
            continue
        key = _key(finding)
        group = open_groups.get(key)
        if group is None:
            group = open_groups[key] = FindingGroup([finding])
            groups.append(group)
        else:
            group.findings.append(finding)
    return groups
