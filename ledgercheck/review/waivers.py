"""Waivers: approved exceptions, written in a YAML file because an Excel ledger cannot carry inline comments.

    waivers:
      - fingerprint: 912c319bd936c420e1e6      # one finding (the fingerprint from the JSON or CSV output)
        reason: 2025年5月支委会因抗洪抢险改为线上召开，记录另行存档
        approver: 机关党委 王某某
        expires: 2026-06-30
      - rule: MEET-PARTY-GROUP-MONTHLY         # or: a rule for one organization,
        org: B01
        period: 2025                           # optionally in one period (a year covers its months)
        reason: …
        approver: …
        expires: 2026-03-31

A waived finding stays in every report, marked as waived, and does not fail the run. A waiver is in force up to
and including its expiry date, compared with the audit's as-of date. Expired waivers and waivers that match
nothing are reported as notices, so stale exceptions get cleaned up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ledgercheck.common.errors import LedgercheckError
from ledgercheck.common.i18n import Lang, Text, TextError
from ledgercheck.common.location import Location
from ledgercheck.fileio.yamldoc import load_yaml, parse_model
from ledgercheck.findings.finding import Finding, WaiverRef
from ledgercheck.findings.result import AuditResult
from ledgercheck.findings.review import WaiverNotice
from ledgercheck.model.periods import Period


class WaiverError(LedgercheckError):
    kind = Text("豁免文件错误", "waiver file error")


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fingerprint: str | None = Field(default=None, pattern=r"^[0-9a-f]{20}(-\d+)?$")
    rule: str | None = None
    org: str | None = None
    period: str | None = None
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: dt.date

    @field_validator("period")
    @classmethod
    def _period_label(cls, value: str | None) -> str | None:
        if value is not None:
            Period.parse(value)
        return value

    @field_validator("org", "period", "fingerprint", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value  # org: 101, period: 2025

    @model_validator(mode="after")
    def _one_target(self) -> Waiver:
        if self.fingerprint is not None and (self.rule or self.org or self.period):
            raise TextError(Text("写 fingerprint，或者写 rule 和 org（可加 period），二者不能同时写",
                                 "give either fingerprint, or rule and org (and optionally period), not both"))
        if self.fingerprint is None and not (self.rule and self.org):
            raise TextError(Text("一条豁免要写 fingerprint，或者写 rule 和 org", "a waiver names a fingerprint, or a rule and an org"))
        return self

    def matches(self, finding: Finding) -> bool:
        if self.fingerprint is not None:
            return finding.fingerprint == self.fingerprint
        if finding.rule_id != self.rule or finding.org_id != self.org:
            return False
        if self.period is None:
            return True
        if finding.period is None:
            return False
        scope = Period.parse(self.period)
        return scope.start <= finding.period.start and finding.period.end <= scope.end

    def describe(self, lang: Lang) -> str:
        if self.fingerprint is not None:
            return f"fingerprint {self.fingerprint}" if lang == "en" else f"指纹 {self.fingerprint}"
        period = self.period or ("all periods" if lang == "en" else "所有期间")
        if lang == "en":
            return f"rule {self.rule}, org {self.org}, {period}"
        return f"规则 {self.rule}，组织 {self.org}，{period}"


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    waivers: list[Waiver] = []


@dataclass(frozen=True)
class LoadedWaiver:
    waiver: Waiver
    location: Location  # waivers.yaml:line


def load_waivers(path: Path, display: str | None = None) -> list[LoadedWaiver]:
    doc = load_yaml(path, display, WaiverError)
    if doc.data is None:
        return []
    parsed = parse_model(doc, WaiverFile, WaiverError)
    return [LoadedWaiver(w, doc.location(("waivers", i))) for i, w in enumerate(parsed.waivers)]


def _expired(waiver: Waiver, matched: int) -> Text:
    zh_what, en_what, day = waiver.describe("zh"), waiver.describe("en"), waiver.expires.isoformat()
    if matched:
        return Text(f"豁免已于{day}到期（{zh_what}），{matched}条问题重新计入；请整改或重新审批",
                    f"waiver expired on {day} ({en_what}); {matched} finding(s) count again: fix them or renew it")
    return Text(f"豁免已于{day}到期（{zh_what}），且不再匹配任何问题，可以删除",
                f"waiver expired on {day} ({en_what}) and matches no finding; remove it")


def _unused(waiver: Waiver) -> Text:
    return Text(f"豁免未匹配任何问题（{waiver.describe('zh')}）：问题可能已整改，或编号有误；请核对后删除",
                f"waiver matches no finding ({waiver.describe('en')}): fixed already, or a typo; check and remove it")


def apply_waivers(result: AuditResult, waivers: list[LoadedWaiver], display: str) -> AuditResult:
    """Mark waived findings (the first waiver in force that matches) and report expired and unused waivers."""
    active = [w for w in waivers if w.waiver.expires >= result.as_of]
    used: set[int] = set()
    marked: list[Finding] = []
    for finding in result.findings:
        match = next((w for w in active if w.waiver.matches(finding)), None)
        if match is None:
            marked.append(finding)
            continue
        used.add(id(match))
        waiver = match.waiver
        ref = WaiverRef(waiver.reason, waiver.approver, waiver.expires, match.location,
                        "fingerprint" if waiver.fingerprint else "rule")
        marked.append(dataclasses.replace(finding, waiver=ref))
    notices: list[WaiverNotice] = []
    for loaded in waivers:
        waiver = loaded.waiver
        if waiver.expires < result.as_of:
            matched = sum(1 for f in result.findings if waiver.matches(f))
            notices.append(WaiverNotice("WAIVER-EXPIRED", loaded.location, _expired(waiver, matched), waiver.expires))
        elif id(loaded) not in used:
            notices.append(WaiverNotice("WAIVER-UNUSED", loaded.location, _unused(waiver), waiver.expires))
    result.findings = marked
    result.waiver_notices = notices
    result.waivers_file = display
    return result
