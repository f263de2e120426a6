"""Rectification notices (整改通知书): what an inspector sends a unit after a scan, as plain data.

A Notice holds everything its writers (`reporters/notice_docx.py`, `reporters/notice_html.py`) print, already
in one language: the unit and its workbook, the inspection (as-of date, window, rule packs), the issuer, the
issue date and the deadline, and per organization its problems, each with its cell, basis and what to do.
`findings/scan/notices.py` builds them from a scan; anything else (a test, a single audit) may build them too.
Texts come from reports that are already masked: nothing here unmasks or adds personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ledgercheck.common.i18n import Lang, Text

SEVERITY_ORDER = ("error", "warning", "info")
DEFAULT_DAYS = 30
DEFAULT_PREFIX = "台账整改"

NO_FIX = Text("对照所列依据予以纠正，补齐或更正台账记录", "correct it according to the basis cited and update the ledger")


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """One problem: what is wrong (`message`), where (`location`, 工作表!单元格), why (`basis`), what to do (`fix`)."""

    severity: str  # error | warning | info
    rule_id: str
    rule_title: str
    message: str
    location: str | None
    basis: str
    fix: str
    period: str | None = None


@dataclass(frozen=True, slots=True)
class NoticeOrg:
    """An organization of the unit with its finding counts (all severities) and the problems the notice lists."""

    org_id: str
    name: str
    org_type: str
    counts: dict[str, int]
    items: tuple[NoticeItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """One unit's notice. `orgs` lists every organization of the unit, in workbook order; those with no listed
    problem have no items. `unreadable_cells` counts input errors: the results may be incomplete."""

    number: str  # 编号, e.g. 台账整改〔2026〕003号
    unit: str
    file: str  # the workbook as the scan shows it (masked)
    as_of: dt.date
    since: dt.date | None  # None: each ledger's window starts where its records do
    packs: tuple[tuple[str, str], ...]
    issued: dt.date
    deadline: dt.date
    orgs: tuple[NoticeOrg, ...]
    issuer: str | None = None  # 检查单位; None leaves a blank to fill in
    lang: Lang = "zh"
    unreadable_cells: int = 0
    severities: tuple[str, ...] = ("error", "warning")  # the levels the notice lists

    @property
    def items(self) -> list[tuple[NoticeOrg, NoticeItem]]:
        return [(org, item) for org in self.orgs for item in org.items]

    @property
    def problem_orgs(self) -> list[NoticeOrg]:
        return [org for org in self.orgs if org.items]

    def count(self, severity: str) -> int:
        return sum(1 for org in self.orgs for item in org.items if item.severity == severity)


@dataclass(frozen=True)
class NoticeTerms:
    """What the inspector decides for a batch of notices: the deadline (a date, or `days` after the issue date),
    the issue date (default today), the issuer printed above the seal, the number's prefix, and the lowest level
    listed (`warning`: errors and warnings; `info` adds the advisory findings; `error`: errors only)."""

    deadline: dt.date | None = None
    days: int = DEFAULT_DAYS
    issued: dt.date | None = None
    issuer: str | None = None
    prefix: str = DEFAULT_PREFIX
    min_severity: str = "warning"

    def issued_on(self) -> dt.date:
        return self.issued or dt.date.today()

    def deadline_on(self) -> dt.date:
        return self.deadline or self.issued_on() + dt.timedelta(days=self.days)

    @property
    def severities(self) -> tuple[str, ...]:
        return SEVERITY_ORDER[: SEVERITY_ORDER.index(self.min_severity) + 1]

    def problem(self) -> Text | None:
        """Why these terms cannot be used (for the command line to refuse before the scan), or None."""
        if self.min_severity not in SEVERITY_ORDER:
            return Text(f"未知的级别 {self.min_severity}", f"unknown level {self.min_severity}")
        if self.deadline is None and self.days < 1:
            return Text("整改期限的天数至少为 1 天", "the number of days for rectification must be at least 1")
        if self.deadline is not None and self.deadline < self.issued_on():
            return Text(f"整改期限 {self.deadline.isoformat()} 早于发文日期 {self.issued_on().isoformat()}",
                        f"the deadline {self.deadline.isoformat()} is before the issue date "
                        f"{self.issued_on().isoformat()}")
        return None

    def number(self, sequence: int) -> str:
        """编号: prefix〔year〕NNN号 (sequence from 1, in the scan's file order)."""
        return f"{self.prefix}〔{self.issued_on().year}〕{sequence:03d}号"


_DAYS = re.compile(r"^\s*(\d{1,4})\s*(d|天|日|days?)?\s*$", re.IGNORECASE)
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_deadline(text: str) -> dt.date | int:
    """`--deadline`: a date (2026-03-31, 2026/3/31, 2026年3月31日) or a number of days (30, 30d, 30天).

    Raises ValueError with a message for anything else."""
    days = _DAYS.match(text)
    if days:
        value = int(days.group(1))
        if value < 1:
            raise ValueError("整改期限的天数至少为 1 天 / the number of days must be at least 1")
        return value
    date = _DATE.match(text)
    if date:
        try:
            return dt.date(int(date.group(1)), int(date.group(2)), int(date.group(3)))
        except ValueError:
            pass
    raise ValueError(f"无法识别的整改期限 {text!r}：应为日期（2026-03-31）或天数（30）/ "
                     f"not a date (2026-03-31) or a number of days (30): {text!r}")


def terms_for(deadline: dt.date | int | None = None, *, issued: dt.date | None = None, issuer: str | None = None,
              prefix: str = DEFAULT_PREFIX, min_severity: str = "warning") -> NoticeTerms:
    """NoticeTerms from what `parse_deadline` returned: a date, a number of days, or None (DEFAULT_DAYS)."""
    if isinstance(deadline, dt.date):
        return NoticeTerms(deadline=deadline, issued=issued, issuer=issuer, prefix=prefix, min_severity=min_severity)
    return NoticeTerms(days=deadline or DEFAULT_DAYS, issued=issued, issuer=issuer, prefix=prefix,
                       min_severity=min_severity)


def long_date(day: dt.date, lang: Lang) -> str:
    """2026年2月14日 / 14 February 2026."""
    if lang == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class NoticeCounts:
    """What a batch of notices came to: how many were written, and the units that got none and why."""

    written: int = 0
    without_problems: list[str] = field(default_factory=list)  # audited units with nothing to rectify
    unreadable: list[str] = field(default_factory=list)  # files that could not be audited

    def summary(self, lang: Lang) -> str:
        parts = [Text(f"已生成整改通知书 {self.written} 份", f"{self.written} rectification notice(s) written")]
        if self.without_problems:
            count = len(self.without_problems)
            parts.append(Text(f"{count} 个单位未发现需要整改的问题，未生成",
                              f"{count} unit(s) with nothing to rectify got none"))
        if self.unreadable:
            count = len(self.unreadable)
            parts.append(Text(f"{count} 个文件无法读取，未生成（需重新报送台账）",
                              f"{count} unreadable file(s) got none (they must resend their ledgers)"))
        return ("；" if lang == "zh" else "; ").join(part(lang) for part in parts)
