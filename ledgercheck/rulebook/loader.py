"""Load a rule pack folder, resolve `extends:`, apply overrides and disables, validate everything.

Every error names the YAML file and line. Built-in packs (`national`, …) are found inside the
installed package (ledgercheck/packs, put there by the wheel build) or, in a source checkout, in the
top-level rules/ folder.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledgercheck.common.errors import LedgercheckError, RulePackError
from ledgercheck.common.i18n import Text, article_en
from ledgercheck.common.location import Location
from ledgercheck.common.spec import validate
from ledgercheck.fileio.yamldoc import YamlDocument, load_yaml, parse_model, validation_error
from ledgercheck.rulebook.schema import PackManifest, Regulation, Rule, RuleFile, message_problems

MANIFEST = "pack.yaml"
TESTS_DIR = "tests"


@dataclass
class LoadedRule:
    """A validated rule with the YAML it came from (for locations, overrides and explain)."""

    rule: Rule
    raw: dict[str, Any]
    doc: YamlDocument
    path: tuple[str | int, ...]  # key path of the rule inside its file
    pack: str

    @property
    def location(self) -> Location:
        return self.doc.location(self.path)


@dataclass
class Rulebook:
    """The rules in force after packs are merged, in pack order then file order."""

    packs: list[tuple[str, str]] = field(default_factory=list)  # (name, version), base first
    rules: dict[str, LoadedRule] = field(default_factory=dict)
    regulations: dict[str, Regulation] = field(default_factory=dict)
    directories: list[Path] = field(default_factory=list)  # pack folders, base first
    # Citations made once: a scan's worker cites every rule of every file. By the rule object (kept, so that
    # its id is not reused) and short or not.
    _cited: dict[tuple[int, bool], tuple[Rule, Text]] = field(default_factory=dict, repr=False, compare=False)

    def citation(self, rule: Rule, short: bool = False) -> Text:
        """《中国共产党支部工作条例（试行）》第十二条；… in both languages (`short`: 《支部工作条例》…)."""
        found = self._cited.get((id(rule), short))
        if found is None or found[0] is not rule:
            found = self._cited[(id(rule), short)] = (rule, self._citation(rule, short))
        return found[1]

    def _citation(self, rule: Rule, short: bool) -> Text:
        zh_parts, en_parts = [], []
        for source in rule.source:
            regulation = self.regulations[source.regulation]
            title = regulation.short if short and regulation.short else regulation.title
            zh_parts.append(f"《{title.zh}》{source.article or ''}")
            en_parts.append(title.en + (f", {article_en(source.article)}" if source.article else ""))
        return Text("；".join(zh_parts), "; ".join(en_parts))

    def select(self, ids: list[str]) -> Rulebook:
        unknown = [i for i in ids if i not in self.rules]
        if unknown:
            raise RulePackError(Text(f"规则包中没有规则 {', '.join(unknown)}", f"no such rule: {', '.join(unknown)}"))
        return Rulebook(self.packs, {i: self.rules[i] for i in ids}, self.regulations, self.directories)


def builtin_root() -> Path:
    # The package's own folder, as importlib.resources.files("ledgercheck") gives for an installed package
    # (which is never a zip: the packs are read as files); without importing importlib.resources at start-up.
    installed = Path(__file__).parents[1] / "packs"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "rules"


def builtin_packs() -> list[str]:
    root = builtin_root()
    return sorted(p.name for p in root.iterdir() if (p / MANIFEST).is_file()) if root.is_dir() else []


def resolve_pack(reference: str, relative_to: Path | None = None) -> Path:
    """A built-in pack name, a pack folder, or a pack.yaml file → the pack folder.

    A built-in name always means the built-in pack, whatever folders of that name lie in the working directory
    or beside the pack that extends it: such a folder is named as a path (./national).
    """
    candidate = Path(reference)
    if _is_name(reference) and (builtin_root() / reference / MANIFEST).is_file():
        return builtin_root() / reference
    if relative_to is not None and not candidate.is_absolute():
        sibling = relative_to / reference
        if (sibling / MANIFEST).is_file():
            return sibling
    if candidate.name == MANIFEST and candidate.is_file():
        return candidate.parent
    if (candidate / MANIFEST).is_file():
        return candidate
    builtin = builtin_root() / reference
    if "/" not in reference and (builtin / MANIFEST).is_file():
        return builtin
    known = ", ".join(builtin_packs()) or "—"
    raise RulePackError(Text(f"找不到规则包「{reference}」（应为内置规则包名称 {known}，或含 pack.yaml 的文件夹）",
                             f"rule pack {reference!r} not found (a built-in pack: {known}; or a folder "
                             f"with a pack.yaml)"))


def _is_name(reference: str) -> bool:
    """A bare name (national), not a path (./national, rules/national, C:\\packs\\x)."""
    return bool(reference) and not any(ch in reference for ch in "/\\:") and reference not in (".", "..")


def _display(path: Path) -> str:
    root = builtin_root()
    try:
        return str(Path("rules") / path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def deep_merge(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _rule_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.name != MANIFEST)


def validate_rule(raw: dict[str, Any], doc: YamlDocument, path: tuple[str | int, ...]) -> Rule:
    """Validate one rule; errors point at the offending key's line in `doc` (under `path`)."""
    from pydantic import ValidationError  # only a pack read from YAML is validated

    try:
        rule = validate(Rule, raw)
    except ValidationError as exc:
        raise validation_error(doc, exc, RulePackError, path) from None
    for key_path, problem in message_problems(rule):
        zh = "消息模板中的占位符无效：" + problem
        raise RulePackError(Text(zh, problem), doc.location(path + key_path))
    return rule


def _load_rules(folder: Path, pack: str, book: Rulebook) -> None:
    for path in _rule_files(folder):
        doc = load_yaml(path, _display(path), RulePackError)
        if doc.data is None:
            continue
        parsed = parse_model(doc, RuleFile, RulePackError)
        for index, raw in enumerate(parsed.rules):
            key_path = ("rules", index)
            rule = validate_rule(raw, doc, key_path)
            if rule.id in book.rules:
                first = book.rules[rule.id].location
                raise RulePackError(Text(f"规则编号 {rule.id} 重复（首次出现在 {first.short()}）",
                                         f"duplicate rule id {rule.id} (first defined at {first.short()})"),
                                    doc.location(key_path + ("id",)))
            book.rules[rule.id] = LoadedRule(rule, raw, doc, key_path, pack)


def apply_overrides(book: Rulebook, overrides: dict[str, dict[str, Any]], doc: YamlDocument, pack: str,
                    base: tuple[str | int, ...] = ("overrides",),
                    error: type[LedgercheckError] = RulePackError) -> None:
    """Deep-merge each change into its rule and validate the result again; errors point at `doc` under `base`.

    Used by pack manifests and by the configuration file (`overrides:`), so both behave the same.
    """
    for rule_id, change in overrides.items():
        where = doc.location(base + (rule_id,))
        if rule_id not in book.rules:
            raise error(Text(f"overrides 中的规则 {rule_id} 不存在", f"overrides: no such rule {rule_id}"), where)
        loaded = book.rules[rule_id]
        if "id" in change:
            raise error(Text("overrides 不能修改规则编号", "overrides cannot change a rule id"), where)
        raw = deep_merge(loaded.raw, change)
        try:
            rule = validate_rule(raw, doc, base + (rule_id,))
        except RulePackError as exc:
            raise error(exc.message, exc.location, exc.detail) from None
        book.rules[rule_id] = LoadedRule(rule, raw, loaded.doc, loaded.path, pack)


def _apply_manifest(manifest: PackManifest, doc: YamlDocument, book: Rulebook) -> None:
    apply_overrides(book, manifest.overrides, doc, manifest.name)
    for index, rule_id in enumerate(manifest.disable):
        if rule_id not in book.rules:
            raise RulePackError(Text(f"disable 中的规则 {rule_id} 不存在", f"disable: no such rule {rule_id}"),
                                doc.location(("disable", index)))
        del book.rules[rule_id]


def _check_citations(book: Rulebook) -> None:
    for loaded in book.rules.values():
        for index, source in enumerate(loaded.rule.source):
            if source.regulation not in book.regulations:
                known = ", ".join(sorted(book.regulations)) or "—"
                raise RulePackError(Text(f"引用了未登记的法规「{source.regulation}」（已登记：{known}）",
                                         f"cites unknown regulation {source.regulation!r} (known: {known})"),
                                    loaded.doc.location(loaded.path + ("source", index)))


def _load(folder: Path, seen: list[Path]) -> Rulebook:
    folder = folder.resolve()
    doc = load_yaml(folder / MANIFEST, _display(folder / MANIFEST), RulePackError)
    manifest = parse_model(doc, PackManifest, RulePackError, data=doc.data or {})
    if manifest.extends:
        try:
            base_folder = resolve_pack(manifest.extends, folder.parent)
        except RulePackError as exc:
            raise RulePackError(exc.message, doc.location(("extends",))) from None
        if base_folder.resolve() in seen + [folder]:
            chain = " → ".join(p.name for p in seen + [folder, base_folder.resolve()])
            raise RulePackError(Text(f"规则包循环继承：{chain}", f"rule packs extend each other in a cycle: {chain}"),
                                doc.location(("extends",)))
        book = _load(base_folder, seen + [folder])
    else:
        book = Rulebook()
    book.packs.append((manifest.name, manifest.version))
    book.directories.append(folder)
    book.regulations.update(manifest.regulations)
    _load_rules(folder, manifest.name, book)
    _apply_manifest(manifest, doc, book)
    return book


def load_rulebook(reference: str = "national", prebuilt: bool = True) -> Rulebook:
    """Load a pack by built-in name or folder, with everything it extends.

    A built-in pack comes from its validated form stored in the package while that matches the YAML
    (rulebook/prebuilt.py); `prebuilt=False` always reads and validates the YAML.
    """
    if prebuilt and _is_name(reference) and (builtin_root() / reference / MANIFEST).is_file():
        from ledgercheck.rulebook.prebuilt import load_prebuilt

        stored = load_prebuilt(reference)
        if stored is not None:
            return stored
    book = _load(resolve_pack(reference), [])
    _check_citations(book)
    return book
