"""Every piece of ledger text in a result masked (common/privacy.py decides how), before any reporter sees it.

Ledger text is what a cell holds and also what the user's files are called: the workbook's file name and its sheet
names reach every report as locations (`党员!B5`, the JSON's `location.file`), so they are masked as well. A
fingerprint is never masked: it was computed from the real values before, and baselines and waivers match on it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ledgercheck.common.location import Location
from ledgercheck.common.privacy import mask_text, mask_value, masked
from ledgercheck.findings.finding import Finding, Subject
from ledgercheck.findings.result import AuditResult

if TYPE_CHECKING:  # reminders are masked only by `remind`
    from ledgercheck.findings.reminders import RemindResult
    from ledgercheck.model.issues import InputIssue


class _Places:
    """Locations with their file and sheet names masked. A ledger has a few files and sheets and many cells: each
    name is masked once. A location with nothing to mask is kept as it is."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def name(self, name: str) -> str:
        shown = self.names.get(name)
        if shown is None:
            shown = self.names[name] = mask_text(name)
        return shown

    def __call__(self, location: Location) -> Location:
        file = self.name(location.file)
        sheet = location.sheet and self.name(location.sheet)
        if file == location.file and sheet == location.sheet:
            return location
        return dataclasses.replace(location, file=file, sheet=sheet)

    def optional(self, location: Location | None) -> Location | None:
        return None if location is None else self(location)

    def issue(self, issue: InputIssue) -> InputIssue:
        location, params = self(issue.location), mask_value(issue.params)
        if location is issue.location and params is issue.params:
            return issue
        return dataclasses.replace(issue, location=location, params=params)


def _finding(finding: Finding, place: _Places, names: dict[str, str]) -> Finding:
    """The finding with its text and locations masked; the finding itself when there is nothing to mask (most:
    redaction must cost little on a ledger with hundreds of thousands of findings)."""
    subject = finding.subject
    key, label = mask_text(subject.key), names.get(subject.label) or names.setdefault(subject.label,
                                                                                         mask_text(subject.label))
    org_name = names.get(finding.org_name) or names.setdefault(finding.org_name, mask_text(finding.org_name))
    message, evidence = mask_value(finding.message), mask_value(finding.evidence)
    location = place.optional(finding.location)
    related = tuple(place(r) for r in finding.related) if finding.related else finding.related
    waiver = finding.waiver
    if waiver is not None:
        hidden = masked(waiver, "reason", "approver")
        source = place(waiver.source)
        waiver = hidden if source is waiver.source else dataclasses.replace(hidden, source=source)
    if (key == subject.key and label == subject.label and org_name == finding.org_name
            and message is finding.message and evidence is finding.evidence and location is finding.location
            and all(a is b for a, b in zip(related, finding.related)) and waiver is finding.waiver):
        return finding
    return dataclasses.replace(finding, org_name=org_name, message=message, evidence=evidence,
                               subject=Subject(subject.kind, key, label), waiver=waiver, location=location,
                               related=related)


def redact_issues(issues: list[InputIssue]) -> list[InputIssue]:
    """Input problems with their file and sheet names and values masked (`ledgercheck inspect`)."""
    place = _Places()
    return [place.issue(issue) for issue in issues]


def redact_result(result: AuditResult) -> AuditResult:
    """An AuditResult with every piece of ledger text masked (in place; returned for convenience)."""
    place = _Places()
    names: dict[str, str] = {}  # organization names and subject labels repeat from finding to finding
    result.findings = [_finding(f, place, names) for f in result.findings]
    result.file = place.name(result.file)
    result.sheets = mask_value(result.sheets)
    result.input_issues = [place.issue(i) for i in result.input_issues]
    result.skipped_rules = [masked(s, "reason") for s in result.skipped_rules]
    result.crashes = [masked(c, "error", "traceback", "message") for c in result.crashes]
    result.organizations = [masked(o, "name") for o in result.organizations]
    result.waiver_notices = [dataclasses.replace(n, message=mask_value(n.message), location=place(n.location))
                             for n in result.waiver_notices]
    result.waivers_file = result.waivers_file and place.name(result.waivers_file)
    if result.baseline is not None:
        result.baseline.file = place.name(result.baseline.file)
        result.baseline.resolved = mask_value(result.baseline.resolved)
        result.baseline.not_rechecked = mask_value(result.baseline.not_rechecked)
    return result


def redact_reminders(result: RemindResult) -> RemindResult:
    """A RemindResult with its file, subjects, messages, locations and input issues masked (in place)."""
    place = _Places()
    result.file = place.name(result.file)
    result.reminders = [dataclasses.replace(masked(r, "org_name", "subject", "message"),
                                            location=place.optional(r.location)) for r in result.reminders]
    result.notes = [mask_value(n) for n in result.notes]
    result.input_issues = [place.issue(i) for i in result.input_issues]
    return result
