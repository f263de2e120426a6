"""The dues and continuity kinds: brackets and rounding, missing months, runs of unpaid or absent months."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from ledgercheck.checks import continuity, dues
from ledgercheck.model.periods import Period, Unit
from ledgercheck.model.records import DuesPayment, Meeting, Member
from tests.checks.helpers import branch, scope

D = dt.date
NATIONAL = {"在职": {"brackets": [{"up_to": 3000, "rate": 0.005}, {"up_to": 5000, "rate": 0.01},
                                {"up_to": 10000, "rate": 0.015}, {"rate": 0.02}]}}


def month(label: str) -> Period:
    return Period.parse(label)


def member(**values) -> Member:
    return Member(**({"name": "张三", "org_id": "B01", "member_kind": "正式党员", "person_kind": "在职",
                      "joined_on": D(2010, 1, 1)} | values))


def paid(label: str, **values) -> DuesPayment:
    return DuesPayment(**({"name": "张三", "org_id": "B01", "month": month(label), "paid": 10.0} | values))


def test_bracket_boundaries_and_half_up_rounding() -> None:
    p = dues.Params.model_validate(dict(kind="dues", report="amount", tables=NATIONAL))
    rows = [paid("2025-01", base=3000, due=15, paid=15), paid("2025-02", base=3001, due=30.01, paid=30.01),
            paid("2025-03", base=10001, due=200.02, paid=200.02), paid("2025-04", base=1001, due=5.01, paid=6)]
    assert list(dues.evaluate(p, scope(branch(), D(2025, 6, 1), members=[member()], dues=rows))) == []
    wrong = [paid("2025-01", base=3001, due=15.0, paid=15.0)]
    [v] = dues.evaluate(p, scope(branch(), D(2025, 6, 1), members=[member()], dues=wrong))
    assert v.evidence["expected"] == 30.01


@pytest.mark.parametrize("tables", [{"在职": {"brackets": [{"up_to": 100, "rate": 0.1}]}}, {"干部": {"fixed": 1}},
                                    {"在职": {}}])
def test_bad_tables_are_rejected(tables) -> None:
    with pytest.raises(ValidationError):
        dues.Params.model_validate(dict(kind="dues", report="amount", tables=tables))


def test_missing_months_start_at_admission_and_end_before_the_current_month() -> None:
    p = dues.Params.model_validate(dict(kind="dues", report="missing"))
    s = scope(branch(), D(2025, 5, 20), since=D(2025, 1, 1), members=[member(joined_on=D(2025, 2, 14))],
              dues=[paid("2025-03")])
    assert [v.period.label for v in dues.evaluate(p, s)] == ["2025-02", "2025-04"]


def test_runs_pass_over_months_with_nothing_to_miss_and_end_at_a_month_attended() -> None:
    months = [Period(2025, Unit.MONTH, m) for m in range(1, 13)]
    state = {m: True for m in months} | {months[3]: None, months[8]: False}
    # April held no meeting: January–August is one run of 7 months missed; September was attended.
    assert [len(r) for r in continuity.runs(months, state)] == [7, 3]
    assert [r[0].number for r in continuity.runs(months, state)] == [1, 10]
    gap = [m for m in months if m.number != 6]  # June outside the member's months (not listed): the run ends
    assert [len(r) for r in continuity.runs(gap, {m: True for m in gap})] == [5, 6]


def test_continuity_of_dues_reports_one_finding_per_run() -> None:
    p = continuity.Params.model_validate(dict(kind="continuity", of="dues", months=3))
    rows = [paid(f"2025-{m:02d}") for m in (1, 5, 9)]
    s = scope(branch(), D(2026, 1, 10), since=D(2025, 1, 1), members=[member()], dues=rows)
    found = [(v.period.label, v.evidence["months"]) for v in continuity.evaluate(p, s)]
    assert found == [("2025-02", 3), ("2025-06", 3), ("2025-10", 3)]


def test_absence_counts_only_months_with_meetings_the_member_was_expected_at() -> None:
    p = continuity.Params.model_validate(dict(kind="continuity", of="attendance", months=2))
    meetings = [Meeting(org_id="B01", kind=("主题党日",), date=D(2025, 1, 15), absentees=("张三",)),
                Meeting(org_id="B01", kind=("党小组会",), group="二组", date=D(2025, 2, 20)),
                Meeting(org_id="B01", kind=("主题党日",), date=D(2025, 2, 15), absentees=("张三",)),
                Meeting(org_id="B01", kind=("支部委员会",), date=D(2025, 3, 5))]
    s = scope(branch(), D(2025, 4, 10), since=D(2025, 1, 1), members=[member(group="一组")], meetings=meetings)
    [v] = continuity.evaluate(p, s)
    assert (v.period.label, v.evidence["months"], len(v.related)) == ("2025-01", 2, 0)


def test_unknown_activity_is_rejected() -> None:
    with pytest.raises(ValidationError):
        continuity.Params.model_validate(dict(kind="continuity", of="attendance", activities=["茶话会"]))
