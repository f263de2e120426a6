"""The scan as an Excel workbook: 汇总 with native charts, 规则, 红黑榜, 单位, 组织 and every 问题.

Written with XlsxWriter in constant-memory mode: rows stream from the store to the file. Text from
the ledgers is always written as text, never as a formula; text that Excel would take for a formula
(= + - @) is stored with Excel's own quote prefix, exactly as if the user had typed an apostrophe.

Laid out for a 1600 px screen: the charts of 汇总 end before 1,400 px, and 达标率 and 得分 are the third and
second columns of their sheets, so nothing a reader looks for first is off to the right. Compliance bars are
coloured by value (green from 90 %, amber from 70 %, red below) as in the HTML report; units audited in part are
amber and unreadable files red wherever they are listed; 红黑榜 prints on one A4 page.
"""

from __future__ import annotations

from math import ceil
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from rich.cells import cell_len
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import writable
from ledgercheck.fileio.ownreports import MARK
from ledgercheck.findings.scan.report import ScanReport
from ledgercheck.findings.scan.summary import SCORE_FORMULA
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.scan.labels import (
    ROLL_STATES,
    SEVERITY_ONE,
    TREND,
    TREND_ORDER,
    L,
    incomplete_note,
    marked,
    movement_mark,
    note,
    org_type,
    roll_line,
    roll_rows,
    same_name_notes,
    score_labels,
    size_labels,
    skipped_text,
    status_text,
)
from ledgercheck.reporters.scan.svg import AMBER, GREEN, RED
from ledgercheck.reporters.scan.table_ import (
    RANKED,
    header_lines,
    interrupted_line,
    overview_line,
    rankings,
    unranked_rows,
)

MAX_ROWS = 1_048_576  # Excel's limit per sheet
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEETS = {
    "summary": Text("汇总", "Summary"), "rules": Text("规则", "Rules"), "ranking": Text("红黑榜", "Rankings"),
    "units": Text("单位", "Units"), "orgs": Text("组织", "Organizations"), "findings": Text("问题", "Findings"),
    "unfinished": Text("未完成", "Not audited"), "movement": Text("与上一轮比较", "Against last round"),
    "roll": Text("报送情况", "Reporting"),
}
TITLE = Text("ledgercheck 批量检查报告", "ledgercheck scan report")
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
        # What the workbook is, for the next scan of a folder it is kept in (fileio/ownreports.py).
        book.set_custom_property(*MARK)
        book.set_properties({"title": TITLE(self.lang), "author": "ledgercheck"})
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 16})
        self.header = book.add_format({"bold": True, "bg_color": "#C00000", "font_color": "#FFFFFF",
                                       "border": 1, "text_wrap": True, "valign": "vcenter"})
        self.text = book.add_format({})
        self.quoted = book.add_format({"quote_prefix": True})
        self.percent = book.add_format({"num_format": "0.0%"})
        self.decimal = book.add_format({"num_format": "0.0"})
        self.dim = book.add_format({"font_color": "#666666", "italic": True})
        self.wrapped_dim = book.add_format({"font_color": "#666666", "italic": True, "text_wrap": True,
                                            "valign": "top"})
        self.red = book.add_format({"bold": True, "font_color": "#C00000"})
        # 红榜 in red, 黑榜 in near-black: the two lists cannot be mistaken for each other, in colour or in grey.
        self.list_title = {
            "best": book.add_format({"bold": True, "font_size": 13, "font_color": "#FFFFFF", "bg_color": "#C00000"}),
            "worst": book.add_format({"bold": True, "font_size": 13, "font_color": "#FFFFFF", "bg_color": "#263238"}),
            "all": book.add_format({"bold": True, "font_size": 13, "font_color": "#C00000"}),
            "unranked": book.add_format({"bold": True, "font_size": 13, "font_color": "#E65100"}),
        }
        self.list_header = {
            "best": self.header,
            "worst": book.add_format({"bold": True, "bg_color": "#263238", "font_color": "#FFFFFF", "border": 1,
                                      "text_wrap": True, "valign": "vcenter"}),
            "all": self.header,
            "unranked": book.add_format({"bold": True, "bg_color": "#E65100", "font_color": "#FFFFFF", "border": 1,
                                         "text_wrap": True, "valign": "vcenter"}),
        }
        # Rows of units audited in part (amber) and of unreadable files (red), with the number formats they need.
        self.rows: dict[str, dict[str, Any]] = {}
        for kind, fill in (("incomplete", "#FFE0B2"), ("unreadable", "#FFCDD2")):
            self.rows[kind] = {
                "text": book.add_format({"bg_color": fill}),
                "decimal": book.add_format({"bg_color": fill, "num_format": "0.0"}),
                "rank": book.add_format({"bg_color": fill}),
                "wrap": book.add_format({"bg_color": fill, "text_wrap": True, "valign": "top"}),
            }
        self.rows[""] = {"text": None, "decimal": self.decimal, "rank": None,
                         "wrap": book.add_format({"text_wrap": True, "valign": "top"})}
        self.tied = book.add_format({"num_format": '"并列"0' if self.lang == "zh" else '"="0'})

    # ------------------------------------------------------------------ cells

    def cell(self, sheet: Worksheet, row: int, col: int, value: Any, fmt: Any = None) -> None:
        if value is None:
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, fmt)
        elif isinstance(value, (int, float)):
            sheet.write_number(row, col, value, fmt)
        else:
            # A control character spelled out (\x00 would be written _x0000_, which Excel refuses) and a bidi
            # override too; xlsxwriter keeps a literal _x0041_ literal itself.
            text = writable(str(value))
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
        sheet.set_row(0, 30)  # the 16 pt title, not clipped
        sheet.write_string(0, 0, L["title"](lang), self.title)
        row = 2
        for line in header_lines(report):
            sheet.write_string(row, 0, writable(line))
            row += 1
        if report.outcome.interrupted:
            sheet.write_string(row, 0, interrupted_line(report), self.red)
            row += 1
        sheet.write_string(row, 0, overview_line(report), self.bold)
        if report.roll is not None:  # the list of units that should report: who did not is on its own sheet
            row += 1
            sheet.write_string(row, 0, roll_line(report.roll, lang), self.red if report.roll.not_reported else self.bold)
        # The formula is long: wrapped across the width of the charts rather than running off to the right.
        sheet.set_row(row + 1, 48)
        sheet.merge_range(row + 1, 0, row + 1, 16, SCORE_FORMULA(lang), self.wrapped_dim)
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

    # Where the charts go on 汇总, in pixels from the left of column C (columns A and B: 117 + 89 px):
    # compliance 216–916, the two histograms 936–1376, so a 1600 px screen shows them all.
    COMPLIANCE_WIDTH = 700
    SIDE_X, SIDE_WIDTH = 720, 440

    def _charts(self, sheet: Worksheet, score_row: int, size_row: int) -> None:
        lang, name = self.lang, SHEETS["summary"](self.lang)
        rows = self.report.sorted_rule_rows()  # the order of the 规则 sheet
        count_rules = len(rows)
        rule_sheet = SHEETS["rules"](lang)
        compliance = self.book.add_chart({"type": "bar"})
        points = [{"fill": {"color": _rate_color(t.rate)}} if t.rate is not None else {"fill": {"none": True}}
                  for _key, _info, t in rows]
        compliance.add_series({"name": L["rate"](lang), "categories": [rule_sheet, 1, 1, count_rules, 1],
                               "values": [rule_sheet, 1, 2, count_rules, 2], "points": points,
                               "data_labels": {"value": True, "num_format": "0.0%", "font": {"size": 8}},
                               "gap": 50})
        compliance.set_title({"name": L["compliance"](lang), "name_font": {"size": 12}})
        compliance.set_x_axis({"min": 0, "max": 1, "num_format": "0%", "major_gridlines": {"visible": True}})
        # Rules top-down in the 规则 sheet's order; the value axis then crosses at the last rule, at the bottom.
        compliance.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"size": 8}})
        compliance.set_legend({"none": True})
        compliance.set_size({"width": self.COMPLIANCE_WIDTH, "height": max(360, 20 * count_rules + 90)})
        sheet.insert_chart(score_row, 2, compliance, {"x_offset": 10, "object_position": 3})

        scores = self.book.add_chart({"type": "column"})
        count = len(score_labels())
        scores.add_series({"name": L["units_count"](lang), "categories": [name, score_row + 2, 0, score_row + 1 + count, 0],
                           "values": [name, score_row + 2, 1, score_row + 1 + count, 1],
                           "fill": {"color": "#E46C0A"}, "data_labels": {"value": True}})
        scores.set_title({"name": L["score_dist"](lang), "name_font": {"size": 12}})
        scores.set_legend({"none": True})
        scores.set_size({"width": self.SIDE_WIDTH, "height": 280})
        sheet.insert_chart(score_row, 2, scores, {"x_offset": self.SIDE_X, "object_position": 3})

        sizes = self.book.add_chart({"type": "column"})
        count = len(size_labels())
        sizes.add_series({"name": Text("党支部数", "branches")(lang),
                          "categories": [name, size_row + 2, 0, size_row + 1 + count, 0],
                          "values": [name, size_row + 2, 1, size_row + 1 + count, 1],
                          "fill": {"color": "#1F77B4"}, "data_labels": {"value": True}})
        sizes.set_title({"name": Text("党支部规模分布（党员人数）", "branch sizes (members)")(lang),
                         "name_font": {"size": 12}})
        sizes.set_legend({"none": True})
        sizes.set_size({"width": self.SIDE_WIDTH, "height": 280})
        sheet.insert_chart(score_row, 2, sizes, {"x_offset": self.SIDE_X, "y_offset": 300, "object_position": 3})

    def rules(self) -> None:
        """By category, worst first within each (the order of the compliance chart); 达标率 third."""
        lang = self.lang
        labels = {g.key: g.label(lang) for g in self.report.rule_categories()}
        headers = list(zip(self.h("category", "rule", "rate", "judged", "complying", "findings", "severity",
                                  "rule_id", "units_skipped", "basis"), (10, 46, 9, 11, 11, 8, 6, 32, 16, 60)))
        rows = ([labels[key], info.title(lang), tally.rate, tally.judged, tally.complying, tally.findings,
                 SEVERITY_ONE[info.severity.value](lang), info.rule_id, tally.units_skipped, info.basis(lang)]
                for key, info, tally in self.report.sorted_rule_rows())
        sheet = self.table_sheet("rules", headers, rows, {2: self.percent})
        count = len(self.report.rules)
        if count:  # the rate cells coloured as their bars; a rule nobody was judged on stays blank
            sheet.conditional_format(1, 2, count, 2, {"type": "blanks", "stop_if_true": True,
                                                      "format": self.book.add_format({})})
            for criteria, color in (({"criteria": ">=", "value": 0.9}, "#C8E6C9"),
                                    ({"criteria": ">=", "value": 0.7}, "#FFE0B2"),
                                    ({"criteria": "<", "value": 0.7}, "#FFCDD2")):
                sheet.conditional_format(1, 2, count, 2, {"type": "cell", **criteria, "stop_if_true": True,
                                                          "format": self.book.add_format({"bg_color": color})})

    def ranking(self) -> None:
        """红榜 and 黑榜 (or one ranking), the units not ranked and why, the organizations with the lowest scores:
        one A4 page."""
        lang, store, report = self.lang, self.report.store, self.report
        sheet = self.book.add_worksheet(SHEETS["ranking"](lang))
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 1)
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        moved = report.movement
        columns = self.h("rank", "units", "score", "error", "warning", "orgs_judged", "file") + (
            self.h("move") if moved is not None else [])
        width = len(columns)
        for col, size in enumerate((8, 34, 8, 7, 7, 10, 40, 7)):
            sheet.set_column(col, col, size)
        row = 0
        for ranking in rankings(report):
            sheet.set_row(row, 22)
            sheet.merge_range(row, 0, row, width - 1, ranking.title, self.list_title[ranking.key])
            for col, label in enumerate(columns):
                sheet.write_string(row + 1, col, label, self.list_header[ranking.key])
            row += 2
            for item in ranking.rows:
                values = [None, item.unit, item.score, item.counts["error"], item.counts["warning"], item.orgs_judged,
                          item.path]
                if moved is not None:
                    values.append(movement_mark(moved.of(item.unit or item.path, item.path), lang))
                for col, value in enumerate(values):
                    self.cell(sheet, row, col, value, self.decimal if col == 2 else None)
                self.cell(sheet, row, 0, item.rank, self.tied if item.tied > 1 else None)
                row += 1
            if ranking.more:
                sheet.write_string(row, 1, L["more_tied"](lang).format(count=ranking.more), self.dim)
                row += 1
            row += 1
        unranked = unranked_rows(report)
        if unranked:  # in the rankings' columns: 单位 (or the file, when unreadable), counts, 未检查规则, why
            sheet.set_row(row, 22)
            sheet.merge_range(row, 0, row, width - 1, L["unranked"](lang), self.list_title["unranked"])
            sheet.write_string(row + 1, 0, L["unranked_note"](lang), self.dim)
            for col, label in enumerate(["", L["units"](lang), "", *self.h("error", "warning", "skipped", "note")]):
                sheet.write_string(row + 2, col, label, self.list_header["unranked"])
            row += 3
            for item in unranked[:RANKED]:
                kind = "unreadable" if not item.audited else "incomplete"
                fmt, wrap = self.rows[kind]["text"], self.rows[kind]["wrap"]
                note = status_text(item, lang) + ("：" if lang == "zh" else ": ") + incomplete_note(item, lang)
                values = ["—", item.unit or item.path, "—", item.counts["error"] if item.audited else None,
                          item.counts["warning"] if item.audited else None, skipped_text(item, lang) or None, note]
                # Spreadsheets do not grow a row for wrapped text written by a program: the row is made tall
                # enough for the reason (column G, 40 wide) and the name (column B, 34 wide) to show whole.
                lines = max(ceil(cell_len(note) / 38), ceil(cell_len(item.unit or item.path) / 32), 1)
                sheet.set_row(row, 15 * lines)
                for col, value in enumerate(values):
                    self.cell(sheet, row, col, value, wrap if col in (1, 6) else fmt)
                row += 1
            if len(unranked) > RANKED:
                sheet.write_string(row, 1, L["more_units"](lang).format(count=len(unranked) - RANKED), self.dim)
                row += 1
            row += 1
        if not report.totals.orgs_judged:
            return
        sheet.write_string(row, 0, L["worst_orgs"](lang), self.bold)
        for col, label in enumerate(self.h("score", "org", "error", "warning", "members", "org_type", "units")):
            sheet.write_string(row + 1, col, label, self.header)
        row += 2
        for org in store.orgs(order="worst", limit=RANKED):
            values = [org.score, f"{org.name}（{org.org_id}）", org.counts["error"], org.counts["warning"], org.members,
                      org_type(org.org_type, lang), marked(org.unit or org.path, org.complete, lang)]
            for col, value in enumerate(values):
                self.cell(sheet, row, col, value, self.decimal if col == 0 else
                          None if org.complete else self.rows["incomplete"]["text"])
            row += 1

    def units(self) -> None:
        """Every file, 得分 and 排名 beside the unit's name; units audited in part amber, unreadable files red."""
        lang = self.lang
        headers = list(zip(self.h("units", "score", "rank", "status", "orgs_judged", "orgs", "members", "error",
                                  "warning", "info", "skipped", "input_errors", "note", "file"),
                           (32, 8, 8, 16, 10, 7, 7, 7, 7, 7, 10, 8, 44, 44)))
        sheet = self.book.add_worksheet(SHEETS["units"](lang))
        self._print_setup(sheet, pages_tall=0)
        sheet.repeat_rows(0)
        for col, (label, size) in enumerate(headers):
            sheet.set_column(col, col, size)
            sheet.write_string(0, col, label, self.header)
        sheet.freeze_panes(1, 1)
        count = 0
        same = same_name_notes(self.report.store.same_named(), lang)
        for count, r in enumerate(self.report.store.files(), start=1):
            if count >= MAX_ROWS - 1:
                rest = self.report.totals.files - count + 1
                sheet.write_string(count, 0, TRUNCATED(lang).format(rest=rest), self.red)
                break
            kind = "unreadable" if not r.audited else "incomplete" if r.incomplete else ""
            formats = self.rows[kind]
            audited = r.audited
            values = [r.unit, r.score, None, status_text(r, lang), r.orgs_judged if audited else None,
                      r.orgs if audited else None, r.members if audited else None,
                      r.counts["error"] if audited else None, r.counts["warning"] if audited else None,
                      r.counts["info"] if audited else None, skipped_text(r, lang) or None,
                      r.input_errors if audited else None,
                      note(incomplete_note(r, lang) if kind else "", same.get(r.path, ""), lang=lang) or None,
                      r.path]
            for col, value in enumerate(values):
                fmt = formats["decimal"] if col == 1 else formats["wrap"] if col == 12 else formats["text"]
                self.cell(sheet, count, col, value, fmt)
            self.cell(sheet, count, 2, r.rank, self.tied if r.tied > 1 and r.rank is not None else formats["rank"])
        sheet.autofilter(0, 0, max(count, 1), len(headers) - 1)
        files = self.report.totals.files
        if files:
            sheet.conditional_format(1, 1, files, 1, {"type": "3_color_scale", "min_color": "#F8696B",
                                                      "mid_color": "#FFEB84", "max_color": "#63BE7B"})

    def orgs(self) -> None:
        lang = self.lang
        headers = list(zip(self.h("units", "file", "org_id", "org", "org_type", "parent", "members", "error",
                                  "warning", "info", "rules_judged", "rules_failed", "score"),
                           (28, 36, 10, 28, 10, 10, 8, 8, 8, 8, 10, 12, 8)))
        rows = ([marked(o.unit or "", o.complete, lang) if o.unit else None, o.path, o.org_id, o.name,
                 org_type(o.org_type, lang), o.parent_id, o.members,
                 o.counts["error"], o.counts["warning"], o.counts["info"], o.rules_judged, o.rules_failed, o.score]
                for o in self.report.store.orgs())
        self.table_sheet("orgs", headers, rows, {12: self.decimal}, self.report.totals.orgs)

    def findings(self) -> None:
        lang = self.lang
        headers = list(zip(self.h("units", "file", "org_id", "org", "severity", "rule_id", "period", "where",
                                  "message"), (24, 32, 10, 24, 8, 30, 12, 14, 80)))
        rows = ([marked(line.unit, line.complete, lang) if line.unit else None, line.path, f.org_id, f.org_name,
                 SEVERITY_ONE[f.severity](lang), f.rule_id, f.period,
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

    def roll(self) -> None:
        """The list of units that should report (--expected): who did not, files it lacks, who did."""
        check = self.report.roll
        if check is None:
            return
        lang = self.lang
        headers = list(zip([L["units"](lang), L["roll_place"](lang), L["roll_state"](lang), L["file"](lang),
                            L["roll_unit"](lang)], (30, 16, 10, 40, 30)))
        rows = ([name, where, ROLL_STATES[state](lang), path, unit]
                for name, where, state, path, unit in roll_rows(check))
        self.table_sheet("roll", headers, rows)

    def unfinished(self) -> None:
        if self.report.unfinished:
            self.table_sheet("unfinished", [(L["file"](self.lang), 60)], ([p] for p in self.report.unfinished))

    def close(self) -> None:
        self.book.close()


def _rate_color(rate: float) -> str:
    return GREEN if rate >= 0.9 else AMBER if rate >= 0.7 else RED


def write(report: ScanReport, output: BinaryIO | Path, options: ReportOptions | None = None) -> None:
    writer = _Writer(report, output)
    # Sheet order is the tab order; in constant-memory mode each sheet is written start to end.
    for part in (writer.summary, writer.rules, writer.ranking, writer.movement, writer.roll, writer.units,
                 writer.orgs, writer.findings, writer.unfinished):
        part()
    writer.close()
