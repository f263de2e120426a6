"""Files that name the same unit: each is audited and ranked, every report says which they are, and the history
keeps each one (test_history.py checks the order of arrival does not matter)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import python_calamine
from click.testing import CliRunner, Result

from ledgercheck.cli import main
from ledgercheck.findings.scan.history import History
from tests.conftest import SAMPLE_AS_OF, SAMPLES


def _scan(*args: object) -> Result:
    return CliRunner().invoke(main, ["scan", *(str(a) for a in args), "--as-of", SAMPLE_AS_OF, "--quiet"])


def test_a_unit_sent_twice_is_named_in_every_report_and_kept_twice_in_the_history(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # files shown as inbox/a.xlsx: one line each in the terminal
    inbox = Path("inbox")
    inbox.mkdir()
    shutil.copyfile(SAMPLES / "violations.xlsx", inbox / "a.xlsx")
    shutil.copyfile(SAMPLES / "violations.xlsx", inbox / "a（修改后）.xlsx")
    shutil.copyfile(SAMPLES / "clean.xlsx", inbox / "b.xlsx")

    report = json.loads(_scan(inbox, "--format", "json", "--history", tmp_path / "h.db").stdout)
    files = {Path(f["path"]).name: f for f in report["files"]}
    unit = files["a.xlsx"]["unit"]
    assert unit == files["a（修改后）.xlsx"]["unit"] != files["b.xlsx"]["unit"]
    [same] = report["summary"]["same_name_units"]
    assert same["unit"] == unit and [Path(p).name for p in same["files"]] == ["a.xlsx", "a（修改后）.xlsx"]

    with History(tmp_path / "h.db") as history:
        kept = history.units(1)
    assert sorted(kept) == sorted([f"{unit}（{same['files'][0]}）", f"{unit}（{same['files'][1]}）",
                                   files["b.xlsx"]["unit"]])

    table = _scan(inbox).output
    assert "以下文件的单位名称相同" in table
    assert f"{unit}: inbox/a.xlsx、inbox/a（修改后）.xlsx" in table, table[-800:]
    assert "These files name the same unit" in _scan(inbox, "--lang", "en").output

    out = tmp_path / "out"
    out.mkdir()
    assert _scan(inbox, "-o", out / "r.xlsx").exit_code == 1
    rows = python_calamine.CalamineWorkbook.from_path(str(out / "r.xlsx")).get_sheet_by_name("单位").to_python()
    notes = {Path(r[-1]).name: r[-2] for r in rows[1:]}
    assert notes["a.xlsx"].endswith("a（修改后）.xlsx的单位名称相同") and notes["b.xlsx"] == ""
    assert _scan(inbox, "-o", out / "r.html").exit_code == 1
    page = (out / "r.html").read_text(encoding="utf-8")
    assert re.search(r"与\S*a\.xlsx的单位名称相同", page) and re.search(r"与\S*a（修改后）\.xlsx的单位名称相同", page)


def test_no_note_when_every_unit_has_one_file(tmp_path: Path) -> None:
    for name in ("clean.xlsx", "violations.xlsx"):
        shutil.copyfile(SAMPLES / name, tmp_path / name)
    report = json.loads(_scan(tmp_path, "--format", "json").stdout)
    assert report["summary"]["same_name_units"] == []
    assert "单位名称相同" not in _scan(tmp_path).output
