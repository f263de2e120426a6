"""The words of a rectification notice (整改通知书), shared by its .docx and HTML writers so both say the same.

Chinese first; English with --lang en. Every function takes a Notice (findings/notices.py) and returns plain
text; the writers escape or style it.
"""

from __future__ import annotations

from ledgercheck.common.i18n import Lang, Text, vocab
from ledgercheck.findings.notices import Notice, NoticeOrg, long_date
from ledgercheck.findings.severity import LABELS

T: dict[str, Text] = {
    "title": Text("党建工作台账检查整改通知书", "Rectification notice: Party-building ledger inspection"),
    "summary": Text("一、问题概况", "1. Summary"),
    "problems": Text("二、问题清单", "2. Problems"),
    "requirements": Text("三、整改要求", "3. What to do"),
    "no": Text("序号", "No."),
    "org": Text("组织", "Organization"),
    "org_type": Text("组织类型", "Type"),
    "error": Text("错误", "Errors"),
    "warning": Text("警告", "Warnings"),
    "info": Text("提示", "Info"),
    "subtotal": Text("小计", "Total"),
    "total": Text("合计", "Total"),
    "severity": Text("级别", "Level"),
    "problem": Text("问题", "Problem"),
    "where": Text("位置（工作表!单元格）", "Where (sheet!cell)"),
    "basis": Text("依据", "Basis"),
    "fix": Text("整改要求", "What to do"),
    "period": Text("期间", "period"),
    "where_note": Text("「位置」指台账中的工作表和单元格，如「党员!A14」即「党员」工作表第14行A列。",
                       "\"Where\" names the sheet and cell of the ledger: 党员!A14 is row 14, column A of the sheet "
                       "党员."),
    "issuer_seal": Text("检查单位（盖章）：", "Issued by (seal): "),
    "date": Text("日期：", "Date: "),
    "receipt": Text("整改情况回执", "Rectification report (to be returned)"),
    "r_unit": Text("被检查单位", "Unit"),
    "r_number": Text("通知书编号", "Notice No."),
    "r_file": Text("台账文件", "Ledger file"),
    "r_count": Text("问题数", "Problems"),
    "r_done": Text("整改情况", "What was done"),
    "r_done_hint": Text("（逐条说明整改情况，可另附页）", "(item by item; attach pages if needed)"),
    "r_open": Text("未完成事项、原因及计划完成时间", "Items not yet done, why, and by when"),
    "r_head": Text("单位负责人（签字）", "Head of the unit (signature)"),
    "r_seal": Text("单位（盖章）", "Unit (seal)"),
    "r_blank_date": Text("年　　月　　日", "Date:"),
    "no_problem": Text("未发现需要整改的问题", "nothing to rectify"),
}


def severity(value: str, lang: Lang) -> str:
    return LABELS[value](lang)


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五 (for （一）, （二） …); beyond 99 Arabic digits."""
    digits = "零一二三四五六七八九"
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones else "")


def counts_text(notice: Notice, counts: dict[str, int] | None = None) -> str:
    """错误3条、警告8条 (the listed levels that occur; `counts` defaults to the notice's listed items)."""
    lang = notice.lang
    numbers = counts if counts is not None else {s: notice.count(s) for s in notice.severities}
    parts = [(s, numbers.get(s, 0)) for s in notice.severities if numbers.get(s, 0)]
    if lang == "en":
        return ", ".join(f"{n} {T[s](lang).lower() if n != 1 else T[s](lang).lower().rstrip('s')}" for s, n in parts)
    return "、".join(f"{T[s](lang)}{n}条" for s, n in parts)


def org_label(org: NoticeOrg, lang: Lang) -> str:
    """办公室党支部（B01） / Office branch (B01)."""
    if not org.org_id or org.org_id == org.name:
        return org.name
    return f"{org.name} ({org.org_id})" if lang == "en" else f"{org.name}（{org.org_id}）"


def org_heading(notice: Notice, position: int, org: NoticeOrg) -> str:
    listed = {s: sum(1 for i in org.items if i.severity == s) for s in notice.severities}
    if notice.lang == "en":
        return f"2.{position} {org_label(org, 'en')}: {counts_text(notice, listed)}"
    return f"（{cn_number(position)}）{org_label(org, 'zh')}：{counts_text(notice, listed)}"


def _packs(notice: Notice) -> str:
    return "、".join(f"{name} {version}" for name, version in notice.packs) or "national"


def salutation(notice: Notice) -> str:
    return f"To {notice.unit}:" if notice.lang == "en" else f"{notice.unit}："


def intro(notice: Notice) -> str:
    lang, total = notice.lang, len(notice.items)
    orgs, with_problems = len(notice.orgs), len(notice.problem_orgs)
    as_of = long_date(notice.as_of, lang)
    if lang == "en":
        who = notice.issuer or "We"
        window = (f"the complete months, quarters and years from {long_date(notice.since, lang)} that ended before "
                  f"that date" if notice.since else "the complete months, quarters and years the ledger's records "
                  "cover that ended before that date")
        return (f"{who} inspected the Party-building ledger your unit submitted ({notice.file}) as of {as_of}, "
                f"judging {window}, against the rule pack {_packs(notice)}. {with_problems} of {orgs} "
                f"organization(s) have problems to rectify, {total} in all ({counts_text(notice)}), listed below.")
    who = notice.issuer or "我们"
    window = (f"检查期间自{long_date(notice.since, lang)}起，至截止日期前已结束的完整月份、季度和年度" if notice.since
              else "检查期间为台账记录所涵盖的、截止日期前已结束的完整月份、季度和年度")
    return (f"根据党建工作台账检查安排，{who}对你单位报送的党建工作台账（{notice.file}）进行了检查。检查截止日期为"
            f"{as_of}，{window}，依据规则包 {_packs(notice)}。共检查组织{orgs}个，其中{with_problems}个组织存在需要整改"
            f"的问题，共{total}条（{counts_text(notice)}）。现将有关情况通知如下：")


def requirements(notice: Notice) -> list[str]:
    lang = notice.lang
    deadline = long_date(notice.deadline, lang)
    if lang == "en":
        to = notice.issuer or "the inspecting office"
        lines = [f"Rectify each problem above by {deadline}; fill in the attached report, seal it, and return it to "
                 f"{to} together with the corrected ledger.",
                 "Where a record is missing or was entered wrongly, add or correct it truthfully; where the work "
                 "itself was not done, do it now and record it as it happened. Never back-date or invent records.",
                 "For any item that cannot be finished in time, state why and by when in the report. If you disagree "
                 "with a problem listed, explain it there with supporting material."]
        if notice.unreadable_cells:
            lines.append(f"{notice.unreadable_cells} cell(s) of the ledger could not be read, so these results may "
                         "be incomplete: check and correct them as well.")
        return lines
    to = notice.issuer or "检查单位"
    lines = [f"（一）请你单位对照上述问题逐条整改，于{deadline}前完成，填写所附回执并加盖单位公章，连同更正后的台账"
             f"一并报送{to}。",
             "（二）属于台账记录缺漏或录入错误的，据实补录、更正；属于工作未落实的，抓紧落实并如实记录，不得补写、"
             "倒签会议记录等材料。",
             "（三）确实无法按期完成的事项，请在回执中说明原因和计划完成时间；对所列问题有异议的，请附相关材料一并"
             "说明。"]
    if notice.unreadable_cells:
        lines.append(f"（四）台账中另有{notice.unreadable_cells}处单元格无法读取，本次检查结果可能不完整，请一并核对"
                     "更正。")
    return lines


def receipt_note(notice: Notice) -> str:
    deadline = long_date(notice.deadline, notice.lang)
    if notice.lang == "en":
        return f"(return by {deadline} to {notice.issuer or 'the inspecting office'}, with the corrected ledger)"
    return f"（请于{deadline}前连同更正后的台账报送{notice.issuer or '检查单位'}）"


def count_line(notice: Notice) -> str:
    total = len(notice.items)
    if notice.lang == "en":
        return f"{total} ({counts_text(notice)})"
    return f"{total}条（{counts_text(notice)}）"


def org_type(value: str, lang: Lang) -> str:
    return vocab(value, lang) if value else ""


def problem_lines(item_period: str | None, message: str, lang: Lang) -> list[str]:
    """The problem cell: the message, and the period when there is one."""
    lines = [message]
    if item_period and item_period[:4] not in message:  # the message names its period already (2025年7月)
        lines.append(f"{T['period'](lang)}：{item_period}" if lang == "zh" else f"period: {item_period}")
    return lines


def issued_date(notice: Notice) -> str:
    return long_date(notice.issued, notice.lang)
