"""Typed ledger records. Each remembers the row it came from (`ref`).

Records are slotted dataclasses rather than pydantic models: the loader has already coerced and
checked every value, and a ledger can hold 200,000 rows, so per-row validation would only cost time.
Every field has a default; required fields are guaranteed by the loader, not by the constructor. The
loader builds records positionally for speed, in the order `data_fields` gives (the record's own field
order), so the order of the layout's columns does not matter; tests/test_schema.py checks that each
record type and its sheet in the layout name the same fields. Records are not mutated after loading.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from ledgercheck.common.location import Location
from ledgercheck.model.periods import Period
from ledgercheck.model.provenance import RowRef, SheetRef
from ledgercheck.model.schema import BASE_ORG_TYPE


class Record:
    """Base of every record. Subclasses end with three fields:

    src: SheetRef | None — the sheet the record came from (shared by all its rows)
    row: int | None — its 1-based row number
    unreadable: frozenset[str] — fields whose cell could not be read (already reported as input issues)
    """

    __slots__ = ()
    src: SheetRef | None
    row: int | None
    unreadable: frozenset[str]

    @property
    def ref(self) -> RowRef | None:
        return RowRef(self.src, self.row) if self.src is not None and self.row is not None else None

    def at(self, field: str | None = None) -> Location | None:
        if self.src is None or self.row is None:
            return None
        column = self.src.columns.get(field) if field else None
        return self.src.locate(self.row, column, field)


_NONE: frozenset[str] = frozenset()
# 状态 values of members in the register (model/schema.py ENUMS["status"]); empty means 正常.
IN_REGISTER = frozenset({None, "正常", "流动", "出国（境）", "失联"})


@dataclass(slots=True)
class Org(Record):
    """An organization (党委, 党总支, 党支部, 党小组) as the organizations sheet records it."""

    org_id: str = None  # type: ignore[assignment]
    name: str = None  # type: ignore[assignment]
    org_type: str = None  # type: ignore[assignment]
    parent_id: str | None = None
    established: dt.date | None = None
    elected_on: dt.date | None = None
    term_years: int | None = None
    deferral_until: dt.date | None = None
    secretary: str | None = None
    committee_size: int | None = None
    src: SheetRef | None = None
    row: int | None = None
    unreadable: frozenset[str] = _NONE

    @property
    def base_type(self) -> str:
        return BASE_ORG_TYPE.get(self.org_type, self.org_type)

    @property
    def has_committee(self) -> bool:
        return bool(self.committee_size)


@dataclass(slots=True)
class Member(Record):
    """A Party member as the roster records them."""

    name: str = None  # type: ignore[assignment]
    id_number: str | None = None
    gender: str | None = None
    birth_date: dt.date | None = None
    org_id: str = None  # type: ignore[assignment]
    group: str | None = None
    member_kind: str = None  # type: ignore[assignment]
    joined_on: dt.date | None = None
    full_on: dt.date | None = None
    party_post: str | None = None
    person_kind: str | None = None
    status: str | None = None
    member_no: str | None = None
    transferred_in: dt.date | None = None
    transferred_out: dt.date | None = None
    phone: str | None = None
    src: SheetRef | None = None
    row: int | None = None
    unreadable: frozenset[str] = _NONE

    @property
    def active(self) -> bool:
        """Members in the register count: 状态 empty, 正常, or 流动, 出国（境）, 失联 (still members until the
        organization suspends them, S-JY 第二十四条), not 停止党籍, 转出, 出党 or 去世."""
        return self.status in IN_REGISTER

    @property
    def is_full(self) -> bool:
        return self.member_kind == "正式党员"

    @property
    def key(self) -> str:
        """Stable identity for fingerprints: the ID number when present, else org and name."""
        return self.id_number or f"{self.org_id}/{self.name}"


@dataclass(slots=True)
class Meeting(Record):
    """A meeting or other activity of organizational life (三会一课, 主题党日 …)."""

    org_id: str = None  # type: ignore[assignment]
    kind: tuple[str, ...] = ()  # a joint record may count as several kinds
    date: dt.date | None = None
    group: str | None = None
    host: str | None = None
    recorder: str | None = None
    lecturer: str | None = None
    expected: int | None = None
    present: int | None = None
    absentees: tuple[str, ...] = ()
    topic: str | None = None
    src: SheetRef | None = None
    row: int | None = None
    unreadable: frozenset[str] = _NONE


class Waived(float):
    """实缴金额 written 免交 or 减免: nothing paid, the month excused by a waiver (S-DF 第七条). It is 0.0 to every
    sum and comparison; the dues rules count its month as settled, and DUES-HARDSHIP-WAIVER asks for the approval."""

    __slots__ = ()


WAIVED = Waived(0.0)


def is_waived(paid: object) -> bool:
    """Whether an amount paid is WAIVED (免交), not a number paid (0.0 included)."""
    return paid.__class__ is Waived


@dataclass(slots=True)
class DuesPayment(Record):
    """One month's dues of one member: the amount due, the amount paid and when."""

    name: str = None  # type: ignore[assignment]
    id_number: str | None = None
    org_id: str | None = None
    month: Period = None  # type: ignore[assignment]
    base: float | None = None
    due: float | None = None
    paid: float | None = None
    paid_on: dt.date | None = None
    member_no: str | None = None
    src: SheetRef | None = None
    row: int | None = None
    unreadable: frozenset[str] = _NONE


@dataclass(slots=True)
class Election(Record):
    """An election (换届) of an organization's committee or secretary."""

    org_id: str = None  # type: ignore[assignment]
    date: dt.date = None  # type: ignore[assignment]
    eligible: int | None = None
    present: int | None = None
    seats: int | None = None
    candidates: int | None = None
    approved_on: dt.date | None = None
    src: SheetRef | None = None
    row: int | None = None
    unreadable: frozenset[str] = _NONE


@dataclass(slots=True)
class Recruit(Record):
    """A person on the way to membership (发展党员): each step's date."""

    name: str = None  # type: ignore[assignment]
    id_number: str | None = None
    birth_date: dt.date | None = None
    org_id: str = None  # type: ignore[assignment]
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
    src: SheetRef | None = None
    row: int | None = None
    unreadable: frozenset[str] = _NONE


@dataclass(slots=True)
class TrainingHours(Record):
    """One member's hours of study and training in one year."""

    name: str = None  # type: ignore[assignment]
    year: int = None  # type: ignore[assignment]
    hours: float = None  # type: ignore[assignment]
    org_id: str | None = None
    id_number: str | None = None
    src: SheetRef | None = None
    row: int | None = None
    unreadable: frozenset[str] = _NONE


_PROVENANCE = ("src", "row", "unreadable")


def data_fields(record_type: type[Record]) -> tuple[str, ...]:
    """The record type's ledger fields in declaration order (the provenance fields that end it left out)."""
    return _DATA_FIELDS[record_type.__name__]


RECORD_TYPES: dict[str, type[Record]] = {
    "orgs": Org,
    "members": Member,
    "meetings": Meeting,
    "dues": DuesPayment,
    "elections": Election,
    "recruits": Recruit,
    "training": TrainingHours,
}


def _own_fields(record_type: type[Record]) -> tuple[str, ...]:
    names = tuple(f.name for f in dataclasses.fields(cast(Any, record_type)))
    assert names[-3:] == _PROVENANCE, record_type
    return names[:-3]


_DATA_FIELDS = {t.__name__: _own_fields(t) for t in RECORD_TYPES.values()}
