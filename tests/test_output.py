"""--output writes atomically and never over the workbook; several workbooks at once; the format list."""

from __future__ import annotations

import json
import os

import pytest
from openpyxl import load_workbook

from ledgercheck.cli.audit import FORMATS
from ledgercheck.fileio.atomic import Protected, write_atomic
from ledgercheck.reporters import REGISTRY, formats
from tests.ledgers import CLEAN, VIOLATIONS, cli, copy_sample


def test_every_text_reporter_of_an_audit_is_a_format_and_every_reporter_can_be_loaded() -> None:
    assert FORMATS == formats("audit", binary=False) == ("table", "json", "sarif", "junit", "csv", "markdown", "html")
    for entry in REGISTRY:
        assert callable(entry.write), entry


def test_output_replaces_the_file_and_leaves_no_temporary(tmp_path) -> None:
    target = tmp_path / "reports" / "audit.json"  # the folder is created
    result = cli("audit", VIOLATIONS, "--format", "json", "--output", target)
    assert result.exit_code == 1 and result.stdout == ""
    assert "汇总：" in result.stderr  # the summary goes to stderr, the report to the file
    first = target.read_bytes()
    cli("audit", CLEAN, "--format", "json", "--output", target)
    assert target.read_bytes() != first
    assert os.listdir(target.parent) == ["audit.json"]
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)


def test_output_never_overwrites_the_workbook(tmp_path) -> None:
    ledger = copy_sample(tmp_path)
    before = ledger.read_bytes()
    result = cli("audit", ledger, "--format", "csv", "--output", ledger)
    assert result.exit_code == 2 and "--output" in result.stderr and ledger.read_bytes() == before
    result = cli("audit", ledger, "--output", tmp_path / "." / "ledger.xlsx")
    assert result.exit_code == 2 and ledger.read_bytes() == before


def test_a_protected_file_is_found_however_its_path_is_written(tmp_path) -> None:
    """What a scan's notices are checked against, each in constant time: the file itself, a link to it, a hard link,
    the path written another way; a path that does not exist yet is protected as written too."""
    ledger = copy_sample(tmp_path)
    later = tmp_path / "later.xlsx"  # not written yet
    guard = Protected([ledger, later, *(tmp_path / f"other-{i}.xlsx" for i in range(2000))])
    (tmp_path / "link.xlsx").symlink_to(ledger)
    os.link(ledger, tmp_path / "hard.xlsx")
    for same in (ledger, tmp_path / "link.xlsx", tmp_path / "hard.xlsx", tmp_path / "." / ledger.name,
                 tmp_path / "sub" / ".." / ledger.name):
        assert guard.clash(same) == ledger, same
    assert guard.clash(tmp_path / "." / "later.xlsx") == later
    assert guard.clash(tmp_path / "notice.docx") is None
    with pytest.raises(Exception, match="overwrite"):
        write_atomic(tmp_path / "hard.xlsx", b"x", guard)
    assert ledger.read_bytes()[:2] == b"PK"


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch) -> None:
    target = tmp_path / "audit.json"
    target.write_text("old", encoding="utf-8")

    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(Exception, match="cannot write"):
        write_atomic(target, b"new")
    assert target.read_text(encoding="utf-8") == "old" and os.listdir(tmp_path) == ["audit.json"]


def test_several_workbooks_are_one_ledger_and_two_units_are_refused(tmp_path) -> None:
    """Several files are one unit's ledger; two units' ledgers (the same organizations twice) are refused."""
    result = cli("audit", CLEAN, VIOLATIONS)
    assert result.exit_code == 2 and "不同单位" in result.stderr and "scan" in result.stderr
    missing = cli("audit", CLEAN, tmp_path / "missing.xlsx")
    assert missing.exit_code == 2 and "missing.xlsx" in missing.stderr


def test_machine_formats_on_stdout_are_utf8_bytes() -> None:
    result = cli("audit", VIOLATIONS, "--format", "csv")
    assert result.stdout_bytes.startswith("\ufeff组织编号".encode())


def test_a_folder_of_one_units_workbooks_audits_like_the_single_workbook(tmp_path) -> None:
    """The sample split into one workbook per sheet, given as a folder: the same findings, each in its own file."""
    folder = tmp_path / "台账"
    folder.mkdir()
    for name in load_workbook(VIOLATIONS).sheetnames:
        book = load_workbook(VIOLATIONS)
        for other in [s for s in book.sheetnames if s != name]:
            book.remove(book[other])
        book.save(folder / f"{name}.xlsx")

    def findings(*args: object) -> list[tuple[str, str, str, str]]:
        result = cli("audit", *args, "--as-of", "2026-01-15", "--format", "json")
        assert result.exit_code == 1, result.stderr
        report = json.loads(result.stdout)
        assert report["input_issues"] == []
        for f in report["findings"]:
            location = f["location"]
            if location and location.get("sheet"):
                assert location["file"].endswith(f"{location['sheet']}.xlsx") or args[0] == VIOLATIONS
        return sorted(
            (f["rule"]["id"], f["org_id"], f["period"] or "", f["subject"]["key"]) for f in report["findings"]
        )

    assert findings(folder) == findings(VIOLATIONS)


def test_a_units_folder_holding_a_workbook_without_a_suffix_reads_it(tmp_path) -> None:
    """A download that lost its name's end, beside a note: the workbook is read (and said), the note is not."""
    folder = tmp_path / "第三支部"
    folder.mkdir()
    (folder / "台账").write_bytes(VIOLATIONS.read_bytes())
    (folder / "说明").write_text("今年的台账", encoding="utf-8")
    result = cli("audit", folder, "--as-of", "2026-01-15", "--format", "json")
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert [i["code"] for i in report["input_issues"]] == ["INPUT-RENAMED-WORKBOOK"]
    assert "台账" in report["input_issues"][0]["message"]
    plain = json.loads(cli("audit", VIOLATIONS, "--as-of", "2026-01-15", "--format", "json").stdout)
    assert len(report["findings"]) == len(plain["findings"]) > 0


def test_the_output_files_suffix_chooses_the_format_unless_format_is_given(tmp_path) -> None:
    for name, start in (("r.html", "<!DOCTYPE html>"), ("r.json", "{"), ("r.md", "#"), ("r.txt", "ledgercheck")):
        assert cli("audit", VIOLATIONS, "-o", tmp_path / name).exit_code == 1
        assert (tmp_path / name).read_text("utf-8").lstrip("\ufeff").startswith(start), name
    cli("audit", VIOLATIONS, "--format", "csv", "-o", tmp_path / "forced.json")
    assert (tmp_path / "forced.json").read_text("utf-8").startswith("\ufeff组织编号")
