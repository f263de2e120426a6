"""Standards every shipped rule pack keeps: citations, bilingual text, passing and failing cases, fresh docs."""

from __future__ import annotations

import datetime as dt

import pytest

from ledgercheck.app.cases import case_kinds, standard_problems
from ledgercheck.app.reference import generate
from ledgercheck.checks import KINDS
from ledgercheck.common.i18n import placeholders
from ledgercheck.rulebook.loader import load_rulebook
from tests.conftest import ROOT, RULES

PACKS = sorted(p.parent.name for p in RULES.glob("*/pack.yaml"))


def own_rules(pack: str):
    book = load_rulebook(str(RULES / pack))
    name = book.packs[-1][0]
    return book, [loaded for loaded in book.rules.values() if loaded.pack == name]


@pytest.mark.parametrize("pack", PACKS)
def test_every_rule_keeps_the_standard(pack: str) -> None:
    """Cited, bilingual, explained, with a passing and a failing case (app/cases.py states the standard)."""
    book = load_rulebook(str(RULES / pack))
    assert [problem.en for problem in standard_problems(book, case_kinds(book))] == []


def test_the_standard_names_what_a_rule_lacks(tmp_path) -> None:
    pack = tmp_path / "local"
    (pack / "tests").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: local\nversion: '1'\nextends: national\n", "utf-8")
    (pack / "rules.yaml").write_text("""rules:
  - id: LOCAL-STUDY-YEARLY
    title: {zh: 每年集中学习, en: Group study every year}
    severity: info
    source: {regulation: S-ZB}
    check: {kind: frequency, activity: 集中学习, period: year}
    message: {zh: "{org}未集中学习", en: "{org} held no group study"}
""", "utf-8")
    (pack / "tests" / "LOCAL-STUDY-YEARLY.yaml").write_text("""rule: LOCAL-STUDY-YEARLY
as_of: 2026-01-15
ledger:
  orgs: [{org_id: B01, name: 第一党支部, org_type: 党支部, established: 2020-01-01}]
cases:
  none_held:
    expect: [{org: B01}]
""", "utf-8")
    book = load_rulebook(str(pack))
    assert [problem.en for problem in standard_problems(book, case_kinds(book))] == [
        "LOCAL-STUDY-YEARLY: a citation without an article must say why (a note or the rationale)",
        "LOCAL-STUDY-YEARLY: no rationale (what the rule checks and why, in both languages)",
        "LOCAL-STUDY-YEARLY: no passing case (a case with `expect: []`)"]


@pytest.mark.parametrize("pack", PACKS)
def test_every_case_file_names_a_rule_of_its_pack(pack: str) -> None:
    book = load_rulebook(str(RULES / pack))
    assert set(case_kinds(book)) <= set(book.rules)


@pytest.mark.parametrize("pack", PACKS)
def test_messages_render_with_sample_evidence(pack: str) -> None:
    _book, rules = own_rules(pack)
    for loaded in rules:
        kind = KINDS[loaded.rule.check.kind]
        names = placeholders(loaded.rule.message.zh) | placeholders(loaded.rule.message.en)
        values = {name: dt.date(2025, 1, 1) for name in names}
        text = loaded.rule.message.text().format(**values)
        assert "{" not in text.zh + text.en, loaded.rule.id
        assert names <= kind.placeholders(loaded.rule.check) | {"org", "org_id", "subject", "period"}


def test_recalled_figures_are_parameters_and_say_so() -> None:
    _book, rules = own_rules("national")
    for loaded in rules:
        if any(s.confidence == "recalled" for s in loaded.rule.source):
            rationale = loaded.rule.rationale
            assert rationale is not None and ("未核实" in rationale.zh or "参数" in rationale.zh), loaded.rule.id


def test_docs_rules_md_is_up_to_date() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == generate(), "docs/rules.md is stale: run `ledgercheck rules docs --write docs/rules.md`"


def test_local_example_extends_tightens_disables_and_adds() -> None:
    national = load_rulebook("national")
    local = load_rulebook(str(RULES / "local-example"))
    assert "ORG-JG-COMMITTEE-100" in national.rules and "ORG-JG-COMMITTEE-100" not in local.rules
    assert local.rules["MEET-HEART-TALK-ANNUAL"].rule.check.min > national.rules["MEET-HEART-TALK-ANNUAL"].rule.check.min
    assert "LOCAL-DEV-ACTIVIST-AFTER-6M" in local.rules and "LOCAL-DEV-ACTIVIST-AFTER-6M" not in national.rules

