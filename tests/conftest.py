"""Shared fixtures: paths to the shipped packs and samples, a runner for the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
RULES = ROOT / "rules"
SAMPLE_AS_OF = "2026-01-15"


@pytest.fixture(scope="session")
def national():
    from ledgercheck.rulebook.loader import load_rulebook

    return load_rulebook("national")
