"""Generic check kinds, one module each. A rule's `check: {kind: ...}` selects one by name."""

from __future__ import annotations

from ledgercheck.checks import continuity, dues, expression, fields, frequency, hours, roster, structure, term, timeline
from ledgercheck.checks.base import AnyKind

KINDS: dict[str, AnyKind] = {module.kind.name: module.kind for module in (
    frequency, structure, term, fields, timeline, dues, continuity, expression, roster, hours)}
