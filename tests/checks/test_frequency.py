"""The frequency kind: counting per period, per group, and what is not judged."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from ledgercheck.checks import frequency
from ledgercheck.model.periods import Period, Unit
from ledgercheck.model.records import Meeting, Member
from tests.checks.helpers import branch, scope

D = dt.date


def params(**changes):
    return frequency.Params.model_validate({"kind": "frequency", "activity": "支部委员会", "period": "month"} | changes)


def test_min_two_per_quarter_counts_each_meeting() -> None:
    meetings = [Meeting(org_id="B01", kind=("支部党员大会",), date=D(2025, 1, 10)),
                Meeting(org_id="B01", kind=("支部党员大会",), date=D(2025, 3, 10)),
                Meeting(org_id="B01", kind=("支部党员大会",), date=D(2025, 4, 10))]
    result = list(frequency.evaluate(params(activity="支部党员大会", period="quarter", min=2),
                                     scope(branch(), D(2025, 7, 1), D(2025, 1, 1), meetings=meetings)))
    assert [(v.period, v.evidence["count"]) for v in result] == [(Period(2025, Unit.QUARTER, 2), 1)]


def test_meeting_without_date_counts_for_nothing() -> None:
    meetings = [Meeting(org_id="B01", kind=("支部委员会",), date=None)]
    result = list(frequency.evaluate(params(), scope(branch(), D(2025, 2, 1), D(2025, 1, 1), meetings=meetings)))
    assert [v.period.label for v in result] == ["2025-01"]


def test_groups_of_members_who_left_are_not_judged() -> None:
    members = [Member(name="甲", org_id="B01", member_kind="正式党员", group="一组", status="转出")]
    result = list(frequency.evaluate(params(activity="党小组会", per="group"),
                                     scope(branch(), D(2025, 2, 1), D(2025, 1, 1), members=members)))
    assert result == []


def test_unknown_activity_is_refused_at_load() -> None:
    with pytest.raises(ValidationError, match="unknown activity"):
        params(activity="支部委员")


def test_activity_list_counts_any_of_them() -> None:
    meetings = [Meeting(org_id="B01", kind=("组织生活会",), date=D(2025, 6, 1))]
    result = list(frequency.evaluate(params(activity=["组织生活会", "民主评议党员"], period="year"),
                                     scope(branch(), D(2026, 1, 2), D(2025, 1, 1), meetings=meetings)))
    assert result == []
