"""CSV for Excel and WPS: UTF-8 with BOM, CRLF, one row per finding, formula-like cells neutralized."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ledgercheck.reporters.csv_ import COLUMNS, build, neutralize
from tests.ledgers import COMMITTEE_B01_MAY, SECRETARY_B05, TOTAL, VIOLATIONS, cli, write


def read(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel and WPS look for
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_finding_with_chinese_headers(tmp_path, violations_doc) -> None:
    path = tmp_path / "findings.csv"
    assert cli("audit", VIOLATIONS, "--format", "csv", "--output", path).exit_code == 1
    rows = read(path.read_bytes())
    data = violations_doc()
    assert len(rows) == len(data["groups"]) < len(data["findings"]) == TOTAL  # a problem's periods: one row
    series = next(r for r in rows if r["期数"] != "1")
    assert ", " in series["期间"] and int(series["期数"]) == len(series["期间"].split(", "))
    assert list(rows[0]) == [header.zh for _key, header in COLUMNS]
    first = next(r for r in rows if r["指纹"] == COMMITTEE_B01_MAY)
    assert (first["组织编号"], first["级别"], first["规则编号"], first["期间"], first["工作表"], first["单元格"]) == \
        ("B01", "错误", "MEET-COMMITTEE-MONTHLY", "2025-05", "组织", "A3")
    assert first["依据"] == "《中国共产党支部工作条例（试行）》第十二条" and first["整改状态"] == ""


def test_english_headers_and_values_for_scripts() -> None:
    result = cli("audit", VIOLATIONS, "--format", "csv", "--lang", "en")
    rows = read(result.stdout_bytes)
    assert list(rows[0])[:4] == ["org_id", "organization", "severity", "rule_id"]
    assert {r["severity"] for r in rows} == {"error", "warning", "info"}


@pytest.mark.parametrize("value", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_formula_like_cells_are_neutralized(value) -> None:
    assert neutralize(value) == "'" + value.replace("\r", "\\x0d")  # a carriage return is spelled out, as on a terminal


@pytest.mark.parametrize("value", ["2025-05", "办公室党支部", "", None, "a=b", "B01"])
def test_ordinary_cells_are_left_alone(value) -> None:
    assert neutralize(value) == ("" if value is None else value)


def test_a_ledger_value_cannot_become_a_formula(violations_doc) -> None:
    data = violations_doc()
    data["findings"][0]["message"] = "=cmd|' /C calc'!A0"
    data["findings"][0]["subject"]["label"] = "@SUM(1)"
    rows = read(build(data, "zh").encode("utf-8"))
    assert rows[0]["说明"] == "'=cmd|' /C calc'!A0" and rows[0]["对象"] == "'@SUM(1)"


def test_rectification_columns_and_resolved_rows(tmp_path, rectified) -> None:
    ledger, baseline = rectified  # B05 got its secretary: REC-ORG-COMPLETE resolved
    waivers = write(tmp_path / "w.yaml", f"waivers:\n  - {{fingerprint: {COMMITTEE_B01_MAY}, reason: 顺延, "
                                         f"approver: 王书记, expires: 2026-06-30}}\n")
    result = cli("audit", ledger, "--format", "csv", "--baseline", baseline, "--waivers", waivers)
    rows = read(result.stdout_bytes)
    doc = json.loads(cli("audit", ledger, "--format", "json", "--baseline", baseline, "--waivers", waivers).stdout)
    assert len(rows) == len(doc["groups"]) + 1  # every problem still open, one row each, and the resolved one
    resolved = [r for r in rows if r["整改状态"] == "已整改"]
    assert [r["指纹"] for r in resolved] == [SECRETARY_B05] and rows[-1] == resolved[0]
    waived = next(r for r in rows if r["指纹"] == COMMITTEE_B01_MAY)
    assert (waived["豁免"], waived["豁免理由"], waived["审批人"], waived["豁免到期"]) == \
        ("已豁免", "顺延", "王书记", "2026-06-30")
    assert {r["整改状态"] for r in rows} == {"未整改", "已整改"}
