"""The scan as one self-contained HTML page: the summary tables and charts (inline SVG), then each unit.

Nothing is fetched when the page opens: no script, font or style from the network. Every piece of
ledger text is escaped. The font stack lists the CJK fonts of Windows, macOS and Linux.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from html import escape
from typing import TextIO

from ledgercheck.common.i18n import Text
from ledgercheck.findings.scan.report import ScanReport
from ledgercheck.findings.scan.store import FileRow
from ledgercheck.findings.scan.summary import SCORE_FORMULA
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.scan import svg
from ledgercheck.reporters.scan.labels import (
    SEVERITY_ONE,
    STATUS,
    TREND,
    TREND_ORDER,
    L,
    movement_mark,
    org_type,
    percent,
    score,
    score_labels,
    size_labels,
)
from ledgercheck.reporters.scan.table_ import RANKED, header_lines, interrupted_line, overview_line, rankings

FINDINGS_LIMIT = 50_000  # beyond this a browser page gets sluggish; the xlsx and json reports have them all
LIMITED = Text("（问题超过 {limit} 条，其余见 xlsx 或 json 报告）",
               "(more than {limit} findings; the rest are in the xlsx and json reports)")

CSS = """
:root { --red: #C00000; --ink: #212121; --muted: #616161; --line: #E0E0E0; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 24px 32px 64px; color: var(--ink); background: #FFF;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", "Noto Sans SC", sans-serif;
  font-size: 14px; line-height: 1.6; }
h1 { color: var(--red); font-size: 26px; margin: 0 0 4px; border-bottom: 3px solid var(--red); padding-bottom: 8px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-left: 10px; border-left: 5px solid var(--red); }
.meta { color: var(--muted); margin: 2px 0; }
.alert { color: var(--red); font-weight: bold; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0; }
.card { flex: 1 1 130px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card b { display: block; font-size: 24px; }
.card span { color: var(--muted); }
.card.bad b { color: var(--red); }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
svg.chart { max-width: 100%; height: auto; }
svg.chart text { fill: var(--ink); }
svg.chart .axis { fill: var(--muted); }
svg.chart .chart-title { font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #FBE9E7; white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.unreadable td { background: #FFEBEE; }
.error { color: var(--red); font-weight: bold; }
.warning { color: #E65100; }
.info { color: #1565C0; }
details { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 4px 10px; }
summary { cursor: pointer; }
.formula { color: var(--muted); font-size: 13px; }
@media print { details { page-break-inside: avoid; } details > * { display: block; } }
"""


def _table(headers: list[str], rows: Iterable[list[tuple[str, str]]], numeric: Collection[int] = frozenset(),
           row_class: Iterable[str] | None = None) -> str:
    """rows: cells as (html, css class). Cells are escaped by the caller via `c()`."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    classes = iter(row_class) if row_class is not None else None
    for row in rows:
        klass = next(classes, "") if classes is not None else ""
        cells = "".join(f'<td class="{" ".join(filter(None, ["n" if i in numeric else "", css]))}">{content}</td>'
                        if (i in numeric or css) else f"<td>{content}</td>" for i, (content, css) in enumerate(row))
        body.append(f'<tr class="{klass}">{cells}</tr>' if klass else f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def c(value: object, css: str = "") -> tuple[str, str]:
    return ("" if value is None else escape(str(value)), css)


class _Page:
    def __init__(self, report: ScanReport, stream: TextIO):
        self.report = report
        self.stream = stream
        self.lang = report.lang
        self.out: list[str] = []

    def h(self, *keys: str) -> list[str]:
        return [L[k](self.lang) for k in keys]

    def head(self) -> None:
        report, lang = self.report, self.lang
        title = L["title"](lang)
        self.out.append(f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
                        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>")
        self.out.append(f"<h1>{escape(title)}</h1>")
        for line in header_lines(report):
            self.out.append(f'<p class="meta">{escape(line)}</p>')
        if report.outcome.interrupted:
            self.out.append(f'<p class="alert">{escape(interrupted_line(report))}</p>')

    def cards(self) -> None:
        t, lang = self.report.totals, self.lang
        items = [(L["files"](lang), t.files, ""), (L["audited"](lang), t.audited, ""),
                 (STATUS["unreadable"](lang), t.statuses["unreadable"], "bad" if t.statuses["unreadable"] else ""),
                 (L["orgs"](lang), t.orgs, ""), (L["members"](lang), t.members, ""),
                 (L["error"](lang), t.findings["error"], "bad" if t.findings["error"] else ""),
                 (L["warning"](lang), t.findings["warning"], ""), (L["mean_score"](lang), score(t.mean_score), "")]
        self.out.append('<div class="cards">' + "".join(
            f'<div class="card {css}"><b>{escape(str(value))}</b><span>{escape(label)}</span></div>'
            for label, value, css in items) + "</div>")
        self.out.append(f"<p><b>{escape(overview_line(self.report))}</b></p>")
        self.out.append(f'<p class="formula">{escape(SCORE_FORMULA(lang))}</p>')

    def charts(self) -> None:
        report, lang = self.report, self.lang
        items = [(f"{info.title(lang)}", tally.rate, f"{percent(tally.rate)}（{tally.complying}/{tally.judged}）"
                  if lang == "zh" else f"{percent(tally.rate)} ({tally.complying}/{tally.judged})")
                 for info, tally in report.rule_rows()]
        self.out.append(svg.rate_bars(items, L["compliance"](lang), width=1000))
        branches = report.totals.sizes.get("党支部", [0] * len(size_labels()))
        self.out.append('<div class="charts">')
        self.out.append(svg.columns(list(zip(score_labels(), report.totals.scores)), L["score_dist"](lang),
                                    svg.AMBER))
        self.out.append(svg.columns(list(zip(size_labels(), branches)),
                                    Text("党支部规模分布（党员人数）", "branch sizes (members)")(lang), svg.BLUE))
        self.out.append("</div>")

    def rankings(self) -> None:
        report, lang, store = self.report, self.lang, self.report.store
        if not report.totals.scored_units:
            return
        moved = report.movement
        headers = self.h("rank", "units", "file", "orgs", "error", "warning", "score") + (
            self.h("move") if moved is not None else [])

        def rows(items: Iterable[FileRow]) -> list[list[tuple[str, str]]]:
            return [[c(r.rank), c(r.unit), c(r.path), c(r.orgs), c(r.counts["error"]), c(r.counts["warning"]),
                     c(score(r.score))] + ([c(movement_mark(moved.of(r.unit or r.path), lang))] if moved else [])
                    for r in items]

        for title, ranked in rankings(report):
            self.out.append(f"<h2>{escape(title)}</h2>")
            self.out.append(_table(headers, rows(ranked), {0, 3, 4, 5, 6, 7}))
        self.movement()
        self.out.append(f"<h2>{escape(L['worst_orgs'](lang))}</h2>")
        org_rows = [[c(o.unit or o.path), c(f"{o.name}（{o.org_id}）"), c(org_type(o.org_type, lang)), c(o.members),
                     c(o.counts["error"]), c(o.counts["warning"]), c(f"{o.rules_failed}/{o.rules_judged}"),
                     c(score(o.score))] for o in store.orgs(order="worst", limit=RANKED)]
        self.out.append(_table(self.h("units", "org", "org_type", "members", "error", "warning", "rules_failed",
                                      "score"), org_rows, {3, 4, 5, 6, 7}))

    def movement(self) -> None:
        """Against the previous round of the history: the units by trend, each with its score over the rounds."""
        moved, lang = self.report.movement, self.lang
        if moved is None:
            return
        self.out.append(f"<h2>{escape(L['movement'](lang))}</h2>")
        now, before = moved.now, moved.before
        rate = moved.rectification_rate
        self.out.append(f'<p class="meta">#{now.id} {escape(now.label)} ← #{before.id} {escape(before.label)}'
                        f" · {escape(L['unit_rate'](lang))} {escape(percent(rate))}</p>")
        headers = [*self.h("units"), L["trend"](lang), *self.h("score"), L["change"](lang), *self.h("rank", "move"),
                   L["new_f"](lang), L["open_f"](lang), L["resolved_f"](lang), L["unit_rate"](lang),
                   L["score_trend"](lang)]
        rows = []
        for m in sorted(moved.units, key=lambda m: (TREND_ORDER.index(m.trend), m.delta or 0.0, m.unit)):
            spark = svg.sparkline(list(moved.scores.get(m.unit, ())))
            rows.append([c(m.unit), c(TREND[m.trend](lang), "bad" if m.trend == "regressed" else ""),
                         c(score(m.score_now)), c("" if m.delta is None else f"{m.delta:+.1f}"), c(m.rank_now),
                         c(movement_mark(m, lang)), c(m.new if m.state != "missing" else ""),
                         c(m.still_open if m.state == "both" else ""), c(m.resolved if m.state == "both" else ""),
                         c(percent(m.rectification_rate) if m.state == "both" else ""), (spark, "")])
        self.out.append(_table(headers, rows, {2, 3, 4, 5, 6, 7, 8, 9}))

    def rules(self) -> None:
        lang = self.lang
        self.out.append(f"<h2>{escape(L['rule'](lang))}</h2>")
        moved = self.report.movement
        trends = {t.rule_id: t.rates for t in moved.rules} if moved is not None else {}

        def trend(rule_id: str) -> list[tuple[str, str]]:
            if moved is None:
                return []
            rates = [None if r is None else r * 100 for r in trends.get(rule_id, ())]
            return [(svg.sparkline(rates), "")]

        rows = [[c(info.rule_id), c(info.title(lang)), c(SEVERITY_ONE[info.severity.value](lang), info.severity.value),
                 c(info.basis(lang)), c(t.judged), c(t.complying), c(percent(t.rate)), c(t.findings),
                 c(t.units_skipped), *trend(info.rule_id)] for info, t in self.report.rule_rows()]
        headers = self.h("rule_id", "rule", "severity", "basis", "judged", "complying", "rate", "findings",
                         "units_skipped") + ([L["rate_trend"](lang)]
                                             if moved is not None else [])
        self.out.append(_table(headers, rows, {4, 5, 6, 7, 8}))

    def sizes(self) -> None:
        lang, sizes = self.lang, self.report.totals.sizes
        if not sizes:
            return
        self.out.append(f"<h2>{escape(L['sizes'](lang))}</h2>")
        rows = [[c(org_type(kind, lang)), *(c(n) for n in counts), c(sum(counts))]
                for kind, counts in sorted(sizes.items(), key=lambda item: -sum(item[1]))]
        labels = size_labels()
        self.out.append(_table([L["org_type"](lang), *labels, L["total"](lang)], rows,
                               set(range(1, len(labels) + 2))))

    def units(self) -> None:
        lang, store = self.lang, self.report.store
        self.out.append(f"<h2>{escape(L['per_unit'](lang))}</h2>")
        files = list(store.files())  # one row per file: the page lists them all anyway
        rows = [[c(r.unit), c(r.path), c(STATUS[r.status](lang), "error" if r.status == "unreadable" else ""),
                 c(r.error), c(r.orgs), c(r.members), c(r.counts["error"]), c(r.counts["warning"]),
                 c(r.counts["info"]), c(r.input_errors), c(score(r.score)), c(r.rank)] for r in files]
        self.out.append(_table(self.h("units", "file", "status", "note", "orgs", "members", "error", "warning",
                                      "info", "input_errors", "score", "rank"), rows, set(range(4, 12)),
                               ("unreadable" if r.status == "unreadable" else "" for r in files)))

    def details(self) -> None:
        report, lang, store = self.report, self.lang, self.report.store
        self.out.append(f"<h2>{escape(L['per_org'](lang))} · {escape(L['all_findings'](lang))}</h2>")
        shown = 0
        for row in store.files():
            if row.status == "unreadable":
                continue
            orgs = store.file_orgs(row.seq)
            tally = " · ".join(f"{SEVERITY_ONE[s](lang)} {row.counts[s]}" for s in ("error", "warning", "info")
                               if row.counts[s])
            self.out.append(f"<details><summary><b>{escape(row.unit or row.path)}</b> — {escape(row.path)}　"
                            f"{escape(L['score'](lang))} {escape(score(row.score))}　{escape(tally)}</summary>")
            self.out.append(_table(self.h("org_id", "org", "org_type", "members", "error", "warning", "info",
                                          "rules_failed", "score"),
                                   [[c(o.org_id), c(o.name), c(org_type(o.org_type, lang)), c(o.members),
                                     c(o.counts["error"]), c(o.counts["warning"]), c(o.counts["info"]),
                                     c(f"{o.rules_failed}/{o.rules_judged}"), c(score(o.score))] for o in orgs],
                                   set(range(3, 9))))
            findings = store.file_findings(row.seq) if shown < FINDINGS_LIMIT else []
            if findings:
                findings = findings[:FINDINGS_LIMIT - shown]
                shown += len(findings)
                self.out.append(_table(self.h("org", "severity", "rule_id", "period", "where", "message"),
                                       [[c(f"{f.org_name}（{f.org_id}）"), c(SEVERITY_ONE[f.severity](lang), f.severity),
                                         c(f.rule_id), c(f.period), c(f.location), c(f.message)] for f in findings]))
            self.out.append("</details>")
            self.flush()  # one unit at a time: the page is never held whole in memory
        if shown >= FINDINGS_LIMIT and store.finding_count() > shown:
            self.out.append(f'<p class="alert">{escape(LIMITED(lang).format(limit=FINDINGS_LIMIT))}</p>')
        if report.unfinished:
            self.out.append(f"<h2>{escape(L['unfinished'](lang))}</h2><ul>"
                            + "".join(f"<li>{escape(p)}</li>" for p in report.unfinished) + "</ul>")

    def flush(self) -> None:
        self.stream.write("".join(self.out))
        self.out.clear()


def write(report: ScanReport, stream: TextIO, options: ReportOptions | None = None) -> None:
    page = _Page(report, stream)
    for part in (page.head, page.cards, page.charts, page.rankings, page.rules, page.sizes, page.units,
                 page.details):
        part()
    page.out.append("</body></html>\n")
    page.flush()
