"""Words the scan reports share (Chinese first, English with --lang en), and small formatting helpers."""

from __future__ import annotations

from pathlib import PurePath

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.scan.movement import UnitMove
from ledgercheck.findings.scan.roll import RollCheck, ScannedUnit
from ledgercheck.findings.scan.store import SCORE_BINS, SIZE_BINS, FileRow
from ledgercheck.findings.severity import LABELS
from ledgercheck.model.schema import SHEETS_BY_KEY

L: dict[str, Text] = {
    "title": Text("ledgercheck 批量检查报告", "ledgercheck scan report"),
    "as_of": Text("截止日期", "as of"),
    "since": Text("审计期间起始", "window start"),
    "packs": Text("规则包", "rule packs"),
    "files": Text("文件数", "files"),
    "audited": Text("已检查", "audited"),
    "units": Text("单位", "unit"),
    "file": Text("文件", "file"),
    "status": Text("状态", "status"),
    "note": Text("说明", "note"),
    "orgs": Text("组织数", "organizations"),
    "orgs_judged": Text("受检组织数", "orgs judged"),
    "category": Text("类别", "category"),
    "skipped": Text("未检查规则", "rules not checked"),
    "incomplete": Text("检查不完整", "incomplete audit"),
    "incomplete_units": Text("检查不完整的单位", "units audited in part"),
    "unranked": Text("未参加排名的单位（检查不完整或无法读取）", "units not ranked (audited in part or unreadable)"),
    "unranked_note": Text("这些单位的台账有一部分没有读入或没有检查，问题可能比列出的更多：不评分、不排名，请其改正后重新报送。",
                          "Part of these units' ledgers was not read or not checked, so they may have more problems "
                          "than listed: they are neither scored nor ranked; ask them to correct and resend."),
    "tie": Text("并列", "tied"),
    "org": Text("组织", "organization"),
    "org_id": Text("组织编号", "org ID"),
    "org_type": Text("组织类型", "type"),
    "parent": Text("上级组织", "parent"),
    "members": Text("党员数", "members"),
    "error": Text("错误", "errors"),
    "warning": Text("警告", "warnings"),
    "info": Text("提示", "info"),
    "input_errors": Text("输入问题", "input problems"),
    "score": Text("得分", "score"),
    "rank": Text("排名", "rank"),
    "move": Text("升降", "move"),
    "trend": Text("变化", "trend"), "change": Text("得分变化", "score change"), "new_f": Text("新增问题", "new"),
    "open_f": Text("未整改", "still open"), "resolved_f": Text("已整改", "resolved"),
    "unit_rate": Text("整改率", "rectified"), "movement": Text("与上一轮比较", "Against the previous round"),
    "score_trend": Text("得分走势", "score over rounds"), "rate_trend": Text("达标率走势", "compliance over rounds"),
    "mean_score": Text("平均得分", "mean score"),
    "rule": Text("规则", "rule"),
    "rule_id": Text("规则编号", "rule ID"),
    "severity": Text("级别", "severity"),
    "basis": Text("依据", "basis"),
    "judged": Text("适用组织数", "orgs judged"),
    "complying": Text("达标组织数", "orgs complying"),
    "rate": Text("达标率", "compliance"),
    "findings": Text("问题数", "findings"),
    "units_skipped": Text("缺少数据的单位数", "units lacking the data"),
    "rules_judged": Text("检查规则数", "rules judged"),
    "rules_failed": Text("未达标规则数", "rules not met"),
    "period": Text("期间", "period"),
    "where": Text("位置", "location"),
    "message": Text("问题说明", "message"),
    "summary": Text("总体情况", "overview"),
    "compliance": Text("各项规定达标率（达标组织 ÷ 适用组织）", "compliance by rule (orgs complying ÷ orgs judged)"),
    "best": Text("红榜：得分最高的单位", "best units (highest scores)"),
    "worst": Text("黑榜：得分最低的单位", "worst units (lowest scores)"),
    "ranking": Text("单位得分排名", "units ranked by score"),
    "ranked_only": Text("只排检查完整的单位；检查不完整的{count}个单位另列于下。",
                        "Only fully audited units are ranked; the {count} audited in part are listed below."),
    "more_tied": Text("……另有{count}个单位与上一名并列（见单位表）", "… and {count} more units tied with the last one "
                      "(see the units table)"),
    "more_units": Text("……另有{count}个（见单位表）", "… and {count} more (see the units table)"),
    "worst_orgs": Text("问题最多的组织", "organizations with the lowest scores"),
    "sizes": Text("组织规模分布（正式和预备党员人数，含下级组织）",
                  "organization sizes (active members, including organizations below)"),
    "score_dist": Text("单位得分分布", "unit score distribution"),
    "problems": Text("未能完整检查的文件", "files that could not be fully audited"),
    "per_unit": Text("各单位情况", "units"),
    "per_org": Text("各组织情况", "organizations"),
    "all_findings": Text("全部问题", "all findings"),
    "not_finished": Text("未完成", "not finished"),
    "unfinished": Text("未完成的文件（检查被中断）", "files not audited (the scan was interrupted)"),
    "ignored": Text("已忽略的 Office 临时文件和隐藏文件", "Office lock files and hidden files ignored"),
    "same_named": Text("以下文件的单位名称相同（是否重复报送？单位名称是否写全？）；各自检查、排名，检查历史中按“名称（文件）”分别记录",
                       "These files name the same unit (sent twice? a generic name?); each is audited and ranked, "
                       "and kept in the history as \"name（file）\""),
    "reports": Text("未检查的本工具批量检查报告（不是台账）", "ledgercheck scan reports passed over (not ledgers)"),
    "unmatched": Text("没有匹配到文件的模式", "patterns that matched no file"),
    "roll": Text("应报单位名单 {source}：应报{listed}个单位，已报送{reported}个，未报送{missing}个；名单外的文件{unlisted}个",
                 "List of units {source}: {listed} should report, {reported} did, {missing} did not; {unlisted} "
                 "files of units not on the list"),
    "not_reported": Text("未报送的单位", "Units that did not report"),
    "unlisted": Text("名单外的文件（名单中没有这个单位，或名称写法不同）",
                     "Files of units not on the list (missing from it, or named otherwise)"),
    "roll_place": Text("名单位置", "in the list at"),
    "roll_state": Text("报送情况", "reported"),
    "roll_unit": Text("台账中的单位名称", "unit as its ledger names it"),
    "seconds": Text("用时", "time"),
    "jobs": Text("并行进程数", "worker processes"),
    "count": Text("数量", "count"),
    "total": Text("合计", "total"),
    "units_count": Text("单位数", "units"),
    "none": Text("无", "none"),
    "interrupted": Text("检查被中断：已完成 {done} 个文件，{left} 个未完成",
                        "the scan was interrupted: {done} files finished, {left} not finished"),
    "more": Text("完整的逐单位、逐组织结果和全部问题见 --format xlsx、html 或 json 报告",
                 "per-unit and per-organization results and every finding: use --format xlsx, html or json"),
}

STATUS: dict[str, Text] = {
    "ok": Text("完整检查", "fully audited"),
    "input_errors": Text("有无法读取的单元格", "unreadable cells"),
    "internal_errors": Text("部分规则内部错误", "internal errors"),
    "unreadable": Text("无法读取", "unreadable"),
}
MISSING_SHEET = Text("缺少必需的表", "required sheet missing")


def status_text(row: FileRow, lang: Lang) -> str:
    """The file's status; an audit that lacks a required sheet is not 完整检查 even with every cell read."""
    if row.status == "ok" and row.missing_sheets:
        return MISSING_SHEET(lang)
    return STATUS[row.status](lang)


def skipped_text(row: FileRow, lang: Lang) -> str:
    """30/47: rules not checked of those in force ("" for an unreadable file: nothing was)."""
    if not row.audited or not row.rules_total:
        return ""
    return f"{len(row.skipped_rules)}/{row.rules_total}"


def incomplete_note(row: FileRow, lang: Lang) -> str:
    """Why a unit is not ranked, in one line: what could not be read or checked, and how many rules were not."""
    if not row.audited:
        return row.error or ""
    parts = []
    if row.input_errors:
        parts.append(("1 cell, row or sheet could not be read" if row.input_errors == 1 else
                      f"{row.input_errors} cells, rows or sheets could not be read") if lang == "en"
                     else f"{row.input_errors}处单元格、行或表无法读取")
    for key in row.missing_sheets:
        spec = SHEETS_BY_KEY[key]
        parts.append(f"no {spec.en} sheet" if lang == "en" else f"缺少「{spec.title}」表")
    if row.internal_errors:
        parts.append(f"{row.internal_errors} check{'s' if row.internal_errors > 1 else ''} failed" if lang == "en"
                     else f"{row.internal_errors}项检查出错")
    if row.rules_total:
        skipped = len(row.skipped_rules)
        parts.append(f"{skipped} of {row.rules_total} rules not checked" if lang == "en"
                     else f"{row.rules_total}条规则中{skipped}条未检查")
    return ("; " if lang == "en" else "；").join(parts)


SAME_NAME = Text("与{files}的单位名称相同", "names the same unit as {files}")


def same_name_notes(groups: list[tuple[str, list[str]]], lang: Lang, listed: int = 3) -> dict[str, str]:
    """File path → its note, for the files that name the same unit as other files (ScanStore.same_named)."""
    notes: dict[str, str] = {}
    for _unit, files in groups:
        for path in files:
            others = [f for f in files if f != path]
            shown = ("、" if lang == "zh" else ", ").join(others[:listed])
            if len(others) > listed:
                shown += f"等{len(others)}个文件" if lang == "zh" else f" and {len(others) - listed} more"
            notes[path] = SAME_NAME(lang).format(files=shown)
    return notes


def note(*parts: str, lang: Lang) -> str:
    """A unit row's note from its parts, the empty ones left out."""
    return ("; " if lang == "en" else "；").join(p for p in parts if p)


def marked(unit: str, complete: bool, lang: Lang) -> str:
    """A unit's name, marked when its audit is incomplete."""
    return unit if complete else f"{unit} ({L['incomplete'](lang)})" if lang == "en" else f"{unit}（{L['incomplete'](lang)}）"


def rank_text(row: FileRow, lang: Lang) -> str:
    """1, or 并列1 / =1 when several units share the place; empty for a unit without a rank."""
    if row.rank is None:
        return ""
    return (f"={row.rank}" if lang == "en" else f"并列{row.rank}") if row.tied > 1 else str(row.rank)

SEVERITY: dict[str, Text] = {"error": L["error"], "warning": L["warning"], "info": L["info"]}
SEVERITY_ONE: dict[str, Text] = LABELS  # one finding's level (findings/severity.py); SEVERITY above counts them


def size_labels() -> list[str]:
    return [f"{low}–{high}" if high is not None else f">{low - 1}" for low, high in SIZE_BINS]


def score_labels() -> list[str]:
    bounds = list(SCORE_BINS) + [None]
    labels = []
    for low, high in zip(bounds, bounds[1:]):
        labels.append(f"<{high}" if low == 0 else f"≥{low}" if high is None else f"{low}–{high - 1}")
    return labels


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def org_type(value: str, lang: Lang) -> str:
    from ledgercheck.common.i18n import vocab

    return vocab(value, lang)


TREND = {"improved": Text("好转", "improved"), "regressed": Text("退步", "regressed"),
         "unchanged": Text("持平", "unchanged"), "incomplete": Text("检查不完整", "incomplete"),
         "new": Text("新报送", "new"), "missing": Text("未报送", "not reporting")}
TREND_ORDER = ("regressed", "improved", "unchanged", "incomplete", "new", "missing")


def movement_mark(move: UnitMove | None, lang: Lang) -> str:
    """↑3, ↓2, — (same place), 新 / new (first reported); empty when the unit has no place."""
    if move is None:
        return ""
    if move.state == "new":
        return "新" if lang == "zh" else "new"
    if move.movement is None:
        return ""
    return f"↑{move.movement}" if move.movement > 0 else f"↓{-move.movement}" if move.movement < 0 else "—"


def roll_line(check: RollCheck, lang: Lang) -> str:
    """The list of units against the scan, in one line."""
    return L["roll"](lang).format(source=PurePath(check.roll.source).name, listed=check.listed,
                                  reported=len(check.reported), missing=len(check.not_reported),
                                  unlisted=len(check.unlisted))


def unit_and_file(scanned: ScannedUnit, lang: Lang) -> str:
    """名称（文件）, or the file alone when it could not be read."""
    if not scanned.unit:
        return scanned.path
    return f"{scanned.unit}（{scanned.path}）" if lang == "zh" else f"{scanned.unit} ({scanned.path})"


ROLL_STATES = {"reported": Text("已报送", "reported"), "not_reported": Text("未报送", "did not report"),
               "unlisted": Text("名单外", "not on the list")}


def roll_rows(check: RollCheck) -> list[tuple[str, str | None, str, str | None, str | None]]:
    """(listed name, its place in the list, state, file, the unit its ledger names) per row: those that did not
    report first, then files the list lacks, then those that reported (a row per file)."""
    rows: list[tuple[str, str | None, str, str | None, str | None]] = [
        (e.name, e.where, "not_reported", None, None) for e in check.not_reported]
    rows += [(f.unit or "", None, "unlisted", f.path, f.unit) for f in check.unlisted]
    rows += [(e.name, e.where, "reported", f.path, f.unit) for e, files in check.reported for f in files]
    return rows
