"""A cell, a sheet or a file name cannot send escape sequences to the terminal a report is printed on (issue 18,
part 6): control characters are spelled out (`\\x1b`) in the table, Markdown and CSV outputs and in error messages,
JSON escapes them its own way, and rich markup in ledger text (`[/x]`) is printed as text, not interpreted.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook

from ledgercheck.cli import main
from tests.conftest import SAMPLE_AS_OF

D = dt.date
ESCAPE = "\x1b[31m"
SHOWN = "\\x1b[31m"
RAW = ("\x1b", "\x07", "\x9b")  # ESC, BEL, CSI: none may reach the terminal


def _with_escapes(path: Path) -> Path:
    """A small ledger whose organization name and a meeting topic hold an escape sequence (and a bell), as Excel
    writes control characters into the XML (_x001B_), and whose organization name holds rich markup."""
    plain = path.with_name("plain.xlsx")
    book = Workbook()
    book.remove(book.active)
    sheets = {
        "组织": [["组织编号", "组织名称", "组织类型", "成立日期", "本届选举日期", "书记", "支委会委员人数"],
                 ["B01", "第一党支部ESCAPE[/x][bold]", "党支部", D(2015, 3, 1), D(2024, 6, 1), "张伟", 3]],
        "党员": [["姓名", "身份证号", "出生日期", "所在组织编号", "党员类别", "入党日期", "转正日期"],
                 ["张伟", "", D(1980, 1, 1), "B01", "正式党员", D(2005, 7, 1), D(2006, 7, 1)],
                 ["李娜", "", "不是日期ESCAPE", "B01", "正式党员", D(2010, 7, 1), D(2011, 7, 1)]],
        "组织生活": [["组织编号", "活动类型", "日期", "应到人数", "实到人数", "主题"],
                     ["B01", "支部委员会BELL", D(2025, 3, 10), 3, 3, "学习"]],
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"ESCAPE", b"_x001B_[31m").replace(b"BELL", b"_x0007_")
            target.writestr(info, data)
    plain.unlink()
    return path


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("escapes") / "units"
    folder.mkdir()
    return _with_escapes(folder / f"台账{ESCAPE}.xlsx")  # the file name holds one too


def run(*args: object) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "内部错误" not in result.output and "internal error" not in result.output, result.output
    return result


def assert_safe(text: str, where: str) -> None:
    assert not any(c in text for c in RAW), (where, [c for c in RAW if c in text])
    assert SHOWN in text.replace("\\[", "["), (where, text[:500])  # the escape is there, visibly (Markdown: \\[)


def test_the_ledger_holds_the_escapes(ledger: Path) -> None:
    result = run("audit", ledger, "--as-of", SAMPLE_AS_OF, "--no-config", "--format", "json")
    document = json.loads(result.stdout)
    assert ESCAPE in document["file"] and ESCAPE in document["findings"][0]["org_name"]
    assert "\\u001b[31m" in result.stdout and "\x1b" not in result.stdout  # JSON escapes it its own way


@pytest.mark.parametrize("format_", ["table", "markdown", "csv"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_audit_reports_for_the_terminal_spell_control_characters_out(ledger: Path, format_: str, lang: str) -> None:
    result = run("audit", ledger, "--as-of", SAMPLE_AS_OF, "--no-config", "--format", format_, "--lang", lang)
    assert_safe(result.stdout, format_)
    assert not any(c in result.stderr for c in RAW)
    if format_ == "table":
        assert "[/x][bold]" in result.stdout  # markup in ledger text is text
        assert f"台账{SHOWN}.xlsx" in result.stdout  # the header's file name
    if format_ != "csv":
        assert "\\x07" in result.stdout  # the bell in the meeting kind, echoed by its input problem


def test_reminders_diff_inspect_and_scan_tables(ledger: Path, tmp_path: Path) -> None:
    assert_safe(run("remind", ledger, "--as-of", SAMPLE_AS_OF, "--no-config").stdout, "remind")
    assert_safe(run("inspect", ledger, "--no-config").stdout, "inspect")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    for target in (old, new):
        run("audit", ledger, "--as-of", SAMPLE_AS_OF, "--no-config", "--format", "json", "--output", target)
    for format_ in ("table", "markdown"):
        assert_safe(run("diff", old, new, "--format", format_).stdout, f"diff {format_}")
    scan = run("scan", ledger.parent, "--as-of", SAMPLE_AS_OF, "--no-config", "--quiet", "--jobs", "1")
    assert_safe(scan.stdout, "scan")


def test_error_messages_spell_control_characters_out(tmp_path: Path) -> None:
    broken = tmp_path / f"坏{ESCAPE}.xlsx"
    broken.write_bytes(b"not a workbook\x1b[31m")
    result = run("audit", broken, "--no-config")
    assert result.exit_code == 2
    assert_safe(result.stderr, "error message")
    scan = run("scan", tmp_path, "--no-config", "--quiet", "--jobs", "1")
    assert_safe(scan.stdout, "scan of an unreadable file")
