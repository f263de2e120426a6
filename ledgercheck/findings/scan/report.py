"""A whole scan as reporters see it: its settings in brief, the rules in force, the store and how the run went.

Also what the reports share in how they present it: rules by category, worst first; a unit's repeated findings
(one rule broken by one subject in several periods) as one row, the way findings/groups.py groups an audit's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.groups import LISTED
from ledgercheck.findings.notices import NoticeTerms
from ledgercheck.findings.result import RuleInfo
from ledgercheck.findings.scan.movement import Comparison
from ledgercheck.findings.scan.roll import RollCheck
from ledgercheck.findings.scan.store import RuleTally, ScanStore, Totals
from ledgercheck.findings.scan.summary import FindingRow
from ledgercheck.model.periods import Period

# The categories compliance is grouped by, in this order: (key, label, the rule tags that put a rule in it).
# A rule goes to the category of its first tag that names one; a rule with none goes to 其他 (last).
OTHER = "其他"
CATEGORIES: tuple[tuple[str, Text, tuple[str, ...]], ...] = (
    ("组织设置", Text("组织设置", "Organization setup"), ("组织设置",)),
    ("三会一课", Text("三会一课", "Meetings and lectures (三会一课)"), ("三会一课", "组织生活")),
    ("党费", Text("党费", "Party dues"), ("党费",)),
    ("发展党员", Text("发展党员", "Recruiting members"), ("发展党员",)),
    ("换届选举", Text("换届选举", "Terms and elections"), ("换届", "选举")),
    ("党员管理", Text("党员管理", "Member management"), ("党员管理",)),
    ("教育培训", Text("教育培训", "Education and training"), ("教育培训",)),
    ("台账记录", Text("台账记录", "Ledger records"), ("台账",)),
    (OTHER, Text("其他", "Other"), ()),
)
_BY_TAG = {tag: key for key, _label, tags in CATEGORIES for tag in tags}
CATEGORY_LABELS = {key: label for key, label, _tags in CATEGORIES}


def category(info: RuleInfo) -> str:
    return next((_BY_TAG[tag] for tag in info.tags if tag in _BY_TAG), OTHER)


@dataclass
class RunOutcome:
    total: int
    finished: int
    interrupted: bool
    workers: int = 0  # the workers that ran the files (a Dask cluster's, however many --jobs said); 0: not known

    @property
    def not_finished(self) -> int:
        return self.total - self.finished


@dataclass
class RuleCategory:
    key: str
    label: Text
    rules: list[tuple[RuleInfo, RuleTally]]

    @property
    def tally(self) -> RuleTally:
        """The category as a whole: judgements complying ÷ judgements (organization × rule)."""
        total = RuleTally()
        for _info, tally in self.rules:
            total.judged += tally.judged
            total.complying += tally.complying
            total.findings += tally.findings
        return total


def worst_first(rows: Iterable[tuple[RuleInfo, RuleTally]]) -> list[tuple[RuleInfo, RuleTally]]:
    """Lowest compliance first (more findings first among equals); rules nobody was judged on last; otherwise
    in rule-pack order."""
    return sorted(rows, key=lambda row: (row[1].rate is None, row[1].rate or 0.0, -row[1].findings))


@dataclass
class ScanReport:
    lang: Lang
    as_of: dt.date
    since: dt.date | None
    packs: list[tuple[str, str]]
    rules: list[RuleInfo]
    store: ScanStore
    outcome: RunOutcome
    jobs: int
    seconds: float
    ignored: int = 0
    unmatched: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)  # display names of files not audited (Ctrl-C)
    reports: list[str] = field(default_factory=list)  # ledgercheck's own scan reports found and passed over
    movement: Comparison | None = None  # against the previous round, when the scan is recorded in a history
    notice_terms: NoticeTerms | None = None  # --deadline, --issuer: for the notices the HTML report prints
    roll: RollCheck | None = None  # --expected: the units listed to report, against the files scanned

    @property
    def totals(self) -> Totals:
        return self.store.totals

    def rule_rows(self) -> list[tuple[RuleInfo, RuleTally]]:
        """Rules in rule-pack order with their tallies (rules no unit could be judged on included)."""
        return [(info, self.totals.rules.get(info.rule_id, RuleTally())) for info in self.rules]

    def rule_categories(self) -> list[RuleCategory]:
        """Rules grouped by category (CATEGORIES order), worst compliance first within each."""
        by_key: dict[str, list[tuple[RuleInfo, RuleTally]]] = {}
        for row in self.rule_rows():
            by_key.setdefault(category(row[0]), []).append(row)
        return [RuleCategory(key, label, worst_first(by_key[key])) for key, label, _tags in CATEGORIES
                if key in by_key]

    def sorted_rule_rows(self) -> list[tuple[str, RuleInfo, RuleTally]]:
        """(category key, rule, tally) in the order of rule_categories()."""
        return [(group.key, info, tally) for group in self.rule_categories() for info, tally in group.rules]


@dataclass
class RowGroup:
    """A unit's findings of one rule about one subject (in several periods) as one; a finding alone otherwise."""

    rows: list[FindingRow]

    @property
    def first(self) -> FindingRow:
        return self.rows[0]

    @property
    def count(self) -> int:
        return len(self.rows)

    def _periods(self) -> list[Period] | None:
        try:
            return [Period.parse(r.period) for r in self.rows if r.period]
        except ValueError:  # a label this version does not know: show them as they are
            return None

    def periods(self, lang: Lang) -> str:
        """2025-07 ~ 2025-12（共6期）for a run, the first few and … otherwise; one period as it is."""
        labels = [r.period for r in self.rows if r.period]
        if len(labels) <= 1:
            return labels[0] if labels else ""
        periods = self._periods()
        run = periods is not None and all(a.next() == b for a, b in zip(periods, periods[1:]))
        head = f"{labels[0]} ~ {labels[-1]}" if run else \
            ", ".join(labels[:LISTED]) + (" …" if len(labels) > LISTED else "")
        return head + (f" ({len(labels)} periods)" if lang == "en" else f"（共{len(labels)}期）")

    def message(self, lang: Lang, title: str) -> str:
        """One finding's own message; a series named by who it is about, the rule's title and how many periods."""
        first = self.first
        if self.count == 1:
            return first.message
        who = first.subject_label or first.org_name
        return (f"{who}: {title}, {self.count} periods" if lang == "en" else f"{who}：{title}，共{self.count}期")

    def example(self, lang: Lang) -> str | None:
        return None if self.count == 1 else Text("例：", "e.g. ")(lang) + self.first.message


def group_rows(rows: Iterable[FindingRow]) -> list[RowGroup]:
    """Findings of one rule about one subject in one organization, with a period each, as one group; in the
    order of their first finding. A finding without a period or a subject stands alone."""
    groups: list[RowGroup] = []
    open_groups: dict[tuple[str, str, str, str], RowGroup] = {}
    for row in rows:
        if row.period is None or not row.subject:
            groups.append(RowGroup([row]))
            continue
        key = (row.org_id, row.severity, row.rule_id, row.subject)
        group = open_groups.get(key)
        if group is None:
            groups.append(open_groups.setdefault(key, RowGroup([row])))
        else:
            group.rows.append(row)
    return groups
