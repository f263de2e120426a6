"""Rules judged while the last sheet is still being parsed (the audit's `EarlyRules`) find what they find on the
whole ledger.

While `audit` waits for the background parse of a workbook's largest sheet (the dues, in a large ledger), the
loader hands the ledger read so far to the engine as a PartialLedger: the sheets not read yet are pending, and a
rule that touches one of them (Pending) is judged later with the others. The dues sheet is read last then, where
that cannot change the order of any records.

The JSON of `audit` with the early rules forced before each sheet of each workbook is compared with the audit
that judges every rule at the end (`context.EARLY` off), on the samples, the small benchmark ledger, a realistic
unit and the share of the malformed corpus the other equivalence tests compare (tests/budget.py); with the whole
corpus (LEDGERCHECK_EQUIVALENCE=full), before each workbook's dues sheet and its last sheet.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.ledgers import generate as generate_ledger
from ledgercheck.app import audit as app_audit
from ledgercheck.app import context
from ledgercheck.cli import main
from ledgercheck.common.i18n import Text
from ledgercheck.engine.evaluate import Early, Verdict, audit, default_window, judge_early
from ledgercheck.findings.result import SkippedRule
from ledgercheck.ingest import loader as loader_module
from ledgercheck.ingest.loader import load_ledger
from ledgercheck.ingest.workbook import Workbook
from ledgercheck.model.ledger import Ledger, PartialLedger, Pending, PendingRecords
from ledgercheck.rulebook.loader import load_rulebook
from tests.budget import FULL, compared_folder, corpus
from tests.conftest import SAMPLE_AS_OF, SAMPLES

AS_OF = dt.date.fromisoformat(SAMPLE_AS_OF)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = compared_folder(tmp_path_factory.mktemp("early-rules"))
    generate_ledger("unit", folder / "unit-1.xlsx", seed=1)
    return [*sorted(folder.glob("*.xlsx")), *corpus(folder)]


def _json(path: Path) -> str:
    result = CliRunner().invoke(main, ["audit", str(path), "--format", "json", "--fail-on", "never",
                                       "--as-of", SAMPLE_AS_OF, "--no-config"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return f"{result.exit_code}\n{result.output}"


def _sheets(path: Path) -> list[str]:
    """The sheet names, through the preflight: calamine alone aborts the process on some of the corpus."""
    try:
        with Workbook(path, path.name) as book:
            return book.sheet_names
    except Exception:  # noqa: BLE001 - a file the audit refuses: audited once, with nothing to force
        return []


def _targets(sheets: list[str]) -> list[str]:
    """The sheets to force the early rules before: each of them; with the whole corpus compared
    (LEDGERCHECK_EQUIVALENCE=full), only the dues sheet and the last one, where the early rules see the most
    (forcing before every sheet of every hostile file took longer than 25 minutes). A workbook of hundreds of
    sheets (many-sheets.xlsx: 439 audits) gets its first three besides."""
    ends = [name for name in sheets if "党费" in name or "dues" in name.lower() or name == sheets[-1]]
    if FULL:
        return ends
    return sheets if len(sheets) <= 12 else list(dict.fromkeys([*sheets[:3], *ends]))


class _Spy:
    """Counts the rules judged early and taken by the final audit."""

    def __init__(self, patch: pytest.MonkeyPatch):
        self.judged = self.taken = 0
        original = app_audit.judge_early

        def judge(ledger: PartialLedger, rulebook: object, window: object) -> Early:
            early = original(ledger, rulebook, window)  # type: ignore[arg-type]
            self.judged += len(early.verdicts)
            return early

        patch.setattr(app_audit, "judge_early", judge)
        audit_before = app_audit.audit

        def final(ledger: Ledger, rulebook: object, window: object, early: Early | None = None) -> object:
            if early is not None and early.window == window:
                self.taken += len(early.verdicts)
            return audit_before(ledger, rulebook, window, early)  # type: ignore[arg-type]

        patch.setattr(app_audit, "audit", final)


def test_rules_judged_early_find_what_they_find_at_the_end(files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(context, "EARLY", False)
        plain = {path: _json(path) for path in files}
    spy = _Spy(monkeypatch)
    forced = 0
    for path in files:
        for target in _targets(_sheets(path)):
            # As if the background parse were still on this sheet when the loader comes to it.
            monkeypatch.setattr(Workbook, "waits_for_largest", lambda _self, name, target=target: name == target)
            assert _json(path) == plain[path], f"{path.name}, early before {target}"
            forced += 1
    assert forced > 30
    assert spy.taken > 100 and spy.judged >= spy.taken  # rules were judged early, and their verdicts used
    audited = [json.loads(text.split("\n", 1)[1]) for text in plain.values() if text.startswith(("0\n", "1\n"))]
    assert len(audited) >= 8 and sum(len(a["findings"]) for a in audited) > 20
    assert sum(len(a["input_issues"]) for a in audited) >= 4  # the corpus: input problems compared too


def test_the_dues_sheet_is_read_last_only_where_that_changes_no_order(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[list[str]] = []
    sheet = loader_module._Loader._sheet

    def reading(self: loader_module._Loader, book: Workbook, display: str, name: str) -> object:
        read[-1].append(name)
        return sheet(self, book, display, name)

    monkeypatch.setattr(loader_module._Loader, "_sheet", reading)
    monkeypatch.setattr(Workbook, "waits_for_largest", lambda _self, name: name == "党费")
    rulebook = load_rulebook("national")
    for early in (None, app_audit.EarlyRules(rulebook, AS_OF)):
        read.append([])
        load_ledger(SAMPLES / "violations.xlsx", early=early)
    names = _sheets(SAMPLES / "violations.xlsx")
    assert read[0] == [n for n in names if n == "组织"] + [n for n in names if n != "组织"]
    assert read[1] == [n for n in read[0] if n != "党费"] + ["党费"]
    loaded = load_ledger(SAMPLES / "violations.xlsx")
    assert [s.name for s in loaded.sheets] == names  # reported in the workbook's order all the same


def test_two_dues_sheets_keep_their_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second dues sheet (2025年党费) would change the order of dues records if the first were read last."""
    from openpyxl import load_workbook

    book = load_workbook(SAMPLES / "violations.xlsx")
    copy = book.copy_worksheet(book["党费"])
    copy.title = "2025年党费"
    path = tmp_path / "two-dues.xlsx"
    book.save(path)
    with monkeypatch.context() as patch:
        patch.setattr(context, "EARLY", False)
        plain = _json(path)
    spy = _Spy(monkeypatch)
    for target in ("党费", "2025年党费"):
        monkeypatch.setattr(Workbook, "waits_for_largest", lambda _self, name, target=target: name == target)
        assert _json(path) == plain, target
    assert spy.taken > 0


def test_a_pending_sheet_cannot_be_used() -> None:
    loaded = load_ledger(SAMPLES / "violations.xlsx")
    whole = loaded.ledger
    partial = PartialLedger(whole.file, orgs=whole.orgs, members=whole.members, meetings=whole.meetings,
                            dues=PendingRecords("dues"), elections=whole.elections, recruits=whole.recruits,
                            training=whole.training, columns={k: v for k, v in whole.columns.items() if k != "dues"})
    org = whole.orgs[0].org_id
    for use in (lambda: len(partial.dues), lambda: list(partial.dues), lambda: bool(partial.dues),
                lambda: partial.dues[0], lambda: partial.dues_by_org.get(org), lambda: org in partial.dues_by_org,
                lambda: partial.has_sheet("dues"), lambda: partial.has_column("dues", "paid"),
                lambda: partial.activity_span(), lambda: partial.people.dues_of):
        with pytest.raises(Pending):
            use()
    # What does not need the dues is there: members found by name, their recruits and training.
    member = whole.members[0]
    assert partial.people.find(member.name, member.id_number, member.org_id) is member
    assert partial.people.recruit_of == whole.people.recruit_of
    assert partial.has_sheet("members") and partial.members_by_org == whole.members_by_org
    assert not issubclass(Pending, Exception)  # no `except Exception` in a kind takes it for the rule's failure
    # The window so far: the meetings alone.
    assert partial.span_so_far() == Ledger(whole.file, meetings=whole.meetings).activity_span()


def test_rules_that_need_a_pending_sheet_are_left_for_the_end() -> None:
    rulebook = load_rulebook("national")
    whole = load_ledger(SAMPLES / "violations.xlsx").ledger
    partial = PartialLedger(whole.file, orgs=whole.orgs, members=whole.members, meetings=whole.meetings,
                            dues=PendingRecords("dues"), elections=whole.elections, recruits=whole.recruits,
                            training=whole.training, columns={k: v for k, v in whole.columns.items() if k != "dues"})
    window = default_window(whole, AS_OF)
    early = judge_early(partial, rulebook, window)
    final = audit(whole, rulebook, window)
    dues_rules = {rule_id for rule_id in rulebook.rules if rule_id.startswith(("DUES-", "REC-DUES"))}
    assert dues_rules and not dues_rules & set(early.verdicts)
    assert len(early.verdicts) > len(rulebook.rules) // 2
    for rule_id, verdict in early.verdicts.items():  # each as the whole ledger judges it
        assert [f.fingerprint for f in verdict.findings] == [f.fingerprint for f in final.findings
                                                             if f.rule_id == rule_id]


def test_verdicts_count_only_under_their_window() -> None:
    rulebook = load_rulebook("national")
    whole = load_ledger(SAMPLES / "violations.xlsx").ledger
    window = default_window(whole, AS_OF)
    rule_id = next(iter(rulebook.rules))
    planted = Verdict(skipped=SkippedRule(rule_id, Text("（测试）", "(planted)"), Text("测试", "planted")))
    taken = audit(whole, rulebook, window, Early(window, {rule_id: planted}))
    assert [s.reason.en for s in taken.skipped_rules if s.rule_id == rule_id] == ["(planted)"]
    other = dt.date(window.start.year - 1, 1, 1)
    ignored = audit(whole, rulebook, window, Early(type(window)(other, window.as_of), {rule_id: planted}))
    assert "(planted)" not in [s.reason.en for s in ignored.skipped_rules]
