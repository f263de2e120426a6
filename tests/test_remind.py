"""`ledgercheck remind`: planted deadlines come out in date order, within the horizon, with their reasons."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.app.horizon import parse_horizon
from ledgercheck.common.errors import UsageError
from ledgercheck.engine.remind import remind
from ledgercheck.ingest.loader import load_ledger
from ledgercheck.template.writer import write_workbook
from tests.test_cli import run

D = dt.date
AS_OF = D(2026, 5, 10)


def _member(name: str, kind: str, joined: dt.date, number: str, **extra: object) -> dict[str, object]:
    return {"name": name, "id_number": number, "org_id": "B01", "member_kind": kind, "joined_on": joined,
            "full_on": joined.replace(year=joined.year + 1) if kind == "正式党员" else None, **extra}


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One branch (B01) and three general branches with deadlines planted around 2026-05-10."""
    orgs = [
        {"org_id": "D01", "name": "机关党委", "org_type": "机关党委", "established": D(2010, 1, 1),
         "elected_on": D(2022, 9, 1), "committee_size": 7},  # due 2027-09-01: beyond six months
        {"org_id": "B01", "name": "第一党支部", "org_type": "党支部", "parent_id": "D01", "established": D(2010, 1, 1),
         "elected_on": D(2023, 8, 15), "committee_size": 3},  # due 2026-08-15: within six months
        {"org_id": "Z02", "name": "第二党总支", "org_type": "党总支", "parent_id": "D01", "established": D(2010, 1, 1),
         "elected_on": D(2023, 3, 1), "deferral_until": D(2026, 6, 30), "committee_size": 3},  # deferred
        {"org_id": "Z03", "name": "第三党总支", "org_type": "党总支", "parent_id": "D01", "established": D(2010, 1, 1),
         "elected_on": D(2022, 12, 1), "committee_size": 3},  # overdue since 2025-12-01
    ]
    members = [
        _member("王伟", "正式党员", D(2001, 7, 1), "110101198001010018", party_post="书记"),
        _member("李娜", "预备党员", D(2025, 6, 20), "110101199203040024"),  # probation ends 2026-06-20
        _member("张强", "预备党员", D(2025, 9, 1), "110101199505050031"),  # ends 2026-09-01: only within 6m
        _member("刘洋", "预备党员", D(2025, 3, 1), "110101199606060045"),  # extended to 2026-07-31
    ]
    recruits = [{"name": "刘洋", "org_id": "B01", "admitted_on": D(2025, 3, 1), "extended_until": D(2026, 7, 31)}]
    meetings = [
        {"org_id": "B01", "kind": "主题党日", "date": D(2026, 5, 8)},
        {"org_id": "B01", "kind": "党课", "date": D(2026, 4, 20)},
        {"org_id": "B01", "kind": "支部委员会", "date": D(2026, 4, 6)},  # none yet in May
    ]
    dues = [{"name": m["name"], "id_number": m["id_number"], "org_id": "B01", "month": D(2026, month, 1), "paid": 50}
            for m in members for month in range(1, 5) if not (m["name"] == "王伟" and month == 4)]
    path = tmp_path_factory.mktemp("remind") / "ledger.xlsx"
    return write_workbook(path, {"orgs": orgs, "members": members, "meetings": meetings, "dues": dues,
                                 "recruits": recruits})


def _items(ledger_file: Path, national, within: str) -> list[tuple[str, str, str, str]]:
    ledger = load_ledger(ledger_file).ledger
    result = remind(ledger, national, AS_OF, AS_OF + parse_horizon(within))
    return [(r.date.isoformat(), r.topic, r.org_id, r.subject) for r in result.reminders]


def test_planted_deadlines_are_listed_in_date_order(ledger_file: Path, national) -> None:
    assert _items(ledger_file, national, "90d") == [
        ("2025-12-01", "term", "Z03", "第三党总支"),  # overdue: listed until it is dealt with
        ("2026-04-30", "dues", "B01", "王伟"),  # April unpaid
        ("2026-05-31", "meeting", "B01", "第一党支部"),  # no committee meeting yet this month
        ("2026-06-20", "probation", "B01", "李娜"),
        ("2026-06-30", "meeting", "B01", "第一党支部"),  # no branch assembly yet this quarter
        ("2026-06-30", "term", "Z02", "第二党总支"),  # the approved deferral's date
        ("2026-07-31", "probation", "B01", "刘洋"),  # the extension, not joined + 1 year
        ("2026-08-15", "term", "B01", "第一党支部"),  # beyond 90 days, but terms are announced six months ahead
    ]


def test_a_longer_horizon_adds_later_items(ledger_file: Path, national) -> None:
    items = _items(ledger_file, national, "6m")
    assert ("2026-09-01", "probation", "B01", "张强") in items
    assert [i[0] for i in items] == sorted(i[0] for i in items)
    assert not any(i[2] == "D01" for i in items)  # 2027: still far off
    assert not any(i[0] == "2026-12-31" for i in items)  # yearly meetings: the year ends after the horizon


def test_reminder_messages_give_reason_and_basis(ledger_file: Path, national) -> None:
    result = remind(load_ledger(ledger_file).ledger, national, AS_OF, AS_OF + parse_horizon("90d"))
    by_topic = {(r.topic, r.subject): r for r in result.reminders}
    overdue = by_topic[("term", "第三党总支")]
    assert "已逾期160天" in overdue.message.zh and "160 days overdue" in overdue.message.en
    assert overdue.rule_id == "TERM-ELECTION-OVERDUE" and overdue.location.short() == "组织!F5"
    assert "延期至2026-06-30" in by_topic[("term", "第二党总支")].message.zh
    assert "延长的预备期" in by_topic[("probation", "刘洋")].message.zh
    assert by_topic[("probation", "李娜")].basis.zh == "《党章》第七条"
    assert "4月" in by_topic[("dues", "王伟")].message.zh and "1月" not in by_topic[("dues", "王伟")].message.zh
    meetings = [r for r in result.reminders if r.topic == "meeting"]
    assert {r.rule_id for r in meetings} == {"MEET-COMMITTEE-MONTHLY", "MEET-BRANCH-ASSEMBLY-QUARTERLY"}


def test_remind_command_table_and_json(ledger_file: Path) -> None:
    table = run("remind", ledger_file, "--as-of", AS_OF.isoformat())
    assert table.exit_code == 0, table.output
    assert "已逾期160天" in table.stdout and "共8项" in table.stdout
    assert table.stdout.index("2025-12-01") < table.stdout.index("2026-08-15")
    result = run("remind", ledger_file, "--as-of", AS_OF.isoformat(), "--format", "json", "--lang", "en")
    data = json.loads(result.stdout)
    assert data["until"] == "2026-08-08" and data["summary"] == {"reminders": 8, "overdue": 2, "input_errors": 0}
    first = data["reminders"][0]
    assert first["status"] == "overdue" and first["days_left"] == -160 and first["topic"] == "term"
    assert [r["date"] for r in data["reminders"]] == sorted(r["date"] for r in data["reminders"])


@pytest.mark.parametrize(("text", "delta"), [("90d", relativedelta(days=90)), ("3m", relativedelta(months=3)),
                                              ("6M", relativedelta(months=6)), ("1y", relativedelta(years=1)),
                                              ("2w", relativedelta(weeks=2)), ("30", relativedelta(days=30)),
                                              ("3个月", relativedelta(months=3))])
def test_horizon_spellings(text: str, delta: relativedelta) -> None:
    assert parse_horizon(text) == delta


@pytest.mark.parametrize("text", ["", "0d", "three months", "3q", "-3m"])
def test_bad_horizon_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        parse_horizon(text)
    result = run("remind", "whatever.xlsx", "--within", text or "''")
    assert result.exit_code == 2 and "90d" in result.stderr


def test_ledger_without_dues_sheet_says_so(tmp_path: Path, national) -> None:
    path = write_workbook(tmp_path / "no-dues.xlsx", {"orgs": [{"org_id": "B01", "name": "支部", "org_type": "党支部"}],
                                                      "members": [], "meetings": []})
    result = remind(load_ledger(path).ledger, national, AS_OF, AS_OF + parse_horizon("90d"))
    assert any("党费" in n.zh for n in result.notes)


@pytest.fixture(scope="module")
def loaded_ledger(ledger_file: Path):  # type: ignore[no-untyped-def]
    return load_ledger(ledger_file).ledger


@settings(max_examples=60, deadline=None)
@given(as_of=st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31)), days=st.integers(1, 400))
def test_reminders_are_sorted_and_inside_their_horizon(loaded_ledger, national, as_of: dt.date, days: int) -> None:
    result = remind(loaded_ledger, national, as_of, as_of + relativedelta(days=days))
    dates = [r.date for r in result.reminders]
    assert dates == sorted(dates)
    until = as_of + relativedelta(days=days)
    month_start = as_of.replace(day=1)
    for reminder in result.reminders:
        if reminder.topic == "term":
            assert reminder.date <= max(until, as_of + relativedelta(months=6))
        elif reminder.topic == "dues":
            assert reminder.date < month_start and reminder.date.year == as_of.year
        elif reminder.topic == "meeting":
            assert as_of <= reminder.date <= until  # the period in progress, ending inside the horizon
        else:
            assert reminder.date <= until
