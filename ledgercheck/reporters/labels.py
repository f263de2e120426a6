"""Words the reports share for severities and rectification states, in both languages."""

from __future__ import annotations

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.result import AuditResult
from ledgercheck.findings.severity import LABELS

SEVERITY = LABELS  # 错误 / error …: the one set of words (findings/severity.py)

STATE = {
    "new": Text("新增", "new"),
    "open": Text("未整改", "still open"),
    "resolved": Text("已整改", "resolved"),
    "not_rechecked": Text("未复查", "not re-checked"),
}
WAIVED = Text("已豁免", "waived")
NO_FINDINGS = Text("未发现问题。", "No findings.")
# "No findings" would mislead when input errors kept rows, sheets or the whole ledger from being judged.
NO_FINDINGS_INCOMPLETE = Text("未发现规则问题，但台账有无法读取的输入错误，检查不完整，请改正后重新检查。",
                              "No rule findings, but input errors kept part of the ledger from being "
                              "read: the check is incomplete; correct them and audit again.")


def no_findings(input_errors: int, lang: Lang) -> str:
    return (NO_FINDINGS_INCOMPLETE if input_errors else NO_FINDINGS)(lang)


def status(state: str | None, waived: bool, lang: Lang) -> str:
    """`新增`, `未整改 · 已豁免`, `已豁免` …: the rectification state and whether a waiver covers it."""
    parts = [STATE[state](lang)] if state else []
    if waived:
        parts.append(WAIVED(lang))
    return " · ".join(parts)


def tracking_summary(tracking: dict[str, int | None], lang: Lang) -> str:
    """`整改：新增2条，未整改5条，已整改1条；已豁免1条` (the parts that apply), or ''."""
    parts: list[str] = []
    if tracking.get("new") is not None:
        if lang == "en":
            parts.append(f"rectification: {tracking['new']} new, {tracking['open']} still open, "
                         f"{tracking['resolved']} resolved")
        else:
            parts.append(f"整改：新增{tracking['new']}条，未整改{tracking['open']}条，已整改{tracking['resolved']}条")
    if tracking.get("waived"):
        parts.append(f"{tracking['waived']} waived" if lang == "en" else f"已豁免{tracking['waived']}条")
    return ("; " if lang == "en" else "；").join(parts)


def where(location: dict[str, object] | None) -> str:
    """A serialized location in Excel's notation: 组织!A3, or 党员!5:5 for a whole row."""
    if not location:
        return ""
    sheet, row, column = location.get("sheet"), location.get("row"), location.get("column")
    if sheet and row is not None:
        return f"{sheet}!{column}{row}" if column else f"{sheet}!{row}:{row}"
    return str(sheet or location.get("file") or "")


def summary_line(result: AuditResult, lang: Lang) -> str:
    """`汇总：8个组织，47条规则；错误14条…`: the line the table, the HTML page and `-o` end with."""
    counts = result.counts()
    errors, warnings = len(result.input_errors), len(result.input_issues) - len(result.input_errors)
    if lang == "en":
        line = (f"Summary: {result.orgs} organizations, {result.rules} rules; {counts['error']} errors, "
                f"{counts['warning']} warnings, {counts['info']} info; input problems: {errors} errors, "
                f"{warnings} notices")
        if result.skipped_rules:
            line += f"; {len(result.skipped_rules)} rules not checked"
        tracking = tracking_summary(result.tracking(), lang)
        return line + (f"; {tracking}" if tracking else "") + "."
    line = (f"汇总：{result.orgs}个组织，{result.rules}条规则；错误{counts['error']}条，警告{counts['warning']}条，"
            f"提示{counts['info']}条；输入问题：错误{errors}个，注意{warnings}个")
    if result.skipped_rules:
        line += f"；{len(result.skipped_rules)}条规则未检查"
    tracking = tracking_summary(result.tracking(), lang)
    return line + (f"；{tracking}" if tracking else "") + "。"
