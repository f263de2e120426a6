"""Rectification tracking: --baseline, --fail-on-new and `ledgercheck diff`."""

from __future__ import annotations

import json

import pytest

from ledgercheck.review.baseline import Coverage, compare
from tests.ledgers import (
    CLEAN,
    COMMITTEE_B01_MAY,
    SECRETARY_B05,
    TOTAL,
    VIOLATIONS,
    audit_json,
    cli,
    copy_sample,
    planted_count,
    set_cell,
    write,
)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    path = tmp_path_factory.mktemp("baseline") / "baseline.json"
    assert cli("audit", VIOLATIONS, "--format", "json", "--output", path).exit_code == 1
    return path


def test_unchanged_ledger_has_no_new_findings_and_passes_with_fail_on_new(baseline) -> None:
    result = cli("audit", VIOLATIONS, "--baseline", baseline, "--fail-on-new")
    assert result.exit_code == 0, result.output
    assert f"整改：新增0条，未整改{TOTAL}条，已整改0条" in result.stdout
    _result, data = audit_json(VIOLATIONS, "--baseline", baseline)
    assert {f["baseline_state"] for f in data["findings"]} == {"open"}
    assert (data["summary"]["new"], data["summary"]["open"], data["summary"]["resolved"]) == (0, TOTAL, 0)
    # Without --fail-on-new the same run still fails on its (old) errors.
    assert cli("audit", VIOLATIONS, "--baseline", baseline).exit_code == 1


def test_fixing_one_violation_shows_it_as_resolved(rectified) -> None:
    ledger, baseline = rectified
    result = cli("audit", ledger, "--baseline", baseline, "--fail-on-new")
    assert result.exit_code == 0
    assert "已整改（基线" in result.stdout and "REC-ORG-COMPLETE" in result.stdout.split("已整改（基线")[1]
    _result, data = audit_json(ledger, "--baseline", baseline)
    assert [f["fingerprint"] for f in data["resolved"]] == [SECRETARY_B05]
    assert SECRETARY_B05 not in {f["fingerprint"] for f in data["findings"]}
    assert data["summary"]["resolved"] == 1 and data["summary"]["open"] == TOTAL - 1


def test_a_new_violation_fails_only_with_fail_on_new(tmp_path, baseline) -> None:
    ledger = set_cell(copy_sample(tmp_path), "组织", "I3", None)  # B01 loses its secretary (a warning)
    _result, data = audit_json(ledger, "--baseline", baseline)
    new = [f for f in data["findings"] if f["baseline_state"] == "new"]
    assert [(f["rule"]["id"], f["org_id"]) for f in new] == [("REC-ORG-COMPLETE", "B01")]
    assert cli("audit", ledger, "--baseline", baseline, "--fail-on-new").exit_code == 0  # a warning: below error
    assert cli("audit", ledger, "--baseline", baseline, "--fail-on-new", "--fail-on", "warning").exit_code == 1
    waivers = write(tmp_path / "w.yaml", f"waivers:\n  - {{fingerprint: {new[0]['fingerprint']}, reason: 待补录, "
                                         f"approver: 王书记, expires: 2026-02-28}}\n")
    assert cli("audit", ledger, "--baseline", baseline, "--fail-on-new", "--fail-on", "warning",
               "--waivers", waivers).exit_code == 0


def test_findings_of_rules_not_run_are_not_resolved(baseline) -> None:
    _result, data = audit_json(VIOLATIONS, "--baseline", baseline, "--ignore", "MEET-")
    assert data["resolved"] == []
    not_rechecked = data["baseline"]["not_rechecked"]
    assert not_rechecked and all(f["rule"]["id"].startswith("MEET-") for f in not_rechecked)
    assert data["summary"]["resolved"] == 0


def test_periods_outside_the_new_window_are_not_resolved() -> None:
    old = [{"fingerprint": "a" * 20, "rule": {"id": "MEET-COMMITTEE-MONTHLY"}, "org_id": "B01", "period": "2024-03"},
           {"fingerprint": "b" * 20, "rule": {"id": "MEET-COMMITTEE-MONTHLY"}, "org_id": "B01", "period": "2025-03"}]
    coverage = Coverage({"B01": frozenset({"MEET-COMMITTEE-MONTHLY"})}, frozenset(), "2025-01-01", "2026-01-15")
    comparison = compare(old, [], coverage)
    assert [f["period"] for f in comparison.resolved] == ["2025-03"]
    assert [f["period"] for f in comparison.not_rechecked] == ["2024-03"]


def test_fail_on_new_needs_a_baseline() -> None:
    result = cli("audit", VIOLATIONS, "--fail-on-new")
    assert result.exit_code == 2 and "--fail-on-new" in result.stderr and "--baseline" in result.stderr


@pytest.mark.parametrize(("content", "fragment"), [
    ("{not json", "第1行"),
    ('{"schema_version": "2.0", "findings": []}', "schema_version 1.x"),
    ('[1, 2]', "不是 ledgercheck 的 JSON 输出"),
])
def test_unusable_baseline_is_a_one_line_error(tmp_path, content, fragment) -> None:
    path = write(tmp_path / "old.json", content)
    result = cli("audit", VIOLATIONS, "--baseline", path)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "基线文件错误" in result.stderr and fragment in result.stderr


def test_diff_prints_the_rectification_table(tmp_path, rectified) -> None:
    ledger, baseline = rectified
    new = tmp_path / "new.json"
    cli("audit", ledger, "--format", "json", "--output", new)
    result = cli("diff", baseline, new)
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "信息中心党支部（B05）" in line)
    assert row.split()[1:] == ["0", str(planted_count(org="B05") - 1), "1", "0", "0"]  # new, open, resolved, waived, not re-checked
    assert "已整改 (1)" in result.stdout
    data = json.loads(cli("diff", baseline, new, "--format", "json").stdout)
    assert data["total"] == {"new": 0, "open": TOTAL - 1, "resolved": 1, "waived": 0, "not_rechecked": 0}
    markdown = cli("diff", baseline, new, "--format", "markdown", "--lang", "en").stdout
    assert f"| 信息中心党支部 (B05) | 0 | {planted_count(org='B05') - 1} | 1 | 0 | 0 |" in markdown
    # The other way round the fixed finding is new, and --fail-on-new says so.
    backwards = cli("diff", new, baseline, "--fail-on-new")
    assert backwards.exit_code == 1 and "新增 (1)" in backwards.stdout
    assert cli("diff", baseline, baseline, "--fail-on-new").exit_code == 0


def test_diff_of_two_clean_audits(tmp_path) -> None:
    clean = tmp_path / "clean.json"
    cli("audit", CLEAN, "--format", "json", "--output", clean)
    result = cli("diff", clean, clean, "--lang", "en")
    assert result.exit_code == 0 and "Neither audit has findings." in result.stdout


def test_waived_counts_in_the_status_table(tmp_path, baseline) -> None:
    waivers = write(tmp_path / "w.yaml", f"waivers:\n  - {{fingerprint: {COMMITTEE_B01_MAY}, reason: 顺延, "
                                         f"approver: 王书记, expires: 2026-06-30}}\n")
    text = cli("audit", VIOLATIONS, "--baseline", baseline, "--waivers", waivers, "--format", "markdown").stdout
    # "still open" counts every finding the baseline had, the waived one included
    assert f"| 办公室党支部（B01） | 0 | {planted_count(org='B01')} | 0 | 1 | 0 |" in text
