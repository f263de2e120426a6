"""Reporters turn an AuditResult into output; they never evaluate rules. Chosen by name."""

from __future__ import annotations

from types import ModuleType

from ledgercheck.reporters import json_, table

REPORTERS: dict[str, ModuleType] = {"table": table, "json": json_}
