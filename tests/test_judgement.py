"""Findings an inspector can defend: citations, messages and explanations that never show the machinery."""

from __future__ import annotations

import re

import pytest

from ledgercheck.app.explain import explain
from ledgercheck.model.issues import CATALOG
from ledgercheck.rulebook.loader import load_rulebook

PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}")


def test_no_rule_cites_the_same_regulation_twice() -> None:
    for rule_id, loaded in load_rulebook("national").rules.items():
        regulations = [source.regulation for source in loaded.rule.source]
        assert len(regulations) == len(set(regulations)), rule_id


def test_a_merged_citation_reads_as_one() -> None:
    book = load_rulebook("national")
    citation = book.citation(book.rules["ORG-JG-GENERAL-BRANCH-50-100"].rule, short=True)
    assert citation.zh.count("机关基层组织工作条例") == 1 and "第五、六条" in citation.zh
    assert "Arts." in citation.en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_never_shows_a_placeholder(lang: str) -> None:
    book = load_rulebook("national")
    for code in [*CATALOG, *book.rules]:
        explanation = explain(book, code, lang)  # type: ignore[arg-type]
        for section in explanation.sections:
            for line in section.lines:
                assert not PLACEHOLDER.search(line), (code, line)


def test_the_rule_case_harness_reports_a_placeholder_left_in_a_message() -> None:
    import datetime as dt

    from ledgercheck.app.cases import unfilled
    from ledgercheck.common.i18n import Text
    from ledgercheck.findings.finding import Finding, Subject
    from ledgercheck.findings.result import AuditResult
    from ledgercheck.findings.severity import Severity
    from ledgercheck.model.periods import Window

    result = AuditResult("x.xlsx", dt.date(2026, 1, 15), Window(dt.date(2025, 1, 1), dt.date(2026, 1, 15)), [])
    fields = {name: None for name in Finding.__dataclass_fields__}  # type: ignore[attr-defined]
    finding = Finding(**{**fields, "rule_id": "R", "severity": Severity("warning"), "org_id": "B01",
                         "org_name": "B", "subject": Subject("org", "B01", "B"),
                         "message": Text("转正日期{full_on}", "full member since None")})
    result.findings.append(finding)
    assert len(unfilled(result)) == 2
