"""The alias table: names real ledgers use for sheets, columns and values → the canonical layout."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from ledgercheck.common.errors import ConfigError
from ledgercheck.common.i18n import Text
from ledgercheck.fileio.yamldoc import load_yaml, parse_model
from ledgercheck.model.schema import ENUMS, SHEETS, SHEETS_BY_KEY

_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_IGNORED = re.compile(r"[\s_\-*:：.。·]+")
_LEADING_YEAR = re.compile(r"^\d{4}年?度?")


def header_key(text: object) -> str:
    """Normalized form for matching headers and values: 入党日期（年月日）* → 入党日期; Org ID → orgid."""
    normalized = unicodedata.normalize("NFKC", str(text)).lower()
    return _IGNORED.sub("", _BRACKETED.sub("", normalized))


def sheet_key(name: str) -> str:
    """Sheet names may carry a year: 2025年三会一课记录 → 三会一课记录."""
    return header_key(_LEADING_YEAR.sub("", unicodedata.normalize("NFKC", name).strip()))


class _SheetAliases(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[str] = []
    columns: dict[str, list[str]] = {}


class _Preset(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sheet: str
    kind: str

    @model_validator(mode="after")
    def _known(self) -> _Preset:
        if self.sheet != "meetings":
            raise ValueError("presets can only name the meetings sheet")
        return self


class AliasFile(BaseModel):
    """The YAML structure of data/aliases.yaml and of user alias files."""

    model_config = ConfigDict(extra="forbid")
    sheets: dict[str, _SheetAliases] = {}
    presets: dict[str, _Preset] = {}
    values: dict[str, dict[str, list[str]]] = {}

    @model_validator(mode="after")
    def _known_keys(self) -> AliasFile:
        for sheet, aliases in self.sheets.items():
            if sheet not in SHEETS_BY_KEY:
                raise ValueError(f"unknown sheet {sheet!r}; known: {', '.join(SHEETS_BY_KEY)}")
            known = SHEETS_BY_KEY[sheet].by_key
            for column in aliases.columns:
                if column not in known:
                    raise ValueError(f"unknown column {column!r} of sheet {sheet!r}; known: {', '.join(known)}")
        for enum, values in self.values.items():
            if enum not in ENUMS:
                raise ValueError(f"unknown value list {enum!r}; known: {', '.join(ENUMS)}")
            for canonical in values:
                if canonical not in ENUMS[enum]:
                    raise ValueError(f"{canonical!r} is not a canonical {enum} value: {', '.join(ENUMS[enum])}")
        return self


@dataclass
class AliasTable:
    """Lookup tables keyed by the normalized forms of names."""

    sheet_names: dict[str, str] = field(default_factory=dict)  # → sheet key
    presets: dict[str, tuple[str, str]] = field(default_factory=dict)  # → (sheet key, meeting kind)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet key → header → field key
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # enum → alias → canonical value

    @classmethod
    def canonical(cls) -> AliasTable:
        table = cls()
        for sheet in SHEETS:
            for name in (sheet.key, sheet.title, sheet.en):
                table.sheet_names[sheet_key(name)] = sheet.key
            columns = table.columns.setdefault(sheet.key, {})
            for spec in sheet.fields:
                for name in (spec.key, spec.header, spec.en):
                    columns.setdefault(header_key(name), spec.key)
        for enum, canon in ENUMS.items():
            table.values[enum] = {header_key(v): v for v in canon}
        return table

    def extend(self, aliases: AliasFile) -> None:
        for sheet, entry in aliases.sheets.items():
            for name in entry.names:
                self.sheet_names[sheet_key(name)] = sheet
            columns = self.columns.setdefault(sheet, {})
            for column, names in entry.columns.items():
                for name in names:
                    columns.setdefault(header_key(name), column)
        for name, preset in aliases.presets.items():
            self.presets[sheet_key(name)] = (preset.sheet, preset.kind)
        for enum, values in aliases.values.items():
            for canonical, names in values.items():
                for name in names:
                    self.values[enum][header_key(name)] = canonical

    def value(self, enum: str, text: str) -> str | None:
        return self.values[enum].get(header_key(text))


def _read_alias_file(path: Path, display: str) -> AliasFile:
    doc = load_yaml(path, display, ConfigError)
    if doc.data is None:
        return AliasFile()
    return parse_model(doc, AliasFile, ConfigError)


def load_aliases(extra: list[Path] | None = None) -> AliasTable:
    """The built-in table, extended by the user's alias files in order."""
    table = AliasTable.canonical()
    builtin = resources.files("ledgercheck") / "data" / "aliases.yaml"
    with resources.as_file(builtin) as path:
        table.extend(_read_alias_file(path, "aliases.yaml"))
    for path in extra or []:
        if not path.is_file():
            raise ConfigError(Text("别名文件不存在", "alias file not found"), None, str(path))
        table.extend(_read_alias_file(path, str(path)))
    return table
