"""Generic check kinds, one module each. A rule's `check: {kind: ...}` selects one by name."""

from __future__ import annotations

from types import ModuleType

from ledgercheck.checks import continuity, dues, expression, fields, frequency, hours, roster, structure, term, timeline

KINDS: dict[str, ModuleType] = {module.KIND: module for module in (frequency, structure, term, fields, timeline, dues,
                                                                    continuity, expression, roster, hours)}
