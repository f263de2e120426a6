"""`scan --expected`: the inspector's list of units that should report, read from the files inspectors keep and
matched with the workbooks that came in. What an inspector checks: every listed unit is either reported or named
as not reporting, every file either matches a listed unit or is named as not on the list, and the list itself is
read whole (a row it passes over is said, with its cell)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.units import make_units, unit_tables
from ledgercheck.app.roll import load_roll
from ledgercheck.cli import main
from ledgercheck.common.errors import UsageError
from ledgercheck.findings.scan.roll import SHORTEST, Roll, RollEntry, ScannedUnit, _unit_keys, check_roll, name_key
from ledgercheck.ingest.roll import read_roll
from ledgercheck.template.writer import write_workbook
from tests.conftest import SAMPLE_AS_OF


def _roll(*names: str) -> Roll:
    return Roll("名单.xlsx", [RollEntry(name, f"Sheet1!A{i + 2}") for i, name in enumerate(names)])


def _names(check, part: str) -> list[str]:
    if part == "reported":
        return [e.name for e, _files in check.reported]
    if part == "not_reported":
        return [e.name for e in check.not_reported]
    return [f.path for f in check.unlisted]


def test_a_name_written_the_same_way_is_matched_before_a_name_inside_another() -> None:
    files = [ScannedUnit("a.xlsx", "市财政局机关党委"), ScannedUnit("b.xlsx", "财政局机关党支部"),
             ScannedUnit("c.xlsx", "区审计局机关党委")]
    check = check_roll(_roll("财政局机关党支部", "市财政局", "审计局", "东城区教育局"), files)
    found = {e.name: [f.path for f in fs] for e, fs in check.reported}
    # 财政局机关党支部 is b.xlsx by its exact name; 市财政局 is inside a.xlsx's name only; 审计局 inside c.xlsx's.
    assert found == {"财政局机关党支部": ["b.xlsx"], "市财政局": ["a.xlsx"], "审计局": ["c.xlsx"]}
    assert _names(check, "not_reported") == ["东城区教育局"]
    assert check.unlisted == []


def test_width_case_spaces_and_punctuation_do_not_matter() -> None:
    assert name_key("ＸＸ市 财政局（机关党委）") == name_key("xx市财政局机关党委")
    check = check_roll(_roll("ＸＸ市 财政局（机关党委）"), [ScannedUnit("u.xlsx", "xx市财政局机关党委")])
    assert _names(check, "reported") == ["ＸＸ市 财政局（机关党委）"]


@pytest.mark.parametrize("official, usual", [
    ("中共某市财政局机关委员会", "某市财政局机关党委"), ("中国共产党某市财政局机关委员会", "某市财政局机关党委"),
    ("中共某市审计局机关总支部委员会", "某市审计局机关党总支"), ("中共某市统计局机关支部委员会", "某市统计局机关党支部"),
    ("中共某市卫生健康委员会机关委员会", "某市卫生健康委员会机关党委"),
])
def test_an_official_name_is_the_usual_one(official: str, usual: str) -> None:
    assert name_key(official) == name_key(usual)
    check = check_roll(_roll(official), [ScannedUnit("u.xlsx", usual)])
    assert _names(check, "reported") == [official] and check.unlisted == []


def test_a_government_body_named_committee_is_not_taken_for_a_party_committee() -> None:
    assert name_key("某市卫生健康委员会") == "某市卫生健康委员会"
    assert name_key("中共") == "中共"


def test_a_file_that_could_not_be_read_is_known_by_its_file_name() -> None:
    files = [ScannedUnit("收件箱/市审计局党建台账2026.xlsx", None), ScannedUnit("收件箱/乱码.xlsx", None)]
    check = check_roll(_roll("市审计局"), files)
    assert [[f.path for f in fs] for _e, fs in check.reported] == [["收件箱/市审计局党建台账2026.xlsx"]]
    assert _names(check, "unlisted") == ["收件箱/乱码.xlsx"]


def test_one_character_is_not_found_inside_other_names() -> None:
    check = check_roll(_roll("局"), [ScannedUnit("a.xlsx", "市财政局机关党委")])
    assert _names(check, "not_reported") == ["局"] and _names(check, "unlisted") == ["a.xlsx"]


def test_a_unit_of_several_top_organizations_answers_to_each() -> None:
    check = check_roll(_roll("甲局机关党委", "乙局机关党委"), [ScannedUnit("x.xlsx", "甲局机关党委、乙局机关党委")])
    assert _names(check, "reported") == ["甲局机关党委", "乙局机关党委"] and check.unlisted == []
    # More than three are named by three and an ellipsis: the third still answers to its own name.
    check = check_roll(_roll("丙局机关党委"), [ScannedUnit("y.xlsx", "甲局机关党委、乙局机关党委、丙局机关党委…")])
    assert _names(check, "reported") == ["丙局机关党委"]


def test_words_a_file_name_adds_are_left_out_in_any_case() -> None:
    check = check_roll(_roll("市财政局"), [ScannedUnit("收件箱/市财政局党建台账V2.xlsx", None)])
    assert _names(check, "reported") == ["市财政局"]
    assert name_key("市财政局") in _unit_keys(ScannedUnit("收件箱/市财政局党建台账V2.xlsx", None))


_NAMES = st.text(alphabet="市区县财政审计教育局委党机关支部 ", min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(listed=st.lists(_NAMES, max_size=8, unique_by=name_key),
       units=st.lists(st.one_of(st.none(), _NAMES), max_size=8))
def test_every_listed_unit_and_every_file_is_accounted_for_once(listed: list[str], units: list[str | None]) -> None:
    files = [ScannedUnit(f"f{i}.xlsx", unit) for i, unit in enumerate(units)]
    check = check_roll(_roll(*listed), files)
    assert sorted(_names(check, "reported") + _names(check, "not_reported")) == sorted(listed)
    matched = {f.path for _e, fs in check.reported for f in fs}
    assert matched.isdisjoint(_names(check, "unlisted"))
    assert matched | set(_names(check, "unlisted")) == {f.path for f in files}
    for name in listed:  # a unit whose ledger names it exactly has reported
        if any(u is not None and name_key(u) == name_key(name) != "" for u in units):
            assert name in _names(check, "reported")


def _straightforward(roll: Roll, files: list[ScannedUnit]) -> list[tuple[str, list[str]]]:
    """The matching as stated, every listed name against every file: what check_roll's indexes must give."""
    keys = [_unit_keys(f) for f in files]
    entry_keys = [name_key(e.name) for e in roll.entries]
    found = {e: [i for i, names in enumerate(keys) if key in names] for e, key in enumerate(entry_keys)}
    found = {e: hits for e, hits in found.items() if hits}
    claimed = {i for hits in found.values() for i in hits}

    def contains(a: str, b: str) -> bool:
        shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
        return len(shorter) >= SHORTEST and shorter in longer

    for e, key in enumerate(entry_keys):
        if e not in found and key:
            hits = [i for i, names in enumerate(keys) if i not in claimed and any(contains(key, n) for n in names)]
            if hits:
                found[e] = hits
    return [(entry.name, [files[i].path for i in found.get(e, [])]) for e, entry in enumerate(roll.entries)]


@settings(max_examples=300, deadline=None)
@given(listed=st.lists(_NAMES, max_size=10, unique_by=name_key),
       units=st.lists(st.tuples(st.one_of(st.none(), _NAMES), _NAMES), max_size=10))
def test_the_indexed_matching_is_the_straightforward_one(listed: list[str], units: list[tuple[str | None, str]]) -> None:
    files = [ScannedUnit(f"{stem}-{i}.xlsx", unit) for i, (unit, stem) in enumerate(units)]
    roll = _roll(*listed)
    check = check_roll(roll, files)
    got = {e.name: [f.path for f in fs] for e, fs in check.reported}
    assert [(name, got.get(name, [])) for name in listed] == _straightforward(roll, files)


def _list_workbook(path: Path, rows: list[list[object]], sheet: str = "应报单位") -> Path:
    with xlsxwriter.Workbook(str(path)) as book:
        page = book.add_worksheet(sheet)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value is not None:
                    page.write(r, c, value)
    return path


def test_a_workbook_list_with_a_title_a_numbers_column_and_a_header_is_read_by_its_header(tmp_path: Path) -> None:
    path = _list_workbook(tmp_path / "名单.xlsx", [
        ["2026年第一季度应报单位名单"], ["序号", "单位名称", "联系人"], [1, "市财政局", "张三"], [2, "市审计局", None],
        [None, None, "备注：下月补报"], [3, "市教育局", None]])
    rows = read_roll(path)
    assert [(n, w.short()) for n, w in rows.names] == [("市财政局", "应报单位!B3"), ("市审计局", "应报单位!B4"),
                                                        ("市教育局", "应报单位!B6")]
    [(why, where)] = rows.notes  # the row with a remark but no name is named, not dropped
    assert where.short() == "应报单位!B5" and "没有单位名称" in why.zh


def test_a_second_sheet_with_content_is_named_not_read(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        book.add_worksheet("说明")  # empty: passed over
        book.add_worksheet("2026年").write_column(0, 0, ["单位名称", "市财政局"])
        book.add_worksheet("2025年").write_column(0, 0, ["单位名称", "市审计局"])
    rows = read_roll(path)
    assert [n for n, _w in rows.names] == ["市财政局"]
    [(why, where)] = rows.notes
    assert where.sheet == "2025年" and "未读取" in why.zh


def test_a_list_of_names_without_a_header_beside_numbers_is_read(tmp_path: Path) -> None:
    path = _list_workbook(tmp_path / "list.xlsx", [[1, "市财政局"], [2, "市审计局"]], sheet="Sheet1")
    assert [n for n, _w in read_roll(path).names] == ["市财政局", "市审计局"]


def test_a_csv_list_saved_by_excel_on_a_chinese_windows_is_read_as_gbk(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes("序号,单位名称\r\n1,市财政局\r\n2,市审计局\r\n".encode("gbk"))
    rows = read_roll(path)
    assert [(n, w.cell) for n, w in rows.names] == [("市财政局", "B2"), ("市审计局", "B3")]


def test_a_text_list_has_a_unit_a_line(tmp_path: Path) -> None:
    path = tmp_path / "名单.txt"
    path.write_text("\ufeff# 2026年应报单位\n市财政局\n\n  市审计局  \n", encoding="utf-8")
    assert [(n, w.line) for n, w in read_roll(path).names] == [("市财政局", 2), ("市审计局", 4)]


@pytest.mark.parametrize("rows, where", [
    ([["序号", "单位", "联系人"]], "第2行"),  # a header and nothing under it
    ([["甲", "乙"], ["丙", "丁"]], "第1行"),  # two columns of text, neither headed as names
])
def test_a_list_without_names_stops_with_where_to_look(tmp_path: Path, rows, where: str) -> None:
    path = _list_workbook(tmp_path / "名单.xlsx", rows)
    with pytest.raises(UsageError) as caught:
        read_roll(path)
    assert caught.value.location is not None and where in caught.value.location.describe("zh")
    assert "名单.xlsx" in caught.value.describe("zh")


def _units(folder: Path) -> dict[str, str]:
    """Four generated units; their file names and unit names."""
    make_units(folder, 4, templates=4, seed=11)
    result = CliRunner().invoke(main, ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--format", "json"])
    return {Path(f["path"]).name: f["unit"] for f in json.loads(result.stdout)["files"]}


def test_scan_names_the_units_that_did_not_report_in_every_report(tmp_path: Path) -> None:
    folder = tmp_path / "报送"
    units = _units(folder)
    first, *others = sorted(units)
    # The list, kept in the folder it lists: every unit but the first, and one that sent nothing.
    listed = [units[name] for name in others] + ["东城区档案局"]
    _list_workbook(folder / "应报单位名单.xlsx", [["单位名称"], *([n] for n in listed)])
    args = ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--expected", str(folder / "应报单位名单.xlsx")]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 4  # the list is not taken for a unit's ledger
    expected = report["expected"]
    assert expected["listed"] == 4 and expected["source"] == "应报单位名单.xlsx"
    assert expected["not_reported"] == [{"unit": "东城区档案局", "code": None, "where": "应报单位!A5"}]
    assert [Path(u["path"]).name for u in expected["unlisted"]] == [first]
    assert {r["unit"]: [Path(p).name for p in r["files"]] for r in expected["reported"]} == {
        units[name]: [name] for name in others}

    table = CliRunner().invoke(main, args).output
    assert "应报4个单位，已报送3个，未报送1个；名单外的文件1个" in table
    assert "东城区档案局（应报单位!A5）" in table and f"{units[first]}（" in table

    CliRunner().invoke(main, [*args, "-o", str(tmp_path / "r.xlsx")])
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "r.xlsx")["报送情况"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:3] == ["东城区档案局", "应报单位!A5", "未报送"]
    assert rows[1][2:] == ["名单外", str(folder / first), units[first]]
    assert sorted(r[0] for r in rows[2:]) == sorted(units[name] for name in others)
    assert {r[2] for r in rows[2:]} == {"已报送"}

    english = CliRunner().invoke(main, [*args, "--lang", "en"]).output
    assert "4 should report, 3 did, 1 did not; 1 files of units not on the list" in english


def test_a_csv_of_blank_lines_is_an_empty_list_and_a_dash_is_no_name(tmp_path: Path) -> None:
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n,\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_roll(blank)
    assert "是空的" in caught.value.message.zh
    dashed = tmp_path / "名单.csv"
    dashed.write_text("单位名称,联系人\n市财政局,张三\n—,李四\n", encoding="utf-8")
    rows = read_roll(dashed)
    assert [n for n, _w in rows.names] == ["市财政局"] and [w.cell for _why, w in rows.notes] == ["A3"]


def test_a_csv_that_is_no_list_is_said_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_text("单位名称\n市财政局\n" + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_roll(path)
    assert caught.value.location is not None and caught.value.location.line == 3


def test_a_list_that_cannot_be_used_stops_the_scan_before_it_starts(tmp_path: Path) -> None:
    folder = tmp_path / "units"
    make_units(folder, 1, templates=1)
    bad = tmp_path / "名单.docx"
    bad.write_bytes(b"not a list")
    result = CliRunner().invoke(main, ["scan", str(folder), "--quiet", "--expected", str(bad)])
    assert result.exit_code == 2 and "名单.docx" in result.output and ".txt" in result.output
    assert "Traceback" not in result.output


def test_the_history_counts_a_listed_unit_that_never_reported_as_missing_once(tmp_path: Path) -> None:
    from ledgercheck.findings.scan.history import History
    from ledgercheck.findings.scan.movement import compare

    folder = tmp_path / "报送"
    units = _units(folder)
    first, second, *_rest = sorted(units)
    listing = tmp_path / "名单.txt"
    db = tmp_path / "history.db"
    scan = ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--format", "json", "--history", str(db),
            "--expected", str(listing)]
    listing.write_text(f"{units[first]}\n{units[second]}\n", encoding="utf-8")
    assert CliRunner().invoke(main, scan).exit_code in (0, 1)
    # The next round: the second unit sends nothing, and the list adds a unit that never has.
    (folder / second).unlink()
    listing.write_text(f"{units[first]}\n{units[second]}\n东城区档案局\n", encoding="utf-8")
    result = CliRunner().invoke(main, scan)
    assert "未报送2个" in result.stderr
    rounds = json.loads(CliRunner().invoke(main, ["history", str(db), "--format", "json"]).stdout)["rounds"]
    assert [(r["listed"], r["not_reported"]) for r in rounds] == [(2, 0), (3, 2)]
    assert "未报送" in CliRunner().invoke(main, ["history", str(db)]).output
    with History(db) as history:
        assert history.expected(2) == {units[first]: units[first], units[second]: None, "东城区档案局": None}
        moves = compare(history, 1, 2).units
    missing = sorted(m.unit for m in moves if m.trend == "missing")
    assert missing == sorted([units[second], "东城区档案局"])  # the second unit once, by its ledger's name


def test_a_listed_code_finds_its_unit_where_names_are_shared() -> None:
    """Two units both called 机关党委: each listed code finds its own file (width and spaces aside); a code as
    short as a ledger's own numbering (D01) is not matched, nor one no file has: those are matched by name."""
    files = [ScannedUnit("甲.xlsx", "机关党委", ("110101000001",)), ScannedUnit("乙.xlsx", "机关党委", ("110101000002",)),
             ScannedUnit("丙.xlsx", "市审计局机关党委", ("D01",))]
    roll = Roll("名单.xlsx", [RollEntry("机关党委", "A2", "110101000002"), RollEntry("机关党委", "A3", "１１０１０１ ０００００１"),
                              RollEntry("市审计局", "A4", "D01"), RollEntry("区档案局", "A5", "110101000009")])
    check = check_roll(roll, files)
    assert {e.where: [f.path for f in fs] for e, fs in check.reported} == {
        "A2": ["乙.xlsx"], "A3": ["甲.xlsx"], "A4": ["丙.xlsx"]}
    assert [e.where for e in check.not_reported] == ["A5"] and check.unlisted == []
    # Without codes the two 机关党委 cannot be told apart: each listed one claims both files.
    plain = check_roll(Roll("名单.xlsx", [RollEntry("机关党委", "A2"), RollEntry("机关党委", "A3")]), files[:2])
    assert [[f.path for f in fs] for _e, fs in plain.reported] == [["甲.xlsx", "乙.xlsx"]] * 2


def test_a_list_with_a_code_column_gives_each_unit_its_code(tmp_path: Path) -> None:
    path = _list_workbook(tmp_path / "名单.xlsx", [
        ["单位名称", "党组织代码"], ["机关党委", 110101000001], ["机关党委", "110101000002"], ["市审计局", None],
        ["市审计局", None]])
    rows = read_roll(path)
    assert rows.codes == ["110101000001", "110101000002", "", ""]  # a code typed as a number, without .0
    assert rows.notes == []
    roll, notes = load_roll(path)
    # Two units of one name with their own codes are two units; a name without a code listed twice is one.
    assert [(e.name, e.code) for e in roll.entries] == [
        ("机关党委", "110101000001"), ("机关党委", "110101000002"), ("市审计局", "")]
    assert roll.repeated == [("市审计局", ["应报单位!A4", "应报单位!A5"])] and len(notes) == 1
    assert roll.label(roll.entries[0]) == "机关党委（110101000001）" and roll.label(roll.entries[2]) == "市审计局"


def test_a_code_cell_that_cannot_be_read_is_said_and_its_unit_matched_by_name(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("应报单位")
        sheet.write_row(0, 0, ["单位名称", "党组织代码"])
        sheet.write_row(1, 0, ["市财政局", "110101000001"])
        sheet.write(2, 0, "市审计局")
        sheet.write_formula(2, 1, "=1/0", None, "#DIV/0!")
    rows = read_roll(path)
    assert [n for n, _w in rows.names] == ["市财政局", "市审计局"] and rows.codes == ["110101000001", ""]
    [(why, where)] = rows.notes
    assert where.short() == "应报单位!B3" and "#DIV/0!" in why.zh and "按名称" in why.zh


def test_scan_matches_units_of_one_name_by_their_codes(tmp_path: Path) -> None:
    """Two units whose ledgers both call their top organization 机关党委, under the codes their 组织 sheets give:
    the list's codes tell them apart, in the report and in the history."""
    folder = tmp_path / "报送"
    folder.mkdir()
    for seed, code, stem in ((3, "110101000001", "财政"), (5, "110101000002", "审计")):
        tables = unit_tables(seed)
        old = tables["orgs"][0]["org_id"]
        tables["orgs"][0]["name"] = "机关党委"
        for rows in tables.values():
            for row in rows:
                for key, value in row.items():
                    if value == old and key in ("org_id", "parent_id"):
                        row[key] = code
        write_workbook(folder / f"{stem}.xlsx", tables)
    roll = _list_workbook(tmp_path / "名单.xlsx", [
        ["单位名称", "党组织代码"], ["机关党委", "110101000002"], ["机关党委", "110101000001"], ["机关党委", "110101000003"]])
    db = tmp_path / "h.db"
    result = CliRunner().invoke(main, ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--expected", str(roll),
                                       "--history", str(db), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    expected = json.loads(result.stdout)["expected"]
    assert [(r["code"], [Path(p).name for p in r["files"]]) for r in expected["reported"]] == [
        ("110101000002", ["审计.xlsx"]), ("110101000001", ["财政.xlsx"])]
    assert expected["not_reported"] == [{"unit": "机关党委", "code": "110101000003", "where": "应报单位!A4"}]
    kept = sqlite3.connect(db).execute("SELECT listed, unit FROM expected ORDER BY listed").fetchall()
    assert [listed for listed, _unit in kept] == [
        "机关党委（110101000001）", "机关党委（110101000002）", "机关党委（110101000003）"]
    assert [unit is None for _listed, unit in kept] == [False, False, True]


def test_the_terminal_lists_the_first_units_that_did_not_report_and_counts_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "报送"
    _units(folder)
    listed = tmp_path / "名单.txt"
    listed.write_text("\n".join(f"东城区第{i:02d}局" for i in range(25)), encoding="utf-8")
    table = CliRunner().invoke(main, ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--expected",
                                      str(listed)]).output
    shown = [line for line in table.splitlines() if line.strip().startswith("东城区第")]
    assert len(shown) == 20 and "……另有5个（见 xlsx、html、json 报告）" in table
