"""Rule packs that cannot be trusted: YAML only through the safe loader, expressions compiled at load, a
crashing check isolated and named, a rule whose expression fails on a row reported as a rule-pack problem."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledgercheck.cli import main
from tests.conftest import SAMPLE_AS_OF, SAMPLES

VIOLATIONS = SAMPLES / "violations.xlsx"
MANIFEST = 'name: hostile\nversion: "1"\ntitle: {zh: 测试, en: test}\nextends: national\n'


def pack(folder: Path, rules: str, manifest: str = MANIFEST) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(manifest, "utf-8")
    (folder / "local.yaml").write_text(rules, "utf-8")
    return folder


def expression_rule(require: str, rule_id: str = "LOCAL-EXPR") -> str:
    return f"""rules:
  - id: {rule_id}
    title: {{zh: 表达式, en: expression}}
    severity: warning
    source: {{regulation: PRACTICE}}
    check:
      kind: expression
      sheet: members
      require: "{require}"
    message: {{zh: "{{subject}}", en: "{{subject}}"}}
"""


def audit(*args: object) -> Result:
    result = CliRunner().invoke(main, ["audit", str(VIOLATIONS), "--as-of", SAMPLE_AS_OF, "--no-config",
                                       *(str(a) for a in args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_an_expression_that_does_not_compile_is_a_pack_error_with_its_line(tmp_path: Path) -> None:
    folder = pack(tmp_path / "p", expression_rule("joined_on <<< 3"))
    result = audit("--rules", folder)
    assert result.exit_code == 2 and result.stdout == ""
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]  # then the expression with a caret under the error
    assert "规则包错误" in first and "local.yaml 第9行" in first and "<<<" in result.stderr, result.stderr


def test_an_unknown_variable_is_caught_at_load(tmp_path: Path) -> None:
    result = audit("--rules", pack(tmp_path / "p", expression_rule("salary > 3")), "--lang", "en")
    assert result.exit_code == 2 and "local.yaml:9" in result.stderr and "salary" in result.stderr


@pytest.mark.parametrize("check, zh, en", [
    ("{kind: timeline, sheet: recruits, from: applied_onx, to: activist_on, min: {months: 6}}",
     "「发展党员」表（recruits）没有字段 'applied_onx'", "unknown field 'applied_onx' of sheet 'recruits'"),
    ("{kind: fields, sheet: members}", "请给出 required（必填的列）", "give `required` fields"),
    ("{kind: expression, sheet: members, require: 'salary > 3'}", "中有未知的变量 salary", "unknown variable(s)"),
])
def test_a_bad_parameter_is_explained_in_the_users_language(tmp_path: Path, check: str, zh: str, en: str) -> None:
    rules = (f"rules:\n  - id: LOCAL-BAD\n    title: {{zh: 坏, en: bad}}\n    severity: warning\n"
             f"    source: {{regulation: PRACTICE}}\n    check: {check}\n    message: {{zh: 坏, en: bad}}\n")
    folder = pack(tmp_path / "p", rules)
    chinese, english = audit("--rules", folder), audit("--rules", folder, "--lang", "en")
    assert chinese.exit_code == english.exit_code == 2
    assert zh in chinese.stderr and en not in chinese.stderr, chinese.stderr
    assert en in english.stderr and zh not in english.stderr, english.stderr


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    """A Python tag in a pack is refused; nothing it names is ever run."""
    marker = tmp_path / "pwned"
    rules = f"rules: !!python/object/apply:os.system ['touch {marker}']\n"
    result = audit("--rules", pack(tmp_path / "p", rules))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "规则包错误" in result.stderr and "local.yaml 第1行" in result.stderr and "不允许的标签" in result.stderr
    assert not marker.exists()


def test_a_crashing_check_is_named_and_the_other_rules_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from ledgercheck.checks import KINDS

    def crash(params: object, scope: object) -> None:
        raise ZeroDivisionError("division by zero in the check")

    monkeypatch.setitem(KINDS, "frequency", dataclasses.replace(KINDS["frequency"], evaluate=crash))
    result = audit("--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    crashed = {c["rule"] for c in doc["internal_errors"]}
    assert "MEET-COMMITTEE-MONTHLY" in crashed
    assert all(c["cause"] == "bug" and "ZeroDivisionError" in c["error"] for c in doc["internal_errors"])
    assert {f["rule"]["id"] for f in doc["findings"]} - crashed  # other rules' findings are still there
    assert "Traceback" not in result.output

    table = audit()
    assert table.exit_code == 2 and "Traceback" not in table.output
    assert "内部错误" in table.stdout and "MEET-COMMITTEE-MONTHLY (frequency)" in table.stdout
    debug = audit("--debug")
    assert "Traceback" in debug.stderr and "ZeroDivisionError" in debug.stderr


def test_an_expression_failing_on_a_row_is_a_rule_pack_problem(tmp_path: Path) -> None:
    """Comparing a missing date with a string fails on the rows without one: the rule is at fault, and says so."""
    folder = pack(tmp_path / "p", expression_rule("full_on > '2000-01-01'", "LOCAL-FAILS-ON-ROWS"))
    result = audit("--rules", folder, "--format", "json", "--lang", "en")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    errors = [c for c in doc["internal_errors"] if c["rule"] == "LOCAL-FAILS-ON-ROWS"]
    assert errors and all(c["cause"] == "rule" for c in errors)
    assert "a problem of the rule pack" in errors[0]["error"] and "党员!" in errors[0]["error"]
    assert any(f["rule"]["id"] == "MEET-COMMITTEE-MONTHLY" for f in doc["findings"])
    table = audit("--rules", folder)
    assert "规则错误（规则包的问题" in table.stdout and "请报告" not in table.stdout.split("规则错误")[1]
