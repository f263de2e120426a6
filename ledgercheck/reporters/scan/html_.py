"""The scan as one self-contained HTML page: the summary, compliance by rule, the rankings, then each unit.

Nothing is fetched when the page opens: no font, style or script from the network. One small inline script
makes the tables sortable (click a heading) and the long ones filterable, and opens every unit before printing;
with scripts off the page reads and prints the same (print CSS opens the units in Chromium), only without
sorting and filtering. Every piece of ledger text is escaped. The font stack lists the CJK fonts of Windows,
macOS and Linux.

Read on a phone (400 px) the tables scroll sideways inside their box instead of squeezing a column to two
characters a line, and compliance by rule is HTML bars that stack under their labels; printed, the page is A4
with every unit's findings, each unit on a new page. A rule broken by one subject in several periods is one row
(report.group_rows), so a page of many units stays small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import TextIO

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.notices import NoticeTerms
from ledgercheck.findings.scan.notices import scan_notices
from ledgercheck.findings.scan.report import ScanReport, group_rows
from ledgercheck.findings.scan.store import FileRow
from ledgercheck.findings.scan.summary import SCORE_FORMULA, FindingRow
from ledgercheck.reporters import notice_html
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.markup import escape
from ledgercheck.reporters.scan import svg
from ledgercheck.reporters.scan.labels import (
    ROLL_STATES,
    SEVERITY_ONE,
    STATUS,
    TREND,
    TREND_ORDER,
    L,
    incomplete_note,
    marked,
    movement_mark,
    note,
    org_type,
    percent,
    rank_text,
    roll_line,
    roll_rows,
    same_name_notes,
    score,
    score_labels,
    size_labels,
    skipped_text,
    status_text,
)
from ledgercheck.reporters.scan.table_ import (
    RANKED,
    header_items,
    interrupted_line,
    overview_line,
    rankings,
    unranked_rows,
)

FINDINGS_LIMIT = 50_000  # beyond this a browser page gets sluggish; the xlsx and json reports have them all
LIMITED = Text("（问题超过 {limit} 条，其余见 xlsx 或 json 报告）",
               "(more than {limit} findings; the rest are in the xlsx and json reports)")
# Each notice repeats its unit's findings: thousands of them made a page of tens of megabytes that a browser opens
# in tens of seconds. `--notices DIR` writes them all (a .docx each and one printable page).
NOTICES_LIMIT = 500
NOTICES_LIMITED = Text("整改通知书共 {total} 份，本页只附前 {limit} 份；全部通知书（每个单位一份 Word 文档，另有一页可打印的全部通知书）"
                       "请用 scan 的 --notices 文件夹 选项生成",
                       "{total} rectification notices; this page has the first {limit}. For all of them (a Word "
                       "document for each unit and one printable page of all) use scan's --notices FOLDER option")
W = {
    "unit_findings": Text("问题（同一规则、同一对象的多期问题合为一行）",
                          "Findings (one rule broken by one subject in several periods: one row)"),
    "no_findings": Text("未发现问题。", "No problems found."),
    "branch_sizes": Text("党支部规模分布（党员人数）", "branch sizes (members)"),
    "notices": Text("整改通知书", "Rectification notices"),
    "notices_note": Text("每个有错误或警告的单位一份，附回执；打印时每份从新的一页开始（点击展开）。",
                         "One for each unit with errors or warnings, with its receipt; each starts a new page when "
                         "printed (click to open)."),
}

CSS = """
:root { --red: #C00000; --ink: #212121; --muted: #616161; --line: #E0E0E0; --amber: #E65100; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1280px; padding: 24px 32px 64px; color: var(--ink); background: #FFF;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", "Noto Sans SC", sans-serif;
  font-size: 14px; line-height: 1.6; overflow-wrap: break-word; }
h1 { color: var(--red); font-size: 26px; line-height: 1.3; margin: 0 0 8px; border-bottom: 3px solid var(--red);
  padding-bottom: 8px; }
h2 { font-size: 19px; line-height: 1.35; margin: 32px 0 10px; padding-left: 10px; border-left: 5px solid var(--red); }
h3 { font-size: 16px; margin: 14px 0 6px; }
.meta { display: flex; flex-wrap: wrap; gap: 2px 28px; margin: 4px 0; color: var(--muted); }
.meta b { color: var(--ink); font-weight: 600; margin-right: 6px; }
.alert { color: var(--red); font-weight: bold; }
.note { color: var(--muted); margin: 4px 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(118px, 1fr)); gap: 10px; margin: 18px 0; }
.card { border: 1px solid var(--line); border-top: 4px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.card b { display: block; font-size: 24px; line-height: 1.3; font-variant-numeric: tabular-nums; }
.card span { color: var(--muted); }
.card.bad { border-top-color: var(--red); } .card.bad b { color: var(--red); }
.card.warn { border-top-color: var(--amber); } .card.warn b { color: var(--amber); }
.formula { color: var(--muted); font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px 32px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { fill: var(--ink); }
svg.chart .axis { fill: var(--muted); }
svg.chart .chart-title { font-weight: bold; }
.rates { margin: 8px 0 16px; }
.rates .cat { display: flex; justify-content: space-between; gap: 12px; margin: 12px 0 4px; padding: 2px 6px;
  font-weight: 600; background: #FBE9E7; border-radius: 4px; }
.rate { display: grid; grid-template-columns: minmax(10em, 26em) minmax(8em, 1fr) 10.5em; gap: 2px 10px;
  align-items: center; padding: 2px 6px; }
.rate .l { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.rate .t { height: 14px; background: #EEE; border-radius: 2px; overflow: hidden; }
.rate .t i { display: block; height: 100%; }
.rate .v, .rates .cat .v { font-variant-numeric: tabular-nums; white-space: nowrap; text-align: right; }
.g { background: #2E7D32; } .a { background: #F9A825; } .r { background: #C62828; }
.scroll { overflow-x: auto; margin: 6px 0 14px; }
/* What is off screen is laid out only when scrolled to (a page of 5,000 units opened in 3–8 s, now about 1 s):
   a part's height until then is an estimate (a long table's own: `_height`), then what the browser drew. */
.scroll, details.unit { content-visibility: auto; }
details.unit { contain-intrinsic-size: auto 3.5em; }
.scroll { contain-intrinsic-size: auto 9em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #FBE9E7; white-space: nowrap; font-weight: 600; }
td { white-space: nowrap; }
td.w { white-space: normal; min-width: 14em; max-width: 36em; }
td .p { display: block; overflow-wrap: anywhere; color: var(--muted); font-size: 12px; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.best th { background: #C00000; color: #FFF; }
table.worst th { background: #263238; color: #FFF; }
tr.incomplete td { background: #FFF3E0; }
tr.unreadable td { background: #FFEBEE; }
tr.org th { background: #F5F5F5; text-align: left; }
.badge { display: inline-block; margin-left: 6px; padding: 0 6px; border: 1px solid; border-radius: 9px;
  font-size: 12px; font-weight: normal; line-height: 1.5; white-space: nowrap; }
.badge.warn { color: var(--amber); } .badge.bad { color: var(--red); }
.error { color: var(--red); font-weight: bold; }
.warning { color: var(--amber); }
.info { color: #1565C0; }
.ex { display: block; color: var(--muted); font-size: 12px; }
details.unit { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 4px 10px; }
details.unit > summary { cursor: pointer; padding: 2px 0; }
details.unit .sub { color: var(--muted); overflow-wrap: anywhere; }
th.sort { cursor: pointer; }
th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
input.filter { display: block; width: min(24em, 100%); margin: 6px 0 2px; padding: 4px 8px; font: inherit;
  border: 1px solid #BDBDBD; border-radius: 4px; }
@media screen and (max-width: 640px) {
  body { padding: 12px 12px 40px; font-size: 14px; }
  h1 { font-size: 21px; }
  h2 { font-size: 17px; margin-top: 26px; }
  .rate { grid-template-columns: minmax(0, 1fr) auto; }
  .rate .l { grid-column: 1 / -1; white-space: normal; }
  .card b { font-size: 20px; }
  td.w { min-width: 10em; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
  h2, h3, .rates .cat { break-after: avoid; page-break-after: avoid; }
  .cards, .card, svg.chart, .rate, tr { break-inside: avoid; page-break-inside: avoid; }
  .scroll { overflow: visible; }
  .scroll, details.unit { content-visibility: visible; }
  table { font-size: 8.5pt; line-height: 1.4; }
  th, td { padding: 2px 4px; }
  td, th { white-space: normal; }
  td.n, td.error, td.warning, td.info, td.loc, table.findings th { white-space: nowrap; }
  td.w { min-width: 9em; }
  td .p { font-size: 7pt; }
  input.filter { display: none; }
  details.unit { break-before: page; page-break-before: always; border: 0; padding: 0; margin: 0; }
  details.unit > summary { list-style: none; font-size: 12pt; }
  details.unit > summary::-webkit-details-marker { display: none; }
  details::details-content { content-visibility: visible; display: block; }
}
"""

# The notices' own style (official-document fonts and margins) on pages of their own: their @page is named so the
# report's pages keep theirs; what the report's tables and headings set is undone inside them.
NOTICE_CSS = notice_html.CSS.replace("@page {", "@page notice {") + """
.notice, .receipt { page: notice; }
.notices .notice h1, .notices .receipt h1 { color: #000; border: 0; padding: 0; }
.notices .notice h2 { border: 0; padding: 0; margin: 0; }
.notices th, .notices td { white-space: normal; }
details.notices > summary { cursor: pointer; }
details.notices > summary h2 { display: inline-block; }
@media print {
  details.notices { break-before: page; page-break-before: always; }
  details.notices > summary { display: none; }
}
"""

# Sorting and filtering, and every unit opened for printing. The page works the same without it.
SCRIPT = """
(function () {
  var F = document.documentElement.lang === "en" ? "Filter" : "筛选";
  function val(td) {
    var v = td.getAttribute("data-v"), t = v === null ? td.textContent.trim() : v;
    if (t === "" || t === "\\u2014") return null;
    var n = Number(t.replace(/[,%]/g, ""));
    return isNaN(n) ? t : n;
  }
  function sort(table, i, th) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    rows.sort(function (a, b) {
      var x = val(a.cells[i] || a), y = val(b.cells[i] || b);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      if (typeof x === typeof y) return (x < y ? -1 : x > y ? 1 : 0) * dir;
      return (typeof x === "number" ? -1 : 1) * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead || !table.tBodies[0]) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.classList.add("sort"); th.tabIndex = 0;
      th.addEventListener("click", function () { sort(table, i, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(table, i, th); });
    });
  });
  document.querySelectorAll("table.filterable").forEach(function (table) {
    var box = document.createElement("input");
    box.type = "search"; box.className = "filter"; box.placeholder = F + "…"; box.setAttribute("aria-label", F);
    table.parentNode.parentNode.insertBefore(box, table.parentNode);
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });
  var closed = [];
  addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  addEventListener("afterprint", function () { closed.forEach(function (d) { d.open = false; }); closed = []; });
})();
"""

Cell = tuple[str, str] | tuple[str, str, object]  # (escaped html, css class[, the value to sort by])


def c(value: object, css: str = "") -> Cell:
    return ("" if value is None else escape(str(value)), css)


def n(value: object) -> Cell:
    """A number, right-aligned."""
    return c(value, "n")


def _table(headers: Sequence[str], rows: Iterable[Sequence[Cell]], css: str = "sortable",
           row_class: Iterable[str] | None = None, row_em: float = 2.3) -> str:
    """A table in a box that scrolls sideways on a narrow screen. Cells are escaped by the caller (`c`, `n`);
    a cell may carry a third item, the value the table's script sorts by (a rank shown as 并列3 sorts as 3).
    `row_em`: a row's height as estimated until the table is drawn (`_height`)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    classes = iter(row_class) if row_class is not None else None
    for row in rows:
        klass = next(classes, "") if classes is not None else ""
        cells = []
        for cell in row:
            content, css_class = cell[0], cell[1]
            value = cell[2] if len(cell) > 2 else None
            attrs = (f' class="{css_class}"' if css_class else "") + (
                f' data-v="{escape(str(value))}"' if value is not None else "")
            cells.append(f"<td{attrs}>{content}</td>")
        body.append(f'<tr class="{klass}">{"".join(cells)}</tr>' if klass else f"<tr>{''.join(cells)}</tr>")
    klass = f' class="{css}"' if css else ""
    return (f'<div class="scroll"{_height(len(body), row_em)}><table{klass}><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _height(rows: int, row_em: float = 2.3) -> str:
    """The height a table's box is given until the browser draws it (see CSS: content-visibility): by default a
    line a row and the heading's. A wrong estimate only moves the scroll bar until the table is drawn. A short
    table (a unit's, in its closed section) keeps the stylesheet's estimate: 5,000 of them add up."""
    return f' style="contain-intrinsic-size:auto {row_em * rows + 2.3:.0f}em"' if rows >= 4 else ""


def _rate_class(rate: float) -> str:
    return "g" if rate >= 0.9 else "a" if rate >= 0.7 else "r"


def _unit_cell(row: FileRow, lang: Lang) -> Cell:
    """The unit's name with its marks (incomplete, unreadable) and its file beneath."""
    name = escape(row.unit or "")
    if not row.audited:
        name += f'<span class="badge bad">{escape(STATUS["unreadable"](lang))}</span>'
    elif row.incomplete:
        name += f'<span class="badge warn">{escape(L["incomplete"](lang))}</span>'
    return (f'{name}<span class="p">{escape(row.path)}</span>', "w")


def _row_class(row: FileRow) -> str:
    return "unreadable" if not row.audited else "incomplete" if row.incomplete else ""


class _Page:
    def __init__(self, report: ScanReport, stream: TextIO):
        self.report = report
        self.stream = stream
        self.lang = report.lang
        self.out: list[str] = []
        self.titles = {info.rule_id: info.title(report.lang) for info in report.rules}

    def h(self, *keys: str) -> list[str]:
        return [L[k](self.lang) for k in keys]

    def head(self) -> None:
        report, lang = self.report, self.lang
        title = L["title"](lang)
        self.out.append(f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
                        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                        f"<title>{escape(title)}</title><style>{CSS}{NOTICE_CSS}</style></head><body>")
        self.out.append(f"<h1>{escape(title)}</h1>")
        self.out.append('<div class="meta">' + "".join(f"<span><b>{escape(label)}</b>{escape(value)}</span>"
                                                       for label, value in header_items(report)) + "</div>")
        if report.outcome.interrupted:
            self.out.append(f'<p class="alert">{escape(interrupted_line(report))}</p>')

    def cards(self) -> None:
        t, lang = self.report.totals, self.lang
        items = [(L["files"](lang), t.files, ""), (L["audited"](lang), t.audited, ""),
                 (L["incomplete"](lang), t.incomplete, "warn" if t.incomplete else ""),
                 (STATUS["unreadable"](lang), t.statuses["unreadable"], "bad" if t.statuses["unreadable"] else ""),
                 (L["orgs"](lang), t.orgs, ""), (L["members"](lang), t.members, ""),
                 (L["error"](lang), t.findings["error"], "bad" if t.findings["error"] else ""),
                 (L["warning"](lang), t.findings["warning"], ""), (L["mean_score"](lang), score(t.mean_score), "")]
        roll = self.report.roll
        if roll is not None:  # after the files: those the list expected and did not get
            items.insert(2, (ROLL_STATES["not_reported"](lang), len(roll.not_reported), "bad" if roll.not_reported
                             else ""))
        self.out.append('<div class="cards">' + "".join(
            f'<div class="card {css}"><b>{escape(str(value))}</b><span>{escape(label)}</span></div>'
            for label, value, css in items) + "</div>")
        self.out.append(f"<p><b>{escape(overview_line(self.report))}</b></p>")
        self.out.append(f'<p class="formula">{escape(SCORE_FORMULA(lang))}</p>')

    def charts(self) -> None:
        """Compliance by rule as HTML bars (they reflow on a phone), by category, worst first; then two SVG charts."""
        report, lang = self.report, self.lang
        sep = ("（", "）") if lang == "zh" else (" (", ")")

        def value(rate: float | None, complying: int, judged: int) -> str:
            return f"{percent(rate)}{sep[0]}{complying}/{judged}{sep[1]}"

        parts = [f'<h2>{escape(L["compliance"](lang))}</h2><div class="rates">']
        for group in report.rule_categories():
            total = group.tally
            parts.append(f'<div class="cat"><span>{escape(group.label(lang))}</span><span class="v">'
                         f"{escape(value(total.rate, total.complying, total.judged))}</span></div>")
            for info, tally in group.rules:
                rate = tally.rate
                bar = (f'<i class="bar {_rate_class(rate)}" style="width:{rate * 100:.1f}%"></i>'
                       if rate is not None else "")
                title = info.title(lang)
                parts.append(f'<div class="rate"><span class="l" title="{escape(title)}">{escape(title)}</span>'
                             f'<span class="t">{bar}</span><span class="v">'
                             f"{escape(value(rate, tally.complying, tally.judged))}</span></div>")
        parts.append("</div>")
        self.out.append("".join(parts))
        branches = report.totals.sizes.get("党支部", [0] * len(size_labels()))
        self.out.append('<div class="charts">')
        self.out.append(svg.columns(list(zip(score_labels(), report.totals.scores)), L["score_dist"](lang),
                                    svg.AMBER, width=400))
        self.out.append(svg.columns(list(zip(size_labels(), branches)), W["branch_sizes"](lang), svg.BLUE, width=400))
        self.out.append("</div>")

    def rankings(self) -> None:
        report, lang = self.report, self.lang
        moved = report.movement
        headers = self.h("rank", "units", "score", "error", "warning", "orgs_judged") + (
            self.h("move") if moved is not None else [])

        def rows(items: Iterable[FileRow]) -> list[list[Cell]]:
            return [[(escape(rank_text(r, lang)), "n", r.rank), _unit_cell(r, lang), n(score(r.score)),
                     n(r.counts["error"]), n(r.counts["warning"]), n(r.orgs_judged)]
                    + ([c(movement_mark(moved.of(r.unit or r.path, r.path), lang))] if moved else [])
                    for r in items]

        unranked = report.totals.incomplete
        for ranking in rankings(report):
            self.out.append(f"<h2>{escape(ranking.title)}</h2>")
            if unranked:
                self.out.append(f'<p class="note">{escape(L["ranked_only"](lang).format(count=unranked))}</p>')
            self.out.append(_table(headers, rows(ranking.rows), f"sortable {ranking.key}"))
            if ranking.more:
                self.out.append(f'<p class="note">{escape(L["more_tied"](lang).format(count=ranking.more))}</p>')
        self.unranked()
        self.movement()
        self.roll()
        if report.totals.orgs_judged:
            self.out.append(f"<h2>{escape(L['worst_orgs'](lang))}</h2>")
            org_rows = [[c(marked(o.unit or o.path, o.complete, lang), "w"), c(f"{o.name}（{o.org_id}）", "w"),
                         c(org_type(o.org_type, lang)), n(o.members), n(o.counts["error"]), n(o.counts["warning"]),
                         n(f"{o.rules_failed}/{o.rules_judged}"), n(score(o.score))]
                        for o in report.store.orgs(order="worst", limit=RANKED)]
            self.out.append(_table(self.h("units", "org", "org_type", "members", "error", "warning", "rules_failed",
                                          "score"), org_rows))

    def unranked(self) -> None:
        """Units audited in part, and files that could not be read: apart from the rankings, saying why."""
        lang = self.lang
        rows = unranked_rows(self.report)
        if not rows:
            return
        self.out.append(f"<h2>{escape(L['unranked'](lang))}</h2>")
        self.out.append(f'<p class="note">{escape(L["unranked_note"](lang))}</p>')
        self.out.append(_table(
            self.h("units", "status", "error", "warning", "skipped", "note"),
            ([_unit_cell(r, lang), c(status_text(r, lang)), n(r.counts["error"] if r.audited else ""),
              n(r.counts["warning"] if r.audited else ""), n(skipped_text(r, lang)), c(incomplete_note(r, lang), "w")]
             for r in rows), row_class=(_row_class(r) for r in rows)))

    def roll(self) -> None:
        """The list of units that should report (--expected): who did not, the files it lacks, who did."""
        check, lang = self.report.roll, self.lang
        if check is None:
            return
        self.out.append(f"<h2>{escape(L['roll_state'](lang))}</h2>")
        self.out.append(f'<p class="note">{escape(roll_line(check, lang))}</p>')
        rows = [[c(name, "w"), c(where or ""), c(ROLL_STATES[state](lang), "error" if state == "not_reported" else
                                                 "warning" if state == "unlisted" else ""), c(path or "", "w"),
                 c(unit or "", "w")] for name, where, state, path, unit in roll_rows(check)]
        self.out.append(_table([*self.h("units", "roll_place", "roll_state", "file", "roll_unit")], rows,
                               "sortable filterable"))

    def movement(self) -> None:
        """Against the previous round of the history: the units by trend, each with its score over the rounds."""
        moved, lang = self.report.movement, self.lang
        if moved is None:
            return
        self.out.append(f"<h2>{escape(L['movement'](lang))}</h2>")
        now, before = moved.now, moved.before
        rate = moved.rectification_rate
        self.out.append(f'<p class="note">#{now.id} {escape(now.label)} ← #{before.id} {escape(before.label)}'
                        f" · {escape(L['unit_rate'](lang))} {escape(percent(rate))}</p>")
        headers = [*self.h("units"), L["trend"](lang), *self.h("score"), L["change"](lang), *self.h("rank", "move"),
                   L["new_f"](lang), L["open_f"](lang), L["resolved_f"](lang), L["unit_rate"](lang),
                   L["score_trend"](lang)]
        rows = []
        for m in sorted(moved.units, key=lambda m: (TREND_ORDER.index(m.trend), m.delta or 0.0, m.unit)):
            spark = svg.sparkline(list(moved.scores.get(m.unit, ())))
            rows.append([c(m.unit, "w"), c(TREND[m.trend](lang), "bad" if m.trend == "regressed" else ""),
                         n(score(m.score_now)), n("" if m.delta is None else f"{m.delta:+.1f}"), n(m.rank_now),
                         n(movement_mark(m, lang)), n(m.new if m.state != "missing" else ""),
                         n(m.still_open if m.state == "both" else ""), n(m.resolved if m.state == "both" else ""),
                         n(percent(m.rectification_rate) if m.state == "both" else ""), (spark, "")])
        self.out.append(_table(headers, rows))

    def rules(self) -> None:
        lang = self.lang
        self.out.append(f"<h2>{escape(L['rule'](lang))}</h2>")
        moved = self.report.movement
        trends = {t.rule_id: t.rates for t in moved.rules} if moved is not None else {}
        labels = {g.key: g.label(lang) for g in self.report.rule_categories()}

        def trend(rule_id: str) -> list[Cell]:
            if moved is None:
                return []
            rates = [None if r is None else r * 100 for r in trends.get(rule_id, ())]
            return [(svg.sparkline(rates), "")]

        rows = [[c(labels[key]), (f'{escape(info.title(lang))}<span class="ex">{escape(info.rule_id)}</span>', "w"),
                 (escape(percent(t.rate)), "n", t.rate), n(t.judged), n(t.complying), n(t.findings),
                 c(SEVERITY_ONE[info.severity.value](lang), info.severity.value), n(t.units_skipped),
                 c(info.basis(lang), "w"), *trend(info.rule_id)]
                for key, info, t in self.report.sorted_rule_rows()]
        headers = self.h("category", "rule", "rate", "judged", "complying", "findings", "severity",
                         "units_skipped", "basis") + ([L["rate_trend"](lang)] if moved is not None else [])
        self.out.append(_table(headers, rows, "sortable filterable"))

    def sizes(self) -> None:
        lang, sizes = self.lang, self.report.totals.sizes
        if not sizes:
            return
        self.out.append(f"<h2>{escape(L['sizes'](lang))}</h2>")
        rows = [[c(org_type(kind, lang)), *(n(v) for v in counts), n(sum(counts))]
                for kind, counts in sorted(sizes.items(), key=lambda item: -sum(item[1]))]
        self.out.append(_table([L["org_type"](lang), *size_labels(), L["total"](lang)], rows))

    def units(self) -> None:
        lang, store = self.lang, self.report.store
        self.out.append(f"<h2>{escape(L['per_unit'](lang))}</h2>")
        files = list(store.files())  # one row per file: the page lists them all anyway
        def counts(r: FileRow) -> list[Cell]:
            if not r.audited:
                return [n("")] * 8
            return [n(r.orgs_judged), n(r.orgs), n(r.members), n(r.counts["error"]), n(r.counts["warning"]),
                    n(r.counts["info"]), n(skipped_text(r, lang)), n(r.input_errors)]

        same = same_name_notes(store.same_named(), lang)
        rows = [[_unit_cell(r, lang), n(score(r.score)), (escape(rank_text(r, lang)), "n", r.rank),
                 c(status_text(r, lang), "error" if r.status == "unreadable" else ""), *counts(r),
                 c(note(incomplete_note(r, lang) if not r.audited or r.incomplete else "", same.get(r.path, ""),
                        lang=lang), "w")] for r in files]
        self.out.append(_table(self.h("units", "score", "rank", "status", "orgs_judged", "orgs", "members", "error",
                                      "warning", "info", "skipped", "input_errors", "note"), rows,
                               "sortable filterable", (_row_class(r) for r in files),
                               row_em=5))  # the unit and its file on two lines, a note often on more

    def details(self) -> None:
        """Each audited unit: its organizations and its findings, repeated ones as one row; a new page in print."""
        report, lang, store = self.report, self.lang, self.report.store
        self.out.append(f"<h2>{escape(L['per_org'](lang))} · {escape(L['all_findings'](lang))}</h2>")
        shown = 0
        for row in store.files():
            if row.status == "unreadable":
                continue
            orgs = store.file_orgs(row.seq)
            tally = " · ".join(f"{SEVERITY_ONE[s](lang)} {row.counts[s]}" for s in ("error", "warning", "info")
                               if row.counts[s])
            badge = (f'<span class="badge warn">{escape(L["incomplete"](lang))}</span>' if row.incomplete else "")
            place = (f"　{escape(L['rank'](lang))} {escape(rank_text(row, lang))}" if row.rank is not None else "")
            self.out.append(f'<details class="unit" id="u{row.seq}"><summary><b>{escape(row.unit or row.path)}</b>'
                            f"{badge}　{escape(L['score'](lang))} {escape(score(row.score))}{place}　{escape(tally)}"
                            f'<br><span class="sub">{escape(row.path)}</span></summary>')
            if row.incomplete:
                self.out.append(f'<p class="alert">{escape(L["incomplete"](lang))}：{escape(incomplete_note(row, lang))}'
                                "</p>" if lang == "zh" else
                                f'<p class="alert">{escape(L["incomplete"](lang))}: {escape(incomplete_note(row, lang))}'
                                "</p>")
            self.out.append(_table(self.h("org", "org_id", "org_type", "members", "error", "warning", "info",
                                          "rules_failed", "score"),
                                   [[c(o.name, "w"), c(o.org_id), c(org_type(o.org_type, lang)), n(o.members),
                                     n(o.counts["error"]), n(o.counts["warning"]), n(o.counts["info"]),
                                     n(f"{o.rules_failed}/{o.rules_judged}"), n(score(o.score))] for o in orgs], ""))
            findings = store.file_findings(row.seq) if shown < FINDINGS_LIMIT else []
            if findings:
                findings = findings[:FINDINGS_LIMIT - shown]
                shown += len(findings)
                self.out.append(f"<h3>{escape(W['unit_findings'](lang))}</h3>")
                self.out.append(self._findings(findings))
            elif not sum(row.counts.values()):
                self.out.append(f'<p class="note">{escape(W["no_findings"](lang))}</p>')
            self.out.append("</details>")
            self.flush()  # one unit at a time: the page is never held whole in memory
        if shown >= FINDINGS_LIMIT and store.finding_count() > shown:
            self.out.append(f'<p class="alert">{escape(LIMITED(lang).format(limit=FINDINGS_LIMIT))}</p>')
        if report.unfinished:
            self.out.append(f"<h2>{escape(L['unfinished'](lang))}</h2><ul>"
                            + "".join(f"<li>{escape(p)}</li>" for p in report.unfinished) + "</ul>")

    def notices(self) -> None:
        """Each unit's rectification notice and receipt (as `--notices DIR` writes them in .docx, repeated findings
        as one item), collapsed on screen, a page each in print."""
        report, lang = self.report, self.lang
        notices = iter(scan_notices(report, terms=report.notice_terms or NoticeTerms(), grouped=True))
        opened = False
        for section in notice_html.sections(islice(notices, NOTICES_LIMIT)):
            if not opened:
                self.out.append(f'<details class="notices" id="notices"><summary><h2>{escape(W["notices"](lang))}'
                                f'</h2></summary><p class="note">{escape(W["notices_note"](lang))}</p>')
                opened = True
            self.out.append(section)
            self.flush()
        rest = sum(1 for _ in notices)
        if rest:
            more = NOTICES_LIMITED(lang).format(total=NOTICES_LIMIT + rest, limit=NOTICES_LIMIT)
            self.out.append(f'<p class="alert">{escape(more)}</p>')
        if opened:
            self.out.append("</details>")

    def _findings(self, findings: list[FindingRow]) -> str:
        """A unit's findings by organization (a heading row each, not a column repeated on every row); a rule
        broken by one subject in several periods is one row with its periods and their count."""
        lang = self.lang
        by_org: dict[str, list[FindingRow]] = {}
        names: dict[str, str] = {}
        for f in findings:
            by_org.setdefault(f.org_id, []).append(f)
            names.setdefault(f.org_id, f.org_name)
        headers = self.h("severity", "rule", "period", "where", "message")
        body = []
        for org_id, rows in by_org.items():
            body.append(f'<tr class="org"><th colspan="5">{escape(names[org_id])}（{escape(org_id)}）</th></tr>')
            for group in group_rows(rows):
                first = group.first
                title = self.titles.get(first.rule_id, first.rule_id)
                where = first.location or ""
                if group.count > 1 and where:
                    where += " 等" if lang == "zh" else " …"
                example = group.example(lang)
                message = escape(group.message(lang, title)) + (
                    f'<span class="ex">{escape(example)}</span>' if example else "")
                count = f' data-n="{group.count}"' if group.count > 1 else ""  # findings the row stands for
                body.append(f'<tr{count}><td class="{first.severity}">{escape(SEVERITY_ONE[first.severity](lang))}</td>'
                            f'<td class="w">{escape(title)}<span class="ex">{escape(first.rule_id)}</span></td>'
                            f'<td class="loc">{escape(group.periods(lang))}</td><td class="loc">{escape(where)}</td>'
                            f'<td class="w">{message}</td></tr>')
        head = "".join(f"<th>{escape(h)}</th>" for h in headers)
        return (f'<div class="scroll"{_height(len(body))}><table class="findings"><thead><tr>{head}</tr></thead><tbody>'
                f'{"".join(body)}</tbody></table></div>')

    def flush(self) -> None:
        self.stream.write("".join(self.out))
        self.out.clear()


def write(report: ScanReport, stream: TextIO, options: ReportOptions | None = None) -> None:
    page = _Page(report, stream)
    for part in (page.head, page.cards, page.charts, page.rankings, page.rules, page.sizes, page.units,
                 page.details, page.notices):
        part()
    page.out.append(f"<script>{SCRIPT}</script></body></html>\n")
    page.flush()
