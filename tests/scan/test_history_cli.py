"""`ledgercheck history`: the rounds and the comparison, in the terminal and as JSON; clear messages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from ledgercheck.cli import main
from tests.scan.test_history import unit, write_round


def run(*args: object):  # noqa: ANN201
    return CliRunner().invoke(main, [str(a) for a in args])


def two_rounds(path: Path) -> None:
    write_round(path, [unit("甲局", 90.0, ["MEET:1", "DUES:2"]), unit("乙局", 95.0, ["ORG:3"])], label="第三季度")
    write_round(path, [unit("甲局", 95.0, ["DUES:2"]), unit("乙局", 85.0, ["ORG:3", "DEV:5"])], label="第四季度")


def test_history_lists_the_rounds(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    two_rounds(path)
    result = run("history", path)
    assert result.exit_code == 0 and "第三季度" in result.stdout and "第四季度" in result.stdout
    rounds = json.loads(run("history", "list", path, "--format", "json").stdout)["rounds"]
    assert [(r["id"], r["label"], r["units"], r["status"]) for r in rounds] == [(1, "第三季度", 2, "complete"),
                                                                              (2, "第四季度", 2, "complete")]


def test_compare_shows_who_moved_and_the_rectification_rate(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    two_rounds(path)
    table = run("history", "compare", path)
    assert table.exit_code == 0
    assert "整改率：上一轮的3个问题已整改1个（33.3%）" in table.stdout
    assert "好转1个单位，退步1个" in table.stdout
    lines = {line.split()[0]: line for line in table.stdout.splitlines() if line.strip().startswith(("甲局", "乙局"))}
    assert "退步" in lines["乙局"] and "↓1" in lines["乙局"] and "好转" in lines["甲局"] and "↑1" in lines["甲局"]
    document = json.loads(run("history", "compare", path, "--format", "json", "--lang", "en").stdout)
    assert document["rectification_rate"] == 1 / 3
    assert {u["unit"]: u["trend"] for u in document["units"]} == {"甲局": "improved", "乙局": "regressed"}


def test_a_large_comparison_lists_every_unit_that_moved_and_counts_the_unchanged(tmp_path: Path) -> None:
    """Of 80 units, 3 moved: the terminal lists those 3 and the first 20 unchanged, and says how many more are
    unchanged; JSON has all 80."""
    path = tmp_path / "h.db"
    names = [f"单位{i:03d}" for i in range(80)]
    write_round(path, [unit(name, 90.0, ["MEET:1"]) for name in names])
    moved = {"单位007": 80.0, "单位042": 95.0, "单位079": 70.0}
    write_round(path, [unit(name, moved.get(name, 90.0), ["MEET:1"]) for name in names])
    table = run("history", "compare", path).stdout
    rows = [line.split()[0] for line in table.splitlines() if line.strip().startswith("单位0")]
    assert set(moved) <= set(rows) and len(rows) == 3 + 20
    assert "另有57个单位持平，未列出" in table
    document = json.loads(run("history", "compare", path, "--format", "json").stdout)
    assert len(document["units"]) == 80


def test_clear_messages(tmp_path: Path) -> None:
    missing = run("history", tmp_path / "none.db")
    assert missing.exit_code == 2 and "找不到检查历史文件" in missing.stderr
    path = tmp_path / "h.db"
    write_round(path, [unit("甲局", 90.0, [])])
    one = run("history", "compare", path)
    assert one.exit_code == 2 and "至少要有两个完成的检查轮次" in one.stderr
    assert "没有第9轮" in run("history", "compare", path, "--to", "9").stderr
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"x" * 200)
    bad = run("history", foreign)
    assert bad.exit_code == 2 and "无法使用检查历史文件" in bad.stderr and "Traceback" not in bad.output
    # Why, in the user's language and nothing else: no SQLite English in a Chinese message
    assert "不是 ledgercheck 的检查历史文件" in bad.stderr and "database" not in bad.stderr
    english = run("history", foreign, "--lang", "en")
    assert "not a ledgercheck history database" in english.stderr


def test_two_rounds_without_a_unit_in_common_say_so_not_that_nothing_was_open(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    write_round(path, [unit("甲局", 90.0, ["MEET:1"])])
    write_round(path, [unit("乙局", 95.0, [])])
    shown = run("history", "compare", path)
    assert shown.exit_code == 0 and "两轮没有共同的单位" in shown.stdout and "上一轮没有问题" not in shown.stdout


def test_rounds_chosen_backwards_or_before_anything_are_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    for as_of in (dt.date(2026, 1, 15), dt.date(2026, 2, 15), dt.date(2025, 6, 30)):
        write_round(path, [unit("甲局", 90.0, ["MEET:1"])], as_of)
    backwards = run("history", "compare", path, "--from", 3, "--to", 1)
    assert backwards.exit_code == 2 and "要早于" in backwards.stderr and "h.db" in backwards.stderr
    assert run("history", "compare", path, "--from", 2, "--to", 2).exit_code == 2
    first = run("history", "compare", path, "--to", 1)
    assert first.exit_code == 2 and "第1轮之前没有完成的轮次" in first.stderr
    # The latest round looks at an earlier date than the one before it (a rescan): compared, with a note.
    rescan = run("history", "compare", path)
    assert rescan.exit_code == 0 and "早于第2轮" in rescan.stderr
