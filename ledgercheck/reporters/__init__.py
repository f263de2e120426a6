"""Reporters turn an AuditResult into output; they never evaluate rules. Chosen by name."""

from __future__ import annotations

from types import ModuleType

from ledgercheck.reporters import csv_, json_, junit, markdown, sarif, table

REPORTERS: dict[str, ModuleType] = {"table": table, "json": json_, "sarif": sarif, "junit": junit, "csv": csv_,
                                    "markdown": markdown}
