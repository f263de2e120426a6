"""The malformed-workbook corpus (tests/malformed/generate.py): every file gives its expected exit code, input
issues with their cells, or one-line message — never a traceback — and `scan` accounts for every file."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledgercheck.cli import main
from ledgercheck.scan.discover import CANDIDATES
from tests.conftest import SAMPLE_AS_OF
from tests.malformed.generate import CASES, Case, copy_into


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_into(tmp_path_factory.mktemp("malformed"))


def audit(path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["audit", str(path), "--format", "json", "--fail-on", "never",
                                     "--as-of", SAMPLE_AS_OF, "--no-config", *args])


def _matches(issue: dict, where: str | None) -> bool:
    location = issue["location"]
    if where is None:
        return location["sheet"] is None
    sheet, _, cell = where.partition("!")
    if location["sheet"] != sheet:
        return False
    return not cell or f"{location['column'] or ''}{location['row'] or ''}" == cell


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(corpus: Path, case: Case) -> None:
    result = audit(corpus / case.name, *case.args)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == case.exit, (result.exit_code, result.stderr)
    if case.fragments:  # unusable as a whole: one line naming the file, nothing on stdout
        assert result.stdout == ""
        line = result.stderr
        assert line.count("\n") == 1 and case.name in line, line
        for fragment in case.fragments:
            assert fragment in line, (fragment, line)
        return
    doc = json.loads(result.stdout)
    issues = doc["input_issues"]
    for code, where in case.issues:
        assert any(i["code"] == code and _matches(i, where) for i in issues), (code, where, issues)
    expected = sorted(code for code, _where in case.issues)
    assert sorted(i["code"] for i in issues) == expected, issues  # nothing unexpected either
    assert (case.exit == 2) == any(i["level"] == "error" for i in issues)
    for sheet in doc["sheets"]:  # nothing is lost: every row read is a record or a reported skip
        assert sheet["rows"] == sheet["records"] + sheet["skipped"], sheet


def test_the_rest_of_the_workbook_is_audited(corpus: Path) -> None:
    """A sheet that cannot be read is reported; the organizations and the other sheets are still audited."""
    for name in ("far-cell.xlsx", "damaged-sheet.xlsx", "error-cells.xlsx"):
        doc = json.loads(audit(corpus / name).stdout)
        assert doc["summary"]["organizations"] == 1
        assert doc["organizations"][0]["rules"], name  # rules were judged for the branch
        read = {s["name"]: s for s in doc["sheets"]}
        assert read["组织"]["records"] == 1


def test_an_unreadable_required_value_skips_the_row(corpus: Path) -> None:
    doc = json.loads(audit(corpus / "error-in-required.xlsx").stdout)
    members = next(s for s in doc["sheets"] if s["name"] == "党员")
    assert (members["records"], members["skipped"]) == (2, 1)
    assert doc["input_issues"][0]["message"].endswith("该行未读入")


def test_messages_in_english(corpus: Path) -> None:
    result = audit(corpus / "formula-no-value.xlsx", "--lang", "en")
    message = json.loads(result.stdout)["input_issues"][0]["message"]
    assert "no saved result" in message and "=DATE(1980,1,1)" in message
    result = audit(corpus / "far-cell-orgs.xlsx", "--lang", "en")
    assert "beyond the limit max-rows=500,000" in result.stderr and "sheet 组织" in result.stderr


def test_scan_accounts_for_every_file(corpus: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["scan", str(corpus), "--as-of", SAMPLE_AS_OF, "--quiet", "--jobs", "1",
                                       "--format", "json", "--output", str(report)])
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    files = {Path(f["path"]).name: f for f in json.loads(report.read_text("utf-8"))["files"]}
    workbooks = {c.name for c in CASES if Path(c.name).suffix in CANDIDATES}
    assert set(files) == workbooks
    for case in CASES:
        if case.name not in files or case.args:  # scan has no --fail-on never; limits are per case
            continue
        status = files[case.name]["status"]
        if case.fragments:
            assert status == "unreadable" and all(f in files[case.name]["error"] for f in case.fragments)
        elif case.exit == 2:
            assert status == "input_errors", (case.name, status)
        else:
            assert status == "ok", (case.name, status)


def test_every_input_code_is_documented_with_its_level() -> None:
    from ledgercheck.model.issues import CATALOG, INPUT_FIXES
    from tests.conftest import ROOT

    table = (ROOT / "docs" / "output.md").read_text("utf-8").split("## Input problems")[1].split("\n## ")[0]
    for code in CATALOG:
        assert f"`{code}`" in table, code
        assert code in INPUT_FIXES, code


# What the page's reader cannot do: an option, or a command of the command line.
COMMAND_LINE = re.compile(r"--[a-z]|ledgercheck (?:template|inspect|audit|scan|explain|serve|remind|history|rules|diff)\b")


def test_the_web_page_words_no_advice_of_the_command_line() -> None:
    """Every input problem's message and fix, as the web page shows them: no option, no command. The page's own
    wordings keep the command line's placeholders (the same params fill both)."""
    from ledgercheck.model.issues import CATALOG, INPUT_FIXES, WEB_FIXES, WEB_MESSAGES, input_fix, input_message

    assert set(WEB_MESSAGES) <= set(CATALOG) and set(WEB_FIXES) <= set(INPUT_FIXES)
    for code, template in CATALOG.items():
        web = input_message(code, "web")
        for lang in ("zh", "en"):
            assert not COMMAND_LINE.search(web(lang)), (code, lang)
            fix = input_fix(code, "web")
            assert fix is not None and not COMMAND_LINE.search(fix(lang)), (code, lang)
            names = {n for _, n, _, _ in string.Formatter().parse(template(lang)) if n} - {"hint"}
            assert names == {n for _, n, _, _ in string.Formatter().parse(web(lang)) if n} - {"web_hint"}, code
    # And the command line keeps its own advice where the page words it otherwise.
    assert all(COMMAND_LINE.search(CATALOG[code]("zh")) for code in WEB_MESSAGES if code != "INPUT-UNKNOWN-SHEET")
