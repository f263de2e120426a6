"""One composition root: every front end runs on a Context built from the same Settings, so they agree."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil

from ledgercheck.app.config import CliOptions, resolve
from ledgercheck.app.context import Context
from ledgercheck.template.writer import write_workbook
from tests.ledgers import AS_OF, VIOLATIONS, write
from tests.test_config import run_in

D = dt.date

CONFIG = """\
select: [MEET-]
ignore: [MEET-PARTY-LECTURE]
overrides:
  MEET-THEME-DAY-MONTHLY: {severity: info}
fail-on: warning
"""


def test_scan_honours_the_configuration_file_as_audit_does(tmp_path) -> None:
    (tmp_path / ".git").mkdir()
    units = tmp_path / "units"
    units.mkdir()
    shutil.copyfile(VIOLATIONS, units / "unit.xlsx")
    write(tmp_path / ".ledgercheck.yaml", CONFIG)
    audited = run_in(tmp_path, "audit", units / "unit.xlsx", "--as-of", "2026-01-15", "--format", "json")
    scanned = run_in(tmp_path, "scan", units, "--as-of", "2026-01-15", "--format", "json", "--quiet", "--jobs", "1")
    audit, scan = json.loads(audited.stdout), json.loads(scanned.stdout)
    ids = [r["id"] for r in audit["rules"]]
    assert ids and all(i.startswith("MEET-") for i in ids) and "MEET-PARTY-LECTURE" not in ids
    assert [r["id"] for r in scan["rules"]] == [r["id"] for r in audit["rules"]]  # the same rules in force
    theme = {r["id"]: r["severity"] for r in scan["rules"]}["MEET-THEME-DAY-MONTHLY"]
    assert theme == "info" == {r["id"]: r["severity"] for r in audit["rules"]}["MEET-THEME-DAY-MONTHLY"]
    unit = scan["files"][0]
    assert {s: unit["findings_count"][s] for s in ("error", "warning", "info")} == {
        s: audit["summary"][s] for s in ("error", "warning", "info")}
    assert len(unit["findings"]) == audit["summary"]["findings"] > 0
    assert audited.exit_code == scanned.exit_code == 1  # fail-on: warning, from the file, for both


def test_a_waived_finding_does_not_fail_a_scan_either(tmp_path) -> None:
    (tmp_path / ".git").mkdir()
    units = tmp_path / "units"
    units.mkdir()
    shutil.copyfile(VIOLATIONS, units / "unit.xlsx")
    audited = json.loads(run_in(tmp_path, "audit", units / "unit.xlsx", "--as-of", "2026-01-15", "--format", "json",
                                "--select", "MEET-COMMITTEE-MONTHLY").stdout)
    waivers = "waivers:\n" + "".join(
        f"  - {{fingerprint: {f['fingerprint']}, reason: 顺延, approver: 机关党委, expires: 2026-12-31}}\n"
        for f in audited["findings"])
    write(tmp_path / "waivers.yaml", waivers)
    write(tmp_path / ".ledgercheck.yaml", "select: [MEET-COMMITTEE-MONTHLY]\nwaivers: waivers.yaml\n")
    assert run_in(tmp_path, "audit", units / "unit.xlsx", "--as-of", "2026-01-15").exit_code == 0
    assert run_in(tmp_path, "scan", units, "--as-of", "2026-01-15", "--quiet", "--jobs", "1").exit_code == 0


def test_settings_travel_to_a_worker_and_build_the_same_context(tmp_path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".ledgercheck.yaml", CONFIG)
    settings = resolve(CliOptions(as_of=AS_OF), cwd=tmp_path)
    copy = pickle.loads(pickle.dumps(settings))
    here, there = Context.build(settings), Context.build(copy)
    assert list(here.rulebook.rules) == list(there.rulebook.rules)
    assert here.rulebook.rules["MEET-THEME-DAY-MONTHLY"].rule.severity == "info"
    assert there.policy == here.policy and there.today == here.today == AS_OF


def test_remind_and_audit_match_dues_to_members_the_same_way(tmp_path) -> None:
    """A dues row that names another organization but a name only one member has is that member's payment,
    for the audit (DUES-MONTHLY) and for the reminders alike."""
    ledger = tmp_path / "ledger.xlsx"
    orgs = [{"org_id": "B01", "name": "第一党支部", "org_type": "党支部", "established": D(2010, 1, 1)},
            {"org_id": "B02", "name": "第二党支部", "org_type": "党支部", "established": D(2010, 1, 1)}]
    members = [{"name": "张三", "org_id": "B01", "member_kind": "正式党员", "joined_on": D(2001, 7, 1),
                "full_on": D(2002, 7, 1)},
               {"name": "李四", "org_id": "B01", "member_kind": "正式党员", "joined_on": D(2001, 7, 1),
                "full_on": D(2002, 7, 1)}]
    dues = [{"name": "张三", "org_id": "B02", "month": f"2026-{m:02d}", "paid": 50} for m in (1, 2, 3)]
    dues += [{"name": "李四", "org_id": "B01", "month": f"2026-{m:02d}", "paid": 50} for m in (1, 2)]
    write_workbook(ledger, {"orgs": orgs, "members": members, "dues": dues})
    context = Context.build(resolve(CliOptions(as_of=D(2026, 4, 20), select=("DUES-MONTHLY",), no_config=True)))
    audited = context.audit(ledger)
    unpaid_in_audit = {(f.subject.label, f.period.label if f.period else "") for f in audited.findings}
    from dateutil.relativedelta import relativedelta

    reminded = context.remind(ledger, relativedelta(days=1))
    dues_reminders = [r for r in reminded.reminders if r.topic == "dues"]
    assert [r.subject for r in dues_reminders] == ["李四"]  # 张三 paid, though the rows name B02
    assert ("李四", "2026-03") in unpaid_in_audit and not any(name == "张三" for name, _ in unpaid_in_audit)
    assert dues_reminders[0].rule_id == "DUES-MONTHLY"
