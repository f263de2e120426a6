"""Every piece of ledger text in a result masked (common/privacy.py decides how), before any reporter sees it."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ledgercheck.common.privacy import mask_text, mask_value, masked, redact_issue
from ledgercheck.findings.finding import Subject
from ledgercheck.findings.result import AuditResult

if TYPE_CHECKING:  # reminders are masked only by `remind`
    from ledgercheck.findings.reminders import RemindResult


def redact_result(result: AuditResult) -> AuditResult:
    """An AuditResult with every piece of ledger text masked (in place; returned for convenience)."""
    findings = []
    for finding in result.findings:
        subject = Subject(finding.subject.kind, mask_text(finding.subject.key), mask_text(finding.subject.label))
        hidden = masked(finding, "org_name", "message", "evidence")
        waiver = finding.waiver and masked(finding.waiver, "reason", "approver")
        findings.append(dataclasses.replace(hidden, subject=subject, waiver=waiver))
    result.findings = findings
    result.input_issues = [redact_issue(i) for i in result.input_issues]
    result.crashes = [masked(c, "error", "traceback", "message") for c in result.crashes]
    result.organizations = [masked(o, "name") for o in result.organizations]
    result.waiver_notices = [masked(n, "message") for n in result.waiver_notices]
    if result.baseline is not None:
        result.baseline.resolved = mask_value(result.baseline.resolved)
        result.baseline.not_rechecked = mask_value(result.baseline.not_rechecked)
    return result


def redact_reminders(result: RemindResult) -> RemindResult:
    """A RemindResult with subjects, messages and input issues masked (in place)."""
    result.reminders = [masked(r, "org_name", "subject", "message") for r in result.reminders]
    result.notes = [mask_value(n) for n in result.notes]
    result.input_issues = [redact_issue(i) for i in result.input_issues]
    return result
