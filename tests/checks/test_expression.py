"""The expression kind: CEL compiled at pack load, row variables, runtime errors reported with the row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from ledgercheck.checks import expression
from ledgercheck.common.errors import RulePackError
from ledgercheck.model.records import Election, Meeting, Recruit
from ledgercheck.rulebook.loader import load_rulebook
from tests.checks.helpers import branch, scope

D = dt.date


def params(**values):
    return expression.Params.model_validate({"kind": "expression", **values})


def run(p, as_of=D(2025, 12, 31), org=None, **records):
    return list(expression.evaluate(p, scope(org or branch(), as_of, since=D(2025, 1, 1), **records)))


def test_row_fields_org_fields_params_and_dates() -> None:
    p = params(sheet="meetings", when="'支部委员会' in kind && present != null",
               require="present * 2 >= org.committee_size && date >= '2025-01-01' && date <= as_of")
    rows = [Meeting(org_id="B01", kind=("支部委员会",), date=D(2025, 3, 5), present=p_) for p_ in (1, 2, None)]
    [v] = run(p, org=branch(committee_size=4), meetings=rows)
    assert v.evidence == {"kind": ["支部委员会"], "present": 1, "date": D(2025, 3, 5), "org_committee_size": 4}


def test_parameters_and_ternary_operator() -> None:
    source = "params.op == 'ge' ? present * 5 >= eligible * 4 : present * 5 > eligible * 4"
    row = [Election(org_id="B01", date=D(2025, 6, 1), eligible=20, present=16)]
    assert len(run(params(sheet="elections", require=source, params={"op": "gt"}), elections=row)) == 1
    assert run(params(sheet="elections", require=source, params={"op": "ge"}), elections=row) == []


def test_lists_and_date_helpers() -> None:
    p = params(sheet="recruits", require="size(sponsors) == 2 && sponsors.all(s, size(s) >= 2) && "
                                         "talked_on <= add_months(applied_on, 1) && months_between(applied_on, talked_on) == 1 && "
                                         "years_between(applied_on, talked_on) == 0 && days_between(applied_on, talked_on) < 60")
    ok = Recruit(name="张三", org_id="B01", sponsors=("李四", "王五"), applied_on=D(2025, 1, 31), talked_on=D(2025, 2, 28))
    late = Recruit(name="赵六", org_id="B01", sponsors=("李四", "王五"), applied_on=D(2025, 1, 31), talked_on=D(2025, 3, 1))
    assert [v.subject.label for v in run(p, recruits=[ok, late])] == ["赵六"]


def test_window_field_skips_history() -> None:
    p = params(sheet="elections", window="date", require="present > 100")
    rows = [Election(org_id="B01", date=D(2024, 6, 1), present=1), Election(org_id="B01", date=D(2025, 6, 1), present=1)]
    assert [v.subject.label for v in run(p, elections=rows)] == ["2025-06-01"]


@pytest.mark.parametrize(("source", "problem"), [
    ("present >", "syntax error"),
    ("presnt > 1", "unknown variable(s) ['presnt']"),
    ("eval(present)", "unknown function(s) ['eval']"),
])
def test_bad_expressions_fail_when_the_rule_loads(source: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        params(sheet="meetings", require=source)


def test_a_failing_expression_names_the_row_and_is_not_taken_as_false() -> None:
    p = params(sheet="meetings", require="present > 3")
    with pytest.raises(expression.ExpressionError, match="present > 3"):
        run(p, meetings=[Meeting(org_id="B01", kind=("主题党日",), date=D(2025, 3, 5))])
    with pytest.raises(expression.ExpressionError, match="not true or false"):
        run(params(sheet="meetings", require="present"), meetings=[Meeting(org_id="B01", kind=("主题党日",),
                                                                           present=3)])


def test_a_bad_expression_in_a_pack_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text("name: p\nversion: '1'\nregulations:\n  X: {title: {zh: 甲, en: X}}\n",
                                        encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(
        "rules:\n  - id: LOCAL-X\n    title: {zh: 甲, en: X}\n    severity: info\n    source: {regulation: X}\n"
        "    check:\n      kind: expression\n      sheet: meetings\n      require: \"present >> 1\"\n"
        "    message: {zh: 甲, en: X}\n", encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        load_rulebook(str(tmp_path))
    assert caught.value.location.line == 9
    assert "syntax error" in caught.value.message.en


def test_a_runtime_failure_is_an_internal_error_of_the_rule_not_a_finding(tmp_path: Path) -> None:
    from ledgercheck.engine.evaluate import audit
    from ledgercheck.model.ledger import Ledger
    from ledgercheck.model.periods import Window

    book = load_rulebook("national").select(["MEET-ASSEMBLY-VOTE-QUORUM"])
    ledger = Ledger("t.xlsx", [branch()], meetings=[Meeting(org_id="B01", kind=("支部党员大会",), date=D(2025, 3, 5),
                                                            expected=10, present=3)],
                    columns={"orgs": frozenset(), "meetings": frozenset({"date", "kind", "expected", "present"})})
    result = audit(ledger, book, Window(D(2025, 1, 1), D(2025, 12, 31)))
    assert [f.rule_id for f in result.findings] == ["MEET-ASSEMBLY-VOTE-QUORUM"] and not result.crashes


def _pack_with_message(tmp_path: Path, zh: str, en: str) -> Path:
    (tmp_path / "pack.yaml").write_text("name: p\nversion: '1'\nregulations:\n  X: {title: {zh: 甲, en: X}}\n",
                                        encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(
        "rules:\n  - id: LOCAL-X\n    title: {zh: 甲, en: X}\n    severity: info\n    source: {regulation: X}\n"
        "    check:\n      kind: expression\n      sheet: meetings\n      require: \"present >= params.least\"\n"
        "      params: {least: 3}\n"
        f"    message: {{zh: '{zh}', en: '{en}'}}\n", encoding="utf-8")
    return tmp_path


def test_a_message_names_only_what_the_rule_names(tmp_path: Path) -> None:
    """A field the expression does not name is not in the finding: naming it in the message fails at load."""
    with pytest.raises(RulePackError) as caught:
        load_rulebook(str(_pack_with_message(tmp_path, "{topic}：到会{present}人", "{topic}: {present} present")))
    assert "topic" in caught.value.message.en
    rulebook = load_rulebook(str(_pack_with_message(tmp_path, "到会{present}人，少于{least}人",
                                                    "{present} present, fewer than {least}")))
    assert "LOCAL-X" in rulebook.rules
