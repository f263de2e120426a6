"""Dates ahead of the audit date (INPUT-FUTURE-DATE): the column's latest date is looked at first, and only a
column with one ahead is walked record by record. Compared with walking every column, on the sample's records
with dates moved about by hypothesis."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.ingest.loader import load_ledger
from ledgercheck.ingest.plausibility import _DATED, FORWARD_LOOKING, future_dates
from ledgercheck.model.issues import InputIssue
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.schema import SHEETS, FieldType
from tests.conftest import SAMPLES

AS_OF = dt.date(2026, 1, 15)


@cache
def _sample() -> Ledger:
    return load_ledger(SAMPLES / "violations.xlsx").ledger


def _every_record(ledger: Ledger, as_of: dt.date) -> list[InputIssue]:
    """The straightforward walk: every date of every record."""
    limit = max(as_of, dt.date.today())
    found = []
    for spec in SHEETS:
        if spec.key not in _DATED:
            continue
        for field in (f for f in spec.fields if f.type is FieldType.DATE and f.key not in FORWARD_LOOKING):
            for record in getattr(ledger, spec.key):
                day = getattr(record, field.key, None)
                if day is not None and day > limit and record.at(field.key) is not None:
                    found.append(InputIssue("INPUT-FUTURE-DATE", record.at(field.key),
                                            {"column": field.header, "value": day.isoformat(),
                                             "as_of": as_of.isoformat()}, level="warning"))
    return found


_DATE_FIELDS = [(spec.key, field.key) for spec in SHEETS if spec.key in _DATED
                for field in spec.fields if field.type is FieldType.DATE]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_DATE_FIELDS), st.integers(0, 40),
                          st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)))),
                max_size=12))
def test_the_latest_date_first_finds_what_walking_every_record_finds(moves) -> None:
    sample = _sample()
    sheets = {key: list(getattr(sample, key)) for key in _DATED}
    for (key, field), index, day in moves:
        rows = sheets[key]
        if rows:
            rows[index % len(rows)] = dataclasses.replace(rows[index % len(rows)], **{field: day})
    ledger = Ledger(sample.file, **sheets, columns=sample.columns)
    assert future_dates(ledger, AS_OF) == _every_record(ledger, AS_OF)


def test_a_date_ahead_is_found() -> None:
    sample = _sample()
    meetings = list(sample.meetings)
    meetings[2] = dataclasses.replace(meetings[2], date=dt.date(2095, 3, 1))
    found = future_dates(dataclasses.replace(sample, meetings=meetings), AS_OF)
    assert [(i.code, i.params["value"]) for i in found] == [("INPUT-FUTURE-DATE", "2095-03-01")]
