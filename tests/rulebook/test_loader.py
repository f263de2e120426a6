"""Rule-pack loading: the national pack, located errors (file and 1-based line), extends/overrides/disable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ledgercheck.common.errors import RulePackError
from ledgercheck.findings.severity import Severity
from ledgercheck.rulebook.loader import load_rulebook
from tests.conftest import RULES

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

MANIFEST = """\
name: local
version: "1.0"
title: {zh: 本地规则包, en: Local pack}
regulations:
  REG:
    title: {zh: 某省党支部工作实施细则, en: Provincial Branch Work Rules}
    short: {zh: 实施细则, en: Provincial Rules}
"""

RULE = """\
  - id: LOCAL-STUDY-MONTHLY
    title: {zh: 每月组织集中学习, en: Group study every month}
    severity: error
    source: {regulation: REG, article: 第八条}
    check:
      kind: frequency
      activity: [集中学习]
      period: month
      min: 1
    message:
      zh: "{org}在{period}未组织集中学习"
      en: "{org} held no group study in {period}"
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the `occurrence`-th match of `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not in the fixture text"
    return hits[occurrence - 1]


def write_pack(root: Path, manifest: str = MANIFEST, files: dict[str, str] | None = None,
               name: str = "local") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    for file_name, text in (files if files is not None else {"study.yaml": "rules:\n" + RULE}).items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


def rule_file(*rules: str) -> str:
    return "rules:\n" + "".join(rules)


def load_error(reference: Path | str) -> RulePackError:
    with pytest.raises(RulePackError) as info:
        load_rulebook(str(reference))
    return info.value


def assert_located(error: RulePackError, path: Path, line: int) -> None:
    assert error.location is not None, error.describe("en")
    assert Path(error.location.file).resolve() == path.resolve(), error.describe("en")
    assert error.location.line == line, error.describe("en")
    # Both languages name the place: `file:line` in English, `file 第N行` in Chinese.
    assert error.describe("en").startswith(f"rule pack error: {error.location.file}:{line}: ")
    assert error.describe("zh").startswith(f"规则包错误: {error.location.file} 第{line}行: ")


# ---------------------------------------------------------------- the national pack


def test_national_pack_rules_are_bilingual_and_cite_registered_regulations(national) -> None:
    assert [name for name, _version in national.packs] == ["national"]
    assert len(national.rules) >= 20
    for rule_id, loaded in national.rules.items():
        rule = loaded.rule
        assert rule.id == rule_id
        for text in (rule.title, rule.message):
            assert text.zh.strip() and text.en.strip(), rule_id
            assert CJK.search(text.zh), f"{rule_id}: Chinese text without Chinese"
            assert not CJK.search(text.en), f"{rule_id}: English text contains Chinese: {text.en}"
        for source in rule.source:
            assert source.regulation in national.regulations, rule_id
        for short in (False, True):
            citation = national.citation(rule, short=short)
            assert citation.zh.startswith("《") and "》" in citation.zh, (rule_id, citation.zh)
            assert citation.zh.count("《") == len(rule.source)
            assert citation.en.strip() and not CJK.search(citation.en), (rule_id, citation.en)
            assert "{" not in citation.zh + citation.en


def test_national_rule_locations_point_at_their_id_lines(national) -> None:
    for rule_id, loaded in national.rules.items():
        location = loaded.location
        assert location.file.startswith("rules/national/") and location.file.endswith(".yaml")
        path = RULES.parent / location.file
        lines = path.read_text(encoding="utf-8").splitlines()
        assert f"id: {rule_id}" in lines[location.line - 1], (rule_id, location)


def test_national_citations_render_article_numbers_in_english(national) -> None:
    citation = national.citation(national.rules["MEET-COMMITTEE-MONTHLY"].rule)
    assert citation.zh == "《中国共产党支部工作条例（试行）》第十二条"
    assert citation.en == "Regulations on the Work of Party Branches (Trial), Art. 12"
    short = national.citation(national.rules["MEET-COMMITTEE-MONTHLY"].rule, short=True)
    assert short.zh == "《支部工作条例》第十二条"


def test_a_minimal_local_pack_loads(tmp_path: Path) -> None:
    book = load_rulebook(str(write_pack(tmp_path)))
    assert book.packs == [("local", "1.0")]
    assert list(book.rules) == ["LOCAL-STUDY-MONTHLY"]
    assert book.citation(book.rules["LOCAL-STUDY-MONTHLY"].rule).zh == "《某省党支部工作实施细则》第八条"
    assert book.rules["LOCAL-STUDY-MONTHLY"].location.line == 2  # `- id:` is line 2 of study.yaml


def test_a_pack_can_be_named_by_its_pack_yaml(tmp_path: Path) -> None:
    folder = write_pack(tmp_path)
    assert list(load_rulebook(str(folder / "pack.yaml")).rules) == ["LOCAL-STUDY-MONTHLY"]


# ---------------------------------------------------------------- located errors in rule files


def test_yaml_syntax_error(tmp_path: Path) -> None:
    text = rule_file(RULE.replace("    severity: error\n", "    severity: error: fatal\n"))
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    assert_located(error, folder / "study.yaml", line_of(text, "severity: error: fatal"))
    assert "YAML syntax error" in error.describe("en")
    assert "YAML 语法错误" in error.describe("zh")


def test_yaml_syntax_error_in_pack_yaml(tmp_path: Path) -> None:
    manifest = MANIFEST + "disable: [A, B\nfoo: bar\n"
    folder = write_pack(tmp_path, manifest=manifest)
    error = load_error(folder)
    assert error.location is not None and Path(error.location.file).name == "pack.yaml"
    assert error.location.line in (line_of(manifest, "disable:"), line_of(manifest, "foo: bar"))


def test_unknown_top_level_key_in_a_rule(tmp_path: Path) -> None:
    text = rule_file(RULE + "    colour: red\n")
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    assert_located(error, folder / "study.yaml", line_of(text, "colour: red"))
    assert "colour" in error.describe("en")
    assert "不认识的键" in error.describe("zh")


def test_unknown_check_kind(tmp_path: Path) -> None:
    text = rule_file(RULE.replace("      kind: frequency\n", "      kind: fortnightly\n"))
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    assert error.location is not None and Path(error.location.file) == (folder / "study.yaml").resolve()
    # The discriminator error is about `check` (or its kind): either line names the place.
    assert error.location.line in (line_of(text, "check:"), line_of(text, "kind: fortnightly"))
    assert "fortnightly" in error.describe("en")
    assert "未知的检查类型" in error.describe("zh")


def test_bad_parameter_value(tmp_path: Path) -> None:
    text = rule_file(RULE.replace("period: month", "period: fortnight"))
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    assert_located(error, folder / "study.yaml", line_of(text, "period: fortnight"))
    assert "period" in error.describe("en")


def test_bad_parameter_value_in_the_second_rule_of_the_second_file(tmp_path: Path) -> None:
    second = RULE.replace("LOCAL-STUDY-MONTHLY", "LOCAL-STUDY-TWICE").replace("min: 1", "min: -2")
    text = rule_file(RULE.replace("LOCAL-STUDY-MONTHLY", "LOCAL-STUDY-ONE"), second)
    folder = write_pack(tmp_path, files={"a.yaml": rule_file(RULE), "b.yaml": text})
    error = load_error(folder)
    assert_located(error, folder / "b.yaml", line_of(text, "min: -2"))


def test_message_placeholder_the_kind_does_not_offer(tmp_path: Path) -> None:
    text = rule_file(RULE.replace('en: "{org} held no group study in {period}"',
                                  'en: "{org} held no group study in {period} ({deadline})"'))
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    # A rule-level check: the error points into the rule (its first line or the message).
    assert error.location is not None and Path(error.location.file) == (folder / "study.yaml").resolve()
    assert error.location.line in (line_of(text, "- id:"), line_of(text, "message:"), line_of(text, "({deadline})"))
    assert "deadline" in error.describe("en") and "message.en" in error.describe("en")


@pytest.mark.parametrize("placeholder", ["{org.__class__}", "{org[0]}", "{org!r}", "{count:>5}"])
def test_message_placeholder_that_is_not_a_plain_name(tmp_path: Path, placeholder: str) -> None:
    text = rule_file(RULE.replace('zh: "{org}在{period}未组织集中学习"', f'zh: "{placeholder}在{{period}}未组织集中学习"'))
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    assert error.location is not None and Path(error.location.file) == (folder / "study.yaml").resolve()
    assert error.location.line in (line_of(text, "- id:"), line_of(text, "message:"), line_of(text, placeholder))
    assert "message.zh" in error.describe("en")
    assert "plain name" in error.describe("en")


def test_missing_english_message(tmp_path: Path) -> None:
    text = rule_file(RULE.replace('      en: "{org} held no group study in {period}"\n', ""))
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    assert_located(error, folder / "study.yaml", line_of(text, "message:"))
    assert "message.en" in error.describe("en")
    assert "缺少必填项" in error.describe("zh")


def test_duplicate_rule_id_names_the_first_place(tmp_path: Path) -> None:
    first = rule_file(RULE)
    second = rule_file(RULE.replace("LOCAL-STUDY-MONTHLY", "LOCAL-OTHER"), RULE)
    folder = write_pack(tmp_path, files={"a.yaml": first, "b.yaml": second})
    error = load_error(folder)
    assert_located(error, folder / "b.yaml", line_of(second, "id: LOCAL-STUDY-MONTHLY"))
    assert "LOCAL-STUDY-MONTHLY" in error.describe("en")
    assert f"a.yaml:{line_of(first, 'id: LOCAL-STUDY-MONTHLY')}" in error.describe("en")
    assert f"a.yaml:{line_of(first, 'id: LOCAL-STUDY-MONTHLY')}" in error.describe("zh")


def test_duplicate_rule_id_of_a_base_pack_rule_names_the_base_file(tmp_path: Path) -> None:
    manifest = MANIFEST + "extends: national\n"
    text = rule_file(RULE.replace("LOCAL-STUDY-MONTHLY", "MEET-COMMITTEE-MONTHLY"))
    folder = write_pack(tmp_path, manifest=manifest, files={"meet.yaml": text})
    error = load_error(folder)
    assert_located(error, folder / "meet.yaml", line_of(text, "id: MEET-COMMITTEE-MONTHLY"))
    national_text = (RULES / "national" / "meetings.yaml").read_text(encoding="utf-8")
    assert f"rules/national/meetings.yaml:{line_of(national_text, 'id: MEET-COMMITTEE-MONTHLY')}" \
        in error.describe("en")


def test_duplicate_key_in_a_mapping(tmp_path: Path) -> None:
    text = rule_file(RULE.replace("    severity: error\n", "    severity: error\n    severity: warning\n"))
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    assert_located(error, folder / "study.yaml", line_of(text, "severity: warning"))
    assert f"first on line {line_of(text, 'severity: error')}" in error.describe("en")
    assert "重复" in error.describe("zh")


def test_duplicate_key_in_pack_yaml(tmp_path: Path) -> None:
    manifest = MANIFEST + 'version: "2.0"\n'
    folder = write_pack(tmp_path, manifest=manifest)
    error = load_error(folder)
    assert_located(error, folder / "pack.yaml", line_of(manifest, 'version: "2.0"'))
    assert "'version'" in error.describe("en")


def test_citation_of_an_unregistered_regulation(tmp_path: Path) -> None:
    text = rule_file(RULE.replace("    source: {regulation: REG, article: 第八条}\n",
                                  "    source:\n      - {regulation: REG, article: 第八条}\n"
                                  "      - {regulation: NO-SUCH-REG, article: 第九条}\n"))
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    assert_located(error, folder / "study.yaml", line_of(text, "NO-SUCH-REG"))
    assert "NO-SUCH-REG" in error.describe("en") and "REG" in error.describe("en")
    assert "未登记的法规" in error.describe("zh")


def test_a_local_rule_may_cite_a_regulation_of_the_base_pack(tmp_path: Path) -> None:
    manifest = MANIFEST + "extends: national\n"
    text = rule_file(RULE.replace("{regulation: REG, article: 第八条}", "{regulation: S-ZB, article: 第十二条}"))
    book = load_rulebook(str(write_pack(tmp_path, manifest=manifest, files={"study.yaml": text})))
    assert book.citation(book.rules["LOCAL-STUDY-MONTHLY"].rule).zh == "《中国共产党支部工作条例（试行）》第十二条"


# ---------------------------------------------------------------- located errors in pack.yaml


def test_extends_of_an_unknown_pack(tmp_path: Path) -> None:
    manifest = MANIFEST + "extends: provincial-nowhere\n"
    folder = write_pack(tmp_path, manifest=manifest)
    error = load_error(folder)
    assert_located(error, folder / "pack.yaml", line_of(manifest, "extends:"))
    assert "provincial-nowhere" in error.describe("en")
    assert "national" in error.describe("en")  # it lists the built-in packs


def test_overrides_of_an_unknown_rule(tmp_path: Path) -> None:
    manifest = MANIFEST + "extends: national\noverrides:\n  MEET-NO-SUCH-RULE:\n    severity: warning\n"
    folder = write_pack(tmp_path, manifest=manifest)
    error = load_error(folder)
    assert_located(error, folder / "pack.yaml", line_of(manifest, "MEET-NO-SUCH-RULE:"))
    assert "MEET-NO-SUCH-RULE" in error.describe("en")


def test_disable_of_an_unknown_rule(tmp_path: Path) -> None:
    manifest = MANIFEST + "extends: national\ndisable:\n  - MEET-HEART-TALK-ANNUAL\n  - MEET-NO-SUCH-RULE\n"
    folder = write_pack(tmp_path, manifest=manifest)
    error = load_error(folder)
    assert_located(error, folder / "pack.yaml", line_of(manifest, "- MEET-NO-SUCH-RULE"))
    assert "MEET-NO-SUCH-RULE" in error.describe("en")


def test_unknown_key_in_pack_yaml(tmp_path: Path) -> None:
    manifest = MANIFEST + "extend: national\n"
    folder = write_pack(tmp_path, manifest=manifest)
    assert_located(load_error(folder), folder / "pack.yaml", line_of(manifest, "extend:"))


def test_missing_pack_folder_is_a_rule_pack_error(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nowhere")
    assert "nowhere" in error.describe("en")


def cycle(tmp_path: Path) -> tuple[Path, Path]:
    a = write_pack(tmp_path, manifest=MANIFEST.replace("name: local", "name: pack-a") + "extends: pack-b\n",
                   name="pack-a")
    b = write_pack(tmp_path, manifest=MANIFEST.replace("name: local", "name: pack-b") + "extends: pack-a\n",
                   files={}, name="pack-b")
    return a, b


def test_a_cycle_of_packs_is_an_error_naming_the_packs(tmp_path: Path) -> None:
    a, _b = cycle(tmp_path)
    error = load_error(a)
    assert "cycle" in error.describe("en")
    assert "pack-a" in error.describe("en") and "pack-b" in error.describe("en")
    assert "循环" in error.describe("zh")


def test_a_cycle_of_packs_names_the_extends_line(tmp_path: Path) -> None:
    a, b = cycle(tmp_path)
    error = load_error(a)
    assert error.location is not None
    assert Path(error.location.file).resolve() in {(a / "pack.yaml").resolve(), (b / "pack.yaml").resolve()}
    manifest = Path(error.location.file).read_text(encoding="utf-8")
    assert error.location.line == line_of(manifest, "extends:")


# ---------------------------------------------------------------- a local pack extending national

LOCAL_MANIFEST = """\
name: local
version: "2026.1"
title: {zh: 某省机关党建规则包, en: Provincial organs pack}
extends: national
regulations:
  REG:
    title: {zh: 某省党支部工作实施细则, en: Provincial Branch Work Rules}
overrides:
  MEET-PARTY-LECTURE:
    severity: warning
    check:
      min: 2
disable:
  - MEET-HEART-TALK-ANNUAL
"""


def test_local_pack_extends_overrides_disables_and_adds(tmp_path: Path, national) -> None:
    folder = write_pack(tmp_path, manifest=LOCAL_MANIFEST)
    book = load_rulebook(str(folder))

    assert book.packs == [national.packs[0], ("local", "2026.1")]
    assert [p.name for p in book.directories] == ["national", "local"]

    lecture = book.rules["MEET-PARTY-LECTURE"]
    assert lecture.rule.check.min == 2
    assert lecture.rule.severity is Severity.WARNING
    base = national.rules["MEET-PARTY-LECTURE"].rule
    # The override is merged into the base rule: everything not named stays as it was.
    assert lecture.rule.check.period == base.check.period
    assert lecture.rule.check.activity == base.check.activity
    assert lecture.rule.title == base.title and lecture.rule.message == base.message
    assert lecture.pack == "local"

    assert "MEET-HEART-TALK-ANNUAL" not in book.rules
    assert "LOCAL-STUDY-MONTHLY" in book.rules and book.rules["LOCAL-STUDY-MONTHLY"].pack == "local"
    assert list(book.rules)[-1] == "LOCAL-STUDY-MONTHLY"  # base pack first, then the local pack's rules
    assert set(book.rules) == (set(national.rules) - {"MEET-HEART-TALK-ANNUAL"}) | {"LOCAL-STUDY-MONTHLY"}
    assert {r: loaded.rule for r, loaded in book.rules.items() if r not in {"MEET-PARTY-LECTURE", "LOCAL-STUDY-MONTHLY"}} \
        == {r: loaded.rule for r, loaded in national.rules.items() if r not in {"MEET-PARTY-LECTURE", "MEET-HEART-TALK-ANNUAL"}}

    assert set(national.regulations) | {"REG"} == set(book.regulations)
    assert book.citation(book.rules["LOCAL-STUDY-MONTHLY"].rule).en == "Provincial Branch Work Rules, Art. 8"


def test_loading_a_local_pack_leaves_the_national_pack_unchanged(tmp_path: Path) -> None:
    load_rulebook(str(write_pack(tmp_path, manifest=LOCAL_MANIFEST)))
    fresh = load_rulebook("national")
    assert fresh.rules["MEET-PARTY-LECTURE"].rule.check.min == 1
    assert fresh.rules["MEET-PARTY-LECTURE"].rule.severity is Severity.INFO
    assert "MEET-HEART-TALK-ANNUAL" in fresh.rules and "LOCAL-STUDY-MONTHLY" not in fresh.rules


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("      min: 2\n", "      min: 0\n", "min: 0"),
    ("      min: 2\n", "      min: 2\n      period: fortnight\n", "period: fortnight"),
    ("    severity: warning\n", "    severity: fatal\n", "severity: fatal"),
    ("      min: 2\n", "      min: 2\n      every: 3\n", "every: 3"),
])
def test_an_override_that_makes_a_rule_invalid_names_the_override_line(tmp_path: Path, old: str, new: str,
                                                                       needle: str) -> None:
    manifest = LOCAL_MANIFEST.replace(old, new)
    folder = write_pack(tmp_path, manifest=manifest)
    assert_located(load_error(folder), folder / "pack.yaml", line_of(manifest, needle))


def test_an_override_cannot_change_a_rule_id(tmp_path: Path) -> None:
    manifest = LOCAL_MANIFEST.replace("    severity: warning\n", "    id: MEET-OTHER-LECTURE\n")
    folder = write_pack(tmp_path, manifest=manifest)
    error = load_error(folder)
    assert error.location is not None and Path(error.location.file).name == "pack.yaml"
    assert error.location.line in (line_of(manifest, "MEET-PARTY-LECTURE:"), line_of(manifest, "id: MEET-OTHER"))


@pytest.mark.parametrize(("old", "new", "needle"), [
    ('en: "{org} held no group study in {period}"', 'en: "{org} held no group study in {deadline}"', "{deadline}"),
    ('zh: "{org}在{period}未组织集中学习"', 'zh: "{org.__class__}在{period}未组织集中学习"', "{org.__class__}"),
])
def test_message_placeholder_errors_name_the_message_line(tmp_path: Path, old: str, new: str, needle: str) -> None:
    text = rule_file(RULE.replace(old, new))
    folder = write_pack(tmp_path, files={"study.yaml": text})
    error = load_error(folder)
    assert_located(error, folder / "study.yaml", line_of(text, needle))
    assert not error.describe("en").split(": ", 2)[2].startswith("file:")
