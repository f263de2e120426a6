"""No output of any command, in any format, holds a full ID or phone number unless --show-pii is given.

The ledger puts ID and phone numbers everywhere they can come from: the ID and phone columns (valid, with a bad
check digit, the old 15-digit form, with an X, with spaces), cells the loader cannot read and echoes back (a
phone number as a birth date, an ID number as an organization or a member kind), an organization's name, a
meeting topic, sponsors, and a local rule whose messages print {id_number}, {phone}, {topic} and {sponsors}.
They are spelled as ledgers spell them (separated by full stops, no-break spaces, U+3000, two spaces, zero-width
spaces, grouped 4-4-4-4-2, in brackets, in full-width digits), and the workbook's file name and one of its sheet
names are ID numbers: every location in every report names them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook

from ledgercheck.checks.fields import valid_id_number
from ledgercheck.cli import main
from ledgercheck.common.privacy import SEPARATORS, mask_text
from tests.conftest import SAMPLE_AS_OF

D = dt.date
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(body: str) -> str:
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]


VALID_ID = with_check_digit("11010819800101123")
BAD_CHECK_ID = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
X_ID = next(i for i in (with_check_digit(f"3301061985020{n:04d}") for n in range(200)) if i.endswith("X"))
OLD_ID = "110108800101123"
ID_AS_ORG = with_check_digit("44030519910404001")
ID_AS_KIND = with_check_digit("51010719920505002")
SPONSOR_ID = with_check_digit("32010219930606003")
DUES_ID = with_check_digit("21010219940707004")
MOBILE = "13812345671"
SPACED_MOBILE = "139 8765 4322"
LANDLINE = "010-65123457"
PHONE_AS_DATE = "13712345673"
ORG_PHONE = "0571-88881234"
TOPIC_PHONE = "15912345679"
# The spellings of issue 18 (part 5): the same digits, whatever separates them.
DOT_ID = "110105.19750315.0022"
NBSP_ID = "310115\u00a019820714\u00a00035"
IDEOGRAPHIC_ID = "440306\u300019880909\u30000040"
TWO_SPACES_ID = "510104  19770101  0053"
ZERO_WIDTH_ID = "320583\u200b19660606\u200b0068"
GROUPED_ID = "1102 2819 5404 2000 72"  # 4-4-4-4-2, once shown as 1102 2819 **** 2000 72
DOT_MOBILE = "138.1234.5674"
GROUPED_MOBILE = "1381 2345 675"
BRACKET_MOBILE = "(138)1234-5679"
NBSP_MOBILE = "137\u00a01234\u00a05677"
FULL_WIDTH_MOBILE = "１３６１２３４５６７８"
BRACKET_LANDLINE = "(0571)88881235"
FILE_ID = with_check_digit("33010619900101008")  # the workbook is named after a person's ID number …
SHEET_ID = with_check_digit("11010819701212009")  # … and so is one of its sheets
SPELLED = [DOT_ID, NBSP_ID, IDEOGRAPHIC_ID, TWO_SPACES_ID, ZERO_WIDTH_ID, GROUPED_ID, DOT_MOBILE, GROUPED_MOBILE,
           BRACKET_MOBILE, NBSP_MOBILE, FULL_WIDTH_MOBILE, BRACKET_LANDLINE]
SECRETS = [VALID_ID, BAD_CHECK_ID, X_ID, OLD_ID, ID_AS_ORG, ID_AS_KIND, SPONSOR_ID, DUES_ID, MOBILE, SPACED_MOBILE,
           LANDLINE, PHONE_AS_DATE, ORG_PHONE, TOPIC_PHONE, *SPELLED, FILE_ID, SHEET_ID]

PACK = """
name: privacy-test
version: "1"
title: {zh: 隐私测试, en: privacy test}
extends: national
"""
RULES = """
rules:
  - id: LOCAL-PRINTS-MEMBER
    title: {zh: 打印党员信息, en: prints member data}
    severity: warning
    source: {regulation: PRACTICE}
    check: {kind: expression, sheet: members, require: "name == '' || id_number == phone"}
    message: {zh: "党员{name} 身份证{id_number} 电话{phone}", en: "member {name} ID {id_number} phone {phone}"}
  - id: LOCAL-PRINTS-MEETING
    title: {zh: 打印会议主题, en: prints meeting topics}
    severity: warning
    source: {regulation: PRACTICE}
    check: {kind: expression, sheet: meetings, require: "topic == null || topic == ''"}
    message: {zh: "会议主题：{topic}", en: "topic: {topic}"}
  - id: LOCAL-PRINTS-RECRUIT
    title: {zh: 打印介绍人, en: prints sponsors}
    severity: warning
    source: {regulation: PRACTICE}
    check: {kind: expression, sheet: recruits, require: "name == null || id_number == null || size(sponsors) > 9"}
    message: {zh: "{name} 身份证{id_number} 介绍人{sponsors}", en: "{name} ID {id_number} sponsors {sponsors}"}
"""


def build_ledger(path: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    sheets = {
        "组织": [["组织编号", "组织名称", "组织类型", "成立日期", "本届选举日期", "书记", "支委会委员人数"],
                 ["B01", f"第一党支部（电话{ORG_PHONE}，{BRACKET_LANDLINE}）", "党支部", D(2015, 3, 1), D(2024, 6, 1),
                  "张伟", 3]],
        "党员": [["姓名", "身份证号", "出生日期", "所在组织编号", "党员类别", "入党日期", "转正日期", "联系电话"],
                 ["张伟", VALID_ID, D(1980, 1, 1), "B01", "正式党员", D(2005, 7, 1), D(2006, 7, 1), MOBILE],
                 ["李娜", BAD_CHECK_ID, D(1985, 2, 2), "B01", "正式党员", D(2010, 7, 1), D(2011, 7, 1), SPACED_MOBILE],
                 ["王芳", OLD_ID, D(1980, 1, 1), "B01", "正式党员", D(2015, 7, 1), D(2016, 7, 1), LANDLINE],
                 ["赵强", X_ID, PHONE_AS_DATE, "B01", "正式党员", D(2016, 7, 1), D(2017, 7, 1), ""],
                 ["钱多", "", D(1991, 4, 4), ID_AS_ORG, "正式党员", D(2017, 7, 1), D(2018, 7, 1), ""],
                 ["孙丽", "", D(1992, 5, 5), "B01", ID_AS_KIND, D(2018, 7, 1), D(2019, 7, 1), ""],
                 ["吴敏", DOT_ID, D(1975, 3, 15), "B01", "正式党员", D(2000, 7, 1), D(2001, 7, 1), DOT_MOBILE],
                 ["郑洁", NBSP_ID, D(1982, 7, 14), "B01", "正式党员", D(2001, 7, 1), D(2002, 7, 1), GROUPED_MOBILE],
                 ["冯刚", IDEOGRAPHIC_ID, D(1988, 9, 9), "B01", "正式党员", D(2002, 7, 1), D(2003, 7, 1), BRACKET_MOBILE],
                 ["陈静", TWO_SPACES_ID, D(1977, 1, 1), "B01", "正式党员", D(2003, 7, 1), D(2004, 7, 1), NBSP_MOBILE],
                 ["褚亮", ZERO_WIDTH_ID, D(1966, 6, 6), "B01", "正式党员", D(2004, 7, 1), D(2005, 7, 1),
                  FULL_WIDTH_MOBILE],
                 ["卫东", GROUPED_ID, DOT_MOBILE, "B01", "正式党员", D(2005, 7, 1), D(2006, 7, 1), ""]],
        "组织生活": [["组织编号", "活动类型", "日期", "应到人数", "实到人数", "主题"],
                     ["B01", "支部党员大会", D(2025, 3, 10), 6, 6, f"联系人电话{TOPIC_PHONE}"],
                     ["B01", "支部委员会", D(2025, 4, 10), 3, 3, f"联系人{FULL_WIDTH_MOBILE}、{GROUPED_ID}"]],
        "党费": [["姓名", "身份证号", "组织编号", "所属月份", "缴费基数", "应缴金额", "实缴金额"],
                 ["张伟", DUES_ID, "B01", "2025-03", 8000, 40, 40]],
        f"发展党员{SHEET_ID}": [["姓名", "身份证号", "组织编号", "入党申请日期", "入党介绍人"],
                                ["周新", SPONSOR_ID, "B01", D(2024, 1, 5), f"张伟、{SPONSOR_ID}"]],
        f"通讯录{NBSP_MOBILE}": [["备注"], ["不是台账的一张表：只有名称会出现在报告中"]],  # named as written
    }
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("privacy")
    (folder / "units").mkdir()
    ledger = build_ledger(folder / "units" / f"台账{FILE_ID}.xlsx")
    pack = folder / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(PACK, "utf-8")
    (pack / "local.yaml").write_text(RULES, "utf-8")
    return ledger, pack


def run(*args: object) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def texts_of(path: Path) -> str:
    """A file's text; an .xlsx as all its XML parts (cells, shared strings, comments)."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                             if n.endswith((".xml", ".vml", ".rels")))
    return path.read_text("utf-8")


def ours_in_copy(path: Path) -> str:
    """What ledgercheck wrote into the marked-up copy: the findings sheet and every comment (the rest of the
    copy is the user's own data, kept as it was)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    findings = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value is not None]
    with zipfile.ZipFile(path) as archive:
        comments = [archive.read(n).decode("utf-8") for n in archive.namelist() if "comments" in n]
    assert comments, "the copy has comments"
    return "\n".join(findings + comments)


_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACING = re.compile(f"[{SEPARATORS}()（）\\\\]")  # what may stand between digits, and Markdown's backslashes


def plain(text: str) -> str:
    """Digits in ASCII with nothing between them: a number however it was written."""
    return _SPACING.sub("", text.translate(_DIGITS))


def leaks(text: str) -> list[str]:
    flat = plain(text)
    return [s for s in SECRETS if s in text or plain(s) in flat]


def test_the_secrets_are_what_they_say() -> None:
    assert valid_id_number(VALID_ID) and not valid_id_number(BAD_CHECK_ID) and X_ID.endswith("X")
    for secret in SECRETS:
        assert mask_text(secret) != secret


def all_outputs(ledger: Path, pack: Path, out: Path, *pii: str) -> dict[str, str]:
    """Every command in every format: name → stdout + stderr, and the text of every file written."""
    outputs: dict[str, str] = {}
    common = ["--as-of", SAMPLE_AS_OF, "--rules", pack, "--no-config", *pii]
    for format_ in ("table", "json", "sarif", "junit", "csv", "markdown", "html"):
        for lang in ("zh", "en"):
            result = run("audit", ledger, *common, "--format", format_, "--lang", lang)
            assert result.exit_code == 2  # the unreadable cells
            outputs[f"audit {format_} {lang}"] = result.stdout + result.stderr
    report, copy = out / "report.json", out / "marked.xlsx"
    result = run("audit", ledger, *common, "--format", "json", "--output", report, "--annotate", copy)
    outputs["audit --output --annotate"] = result.output
    outputs["report.json"] = texts_of(report)
    outputs["marked.xlsx findings and comments"] = ours_in_copy(copy)
    for format_ in ("table", "json"):
        result = run("remind", ledger, "--as-of", SAMPLE_AS_OF, "--rules", pack, "--format", format_, *pii)
        outputs[f"remind {format_}"] = result.output
    for format_ in ("table", "json"):  # names, headers, samples and input problems, as the audit masks them
        result = run("inspect", ledger, "--no-config", "--format", format_, *pii)
        outputs[f"inspect {format_}"] = result.output
    scan_args = ["scan", ledger.parent, "--as-of", SAMPLE_AS_OF, "--rules", pack, "--quiet", "--jobs", "1", *pii]
    outputs["scan table"] = run(*scan_args).output
    for suffix in ("json", "xlsx", "html"):
        target = out / f"scan.{suffix}"
        outputs[f"scan {suffix}"] = run(*scan_args, "--output", target).output + texts_of(target)
    return outputs


def test_nothing_leaks_by_default(setup: tuple[Path, Path], tmp_path: Path) -> None:
    ledger, pack = setup
    outputs = all_outputs(ledger, pack, tmp_path)
    for name, text in outputs.items():
        assert not leaks(text), (name, leaks(text))
    report = json.loads(outputs["report.json"])
    messages = " ".join(f["message"] for f in report["findings"]) + " ".join(i["message"]
                                                                             for i in report["input_issues"])
    # The masked forms are there: the data was printed, and masked.
    assert mask_text(VALID_ID) in messages and VALID_ID[:6] + "********" + VALID_ID[-4:] in messages
    assert "138****5671" in messages and mask_text(PHONE_AS_DATE) in messages and mask_text(ID_AS_ORG) in messages
    codes = {i["code"] for i in report["input_issues"]}
    assert {"INPUT-BAD-DATE", "INPUT-UNKNOWN-ORG", "INPUT-BAD-VALUE"} <= codes
    # The copy keeps the user's own data: the members sheet still holds the real ID numbers.
    copy = tmp_path / "marked.xlsx"
    from openpyxl import load_workbook

    book = load_workbook(copy)
    assert book["党员"]["B2"].value == VALID_ID and book["党员"]["C5"].value == PHONE_AS_DATE
    assert mask_text(PHONE_AS_DATE) in outputs["marked.xlsx findings and comments"]
    # File and sheet names are masked in every location, as written (the no-break spaces stay) …
    assert report["file"].endswith(f"台账{mask_text(FILE_ID)}.xlsx") and mask_text(FILE_ID) == "330106********0085"
    sheets = {(i.get("location") or {}).get("sheet") for i in [*report["findings"], *report["input_issues"]]}
    assert {f"发展党员{mask_text(SHEET_ID)}", f"通讯录{mask_text(NBSP_MOBILE)}"} <= sheets
    assert mask_text(NBSP_MOBILE) == "137\u00a0****\u00a05677"
    # … and the copy still marks the cells of the sheet whose name the report shows masked, and links to them.
    recruits = book[f"发展党员{SHEET_ID}"]
    assert recruits["A2"].comment is not None and "LOCAL-PRINTS-RECRUIT" in recruits["A2"].comment.text
    links = [c.hyperlink.location for row in book.worksheets[0].iter_rows() for c in row if c.hyperlink]
    assert f"'发展党员{SHEET_ID}'!A2" in links
    # Cell text as written: the spellings reach the messages, masked digit for digit.
    assert "138.****.5674" in messages and "(138)****-5679" in messages and "1102 28** **** **00 72" in messages
    assert "110105.********.0022" in messages and "(0571)****1235" in json.dumps(report, ensure_ascii=False)


def test_show_pii_reveals(setup: tuple[Path, Path], tmp_path: Path) -> None:
    ledger, pack = setup
    result = run("audit", ledger, "--as-of", SAMPLE_AS_OF, "--rules", pack, "--no-config", "--format", "json",
                 "--show-pii")
    for secret in (VALID_ID, BAD_CHECK_ID, MOBILE, PHONE_AS_DATE, ID_AS_ORG, TOPIC_PHONE):
        assert secret in result.stdout, secret
    result = run("remind", ledger, "--as-of", SAMPLE_AS_OF, "--format", "json", "--show-pii")
    assert PHONE_AS_DATE in result.stdout  # the unreadable birth date, echoed in full
    target = tmp_path / "scan.json"
    run("scan", ledger.parent, "--as-of", SAMPLE_AS_OF, "--rules", pack, "--quiet", "--jobs", "1", "--show-pii",
        "--output", target)
    assert VALID_ID in target.read_text("utf-8")


def test_the_configuration_can_reveal(setup: tuple[Path, Path], tmp_path: Path) -> None:
    ledger, pack = setup
    config = tmp_path / "config.yaml"
    config.write_text("show-pii: true\n", "utf-8")
    result = run("audit", ledger, "--as-of", SAMPLE_AS_OF, "--rules", pack, "--config", config, "--format", "json")
    assert VALID_ID in result.stdout
    result = run("audit", ledger, "--as-of", SAMPLE_AS_OF, "--rules", pack, "--config", config, "--format", "json",
                 "--mask-pii")
    assert not leaks(result.stdout)


def test_diff_masks_reports_written_with_show_pii(setup: tuple[Path, Path], tmp_path: Path) -> None:
    ledger, pack = setup
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    for target in (old, new):
        run("audit", ledger, "--as-of", SAMPLE_AS_OF, "--rules", pack, "--no-config", "--format", "json",
            "--show-pii", "--output", target)
    assert VALID_ID in old.read_text("utf-8")
    for format_ in ("table", "markdown", "json"):
        result = run("diff", old, new, "--format", format_)
        assert not leaks(result.output), (format_, leaks(result.output))
    assert VALID_ID in run("diff", old, new, "--format", "json", "--show-pii").output


def test_error_messages_are_masked(tmp_path: Path) -> None:
    """A message about a file (here, a sheet name holding a phone number, in a file named after an ID number) is
    masked like any output."""
    book = Workbook()
    book.active.title = f"联系{MOBILE}"
    book.active.append(["x"])
    book.create_sheet(f"电话{DOT_MOBILE}").append(["y"])
    path = tmp_path / f"no-orgs{FILE_ID}.xlsx"
    book.save(path)
    result = run("audit", path, "--no-config")
    assert result.exit_code == 2 and not leaks(result.output)
    assert mask_text(FILE_ID) in result.output
    broken = tmp_path / f"坏{GROUPED_ID}.xlsx"
    broken.write_bytes(b"not a workbook")
    result = run("audit", broken, "--no-config")
    assert result.exit_code == 2 and not leaks(result.output) and mask_text(GROUPED_ID) in result.output


def test_masked_reports_keep_every_fingerprint(setup: tuple[Path, Path]) -> None:
    """Fingerprints are computed from the real values before masking: a baseline written with --show-pii matches a
    masked audit, even of a workbook and sheet named after ID numbers."""
    ledger, pack = setup
    args = ["audit", ledger, "--as-of", SAMPLE_AS_OF, "--rules", pack, "--no-config", "--format", "json"]
    masked, shown = json.loads(run(*args).stdout), json.loads(run(*args, "--show-pii").stdout)
    assert [f["fingerprint"] for f in masked["findings"]] == [f["fingerprint"] for f in shown["findings"]]
    assert masked["file"] != shown["file"] and any(SHEET_ID in json.dumps(f["location"], ensure_ascii=False)
                                                   for f in shown["findings"])


def test_masking_keeps_fingerprints() -> None:
    assert mask_text("2c0c1d0a4f6e9b3a7d21") == "2c0c1d0a4f6e9b3a7d21"
    assert re.fullmatch(r"110108\*{8}1234", mask_text("110108199001011234"))
    assert mask_text("138-1234-5678") == "138-****-5678"
