"""Dates that cannot be right yet: an event recorded after today (and after the audit date).

Found after loading, because the loader does not know the audit date. They are warnings: the audit judges
the date as written, and a secretary should check it for a typo (2052 for 2025).
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter

from ledgercheck.model.issues import InputIssue
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.schema import SHEETS, FieldType

# Dates that legitimately lie ahead: an approved deferral, an extended probation, a planned full membership.
FORWARD_LOOKING = frozenset({"deferral_until", "extended_until", "full_on"})
_DATED = ("orgs", "members", "meetings", "dues", "elections", "recruits")  # Ledger attributes = sheet keys


def future_dates(ledger: Ledger, as_of: dt.date, today: dt.date | None = None) -> list[InputIssue]:
    """A warning for each past-event date after both the audit date and today."""
    limit = max(as_of, today or dt.date.today())
    issues: list[InputIssue] = []
    for spec in SHEETS:
        if spec.key not in _DATED:
            continue
        keys = [f for f in spec.fields if f.type is FieldType.DATE and f.key not in FORWARD_LOOKING]
        records = getattr(ledger, spec.key)
        for field in keys:
            # The latest date of the column first, in C: most ledgers have none ahead, and the dues sheet of a large
            # one has 177,000 rows (the loop below cost 22 ms of the large audit's last, sequential step).
            if max(filter(None, map(attrgetter(field.key), records)), default=limit) <= limit:
                continue
            for record in records:
                day = getattr(record, field.key, None)
                if day is not None and day > limit:
                    where = record.at(field.key)
                    if where is not None:
                        issues.append(InputIssue("INPUT-FUTURE-DATE", where,
                                                 {"column": field.header, "value": day.isoformat(),
                                                  "as_of": as_of.isoformat()}, level="warning"))
    return issues


def window_before_data(ledger: Ledger, since: dt.date | None, file: str) -> list[InputIssue]:
    """A warning when an explicit window start lies months before the first meeting or dues record."""
    from ledgercheck.common.location import Location
    from ledgercheck.model.periods import Period, Unit

    if since is None:
        return []
    span = ledger.activity_span()  # only now: it looks at every dues row
    if span is None or Period.of(Unit.MONTH, since) >= Period.of(Unit.MONTH, span[0]):
        return []
    return [InputIssue("INPUT-WINDOW-BEFORE-DATA", Location(file),
                       {"since": since.isoformat(), "first": span[0].isoformat()}, level="warning")]
