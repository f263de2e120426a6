"""Configuration: discovery, three layers, select/ignore, overrides, and errors that name file and line."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from ledgercheck.app.config import CliOptions, find_config, resolve
from ledgercheck.cli import main
from ledgercheck.rulebook.selection import Pattern, selected
from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import VIOLATIONS, severities, write


def run_in(folder, *args: object):
    """The CLI as a user runs it from `folder`: configuration files are looked for."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(cwd)


def audit_in(folder, *args: object) -> tuple[int, dict]:
    result = run_in(folder, "audit", VIOLATIONS, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "ledgers" / "2025").mkdir(parents=True)
    return tmp_path


def test_found_by_walking_up_and_layered_under_flags(project) -> None:
    write(project / ".ledgercheck.yaml", f"as-of: {SAMPLE_AS_OF}\nfail-on: never\nlang: en\n"
                                         "select: [MEET-]\nignore: MEET-PARTY-LECTURE\n")
    code, data = audit_in(project / "ledgers" / "2025")
    assert code == 0  # fail-on: never
    assert data["as_of"] == SAMPLE_AS_OF and data["rules"] and all(r["id"].startswith("MEET-") for r in data["rules"])
    assert "MEET-PARTY-LECTURE" not in {r["id"] for r in data["rules"]}
    assert "held no branch committee meeting" in data["findings"][0]["message"]  # lang: en
    code, data = audit_in(project / "ledgers", "--fail-on", "error", "--lang", "zh", "--select", "ORG-")
    assert code == 1 and "未召开" in data["findings"][0]["message"]  # flags win; --select adds to the file's list
    assert any(r["id"].startswith("ORG-") for r in data["rules"])
    _code, data = audit_in(project / "ledgers", "--no-config", "--as-of", SAMPLE_AS_OF)
    assert len(data["rules"]) == len(severities())  # every rule of the national pack


def test_search_stops_at_the_repository_root(tmp_path) -> None:
    write(tmp_path / ".ledgercheck.yaml", "fail-on: never\n")
    inner = tmp_path / "repo"
    (inner / ".git").mkdir(parents=True)
    assert find_config(inner) is None
    assert find_config(tmp_path) == tmp_path / ".ledgercheck.yaml"


def test_pyproject_table(project) -> None:
    write(project / "pyproject.toml", f'[project]\nname = "x"\n\n[tool.ledgercheck]\nas-of = {SAMPLE_AS_OF}\n'
                                      'ignore = ["MEET-"]\n\n[tool.ledgercheck.overrides.ORG-BRANCH-MAX-50]\n'
                                      'severity = "error"\ncheck = {max = 60}\n')
    _code, data = audit_in(project)
    assert not any(r["id"].startswith("MEET-") for r in data["rules"])
    assert "ORG-BRANCH-MAX-50" not in {f["rule"]["id"] for f in data["findings"]}  # 52 members ≤ 60 now
    rule = next(r for r in data["rules"] if r["id"] == "ORG-BRANCH-MAX-50")
    assert rule["severity"] == "error"


def test_pyproject_without_the_table_is_not_a_configuration(project) -> None:
    write(project / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(project) is None


def test_explicit_config_and_paths_relative_to_it(tmp_path) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    write(folder / "waivers.yaml", "waivers:\n  - {rule: MEET-COMMITTEE-MONTHLY, org: B01, reason: 顺延, "
                                   "approver: 王, expires: 2026-12-31}\n")
    config = write(folder / "ledgercheck.yaml", f"as-of: {SAMPLE_AS_OF}\nwaivers: waivers.yaml\n")
    _code, data = audit_in(tmp_path, "--config", config)
    assert data["summary"]["waived"] == 1 and data["waivers"]["file"].endswith("waivers.yaml")


@pytest.mark.parametrize(("text", "where", "fragment"), [
    ("fail-on: error\nfail_on_new: true\n", "第2行", "是否应为「fail-on-new」"),
    ("lang: fr\n", "第1行", "lang"),
    ("as-of: 下周\n", "第1行", "as-of"),
    ("select:\n  - MEET-\n  - MEEET-\n", "第3行", "MEEET-"),
    ("overrides:\n  ORG-BRANCH-MAX-50:\n    check: {max: 很多}\n", "第3行", "max"),
    ("overrides:\n  NO-SUCH-RULE: {severity: info}\n", "第2行", "NO-SUCH-RULE"),
    ("- a list\n", "第1行", "映射"),
    ("fail-on: [error\n", "第2行", "YAML"),
])
def test_configuration_errors_name_file_and_line(project, text, where, fragment) -> None:
    write(project / ".ledgercheck.yaml", text)
    result = run_in(project, "audit", VIOLATIONS)
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"配置错误: .ledgercheck.yaml {where}"), result.stderr
    assert fragment in result.stderr


def test_configured_language_applies_to_errors(project) -> None:
    write(project / ".ledgercheck.yaml", "lang: en\nselect: [NOPE-]\n")
    result = run_in(project, "audit", VIOLATIONS)
    assert result.stderr.startswith("configuration error: .ledgercheck.yaml:2: select: 'NOPE-'")


def test_unknown_flag_pattern_is_an_error(project) -> None:
    result = run_in(project, "audit", VIOLATIONS, "--ignore", "MEET-,XYZ")
    assert result.exit_code == 2 and "XYZ" in result.stderr


@pytest.mark.parametrize(("rule", "select", "ignore", "expected"), [
    ("MEET-COMMITTEE-MONTHLY", [], [], True),
    ("MEET-COMMITTEE-MONTHLY", ["ORG-"], [], False),
    ("MEET-COMMITTEE-MONTHLY", ["MEET-"], ["MEET-COMMITTEE-MONTHLY"], False),
    ("MEET-COMMITTEE-MONTHLY", ["MEET-COMMITTEE-MONTHLY"], ["MEET-"], True),
    ("MEET-THEME-DAY-MONTHLY", ["MEET-COMMITTEE-MONTHLY"], ["MEET-"], False),
    ("ORG-BRANCH-MIN-3", ["MEET-COMMITTEE-MONTHLY", "ORG-"], ["MEET-"], True),
    ("MEET-COMMITTEE-MONTHLY", ["MEET-"], ["MEET-"], False),  # equally specific: ignore wins
    ("ORG-BRANCH-MIN-3", [], ["MEET-"], True),
])
def test_the_more_specific_pattern_wins(rule, select, ignore, expected) -> None:
    assert selected(rule, [Pattern(p) for p in select], [Pattern(p) for p in ignore]) is expected


def test_defaults_without_any_file(tmp_path) -> None:
    settings = resolve(CliOptions(no_config=True), tmp_path)
    assert (settings.rules, settings.fail_on, settings.fail_on_new, settings.lang) == ("national", "error", False, "zh")
    assert settings.config_file is None
