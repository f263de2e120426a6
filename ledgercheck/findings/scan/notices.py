"""A scan's rectification notices: one Notice per audited unit with something to rectify, read from the store.

Only the store's public reading API is used (files, file_orgs, file_findings), one unit at a time, so a scan of
thousands of units never holds more than one notice in memory. The store keeps each finding's rule id, cell and
(masked) message; the rule's title, basis and fix come from the rules in force (`ScanReport.rules`, or the
`rule_infos` given).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import PurePath

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.findings.notices import NO_FIX, Notice, NoticeCounts, NoticeItem, NoticeOrg, NoticeTerms
from ledgercheck.findings.result import RuleInfo
from ledgercheck.findings.scan.report import ScanReport, group_rows
from ledgercheck.findings.scan.store import FileRow
from ledgercheck.findings.scan.summary import FindingRow

SAME = Text("同上", "as above")


def _stem(path: str) -> str:
    name = PurePath(path).name or path
    return PurePath(name).stem or name


class ScanNotices:
    """The notices of a scan, built as they are iterated (in the scan's file order, numbered from 1).

    After an iteration `counts` says how many notices there were and which units got none: audited units with
    nothing at or above `terms.min_severity`, and files that could not be audited. Iterating again reads the
    store again and gives the same notices (the store must still be open).
    """

    def __init__(self, report: ScanReport, rule_infos: Sequence[RuleInfo] | None = None,
                 terms: NoticeTerms | None = None, lang: Lang | None = None, grouped: bool = False) -> None:
        self.report = report
        self.grouped = grouped  # a rule broken by one subject in several periods as one item (report.group_rows)
        self._lang = lang
        self.terms = terms or NoticeTerms()
        self.rules = {info.rule_id: info for info in (rule_infos if rule_infos is not None else report.rules)}
        self.counts = NoticeCounts()

    @property
    def lang(self) -> Lang:
        """The notices' words and rule texts (the findings' messages are in the report's language)."""
        return self._lang or self.report.lang

    def __iter__(self) -> Iterator[Notice]:
        self.counts = counts = NoticeCounts()
        store = self.report.store
        for row in store.files():
            name = row.unit or _stem(row.path)
            if row.status == "unreadable":
                counts.unreadable.append(row.path)
                continue
            findings = store.file_findings(row.seq)
            notice = self._notice(row, name, self._grouped(findings) if self.grouped else findings,
                                  counts.written + 1)
            if notice is None:
                counts.without_problems.append(name)
                continue
            counts.written += 1
            yield notice

    def _notice(self, row: FileRow, unit: str, findings: list[FindingRow], sequence: int) -> Notice | None:
        terms, lang = self.terms, self.lang
        listed = [f for f in findings if f.severity in terms.severities]
        if not listed:
            return None
        items: dict[str, list[NoticeItem]] = {}
        for finding in listed:
            item = self._item(finding)
            same = items.setdefault(finding.org_id, [])
            if self.grouped and same and same[-1].rule_id == item.rule_id:
                # The same rule as the row above: its basis and fix say 同上, as a printed table does.
                item = replace(item, basis=SAME(self.lang), fix=SAME(self.lang))
            same.append(item)
        orgs: list[NoticeOrg] = []
        for org in self.report.store.file_orgs(row.seq):
            orgs.append(NoticeOrg(org.org_id, org.name, org.org_type, dict(org.counts), tuple(items.pop(org.org_id, ()))))
        for org_id, rest in items.items():  # a finding about an organization the ledger does not list
            name = next((f.org_name for f in listed if f.org_id == org_id), org_id)
            orgs.append(NoticeOrg(org_id, name, "", {s: sum(1 for i in rest if i.severity == s)
                                                     for s in ("error", "warning", "info")}, tuple(rest)))
        report = self.report
        return Notice(number=terms.number(sequence), unit=unit, file=row.path, as_of=report.as_of,
                      since=report.since, packs=tuple(report.packs), issued=terms.issued_on(),
                      deadline=terms.deadline_on(), orgs=tuple(orgs), issuer=terms.issuer, lang=lang,
                      unreadable_cells=row.input_errors, severities=terms.severities)

    def _grouped(self, findings: list[FindingRow]) -> list[FindingRow]:
        """One row per group: its periods, its first cell (等 when there are more) and a message naming who and how
        many periods, with the first period's message as an example."""
        lang, rows = self.lang, []
        for group in group_rows(findings):
            first = group.first
            if group.count == 1:
                rows.append(first)
                continue
            info = self.rules.get(first.rule_id)
            title = info.title(lang) if info is not None else first.rule_id
            example = group.example(lang) or ""
            where = f"{first.location} {'等' if lang == 'zh' else '…'}" if first.location else None
            rows.append(replace(first, period=group.periods(lang), location=where,
                                message=f"{group.message(lang, title)}{'。' if lang == 'zh' else '. '}{example}"))
        # An organization's items of one rule together (in the order the rules first appear), so that 同上 can
        # stand for the basis and fix they share.
        order: dict[tuple[str, str], int] = {}
        for row in rows:
            order.setdefault((row.org_id, row.rule_id), len(order))
        return sorted(rows, key=lambda row: order[(row.org_id, row.rule_id)])

    def _item(self, finding: FindingRow) -> NoticeItem:
        lang = self.lang
        info = self.rules.get(finding.rule_id)
        if info is None:  # a rule the given infos do not know: say what the store says
            return NoticeItem(finding.severity, finding.rule_id, finding.rule_id, finding.message, finding.location,
                              "", NO_FIX(lang), finding.period)
        return NoticeItem(finding.severity, finding.rule_id, info.title(lang), finding.message, finding.location,
                          info.basis(lang), (info.fix or NO_FIX)(lang), finding.period)


def scan_notices(report: ScanReport, rule_infos: Sequence[RuleInfo] | None = None,
                 terms: NoticeTerms | None = None, lang: Lang | None = None, grouped: bool = False) -> ScanNotices:
    """The notices of `report` (see ScanNotices)."""
    return ScanNotices(report, rule_infos, terms, lang, grouped)
