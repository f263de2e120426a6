"""The contract every check kind follows, and the values kinds exchange with the engine.

A kind module defines:
    KIND       its name as written in YAML (`check: {kind: frequency}`)
    Params     a pydantic model of its parameters, with `kind: Literal[KIND]` and extra="forbid"
    EVIDENCE   the evidence keys its violations carry (message templates may use them)
    requires(params) -> [(sheet, field | None)]   ledger data without which the rule is skipped
    evaluate(params, scope) -> Iterator[Violation]
The kind yields what is wrong and where; the engine adds rule id, severity, message and citation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from ledgercheck.model.ledger import Ledger
from ledgercheck.model.provenance import Location
from ledgercheck.model.records import Org
from ledgercheck.periods import Period, Unit, Window, complete_periods


class KindParams(BaseModel):
    """Base of every kind's parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Subject(NamedTuple):
    """What a finding is about. `key` is stable (fingerprints); `label` is for display."""

    kind: str  # org | member | group | meeting | dues | election | recruit
    key: str
    label: str


class Violation(NamedTuple):
    subject: Subject
    location: Location | None
    evidence: dict[str, object]
    period: Period | None = None
    related: tuple[Location, ...] = ()


@dataclass
class Scope:
    """One organization as a check sees it: its records, the audit window and the periods to judge."""

    org: Org
    ledger: Ledger
    window: Window
    _periods: dict[Unit, list[Period]] = field(default_factory=dict)

    @property
    def as_of(self) -> dt.date:
        return self.window.as_of

    def periods(self, unit: Unit) -> list[Period]:
        """Complete periods inside the window that start on or after the org was established."""
        if unit not in self._periods:
            self._periods[unit] = complete_periods(unit, self.window, self.org.established)
        return self._periods[unit]

    @cached_property
    def org_location(self) -> Location | None:
        """Findings about something missing point at the organization's row."""
        return self.org.at("org_id")

    def org_subject(self) -> Subject:
        return Subject("org", self.org.org_id, self.org.name)
