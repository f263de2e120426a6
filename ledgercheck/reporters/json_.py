"""JSON: the audit result's one serialization, stable and versioned (schema_version)."""

from __future__ import annotations

import json
from typing import TextIO

from ledgercheck.findings.result import AuditResult
from ledgercheck.reporters.base import ReportOptions


def render(result: AuditResult, options: ReportOptions) -> str:
    return json.dumps(result.to_dict(options.lang), ensure_ascii=False, indent=2) + "\n"


def write(result: AuditResult, stream: TextIO, options: ReportOptions) -> None:
    stream.write(render(result, options))
