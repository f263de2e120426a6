"""The built-in alias table as built once, stored in the package (data/aliases.prebuilt.json).

Every audit starts from the same built-in table: the layout's own headers and data/aliases.yaml, folded and
validated. Its built form is written once (`python -m ledgercheck.app.prebuilt`) and read back while its
key matches: a hash of the package version, aliases.yaml and the source of the modules that build the
table. Otherwise, or when the file does not read back, the table is built from the YAML as before.
"""

from __future__ import annotations

import json
from typing import Any

from ledgercheck import __version__
from ledgercheck.fileio.frozen import PACKAGE, dumps, files_fingerprint
from ledgercheck.ingest.aliases import AliasTable, HeaderHit, _Layer

SOURCE = PACKAGE / "data" / "aliases.yaml"
STORE = PACKAGE / "data" / "aliases.prebuilt.json"
SOURCES = ("ingest/aliases.py", "ingest/builtin_aliases.py", "ingest/fold.py", "model/schema.py",
           "fileio/frozen.py")


def current_key() -> str:
    return files_fingerprint(__version__, SOURCE.parent, [SOURCE], SOURCES)


def freeze(table: AliasTable) -> dict[str, Any]:
    layer = table.builtin
    if table.user != _Layer() or table.notices or any(hit.where is not None for columns in layer.columns.values()
                                                       for hit in columns.values()):
        raise ValueError("only the built-in table is stored")
    return {
        "sheet_names": layer.sheet_names,
        "presets": {name: list(preset) for name, preset in layer.presets.items()},
        "columns": {sheet: {key: [hit.field, hit.layer, hit.how, hit.alias, hit.canonical]
                            for key, hit in columns.items()} for sheet, columns in layer.columns.items()},
        "ignored": {sheet: sorted(names) for sheet, names in layer.ignored.items()},
        "values": table.values,
    }


def thaw(frozen: dict[str, Any]) -> AliasTable:
    layer = _Layer(
        dict(frozen["sheet_names"]),
        {name: (sheet, kind) for name, (sheet, kind) in frozen["presets"].items()},
        {sheet: {key: HeaderHit(field, layer_name, how, alias, None, canonical)
                 for key, (field, layer_name, how, alias, canonical) in columns.items()}
         for sheet, columns in frozen["columns"].items()},
        {sheet: set(names) for sheet, names in frozen["ignored"].items()})
    return AliasTable(builtin=layer, values={enum: dict(values) for enum, values in frozen["values"].items()})


def build() -> str:
    """The store's text: the built-in table, built from the YAML now."""
    from ledgercheck.ingest.aliases import builtin_table

    return dumps({"key": current_key(), "table": freeze(builtin_table(prebuilt=False))})


def load_prebuilt() -> AliasTable | None:
    """The stored built-in table, or None when it is missing, stale or unreadable."""
    try:
        stored = json.loads(STORE.read_text("utf-8"))
        if stored.get("key") != current_key():
            return None
        return thaw(stored["table"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
