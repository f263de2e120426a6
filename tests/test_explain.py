"""`ledgercheck explain`: regulation, what the rule checks, parameters and fix, in both languages."""

from __future__ import annotations

import pytest

from tests.test_cli import CJK, assert_one_line_error, run


def test_explain_shows_citation_rationale_parameters_and_fix(national) -> None:
    result = run("explain", "MEET-COMMITTEE-MONTHLY")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for fragment in ("支部委员会会议一般每月召开1次", "《中国共产党支部工作条例（试行）》第十二条", "条文已核对",
                     "检查内容", "党支部委员会会议一般每月召开1次", "参数", "activity", "支部委员会", "period", "month",
                     "per", "org（默认）", "怎样改正", "在「组织生活」表补录", "设有支部委员会"):
        assert fragment in out, fragment
    assert out.index("依据") < out.index("检查内容") < out.index("参数") < out.index("怎样改正")


def test_explain_in_english(national) -> None:
    out = run("explain", "term-election-overdue", "--lang", "en").stdout  # ids are case-insensitive
    assert "Regulations on the Work of Party Branches (Trial), Art. 21" in out
    assert "How to fix a finding" in out and "max_deferral_years" in out and "longest approved deferral" in out
    assert "Party branch: 3" in out
    body = out.replace("换届", "")  # the tag is data, not UI text
    assert not CJK.search(body), [line for line in body.splitlines() if CJK.search(line)]


def test_explain_notes_inferred_articles_and_unverified_practice(national) -> None:
    out = run("explain", "MEET-PARTY-LECTURE").stdout
    assert "条文编号系根据前后条文推断" in out and "没有规定支部党课的全国频次" in out
    assert "提示" in out  # advisory by default
    practice = run("explain", "REC-MEMBER-COMPLETE").stdout
    assert "未引用具体条文" in practice and "id_number（身份证号）" in practice


def test_explain_input_codes(national) -> None:
    out = run("explain", "INPUT-BAD-DATE").stdout
    assert "无法识别为日期" in out and "2024年3月5日" in out
    assert "Write the date" in run("explain", "INPUT-BAD-DATE", "--lang", "en").stdout


@pytest.mark.parametrize(("typed", "suggested"), [("MEET-COMITTEE-MONTHLY", "MEET-COMMITTEE-MONTHLY"),
                                                  ("TERM", "TERM-ELECTION-OVERDUE"),
                                                  ("org-branch-max-5", "ORG-BRANCH-MAX-50")])
def test_unknown_rule_suggests_close_ids(typed: str, suggested: str) -> None:
    line = assert_one_line_error(run("explain", typed), suggested, "--list")
    assert line.startswith("用法错误")
    assert_one_line_error(run("explain", typed, "--lang", "en"), "did you mean", suggested)


def test_explain_list_and_missing_id(national) -> None:
    listing = run("explain", "--list")
    assert listing.exit_code == 0
    assert all(rule_id in listing.stdout for rule_id in national.rules)
    assert_one_line_error(run("explain"), "--list")


def test_explain_uses_the_given_pack(tmp_path, national) -> None:
    pack = tmp_path / "local"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: local\nversion: '1'\nextends: national\n"
                                    "overrides:\n  MEET-PARTY-LECTURE: {severity: error, check: {period: month}}\n",
                                    encoding="utf-8")
    out = run("explain", "MEET-PARTY-LECTURE", "--rules", pack).stdout
    assert "规则包：local" in out and "级别：错误" in out
    assert "period" in out and "month" in out


def test_every_parameter_of_every_kind_has_a_meaning() -> None:
    from ledgercheck.checks import KINDS
    from ledgercheck.checks.base import meaning
    from ledgercheck.common.spec import fields_of

    for name, kind in KINDS.items():
        for attribute in fields_of(kind.params):
            if attribute != "kind":
                text = meaning(kind.params, attribute)
                assert text is not None and text.zh and text.en, (name, attribute)


def test_dues_brackets_and_durations_read_as_people_write_them() -> None:
    text = run("explain", "DUES-BRACKET-AMOUNT").stdout
    assert "≤3000 0.5%" in text and "以上 2%" in text and "6个月" in text and "'rate'" not in text
