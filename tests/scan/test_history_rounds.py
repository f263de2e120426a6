"""Three rounds of a scan recorded in a history: the units that put things right, slipped, stopped reporting and
came back are reported exactly so, in `history compare` and in the scan's own report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from ledgercheck.cli import main
from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import CLEAN, VIOLATIONS


def unit(folder: Path, name: str, source: Path = VIOLATIONS) -> Path:
    """A unit's workbook: the sample under another top organization name (a unit is known by that name)."""
    path = folder / f"{name}.xlsx"
    shutil.copyfile(source, path)
    book = load_workbook(path)
    book["组织"]["B2"] = name
    book.save(path)
    return path


def rectify(path: Path) -> None:
    """Fill in B05's secretary (REC-ORG-COMPLETE on 组织!I8 is resolved)."""
    book = load_workbook(path)
    members = book["党员"]
    header = [c.value for c in members[1]]
    org, post, name = header.index("所在组织编号"), header.index("党内职务"), header.index("姓名")
    secretary = next(row[name].value for row in members.iter_rows(min_row=2)
                     if row[org].value == "B05" and row[post].value == "书记")
    book["组织"]["I8"] = secretary
    book.save(path)


def slip(path: Path) -> None:
    """B01's committee meeting of March recorded as a theme day: a new MEET-COMMITTEE-MONTHLY finding."""
    book = load_workbook(path)
    meetings = book["组织生活"]
    header = [c.value for c in meetings[1]]
    org, kind, date = header.index("组织编号"), header.index("活动类型"), header.index("日期")
    row = next(r for r in meetings.iter_rows(min_row=2) if r[org].value == "B01" and r[kind].value == "支部委员会"
               and str(r[date].value).startswith("2025-03"))
    row[kind].value = "主题党日"
    book.save(path)


def scan(folder: Path, history: Path, label: str):  # noqa: ANN201
    return CliRunner().invoke(main, ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--jobs", "1",
                                     "--history", str(history), "--round-label", label])


def test_three_rounds(tmp_path: Path) -> None:
    folder, history = tmp_path / "报送", tmp_path / "检查历史.db"
    folder.mkdir()
    for name in ("单位甲", "单位乙", "单位丙"):
        unit(folder, name)
    unit(folder, "单位丁", CLEAN)
    first = scan(folder, history, "第一轮")
    assert first.exit_code == 1 and "已记为检查历史第1轮（第一轮，下次检查时比较）" in first.stderr

    rectify(folder / "单位甲.xlsx")
    slip(folder / "单位乙.xlsx")
    (folder / "单位丙.xlsx").unlink()  # 单位丙 does not report this round
    second = scan(folder, history, "第二轮")
    assert "好转1个单位，退步1个，未报送1个" in second.stderr
    moves = {u["unit"]: u for u in json.loads(CliRunner().invoke(
        main, ["history", "compare", str(history), "--format", "json"]).stdout)["units"]}
    assert (moves["单位甲"]["trend"], moves["单位甲"]["resolved"], moves["单位甲"]["new"]) == ("improved", 1, 0)
    assert (moves["单位乙"]["trend"], moves["单位乙"]["new"], moves["单位乙"]["resolved"]) == ("regressed", 1, 0)
    assert moves["单位丙"]["trend"] == "missing" and moves["单位丁"]["trend"] == "unchanged"
    opened = moves["单位甲"]["still_open"] + 1
    assert moves["单位甲"]["rectification_rate"] == 1 / opened
    assert moves["单位甲"]["rank_now"] < moves["单位乙"]["rank_now"]  # 甲 now ranks above 乙
    # The scan's own report carries the movement: the ranking's 升降 column and the comparison.
    assert "升降" in second.stdout and "检查轮次比较" in second.stdout and "↓1" in second.stdout  # 乙 slips a place

    unit(folder, "单位丙")  # back again
    third = scan(folder, history, "第三轮")
    assert third.exit_code == 1
    rounds = json.loads(CliRunner().invoke(main, ["history", str(history), "--format", "json"]).stdout)["rounds"]
    assert [(r["label"], r["units"], r["status"]) for r in rounds] == [
        ("第一轮", 4, "complete"), ("第二轮", 3, "complete"), ("第三轮", 4, "complete")]
    again = {u["unit"]: u["trend"] for u in json.loads(CliRunner().invoke(
        main, ["history", "compare", str(history), "--format", "json"]).stdout)["units"]}
    assert again["单位丙"] == "new" and again["单位甲"] == "unchanged"
    two_rounds_back = {u["unit"]: u for u in json.loads(CliRunner().invoke(
        main, ["history", "compare", str(history), "--from", "1", "--to", "3", "--format", "json"]).stdout)["units"]}
    assert two_rounds_back["单位丙"]["trend"] == "unchanged" and two_rounds_back["单位乙"]["trend"] == "regressed"


def test_the_scans_json_report_carries_the_movement(tmp_path: Path) -> None:
    """The terminal, xlsx and HTML reports of a scan with --history carry the comparison; the JSON report did not."""
    folder, history = tmp_path / "报送", tmp_path / "检查历史.db"
    folder.mkdir()
    for name in ("单位甲", "单位乙"):
        unit(folder, name)
    reports = []
    for round_ in (1, 2):
        if round_ == 2:
            rectify(folder / "单位甲.xlsx")
        out = tmp_path / f"第{round_}轮.json"
        done = CliRunner().invoke(main, ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--jobs", "1",
                                         "--history", str(history), "-o", str(out)])
        assert done.exit_code == 1, done.output
        reports.append(json.loads(out.read_text("utf-8")))
    assert reports[0]["movement"] is None  # the first round: nothing to compare with
    movement = reports[1]["movement"]
    compared = json.loads(CliRunner().invoke(main, ["history", "compare", str(history), "--format", "json"]).stdout)
    assert movement == compared  # the same document as history compare gives
    assert (movement["before"]["id"], movement["now"]["id"]) == (1, 2)
    assert {u["unit"]: u["trend"] for u in movement["units"]} == {"单位甲": "improved", "单位乙": "unchanged"}


def test_rounds_of_two_scopes_in_one_history_are_each_compared_with_their_own(tmp_path: Path) -> None:
    """An inspector keeping two districts in one history: each round is compared with the last round of its own
    scope (scan --scope), never with the other district's (it was: all new, all missing)."""
    history = tmp_path / "检查历史.db"
    folders = {}
    for scope, names in (("平谷区", ("单位甲", "单位乙")), ("西城区", ("单位丙",))):
        folders[scope] = tmp_path / scope
        folders[scope].mkdir()
        for name in names:
            unit(folders[scope], name)
    for scope in ("平谷区", "西城区", "平谷区"):
        done = CliRunner().invoke(main, ["scan", str(folders[scope]), "--as-of", SAMPLE_AS_OF, "--quiet", "--jobs", "1",
                                         "--history", str(history), "--scope", scope, "-o", str(tmp_path / "r.json")])
        assert done.exit_code == 1, done.output
    assert "与第1轮相比" in done.stderr and "未报送0个" in done.stderr  # round 3 against round 1, not round 2
    listed = CliRunner().invoke(main, ["history", str(history)])
    assert "范围" in listed.stdout and "西城区" in listed.stdout
    crossed = CliRunner().invoke(main, ["history", "compare", str(history), "--from", "2", "--to", "3"])
    assert crossed.exit_code == 0 and "检查的范围不同" in crossed.stderr
