"""The contract every check kind follows (`Kind`), and the values kinds exchange with the engine.

A kind module defines its parameters (`Params`, a spec (common/spec.py) with `kind: Literal[name]`, each
field annotated with its `Meaning` in both languages) and ends with `kind = Kind(...)`, which names:
    name        as written in YAML (`check: {kind: frequency}`)
    params      the Params spec
    evidence    the evidence keys its violations carry (message templates may use them)
    requires    params -> [(sheet, field | None)]: ledger data without which the rule is not checked
    evaluate    (params, scope) -> violations
    extra_evidence (optional)  params -> more evidence keys, for kinds whose evidence depends on the rule
    remind (optional)  (params, scope, until) -> what falls due by `until` (`ledgercheck remind`)
The kind yields what is wrong and where; the engine adds rule id, severity, message and citation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import Annotated, Any, Generic, Literal, NamedTuple, TypeVar

from ledgercheck.common.i18n import Lang, Text, TextError
from ledgercheck.common.location import Location
from ledgercheck.common.spec import After, Field, Spec, fields_of
from ledgercheck.findings.finding import Subject
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.periods import (
    Period,
    Unit,
    Window,
    YearDate,
    add_months,
    calendar_gap,
    complete_periods,
    latest,
)
from ledgercheck.model.records import DuesPayment, Election, Meeting, Member, Org, Record, Recruit
from ledgercheck.model.schema import ENUMS

# Sheets whose rows a row-level kind can judge (dues and training rows are matched to members instead).
RecordSheet = Literal["orgs", "members", "meetings", "elections", "recruits", "dues"]


def _known_activities(value: list[str]) -> list[str]:
    unknown = [v for v in value if v not in ENUMS["meeting_kind"]]
    if unknown:
        raise TextError(Text(f"未知的活动类型{'、'.join(unknown)}；可用：{'、'.join(ENUMS['meeting_kind'])}",
                             f"unknown activity {unknown}; use one of {', '.join(ENUMS['meeting_kind'])}"))
    return value


# Kinds of organizational life, as the meetings sheet's 类型 column names them.
Activities = Annotated[list[str], After(_known_activities)]


class KindParams(Spec):
    """Base of every kind's parameters (a Spec: frozen; unknown keys are errors; validated by pydantic when a pack
    is read from YAML, common/spec.py)."""


class Duration(KindParams):
    """A calendar length: `{years: 1}`, `{months: 3}`, `{days: 0}`. Months are calendar months."""

    # Bounded, so that no rule parameter can push a date past the calendar (year 9999).
    years: int = Field(default=0, ge=0, le=100)
    months: int = Field(default=0, ge=0, le=1200)
    days: int = Field(default=0, ge=0, le=36500)

    def after(self, day: dt.date) -> dt.date:
        """`day` plus this length; Jan 31 + 1 month = Feb 28/29 (months first, then days, as dateutil does)."""
        if self.years or self.months:
            day = add_months(day, self.years * 12 + self.months)
        return day + dt.timedelta(days=self.days) if self.days else day

    def text(self) -> Text:
        zh = "".join(f"{n}{u}" for n, u in ((self.years, "年"), (self.months, "个月"), (self.days, "天")) if n)
        en = ", ".join(f"{n} {u}{'s' if n != 1 else ''}" for n, u in
                       ((self.years, "year"), (self.months, "month"), (self.days, "day")) if n)
        return Text(zh or "0天", en or "0 days")

    def localized(self, lang: Lang) -> str:  # how format_value shows it
        return self.text()(lang)


def gap_text(earlier: dt.date, later: dt.date) -> Text:
    """The calendar distance between two dates, e.g. 1年2个月3天; negative when `later` is earlier."""
    sign = "-" if later < earlier else ""
    months, days = calendar_gap(min(earlier, later), max(earlier, later))
    # Built without validation: a length computed here needs none (and is not bounded like a rule's parameter).
    length = Duration(years=months // 12, months=months % 12, days=days).text()
    return Text(sign + length.zh, sign + length.en)


@dataclass(frozen=True, slots=True)
class Meaning:
    """What a parameter means, in both languages: `explain`, `rules show` and the rules reference show it."""

    zh: str
    en: str

    @property
    def text(self) -> Text:
        return Text(self.zh, self.en)


def meaning(model: type[Spec], name: str) -> Text | None:
    """The Meaning a spec's field is annotated with (by attribute name)."""
    found = next((m for m in fields_of(model)[name].metadata if isinstance(m, Meaning)), None)
    return found.text if found is not None else None


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
    # Results a kind derives once and shares across the organizations of one run (and across rules), keyed by
    # everything they depend on; the engine gives every scope of a run the same dict.
    cache: dict[object, Any] = field(default_factory=dict)
    _periods: dict[tuple[Unit, float, dt.date | None], list[Period]] = field(default_factory=dict)

    @property
    def as_of(self) -> dt.date:
        return self.window.as_of

    def periods(self, unit: Unit, share: float = 1.0, since: dt.date | None = None) -> list[Period]:
        """The periods that ended inside the window, from the organization's establishment (or a later `since`);
        the period it was established in counts when it existed for `share` of it (model/periods.py)."""
        key = (unit, share, since)  # the organization's establishment is the scope's own: not in the key
        found = self._periods.get(key)
        if found is None:  # a dues rule asks once for each member: the large ledger's rules asked 16,000 times
            established = self.org.established
            if isinstance(established, YearDate):  # a year alone (2003年): judged from the last day it may be
                established = latest(established)
            start = max((day for day in (established, since) if day is not None), default=None)
            found = self._periods[key] = complete_periods(unit, self.window, start, share)
        return found

    @cached_property
    def org_location(self) -> Location | None:
        """Findings about something missing point at the organization's row."""
        return self.org.at("org_id")

    def org_subject(self) -> Subject:
        return Subject("org", self.org.org_id, self.org.name)

    def meetings_of(self, kinds: Collection[str]) -> list[Meeting]:
        """The organization's dated meetings of any of `kinds` (a joint meeting once), in the sheet's order. Most
        meetings are of one kind and most rules ask for one: each kind's meetings are listed once a run, so that
        a rule goes through its own kind's meetings instead of every meeting."""
        key = ("meetings-by-kind", self.org.org_id)
        index: dict[str, list[tuple[int, Meeting]]] | None = self.cache.get(key)
        if index is None:
            index = self.cache[key] = {}
            for position, meeting in enumerate(self.ledger.meetings_by_org.get(self.org.org_id, ())):
                if meeting.date is not None:
                    for kind in dict.fromkeys(meeting.kind):
                        index.setdefault(kind, []).append((position, meeting))
        found = [index[kind] for kind in dict.fromkeys(kinds) if kind in index]
        if len(found) == 1:
            return [meeting for _position, meeting in found[0]]
        return [meeting for _position, meeting in sorted({p: (p, m) for pairs in found for p, m in pairs}.values(),
                                                           key=itemgetter(0))]

    def records(self, sheet: str) -> list[Record]:
        """The organization's rows of one sheet (for `orgs`, its own row)."""
        if sheet == "orgs":
            return [self.org]
        indexes: dict[str, Mapping[str, Sequence[Record]]] = {
            "members": self.ledger.members_by_org, "meetings": self.ledger.meetings_by_org,
            "elections": self.ledger.elections_by_org, "recruits": self.ledger.recruits_by_org,
            "dues": self.ledger.dues_by_org}
        return list(indexes[sheet].get(self.org.org_id, ()))


class Due(NamedTuple):
    """Something a rule requires that falls due (or fell due) by a date: a reminder before it is a violation."""

    date: dt.date
    topic: str  # term | meeting | dues (findings/reminders.py TOPICS)
    subject: str  # who or what, for display: a member's name, a Party group, the organization
    message: Text
    location: Location | None = None


P = TypeVar("P", bound=KindParams)


@dataclass(frozen=True)
class Kind(Generic[P]):
    """A check kind: what it is called, its parameters, what it needs and what it judges (see the module doc)."""

    name: str
    params: type[P]
    evidence: frozenset[str]
    requires: Callable[[P], list[tuple[str, str | None]]]
    evaluate: Callable[[P, Scope], Iterator[Violation]]
    extra_evidence: Callable[[P], set[str]] | None = None
    remind: Callable[[P, Scope, dt.date], Iterator[Due]] | None = None

    @property
    def doc(self) -> str:
        """The kind module's docstring: what the kind judges, for the rules reference."""
        import inspect  # costs milliseconds at start-up; only the rules reference needs it

        return inspect.getdoc(sys.modules[self.evaluate.__module__]) or ""

    def placeholders(self, params: P) -> frozenset[str]:
        """The evidence keys a rule of this kind may use in its messages."""
        extra = self.extra_evidence(params) if self.extra_evidence is not None else set()
        return self.evidence | extra


AnyKind = Kind[Any]


def matches(record: Record, when: dict[str, list[str]]) -> bool:
    """Whether each named field has one of the listed values (an empty member status means 正常)."""
    for name, allowed in when.items():
        value = getattr(record, name, None)
        if isinstance(value, tuple):
            if not any(v in allowed for v in value):
                return False
            continue
        if name == "status" and value is None:
            value = "正常"
        if value not in allowed:
            return False
    return True


def _hashed(value: str) -> str:
    return "h:" + hashlib.sha256(value.encode()).hexdigest()[:12]


def subject_of(record: Record) -> Subject:
    """A stable subject for a record; raw ID numbers never appear in keys."""
    if isinstance(record, Org):
        return Subject("org", record.org_id, record.name)
    if isinstance(record, (Member, Recruit)):
        kind = "member" if isinstance(record, Member) else "recruit"
        key = _hashed(record.id_number) if record.id_number else f"{record.org_id}/{record.name}"
        return Subject(kind, key, record.name)
    if isinstance(record, Meeting):
        kinds = "、".join(record.kind)
        when = record.date.isoformat() if record.date else "?"
        return Subject("meeting", f"{record.org_id}/{when}/{kinds}", f"{when} {kinds}")
    if isinstance(record, Election):
        return Subject("election", f"{record.org_id}/{record.date.isoformat()}", record.date.isoformat())
    if isinstance(record, DuesPayment):
        who = _hashed(record.id_number) if record.id_number else f"{record.org_id}/{record.name}"
        return Subject("dues", f"{who}/{record.month.label}", f"{record.name} {record.month.label}")
    raise TypeError(type(record).__name__)


def complaint(zh: str, en: str) -> TextError:
    """A parameter validator's complaint in both languages (a bare ValueError would reach a Chinese user in
    English)."""
    return TextError(Text(zh, en))


def unknown_field(sheet: str, name: str) -> TextError:
    from ledgercheck.model.schema import SHEETS_BY_KEY

    spec = SHEETS_BY_KEY[sheet]
    known = ", ".join(spec.by_key)
    return complaint(f"「{spec.title}」表（{sheet}）没有字段 {name!r}；可用：{known}",
                     f"unknown field {name!r} of sheet {sheet!r}; known: {known}")
