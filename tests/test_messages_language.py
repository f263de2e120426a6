"""Every message a user can meet is in the language asked for: click's usage errors, a missing or unreadable file,
pydantic's complaints about a waiver or configuration file — no English in Chinese mode, and English in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledgercheck.cli import main
from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import VIOLATIONS, cli, write

LATIN_WORDS = re.compile(r"\b(?:Error|Usage|Invalid|Try|Field|required|Errno|No such|not one of|is not)\b")


def _configured(config: Path) -> Result:
    """An audit with this configuration file (tests.ledgers.cli reads none)."""
    return CliRunner().invoke(main, ["audit", str(VIOLATIONS), "--as-of", SAMPLE_AS_OF, "--config", str(config)])


def _chinese_only(text: str) -> None:
    assert not LATIN_WORDS.search(text), text


@pytest.mark.parametrize(("args", "expected"), [
    (["audit", VIOLATIONS, "--as-of", "2025-13-01"], "错误：--as-of 的值不对：「2025-13-01」不是日期"),
    (["audit", VIOLATIONS, "--format", "docx"], "「docx」不是可选的值（可选：table、json"),
    (["audit", VIOLATIONS, "--fail-on-warnings"], "没有选项「--fail-on-warnings」"),
    (["audit"], "缺少参数 FILE_OR_FOLDER"),
    (["audti"], "没有命令「audti」"),
    (["scan", ".", "--jobs", "0"], "「0」不在允许的范围内"),
])
def test_usage_errors_are_chinese_in_chinese_mode(args: list, expected: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stderr.startswith("用法：") or result.stderr.startswith("错误：")
    _chinese_only(result.stderr)


def test_usage_errors_stay_english_in_english_mode() -> None:
    result = cli("audit", VIOLATIONS, "--as-of", "2025-13-01", "--lang", "en")
    assert result.exit_code == 2
    assert "Error: Invalid value for '--as-of': '2025-13-01' is not a date" in result.stderr
    assert not re.search(r"[\u4e00-\u9fff]", result.stderr)


def test_a_missing_waiver_file_is_said_in_the_language_asked_for(tmp_path: Path) -> None:
    missing = tmp_path / "豁免.yaml"
    zh = cli("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--waivers", missing)
    en = cli("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--waivers", missing, "--lang", "en")
    assert zh.exit_code == en.exit_code == 2
    assert "无法读取文件：文件不存在" in zh.stderr
    _chinese_only(zh.stderr)
    assert "cannot read the file: no such file" in en.stderr and "Errno" not in en.stderr


def test_a_waiver_without_its_reason_is_said_in_chinese(tmp_path: Path) -> None:
    waivers = write(tmp_path / "waivers.yaml", "waivers:\n  - rule: DUES-MONTHLY\n")
    zh = cli("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--waivers", waivers)
    assert zh.exit_code == 2
    assert "waivers.0.reason：缺少必填项" in zh.stderr and "第2行" in zh.stderr
    _chinese_only(zh.stderr)


def test_a_configuration_value_out_of_its_choices_names_them_in_chinese(tmp_path: Path) -> None:
    config = write(tmp_path / ".ledgercheck.yaml", "fail-on: serious\n")
    result = _configured(config)
    assert result.exit_code == 2
    assert "fail-on：取值不在允许范围内，应为 'error', 'warning', 'info' 或 'never'（写的是「serious」）" in result.stderr


def test_a_configuration_file_not_in_utf8_says_so(tmp_path: Path) -> None:
    config = tmp_path / "gbk.yaml"
    config.write_bytes("fail-on: 错误\n".encode("gbk"))
    result = _configured(config)
    assert result.exit_code == 2
    assert "不是 UTF-8 编码的文本" in result.stderr
    _chinese_only(result.stderr)


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("waivers:\n  - rule: X\n   reason: y\n", 3, "列表项的缩进不一致"),
    ("waivers: a: b\n", 1, "这里不能写「键: 值」"),
    ("waivers:\n\t- rule: X\n", 2, "有不能开头的字符（缩进请用空格"),
    ("waivers:\n  - rule: X\n\treason: y\n", 3, "缩进里有制表符"),
    ("waivers: [1, 2\n", 2, "列表缺少逗号或「]」"),
    ("waivers: {a: 1\n", 2, "映射缺少逗号或「}」"),
    ('waivers: "x\\q"\n', 1, "双引号里有无法识别的转义"),
    ("waivers: []\n---\nwaivers: []\n", 2, "文件里只能有一个 YAML 文档"),
])
def test_a_yaml_syntax_error_is_told_in_chinese(tmp_path: Path, text: str, line: int, expected: str) -> None:
    waivers = write(tmp_path / "waivers.yaml", text)
    zh = cli("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--waivers", waivers)
    assert zh.exit_code == 2
    assert f"第{line}行: YAML 语法错误：{expected}" in zh.stderr
    _chinese_only(zh.stderr)
    en = cli("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--waivers", waivers, "--lang", "en")
    assert f"waivers.yaml:{line}: YAML syntax error: " in en.stderr


@pytest.mark.parametrize(("text", "expected"), [
    ("[tool.ledgercheck]\nlang = \n", "第2行: TOML 语法错误：值的写法不对"),
    ("[tool.ledgercheck\nlang = 'en'\n", "第1行: TOML 语法错误：「[表名]」缺少「]」"),
    ("[tool.ledgercheck]\nlang = 'en' fail-on = 'error'\n", "第2行: TOML 语法错误：一行只能写一项"),
    ("[tool.ledgercheck]\nlang = \"\\q\"\n", "第2行: TOML 语法错误：双引号里的反斜杠"),
])
def test_a_toml_syntax_error_is_told_in_chinese(tmp_path: Path, text: str, expected: str) -> None:
    config = write(tmp_path / "pyproject.toml", text)
    result = _configured(config)
    assert result.exit_code == 2
    assert expected in result.stderr, result.stderr
    _chinese_only(result.stderr)


def test_a_date_the_calendar_has_not_is_an_error_of_the_file_not_of_ledgercheck(tmp_path: Path) -> None:
    """YAML reads 2025-13-01 as a date and Python cannot build it: a located message and exit 2, no internal error."""
    waivers = write(tmp_path / "waivers.yaml", "waivers:\n  - rule: DUES-MONTHLY\n    reason: x\n    expires: 2025-13-01\n")
    result = cli("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--waivers", waivers)
    assert result.exit_code == 2
    assert "waivers.yaml 第4行: 不存在的日期「2025-13-01」" in result.stderr and "内部错误" not in result.stderr
    config = write(tmp_path / ".ledgercheck.yaml", "as-of: 2025-02-30\n")
    result = CliRunner().invoke(main, ["audit", str(VIOLATIONS), "--config", str(config), "--lang", "en"])
    assert result.exit_code == 2 and ".ledgercheck.yaml:1: no such date '2025-02-30'" in result.stderr


@pytest.mark.parametrize(("name", "text", "zh", "en"), [
    ("waivers.yaml", "waivers:\n  - rule: DUES-MONTHLY\n    reason: 已批准\n    approver: 王\n    expires: 2027-01-01\n",
     "一条豁免要写 fingerprint，或者写 rule 和 org", "a waiver names a fingerprint, or a rule and an org"),
    ("aliases.yaml", "sheets:\n  foo:\n    columns: {}\n", "未知的表「foo」", "unknown sheet 'foo'"),
    ("aliases.yaml", "values:\n  status:\n    在册: [在编]\n", "「在册」不是 status 的标准取值",
     "'在册' is not a canonical status value"),
])
def test_our_own_checks_of_a_file_speak_both_languages(tmp_path: Path, name: str, text: str, zh: str,
                                                        en: str) -> None:
    """A complaint of ledgercheck's own validators (not pydantic's) in the language asked for, not English in both."""
    path = write(tmp_path / name, text)
    option = "--waivers" if name == "waivers.yaml" else "--aliases"
    chinese = cli("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, option, path)
    assert chinese.exit_code == 2 and zh in chinese.stderr, chinese.stderr
    _chinese_only(chinese.stderr)
    english = cli("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, option, path, "--lang", "en")
    assert english.exit_code == 2 and en in english.stderr, english.stderr


def test_a_section_written_as_a_value_is_said_in_chinese(tmp_path: Path) -> None:
    """An alias file's sheet section written as a value (members: 3): pydantic's "Input should be a valid
    dictionary or instance of _SheetAliases" was shown as it is."""
    aliases = write(tmp_path / "aliases.yaml", "sheets:\n  members: 3\n")
    result = CliRunner().invoke(main, ["audit", str(VIOLATIONS), "--as-of", SAMPLE_AS_OF, "--no-config",
                                       "--aliases", str(aliases)])
    assert result.exit_code == 2
    assert "第2行: sheets.members：应为映射（键: 值）（写的是「3」）" in result.output
    _chinese_only(result.output)
    assert "Input should" not in result.output
