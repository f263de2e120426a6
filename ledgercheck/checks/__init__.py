"""Generic check kinds, one module each. A rule's `check: {kind: ...}` selects one by name."""

from __future__ import annotations

from types import ModuleType

from ledgercheck.checks import fields, frequency, structure, term

KINDS: dict[str, ModuleType] = {module.KIND: module for module in (frequency, structure, term, fields)}
