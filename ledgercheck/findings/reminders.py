"""Reminders: what falls due soon, or is overdue, as of a date (`ledgercheck remind`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.location import Location
from ledgercheck.model.issues import InputIssue

TOPICS: dict[str, Text] = {"term": Text("换届", "election"), "probation": Text("转正", "probation"),
                           "meeting": Text("组织生活", "meeting"), "dues": Text("党费", "dues")}
TOPIC_ORDER = {name: index for index, name in enumerate(TOPICS)}


@dataclass(frozen=True, slots=True)
class Reminder:
    date: dt.date  # when it falls due
    topic: str  # term | probation | meeting | dues
    org_id: str
    org_name: str
    subject: str  # who or what, for display
    message: Text
    rule_id: str | None = None
    basis: Text | None = None  # short citation
    location: Location | None = None

    def days_left(self, as_of: dt.date) -> int:
        return (self.date - as_of).days

    def to_dict(self, as_of: dt.date, lang: Lang) -> dict[str, object]:
        days = self.days_left(as_of)
        return {"date": self.date.isoformat(), "days_left": days, "status": "overdue" if days < 0 else "due",
                "topic": self.topic, "org_id": self.org_id, "org_name": self.org_name, "subject": self.subject,
                "message": self.message(lang), "rule": self.rule_id,
                "basis": self.basis(lang) if self.basis else None,
                "location": self.location.to_dict() if self.location else None}


@dataclass
class RemindResult:
    file: str
    as_of: dt.date
    until: dt.date
    reminders: list[Reminder] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)  # what could not be looked at, and why
    input_issues: list[InputIssue] = field(default_factory=list)

    @property
    def input_errors(self) -> list[InputIssue]:
        return [i for i in self.input_issues if i.level == "error"]

    def to_dict(self, lang: Lang) -> dict[str, object]:
        from ledgercheck import __version__

        overdue = sum(1 for r in self.reminders if r.date < self.as_of)
        return {"schema_version": "1.0", "tool": {"name": "ledgercheck", "version": __version__},
                "file": self.file, "as_of": self.as_of.isoformat(), "until": self.until.isoformat(),
                "summary": {"reminders": len(self.reminders), "overdue": overdue,
                            "input_errors": len(self.input_errors)},
                "reminders": [r.to_dict(self.as_of, lang) for r in self.reminders],
                "notes": [n(lang) for n in self.notes],
                "input_issues": [i.to_dict(lang) for i in self.input_issues]}
