"""Words the scan reports share (Chinese first, English with --lang en), and small formatting helpers."""

from __future__ import annotations

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.scan.movement import UnitMove
from ledgercheck.findings.scan.store import SCORE_BINS, SIZE_BINS
from ledgercheck.findings.severity import LABELS

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
    "unmatched": Text("没有匹配到文件的模式", "patterns that matched no file"),
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
         "unchanged": Text("持平", "unchanged"), "new": Text("新报送", "new"), "missing": Text("未报送", "not reporting")}
TREND_ORDER = ("regressed", "improved", "unchanged", "new", "missing")


def movement_mark(move: UnitMove | None, lang: Lang) -> str:
    """↑3, ↓2, — (same place), 新 / new (first reported); empty when the unit has no place."""
    if move is None:
        return ""
    if move.state == "new":
        return "新" if lang == "zh" else "new"
    if move.movement is None:
        return ""
    return f"↑{move.movement}" if move.movement > 0 else f"↓{-move.movement}" if move.movement < 0 else "—"
