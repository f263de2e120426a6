"""How far ahead `remind` looks: 90d, 12w, 3m, 6m, 1y (also 90天, 3个月)."""

from __future__ import annotations

import re

from dateutil.relativedelta import relativedelta

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Text

_HORIZON = re.compile(r"(\d+)\s*(d|day|days|天|日|w|wk|weeks?|周|m|mo|months?|个月|月|y|yr|years?|年)?", re.I)


def parse_horizon(text: str) -> relativedelta:
    """90d, 12w, 3m, 6m, 1y (also 90天, 3个月); a bare number is days."""
    match = _HORIZON.fullmatch(text.strip())
    if not match or int(match.group(1)) == 0:
        raise UsageError(Text(f"「{text}」不是有效的时间范围，请写作 90d、3m 或 6m",
                              f"{text!r} is not a time span; write 90d, 3m or 6m"))
    number, unit = int(match.group(1)), (match.group(2) or "d").lower()
    if unit[0] in "d天日":
        return relativedelta(days=number)
    if unit[0] in "w周":
        return relativedelta(weeks=number)
    if unit[0] in "y年":
        return relativedelta(years=number)
    return relativedelta(months=number)
