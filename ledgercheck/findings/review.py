"""What reviewing an audit adds to its result: notices about waivers, and the comparison with a baseline.

Data only; review/ computes them (waivers.py, baseline.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.location import Location


@dataclass(frozen=True, slots=True)
class WaiverNotice:
    """A waiver that needs attention: expired, or matching no finding."""

    code: Literal["WAIVER-EXPIRED", "WAIVER-UNUSED"]
    location: Location
    message: Text
    expires: dt.date

    def to_dict(self, lang: Lang) -> dict[str, object]:
        return {"code": self.code, "level": "warning", "file": self.location.file, "line": self.location.line,
                "expires": self.expires.isoformat(), "message": self.message(lang)}


@dataclass
class BaselineComparison:
    """How an audit's findings compare with a baseline's: new, still open, resolved."""

    file: str
    as_of: str | None
    findings: int  # how many the baseline had
    resolved: list[dict[str, Any]] = field(default_factory=list)  # baseline findings gone now
    not_rechecked: list[dict[str, Any]] = field(default_factory=list)  # baseline findings not judged this time

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "as_of": self.as_of, "findings": self.findings,
                "not_rechecked": self.not_rechecked}
