"""The built-in rule packs and alias table stored validated in the package (ledgercheck/app/prebuilt.py).

An audit reads them instead of validating the YAML again: what it reads must be what validation gives, in
the same order, and a stale or damaged store must never be used.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ledgercheck.app import prebuilt as store
from ledgercheck.common.spec import private_of
from ledgercheck.fileio.frozen import decode, encode
from ledgercheck.ingest import builtin_aliases
from ledgercheck.ingest.aliases import builtin_table, load_aliases
from ledgercheck.rulebook import prebuilt
from ledgercheck.rulebook.loader import Rulebook, builtin_packs, load_rulebook
from tests.test_startup_imports import JSON_AUDIT


def test_the_stored_forms_are_current() -> None:
    assert store.stale() == [], "run `python -m ledgercheck.app.prebuilt` to rewrite them"


def _as_written(book: Rulebook) -> str:
    """Everything an audit can see of a rule book, in order (dict order included)."""
    return json.dumps([book.packs, [str(d) for d in book.directories], encode(book.regulations),
                       [[encode(loaded.rule), encode(private_of(loaded.rule.check)), encode(loaded.raw),
                         list(loaded.path), loaded.pack, str(loaded.doc.path), loaded.doc.display,
                         encode(loaded.doc.data), [[list(k), v] for k, v in loaded.doc.lines.items()]]
                        for loaded in book.rules.values()]], ensure_ascii=False)


@pytest.mark.parametrize("name", builtin_packs())
def test_a_stored_pack_is_the_pack_validated_from_its_yaml(name: str) -> None:
    stored, validated = prebuilt.load_prebuilt(name), load_rulebook(name, prebuilt=False)
    assert stored is not None
    assert list(stored.rules) == list(validated.rules)
    assert all(stored.rules[i].rule == validated.rules[i].rule for i in stored.rules)
    assert _as_written(stored) == _as_written(validated)
    assert load_rulebook(name).rules.keys() == validated.rules.keys()


def test_the_stored_alias_table_is_the_one_built_from_the_yaml() -> None:
    stored, built = builtin_aliases.load_prebuilt(), builtin_table(prebuilt=False)
    assert stored is not None and stored == built
    assert json.dumps(builtin_aliases.freeze(stored), ensure_ascii=False) == \
        json.dumps(builtin_aliases.freeze(built), ensure_ascii=False)


def test_a_stale_or_damaged_store_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prebuilt, "current_key", lambda root=None: "another key")
    assert prebuilt.load_prebuilt("national") is None
    assert len(load_rulebook("national").rules) == len(load_rulebook("national", prebuilt=False).rules)
    monkeypatch.undo()
    damaged = tmp_path / "rulepacks"
    damaged.mkdir()
    (damaged / "national.json").write_text(prebuilt.current_key() + '\n{"rules": [1]}')
    monkeypatch.setattr(prebuilt, "STORE", damaged)
    assert prebuilt.load_prebuilt("national") is None
    monkeypatch.setattr(builtin_aliases, "current_key", lambda: "another key")
    assert builtin_aliases.load_prebuilt() is None
    assert load_aliases() == builtin_table(prebuilt=False)


def test_the_key_follows_the_rule_files_and_the_code_that_validates_them(tmp_path: Path) -> None:
    root = tmp_path / "packs"
    (root / "mine").mkdir(parents=True)
    (root / "mine" / "pack.yaml").write_text("name: mine\nversion: '1'\n")
    (root / "mine" / "a.yaml").write_text("rules: []\n")
    first = prebuilt.current_key(root)
    (root / "mine" / "a.yaml").write_text("rules: [] # edited\n")
    assert prebuilt.current_key(root) != first
    assert "rulebook/schema.py" in prebuilt.sources() and "checks/dues.py" in prebuilt.sources()


def test_only_ledgercheck_classes_are_rebuilt() -> None:
    with pytest.raises(ValueError, match="not a ledgercheck class"):
        decode({"$model": "subprocess:Popen", "fields": {}})
    with pytest.raises(ValueError, match="not a spec"):
        decode({"$model": "ledgercheck.rulebook.loader:Rulebook", "fields": {}})
    with pytest.raises(TypeError, match="starting with"):
        encode({"$model": "subprocess:Popen"})  # data that would read back as a tag is not written


def test_an_audit_with_the_built_in_pack_validates_no_rule() -> None:
    """Neither pydantic, which validates, nor PyYAML is needed: the pack comes validated from the store."""
    code = JSON_AUDIT + """
import sys
print("pydantic" in sys.modules, "yaml" in sys.modules, file=sys.stderr)
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stderr.split()[-2:] == ["False", "False"]
