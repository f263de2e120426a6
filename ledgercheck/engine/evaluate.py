"""The engine: apply each rule's check kind to the organizations it governs and collect findings.

It never sees a spreadsheet cell: it reads the Ledger and writes Findings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import traceback
from dataclasses import dataclass
from typing import cast

from ledgercheck.checks import KINDS
from ledgercheck.checks.base import Scope, Violation
from ledgercheck.common.errors import RulePackError
from ledgercheck.common.i18n import Text
from ledgercheck.findings.finding import Finding, fingerprint
from ledgercheck.findings.result import AuditResult, OrgInfo, RuleCrash, RuleInfo, SkippedRule
from ledgercheck.model.ledger import Ledger, PartialLedger, Pending
from ledgercheck.model.periods import Window
from ledgercheck.model.records import Org
from ledgercheck.model.schema import SHEETS_BY_KEY
from ledgercheck.rulebook.loader import LoadedRule, Rulebook
from ledgercheck.rulebook.schema import AppliesTo


def default_window(ledger: Ledger, as_of: dt.date, since: dt.date | None = None) -> Window:
    """From `since`, else from 1 January of the first year the activity records cover, to as-of.

    A ledger with no dated activity at all is judged over the year before as-of.
    """
    return window_over(ledger.activity_span() if since is None else None, as_of, since)


def window_over(span: tuple[dt.date, dt.date] | None, as_of: dt.date, since: dt.date | None = None) -> Window:
    """`default_window` of a ledger whose activity spans `span`."""
    if since is None:
        if span is not None and span[0] <= as_of:
            since = dt.date(span[0].year, 1, 1)
        else:
            since = dt.date(as_of.year - 1, as_of.month, 1)
    return Window(min(since, as_of), as_of)


def applies(applies_to: AppliesTo, org: Org, ledger: Ledger) -> bool:
    if applies_to.org_type is not None and not {org.org_type, org.base_type} & set(applies_to.org_type):
        return False
    if applies_to.except_org_type is not None and org.org_type in applies_to.except_org_type:
        return False
    if applies_to.has_committee is not None and org.has_committee != applies_to.has_committee:
        return False
    if applies_to.top_level is not None and ledger.is_top_level(org) != applies_to.top_level:
        return False
    return True


def missing_data(loaded: LoadedRule, ledger: Ledger) -> Text | None:
    """Why a rule cannot be judged on this ledger, or None when it can."""
    kind = KINDS[loaded.rule.check.kind]
    for sheet, field in kind.requires(loaded.rule.check):
        spec = SHEETS_BY_KEY[sheet]
        if not ledger.has_sheet(sheet):
            return Text(f"台账中没有「{spec.title}」表", f"the ledger has no {spec.en} sheet")
        if spec.optional and not getattr(ledger, sheet):
            # An optional sheet kept empty (the template says so) means "not recorded", not "none held".
            return Text(f"「{spec.title}」表没有记录（选填的表留空表示未记录）",
                        f"the {spec.en} sheet is empty (an optional sheet left empty means not recorded)")
        if field is not None and not ledger.has_column(sheet, field):
            return _no_column(sheet, field)
    # Which organizations a rule judges may rest on a column too: without 支委会委员人数 it is not known which
    # branches have a committee (a blank cell says none; a missing column says nothing).
    applies_to = loaded.rule.applies_to
    if applies_to is not None and applies_to.has_committee is not None and ledger.has_sheet("orgs") \
            and not ledger.has_column("orgs", "committee_size"):
        return _no_column("orgs", "committee_size")
    return None


def _no_column(sheet: str, field: str) -> Text:
    spec = SHEETS_BY_KEY[sheet]
    header = spec.by_key[field]
    return Text(f"「{spec.title}」表没有「{header.header}」列", f"the {spec.en} sheet has no {header.en} column")


@dataclass(frozen=True)
class _Described:
    """What a rule says of itself, the same in every audit: made once for each rule of a rulebook (`_described`)."""

    rulebook: Rulebook  # held, so that neither id in the key is reused while the entry lives
    loaded: LoadedRule
    info: RuleInfo
    message: Text


_DESCRIBED: dict[tuple[int, int], _Described] = {}
DESCRIBED_KEPT = 512  # rules of the rulebooks in use (a server may hold a few); beyond them, all are let go


def _described(loaded: LoadedRule, rulebook: Rulebook) -> _Described:
    key = (id(loaded), id(rulebook))
    found = _DESCRIBED.get(key)
    if found is None:
        if len(_DESCRIBED) >= DESCRIBED_KEPT:
            _DESCRIBED.clear()
        rule = loaded.rule
        info = RuleInfo(rule.id, rule.title.text(), rule.severity, rulebook.citation(rule),
                        rule.fix.text() if rule.fix else None, rule.rationale.text() if rule.rationale else None,
                        tuple(rule.tags), rulebook.citation(rule, short=True))
        found = _DESCRIBED[key] = _Described(rulebook, loaded, info, rule.message.text())
    return found


class _RuleRunner:
    def __init__(self, loaded: LoadedRule, rulebook: Rulebook):
        self.rule = loaded.rule
        self.kind = KINDS[self.rule.check.kind]
        described = _described(loaded, rulebook)
        self.citation = described.info.citation
        self.citation_short = described.info.citation_short
        self.title = described.info.title
        self.message = described.message
        self.fingerprints: dict[str, int] = {}

    def findings(self, scope: Scope) -> list[Finding]:
        return [self._finding(scope.org, v) for v in self.kind.evaluate(self.rule.check, scope)]

    def _finding(self, org: Org, violation: Violation) -> Finding:
        values = {"org": org.name, "org_id": org.org_id, "subject": violation.subject.label,
                  "period": violation.period, **violation.evidence}
        key = fingerprint(self.rule.id, org.org_id, violation.subject, violation.period)
        # Two findings about identical subjects (two meetings on one day) get an ordinal, not a clash.
        seen = self.fingerprints.get(key, 0)
        self.fingerprints[key] = seen + 1
        if seen:
            key = f"{key}-{seen + 1}"
        return Finding(self.rule.id, self.title, self.rule.severity, org.org_id, org.name, violation.subject,
                       violation.period, violation.location, self.message.format(**values), self.citation,
                       violation.evidence, key, violation.related, self.citation_short)


def _rule_failure(exc: RulePackError) -> Text:
    where = exc.location.short() if exc.location else ""
    return Text(f"{exc.message.zh}（这是规则包的问题：请修改该规则的表达式{'，或核对 ' + where if where else ''}）",
                f"{exc.message.en} (a problem of the rule pack: fix the rule's expression"
                f"{', or check ' + where if where else ''})")


def rule_info(loaded: LoadedRule, rulebook: Rulebook) -> RuleInfo:
    return _described(loaded, rulebook).info


@dataclass
class Verdict:
    """One rule's outcome on a ledger: why it was skipped, or its findings, crashes and the organizations judged."""

    skipped: SkippedRule | None = None
    info: RuleInfo | None = None
    findings: list[Finding] = dataclasses.field(default_factory=list)
    crashes: list[RuleCrash] = dataclasses.field(default_factory=list)
    judged: list[str] = dataclasses.field(default_factory=list)


@dataclass
class Early:
    """The verdicts of the rules judged on a PartialLedger (`judge_early`), for `audit` on the whole ledger.

    They count only under the window they were judged in: `audit` judges every rule afresh under another.
    """

    window: Window
    verdicts: dict[str, Verdict]


def _judge(loaded: LoadedRule, rulebook: Rulebook, ledger: Ledger, scopes: dict[str, Scope]) -> Verdict:
    reason = missing_data(loaded, ledger)
    if reason is not None:
        return Verdict(skipped=SkippedRule(loaded.rule.id, reason, loaded.rule.title.text()))
    verdict = Verdict(info=rule_info(loaded, rulebook))
    runner = _RuleRunner(loaded, rulebook)
    for org in ledger.orgs:
        if not applies(loaded.rule.applies_to, org, ledger):
            continue
        try:
            verdict.findings.extend(runner.findings(scopes[org.org_id]))
        except RulePackError as exc:  # the rule itself fails on this ledger (an expression on a row)
            verdict.crashes.append(RuleCrash(loaded.rule.id, loaded.rule.check.kind, org.org_id, exc.message.en,
                                             traceback.format_exc(), "rule", _rule_failure(exc)))
        except Exception as exc:  # noqa: BLE001 - a crashing check is reported, the others still run
            verdict.crashes.append(RuleCrash(loaded.rule.id, loaded.rule.check.kind, org.org_id,
                                             f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        else:
            verdict.judged.append(org.org_id)  # judged: data present, applicable, no crash
    return verdict


def _scopes(ledger: Ledger, window: Window) -> dict[str, Scope]:
    cache: dict[object, object] = {}  # what kinds derive once per run and share across organizations
    return {org.org_id: Scope(org, ledger, window, cache) for org in ledger.orgs}


def judge_early(ledger: PartialLedger, rulebook: Rulebook, window: Window) -> Early:
    """Judge the rules that need none of the sheets still being read, while they are read.

    A rule is judged here whole or not at all: one that touches a pending sheet (Pending) is left for `audit`.
    The partial ledger's records are the whole ledger's, so a rule judged here finds what it would find there.
    """
    scopes = _scopes(ledger, window)  # its own derived values: none of them may stand for the whole ledger
    verdicts: dict[str, Verdict] = {}
    for rule_id, loaded in rulebook.rules.items():
        try:
            verdicts[rule_id] = _judge(loaded, rulebook, ledger, scopes)
        except Pending:
            continue
    return Early(window, verdicts)


def audit(ledger: Ledger, rulebook: Rulebook, window: Window, early: Early | None = None) -> AuditResult:
    """Run every rule in the rulebook over the ledger (taking the verdicts `early` holds, judged under `window`)."""
    result = AuditResult(ledger.file, window.as_of, window, list(rulebook.packs), rules=len(rulebook.rules))
    taken = early.verdicts if early is not None and early.window == window else {}
    scopes = _scopes(ledger, window)
    judged: dict[str, list[str]] = {org.org_id: [] for org in ledger.orgs}
    for rule_id, loaded in rulebook.rules.items():
        verdict = taken.get(rule_id) or _judge(loaded, rulebook, ledger, scopes)
        if verdict.skipped is not None:
            result.skipped_rules.append(verdict.skipped)
            continue
        result.rule_info.append(cast(RuleInfo, verdict.info))
        result.findings.extend(verdict.findings)
        result.crashes.extend(verdict.crashes)
        for org_id in verdict.judged:
            judged[org_id].append(rule_id)
    result.organizations = [OrgInfo(org.org_id, org.name, org.org_type, tuple(judged[org.org_id]))
                            for org in ledger.orgs]
    order = {org.org_id: index for index, org in enumerate(ledger.orgs)}
    result.findings.sort(key=lambda f: (order.get(f.org_id, len(order)), f.sort_key()))
    return result
