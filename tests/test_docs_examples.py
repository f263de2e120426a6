"""The examples in the docs are the output of the commands they show (docs/examples.py regenerates them)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT


def _examples() -> list[tuple[str, str]]:
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for match in re.finditer(r"<!-- example: ([\w-]+) -->\n(.*?)<!-- /example -->", path.read_text("utf-8"), re.S):
            if match.group(1) != "corpus-table":  # tests/test_corpus.py checks that one with the corpus
                found.append((path.name, match.group(1)))
    return found


@pytest.mark.parametrize(("doc", "name"), _examples())
def test_an_example_is_what_its_command_prints(doc: str, name: str) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "docs"))
    from examples import render

    text = (ROOT / doc if doc == "README.md" else ROOT / "docs" / doc).read_text("utf-8")
    shown = re.search(rf"<!-- example: {name} -->\n(.*?)<!-- /example -->", text, re.S)
    assert shown is not None and shown.group(1) == render(name), f"run: python docs/examples.py ({doc}: {name})"


def test_the_readme_counts_the_rules_of_the_national_pack() -> None:
    from ledgercheck.rulebook.loader import load_rulebook

    count = len(load_rulebook("national").rules)
    assert f"the national pack is `rules/national/` ({count} rules)" in (ROOT / "README.md").read_text("utf-8")
