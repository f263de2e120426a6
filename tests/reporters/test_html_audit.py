"""The audit's HTML page, checked as the secretary reading it would: every finding under its organization, the
counts, escaping, nothing fetched, input problems first when the check is incomplete, English, the command
line, and a phone-width rendering in a real browser."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from ledgercheck.app.audit import audit_workbook
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.findings.finding import WaiverRef
from ledgercheck.findings.result import RuleInfo
from ledgercheck.findings.severity import Severity
from ledgercheck.model.issues import INPUT_FIXES
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.html_ import CSS, OTHER, body, category, org_anchor, write
from ledgercheck.reporters.labels import where
from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import AS_OF, CLEAN, VIOLATIONS, cli, copy_sample, set_cell
from tests.scan.test_reports import CHROMIUM, chromium

SCRIPT = "<script>alert(1)</script>"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def text_of(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment.replace("<br>", "\n")))


def org_sections(page: str) -> dict[str, str]:
    """Section id → its text, for every organization's section."""
    found = re.findall(r'<section class="lc-org" id="([^"]+)">(.*?)</section>', page, re.S)
    return {anchor: text_of(content) for anchor, content in found}


def cards(page: str) -> dict[str, int]:
    return {key: int(n) for key, n in re.findall(r'data-key="(\w+)"><b>(\d+)</b>', page)}


def render(tmp_path: Path, ledger: Path, *args: str) -> tuple[int, str, dict[str, Any]]:
    """The exit code, the HTML page written with -o, and the JSON audit of the same ledger."""
    target = tmp_path / f"{ledger.stem}-{'-'.join(args) or 'zh'}.html"
    result = cli("audit", ledger, "--format", "html", "-o", target, *args)
    assert result.exit_code in (0, 1, 2), result.output
    doc = json.loads(cli("audit", ledger, "--format", "json", *args).stdout)
    return result.exit_code, target.read_text(encoding="utf-8"), doc


@pytest.fixture(scope="module")
def violations(tmp_path_factory) -> tuple[int, str, dict[str, Any]]:
    return render(tmp_path_factory.mktemp("html"), VIOLATIONS)


@pytest.fixture(scope="module")
def incomplete_ledger(tmp_path_factory) -> Path:
    """The violations sample with an unreadable date (组织生活!C2), no 党费 sheet (its rules are skipped) and markup
    in an organization's name (组织!B3, B01)."""
    path = copy_sample(tmp_path_factory.mktemp("incomplete"), "incomplete.xlsx")
    book = load_workbook(path)
    del book["党费"]
    book.save(path)
    set_cell(path, "组织生活", "C2", "2025年13月45日")
    return set_cell(path, "组织", "B3", f"{SCRIPT}办公室党支部")


@pytest.fixture(scope="module")
def incomplete(tmp_path_factory, incomplete_ledger: Path) -> tuple[int, str, dict[str, Any]]:
    return render(tmp_path_factory.mktemp("html"), incomplete_ledger)


def test_every_finding_is_under_its_organization(violations) -> None:
    _code, page, doc = violations
    sections = org_sections(page)
    assert list(sections) == [org_anchor(o["org_id"]) for o in doc["organizations"]]  # ledger order, every one
    assert doc["findings"]
    rules = {r["id"]: r for r in doc["rules"]}
    by_print = {f["fingerprint"]: f for f in doc["findings"]}
    for group in doc["groups"]:  # a rule broken by one subject in several periods is one row: the series, the first
        finding = by_print[group["fingerprints"][0]]
        text = sections[org_anchor(finding["org_id"])]
        assert group["message"] in text and finding["message"] in text, finding
        assert rules[finding["rule"]["id"]]["title"] in text and finding["rule"]["id"] in text
        if finding["location"]:
            assert where(finding["location"]) in text  # 党员!A14, no file name: the ledger is one workbook
    for rule in {f["rule"]["id"] for f in doc["findings"]}:
        if rules[rule]["fix"]:
            assert rules[rule]["fix"] in text_of(page)
    # The table of organizations links to each section.
    anchors = re.findall(r'href="#([^"]+)"', page)
    assert set(anchors) >= set(sections) and all(f'id="{a}"' in page for a in anchors)
    clean = [o for o in doc["organizations"] if not any(f["org_id"] == o["org_id"] for f in doc["findings"])]
    assert clean and all("未发现问题" in sections[org_anchor(o["org_id"])] for o in clean)


def test_the_cards_and_the_chart_agree_with_the_json_summary(violations, incomplete) -> None:
    for _code, page, doc in (violations, incomplete):
        summary = doc["summary"]
        assert cards(page) == {"orgs": summary["organizations"], "error": summary["error"],
                               "warning": summary["warning"], "info": summary["info"],
                               "inputs": summary["input_errors"] + summary["input_warnings"]}
        bars = re.findall(r'<rect class="lc-bar"[^>]*><title>[^<]*? (\d+)</title>', page)
        assert sum(map(int, bars)) == summary["findings"]
    total = re.search(r"<tfoot>(.*?)</tfoot>", violations[1]).group(1)
    assert [int(n) for n in re.findall(r">(\d+)</td>", total)] == [violations[2]["summary"][s]
                                                                    for s in ("error", "warning", "info")]


def test_findings_are_grouped_by_category_in_the_tables_order() -> None:
    def rule(*tags: str) -> RuleInfo:
        return RuleInfo("X", Text("", ""), Severity.ERROR, Text("", ""), tags=tags)

    assert category(rule("三会一课", "local-practice")) == "三会一课"
    assert category(rule("local-practice", "三会一课")) == "local-practice"
    assert category(rule("我们的", "党费")) == "党费"
    assert category(rule("我们的")) == category(rule()) == category(None) == OTHER
    page = body(audit_workbook(VIOLATIONS, as_of=AS_OF), "zh")
    b01 = re.search(r'id="lc-org-B01">(.*?)</section>', page, re.S).group(1)
    headings = re.findall(r"<h4>(\S+) ", b01)
    assert headings == ["三会一课", "党费", "台账"]


def test_ledger_text_is_escaped(incomplete) -> None:
    _code, page, doc = incomplete
    assert SCRIPT not in page and "<script" not in page
    assert html.escape(SCRIPT) in page
    sections = org_sections(page)
    firsts = {g["fingerprints"][0] for g in doc["groups"]}
    for finding in doc["findings"]:  # still readable, in its place (a series shows its first period's message)
        if finding["fingerprint"] in firsts:
            assert finding["message"] in sections[org_anchor(finding["org_id"])]
    assert any(SCRIPT in f["message"] for f in doc["findings"])
    assert org_anchor("B01") == "lc-org-B01" and org_anchor("第一支部") == "lc-org-第一支部"
    odd = [org_anchor(v) for v in ('a" onmouseover="x', "a_onmouseover_x", "a b", "a/b", "<>")]
    assert len(set(odd)) == len(odd) and all(re.fullmatch(r"lc-org-[\w-]+", a) for a in odd)


def test_the_page_fetches_nothing(violations) -> None:
    _code, page, _doc = violations
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert f"<style>{CSS}</style>" in page and "<title>台账检查报告" in page
    assert not re.search(r"https?://|\bsrc=|<link|<script|<img|<iframe|@import|url\(", page, re.IGNORECASE)
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', page))
    assert "Noto Sans CJK SC" in CSS and "Microsoft YaHei" in CSS and "@page { size: A4; margin: 15mm; }" in CSS
    # Every rule is scoped to the report's own classes (a web page embeds the fragment among its own).
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{[^{}]*\}", CSS) for s in block.split(",")]
    assert all(s.startswith((".lc-", "@")) or s in ("from", "to") for s in selectors if s), selectors


def test_input_problems_come_first_when_the_check_is_incomplete(violations, incomplete) -> None:
    code, page, doc = incomplete
    assert code == 2 and doc["summary"]["input_errors"] == 1 and doc["skipped_rules"]
    assert page.index('id="lc-inputs"') < page.index('id="lc-findings"')
    status = text_of(re.search(r'<p class="lc-status[^"]*"[^>]*>(.*?)</p>', page).group(1))
    assert status.startswith(f"检查不完整：有1个输入问题，{len(doc['skipped_rules'])}条规则因缺少数据未检查")
    assert "先改正下面的输入问题" in status
    inputs = text_of(page[page.index('id="lc-inputs"'):page.index('id="lc-findings"')])
    assert "组织生活!C2" in inputs and INPUT_FIXES["INPUT-BAD-DATE"].zh in inputs
    assert doc["input_issues"][0]["message"] in inputs
    assert "未检查的规则" in inputs and all(s["rule"] in inputs and s["reason"] in inputs
                                          for s in doc["skipped_rules"])
    code, page, _doc = violations
    assert code == 1 and page.index('id="lc-findings"') < page.index('id="lc-inputs"')
    assert "检查完整" in page and "没有输入问题" in page


def test_a_clean_ledger_says_no_problems_were_found(tmp_path) -> None:
    code, page, doc = render(tmp_path, CLEAN)
    assert code == 0 and not doc["findings"]
    assert re.search(r'<p class="lc-status lc-status-clean"[^>]*>✓ 未发现问题', page)
    assert "lc-findings" not in page.split('id="lc-findings"')[1]  # no findings table
    assert all("未发现问题" in text for text in org_sections(page).values())


def test_english_labels(tmp_path, incomplete_ledger: Path) -> None:
    _code, page, _doc = render(tmp_path, incomplete_ledger, "--lang", "en")
    labels = re.findall(r"<(h1|h2|h4|th)\b[^>]*>(.*?)</\1>", page, re.S)
    labels += re.findall(r"<(span)>([^<]*)</span></div>", page)  # the cards
    labels += re.findall(r'<(p) class="lc-status[^"]*"[^>]*>(.*?)</p>', page)
    assert len(labels) > 20
    assert not [text for _tag, text in labels if CJK.search(text_of(text))]
    for words in ("Ledger audit report", "Input problems", "Rules not checked", "Findings", "How to fix",
                  "Incomplete check: 1 input problem"):
        assert words in page
    assert '<html lang="en">' in page


def test_waived_and_baseline_findings_are_marked_not_hidden() -> None:
    result = audit_workbook(VIOLATIONS, as_of=AS_OF)
    waiver = WaiverRef("整改中", "王书记", dt.date(2026, 6, 30), Location("waivers.yaml", line=2), "rule")
    first, second = result.findings[:2]
    result.findings[0] = dataclasses.replace(first, waiver=waiver, baseline_state="open")
    result.findings[1] = dataclasses.replace(second, baseline_state="new")
    page = body(result, "zh")
    assert page.startswith('<div class="lc-report"') and "<body" not in page and "<html" not in page
    row = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", page) if html.escape(first.message("zh")) in r)
    assert "lc-waived" in row and "已豁免" in row and "未整改" in row and "整改中" in row and "王书记" in row
    row = next(r for r in re.findall(r"<tr[^>]*>.*?</tr>", page) if html.escape(second.message("zh")) in r)
    assert 'lc-badge-new">新增<' in row


def test_the_file_name_is_shown_only_when_the_ledger_is_several_workbooks(tmp_path, violations) -> None:
    folder = tmp_path / "台账"
    folder.mkdir()
    for name in load_workbook(VIOLATIONS).sheetnames:
        book = load_workbook(VIOLATIONS)
        for other in [s for s in book.sheetnames if s != name]:
            book.remove(book[other])
        book.save(folder / f"{name}.xlsx")
    _code, page, _doc = render(tmp_path, folder)
    assert "[组织.xlsx]</span><code>" in page and "[党员.xlsx]</span><code>" in page
    assert 'class="lc-file"' not in violations[1]


def test_the_command_line_writes_the_page(tmp_path) -> None:
    target = tmp_path / "r.html"
    result = cli("audit", VIOLATIONS, "--format", "html", "-o", target)
    assert result.exit_code == 1 and result.stdout == "" and "汇总：" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    stdout = cli("audit", CLEAN, "--format", "html")
    assert stdout.exit_code == 0 and stdout.stdout.rstrip().endswith("</html>")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's chromium package)")
def test_a_phone_shows_the_page_without_sideways_scrolling(violations, tmp_path: Path) -> None:
    """At 400 px the page fits its width and the findings stack into blocks instead of squeezed columns.

    The report sits in a 400 px iframe (headless Chromium has a minimum window width larger than a phone), and
    a script of the test, not of the report, writes the measures into the DOM for --dump-dom."""
    page = tmp_path / "phone.html"
    probe = ("addEventListener('load', () => { const d = document.getElementById('r').contentDocument;"
             " const cells = [...d.querySelectorAll('.lc-findings td')].map(c => c.getBoundingClientRect().width);"
             " document.getElementById('out').textContent = JSON.stringify({scroll: d.documentElement.scrollWidth,"
             " client: d.documentElement.clientWidth, cells: cells.length, narrowest: Math.min(...cells)}); });")
    page.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe id="r" style="width:400px;height:800px;'
                    f'border:0" srcdoc="{html.escape(violations[1])}"></iframe><pre id="out"></pre>'
                    f"<script>{probe}</script></body></html>", encoding="utf-8")
    dom = chromium("--window-size=800,900", "--dump-dom", page.as_uri(), tmp_path=tmp_path)
    assert dom.returncode == 0, dom.stderr
    measured = json.loads(html.unescape(re.search(r'<pre id="out">(.*?)</pre>', dom.stdout).group(1)))
    assert measured["client"] == 400 and measured["scroll"] <= 400, measured
    assert measured["cells"] >= 4 * len(violations[2]["findings"])
    assert measured["narrowest"] > 300, measured  # each cell as wide as the screen, not a column of two characters


def test_write_and_body_agree() -> None:
    import io

    result = audit_workbook(CLEAN, as_of=dt.date.fromisoformat(SAMPLE_AS_OF))
    out = io.StringIO()
    write(result, out, ReportOptions(lang="en"))
    assert body(result, "en") in out.getvalue()


def test_a_bidi_override_in_the_ledger_reverses_nothing(tmp_path: Path) -> None:
    """U+202E in an organization's name showed the rest of each line backwards (its ID D01 as 10D, a message
    read right to left) in every report a person reads. It is spelled out, as a control character is."""
    ledger = set_cell(copy_sample(tmp_path), "组织", "B3", "办公\u202e室党支部")
    for format_ in ("html", "table", "markdown", "csv"):
        out = tmp_path / f"report.{format_}"
        result = cli("audit", ledger, "--format", format_, "-o", out)
        assert result.exit_code == 1, result.output
        shown = out.read_text(encoding="utf-8-sig")
        assert "\u202e" not in shown and "办公\\u202e室党支部" in shown, format_
