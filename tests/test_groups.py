"""Repeated findings as one: one rule about one subject in several periods is one problem in every report."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.common.i18n import Text
from ledgercheck.findings.finding import Finding, Subject, fingerprint
from ledgercheck.findings.groups import group_findings, person
from ledgercheck.findings.severity import Severity
from ledgercheck.model.periods import Period, Unit
from tests.ledgers import VIOLATIONS, cli


def finding(rule: str, who: str, month: int | None, kind: str = "member") -> Finding:
    period = Period(2025, Unit.MONTH, month) if month else None
    subject = Subject(kind, f"{who}/{period.label}" if kind == "dues" and period else who,
                      f"{who} {period.label}" if kind == "dues" and period else who)
    return Finding(rule, Text("党员应按月交纳党费", "monthly dues"), Severity.WARNING, "B01", "第一党支部", subject, period,
                   None, Text(f"{who}没有{month}月的记录", f"{who}: nothing for {month}"), Text("依据", "basis"), {},
                   fingerprint(rule, "B01", subject, period))


def test_a_members_months_are_one_group_that_names_the_member() -> None:
    findings = [finding("DUES-MONTHLY", "张三", m) for m in (7, 8, 9)] + [finding("DUES-MONTHLY", "李四", 8)]
    groups = group_findings(findings)
    assert [g.count for g in groups] == [3, 1]
    assert groups[0].message("zh") == "张三：党员应按月交纳党费——2025年7月至2025年9月，共3期"
    assert groups[0].labels("zh") == "2025-07 ~ 2025-09（共3期）" and groups[0].example("zh") == "例：张三没有7月的记录"
    assert groups[1].message("zh") == "李四没有8月的记录" and groups[1].example("zh") is None  # one finding: its own
    assert groups[0].fingerprints == [f.fingerprint for f in findings[:3]]  # baselines still match each period


def test_dues_rows_group_by_payer_and_gaps_are_listed() -> None:
    rows = [finding("DUES-BRACKET-AMOUNT", "郑丽", m, kind="dues") for m in (3, 5, 8, 9, 11)]
    [group] = group_findings(rows)
    assert person(rows[0]) == ("郑丽", "郑丽") and not group.run
    assert group.span("zh") == "2025年3月、2025年5月、2025年8月、2025年9月等" and group.count == 5


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B"]), st.sampled_from(["张三", "李四", "王五"]),
                          st.one_of(st.none(), st.integers(1, 12))), max_size=30))
def test_grouping_keeps_every_finding_once_in_order(items: list[tuple[str, str, int | None]]) -> None:
    findings = [finding(rule, who, month) for rule, who, month in items]
    groups = group_findings(findings)
    flat = [f for g in groups for f in g.findings]
    assert sorted(map(id, flat)) == sorted(map(id, findings))  # nothing lost, nothing twice
    for group in groups:
        keys = {(f.rule_id, person(f)[0]) for f in group.findings}
        assert len(keys) == 1 and (group.count == 1 or all(f.period for f in group.findings))
    firsts = {id(g.first) for g in groups}
    assert [id(g.first) for g in groups] == [id(f) for f in findings if id(f) in firsts]  # in first-finding order


def test_every_output_lists_a_series_once() -> None:
    import json

    doc = json.loads(cli("audit", VIOLATIONS, "--format", "json").stdout)
    series = [g for g in doc["groups"] if g["count"] > 1]
    assert series and len(doc["groups"]) == len(doc["findings"]) - sum(g["count"] - 1 for g in series)
    dues = next(g for g in series if g["rule"] == "DUES-MONTHLY")
    assert dues["message"].startswith(dues["subject"]["label"])  # names the member
    table = cli("audit", VIOLATIONS).stdout
    rows = table.split("各规则的问题数")[0]  # the counts per rule at the end name it once more
    assert rows.count("DUES-MONTHLY") == len([g for g in doc["groups"] if g["rule"] == "DUES-MONTHLY"])
