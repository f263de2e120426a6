"""A branch's own ledger often has no 组织 sheet and no organization column: its titles say whose it is
(办公室党支部党员花名册, 填报单位：办公室党支部). Such a ledger could not be audited without --org (exit 2); the one
organization its titles, else its sheets' names, else its file's name give is now taken as --org would be, and said."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from ledgercheck.cli import main
from ledgercheck.ingest.loader import _org_named
from tests.conftest import SAMPLE_AS_OF, SAMPLES
from tests.ingest.audited import audit_json

SHEETS = ("党员", "组织生活", "党费", "换届选举", "发展党员")


def _branch_ledger(path: Path, titles: dict[str, str] | None) -> Path:
    """Branch B01's rows of the clean sample, without the 组织 sheet or any organization column; `titles` puts a
    title row above each named sheet's header."""
    book = openpyxl.load_workbook(SAMPLES / "clean.xlsx")
    del book["组织"]
    for name in SHEETS:
        sheet = book[name]
        headers = [c.value for c in sheet[1]]
        column = next(i for i, h in enumerate(headers) if h and "组织编号" in h)
        kept = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True) if r[column] == "B01"]
        sheet.delete_rows(2, sheet.max_row)
        for row in kept:
            sheet.append(row)
        sheet.delete_cols(column + 1)
        if titles and name in titles:
            sheet.insert_rows(1)
            sheet.cell(1, 1, titles[name])
    book.save(path)
    return path


def test_the_organization_a_branch_ledger_names_in_its_titles(tmp_path: Path) -> None:
    titles = {name: f"中共某局办公室党支部2025年度{name}记录" for name in SHEETS} | {
        "党员": "办公室党支部党员花名册", "党费": "填报单位：办公室党支部      填报日期：2026年1月10日"}
    path = _branch_ledger(tmp_path / "台账.xlsx", titles)
    code, report = audit_json(path)
    option_code, option = audit_json(path, "--org", "中共某局办公室党支部")
    assert code == option_code == 0
    assert [(f["rule"]["id"], f["fingerprint"]) for f in report["findings"]] == \
        [(f["rule"]["id"], f["fingerprint"]) for f in option["findings"]]
    assert report["summary"]["skipped_rules"] == option["summary"]["skipped_rules"] > 0
    notice = [i for i in report["input_issues"] if i["code"] == "INPUT-ORG-FROM-TITLE"]
    assert [i["message"] for i in notice] == [
        "没有「组织」表：按表格标题，本台账属于「中共某局办公室党支部」；如不对，请用 --org 指明"]
    assert [i for i in report["input_issues"] if i["code"] != "INPUT-ORG-FROM-TITLE"] == \
        [i for i in option["input_issues"] if i["code"] != "INPUT-ORG-FROM-OPTION"]
    assert [(o["org_id"], o["org_name"], o["org_type"]) for o in report["organizations"]] == \
        [("中共某局办公室党支部", "中共某局办公室党支部", "党支部")]


def test_from_the_file_name_when_the_titles_say_nothing(tmp_path: Path) -> None:
    path = _branch_ledger(tmp_path / "财务处党支部党建台账（2025）.xlsx", None)
    code, report = audit_json(path)
    assert code == 0
    assert [i["message"] for i in report["input_issues"] if i["code"] == "INPUT-ORG-FROM-TITLE"] == [
        "没有「组织」表：按文件名，本台账属于「财务处党支部」；如不对，请用 --org 指明"]


@pytest.mark.parametrize("titles", [
    {"党员": "办公室党支部党员花名册", "党费": "财务处党支部党费收缴台账"},  # two organizations: whose is it?
    {"党员": "党支部党员花名册", "党费": "机关党委党费收缴台账"},  # names that say no more than their type
])
def test_never_a_guess(tmp_path: Path, titles: dict[str, str]) -> None:
    path = _branch_ledger(tmp_path / "台账.xlsx", titles)
    result = CliRunner().invoke(main, ["audit", str(path), "--as-of", SAMPLE_AS_OF, "--no-config"])
    assert result.exit_code == 2
    assert "工作簿中没有「组织」表" in result.output and "或用 --org 指明本台账所属的党支部" in result.output


@pytest.mark.parametrize(("texts", "found"), [
    (["中共某局办公室党支部2025年党员花名册"], "中共某局办公室党支部"),
    (["填报单位：办公室党支部    填报日期：2025年12月"], "办公室党支部"),
    (["2025年度办公室党支部组织生活记录"], "办公室党支部"),
    (["办公室党支部党员花名册", "中共某局办公室党支部组织生活记录"], "中共某局办公室党支部"),  # the longer of one name
    (["某局机关党委第一党支部党员名册"], "某局机关党委第一党支部"),
    (["离退休干部党总支2025年党费"], "离退休干部党总支"),
    (["办公室党支部", "财务处党支部"], None),
    (["机关党委", "本党支部组织生活"], None),
    (["党员花名册"], None),
])
def test_the_name_in_a_title(texts: list[str], found: str | None) -> None:
    named = _org_named(texts, [], [])
    assert (named[0] if named else None) == found


def test_an_organization_named_that_the_ledger_does_not_have() -> None:
    """A roster without an organization column and --org (the page's 所属组织) naming no organization of the
    组织 sheet: the sheet is not read, and the message says which organizations the sheet has (it said to add an
    organization column); naming one of them reads it."""
    code, report = audit_json(SAMPLES / "own-roster.xlsx", "--org", "办公室支部")
    assert code == 2
    found = [i for i in report["input_issues"] if i["code"] == "INPUT-ORG-OPTION-UNKNOWN"]
    assert [i["message"] for i in found] == [
        "没有组织列，而 --org 指定的「办公室支部」不在「组织」表中（表中有：第一党支部（B01）），整张表未读入（7行）"]
    assert found[0]["location"]["sheet"] == "党员花名册"
    assert "INPUT-MISSING-COLUMN" not in {i["code"] for i in report["input_issues"]}
    for named in ("第一党支部", "B01"):
        code, report = audit_json(SAMPLES / "own-roster.xlsx", "--org", named)
        assert "INPUT-ORG-OPTION-UNKNOWN" not in {i["code"] for i in report["input_issues"]}
        assert report["organizations"][0]["org_id"] == "B01"
