"""The house keeps its shape: the layers in pyproject.toml [tool.importlinter] hold, the types check, and the
layout and the architecture document agree."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_import_contracts_hold() -> None:
    run = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_types_check() -> None:
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-2000:]


def test_no_module_sits_at_the_top_level_but_the_package_face() -> None:
    top = sorted(p.name for p in (ROOT / "ledgercheck").glob("*.py"))
    assert top == ["__init__.py", "__main__.py"]


def test_every_stage_is_a_package_named_in_the_layers_and_the_architecture_document() -> None:
    packages = sorted(p.name for p in (ROOT / "ledgercheck").iterdir() if (p / "__init__.py").is_file())
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
    layered = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    layers = [name.split(".")[1] for layer in layered for name in re.findall(r"ledgercheck\.\w+", layer)]
    assert sorted(set(layers)) == packages
    document = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    for package in packages:
        assert f"`{package}/`" in document, package
