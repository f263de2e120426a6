"""Build ledgers and scopes in Python for kind unit tests."""

from __future__ import annotations

import datetime as dt

from ledgercheck.checks.base import Scope
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.periods import Window
from ledgercheck.model.records import Org


def branch(**changes) -> Org:
    values = {"org_id": "B01", "name": "第一党支部", "org_type": "党支部", "established": dt.date(2015, 1, 1)}
    return Org(**(values | changes))


def scope(org: Org, as_of: dt.date, since: dt.date | None = None, **records) -> Scope:
    ledger = Ledger("t.xlsx", [org], **records, columns={"orgs": frozenset(), "members": frozenset(),
                                                         "meetings": frozenset()})
    return Scope(org, ledger, Window(since or dt.date(as_of.year - 1, 1, 1), as_of))
