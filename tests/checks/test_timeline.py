"""The timeline kind: calendar bounds, pending steps, lookups across sheets, birth dates from ID numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ledgercheck.checks import timeline
from ledgercheck.checks.base import gap_text
from ledgercheck.common.i18n import Text
from ledgercheck.model.records import Member, Recruit
from tests.checks.helpers import branch, scope

D = dt.date


def params(**values):
    return timeline.Params.model_validate({"kind": "timeline", "sheet": "recruits", **values})


def run(p, as_of=D(2025, 12, 31), **records):
    return list(timeline.evaluate(p, scope(branch(), as_of, since=D(2025, 1, 1), **records)))


def recruit(**values):
    return Recruit(name="张三", org_id="B01", **values)


def test_month_end_clipping_jan_31_plus_one_month() -> None:
    p = params(**{"from": "applied_on", "to": "talked_on", "max": {"months": 1}})
    assert run(p, recruits=[recruit(applied_on=D(2025, 1, 31), talked_on=D(2025, 2, 28))]) == []
    [v] = run(p, recruits=[recruit(applied_on=D(2025, 1, 31), talked_on=D(2025, 3, 1))])
    assert v.evidence["limit"] == D(2025, 2, 28) and v.evidence["days"] == 1


@given(st.dates(D(2000, 1, 1), D(2030, 12, 31)), st.integers(0, 40))
def test_min_bound_is_exactly_calendar_months(start: dt.date, months: int) -> None:
    p = params(**{"from": "activist_on", "to": "candidate_on", "min": {"months": months}})
    limit = timeline.Duration(months=months).after(start)
    at_limit = run(p, as_of=D(2031, 1, 1), recruits=[recruit(activist_on=start, candidate_on=limit)])
    assert at_limit == []
    early = run(p, as_of=D(2031, 1, 1), recruits=[recruit(activist_on=start, candidate_on=limit - dt.timedelta(days=1))])
    assert (len(early) == 1) == (limit - dt.timedelta(days=1) >= D(2025, 1, 1))


def test_pending_is_judged_only_when_asked() -> None:
    rows = [recruit(admitted_on=D(2025, 1, 10))]
    skip = params(**{"from": "admitted_on", "to": "approved_on", "max": {"months": 3}})
    judge = params(**{"from": "admitted_on", "to": "approved_on", "max": {"months": 3}, "pending": "judge"})
    assert run(skip, as_of=D(2025, 6, 1), recruits=rows) == []
    [v] = run(judge, as_of=D(2025, 6, 1), recruits=rows)
    assert v.evidence["problem"].en.startswith("still not done")
    assert run(judge, as_of=D(2025, 4, 10), recruits=rows) == []


def test_ignore_beyond_leaves_long_gaps_to_another_rule() -> None:
    p = params(**{"from": "admitted_on", "to": "approved_on", "max": {"months": 3}, "ignore_beyond": {"months": 6}})
    assert len(run(p, recruits=[recruit(admitted_on=D(2025, 1, 10), approved_on=D(2025, 7, 10))])) == 1
    assert run(p, recruits=[recruit(admitted_on=D(2025, 1, 10), approved_on=D(2025, 7, 11))]) == []


def test_birth_date_falls_back_to_the_id_number() -> None:
    p = params(**{"from": "birth_date", "to": "applied_on", "min": {"years": 18}})
    [v] = run(p, recruits=[recruit(id_number="110108200803071234", applied_on=D(2025, 10, 1))])
    assert v.evidence["from_date"] == D(2008, 3, 7)


def test_lookup_of_the_recruit_row_from_a_member_row() -> None:
    p = timeline.Params.model_validate({"kind": "timeline", "sheet": "members", "from": "joined_on", "to": "full_on",
                                        "min": {"years": 1}, "max": {"years": 1},
                                        "until_field": "recruit.extended_until"})
    member = Member(name="张三", org_id="B01", member_kind="正式党员", joined_on=D(2024, 5, 1), full_on=D(2025, 11, 1))
    assert len(run(p, members=[member])) == 1
    extended = recruit(admitted_on=D(2024, 5, 1), extended_until=D(2025, 11, 1))
    assert run(p, members=[member], recruits=[extended]) == []


@pytest.mark.parametrize("values", [
    {"from": "applied_on", "to": "nowhere", "max": {"months": 1}},
    {"from": "recruit.applied_on", "to": "talked_on", "max": {"months": 1}},
    {"from": "applied_on", "to": "talked_on"},
    {"from": "applied_on", "to": "talked_on", "max": {"months": -1}},
])
def test_bad_parameters_are_rejected(values) -> None:
    with pytest.raises(ValidationError):
        params(**values)


def test_a_gap_of_a_century_or_more_is_told_like_any_other() -> None:
    """A date typed a century off (1925 for 2025) gives a gap no rule parameter may be: it is still shown, not
    refused as an invalid Duration (the gap is computed, not a rule's parameter)."""
    assert gap_text(dt.date(1900, 1, 1), dt.date(2025, 3, 1)) == Text("125年2个月", "125 years, 2 months")
    assert gap_text(dt.date(2025, 3, 1), dt.date(1900, 1, 1)) == Text("-125年2个月", "-125 years, 2 months")
