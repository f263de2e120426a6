"""Reminders: what falls due soon as of a date, and what is already overdue (`ledgercheck remind`).

Built on the engine's own rules: each selected rule whose kind can remind (term: the election; frequency: the
meetings of the period in progress; dues: this year's unpaid months) is asked, for the organizations the rule
applies to and only when the ledger has the data the rule needs, exactly as the audit asks it. Probation is owed
by the Party Constitution itself and is always reminded. Items already past their date stay listed until they
are dealt with. Reads the Ledger only; reporters/reminders.py renders the result.
"""

from __future__ import annotations

import datetime as dt

from ledgercheck.checks import KINDS
from ledgercheck.checks.base import Scope
from ledgercheck.common.i18n import Text
from ledgercheck.engine.evaluate import applies, missing_data
from ledgercheck.findings.reminders import TOPIC_ORDER, Reminder, RemindResult
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.periods import Window, YearDate, add_years, latest
from ledgercheck.model.records import Member
from ledgercheck.rulebook.loader import Rulebook

PROBATION_YEARS = 1  # 党章 第七条: 预备党员的预备期为一年


def remind(ledger: Ledger, rulebook: Rulebook, as_of: dt.date, until: dt.date) -> RemindResult:
    result = RemindResult(ledger.file, as_of, until)
    found = [*_from_rules(ledger, rulebook, as_of, until, result.notes), *_probation(ledger, rulebook, as_of, until)]
    order = {org.org_id: index for index, org in enumerate(ledger.orgs)}
    result.reminders = sorted(found, key=lambda r: (r.date, order.get(r.org_id, len(order)),
                                                     TOPIC_ORDER[r.topic], r.rule_id or "", r.subject))
    return result


def _from_rules(ledger: Ledger, rulebook: Rulebook, as_of: dt.date, until: dt.date,
                notes: list[Text]) -> list[Reminder]:
    found: list[Reminder] = []
    seen: set[tuple[str, str, str]] = set()  # (topic, org, subject): one election reminder per organization
    cache: dict[object, object] = {}
    for loaded in rulebook.rules.values():
        kind = KINDS[loaded.rule.check.kind]
        if kind.remind is None:
            continue
        reason = missing_data(loaded, ledger)
        if reason is not None:
            notes.append(Text(f"{loaded.rule.id}：{reason.zh}", f"{loaded.rule.id}: {reason.en}"))
            continue
        basis = rulebook.citation(loaded.rule, short=True)
        for org in ledger.orgs:
            if not applies(loaded.rule.applies_to, org, ledger):
                continue
            for due in kind.remind(loaded.rule.check, Scope(org, ledger, Window(as_of, as_of), cache), until):
                if due.topic == "term" and ("term", org.org_id, due.subject) in seen:
                    continue
                seen.add((due.topic, org.org_id, due.subject))
                found.append(Reminder(due.date, due.topic, org.org_id, org.name, due.subject, due.message,
                                      loaded.rule.id, basis, due.location))
    return found


def _citation(rulebook: Rulebook, regulation: str, article: str) -> Text | None:
    known = rulebook.regulations.get(regulation)
    if known is None:
        return None
    title = known.short or known.title
    return Text(f"《{title.zh}》{article}", f"{title.en}, {article}")


def _probation(ledger: Ledger, rulebook: Rulebook, as_of: dt.date, until: dt.date) -> list[Reminder]:
    """Probationary members whose year (or approved extension, from the recruits sheet) ends by `until`."""
    basis = _citation(rulebook, "S-DZ", "第七条")
    people = ledger.people
    found = []
    for member in ledger.members:
        if member.is_full or not member.active or member.joined_on is None or member.full_on is not None:
            continue
        org = ledger.org_by_id.get(member.org_id)
        if org is None:
            continue
        recruit = people.recruit(member)
        extended = recruit.extended_until if recruit is not None else None
        # A year alone (2025年) ends its probation by the last day it may: no overdue before that is certain.
        joined = latest(member.joined_on) if isinstance(member.joined_on, YearDate) else member.joined_on
        end = extended or add_years(joined, PROBATION_YEARS)
        if end > until:
            continue
        found.append(Reminder(end, "probation", org.org_id, org.name, member.name,
                              _probation_message(member, end, extended is not None, as_of), None,
                              basis, member.at("member_kind")))
    return found


def _probation_message(member: Member, end: dt.date, extended: bool, as_of: dt.date) -> Text:
    day = member.joined_on
    if isinstance(day, YearDate):  # the ledger gives the year alone
        joined_zh, joined_en = f"{day.year}年", f"in {day.year}"
    else:
        joined_zh = joined_en = day.isoformat() if day else "—"
    kind_zh, kind_en = ("延长的预备期", "extended probation") if extended else ("预备期", "probation")
    if end < as_of:
        return Text(f"预备党员{member.name}（{joined_zh}入党）的{kind_zh}已满，台账中尚未转正；支部大会应及时讨论能否转为正式党员",
                    f"the {kind_en} of {member.name} (admitted {joined_en}) has ended and the ledger shows no full "
                    f"membership yet; the branch assembly should decide promptly")
    return Text(f"预备党员{member.name}（{joined_zh}入党）的{kind_zh}届满；请督促本人提交转正申请，期满后支部大会及时讨论转正",
                f"the {kind_en} of {member.name} (admitted {joined_en}) ends; have the member apply for full "
                f"membership and let the branch assembly decide when it ends")
