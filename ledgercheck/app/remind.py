"""Reminders: what falls due soon as of a date, and what is already overdue.

- elections: the current term ends within six months (the higher organization reminds a branch six
  months ahead) or within the horizon, whichever is longer; the due date comes from the `term` rule;
- probation: a probationary member's year (or the approved extension) ends within the horizon;
- meetings: the month, quarter or year in progress still lacks a meeting a `frequency` rule requires,
  judged by the rule's own logic on that period as if it had ended;
- dues: months of the current year before the as-of month without a payment.

Items already past their date stay listed until they are dealt with. Like the engine, this module
reads the Ledger only; reporters/reminders.py renders the result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from ledgercheck.checks import frequency, term
from ledgercheck.checks.base import Scope
from ledgercheck.engine.evaluate import applies, missing_data
from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Lang, Text, format_value
from ledgercheck.findings.reminders import TOPIC_ORDER, Reminder, RemindResult
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.records import Member
from ledgercheck.model.periods import Period, Unit, Window, add_years
from ledgercheck.rulebook.loader import LoadedRule, Rulebook

TERM_LEAD = relativedelta(months=6)  # 支部工作条例: the higher organization reminds six months ahead
PROBATION_YEARS = 1  # 党章 第七条: 预备党员的预备期为一年

_HORIZON = re.compile(r"(\d+)\s*(d|day|days|天|日|w|wk|weeks?|周|m|mo|months?|个月|月|y|yr|years?|年)?", re.I)


def parse_horizon(text: str) -> relativedelta:
    """90d, 12w, 3m, 6m, 1y (also 90天, 3个月); a bare number is days."""
    match = _HORIZON.fullmatch(text.strip())
    if not match or int(match.group(1)) == 0:
        raise UsageError(Text(f"「{text}」不是有效的时间范围，请写作 90d、3m 或 6m",
                              f"{text!r} is not a time span; write 90d, 3m or 6m"))
    number, unit = int(match.group(1)), (match.group(2) or "d").lower()
    if unit[0] in "d天日":
        return relativedelta(days=number)
    if unit[0] in "w周":
        return relativedelta(weeks=number)
    if unit[0] in "y年":
        return relativedelta(years=number)
    return relativedelta(months=number)


def remind(ledger: Ledger, rulebook: Rulebook, as_of: dt.date, within: relativedelta) -> RemindResult:
    until = as_of + within
    result = RemindResult(ledger.file, as_of, until)
    found = [*_terms(ledger, rulebook, as_of, max(until, as_of + TERM_LEAD)),
             *_probation(ledger, rulebook, as_of, until),
             *_meetings(ledger, rulebook, as_of, until, result.notes),
             *_dues(ledger, rulebook, as_of, result.notes)]
    order = {org.org_id: index for index, org in enumerate(ledger.orgs)}
    result.reminders = sorted(found, key=lambda r: (r.date, order.get(r.org_id, len(order)),
                                                     TOPIC_ORDER[r.topic], r.rule_id or "", r.subject))
    return result


def _rules(rulebook: Rulebook, kind: str) -> list[LoadedRule]:
    return [loaded for loaded in rulebook.rules.values() if loaded.rule.check.kind == kind]


def _citation(rulebook: Rulebook, regulation: str, article: str) -> Text | None:
    known = rulebook.regulations.get(regulation)
    if known is None:
        return None
    title = known.short or known.title
    return Text(f"《{title.zh}》{article}", f"{title.en}, {article}")


# ---------------------------------------------------------------- elections


def _terms(ledger: Ledger, rulebook: Rulebook, as_of: dt.date, until: dt.date) -> list[Reminder]:
    found: dict[str, Reminder] = {}
    for loaded in _rules(rulebook, "term"):
        params = loaded.rule.check
        if params.report != "overdue" or missing_data(loaded, ledger) is not None:
            continue
        basis = rulebook.citation(loaded.rule, short=True)
        for org in ledger.orgs:
            if org.org_id in found or not applies(loaded.rule.applies_to, org, ledger):
                continue
            dates = term.term_dates(params, Scope(org, ledger, Window(as_of, as_of)))
            if dates is None or dates.deadline > until:
                continue
            found[org.org_id] = Reminder(dates.deadline, "term", org.org_id, org.name, org.name,
                                         _term_message(dates, as_of), loaded.rule.id, basis,
                                         org.at("elected_on") or org.at("org_id"))
    return list(found.values())


def _term_message(dates: term.TermDates, as_of: dt.date) -> Text:
    start, due, deadline = dates.start.isoformat(), dates.due.isoformat(), dates.deadline.isoformat()
    deferred = dates.deadline != dates.due
    zh = f"本届任期{dates.years}年（{start}选举产生），{due}届满" + (f"，经批准延期至{deadline}" if deferred else "")
    en = f"{dates.years}-year term (elected {start}) ends on {due}" + (f", deferred to {deadline}" if deferred else "")
    if dates.deadline < as_of:
        days = (as_of - dates.deadline).days
        return Text(f"{zh}；换届已逾期{days}天，请尽快召开党员大会选举", f"{en}; the election is {days} days overdue")
    return Text(f"{zh}；请提前做好换届准备，报上级党组织批准后召开党员大会选举",
                f"{en}; prepare the election and have the higher organization approve it")


# ---------------------------------------------------------------- probation


def _extensions(ledger: Ledger) -> dict[tuple[str, str], dt.date]:
    """Approved extensions of probation from the recruits sheet, by ID number or (org, name)."""
    found: dict[tuple[str, str], dt.date] = {}
    for recruit in ledger.recruits:
        if recruit.extended_until is None:
            continue
        if recruit.id_number:
            found[("id", recruit.id_number)] = recruit.extended_until
        found[(recruit.org_id, recruit.name)] = recruit.extended_until
    return found


def _probation(ledger: Ledger, rulebook: Rulebook, as_of: dt.date, until: dt.date) -> list[Reminder]:
    extensions = _extensions(ledger)
    basis = _citation(rulebook, "S-DZ", "第七条")
    found = []
    for member in ledger.members:
        if member.is_full or not member.active or member.joined_on is None or member.full_on is not None:
            continue
        org = ledger.org_by_id.get(member.org_id)
        if org is None:
            continue
        extended = extensions.get(("id", member.id_number or "")) or extensions.get((member.org_id, member.name))
        end = extended or add_years(member.joined_on, PROBATION_YEARS)
        if end > until:
            continue
        found.append(Reminder(end, "probation", org.org_id, org.name, member.name,
                              _probation_message(member, end, extended is not None, as_of), None,
                              basis, member.at("member_kind")))
    return found


def _probation_message(member: Member, end: dt.date, extended: bool, as_of: dt.date) -> Text:
    joined = member.joined_on.isoformat() if member.joined_on else "—"
    kind_zh, kind_en = ("延长的预备期", "extended probation") if extended else ("预备期", "probation")
    if end < as_of:
        return Text(f"预备党员{member.name}（{joined}入党）的{kind_zh}已满，台账中尚未转正；支部大会应及时讨论能否转为正式党员",
                    f"the {kind_en} of {member.name} (admitted {joined}) has ended and the ledger shows no full "
                    f"membership yet; the branch assembly should decide promptly")
    return Text(f"预备党员{member.name}（{joined}入党）的{kind_zh}届满；请督促本人提交转正申请，期满后支部大会及时讨论转正",
                f"the {kind_en} of {member.name} (admitted {joined}) ends; have the member apply for full "
                f"membership and let the branch assembly decide when it ends")


# ---------------------------------------------------------------- meetings


def _meetings(ledger: Ledger, rulebook: Rulebook, as_of: dt.date, until: dt.date,
              notes: list[Text]) -> list[Reminder]:
    found = []
    for loaded in _rules(rulebook, "frequency"):
        params = loaded.rule.check
        reason = missing_data(loaded, ledger)
        if reason is not None:
            notes.append(Text(f"{loaded.rule.id}：{reason.zh}", f"{loaded.rule.id}: {reason.en}"))
            continue
        period = Period.of(Unit(params.period), as_of)
        if period.end > until:
            continue
        # The period in progress, judged by the rule's own check as if it had just ended.
        window = Window(period.start, period.end + dt.timedelta(days=1))
        basis = rulebook.citation(loaded.rule, short=True)
        for org in ledger.orgs:
            if not applies(loaded.rule.applies_to, org, ledger):
                continue
            for violation in frequency.evaluate(params, Scope(org, ledger, window)):
                group = violation.evidence.get("group")
                found.append(Reminder(period.end, "meeting", org.org_id, org.name, str(group or org.name),
                                      _meeting_message(period, violation.evidence), loaded.rule.id, basis,
                                      violation.location))
    return found


def _meeting_message(period: Period, evidence: dict[str, object]) -> Text:
    def text(lang: Lang) -> str:
        activity = format_value(evidence["activity"], lang)
        group = evidence.get("group")
        count, least = evidence["count"], evidence["min"]
        if lang == "zh":
            who = f"党小组「{group}」" if group else ""
            done = f"已记录{count}次，" if count else "尚无记录，"
            return f"{who}{period.localized('zh')}的{activity}{done}应至少{least}次"
        who = f"Party group {group}: " if group else ""
        return f"{who}{activity} in {period.label}: {count} recorded, at least {least} required"

    return Text(text("zh"), text("en"))


# ---------------------------------------------------------------- dues


def _dues(ledger: Ledger, rulebook: Rulebook, as_of: dt.date, notes: list[Text]) -> list[Reminder]:
    if not ledger.has_sheet("dues"):
        notes.append(Text("台账没有「党费」表，未提醒党费", "the ledger has no dues sheet: no dues reminders"))
        return []
    months = [Period(as_of.year, Unit.MONTH, m) for m in range(1, as_of.month)]
    if not months:
        return []
    by_id: dict[str, set[Period]] = defaultdict(set)
    by_name: dict[str, list[tuple[str | None, Period]]] = defaultdict(list)
    for row in ledger.dues:
        if not row.paid:  # 未缴留空或填0
            continue
        if row.id_number:
            by_id[row.id_number].add(row.month)
        by_name[row.name].append((row.org_id, row.month))
    basis = _citation(rulebook, "S-DF", "第十二条")
    found = []
    for member in ledger.members:
        org = ledger.org_by_id.get(member.org_id)
        if org is None or not member.active:
            continue
        paid = set(by_id.get(member.id_number or "", ()))
        paid |= {month for org_id, month in by_name.get(member.name, ()) if org_id in (None, member.org_id)}
        owed = [m for m in months if m not in paid and (member.joined_on is None or m.end >= member.joined_on)]
        if owed:
            found.append(Reminder(owed[0].end, "dues", org.org_id, org.name, member.name,
                                  _dues_message(member, owed), None, basis, member.at("name")))
    return found


def _dues_message(member: Member, owed: list[Period]) -> Text:
    zh = "、".join(f"{m.index}月" for m in owed)
    en = ", ".join(m.label for m in owed)
    return Text(f"党员{member.name}{owed[0].year}年{zh}的党费尚无缴纳记录（党费应按月交纳）",
                f"{member.name}: no dues payment recorded for {en} (dues are paid monthly)")
