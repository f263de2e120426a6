"""The command line: exit codes, one-line errors, languages, JSON output, dates and rule-pack options."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledgercheck import __version__
from ledgercheck.cli import main
from ledgercheck.template.writer import write_workbook
from tests.conftest import ROOT, SAMPLE_AS_OF, SAMPLES
from tests.ledgers import PLANTED, national_rules, planted_counts

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")  # ideographs and CJK punctuation
CLEAN = SAMPLES / "clean.xlsx"
VIOLATIONS = SAMPLES / "violations.xlsx"
D = dt.date


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def audit(*args: object) -> Result:
    return run("audit", *args)


def audit_json(*args: object) -> tuple[Result, dict]:
    result = audit(*args, "--format", "json")
    return result, json.loads(result.stdout)


def assert_one_line_error(result: Result, *fragments: str) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr, no traceback; returns the line."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    line = result.stderr
    assert line.endswith("\n") and line.count("\n") == 1, repr(line)
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line.rstrip("\n")


# ---------------------------------------------------------------- workbooks and packs for the tests

ORG = {"org_id": "B01", "name": "第一党支部", "org_type": "党支部", "established": D(2020, 1, 1),
       "elected_on": D(2024, 6, 1), "secretary": "张三", "committee_size": 0}


def meetings_workbook(path: Path, meetings: list[dict], with_orgs: bool = True) -> Path:
    tables: dict[str, list[dict]] = {"meetings": meetings}
    if with_orgs:
        tables["orgs"] = [ORG]
    return write_workbook(path, tables)


THEME_DAYS = [{"org_id": "B01", "kind": "主题党日", "date": D(2025, m, 10)} for m in (1, 2, 3)]


def bad_date_workbook(tmp_path: Path) -> Path:
    """A meetings sheet whose third data row (Excel row 4) has an impossible date in column C."""
    rows = [dict(row) for row in THEME_DAYS]
    rows[2]["date"] = "2025年13月45日"
    return meetings_workbook(tmp_path / "bad-date.xlsx", rows)


def write_pack(folder: Path, manifest: str, rules: str | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    if rules is not None:
        (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    return folder


def disabling_pack(folder: Path, national, keep: set[str]) -> Path:
    """A pack extending national that disables every rule whose severity is not in `keep`."""
    off = [rule_id for rule_id, loaded in national.rules.items() if loaded.rule.severity.value not in keep]
    return write_pack(folder, "name: subset\nversion: '1'\nextends: national\ndisable:\n"
                      + "".join(f"  - {rule_id}\n" for rule_id in off))


BROKEN_RULES = """\
rules:
  - id: LOCAL-STUDY-MONTHLY
    title: {zh: 每月组织集中学习, en: Group study every month}
    severity: error
    source: {regulation: S-ZB}
    check:
      kind: frequency
      activity: [集中学习]
      period: fortnight
    message:
      zh: "{org}在{period}未组织集中学习"
      en: "{org} held no group study in {period}"
"""
BROKEN_LINE = next(n for n, line in enumerate(BROKEN_RULES.splitlines(), start=1) if "fortnight" in line)


# ---------------------------------------------------------------- exit codes


def test_clean_sample_exits_0() -> None:
    result = audit(CLEAN, "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    assert "未发现问题。" in result.stdout
    assert "汇总：5个组织" in result.stdout
    assert result.stderr == ""


def test_violations_sample_exits_1_and_lists_findings() -> None:
    result = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 1, result.output
    assert "ledgercheck 审计报告" in result.stdout
    assert "办公室党支部（B01）" in result.stdout
    assert "MEET-COMMITTEE-MONTHLY" in result.stdout and "组织!A3" in result.stdout
    assert "依据：《支部工作条例》第十二条" in result.stdout
    counts = planted_counts()
    assert (f"汇总：8个组织，{national_rules()}条规则；错误{counts['error']}条，警告{counts['warning']}条，"
            f"提示{counts['info']}条；输入问题：错误0个，注意0个。") in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_with_errors_present(fail_on: str, code: int) -> None:
    result = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--fail-on", fail_on)
    assert result.exit_code == code, result.output
    assert "MEET-COMMITTEE-MONTHLY" in result.stdout  # the report is printed whatever the exit code


def test_fail_on_thresholds_by_severity(tmp_path: Path, national) -> None:
    """Warnings (and below) only: `error` passes, `warning` fails; info only: `warning` passes, `info` fails."""
    no_errors = disabling_pack(tmp_path / "no-errors", national, {"warning", "info"})
    info_only = disabling_pack(tmp_path / "info-only", national, {"info"})
    codes = {}
    for name, pack in (("no_errors", no_errors), ("info_only", info_only)):
        for fail_on in ("error", "warning", "info", "never"):
            codes[name, fail_on] = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--rules", pack,
                                         "--fail-on", fail_on).exit_code
    assert codes == {("no_errors", "error"): 0, ("no_errors", "warning"): 1, ("no_errors", "info"): 1,
                     ("no_errors", "never"): 0,
                     ("info_only", "error"): 0, ("info_only", "warning"): 0, ("info_only", "info"): 1,
                     ("info_only", "never"): 0}


def test_fail_on_info_on_a_clean_ledger_exits_0() -> None:
    assert audit(CLEAN, "--as-of", SAMPLE_AS_OF, "--fail-on", "info").exit_code == 0


def test_fail_on_rejects_an_unknown_level() -> None:
    result = audit(CLEAN, "--as-of", SAMPLE_AS_OF, "--fail-on", "fatal")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--fail-on" in result.stderr


# ---------------------------------------------------------------- unusable input: one line, exit 2


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "missing.xlsx"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ledger.xlsx"
    folder.mkdir()
    return folder


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_text("组织编号,组织名称,组织类型\nB01,第一党支部,党支部\n", encoding="utf-8")
    return path


def _et(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.et"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return path


def _renamed_text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是工作簿 / not a workbook\n", encoding="utf-8")
    return path


def _no_orgs(tmp_path: Path) -> Path:
    return meetings_workbook(tmp_path / "no-orgs.xlsx", THEME_DAYS, with_orgs=False)


UNUSABLE = {
    "missing": (_missing, "文件不存在", "file not found"),
    "folder": (_folder, "文件夹", "folder with no workbooks"),
    "csv": (_csv, ".xlsx", "use an .xlsx workbook"),
    "et": (_et, "另存为", "Save As"),
    "renamed-text": (_renamed_text, "其实是文本", "is text"),
    "no-orgs": (_no_orgs, "「组织」表", "no organizations sheet"),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_unusable_workbook_gives_a_one_line_error(tmp_path: Path, case: str) -> None:
    build, zh, en = UNUSABLE[case]
    path = build(tmp_path)
    line = assert_one_line_error(audit(path, "--as-of", SAMPLE_AS_OF), zh)
    assert line.startswith(f"无法读取台账: {path}: ")
    line_en = assert_one_line_error(audit(path, "--as-of", SAMPLE_AS_OF, "--lang", "en"), en)
    assert line_en.startswith(f"cannot read ledger: {path}: ")
    assert not CJK.search(line_en), line_en  # the paths here are ASCII, so any Chinese would be UI text


def test_csv_and_et_messages_say_what_to_do(tmp_path: Path) -> None:
    csv_line = assert_one_line_error(audit(_csv(tmp_path), "--lang", "en"))
    assert "CSV" in csv_line and ".xlsx" in csv_line
    et_line = assert_one_line_error(audit(_et(tmp_path), "--lang", "en"))
    assert "WPS" in et_line and ".xlsx" in et_line
    et_zh = assert_one_line_error(audit(_et(tmp_path)))
    assert "WPS" in et_zh and "另存为" in et_zh and ".xlsx" in et_zh


def test_commands_named_in_advice_exist(tmp_path: Path) -> None:
    advised = set()
    for build in (_csv, _no_orgs):
        advised |= set(re.findall(r"`ledgercheck (\w+)", audit(build(tmp_path), "--lang", "en").stderr))
    assert advised  # the advice names a command …
    for command in sorted(advised):
        assert run(command, "--help").exit_code == 0, command  # … that exists


def test_broken_rule_pack_names_file_and_line(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "broken", "name: broken\nversion: '1'\nextends: national\n", BROKEN_RULES)
    where = f"{(pack / 'rules.yaml').resolve()}"
    line = assert_one_line_error(audit(CLEAN, "--as-of", SAMPLE_AS_OF, "--rules", pack),
                                 f"{where} 第{BROKEN_LINE}行")
    assert line.startswith("规则包错误: ")
    line_en = assert_one_line_error(audit(CLEAN, "--as-of", SAMPLE_AS_OF, "--rules", pack, "--lang", "en"),
                                    f"{where}:{BROKEN_LINE}: ", "period")
    assert line_en.startswith("rule pack error: ")
    assert not CJK.search(line_en), line_en


def test_unknown_rule_pack_name(tmp_path: Path) -> None:
    line = assert_one_line_error(audit(CLEAN, "--rules", "provincial-nowhere", "--lang", "en"), "provincial-nowhere")
    assert "national" in line  # lists the built-in packs


# ---------------------------------------------------------------- unreadable cells: findings plus exit 2


def test_unreadable_date_is_located_and_findings_are_still_printed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # a short relative path keeps the table's columns wide enough
    path = bad_date_workbook(tmp_path).name
    result = audit(path, "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "组织生活!C4" in result.stdout  # sheet, column letter and Excel row
    assert "无法识别为日期" in result.stdout and "2025年13月45日" in result.stdout
    assert "MEET-THEME-DAY-MONTHLY" in result.stdout  # the audit still ran
    assert "输入问题：错误1个" in result.stdout

    result_en = audit(path, "--as-of", SAMPLE_AS_OF, "--lang", "en")
    assert result_en.exit_code == 2
    assert "组织生活!C4" in result_en.stdout and "cannot read 2025年13月45日 as a date" in result_en.stdout
    assert "input problems: 1 errors" in result_en.stdout


def test_unreadable_date_in_json(tmp_path: Path) -> None:
    result, data = audit_json(bad_date_workbook(tmp_path), "--as-of", SAMPLE_AS_OF, "--lang", "en")
    assert result.exit_code == 2
    errors = [i for i in data["input_issues"] if i["level"] == "error"]
    assert len(errors) == 1 and data["summary"]["input_errors"] == 1
    issue = errors[0]
    assert issue["code"] == "INPUT-BAD-DATE"
    assert {k: issue["location"][k] for k in ("sheet", "row", "column")} == {"sheet": "组织生活", "row": 4,
                                                                            "column": "C"}
    assert "2025年13月45日" in issue["message"]
    assert data["findings"], "findings are reported alongside input errors"
    assert any(f["rule"]["id"] == "MEET-THEME-DAY-MONTHLY" for f in data["findings"])


# ---------------------------------------------------------------- languages


def test_lang_en_switches_the_report_to_english() -> None:
    zh = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF)
    en = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--lang", "en")
    assert en.exit_code == zh.exit_code == 1
    assert "ledgercheck audit report" in en.stdout
    counts = planted_counts()
    assert (f"Summary: 8 organizations, {national_rules()} rules; {counts['error']} errors, "
            f"{counts['warning']} warnings, {counts['info']} info") in en.stdout
    assert "Basis: Branch Regulations, Art. 12" in en.stdout
    assert "held no branch committee meeting in" in " ".join(en.stdout.split())  # the message column wraps
    for fixed in ("审计报告", "汇总", "依据", "截止日期", "级别", "说明", "错误", "警告", "提示"):
        assert fixed not in en.stdout, fixed
        assert fixed in zh.stdout, fixed


def test_lang_en_json_has_english_titles_and_messages() -> None:
    _result, data = audit_json(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--lang", "en")
    committee = next(f for f in data["findings"] if f["rule"]["id"] == "MEET-COMMITTEE-MONTHLY")
    assert committee["rule"]["title"] == "Branch committee meets every month"
    assert committee["citation"] == "Regulations on the Work of Party Branches (Trial), Art. 12"
    assert committee["message"] == "办公室党支部 held no branch committee meeting in 2025-05"
    assert committee["evidence"]["activity"] == ["branch committee meeting"]
    for finding in data["findings"]:
        assert not CJK.search(finding["rule"]["title"] + finding["citation"]), finding["rule"]["id"]
        # Only data (organization, group and person names, record labels) may be Chinese in English output.
        text = finding["message"]
        data_values = [finding["org_name"], finding["subject"]["label"],
                       *(v for v in finding["evidence"].values() if isinstance(v, str))]
        for value in sorted(data_values, key=len, reverse=True):
            text = text.replace(value, "")
        assert not CJK.search(text), finding["message"]


def test_lang_rejects_other_languages() -> None:
    result = audit(CLEAN, "--lang", "fr")
    assert result.exit_code == 2 and "--lang" in result.stderr


def test_as_of_error_is_english_with_lang_en() -> None:
    result = audit(CLEAN, "--lang", "en", "--as-of", "garbage")
    assert result.exit_code == 2
    assert "not a date" in result.stderr
    assert not CJK.search(result.stderr), result.stderr


def test_missing_sheet_notice_is_english_with_lang_en(tmp_path: Path) -> None:
    path = meetings_workbook(tmp_path / "no-members.xlsx", THEME_DAYS)
    _result, data = audit_json(path, "--as-of", SAMPLE_AS_OF, "--lang", "en")
    notices = [i for i in data["input_issues"] if i["code"] == "INPUT-MISSING-SHEET"]
    assert notices
    for notice in notices:
        assert not CJK.search(notice["message"]), notice["message"]


# ---------------------------------------------------------------- JSON

FINDING_KEYS = {"rule", "severity", "org_id", "org_name", "subject", "period", "location", "related", "message",
                "citation", "evidence", "fingerprint", "baseline_state", "waiver"}


def test_json_output_has_the_documented_shape() -> None:
    result, data = audit_json(VIOLATIONS, "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 1
    assert data["schema_version"] == "1.3"
    assert data["tool"] == {"name": "ledgercheck", "version": __version__}
    assert data["as_of"] == "2026-01-15"
    assert data["window"] == {"start": "2025-01-01", "end": "2026-01-15"}
    assert data["rule_packs"][0]["name"] == "national"
    summary = data["summary"]
    assert summary["findings"] == len(data["findings"]) == len(PLANTED)
    counts = planted_counts()
    assert (summary["error"], summary["warning"], summary["info"]) == (counts["error"], counts["warning"], counts["info"])
    assert summary["input_errors"] == 0 and summary["organizations"] == 8
    prints = [f["fingerprint"] for f in data["findings"]]
    assert len(set(prints)) == len(prints)
    for finding in data["findings"]:
        assert FINDING_KEYS <= set(finding), set(finding) ^ FINDING_KEYS
        assert set(finding["rule"]) >= {"id", "title"} and finding["rule"]["title"]
        assert finding["severity"] in {"error", "warning", "info"}
        assert set(finding["location"]) >= {"file", "sheet", "row", "column"}
        assert finding["location"]["file"] == str(VIOLATIONS)
        assert isinstance(finding["location"]["row"], int) and finding["location"]["row"] >= 2
        assert finding["message"] and finding["citation"].startswith("《")
        assert isinstance(finding["evidence"], dict)
        assert re.fullmatch(r"[0-9a-f]{20}(-\d+)?", finding["fingerprint"])
    committee = next(f for f in data["findings"] if f["rule"]["id"] == "MEET-COMMITTEE-MONTHLY")
    assert committee["period"] == "2025-05" and committee["org_id"] == "B01"
    assert {k: committee["location"][k] for k in ("sheet", "row", "column")} == {"sheet": "组织", "row": 3,
                                                                                "column": "A"}
    assert committee["evidence"] == {"activity": ["支部委员会"], "count": 0, "min": 1}


def test_json_is_byte_identical_across_runs() -> None:
    first = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--format", "json")
    second = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--format", "json")
    assert first.stdout_bytes == second.stdout_bytes
    assert first.stdout_bytes.endswith(b"\n")


def _subprocess(*args: str, seed: str = "0") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "ledgercheck", *args], capture_output=True, cwd=ROOT, env=env,
                          timeout=60, check=False)


def test_json_is_byte_identical_across_processes() -> None:
    """Separate interpreters with different hash seeds (set and dict ordering) give the same bytes."""
    args = ("audit", str(VIOLATIONS), "--as-of", SAMPLE_AS_OF, "--format", "json")
    one, two = _subprocess(*args, seed="1"), _subprocess(*args, seed="2")
    assert one.returncode == two.returncode == 1, one.stderr.decode()
    assert one.stdout == two.stdout
    assert one.stdout == audit(*args[1:]).stdout_bytes  # and the same as in-process
    assert json.loads(one.stdout)["summary"]["findings"] == len(PLANTED)


def test_python_m_ledgercheck_reports_errors_without_traceback(tmp_path: Path) -> None:
    proc = _subprocess("audit", str(tmp_path / "missing.xlsx"), "--lang", "en")
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert proc.stderr.decode() == f"cannot read ledger: {tmp_path / 'missing.xlsx'}: file not found\n"


# ---------------------------------------------------------------- dates and the window


def test_since_narrows_the_window() -> None:
    _r, full = audit_json(VIOLATIONS, "--as-of", SAMPLE_AS_OF)
    _r, narrow = audit_json(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--since", "2025-07-01")
    assert narrow["window"] == {"start": "2025-07-01", "end": "2026-01-15"}
    assert 0 < len(narrow["findings"]) < len(full["findings"])
    assert {f["fingerprint"] for f in narrow["findings"]} < {f["fingerprint"] for f in full["findings"]}
    # A back payment is judged when it was paid; its period is the (earlier) month the dues were for.
    # A period is judged when it ended inside the window: the months from July, and the year 2025.
    from ledgercheck.model.periods import Period

    periods = {f["period"] for f in narrow["findings"] if f["period"] and f["rule"]["id"] != "DUES-BACKPAY-MAX-6M"}
    assert periods and all(Period.parse(p).end >= dt.date(2025, 7, 1) for p in periods), periods
    assert "2025-05" in {f["period"] for f in full["findings"]}


@pytest.mark.parametrize("spelling", ["2026-01-15", "2026/1/15", "2026年1月15日", "2026.1.15", "20260115"])
def test_as_of_accepts_ledger_date_spellings(spelling: str) -> None:
    result, data = audit_json(CLEAN, "--as-of", spelling)
    assert result.exit_code == 0, result.output
    assert data["as_of"] == "2026-01-15"


@pytest.mark.parametrize("garbage", ["garbage", "2026-02-30", "15/01/2026x", ""])
def test_as_of_rejects_garbage(garbage: str) -> None:
    result = audit(CLEAN, "--as-of", garbage)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.stdout == ""
    assert "--as-of" in result.stderr and "2025-01-31" in result.stderr


def test_since_rejects_garbage() -> None:
    result = audit(CLEAN, "--as-of", SAMPLE_AS_OF, "--since", "last spring")
    assert result.exit_code == 2 and "--since" in result.stderr and "Traceback" not in result.output


# ---------------------------------------------------------------- version, help, rule packs


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ledgercheck, version {__version__}"


def test_python_m_ledgercheck_version() -> None:
    proc = _subprocess("--version")
    assert proc.returncode == 0 and proc.stdout.decode().strip() == f"ledgercheck, version {__version__}"


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and "audit" in result.stdout and "党建工作台账" in result.stdout


def test_audit_help_lists_options_and_exit_codes() -> None:
    result = run("audit", "--help")
    assert result.exit_code == 0
    for option in ("--as-of", "--since", "--format", "--lang", "--fail-on", "--rules", "--aliases"):
        assert option in result.stdout, option
    assert "exit codes" in result.stdout


def test_unknown_command() -> None:
    result = run("auditt", str(CLEAN))
    assert result.exit_code == 2 and "Traceback" not in result.output


LOCAL_PACK = """\
name: local
version: "2026.1"
extends: national
overrides:
  MEET-PARTY-LECTURE:
    severity: error
disable:
  - MEET-COMMITTEE-MONTHLY
"""


def test_rules_option_accepts_a_pack_folder(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "local", LOCAL_PACK)
    result, data = audit_json(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--rules", pack)
    assert result.exit_code == 1
    assert [p["name"] for p in data["rule_packs"]] == ["national", "local"]
    assert data["rule_packs"][1]["version"] == "2026.1"
    ids = [f["rule"]["id"] for f in data["findings"]]
    assert "MEET-COMMITTEE-MONTHLY" not in ids
    committee_findings = sum(1 for p in PLANTED if p["rule"] == "MEET-COMMITTEE-MONTHLY")
    assert data["summary"]["rules"] == national_rules() - 1  # the local pack disables one
    assert data["summary"]["findings"] == len(PLANTED) - committee_findings
    lecture = [f for f in data["findings"] if f["rule"]["id"] == "MEET-PARTY-LECTURE"]
    assert lecture and all(f["severity"] == "error" for f in lecture)
    # the table shows both packs in its header
    table = audit(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--rules", pack)
    assert "national 2026.11, local 2026.1" in table.stdout


def test_rules_option_accepts_a_pack_of_its_own(tmp_path: Path) -> None:
    manifest = ("name: own\nversion: '1'\nregulations:\n  S-ZB:\n"
                "    title: {zh: 中国共产党支部工作条例（试行）, en: Branch Regulations}\n")
    rules = BROKEN_RULES.replace("fortnight", "month").replace("集中学习", "主题党日")
    pack = write_pack(tmp_path / "own", manifest, rules)
    result, data = audit_json(bad_date_workbook(tmp_path), "--as-of", SAMPLE_AS_OF, "--rules", pack,
                              "--lang", "en")
    assert data["summary"]["rules"] == 1
    assert {f["rule"]["id"] for f in data["findings"]} == {"LOCAL-STUDY-MONTHLY"}
    assert all(f["citation"] == "Branch Regulations" for f in data["findings"])
    assert result.exit_code == 2  # the unreadable date still makes the input unusable


def test_a_window_starting_after_the_audit_date_is_refused() -> None:
    result = run("audit", VIOLATIONS, "--as-of", "2026-01-15", "--since", "2027-01-01")
    assert result.exit_code == 2 and "晚于截止日期" in result.stderr and "Traceback" not in result.output


def test_a_window_starting_before_the_ledgers_records_says_so() -> None:
    _r, doc = audit_json(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--since", "2023-01-01")
    warning = [i for i in doc["input_issues"] if i["code"] == "INPUT-WINDOW-BEFORE-DATA"]
    assert len(warning) == 1 and warning[0]["level"] == "warning"
    assert "2023-01-01" in warning[0]["message"] and "2025-01-01" in warning[0]["message"]  # where the data begins
    _r, doc = audit_json(VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--since", "2025-01-01")
    assert not [i for i in doc["input_issues"] if i["code"] == "INPUT-WINDOW-BEFORE-DATA"]


@pytest.mark.parametrize("lang, said", [("zh", "已中断（Ctrl-C）"), ("en", "interrupted (Ctrl-C)")])
def test_ctrl_c_during_an_audit_exits_130_and_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str,
                                                      said: str) -> None:
    """Ctrl-C while a ledger is audited: exit 130 with a line in the user's language, as the docs promise, not
    click's "Aborted!" and 1 (which a pipeline would read as findings), and no half-written report."""
    from ledgercheck.app.context import Context

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Context, "judge", interrupted)
    output = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["audit", str(SAMPLES / "violations.xlsx"), "--as-of", SAMPLE_AS_OF, "--lang",
                                       lang, "--format", "json", "--output", str(output)])
    assert result.exit_code == 130, result.output
    assert said in result.stderr and "Aborted" not in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
