"""Waivers: shown as waived, never failing the run; expired and unused waivers reported; errors with lines."""

from __future__ import annotations

import pytest

from tests.ledgers import (
    COMMITTEE_B01_MAY,
    PLANTED,
    TOTAL,
    VIOLATIONS,
    audit_json,
    cli,
    planted_count,
    severities,
    write,
)

APPROVED = "reason: 顺延召开, approver: 机关党委 王某某"


def waivers(tmp_path, *entries: str):
    return write(tmp_path / "waivers.yaml", "waivers:\n" + "".join(f"  - {{{e}}}\n" for e in entries))


def test_a_waived_finding_is_shown_as_waived_and_does_not_fail(tmp_path) -> None:
    by_rule = severities()
    errors = {p["rule"] for p in PLANTED if by_rule[p["rule"]] == "error"}
    _result, data = audit_json(VIOLATIONS)
    entries = [f"rule: {f['rule']['id']}, org: {f['org_id']}, {APPROVED}, expires: 2026-06-30"
               for f in data["findings"] if f["severity"] == "error"]
    assert {e.split(",")[0].split(": ")[1] for e in entries} == errors
    path = waivers(tmp_path, *entries)
    result = cli("audit", VIOLATIONS, "--waivers", path)
    assert result.exit_code == 0  # every error is waived; the warnings do not fail the default run
    b01 = {s: planted_count(s, "B01") for s in ("error", "warning", "info")}
    tally = " · ".join(f"{label} {b01[s]}" for s, label in (("error", "错误"), ("warning", "警告"), ("info", "提示"))
                       if b01[s])
    assert "已豁免" in result.stdout and f"办公室党支部（B01）  {tally}（已豁免 {b01['error']}）" in result.stdout
    assert f"已豁免{planted_count('error')}条" in result.stdout  # in the summary line
    _result, data = audit_json(VIOLATIONS, "--waivers", path)
    waived = [f for f in data["findings"] if f["waiver"]]
    assert len(waived) == data["summary"]["waived"] == planted_count("error") and len(data["findings"]) == TOTAL
    assert waived[0]["waiver"]["match"] == "rule" and waived[0]["waiver"]["source"].endswith("waivers.yaml:2")


def test_by_fingerprint_and_by_period(tmp_path) -> None:
    path = waivers(tmp_path, f"fingerprint: {COMMITTEE_B01_MAY}, {APPROVED}, expires: 2026-01-15",
                   f"rule: MEET-THEME-DAY-MONTHLY, org: B03, period: 2025, {APPROVED}, expires: 2026-12-31",
                   f"rule: MEET-PARTY-GROUP-MONTHLY, org: B01, period: 2025-07, {APPROVED}, expires: 2026-12-31")
    _result, data = audit_json(VIOLATIONS, "--waivers", path)
    waived = {(f["rule"]["id"], f["org_id"], f["period"]) for f in data["findings"] if f["waiver"]}
    # A waiver is in force on its expiry date; a year covers its months; 2025-07 does not cover 2025-08.
    assert waived == {("MEET-COMMITTEE-MONTHLY", "B01", "2025-05"), ("MEET-THEME-DAY-MONTHLY", "B03", "2025-02")}
    notices = data["waivers"]["notices"]
    assert [(n["code"], n["line"]) for n in notices] == [("WAIVER-UNUSED", 4)]


def test_expired_waiver_is_reported_and_its_finding_counts_again(tmp_path) -> None:
    path = waivers(tmp_path, f"fingerprint: {COMMITTEE_B01_MAY}, {APPROVED}, expires: 2026-01-14")
    result = cli("audit", VIOLATIONS, "--waivers", path, "--lang", "en")
    assert result.exit_code == 1
    assert "waiver notices" in result.stdout
    assert f"{path}:2: waiver expired on 2026-01-14" in result.stdout
    _result, data = audit_json(VIOLATIONS, "--waivers", path)
    assert data["summary"]["waived"] == 0
    [notice] = data["waivers"]["notices"]
    assert (notice["code"], notice["line"], notice["expires"]) == ("WAIVER-EXPIRED", 2, "2026-01-14")
    assert "1条问题重新计入" in notice["message"]


@pytest.mark.parametrize(("entry", "line", "fragment"), [
    (f"fingerprint: {COMMITTEE_B01_MAY}, approver: 王, expires: 2026-06-30", 2, "reason"),
    (f"fingerprint: {COMMITTEE_B01_MAY}, rule: MEET-X-Y, {APPROVED}, expires: 2026-06-30", 2, "二者不能同时写"),
    (f"rule: MEET-COMMITTEE-MONTHLY, {APPROVED}, expires: 2026-06-30", 2, "或者写 rule 和 org"),
    (f"rule: MEET-COMMITTEE-MONTHLY, org: B01, period: 2025-13, {APPROVED}, expires: 2026-06-30", 2, "month"),
    (f"fingerprint: {COMMITTEE_B01_MAY}, {APPROVED}, expires: 明年", 2, "expires"),
    (f"fingerprint: {COMMITTEE_B01_MAY}, {APPROVED}, expires: 2026-06-30, approved_by: 王", 2, "approved_by"),
])
def test_bad_waiver_files_name_the_line(tmp_path, entry, line, fragment) -> None:
    path = waivers(tmp_path, entry)
    result = cli("audit", VIOLATIONS, "--waivers", path)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"豁免文件错误: {path} 第{line}行") and fragment in result.stderr
    assert result.stderr.count("\n") == 1
