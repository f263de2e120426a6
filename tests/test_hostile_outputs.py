"""Issue 18 (part 2 and part 6): outputs that are not plain files, outputs that cannot be written, and the
marked-up copy of hostile workbooks.

`-o`, `--annotate` and `scan -o` write a device, a FIFO or a standard stream in place and rename only over
regular files; a name of 247–255 bytes is written; an output that cannot be written is refused before the audit
(and nothing claims success before the write); SARIF of an unrecognized sheet is valid; a marked-up copy that
cannot be made never costs the report, and the copy of a hostile workbook is one Excel accepts; two sheets of one
name are refused, two workbooks each with a 党员 sheet are both read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from ledgercheck.cli import main
from ledgercheck.fileio.atomic import write_atomic
from ledgercheck.ingest.copy import MAX_TITLE, excel_title, excel_value
from tests.conftest import ROOT, SAMPLE_AS_OF
from tests.hostile_files import FULL, NULL, base_sheets, device, fifo_reader, ledger, ods, replaced, rewritten
from tests.ledgers import VIOLATIONS, sarif_schema
from tests.malformed.generate import MEETING_HEADER, MEETING_ROWS, MEMBER_HEADER, MEMBER_ROWS, ORG_HEADER, ORG_ROW

SUMMARY = "汇总："


def run(*args: object) -> Result:
    words = [str(a) for a in args]
    if words[0] == "audit":
        words += ["--no-config", "--as-of", SAMPLE_AS_OF]
    else:
        words += ["--no-config", "--as-of", SAMPLE_AS_OF, "--quiet", "--jobs", "1"]
    return CliRunner().invoke(main, words)


def no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output


# ---------------------------------------------------------------- part 2: special files are written in place


def test_audit_output_to_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    reader, got = fifo_reader(target)
    result = run("audit", VIOLATIONS, "--format", "json", "-o", target)
    reader.join(timeout=30)
    assert result.exit_code == 1, result.output
    assert stat.S_ISFIFO(os.lstat(target).st_mode)  # still the FIFO, not a regular file
    assert json.loads(got[0])["summary"]["error"] > 0
    assert os.listdir(tmp_path) == ["report.json"]


@pytest.mark.parametrize("name", ["null", "stdout"])
def test_audit_output_to_a_null_device_keeps_the_device(tmp_path: Path, name: str) -> None:
    target = device(tmp_path / name, NULL)
    result = run("audit", VIOLATIONS, "--format", "json", "-o", target)
    assert result.exit_code == 1, result.output
    assert stat.S_ISCHR(os.lstat(target).st_mode) and os.stat(target).st_rdev == os.makedev(*NULL)
    assert sorted(os.listdir(tmp_path)) == [name]


def test_a_full_device_is_an_error_and_no_summary_claims_success(tmp_path: Path) -> None:
    target = device(tmp_path / "full", FULL)
    result = run("audit", VIOLATIONS, "--format", "json", "-o", target)
    assert result.exit_code == 2
    assert "无法写入输出文件" in result.stderr and SUMMARY not in result.stderr
    assert stat.S_ISCHR(os.lstat(target).st_mode)
    no_traceback(result)


def test_scan_output_to_a_null_device_and_a_fifo(tmp_path: Path) -> None:
    units = tmp_path / "units"
    units.mkdir()
    ledger(units / "a.xlsx")
    null = device(tmp_path / "null", NULL)
    result = run("scan", units, "--format", "json", "-o", null)
    assert result.exit_code in (0, 1), result.output
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    target = tmp_path / "scan.json"
    reader, got = fifo_reader(target)
    result = run("scan", units, "--format", "json", "-o", target)
    reader.join(timeout=30)
    assert result.exit_code in (0, 1), result.output
    assert stat.S_ISFIFO(os.lstat(target).st_mode) and json.loads(got[0])["summary"]["files"] == 1


@pytest.mark.skipif(not Path("/proc/self/fd/1").exists(), reason="needs /proc/self/fd")
def test_a_link_to_the_standard_output_is_written_through(tmp_path: Path) -> None:
    """`-o /dev/stdout` with the output redirected to a file: the file gets the report; the link stays a link (a
    private link to /proc/self/fd/1, so that the machine's /dev/stdout is not involved)."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    captured = tmp_path / "captured.json"
    with captured.open("wb") as stdout:
        done = subprocess.run([sys.executable, "-m", "ledgercheck", "audit", str(VIOLATIONS), "--no-config",
                               "--as-of", SAMPLE_AS_OF, "--format", "json", "-o", str(link)], cwd=ROOT,
                              stdout=stdout, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 1, done.stderr.decode()
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert json.loads(captured.read_text(encoding="utf-8"))["summary"]["error"] > 0


def test_a_link_to_a_report_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "audit.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the report keeps its mode
    assert sorted(os.listdir(real.parent)) == ["audit.json"]


@pytest.mark.parametrize("name", ["a" * 250 + ".json", "检" * 83 + ".json"], ids=["255-bytes", "chinese-254-bytes"])
def test_an_output_name_of_up_to_255_bytes_is_written(tmp_path: Path, name: str) -> None:
    assert 247 <= len(os.fsencode(name)) <= 255
    target = tmp_path / name
    result = run("audit", VIOLATIONS, "--format", "json", "-o", target)
    assert result.exit_code == 1, result.output
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["error"] > 0
    assert os.listdir(tmp_path) == [name]
    marked = tmp_path / ("b" * 250 + ".xlsx")
    result = run("audit", VIOLATIONS, "--annotate", marked, "--fail-on", "never")
    assert result.exit_code == 0 and load_workbook(marked).sheetnames[0] == "检查结果", result.output


def test_an_output_that_cannot_be_written_is_refused_before_the_audit(tmp_path: Path) -> None:
    blocking = tmp_path / "afile"
    blocking.write_text("", encoding="utf-8")
    for option in ("-o", "--annotate"):
        result = run("audit", VIOLATIONS, option, blocking / "report.xlsx")
        assert result.exit_code == 2 and "无法写入输出文件" in result.stderr, result.output
        assert str(blocking) in result.stderr and SUMMARY not in result.stderr and "标注副本" not in result.stderr
        no_traceback(result)
    units = tmp_path / "units"
    units.mkdir()
    ledger(units / "a.xlsx")
    result = run("scan", units, "-o", blocking / "scan.json")
    assert result.exit_code == 2 and "无法写入输出文件" in result.stderr and "已检查" not in result.stderr
    folder = tmp_path / "folder.json"
    folder.mkdir()
    result = run("audit", VIOLATIONS, "-o", tmp_path / "folder.json" / ".." / "folder.json")
    assert result.exit_code == 2 and "是文件夹" in result.stderr and SUMMARY not in result.stderr


def test_output_and_annotate_may_not_name_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "same.xlsx"
    result = run("audit", VIOLATIONS, "-o", target, "--annotate", target)
    assert result.exit_code == 2 and "--annotate" in result.stderr and not target.exists()


# ---------------------------------------------------------------- part 6: SARIF of sheet-level locations


def test_sarif_of_an_unrecognized_sheet_and_a_sheet_level_problem_is_valid(tmp_path: Path) -> None:
    workbook = ledger(tmp_path / "extra.xlsx", 备忘=[["随便写写", "其他"], ["一", "二"]],
                      组织生活=[["完全", "不认识"], ["的", "表头"]])
    result = run("audit", workbook, "--format", "sarif", "--fail-on", "never")
    assert result.exit_code in (0, 2), result.output
    no_traceback(result)
    log = json.loads(result.stdout)
    validator = jsonschema.Draft4Validator(sarif_schema())
    assert [e.message for e in validator.iter_errors(log)] == []
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    names = {loc["name"] for note in notes for place in note.get("locations", [])
             for loc in place.get("logicalLocations", [])}
    assert "备忘" in names  # the sheet as a whole


# ---------------------------------------------------------------- part 6: the marked-up copy


def _marked(tmp_path: Path, workbook: Path) -> tuple[Result, Path, Path]:
    copy, report = tmp_path / "marked.xlsx", tmp_path / "report.json"
    result = run("audit", workbook, "--annotate", copy, "-o", report, "--fail-on", "never")
    no_traceback(result)
    return result, copy, report


def _excel_accepts(copy: Path) -> list[str]:
    """The copy's sheet names, after checking what Excel checks and openpyxl does not."""
    book = load_workbook(copy)
    for name in book.sheetnames:
        assert 0 < len(name) <= MAX_TITLE and not set(name) & set("\\/?*[]:"), name
        assert not name.startswith("'") and not name.endswith("'") and name.lower() != "history", name
        assert re.search("_x[0-9A-Fa-f]{4}_", name) is None, name  # Excel would read an escaped character
    with zipfile.ZipFile(copy) as archive:
        for part in archive.namelist():
            text = archive.read(part).decode("utf-8", "replace")
            if part.startswith("xl/worksheets/") or part.startswith("xl/comments"):
                assert "_x0000_" not in text.replace("_x005F_x0000_", ""), part
    return book.sheetnames


def _texts(book_path: Path, sheet: str = "检查结果") -> str:
    book = load_workbook(book_path)
    return "\n".join(str(c.value) for row in book[sheet].iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("text", ["lesson_x0001_", "lesson_x001B_", "lesson_x0000_"], ids=["control", "escape", "nul"])
def test_control_characters_and_escapes_in_the_ledger_make_a_valid_copy(tmp_path: Path, text: str) -> None:
    """calamine reads `_x001B_` in an .xlsx as ESC and `_x0000_` as NUL; the findings quoting them used to stop
    openpyxl (IllegalCharacterError) and with it the command and its -o report."""
    plain = ledger(tmp_path / "plain.xlsx", 组织生活=[MEETING_HEADER, *MEETING_ROWS,
                                                   ["B01", "lessonMARK", dt.date(2025, 6, 10), 3, 3]])
    workbook = replaced(plain, tmp_path / "ledger.xlsx", "lessonMARK", text)
    result, copy, report = _marked(tmp_path, workbook)
    assert result.exit_code == 0, result.output
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]
    _excel_accepts(copy)
    assert "\\x" in _texts(copy)  # the control character spelled out in the findings list


def test_more_columns_than_a_sheet_may_have_still_gives_a_copy(tmp_path: Path) -> None:
    plain = ledger(tmp_path / "plain.xlsx", 备注=[["note"]])

    def wide(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet4.xml":  # 18,302 cells without addresses in the first row
            end = data.index(b"</row>")
            return data[:end] + b"<c/>" * 18_300 + b'<c t="inlineStr"><is><t>far</t></is></c>' + data[end:]
        return data

    result, copy, report = _marked(tmp_path, rewritten(plain, tmp_path / "wide.xlsx", wide))
    assert result.exit_code == 0 and report.exists(), result.output
    assert "超出 Excel 行列范围" in result.stderr and "只含数值" in result.stderr
    assert _excel_accepts(copy) == ["检查结果", "组织", "党员", "组织生活", "备注"]


def test_a_sheet_openpyxl_cannot_parse_gives_a_copy_of_the_values(tmp_path: Path) -> None:
    plain = ledger(tmp_path / "plain.xlsx", 备注=[["note"]])
    damaged = rewritten(plain, tmp_path / "damaged.xlsx",
                        lambda name, data: data[: len(data) // 2] if name == "xl/worksheets/sheet4.xml" else data)
    result, copy, report = _marked(tmp_path, damaged)
    assert result.exit_code in (0, 2) and report.exists(), result.output  # 2: the damaged sheet is an input error
    assert "只含数值" in result.stderr and "无法写出标注副本" not in result.stderr
    assert _excel_accepts(copy)[:4] == ["检查结果", "组织", "党员", "组织生活"]


@pytest.mark.parametrize("name", ["a/b*[c]?:d", "x_x001B_y", "一二三四五六七八九十" * 4, "'引号'", "History"],
                         ids=["forbidden", "escape", "long", "quotes", "reserved"])
def test_ods_sheet_names_excel_refuses_are_changed_in_the_copy(tmp_path: Path, name: str) -> None:
    workbook = ods(tmp_path / "ledger.ods", [*base_sheets(), (name, [["随便", "写写"], [1, 2]])])
    result, copy, report = _marked(tmp_path, workbook)
    assert result.exit_code == 0 and report.exists(), result.output
    names = _excel_accepts(copy)
    assert len(names) == 5 and names[:4] == ["检查结果", "组织", "党员", "组织生活"]


def test_a_renamed_sheet_is_still_marked_and_linked(tmp_path: Path) -> None:
    """The roster named with a slash: its cells are marked on the copy's renamed sheet and linked from the list."""
    members = [MEMBER_HEADER, *[list(r) for r in MEMBER_ROWS]]
    members[2][2] = "不是日期"  # 李娜's birth date: an input problem on 党员/名册!C3
    sheets = [("组织", [ORG_HEADER, ORG_ROW]), ("党员/名册", members), ("组织生活", [MEETING_HEADER, *MEETING_ROWS])]
    result, copy, _report = _marked(tmp_path, ods(tmp_path / "ledger.ods", sheets))
    assert result.exit_code == 2, result.output  # an unreadable cell
    book = load_workbook(copy)
    assert "党员_名册" in book.sheetnames
    assert book["党员_名册"]["C3"].comment is not None
    links = [c.hyperlink.location for row in book["检查结果"].iter_rows() for c in row if c.hyperlink]
    assert "'党员_名册'!C3" in links


def test_a_failing_copy_never_costs_the_report(tmp_path: Path, monkeypatch) -> None:
    import ledgercheck.app.annotate as annotate

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("openpyxl says no")

    monkeypatch.setattr(annotate, "write_annotated", broken)
    copy, report = tmp_path / "marked.xlsx", tmp_path / "report.json"
    result = run("audit", VIOLATIONS, "--annotate", copy, "-o", report, "--fail-on", "never")
    assert result.exit_code == 2
    assert "无法写出标注副本" in result.stderr and "openpyxl says no" in result.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["error"] > 0
    assert result.stderr.index(SUMMARY) < result.stderr.index("无法写出标注副本")
    no_traceback(result)


def test_a_sheet_the_reader_cannot_read_is_left_out_of_a_rebuilt_copy(tmp_path: Path, monkeypatch) -> None:
    from ledgercheck.ingest import workbook
    from ledgercheck.ingest.copy import copy_of

    real = workbook.Workbook.sheet

    def sheet(self: workbook.Workbook, name: str) -> workbook.SheetData:
        if name == "备注":
            raise workbook.SheetUnreadable(name, "damaged")
        return real(self, name)

    monkeypatch.setattr(workbook.Workbook, "sheet", sheet)
    copy = copy_of(ods(tmp_path / "ledger.ods", [*base_sheets(), ("备注", [["随便"]])]))
    assert copy.book.sheetnames == ["组织", "党员", "组织生活"] and copy.dropped == ("unreadable-sheets",)


def test_excel_values_and_titles() -> None:
    assert excel_value("a_x0000_b\x01\x00") == "a_x005F_x0000_b_x0001_\ufffd"
    taken: set[str] = set()
    assert [excel_title(n, taken) for n in ["党员", "党员", "a" * 40, "a" * 40, "", "x_x0041_"]] == [
        "党员", "党员 (2)", "a" * 31, "a" * 27 + " (2)", "Sheet", "x-x0041_"]


# ---------------------------------------------------------------- part 6: two sheets of one name


def test_two_sheets_named_alike_in_one_workbook_are_refused(tmp_path: Path) -> None:
    members = [MEMBER_HEADER, *MEMBER_ROWS]
    sheets = [("组织", [ORG_HEADER, ORG_ROW]), ("党员", members[:3]), ("党员", [MEMBER_HEADER, members[3]]),
              ("组织生活", [MEETING_HEADER, *MEETING_ROWS])]
    workbook = ods(tmp_path / "dup.ods", sheets)
    result = run("audit", workbook)
    assert result.exit_code == 2 and "2张同名的工作表「党员」" in result.stderr, result.output
    no_traceback(result)
    result = run("scan", workbook, "--format", "json")
    row = json.loads(result.stdout)["files"][0]
    assert row["status"] == "unreadable" and "同名" in row["error"]


def test_two_workbooks_of_one_ledger_each_with_a_roster_are_both_read(tmp_path: Path) -> None:
    from tests.malformed.generate import _book

    folder = tmp_path / "ledger"
    folder.mkdir()
    _book({"组织": [ORG_HEADER, ORG_ROW], "党员": [MEMBER_HEADER, *MEMBER_ROWS[:2]],
           "组织生活": [MEETING_HEADER, *MEETING_ROWS]}).save(folder / "a.xlsx")
    _book({"党员": [MEMBER_HEADER, MEMBER_ROWS[2]]}).save(folder / "b.xlsx")
    result = CliRunner().invoke(main, ["inspect", str(folder), "--format", "json", "--no-config"])
    assert result.exit_code == 0, result.output
    rosters = {(Path(s["file"]).name, s["records"]) for s in json.loads(result.stdout)["sheets"] if s["name"] == "党员"}
    assert rosters == {("a.xlsx", 2), ("b.xlsx", 1)}
