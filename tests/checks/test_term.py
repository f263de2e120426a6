"""The term kind: due dates, overrides, legacy terms, deferrals."""

from __future__ import annotations

import datetime as dt

from ledgercheck.checks import term
from ledgercheck.model.records import Election
from tests.checks.helpers import branch, scope

D = dt.date


def run(org, as_of, **params):
    return list(term.evaluate(term.Params.model_validate(dict(kind="term", **params)), scope(org, as_of)))


def test_due_exactly_on_anniversary_is_not_overdue() -> None:
    org = branch(elected_on=D(2022, 6, 15))
    assert run(org, D(2025, 6, 15)) == []
    [violation] = run(org, D(2025, 6, 16))
    assert violation.evidence["days_overdue"] == 1


def test_leap_day_election_falls_due_on_feb_28() -> None:
    [violation] = run(branch(elected_on=D(2024, 2, 29)), D(2027, 3, 1))
    assert violation.evidence["due"] == D(2027, 2, 28)


def test_legacy_term_applies_only_before_the_cutoff() -> None:
    params = {"legacy_term_years": {"党支部": 2}}
    old = branch(elected_on=D(2018, 3, 1))
    [violation] = run(old, D(2020, 3, 2), **params)
    assert violation.evidence["term_years"] == 2
    new = branch(elected_on=D(2018, 8, 1))
    assert run(new, D(2020, 8, 2), **params) == []


def test_org_term_years_beats_legacy_and_default() -> None:
    org = branch(elected_on=D(2018, 3, 1), term_years=4)
    assert run(org, D(2022, 2, 28), legacy_term_years={"党支部": 2}) == []


def test_unknown_org_type_in_table_is_not_judged() -> None:
    assert run(branch(elected_on=D(2010, 1, 1)), D(2025, 1, 1), term_years={"党委": 5}) == []


def test_latest_election_in_the_elections_sheet_wins() -> None:
    org = branch(elected_on=D(2019, 1, 1))
    elections = [Election(org_id="B01", date=D(2022, 1, 10)), Election(org_id="B01", date=D(2030, 1, 1))]
    result = list(term.evaluate(term.Params.model_validate(dict(kind="term")), scope(org, D(2025, 1, 9), elections=elections)))
    assert result == []  # elected 2022-01-10; the future-dated row is ignored


def test_deferral_before_the_term_started_is_ignored() -> None:
    org = branch(elected_on=D(2021, 1, 1), deferral_until=D(2020, 12, 1))
    [violation] = run(org, D(2024, 1, 2))
    assert violation.evidence["deferral_until"] is None


def test_deferral_excess_reports_only_beyond_the_limit() -> None:
    org = branch(elected_on=D(2021, 1, 1), deferral_until=D(2025, 1, 1))
    assert run(org, D(2024, 6, 1), report="deferral_excess") == []
    org = branch(elected_on=D(2021, 1, 1), deferral_until=D(2025, 1, 2))
    [violation] = run(org, D(2024, 6, 1), report="deferral_excess")
    assert violation.evidence["deadline"] == D(2025, 1, 1)


def test_half_year_deferral_limit_parameter() -> None:
    org = branch(elected_on=D(2021, 1, 1), deferral_until=D(2024, 12, 31))
    [violation] = run(org, D(2024, 7, 2), max_deferral_years=0.5)
    assert violation.evidence["deadline"] == D(2024, 7, 1)
