"""`ledgercheck inspect`: how each sheet and column was understood, for people and tools; an alias file to edit."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import SAMPLES
from tests.test_cli import run

OWN = SAMPLES / "own-roster.xlsx"


def test_the_table_says_what_each_column_was_read_as_and_why() -> None:
    result = run("inspect", OWN, "--no-config")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "工作表「党员花名册」  读作「党员」表（按工作表名称）" in out and "表头在第2行" in out
    line = next(line for line in out.splitlines() if "人员类别（正式/预备）" in line)
    assert "党员类别" in line
    line = next(line for line in out.splitlines() if "党内身份" in line and "未识别" in line)
    assert "党内职务" in line  # the nearest field
    assert "没有组织列" in out


def test_json_for_tools_and_masked_samples(tmp_path: Path) -> None:
    result = run("inspect", SAMPLES / "violations.xlsx", "--format", "json", "--no-config")
    data = json.loads(result.stdout)
    members = next(s for s in data["sheets"] if s["kind"] == "members")
    columns = {c["header"]: c for c in members["columns"]}
    assert columns["党员类别"]["field"] == "member_kind" and columns["党员类别"]["how"] == "exact"
    assert members["records"] == members["rows"] == 110
    assert all("*" in s for s in columns["身份证号"]["samples"])  # ID numbers masked, as everywhere
    shown = run("inspect", SAMPLES / "violations.xlsx", "--format", "json", "--no-config", "--show-pii")
    assert not any("*" in s for s in json.loads(shown.stdout)["sheets"][1]["columns"][1]["samples"])


def test_the_alias_file_it_writes_is_edited_and_passed_back(tmp_path: Path) -> None:
    aliases = tmp_path / "别名.yaml"
    result = run("inspect", OWN, "--no-config", "--write-aliases", aliases)
    assert result.exit_code == 0 and "已写出别名文件" in result.stderr
    text = aliases.read_text("utf-8")
    assert '# ?: ["党内身份"]' in text and "party_post（党内职务）" in text
    assert yaml.safe_load(text)["sheets"]["members"]["columns"] is None  # valid as written …
    assert run("audit", OWN, "--aliases", aliases, "--as-of", "2026-01-15").exit_code in (0, 1)  # … and accepted
    aliases.write_text(text.replace('# ?: ["党内身份"]', 'party_post: ["党内身份"]'), "utf-8")
    fixed = run("inspect", OWN, "--no-config", "--aliases", aliases, "--format", "json")
    columns = {c["header"]: c for s in json.loads(fixed.stdout)["sheets"] for c in s["columns"]}
    assert columns["党内身份"]["field"] == "party_post" and columns["党内身份"]["how"] == "user"


def test_a_sheet_that_cannot_be_read_makes_inspect_exit_2(tmp_path: Path) -> None:
    from tests.ingest.test_loader import build

    path = build(tmp_path / "l.xlsx", {"组织": [["组织编号", "组织名称", "组织类型"], ["B01", "一支部", "党支部"]],
                                       "党员": [["姓名", "性别"], ["张三", "男"]]})
    result = run("inspect", path, "--no-config")
    assert result.exit_code == 2 and "缺少必需的列「党员类别」" in result.stdout


def test_an_alias_file_for_headers_with_control_characters_is_read_back(tmp_path: Path) -> None:
    """A header holding a control character (Excel keeps \\x07 as _x0007_) or a bidi override was written into
    the alias file raw, which YAML refuses: --aliases then stopped with a syntax error. Written as escapes, the
    file reads back to the headers as they are, and an unknown one can be named as the others."""
    import python_calamine
    import xlsxwriter

    HEADER = "党内身份\x07\u202e"  # noqa: N806
    source = python_calamine.CalamineWorkbook.from_path(str(SAMPLES / "violations.xlsx"))
    ledger = tmp_path / "台账.xlsx"
    with xlsxwriter.Workbook(str(ledger)) as book:
        for name in source.sheet_names:
            sheet = book.add_worksheet(name)
            rows = source.get_sheet_by_name(name).to_python()
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    if value == "党内职务" and name == "党员":
                        value = HEADER  # a header the tool does not know, as it is written
                    if value != "":
                        sheet.write_string(r, c, value.isoformat()[:10] if hasattr(value, "isoformat") else str(value))
    aliases = tmp_path / "别名.yaml"
    assert run("inspect", ledger, "--no-config", "--write-aliases", aliases).exit_code == 0
    text = aliases.read_text("utf-8")
    assert '# ?: ["党内身份\\u0007\\u202e"]' in text and "\x07" not in text and "\u202e" not in text
    assert run("audit", ledger, "--aliases", aliases, "--as-of", "2026-01-15").exit_code in (0, 1)
    aliases.write_text(text.replace('# ?: ["党内身份', 'party_post: ["党内身份'), "utf-8")
    fixed = run("inspect", ledger, "--no-config", "--aliases", aliases, "--format", "json")
    assert fixed.exit_code == 0, fixed.output
    columns = {c["header"]: c for s in json.loads(fixed.stdout)["sheets"] for c in s["columns"]}
    assert columns[HEADER]["field"] == "party_post" and columns[HEADER]["how"] == "user"
