"""The scan as an Excel workbook: 汇总 with native charts, 规则, 红黑榜, 单位, 组织 and every 问题.

Written with XlsxWriter in constant-memory mode: rows stream from the store to the file. Text from
the ledgers is always written as text, never as a formula; text that Excel would take for a formula
(= + - @) is stored with Excel's own quote prefix, exactly as if the user had typed an apostrophe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.scan.report import ScanReport
from ledgercheck.findings.scan.summary import SCORE_FORMULA
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.scan.labels import (
    SEVERITY_ONE,
    STATUS,
    TREND,
    TREND_ORDER,
    L,
    movement_mark,
    org_type,
    score_labels,
    size_labels,
)
from ledgercheck.reporters.scan.table_ import RANKED, header_lines, interrupted_line, overview_line, rankings

MAX_ROWS = 1_048_576  # Excel's limit per sheet
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEETS = {
    "summary": Text("汇总", "Summary"), "rules": Text("规则", "Rules"), "ranking": Text("红黑榜", "Rankings"),
    "units": Text("单位", "Units"), "orgs": Text("组织", "Organizations"), "findings": Text("问题", "Findings"),
    "unfinished": Text("未完成", "Not audited"), "movement": Text("与上一轮比较", "Against last round"),
}
TRUNCATED = Text("（超出 Excel 的行数上限，其余 {rest} 行见 JSON 报告）",
                 "(Excel's row limit reached; the other {rest} rows are in the JSON report)")


class _Writer:
    def __init__(self, report: ScanReport, output: BinaryIO | Path):
        self.report = report
        self.lang: Lang = report.lang
        self.book: Workbook = xlsxwriter.Workbook(str(output) if isinstance(output, Path) else output, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False})
        book = self.book
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.header = book.add_format({"bold": True, "bg_color": "#C00000", "font_color": "#FFFFFF",
                                       "border": 1, "text_wrap": True, "valign": "vcenter"})
        self.text = book.add_format({})
        self.quoted = book.add_format({"quote_prefix": True})
        self.percent = book.add_format({"num_format": "0.0%"})
        self.decimal = book.add_format({"num_format": "0.0"})
        self.dim = book.add_format({"font_color": "#666666", "italic": True})
        self.red = book.add_format({"bold": True, "font_color": "#C00000"})

    # ------------------------------------------------------------------ cells

    def cell(self, sheet: Worksheet, row: int, col: int, value: Any, fmt: Any = None) -> None:
        if value is None:
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, fmt)
        elif isinstance(value, (int, float)):
            sheet.write_number(row, col, value, fmt)
        else:
            text = str(value)
            sheet.write_string(row, col, text, self.quoted if text.startswith(FORMULA_START) and fmt is None else fmt)

    def table_sheet(self, key: str, headers: list[tuple[str, int]], rows: Any, formats: dict[int, Any] | None = None,
                    total: int | None = None) -> Worksheet:
        """A sheet with a frozen header row, an autofilter and one row per item; returns the sheet."""
        sheet = self.book.add_worksheet(SHEETS[key](self.lang))
        self._print_setup(sheet, pages_tall=0)
        sheet.repeat_rows(0)  # the header on every printed page
        for col, (label, width) in enumerate(headers):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, label, self.header)
        sheet.freeze_panes(1, 0)
        formats = formats or {}
        count = 0
        for count, values in enumerate(rows, start=1):
            if count >= MAX_ROWS - 1:
                rest = (total or count) - count + 1
                sheet.write_string(count, 0, TRUNCATED(self.lang).format(rest=rest), self.red)
                break
            for col, value in enumerate(values):
                self.cell(sheet, count, col, value, formats.get(col))
        sheet.autofilter(0, 0, max(count, 1), len(headers) - 1)
        return sheet

    @staticmethod
    def _print_setup(sheet: Worksheet, pages_tall: int) -> None:
        """Landscape A4, one page wide (pages_tall 0: as many pages down as needed)."""
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, pages_tall)

    def h(self, *keys: str) -> list[str]:
        return [L[k](self.lang) for k in keys]

    # ------------------------------------------------------------------ sheets

    def summary(self) -> None:
        report, lang = self.report, self.lang
        sheet = self.book.add_worksheet(SHEETS["summary"](lang))
        self._print_setup(sheet, pages_tall=1)
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 1, 12)
        sheet.write_string(0, 0, L["title"](lang), self.title)
        row = 2
        for line in header_lines(report):
            sheet.write_string(row, 0, line)
            row += 1
        if report.outcome.interrupted:
            sheet.write_string(row, 0, interrupted_line(report), self.red)
            row += 1
        sheet.write_string(row, 0, overview_line(report), self.bold)
        sheet.write_string(row + 1, 0, SCORE_FORMULA(lang), self.dim)
        row += 3
        # Small tables the charts are drawn from.
        score_row = row
        sheet.write_string(row, 0, L["score_dist"](lang), self.bold)
        sheet.write_string(row + 1, 0, L["score"](lang), self.header)
        sheet.write_string(row + 1, 1, L["units_count"](lang), self.header)
        for i, (label, count) in enumerate(zip(score_labels(), report.totals.scores)):
            sheet.write_string(row + 2 + i, 0, label)
            sheet.write_number(row + 2 + i, 1, count)
        row += 3 + len(score_labels())
        size_row = row
        branches = report.totals.sizes.get("党支部", [0] * len(size_labels()))
        sheet.write_string(row, 0, L["sizes"](lang), self.bold)
        sheet.write_string(row + 1, 0, L["members"](lang), self.header)
        sheet.write_string(row + 1, 1, Text("党支部数", "branches")(lang), self.header)
        for i, (label, count) in enumerate(zip(size_labels(), branches)):
            sheet.write_string(row + 2 + i, 0, label)
            sheet.write_number(row + 2 + i, 1, count)
        self._charts(sheet, score_row, size_row)

    def _charts(self, sheet: Worksheet, score_row: int, size_row: int) -> None:
        lang, name = self.lang, SHEETS["summary"](self.lang)
        rules = len(self.report.rules)
        rule_sheet = SHEETS["rules"](lang)
        compliance = self.book.add_chart({"type": "bar"})
        compliance.add_series({"name": L["rate"](lang), "categories": [rule_sheet, 1, 1, rules, 1],
                               "values": [rule_sheet, 1, 6, rules, 6], "fill": {"color": "#C00000"},
                               "data_labels": {"value": True, "num_format": "0%"}, "gap": 60})
        compliance.set_title({"name": L["compliance"](lang), "name_font": {"size": 12}})
        compliance.set_x_axis({"min": 0, "max": 1, "num_format": "0%"})  # the value axis of a bar chart
        # Rules top-down in pack order; the value axis then crosses at the last rule, i.e. at the bottom.
        compliance.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 9}})
        compliance.set_legend({"none": True})
        compliance.set_size({"width": 760, "height": max(360, 26 * rules + 80)})
        sheet.insert_chart(score_row, 3, compliance)  # below the overview lines, beside the small tables

        scores = self.book.add_chart({"type": "column"})
        count = len(score_labels())
        scores.add_series({"name": L["units_count"](lang), "categories": [name, score_row + 2, 0, score_row + 1 + count, 0],
                           "values": [name, score_row + 2, 1, score_row + 1 + count, 1],
                           "fill": {"color": "#E46C0A"}, "data_labels": {"value": True}})
        scores.set_title({"name": L["score_dist"](lang), "name_font": {"size": 12}})
        scores.set_legend({"none": True})
        scores.set_size({"width": 480, "height": 300})
        sheet.insert_chart(score_row, 15, scores)

        sizes = self.book.add_chart({"type": "column"})
        count = len(size_labels())
        sizes.add_series({"name": Text("党支部数", "branches")(lang),
                          "categories": [name, size_row + 2, 0, size_row + 1 + count, 0],
                          "values": [name, size_row + 2, 1, size_row + 1 + count, 1],
                          "fill": {"color": "#1F77B4"}, "data_labels": {"value": True}})
        sizes.set_title({"name": Text("党支部规模分布（党员人数）", "branch sizes (members)")(lang),
                         "name_font": {"size": 12}})
        sizes.set_legend({"none": True})
        sizes.set_size({"width": 480, "height": 300})
        sheet.insert_chart(score_row + 16, 15, sizes)

    def rules(self) -> None:
        lang = self.lang
        headers = list(zip(self.h("rule_id", "rule", "severity", "basis", "judged", "complying", "rate", "findings",
                                  "units_skipped"), (32, 40, 8, 50, 12, 12, 10, 10, 16)))
        rows = ([info.rule_id, info.title(lang), SEVERITY_ONE[info.severity.value](lang), info.basis(lang), tally.judged,
                 tally.complying, tally.rate, tally.findings, tally.units_skipped]
                for info, tally in self.report.rule_rows())
        self.table_sheet("rules", headers, rows, {6: self.percent})

    def ranking(self) -> None:
        lang, store = self.lang, self.report.store
        sheet = self.book.add_worksheet(SHEETS["ranking"](lang))
        self._print_setup(sheet, pages_tall=0)
        moved = self.report.movement
        columns = self.h("rank", "units", "file", "orgs", "error", "warning", "score") + (
            self.h("move") if moved is not None else [])
        for col, width in enumerate((6, 28, 40, 8, 8, 8, 8, 8)):
            sheet.set_column(col, col, width)
        row = 0
        for title, ranked in rankings(self.report):
            sheet.write_string(row, 0, title, self.bold)
            for col, label in enumerate(columns):
                sheet.write_string(row + 1, col, label, self.header)
            row += 2
            for item in ranked:
                values = [item.rank, item.unit, item.path, item.orgs, item.counts["error"], item.counts["warning"],
                          item.score]
                if moved is not None:
                    values.append(movement_mark(moved.of(item.unit or item.path), lang))
                for col, value in enumerate(values):
                    self.cell(sheet, row, col, value, self.decimal if col == 6 else None)
                row += 1
            row += 1
        sheet.write_string(row, 0, L["worst_orgs"](lang), self.bold)
        for col, label in enumerate(self.h("units", "org", "org_type", "members", "error", "warning", "score")):
            sheet.write_string(row + 1, col, label, self.header)
        row += 2
        for org in store.orgs(order="worst", limit=RANKED):
            values = [org.unit or org.path, f"{org.name}（{org.org_id}）", org_type(org.org_type, lang), org.members,
                      org.counts["error"], org.counts["warning"], org.score]
            for col, value in enumerate(values):
                self.cell(sheet, row, col, value, self.decimal if col == 6 else None)
            row += 1

    def units(self) -> None:
        lang = self.lang
        headers = list(zip(self.h("units", "file", "status", "note", "orgs", "members", "error", "warning", "info",
                                  "input_errors", "score", "rank"), (28, 40, 14, 40, 8, 8, 8, 8, 8, 10, 8, 6)))
        rows = ([r.unit, r.path, STATUS[r.status](lang), r.error, r.orgs, r.members, r.counts["error"],
                 r.counts["warning"], r.counts["info"], r.input_errors, r.score, r.rank]
                for r in self.report.store.files())
        sheet = self.table_sheet("units", headers, rows, {10: self.decimal}, self.report.totals.files)
        files = self.report.totals.files
        if files:
            sheet.conditional_format(1, 10, files, 10, {"type": "3_color_scale", "min_color": "#F8696B",
                                                        "mid_color": "#FFEB84", "max_color": "#63BE7B"})

    def orgs(self) -> None:
        lang = self.lang
        headers = list(zip(self.h("units", "file", "org_id", "org", "org_type", "parent", "members", "error",
                                  "warning", "info", "rules_judged", "rules_failed", "score"),
                           (28, 36, 10, 28, 10, 10, 8, 8, 8, 8, 10, 12, 8)))
        rows = ([o.unit, o.path, o.org_id, o.name, org_type(o.org_type, lang), o.parent_id, o.members,
                 o.counts["error"], o.counts["warning"], o.counts["info"], o.rules_judged, o.rules_failed, o.score]
                for o in self.report.store.orgs())
        self.table_sheet("orgs", headers, rows, {12: self.decimal}, self.report.totals.orgs)

    def findings(self) -> None:
        lang = self.lang
        headers = list(zip(self.h("units", "file", "org_id", "org", "severity", "rule_id", "period", "where",
                                  "message"), (24, 32, 10, 24, 8, 30, 12, 14, 80)))
        rows = ([line.unit, line.path, f.org_id, f.org_name, SEVERITY_ONE[f.severity](lang), f.rule_id, f.period,
                 f.location, f.message] for line in self.report.store.findings() for f in (line.finding,))
        self.table_sheet("findings", headers, rows, total=self.report.store.finding_count())

    def movement(self) -> None:
        """Against the previous round of the history: each unit's trend, score change, place and findings."""
        moved = self.report.movement
        if moved is None:
            return
        lang = self.lang
        headers = list(zip([*self.h("units"), L["trend"](lang), *self.h("score"), L["change"](lang),
                            *self.h("rank", "move"), L["new_f"](lang), L["open_f"](lang), L["resolved_f"](lang),
                            L["unit_rate"](lang)], (28, 10, 8, 8, 6, 6, 8, 8, 8, 10)))
        rows = ([m.unit, TREND[m.trend](lang), m.score_now, m.delta, m.rank_now, movement_mark(m, lang),
                 m.new if m.state != "missing" else None, m.still_open if m.state == "both" else None,
                 m.resolved if m.state == "both" else None, m.rectification_rate]
                for m in sorted(moved.units, key=lambda m: (TREND_ORDER.index(m.trend), m.delta or 0.0, m.unit)))
        self.table_sheet("movement", headers, rows, {2: self.decimal, 3: self.decimal, 9: self.percent},
                         len(moved.units))

    def unfinished(self) -> None:
        if self.report.unfinished:
            self.table_sheet("unfinished", [(L["file"](self.lang), 60)], ([p] for p in self.report.unfinished))

    def close(self) -> None:
        self.book.close()


def write(report: ScanReport, output: BinaryIO | Path, options: ReportOptions | None = None) -> None:
    writer = _Writer(report, output)
    # Sheet order is the tab order; in constant-memory mode each sheet is written start to end.
    for part in (writer.summary, writer.rules, writer.ranking, writer.movement, writer.units, writer.orgs,
                 writer.findings, writer.unfinished):
        part()
    writer.close()
