"""The YAML schema of rule packs: rules, citations, applicability and each kind's parameters."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from ledgercheck.checks import (
    KINDS,
    continuity,
    dues,
    expression,
    fields,
    frequency,
    hours,
    roster,
    structure,
    term,
    timeline,
)
from ledgercheck.common.i18n import Text, TextError, placeholders
from ledgercheck.common.spec import Field, OneOf, Spec, field_validator
from ledgercheck.findings.severity import Severity
from ledgercheck.model.schema import ENUMS

RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
# Placeholders every message may use, besides the kind's own evidence keys.
COMMON_PLACEHOLDERS = frozenset({"org", "org_id", "subject", "period"})
# The space YAML's folded style (>-) puts where a line ended: Chinese has none between its characters.
_WIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"  # CJK punctuation, ideographs, full-width forms
FOLDED = (rf"(?<=[\u3000-\u303f\uff00-\uffef]) (?=\S)|(?<=\S) (?=[\u3000-\u303f\uff00-\uffef])"
          rf"|(?<=[{_WIDE}]) (?=[{_WIDE}])")  # compiled when a pack is validated (re caches it), not at import


class Strict(Spec):
    """Frozen, unknown keys are errors; validated by pydantic when a pack is read from YAML (common/spec.py)."""


class LocalText(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("zh")
    @classmethod
    def _unfold(cls, value: str) -> str:
        return re.sub(FOLDED, "", value)

    def text(self) -> Text:
        return Text(self.zh, self.en)


class Regulation(Strict):
    title: LocalText
    short: LocalText | None = None  # short name used in tables, e.g. 支部工作条例
    issued: str | None = None
    note: str | None = None


class Citation(Strict):
    regulation: str  # key into the pack's `regulations` table
    article: str | None = None  # 第十二条; absent when the article number is not known
    # verified: article read with its number; inferred: number inferred from neighbours;
    # recalled: figure not verified in a primary source, so the rule makes it a parameter.
    confidence: Literal["verified", "inferred", "recalled"] = "verified"
    note: str | None = None


class AppliesTo(Strict):
    """Which organizations a rule judges. 党支部 also matches 联合党支部 and 临时党支部."""

    org_type: list[str] | None = None
    except_org_type: list[str] | None = None  # e.g. 联合党支部, which a 党支部 rule would otherwise match
    has_committee: bool | None = None
    top_level: bool | None = None  # the organization has no parent in the workbook

    @field_validator("org_type", "except_org_type")
    @classmethod
    def _known_types(cls, value: list[str] | None) -> list[str] | None:
        for item in value or []:
            if item not in ENUMS["org_type"]:
                raise TextError(Text(f"未知的组织类型「{item}」；可用：{'、'.join(ENUMS['org_type'])}",
                                     f"unknown org_type {item!r}; use one of {', '.join(ENUMS['org_type'])}"))
        return value


# Every kind's parameters, told apart by `kind:` (tests/test_rulepacks.py checks that KINDS has no other kind).
Check = Annotated[Union[frequency.Params, structure.Params, term.Params, fields.Params, timeline.Params, dues.Params,
                        continuity.Params, expression.Params, roster.Params, hours.Params], OneOf("kind")]


class Rule(Strict):
    id: str
    title: LocalText
    severity: Severity
    source: list[Citation] = Field(min_length=1)
    applies_to: AppliesTo = AppliesTo()
    check: Check
    message: LocalText
    rationale: LocalText | None = None
    fix: LocalText | None = None  # how to put a finding right
    tags: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise TextError(Text("规则编号由大写英文单词和连字符组成，如 MEET-COMMITTEE-MONTHLY",
                                 "rule ids are upper-case words joined by '-', e.g. MEET-COMMITTEE-MONTHLY"))
        return value

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value


def message_problems(rule: Rule) -> list[tuple[tuple[str, ...], str]]:
    """Placeholders a rule's messages may not use: (key path, problem). Checked when packs load."""
    allowed = COMMON_PLACEHOLDERS | KINDS[rule.check.kind].placeholders(rule.check)
    problems: list[tuple[tuple[str, ...], str]] = []
    for lang in ("zh", "en"):
        path = ("message", lang)
        try:
            unknown = placeholders(getattr(rule.message, lang)) - allowed
        except ValueError as exc:
            problems.append((path, f"message.{lang}: {exc}"))
            continue
        if unknown:
            problems.append((path, f"message.{lang} uses unknown placeholder(s) {sorted(unknown)}; "
                                   f"this kind offers {sorted(allowed)}"))
    return problems


class RuleFile(Strict):
    rules: list[dict[str, Any]]  # each validated separately, so errors point at the rule


class PackManifest(Strict):
    """pack.yaml: the pack's identity, what it extends, and how it changes the base pack."""

    name: str
    version: str
    title: LocalText | None = None
    extends: str | None = None
    regulations: dict[str, Regulation] = Field(default_factory=dict)
    overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)
    disable: list[str] = Field(default_factory=list)
