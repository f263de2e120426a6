"""Options every reporter receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledgercheck.common.i18n import Front, Lang
from ledgercheck.review.policy import FailPolicy


@dataclass(frozen=True)
class ReportOptions:
    """How a report is written: language, colour, width, the exit policy, and for --annotate the workbook copy."""

    lang: Lang = "zh"
    color: bool | None = None  # None: decide from the terminal
    width: int | None = None
    policy: FailPolicy = FailPolicy()  # which findings block the run (JUnit failures follow it)
    workbook: Any = None  # annotate: the editable copy of the audited workbook (ingest/copy.py)
    front: Front = "cli"  # who reads it: advice names the command line's options or the web page's fields
