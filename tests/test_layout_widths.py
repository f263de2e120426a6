"""The reports for people at any terminal width from 20 to 220 cells: no line wider than the width, none starting
with closing punctuation, every finding's rule and every reminder's date shown; a table where the message column
holds 20 Chinese characters, blocks below that."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from ledgercheck.app.horizon import parse_horizon
from ledgercheck.cli.common import configured, context_of
from ledgercheck.findings.reminders import RemindResult
from ledgercheck.findings.result import AuditResult
from ledgercheck.reporters import reminders, table
from ledgercheck.reporters.base import ReportOptions
from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import VIOLATIONS

CLOSING = set("，。、；：？！）》」』】,.;:?!)")


@pytest.fixture(scope="module")
def results() -> tuple[AuditResult, RemindResult]:
    context = context_of(configured(as_of=dt.date.fromisoformat(SAMPLE_AS_OF), no_config=True))
    return context.audit(VIOLATIONS, None), context.remind(VIOLATIONS, parse_horizon("90d"))


def _read(lines: list[str], width: int) -> None:
    for line in lines:
        assert cell_len(line) <= width, (width, line)
        assert line.lstrip()[:1] not in CLOSING, (width, line)
        assert line == line.rstrip(), (width, line)


@settings(max_examples=30, deadline=None)
@given(width=st.integers(20, 220), lang=st.sampled_from(["zh", "en"]))
def test_the_audit_report_fits_any_width(results: tuple[AuditResult, RemindResult], width: int, lang: str) -> None:
    audit = results[0]
    out = io.StringIO()
    table.write(audit, out, ReportOptions(lang=lang, width=width))  # type: ignore[arg-type]
    text = out.getvalue()
    _read(text.splitlines(), width)
    if width >= 36:  # a rule id fits on a line
        assert all(f.rule_id in text for f in audit.findings)
    headers = ("级别", "规则", "期间", "位置", "说明") if lang == "zh" else ("level", "rule", "period", "location")
    has_table = any(line.split()[:len(headers)] == list(headers) for line in text.splitlines())
    if width >= 120:  # the fixed columns and 40 cells of message: a table (a pipe's 120 columns too)
        assert has_table, width
    elif width <= 100:  # 80 columns: one block a finding
        assert not has_table, width


@settings(max_examples=20, deadline=None)
@given(width=st.integers(20, 220), lang=st.sampled_from(["zh", "en"]))
def test_the_reminders_fit_any_width(results: tuple[AuditResult, RemindResult], width: int, lang: str) -> None:
    remind = results[1]
    out = io.StringIO()
    reminders.write_table(remind, out, ReportOptions(lang=lang, width=width))  # type: ignore[arg-type]
    text = out.getvalue()
    _read(text.splitlines(), width)
    assert all(r.date.isoformat() in text for r in remind.reminders)
