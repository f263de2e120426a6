"""Markdown for merge requests and job summaries: headline, per-organization tables, rectification."""

from __future__ import annotations

from ledgercheck.reporters.markdown import build, escape
from tests.ledgers import CLEAN, TOTAL, VIOLATIONS, cli, planted_count


def test_headline_and_one_table_per_organization() -> None:
    text = cli("audit", VIOLATIONS, "--format", "markdown").stdout
    assert text.startswith("## ledgercheck 审计报告\n")
    assert (f"**错误 {planted_count('error')} · 警告 {planted_count('warning')} · "
            f"提示 {planted_count('info')}**") in text
    assert "### 办公室党支部（B01）" in text
    assert "| 错误 | `MEET-COMMITTEE-MONTHLY` | 2025-05 | 组织!A3 | 办公室党支部在2025年5月未召开支部委员会会议<br>依据：" in text
    assert cli("audit", CLEAN, "--format", "markdown").stdout.count("未发现问题。") == 1


def test_ledger_text_cannot_break_the_table(violations_doc) -> None:
    assert escape("a|b\nc <script> *x*") == "a\\|b<br>c \\<script\\> \\*x\\*"
    data = violations_doc()
    data["findings"][0]["message"] = "坏|单元格\n第二行"
    line = next(ln for ln in build(data, "zh").splitlines() if "坏" in ln)
    assert line.count(" | ") == 4 and "坏\\|单元格<br>第二行" in line


def test_rectification_table_with_a_baseline(rectified) -> None:
    ledger, baseline = rectified
    text = cli("audit", ledger, "--format", "markdown", "--baseline", baseline, "--lang", "en").stdout
    assert "### Rectification" in text and "| organization | new | still open | resolved |" in text
    assert f"| 信息中心党支部 (B05) | 0 | {planted_count(org='B05') - 1} | 1 | 0 | 0 |" in text
    assert f"| **total** | **0** | **{TOTAL - 1}** | **1** | **0** | **0** |" in text
    assert "### Resolved" in text and "REC-ORG-COMPLETE" in text.split("### Resolved")[1]
