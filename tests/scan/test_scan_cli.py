"""`ledgercheck scan`: every file accounted for, broken files as error rows, compliance, scores, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledgercheck.app.audit import audit_workbook
from ledgercheck.cli import main
from ledgercheck.findings.scan.summary import SCORE_WEIGHTS
from ledgercheck.scan.discover import natural_key
from tests.conftest import SAMPLE_AS_OF, SAMPLES
from tests.scan.conftest import UNITS

BROKEN = {"not-a-workbook.xlsx": "unreadable", "truncated.xlsx": "unreadable", "encrypted.xlsx": "unreadable",
          "no-orgs-sheet.xlsx": "unreadable", "bad-date.xlsx": "input_errors"}


def scan(*args: object) -> Result:
    return CliRunner().invoke(main, ["scan", *(str(a) for a in args), "--as-of", SAMPLE_AS_OF, "--quiet"])


def scan_json(*args: object) -> tuple[Result, dict]:
    result = scan(*args, "--format", "json")
    return result, json.loads(result.stdout)


@pytest.fixture(scope="module")
def units_report(units_dir: Path) -> tuple[Result, dict]:
    return scan_json(units_dir, "--jobs", 2)


@pytest.fixture(scope="module")
def samples_report(samples_dir: Path) -> tuple[Result, dict]:
    return scan_json(samples_dir)


def test_every_file_is_accounted_for(units_report: tuple[Result, dict], units_dir: Path) -> None:
    result, report = units_report
    expected = {f"unit-{i:05d}.xlsx" for i in range(1, UNITS + 1)} | set(BROKEN)
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert set(files) == expected  # no lock file, nothing from the hidden folder, nothing missing
    assert report["summary"]["files"] == len(expected) == report["summary"]["finished"]
    assert report["summary"]["not_finished"] == 0 and report["not_finished"] == []
    assert report["summary"]["ignored_files"] == 1
    assert sum(report["summary"]["status"].values()) == len(expected)
    for name, status in BROKEN.items():
        assert files[name]["status"] == status, (name, files[name])
    for name in expected - set(BROKEN):
        assert files[name]["status"] == "ok"
        assert files[name]["unit"] and files[name]["organizations"]
    assert result.exit_code == 2  # some files could not be used


def test_broken_files_say_why(units_report: tuple[Result, dict]) -> None:
    files = {Path(f["path"]).name: f for f in units_report[1]["files"]}
    assert "已加密" in files["encrypted.xlsx"]["error"]
    assert "文件不完整" in files["truncated.xlsx"]["error"]
    assert "其实是文本（如 CSV），扩展名却是 .xlsx" in files["not-a-workbook.xlsx"]["error"]
    assert "组织" in files["no-orgs-sheet.xlsx"]["error"]
    for name in ("encrypted.xlsx", "truncated.xlsx", "no-orgs-sheet.xlsx"):
        assert name not in files[name]["error"]  # the path has its own column
        assert files[name]["organizations"] == [] and files[name]["score"] is None
    bad_date = files["bad-date.xlsx"]
    # Read in part: its findings are listed, but it is neither scored nor ranked.
    assert bad_date["input_errors"] == 1 and bad_date["organizations"] and bad_date["findings"]
    assert bad_date["complete"] is False and bad_date["score"] is None and bad_date["rank"] is None


def test_paths_are_in_sorted_order_whatever_finished_first(units_report: tuple[Result, dict]) -> None:
    paths = [f["path"] for f in units_report[1]["files"]]
    assert paths == sorted(paths, key=natural_key)
    assert [natural_key(p) for p in ("单位2.xlsx", "单位10.xlsx")] == sorted(natural_key(p) for p in (
        "单位10.xlsx", "单位2.xlsx"))


def test_json_is_stable_across_runs_and_worker_counts(units_dir: Path,
                                                       units_report: tuple[Result, dict]) -> None:
    again = scan(units_dir, "--jobs", 1, "--format", "json")
    assert again.stdout == units_report[0].stdout


def test_compliance_rates_count_organizations(samples_report: tuple[Result, dict]) -> None:
    """clean: 4 branches with committees, all compliant; violations: 4 with committees, B01 missed May."""
    result, report = samples_report
    rules = {r["id"]: r for r in report["rules"]}
    committee = rules["MEET-COMMITTEE-MONTHLY"]
    assert (committee["orgs_judged"], committee["orgs_complying"], committee["compliance"]) == (8, 7, 0.875)
    assert committee["findings"] == 1
    general = rules["ORG-JG-GENERAL-BRANCH-50-100"]  # only violations' Z01 is a 党总支, and it is too small
    assert (general["orgs_judged"], general["orgs_complying"], general["compliance"]) == (1, 0, 0.0)
    assert result.exit_code == 1


def test_scores_follow_the_documented_formula(samples_report: tuple[Result, dict]) -> None:
    _result, report = samples_report
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert files["clean.xlsx"]["score"] == 100.0
    audit = audit_workbook(SAMPLES / "violations.xlsx", as_of=dt.date(2026, 1, 15))
    lost = Counter()
    for finding in audit.findings:
        lost[finding.org_id] += SCORE_WEIGHTS[finding.severity.value]
    judged = {org for orgs in audit.judged.values() for org in orgs}
    expected = round(sum(max(0.0, 100 - lost[o]) for o in judged) / len(judged), 1)
    assert files["violations.xlsx"]["score"] == expected < 100
    orgs = {o["org_id"]: o for o in files["violations.xlsx"]["organizations"]}
    assert orgs["B03"]["score"] == 100 - lost["B03"]
    assert files["clean.xlsx"]["rank"] == 1 and files["violations.xlsx"]["rank"] == 2
    assert report["summary"]["mean_score"] == round((100 + expected) / 2, 1)


def test_org_sizes_count_active_members(samples_report: tuple[Result, dict]) -> None:
    _result, report = samples_report
    sizes = report["org_sizes"]
    branches = dict(zip(sizes["bins"], sizes["by_type"]["党支部"]))
    # clean: 30, 28, 27, 25; violations: 26, 9, 12, 52, 3, 8 members
    assert branches == {"0–2": 0, "3–6": 1, "7–20": 3, "21–50": 5, "51–100": 1, ">100": 0}


def test_exit_codes(samples_dir: Path, tmp_path: Path, units_dir: Path) -> None:
    shutil.copyfile(SAMPLES / "clean.xlsx", tmp_path / "clean.xlsx")
    assert scan(tmp_path).exit_code == 0
    assert scan(samples_dir, "--fail-on", "never").exit_code == 0
    assert scan(units_dir / "broken").exit_code == 2


def test_table_names_every_file_that_could_not_be_audited(units_dir: Path) -> None:
    result = scan(units_dir / "broken")
    for name in BROKEN:
        assert name in result.stdout
    assert "无法读取" in result.stdout and "各项规定达标率" in result.stdout
    english = scan(units_dir / "broken", "--lang", "en")
    assert "unreadable" in english.stdout and "encrypted" in english.stdout


def test_globs_explicit_files_and_missing_files(tmp_path: Path, samples_dir: Path, monkeypatch) -> None:
    monkeypatch.chdir(samples_dir)
    result, report = scan_json("*.xlsx", "missing.xlsx", "clean.xlsx", "nothing-*.ods")
    paths = [f["path"] for f in report["files"]]
    assert paths == ["clean.xlsx", "missing.xlsx", "violations.xlsx"]  # clean.xlsx once
    missing = report["files"][1]
    assert missing["status"] == "unreadable" and "文件不存在" in missing["error"]
    assert report["summary"]["unmatched_patterns"] == ["nothing-*.ods"]


def test_no_workbooks_is_a_one_line_usage_error(tmp_path: Path) -> None:
    result = scan(tmp_path)
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1 and "没有找到" in result.stderr


def test_xlsx_needs_an_output_file(samples_dir: Path) -> None:
    result = scan(samples_dir, "--format", "xlsx")
    assert result.exit_code == 2 and "--output" in result.stderr


def test_output_format_follows_the_file_name(samples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.json"
    result = scan(samples_dir, "--output", out)
    assert result.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["kind"] == "scan"
    assert str(out) in result.stderr
    assert not list(tmp_path.glob(".*partial"))
