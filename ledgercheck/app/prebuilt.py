"""Write (or check) the built-in rule packs and alias table as stored validated in the package.

    python -m ledgercheck.app.prebuilt          # rewrite ledgercheck/data/rulepacks/*.json, aliases.prebuilt.json
    python -m ledgercheck.app.prebuilt --check  # exit 1 when a stored file is not what the sources give now

Run it after changing a built-in rule pack, data/aliases.yaml or the code that validates them: until then the
stored forms no longer match their key and every audit validates from the YAML again (correct, but slower);
tests/test_prebuilt.py fails until they are rewritten.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ledgercheck.ingest import builtin_aliases
from ledgercheck.rulebook import prebuilt


def expected() -> dict[Path, str]:
    """Every stored file and the text it should have."""
    files = {prebuilt.STORE / name: text for name, text in prebuilt.build().items()}
    files[builtin_aliases.STORE] = builtin_aliases.build()
    return files


def stale() -> list[Path]:
    """The stored files that are missing or differ from what the sources give now (and stray ones)."""
    files = expected()
    strays = [path for path in prebuilt.STORE.glob("*.json") if path not in files]
    return [path for path, text in files.items() if not path.is_file() or path.read_text("utf-8") != text] + strays


def write() -> list[Path]:
    files = expected()
    prebuilt.STORE.mkdir(parents=True, exist_ok=True)
    for path in prebuilt.STORE.glob("*.json"):
        if path not in files:
            path.unlink()
    changed = [path for path, text in files.items() if not path.is_file() or path.read_text("utf-8") != text]
    for path in changed:
        path.write_text(files[path], "utf-8")
    return changed


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        outdated = stale()
        for path in outdated:
            print(f"stale: {path}")
        return 1 if outdated else 0
    if argv:
        print(__doc__)
        return 2
    for path in write():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
