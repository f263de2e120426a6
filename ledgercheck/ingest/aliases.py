"""The alias tables: the names real ledgers use for sheets, columns and values → the canonical layout.

Two layers: the built-in table (the layout's own headers plus data/aliases.yaml) and the user's alias files
(`--aliases`, `aliases:` in the configuration). **The user's layer is asked first**, so a user's alias wins
over a built-in one; where it overrides a built-in alias that points elsewhere, a notice says so (with the
file and line). A header is looked up as written (brackets included), then with its synonyms rewritten, then
without its brackets (ingest/fold.py); the words inside brackets are a hint at the values (正式/预备).

An alias file (YAML):

    sheets:
      members:                      # the sheet key: orgs, members, meetings, dues, elections, recruits, training
        names: [党员基本信息表]       # sheet names that mean this sheet
        columns:
          member_kind: [人员类别（正式/预备）, 党员身份]
          joined_on: [入党时间]
        ignore: [照片]               # headers that are known and not used (no notice)
    presets:                        # a sheet that holds one kind of meeting only
      支委会会议记录: {sheet: meetings, kind: 支部委员会}
    values:
      member_kind:
        预备党员: [预备期]
    ignore: [序号, 备注]             # ignored on every sheet
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ledgercheck.common.errors import ConfigError
from ledgercheck.common.i18n import Text, TextError
from ledgercheck.common.location import Location
from ledgercheck.common.spec import Field, Spec, field_validator, model_validator
from ledgercheck.fileio.yamldoc import YamlDocument, load_yaml, parse_model
from ledgercheck.ingest.fold import bracket_words, brackets, canon, fold, header_key, sheet_key, uncoded
from ledgercheck.model.issues import InputIssue
from ledgercheck.model.schema import ENUMS, SHEETS, SHEETS_BY_KEY

if TYPE_CHECKING:
    from pydantic import ValidationInfo

Layer = Literal["user", "built-in"]
How = Literal["exact", "synonym", "without-brackets"]

__all__ = ["AliasFile", "AliasTable", "HeaderHit", "header_key", "load_aliases", "sheet_key"]


class _SheetAliases(Spec):
    names: list[str] = Field(default_factory=list)
    columns: dict[str, list[str]] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)

    @field_validator("names", "columns", "ignore", mode="before")
    @classmethod
    def _empty(cls, value: object, info: ValidationInfo) -> object:
        """`columns:` with only commented lines under it (as `inspect --write-aliases` writes it) is empty."""
        if value is None:
            return {} if info.field_name == "columns" else []
        return value


class _Preset(Spec):
    sheet: str
    kind: str

    @model_validator(mode="after")
    def _known(self) -> _Preset:
        if self.sheet != "meetings":
            raise TextError(Text("presets 只能用于组织生活（meetings）表", "presets can only name the meetings sheet"))
        if self.kind not in ENUMS["meeting_kind"]:
            raise TextError(Text(f"未知的活动类型「{self.kind}」；可用：{'、'.join(ENUMS['meeting_kind'])}",
                                 f"unknown meeting kind {self.kind!r}; use one of {', '.join(ENUMS['meeting_kind'])}"))
        return self


class AliasFile(Spec):
    """The YAML structure of data/aliases.yaml and of user alias files (a Spec: validated when one is read)."""

    sheets: dict[str, _SheetAliases] = Field(default_factory=dict)
    presets: dict[str, _Preset] = Field(default_factory=dict)
    values: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_keys(self) -> AliasFile:
        for sheet, aliases in self.sheets.items():
            if sheet not in SHEETS_BY_KEY:
                raise TextError(Text(f"未知的表「{sheet}」；可用：{'、'.join(SHEETS_BY_KEY)}",
                                     f"unknown sheet {sheet!r}; known: {', '.join(SHEETS_BY_KEY)}"), ("sheets", sheet))
            known = SHEETS_BY_KEY[sheet].by_key
            for column in aliases.columns:
                if column not in known:
                    raise TextError(Text(f"表「{sheet}」没有「{column}」这一项；可用：{'、'.join(known)}",
                                         f"unknown column {column!r} of sheet {sheet!r}; known: {', '.join(known)}"),
                                    ("sheets", sheet, "columns", column))
        for enum, values in self.values.items():
            if enum not in ENUMS:
                raise TextError(Text(f"未知的取值表「{enum}」；可用：{'、'.join(ENUMS)}",
                                     f"unknown value list {enum!r}; known: {', '.join(ENUMS)}"), ("values", enum))
            for canonical in values:
                if canonical not in ENUMS[enum]:
                    raise TextError(Text(f"「{canonical}」不是 {enum} 的标准取值：{'、'.join(ENUMS[enum])}",
                                         f"{canonical!r} is not a canonical {enum} value: {', '.join(ENUMS[enum])}"),
                                    ("values", enum, canonical))
        return self


@dataclass(frozen=True)
class HeaderHit:
    """What a header names: a field, found in a layer by one way of reading the header."""

    field: str
    layer: Layer
    how: How
    alias: str  # the alias as written in its table (or the layout's header)
    where: Location | None = None  # the user's alias file and line
    canonical: bool = False  # the layout's own header (组织编号, Org ID, org_id): what the template writes


@dataclass
class _Layer:
    """One layer of the alias table (built-in or the user's), folded for lookup."""

    sheet_names: dict[str, str] = field(default_factory=dict)  # → sheet key
    presets: dict[str, tuple[str, str]] = field(default_factory=dict)  # → (sheet key, meeting kind)
    # sheet key → folded alias (and its synonym form) → hit
    columns: dict[str, dict[str, HeaderHit]] = field(default_factory=dict)
    ignored: dict[str, set[str]] = field(default_factory=dict)  # sheet key or "*" → folded headers


@dataclass
class AliasTable:
    """The two layers, and what loading the user's files had to say (shadowed aliases)."""

    builtin: _Layer = field(default_factory=_Layer)
    user: _Layer = field(default_factory=_Layer)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # enum → folded alias → canonical value
    notices: list[InputIssue] = field(default_factory=list)
    # What header texts were read as (ingest/understand.py), kept while the table is unchanged; None: not kept.
    header_memo: dict[object, Any] | None = field(default_factory=dict, repr=False, compare=False)
    # What cell values were coerced to, per field (ingest/loader.py), kept while the table is unchanged.
    value_memo: dict[object, dict[Any, Any]] = field(default_factory=dict, repr=False, compare=False)

    # ---------------------------------------------------------------- building

    @classmethod
    def canonical(cls) -> AliasTable:
        table = cls()
        for sheet in SHEETS:
            for name in (sheet.key, sheet.title, sheet.en):
                table.builtin.sheet_names[sheet_key(name)] = sheet.key
            for spec in sheet.fields:
                for name in (spec.key, spec.header, spec.en):
                    table._add_column(table.builtin, sheet.key, spec.key, name, "built-in", None, canonical=True)
        for enum, canon_values in ENUMS.items():
            table.values[enum] = {header_key(v): v for v in canon_values}
        return table

    def _add_column(self, layer: _Layer, sheet: str, column: str, name: str, kind: Layer,
                    where: Location | None, canonical: bool = False) -> None:
        columns = layer.columns.setdefault(sheet, {})
        folded = fold(name)
        for key, how in ((folded, "exact"), (canon(folded), "synonym")):
            if key and key not in columns:  # the first alias for a key wins within a layer
                columns[key] = HeaderHit(column, kind, how, name, where,  # type: ignore[arg-type]
                                         canonical and how == "exact")

    def extend(self, aliases: AliasFile, doc: YamlDocument | None = None) -> None:
        """Add a file's aliases: the built-in file (doc None) to the built-in layer, a user's file to the user's."""
        layer, kind = (self.builtin, "built-in") if doc is None else (self.user, "user")
        if self.header_memo is not None:
            self.header_memo.clear()
        self.value_memo.clear()
        for sheet, entry in aliases.sheets.items():
            for name in entry.names:
                layer.sheet_names[sheet_key(name)] = sheet
            for column, names in entry.columns.items():
                for index, name in enumerate(names):
                    where = doc.location(("sheets", sheet, "columns", column, index)) if doc is not None else None
                    if doc is not None:
                        self._shadowing(sheet, column, name, where)
                    self._add_column(layer, sheet, column, name, kind, where)  # type: ignore[arg-type]
            layer.ignored.setdefault(sheet, set()).update(fold(n) for n in entry.ignore)
        layer.ignored.setdefault("*", set()).update(fold(n) for n in aliases.ignore)
        for name, preset in aliases.presets.items():
            layer.presets[sheet_key(name)] = (preset.sheet, preset.kind)
        for enum, values in aliases.values.items():
            for canonical, names in values.items():
                for name in names:
                    self.values[enum][header_key(name)] = canonical

    def _shadowing(self, sheet: str, column: str, name: str, where: Location | None) -> None:
        """A user's alias that sends a header the built-in table knows to another field: say so."""
        builtin = self.builtin.columns.get(sheet, {}).get(fold(name))
        if builtin is not None and builtin.field != column and where is not None:
            self.notices.append(InputIssue("INPUT-ALIAS-SHADOWED", where, {
                "value": name, "field": _label(sheet, column), "builtin": _label(sheet, builtin.field)},
                level="warning"))

    # ---------------------------------------------------------------- looking up

    def lookup(self, sheet: str, header: str) -> HeaderHit | None:
        """The field a header names on a sheet: the user's layer first, each layer by the whole header, its
        synonym form, then the header without its brackets."""
        folded = fold(header)
        base, _notes = brackets(header)
        keys: list[tuple[str, How]] = [(folded, "exact"), (canon(folded), "synonym")]
        if base != folded:
            keys += [(base, "without-brackets"), (canon(base), "without-brackets")]
        for layer in (self.user, self.builtin):
            columns = layer.columns.get(sheet, {})
            for key, how in keys:
                hit = columns.get(key)
                if hit is not None:  # an exact key that only a synonym form stored is a synonym match
                    return replace(hit, how="synonym" if how == "exact" and hit.how == "synonym" else how)
        return None

    def ignored(self, sheet: str, header: str) -> bool:
        """A header known not to be ledger data (序号, 备注 …): read past without a notice."""
        keys = {fold(header), brackets(header)[0]}
        return any(keys & layer.ignored.get(s, set()) for layer in (self.user, self.builtin) for s in (sheet, "*"))

    def user_ignores(self, sheet: str, header: str) -> bool:
        """The user's alias file says not to read this header (it wins over a built-in alias naming a field)."""
        keys = {fold(header), brackets(header)[0]}
        return any(keys & self.user.ignored.get(s, set()) for s in (sheet, "*"))

    def hinted(self, sheet: str, header: str) -> str | None:
        """The enumerated field whose values the words in a header's brackets name: 人员类别（正式/预备） →
        member_kind. None when the brackets name no values, or values of several fields."""
        words = bracket_words(header)
        if not words:
            return None
        found = {f.key for f in SHEETS_BY_KEY[sheet].fields if f.enum is not None
                 for w in words if self.values[f.enum].get(w) is not None}
        return found.pop() if len(found) == 1 else None

    def sheet_of(self, name: str) -> tuple[str, str | None] | None:
        """(sheet key, preset meeting kind) the sheet's name says, the user's names first."""
        key = sheet_key(name)
        for layer in (self.user, self.builtin):
            if key in layer.presets:
                return layer.presets[key]
            if key in layer.sheet_names:
                return layer.sheet_names[key], None
        return None

    def sheet_in(self, text: str) -> str | None:
        """The sheet a title names (第一党支部入党积极分子名单 → recruits): the longest sheet name it contains."""
        key = sheet_key(text)
        found = [(len(name), sheet) for layer in (self.user, self.builtin) for name, sheet in layer.sheet_names.items()
                 if len(name) >= 2 and name in key]
        return max(found)[1] if found else None

    def value_in(self, enum: str, text: str) -> str | None:
        """The one value of `enum` a sheet's name names within it (2025年支委会会议记录 → 支部委员会): by the aliases
        it contains, those within a longer one it contains left aside (党员大会 in 支部党员大会); None for none or two."""
        key = sheet_key(text)
        found = [(alias, value) for alias, value in self.values[enum].items() if len(alias) >= 2 and alias in key]
        named = {value for alias, value in found if not any(alias != other and alias in other for other, _ in found)}
        return named.pop() if len(named) == 1 else None

    def known_headers(self, sheet: str) -> dict[str, str]:
        """Every folded alias of a sheet → its field (for the nearest-field suggestions)."""
        found: dict[str, str] = {}
        for layer in (self.builtin, self.user):
            found.update({key: hit.field for key, hit in layer.columns.get(sheet, {}).items()})
        return found

    def value(self, enum: str, text: str) -> str | None:
        """The canonical value a cell names; a code some systems put before it is passed over (223_正式党员)."""
        table = self.values[enum]
        found = table.get(header_key(text))
        if found is None:
            bare = uncoded(text)
            if bare is not None:
                found = table.get(header_key(bare))
        return found


def _label(sheet: str, column: str) -> Text:
    spec = SHEETS_BY_KEY[sheet].by_key[column]
    return Text(f"{SHEETS_BY_KEY[sheet].title}.{spec.header}", f"{SHEETS_BY_KEY[sheet].en}.{spec.en}")


def _read_alias_file(path: Path, display: str) -> tuple[AliasFile, YamlDocument]:
    doc = load_yaml(path, display, ConfigError)
    if doc.data is None:
        return AliasFile(), doc
    if not isinstance(doc.data, dict):  # a text file, a list: pydantic would say "a valid dictionary", in English
        raise ConfigError(Text("这不是别名文件：别名文件是以「sheets:」开头的 YAML（由 inspect --write-aliases 或检查网页的"
                               "「识别设置」下载生成；格式见 docs/reading.md）",
                               "this is not an alias file: an alias file is YAML starting with 'sheets:' (written by "
                               "inspect --write-aliases or downloaded as the web page's reading settings; see "
                               "docs/reading.md)"), Location(display),
                          web=Text("这不是识别设置（别名文件）：请选择在「台账识别情况」页下载的识别设置文件（.yaml）",
                                   "this is not a reading settings (alias) file: choose the .yaml file downloaded "
                                   "from How the ledger was read"))
    return parse_model(doc, AliasFile, ConfigError), doc


def builtin_table(prebuilt: bool = True) -> AliasTable:
    """The layout's own headers and data/aliases.yaml: as stored in the package while that matches
    (ingest/builtin_aliases.py), else built from the YAML."""
    if prebuilt:
        from ledgercheck.ingest.builtin_aliases import load_prebuilt

        stored = load_prebuilt()
        if stored is not None:
            return stored
    from importlib import resources

    table = AliasTable.canonical()
    builtin = resources.files("ledgercheck") / "data" / "aliases.yaml"
    with resources.as_file(builtin) as path:
        table.extend(_read_alias_file(path, "aliases.yaml")[0])
    return table


def load_aliases(extra: list[Path] | None = None) -> AliasTable:
    """The built-in table, with the user's alias files (in order) as the layer asked first."""
    table = builtin_table()
    for path in extra or []:
        if not path.is_file():
            raise ConfigError(Text("别名文件不存在", "alias file not found"), None, str(path))
        parsed, doc = _read_alias_file(path, str(path))
        table.extend(parsed, doc)
    return table
