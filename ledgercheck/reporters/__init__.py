"""Reporters turn an AuditResult into output; they never evaluate rules. Chosen by name.

A reporter module is imported when it is first asked for, so a JSON audit never loads rich (the table) or
the XML modules (JUnit, SARIF helpers).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from types import ModuleType

_MODULES = {"table": "table", "json": "json_", "sarif": "sarif", "junit": "junit", "csv": "csv_",
            "markdown": "markdown"}


class _Registry(Mapping[str, ModuleType]):
    def __getitem__(self, name: str) -> ModuleType:
        return importlib.import_module(f"ledgercheck.reporters.{_MODULES[name]}")

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


REPORTERS: Mapping[str, ModuleType] = _Registry()
