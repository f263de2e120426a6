"""The Ledger: every record of one workbook, indexed once by organization for the checks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from operator import attrgetter
from typing import TypeVar

from ledgercheck.model.people import People
from ledgercheck.model.records import (
    DuesPayment,
    Election,
    Meeting,
    Member,
    Org,
    Record,
    Recruit,
    TrainingHours,
)

R = TypeVar("R", bound=Record)


class Pending(BaseException):  # noqa: N818 - not an error: a signal, like StopIteration
    """A rule judged on a `PartialLedger` used a sheet that is not read yet: it is judged again on the whole ledger.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` in a check kind takes it for the rule's
    own failure.
    """


class PendingRecords(Sequence[R]):
    """The rows of a sheet not read yet: any use of them raises Pending."""

    def __init__(self, sheet: str):
        self.sheet = sheet

    def __len__(self) -> int:
        raise Pending(self.sheet)

    def __getitem__(self, index: object) -> R:  # type: ignore[override]
        raise Pending(self.sheet)

    def __iter__(self) -> Iterator[R]:
        raise Pending(self.sheet)


class _PendingIndex(Mapping[str, list[R]]):
    def __init__(self, sheet: str):
        self.sheet = sheet

    def __getitem__(self, key: str) -> list[R]:
        raise Pending(self.sheet)

    def __iter__(self) -> Iterator[str]:
        raise Pending(self.sheet)

    def __len__(self) -> int:
        raise Pending(self.sheet)


def _by_org(records: Iterable[R]) -> Mapping[str, list[R]]:
    if isinstance(records, PendingRecords):
        return _PendingIndex(records.sheet)
    index: dict[str, list[R]] = defaultdict(list)
    # Rows of one organization usually follow one another: a list extended per run, not appended per row.
    for org_id, rows in groupby(records, _org_id):
        if org_id is not None:
            index[org_id].extend(rows)
    return dict(index)


def _org_id(record: Record) -> str | None:
    return getattr(record, "org_id", None)


@dataclass
class Ledger:
    """One unit's ledger. `columns` tells, per sheet key, which fields the workbook has."""

    file: str
    orgs: Sequence[Org] = ()
    members: Sequence[Member] = ()
    meetings: Sequence[Meeting] = ()
    dues: Sequence[DuesPayment] = ()
    elections: Sequence[Election] = ()
    recruits: Sequence[Recruit] = ()
    training: Sequence[TrainingHours] = ()
    columns: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.org_by_id: dict[str, Org] = {o.org_id: o for o in self.orgs}
        self.children: dict[str, list[Org]] = defaultdict(list)
        for org in self.orgs:
            if org.parent_id is not None and org.parent_id in self.org_by_id:
                self.children[org.parent_id].append(org)
        self.members_by_org = _by_org(self.members)
        self.meetings_by_org = _by_org(self.meetings)
        self.dues_by_org = _by_org(self.dues)
        self.elections_by_org = _by_org(self.elections)
        self.recruits_by_org = _by_org(self.recruits)

    @cached_property
    def people(self) -> People:
        """Cross-sheet lookups (dues, recruits, training, named people → members), built on first use."""
        return People(self.members, self.recruits, self.dues, self.training)

    def pending(self, sheet_key: str) -> bool:
        return False

    def has_sheet(self, sheet_key: str) -> bool:
        return sheet_key in self.columns

    def has_column(self, sheet_key: str, field_key: str) -> bool:
        return field_key in self.columns.get(sheet_key, ())

    def is_top_level(self, org: Org) -> bool:
        return org.parent_id is None or org.parent_id not in self.org_by_id

    def subtree(self, org_id: str) -> list[Org]:
        """The organization and all organizations below it (cycles are cut)."""
        result: list[Org] = []
        seen: set[str] = set()
        stack = [org_id]
        while stack:
            current = stack.pop()
            if current in seen or current not in self.org_by_id:
                continue
            seen.add(current)
            result.append(self.org_by_id[current])
            stack.extend(child.org_id for child in reversed(self.children.get(current, [])))
        return result

    def active_members(self, org_id: str, subtree: bool = False) -> list[Member]:
        org_ids = [o.org_id for o in self.subtree(org_id)] if subtree else [org_id]
        return [m for oid in org_ids for m in self.members_by_org.get(oid, ()) if m.active]

    def activity_span(self) -> tuple[dt.date, dt.date] | None:
        """First and last date of the activity records (meetings, dues months)."""
        return _span(self.meetings, self.dues)


def _span(meetings: Sequence[Meeting], dues: Sequence[DuesPayment]) -> tuple[dt.date, dt.date] | None:
    """First and last date of these meetings and dues months (`Ledger.activity_span`, `span_so_far`)."""
    dates = [day for day in map(attrgetter("date"), meetings) if day is not None]
    if dues:
        months = set(map(attrgetter("month"), dues))  # a few dozen distinct months in any ledger
        dates += [min(months).start, max(months).start]
    if not dates:
        return None
    return min(dates), max(dates)


class PartialLedger(Ledger):
    """A ledger whose last sheets are still being read: their rows are `PendingRecords`, and asking whether they
    exist, or for anything built from them, raises Pending. The audit judges the rules it can on it while it
    waits for those sheets (engine/evaluate.py `judge_early`); a rule that raises Pending is judged later."""

    def pending(self, sheet_key: str) -> bool:
        return isinstance(getattr(self, sheet_key, None), PendingRecords)

    def has_sheet(self, sheet_key: str) -> bool:
        if self.pending(sheet_key):
            raise Pending(sheet_key)
        return super().has_sheet(sheet_key)

    def has_column(self, sheet_key: str, field_key: str) -> bool:
        if self.pending(sheet_key):
            raise Pending(sheet_key)
        return super().has_column(sheet_key, field_key)

    def span_so_far(self) -> tuple[dt.date, dt.date] | None:
        """`activity_span` of the sheets read so far: the audit window it gives is provisional, and the rules judged
        early count only if the whole ledger gives the same window. (`activity_span` itself raises Pending.)"""
        return _span(() if self.pending("meetings") else self.meetings, () if self.pending("dues") else self.dues)
