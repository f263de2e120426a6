"""Standards every shipped rule pack keeps: citations, bilingual text, passing and failing cases, fresh docs."""

from __future__ import annotations

import datetime as dt

import pytest

from ledgercheck.app.cases import load_case_file
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


def cases_by_rule(pack: str) -> dict[str, list[bool]]:
    """Rule id → for each case, whether it expects findings."""
    found: dict[str, list[bool]] = {}
    for path in sorted((RULES / pack / "tests").glob("*.yaml")):
        _doc, spec = load_case_file(path)
        assert path.stem == spec.rule, f"{path} is named after another rule than {spec.rule}"
        found.setdefault(spec.rule, []).extend(bool(case.expect) for case in spec.cases.values())
    return found


@pytest.mark.parametrize("pack", PACKS)
def test_every_rule_is_cited_bilingual_and_has_a_passing_and_a_failing_case(pack: str) -> None:
    book, rules = own_rules(pack)
    cases = cases_by_rule(pack)
    problems = []
    for loaded in rules:
        rule = loaded.rule
        if not rule.source:
            problems.append(f"{rule.id}: no citation")
        for source in rule.source:
            if source.regulation not in book.regulations:
                problems.append(f"{rule.id}: unknown regulation {source.regulation}")
            if source.article is None and not (source.note or rule.rationale):
                problems.append(f"{rule.id}: a citation without an article must explain why")
        for text in (rule.title, rule.message):
            if not (text.zh.strip() and text.en.strip()):
                problems.append(f"{rule.id}: missing zh or en text")
        if rule.rationale is None:
            problems.append(f"{rule.id}: no rationale")
        kinds = cases.get(rule.id, [])
        if False not in kinds:
            problems.append(f"{rule.id}: no passing case (expect: [])")
        if True not in kinds:
            problems.append(f"{rule.id}: no failing case (non-empty expect)")
    assert problems == []


@pytest.mark.parametrize("pack", PACKS)
def test_every_case_file_names_a_rule_of_its_pack(pack: str) -> None:
    book = load_rulebook(str(RULES / pack))
    assert set(cases_by_rule(pack)) <= set(book.rules)


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

