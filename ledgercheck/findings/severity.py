"""How serious a finding is, and the one set of words every output uses for it."""

from __future__ import annotations

from enum import StrEnum

from ledgercheck.common.i18n import Text


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self.value]

    @property
    def label(self) -> Text:
        """错误 / error, 警告 / warning, 提示 / info."""
        return LABELS[self.value]


_RANK = {"error": 3, "warning": 2, "info": 1}
LABELS: dict[str, Text] = {"error": Text("错误", "error"), "warning": Text("警告", "warning"),
                           "info": Text("提示", "info")}
