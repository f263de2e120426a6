"""Folders of generated unit workbooks, broken files among them, shared by the scan tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.units import make_units, write_broken
from tests.conftest import SAMPLES

UNITS = 12


@pytest.fixture(scope="session")
def units_dir(tmp_path_factory) -> Path:
    """12 unit workbooks, the broken files of write_broken() in broken/, an Office lock file, a hidden folder."""
    folder = tmp_path_factory.mktemp("units")
    make_units(folder, UNITS, templates=UNITS)
    write_broken(folder / "broken")
    (folder / "~$unit-00001.xlsx").write_bytes(b"lock")
    (folder / ".cache").mkdir()
    shutil.copyfile(SAMPLES / "clean.xlsx", folder / ".cache" / "copy.xlsx")
    return folder


@pytest.fixture(scope="session")
def samples_dir(tmp_path_factory) -> Path:
    """The bundled clean and violations samples, whose findings are known."""
    folder = tmp_path_factory.mktemp("samples")
    for name in ("clean.xlsx", "violations.xlsx"):
        shutil.copyfile(SAMPLES / name, folder / name)
    return folder
