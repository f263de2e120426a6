"""`ledgercheck rules list | show | test | docs`."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from ledgercheck.cli import main
from tests.conftest import ROOT, RULES


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_list_shows_id_severity_citation_and_title() -> None:
    result = run("rules", "list")
    assert result.exit_code == 0
    line = next(row for row in result.output.splitlines() if row.startswith("DEV-AGE-18"))
    assert "错误" in line and "《党章》第一条" in line and "年满十八岁" in line
    english = run("rules", "list", "--lang", "en")
    assert "Applicants are at least 18" in english.output


def test_show_prints_parameters_rationale_and_examples() -> None:
    result = run("rules", "show", "ELECT-QUORUM-4-5")
    assert result.exit_code == 0
    for text in ("quorum_op: gt", "Rationale", "recalled", "exactly_four_fifths_is_not_more"):
        assert text in result.output


def test_show_unknown_rule_exits_2() -> None:
    result = run("rules", "show", "NO-SUCH-RULE")
    assert result.exit_code == 2


def test_national_and_example_packs_pass() -> None:
    for pack in ("national", str(RULES / "local-example")):
        result = run("rules", "test", pack)
        assert result.exit_code == 0, result.output
        assert "个，失败0个" in result.output


def copy_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(RULES / "local-example", pack)
    (pack / "pack.yaml").write_text((pack / "pack.yaml").read_text(encoding="utf-8").replace(
        "extends: national", f"extends: {RULES / 'national'}"), encoding="utf-8")
    return pack


def test_a_broken_case_fails_naming_the_case_and_its_line(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    case = pack / "tests" / "LOCAL-DEV-ACTIVIST-AFTER-6M.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("limit: 2025-07-10", "limit: 2025-07-11"),
                    encoding="utf-8")
    result = run("rules", "test", str(pack), "--lang", "en")
    assert result.exit_code == 1
    assert "FAILED LOCAL-DEV-ACTIVIST-AFTER-6M::too_soon (" in result.output
    assert "LOCAL-DEV-ACTIVIST-AFTER-6M.yaml:12)" in result.output
    assert "expected but not found" in result.output and "unexpected finding" in result.output
    assert "3 passed, 1 failed" in result.output
    chinese = run("rules", "test", str(pack))
    assert "失败 LOCAL-DEV-ACTIVIST-AFTER-6M::too_soon（" in chinese.output and "预期的问题没有出现" in chinese.output
    assert "用例通过3个，失败1个" in chinese.output


def test_a_rule_without_a_failing_case_fails(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    case = pack / "tests" / "LOCAL-DEV-ACTIVIST-AFTER-6M.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text[:text.index("  too_soon:")], encoding="utf-8")
    result = run("rules", "test", str(pack))
    assert result.exit_code == 1
    assert "LOCAL-DEV-ACTIVIST-AFTER-6M：缺少不通过的用例" in result.output


def test_a_malformed_case_file_exits_2_with_file_and_line(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    case = pack / "tests" / "LOCAL-DEV-ACTIVIST-AFTER-6M.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("    expect: []", "    expect: []\n    colour: red"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "test", str(pack)])
    assert result.exit_code == 2
    assert "LOCAL-DEV-ACTIVIST-AFTER-6M.yaml" in result.output and "第12行" in result.output


def test_docs_writes_the_reference(tmp_path: Path) -> None:
    target = tmp_path / "rules.md"
    result = CliRunner().invoke(main, ["rules", "docs", "--write", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
