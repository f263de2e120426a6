"""Options every reporter receives."""

from __future__ import annotations

from dataclasses import dataclass

from ledgercheck.i18n import Lang


@dataclass(frozen=True)
class ReportOptions:
    lang: Lang = "zh"
    color: bool | None = None  # None: decide from the terminal
    width: int | None = None
