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

from ledgercheck.checks.base import Due, Duration, Kind, KindParams, Meaning, Scope, Violation
from ledgercheck.common.i18n import Text
from ledgercheck.common.spec import Constraint, Field
from ledgercheck.model.periods import add_years, latest
from ledgercheck.model.records import Org

EVIDENCE = frozenset({"elected_on", "term_years", "due", "deadline", "days_overdue", "deferral_until",
                      "max_deferral_years"})

DEFAULT_TERMS = {"机关党委": 5, "党委": 5, "党总支": 3, "党支部": 3}


Years = Annotated[int, Constraint(ge=1, le=100)]  # bounded: dates are computed from them


class Params(KindParams):
    kind: Literal["term"]
    report: Annotated[Literal["overdue", "deferral_excess"], Meaning(
        "报告逾期未换届（overdue）还是延期超限（deferral_excess）",
        "report overdue elections or excessive deferrals")] = "overdue"
    term_years: Annotated[dict[str, Years], Meaning(
        "各类组织每届任期（年）；「组织」表的任期年限优先",
        "term in years by organization type; the org's own term-years column wins")] = Field(
        default_factory=lambda: dict(DEFAULT_TERMS))
    legacy_term_years: Annotated[dict[str, Years], Meaning(
        "在 legacy_cutoff 之前换届的组织沿用的旧任期",
        "old terms for organizations elected before legacy_cutoff")] = Field(default_factory=dict)
    legacy_cutoff: Annotated[dt.date, Meaning(
        "新任期规定开始执行的日期（任期意见印发）",
        "date the current terms took effect (the terms opinion)")] = dt.date(2018, 7, 12)
    max_deferral_years: Annotated[float, Meaning(
        "经批准延期换届的最长年限",
        "longest approved deferral, in years")] = Field(default=1, ge=0, le=100)


def requires(params: Params) -> list[tuple[str, str | None]]:
    return [("orgs", None)]


def term_start(scope: Scope) -> dt.date | None:
    held = [e.date for e in scope.ledger.elections_by_org.get(scope.org.org_id, ()) if e.date <= scope.as_of]
    candidates = [d for d in (scope.org.elected_on, *held) if d is not None]
    if candidates:
        return max(candidates, key=latest)  # a month-only date (MonthDate) may stand for its month's last day
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
    # A term begun in a month the ledger names without its day (2022年6月) may have begun on its last day: the
    # election is not found overdue before the same month ends, years later.
    due = add_years(latest(start), years)
    deferral = org.deferral_until if org.deferral_until and org.deferral_until > start else None
    return TermDates(start, years, due, add_years(due, params.max_deferral_years), deferral)


# 支部工作条例: the higher organization reminds an organization six months before its term ends.
REMIND_LEAD = Duration(months=6)


def remind(params: Params, scope: Scope, until: dt.date) -> Iterator[Due]:
    """The election when the term ends by `until`, or within six months, whichever is later."""
    if params.report != "overdue":
        return
    dates = term_dates(params, scope)
    if dates is None or dates.deadline > max(until, REMIND_LEAD.after(scope.as_of)):
        return
    org = scope.org
    yield Due(dates.deadline, "term", org.name, _term_message(dates, scope.as_of),
              org.at("elected_on") or org.at("org_id"))


def _term_message(dates: TermDates, as_of: dt.date) -> Text:
    start, due, deadline = dates.start.isoformat(), dates.due.isoformat(), dates.deadline.isoformat()
    deferred = dates.deadline != dates.due
    zh = f"本届任期{dates.years}年（{start}选举产生），{due}届满" + (f"，经批准延期至{deadline}" if deferred else "")
    en = f"{dates.years}-year term (elected {start}) ends on {due}" + (f", deferred to {deadline}" if deferred else "")
    if dates.deadline < as_of:
        days = (as_of - dates.deadline).days
        return Text(f"{zh}；换届已逾期{days}天，请尽快召开党员大会选举", f"{en}; the election is {days} days overdue")
    return Text(f"{zh}；请提前做好换届准备，报上级党组织批准后召开党员大会选举",
                f"{en}; prepare the election and have the higher organization approve it")


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


kind = Kind("term", Params, EVIDENCE, requires, evaluate, remind=remind)
