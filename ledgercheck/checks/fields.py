"""`fields`: required fields filled in, and values in a valid format (ID-number checksum, phone)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import Field, model_validator

from ledgercheck.checks.base import KindParams, Scope, Subject, Violation
from ledgercheck.i18n import Text
from ledgercheck.layout import SHEETS_BY_KEY
from ledgercheck.model.records import Election, Meeting, Member, Org, Record, Recruit

KIND = "fields"
EVIDENCE = frozenset({"missing", "field"})

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"


def valid_id_number(value: str) -> bool:
    """GB 11643-1999: 17 digits, a valid birth date in digits 7–14, and the ISO 7064 MOD 11-2 check code."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS))
    return _CHECK_CODES[total % 11] == value[17]


def valid_phone(value: str) -> bool:
    """A mainland mobile number, or a landline with an area code."""
    return bool(re.fullmatch(r"(\+?86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?", value))


VALIDATORS: dict[str, Callable[[str], bool]] = {"gb11643": valid_id_number, "phone": valid_phone}

Sheet = Literal["orgs", "members", "meetings", "elections", "recruits"]


class Params(KindParams):
    kind: Literal["fields"]
    sheet: Sheet
    required: list[str] = Field(default_factory=list)
    validate_: dict[str, Literal["gb11643", "phone"]] = Field(default_factory=dict, alias="validate")
    # Only records whose field has one of the listed values (member status 正常, meeting kinds …).
    when: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_fields(self) -> Params:
        known = SHEETS_BY_KEY[self.sheet].by_key
        for name in [*self.required, *self.validate_, *self.when]:
            if name not in known:
                raise ValueError(f"unknown field {name!r} of sheet {self.sheet!r}; known: {', '.join(known)}")
        if not self.required and not self.validate_:
            raise ValueError("give `required` fields, `validate` formats, or both")
        return self


def requires(params: Params) -> list[tuple[str, str | None]]:
    return [(params.sheet, None)]


def _records(params: Params, scope: Scope) -> list[Record]:
    org_id = scope.org.org_id
    if params.sheet == "orgs":
        return [scope.org]
    index = {"members": scope.ledger.members_by_org, "meetings": scope.ledger.meetings_by_org,
             "elections": scope.ledger.elections_by_org, "recruits": scope.ledger.recruits_by_org}[params.sheet]
    return list(index.get(org_id, ()))


def _matches(record: Record, when: dict[str, list[str]]) -> bool:
    for name, allowed in when.items():
        value = getattr(record, name, None)
        values = value if isinstance(value, tuple) else (value,)
        # An empty member status means 正常 (ledger-format.md).
        if name == "status" and value is None:
            values = ("正常",)
        if not set(values) & set(allowed):
            return False
    return True


def _hashed(value: str) -> str:
    return "h:" + hashlib.sha256(value.encode()).hexdigest()[:12]


def subject_of(record: Record) -> Subject:
    """A stable subject for a record; raw ID numbers never appear in keys."""
    if isinstance(record, Org):
        return Subject("org", record.org_id, record.name)
    if isinstance(record, Member):
        key = _hashed(record.id_number) if record.id_number else f"{record.org_id}/{record.name}"
        return Subject("member", key, record.name)
    if isinstance(record, Recruit):
        key = _hashed(record.id_number) if record.id_number else f"{record.org_id}/{record.name}"
        return Subject("recruit", key, record.name)
    if isinstance(record, Meeting):
        kinds = "、".join(record.kind)
        when = record.date.isoformat() if record.date else "?"
        return Subject("meeting", f"{record.org_id}/{when}/{kinds}", f"{when} {kinds}")
    if isinstance(record, Election):
        return Subject("election", f"{record.org_id}/{record.date.isoformat()}", record.date.isoformat())
    raise TypeError(type(record).__name__)


def _header(sheet: str, name: str) -> Text:
    spec = SHEETS_BY_KEY[sheet].by_key[name]
    return Text(spec.header, spec.en)


def evaluate(params: Params, scope: Scope) -> Iterator[Violation]:
    for record in _records(params, scope):
        if params.when and not _matches(record, params.when):
            continue
        missing = [f for f in params.required
                   if getattr(record, f, None) in (None, "", ()) and f not in record.unreadable]
        if missing:
            names = Text("、".join(_header(params.sheet, f).zh for f in missing),
                         ", ".join(_header(params.sheet, f).en for f in missing))
            yield Violation(subject_of(record), record.at(missing[0]), {"missing": names, "field": names})
        for name, validator in params.validate_.items():
            value = getattr(record, name, None)
            if value and not VALIDATORS[validator](value):
                yield Violation(subject_of(record), record.at(name),
                                {"field": _header(params.sheet, name), "missing": None})
