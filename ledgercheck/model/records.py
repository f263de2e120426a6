"""Typed ledger records. Each remembers the row it came from (`ref`).

Records are slotted dataclasses rather than pydantic models: the loader has already coerced and
checked every value, and a ledger can hold 200,000 rows, so per-row validation would only cost time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ledgercheck.layout import BASE_ORG_TYPE
from ledgercheck.model.provenance import Location, RowRef
from ledgercheck.periods import Period


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    ref: RowRef | None = None
    unreadable: frozenset[str] = frozenset()  # fields whose cell could not be read (already reported)

    def at(self, field: str | None = None) -> Location | None:
        return self.ref.at(field) if self.ref else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Org(Record):
    org_id: str
    name: str
    org_type: str
    parent_id: str | None = None
    established: dt.date | None = None
    elected_on: dt.date | None = None
    term_years: int | None = None
    deferral_until: dt.date | None = None
    secretary: str | None = None
    committee_size: int | None = None

    @property
    def base_type(self) -> str:
        return BASE_ORG_TYPE.get(self.org_type, self.org_type)

    @property
    def has_committee(self) -> bool:
        return bool(self.committee_size)


@dataclass(frozen=True, slots=True, kw_only=True)
class Member(Record):
    name: str
    org_id: str
    member_kind: str
    id_number: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    group: str | None = None
    joined_on: dt.date | None = None
    full_on: dt.date | None = None
    party_post: str | None = None
    person_kind: str | None = None
    status: str | None = None
    phone: str | None = None

    @property
    def active(self) -> bool:
        """Only members in normal standing count (ledger-format: 状态 正常 or empty)."""
        return self.status in (None, "正常")

    @property
    def is_full(self) -> bool:
        return self.member_kind == "正式党员"

    @property
    def key(self) -> str:
        """Stable identity for fingerprints: the ID number when present, else org and name."""
        return self.id_number or f"{self.org_id}/{self.name}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting(Record):
    org_id: str
    kind: tuple[str, ...]  # a joint record may count as several kinds
    date: dt.date | None = None
    group: str | None = None
    host: str | None = None
    recorder: str | None = None
    lecturer: str | None = None
    expected: int | None = None
    present: int | None = None
    absentees: tuple[str, ...] = ()
    topic: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DuesPayment(Record):
    name: str
    month: Period
    id_number: str | None = None
    org_id: str | None = None
    base: float | None = None
    due: float | None = None
    paid: float | None = None
    paid_on: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Election(Record):
    org_id: str
    date: dt.date
    eligible: int | None = None
    present: int | None = None
    seats: int | None = None
    candidates: int | None = None
    approved_on: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Recruit(Record):
    name: str
    org_id: str
    id_number: str | None = None
    birth_date: dt.date | None = None
    applied_on: dt.date | None = None
    talked_on: dt.date | None = None
    activist_on: dt.date | None = None
    candidate_on: dt.date | None = None
    training_hours: float | None = None
    admitted_on: dt.date | None = None
    approved_on: dt.date | None = None
    sponsors: tuple[str, ...] = ()
    full_on: dt.date | None = None
    extended_until: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TrainingHours(Record):
    name: str
    year: int
    hours: float


RECORD_TYPES: dict[str, type[Record]] = {
    "orgs": Org,
    "members": Member,
    "meetings": Meeting,
    "dues": DuesPayment,
    "elections": Election,
    "recruits": Recruit,
    "training": TrainingHours,
}
