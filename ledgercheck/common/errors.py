"""User-facing errors. Each carries a location and a bilingual message; the CLI maps them to exit 2."""

from __future__ import annotations

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.location import Location


class LedgercheckError(Exception):
    """An error the user can fix: the input, the rules or the configuration cannot be used."""

    kind = Text("错误", "error")

    def __init__(self, message: Text, location: Location | None = None, detail: str | None = None):
        super().__init__(message.en)
        self.message = message
        self.location = location
        self.detail = detail  # untranslated technical detail (library message), shown after the text

    def describe(self, lang: Lang) -> str:
        where = f"{self.location.describe(lang)}: " if self.location else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.kind(lang)}: {where}{self.message(lang)}{detail}"


class WorkbookError(LedgercheckError):
    kind = Text("无法读取台账", "cannot read ledger")


class RulePackError(LedgercheckError):
    kind = Text("规则包错误", "rule pack error")


class ConfigError(LedgercheckError):
    kind = Text("配置错误", "configuration error")


class UsageError(LedgercheckError):
    kind = Text("用法错误", "usage error")
