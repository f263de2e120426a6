"""The built-in rule packs as validated once, stored in the package (data/rulepacks/<pack>.json).

Loading a pack reads a dozen YAML files and validates about sixty rules: most of a small audit's set-up.
The built-in packs are the same every run, so their validated form is written once
(`python -m ledgercheck.app.prebuilt`) and read back without validation. It is used only while its key
(the file's first line) matches: a hash of the package version, every YAML file of the built-in packs as
installed, and the source of the modules that validate them (SOURCES and the check kinds). Any difference, or
a file that does not read back, and the pack is loaded and validated from its YAML as before; packs given as
folders are always validated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ledgercheck import __version__
from ledgercheck.fileio.frozen import PACKAGE, dumps, encode, files_fingerprint, loads
from ledgercheck.fileio.yamldoc import YamlDocument
from ledgercheck.rulebook.loader import MANIFEST, LoadedRule, Rulebook, builtin_packs, builtin_root, load_rulebook

STORE = PACKAGE / "data" / "rulepacks"  # one {name}.json a built-in pack


def pack_files(root: Path) -> list[Path]:
    """Every YAML file a built-in pack is loaded from (each pack's manifest and rule files; not its tests)."""
    return sorted(path for folder in root.iterdir() if (folder / MANIFEST).is_file()
                  for path in folder.glob("*.yaml"))


# The code that validates a pack and shapes what is stored: a change to it makes the store stale too.
SOURCES = ("rulebook/schema.py", "rulebook/loader.py", "rulebook/prebuilt.py", "fileio/frozen.py", "common/spec.py",
           "fileio/yamldoc.py", "model/schema.py", "findings/severity.py")


def sources() -> list[str]:
    return [*SOURCES, *sorted(f"checks/{path.name}" for path in (PACKAGE / "checks").glob("*.py"))]


def current_key(root: Path | None = None) -> str:
    root = root or builtin_root()
    return files_fingerprint(__version__, root, pack_files(root), sources())


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root.resolve()).as_posix()


def freeze(book: Rulebook, root: Path) -> dict[str, Any]:
    docs: list[YamlDocument] = []
    for loaded in book.rules.values():
        if not any(doc is loaded.doc for doc in docs):
            docs.append(loaded.doc)
    return {
        "packs": [list(pack) for pack in book.packs],
        "directories": [_relative(folder, root) for folder in book.directories],
        "regulations": encode(book.regulations),
        "docs": [{"file": _relative(doc.path, root), "display": doc.display, "data": encode(doc.data),
                  "lines": [[list(path), line] for path, line in doc.lines.items()]} for doc in docs],
        # A rule as its file has it (no override) is taken from the file's data again.
        "rules": [{"rule": encode(loaded.rule), "raw": None if loaded.raw == _at(loaded.doc.data, loaded.path)
                   else encode(loaded.raw),
                   "doc": next(i for i, doc in enumerate(docs) if doc is loaded.doc),
                   "path": list(loaded.path), "pack": loaded.pack} for loaded in book.rules.values()],
    }


def _at(data: Any, path: tuple[str | int, ...] | list[str | int]) -> Any:
    for part in path:
        data = data[part]
    return data


def thaw(frozen: dict[str, Any], root: Path) -> Rulebook:
    resolved = root.resolve()
    docs = [YamlDocument(resolved / doc["file"], doc["display"], doc["data"],
                         {tuple(path): line for path, line in doc["lines"]}) for doc in frozen["docs"]]
    book = Rulebook([(name, version) for name, version in frozen["packs"]],
                    directories=[resolved / folder for folder in frozen["directories"]])
    book.regulations = frozen["regulations"]
    for entry in frozen["rules"]:
        rule, doc = entry["rule"], docs[entry["doc"]]
        # As validation leaves it: a new mapping of the file's values (RuleFile's list[dict] copies one level).
        raw = entry["raw"] if entry["raw"] is not None else dict(_at(doc.data, entry["path"]))
        book.rules[rule.id] = LoadedRule(rule, raw, doc, tuple(entry["path"]), entry["pack"])
    return book


def build(root: Path | None = None) -> dict[str, str]:
    """The store's files, {name}.json → text: every built-in pack, loaded and validated from its YAML now."""
    root = root or builtin_root()
    key = current_key(root)
    # The key on the first line, so that a stale store is passed over before any model is rebuilt from it.
    return {f"{name}.json": key + "\n" + dumps(freeze(load_rulebook(name, prebuilt=False), root))
            for name in builtin_packs()}


def load_prebuilt(name: str) -> Rulebook | None:
    """The built-in pack `name` from the store, or None when the store is missing, stale or unreadable."""
    root = builtin_root()
    try:
        key, _, text = (STORE / f"{name}.json").read_text("utf-8").partition("\n")
        if key != current_key(root):
            return None
        return thaw(loads(text), root)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, ImportError):
        return None
