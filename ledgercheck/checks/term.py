"""`term`: elections due by organization type, approved deferrals, and pre-2018 legacy terms.

The current term starts at the latest of 本届选举日期 and the elections sheet (or, failing both,
the establishment date). It is due `term_years` later; `orgs.term_years` overrides the default,
and a term that began before `legacy_cutoff` uses `legacy_term_years` (the transition clause of the
2018 opinion on terms). A deferral approved by the higher organization postpones the deadline by at
most `max_deferral_years`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from ledgercheck.checks.base import KindParams, Scope, Violation
from ledgercheck.model.records import Org
from ledgercheck.model.periods import add_years

KIND = "term"
EVIDENCE = frozenset({"elected_on", "term_years", "due", "deadline", "days_overdue", "deferral_until",
                      "max_deferral_years"})

DEFAULT_TERMS = {"机关党委": 5, "党委": 5, "党总支": 3, "党支部": 3}


Years = Annotated[int, Field(ge=1, le=100)]  # bounded: dates are computed from them


class Params(KindParams):
    kind: Literal["term"]
    report: Literal["overdue", "deferral_excess"] = "overdue"
    term_years: dict[str, Years] = Field(default_factory=lambda: dict(DEFAULT_TERMS))
    legacy_term_years: dict[str, Years] = Field(default_factory=dict)
    legacy_cutoff: dt.date = dt.date(2018, 7, 12)
    max_deferral_years: float = Field(default=1, ge=0, le=100)


def requires(params: Params) -> list[tuple[str, str | None]]:
    return [("orgs", None)]


def term_start(scope: Scope) -> dt.date | None:
    held = [e.date for e in scope.ledger.elections_by_org.get(scope.org.org_id, ()) if e.date <= scope.as_of]
    candidates = [d for d in (scope.org.elected_on, *held) if d is not None]
    if candidates:
        return max(candidates)
    return scope.org.established


def term_length(params: Params, org: Org, start: dt.date) -> int | None:
    if org.term_years:
        return org.term_years
    table = params.term_years
    if start < params.legacy_cutoff and params.legacy_term_years:
        table = {**table, **params.legacy_term_years}
    return table.get(org.org_type, table.get(org.base_type))


@dataclass(frozen=True, slots=True)
class TermDates:
    """When the current term began and when its election is due (shared with `remind`)."""

    start: dt.date
    years: int
    due: dt.date  # start + term
    limit: dt.date  # due + the longest deferral allowed
    deferral: dt.date | None  # approved deferral, if it belongs to this term

    @property
    def deadline(self) -> dt.date:
        """The date by which the election must be held: the due date, or the approved deferral up to the limit."""
        return max(self.due, min(self.deferral, self.limit)) if self.deferral else self.due


def term_dates(params: Params, scope: Scope) -> TermDates | None:
    org = scope.org
    start = term_start(scope)
    if start is None:
        return None
    years = term_length(params, org, start)
    if years is None:
        return None
    due = add_years(start, years)
    deferral = org.deferral_until if org.deferral_until and org.deferral_until > start else None
    return TermDates(start, years, due, add_years(due, params.max_deferral_years), deferral)


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    org = scope.org
    dates = term_dates(params, scope)
    if dates is None:
        return
    evidence: dict[str, object] = {"elected_on": dates.start, "term_years": dates.years, "due": dates.due,
                                   "deferral_until": dates.deferral, "max_deferral_years": params.max_deferral_years}
    if params.report == "deferral_excess":
        if dates.deferral is not None and dates.deferral > dates.limit:
            yield Violation(scope.org_subject(), org.at("deferral_until"), {**evidence, "deadline": dates.limit})
        return
    if scope.as_of > dates.deadline:
        evidence |= {"deadline": dates.deadline, "days_overdue": (scope.as_of - dates.deadline).days}
        yield Violation(scope.org_subject(), org.at("elected_on") or scope.org_location, evidence)
