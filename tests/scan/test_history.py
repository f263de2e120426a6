"""The scan history: rounds in SQLite, upgraded in place, safe against kill -9 and concurrent scans."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from ledgercheck.findings.scan.history import (
    MIGRATIONS,
    SCHEMA_VERSION,
    FindingRecord,
    History,
    HistoryError,
    OrgRecord,
    UnitRecord,
)
from ledgercheck.findings.scan.movement import compare, previous_round, ranks

AS_OF = dt.date(2026, 1, 15)
WINDOW = (dt.date(2025, 1, 1), AS_OF)


def unit(name: str, score: float | None, prints: list[str], status: str = "ok") -> UnitRecord:
    findings = [FindingRecord(p, p.split(":")[0], "B01", "error", None, "组织!A2", f"问题 {p}") for p in prints]
    return UnitRecord(name, f"{name}.xlsx", status, score, {"error": len(prints), "warning": 0, "info": 0}, 10,
                      [OrgRecord("B01", "第一党支部", score, {"error": len(prints)})], findings,
                      [("MEET-COMMITTEE-MONTHLY", "B01", "MEET:1" not in prints)])


def write_round(path: Path, units: list[UnitRecord], as_of: dt.date = AS_OF, label: str = "") -> int:
    with History(path) as history:
        writer = history.begin(as_of, WINDOW, "national", "2026.11", label=label)
        writer.add_all(units)
        writer.finish()
        return writer.id


def test_a_new_history_has_the_current_schema_and_records_rounds(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    first = write_round(path, [unit("甲局", 90.0, ["MEET:1"]), unit("乙局", 100.0, [])], label="第一轮")
    with History(path) as history:
        assert history.version == SCHEMA_VERSION
        [round_] = history.rounds()
        assert (round_.id, round_.status, round_.units, round_.label) == (first, "complete", 2, "第一轮")
        units = history.units(first)
        assert units["甲局"].findings[0].fingerprint == "MEET:1" and units["甲局"].orgs[0].name == "第一党支部"
        assert history.rule_rates(first) == {"MEET-COMMITTEE-MONTHLY": (1, 2)}


@pytest.mark.parametrize("start", range(1, SCHEMA_VERSION))
def test_an_older_history_is_upgraded_in_place_keeping_its_rounds(tmp_path: Path, start: int) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for version in range(1, start + 1):
        db.executescript(MIGRATIONS[version])
    db.execute("PRAGMA user_version=%d" % start)
    db.execute("INSERT INTO rounds (scope, as_of, window_start, window_end, pack, pack_version, started, status) "
               "VALUES ('', '2025-10-15', '2025-01-01', '2025-10-15', 'national', '2026.10', 'x', 'complete')")
    db.execute("INSERT INTO units (round_id, unit, path, status, score, errors, warnings, infos) "
               "VALUES (1, '甲局', '甲局.xlsx', 'ok', 80, 4, 0, 0)")
    db.execute("INSERT INTO orgs VALUES (1, '甲局', 'B01', '第一党支部', 80, 4, 0, 0)")
    db.execute("INSERT INTO findings VALUES (1, '甲局', 'MEET:1', 'MEET-COMMITTEE-MONTHLY', 'B01', 'error', '2025-03', "
               "'组织!A2', '未召开支部委员会会议')")
    if start < 5:  # one row an organization
        db.executemany("INSERT INTO rule_orgs VALUES (1, '甲局', ?, ?, ?)", [
            ("MEET-COMMITTEE-MONTHLY", "B01", 0), ("MEET-COMMITTEE-MONTHLY", "B02", 1), ("DUES-ARREARS", "B01", 1)])
    else:  # 5: one row a rule, the unit and the rule by name
        db.executemany("INSERT INTO rule_units VALUES (1, '甲局', ?, ?, ?)", [
            ("MEET-COMMITTEE-MONTHLY", 2, 1), ("DUES-ARREARS", 1, 1)])
    db.commit()
    db.close()
    with History(path) as history:
        assert history.version == SCHEMA_VERSION
        # Scored by the current formula: 100 − 5 × 4 errors ÷ 1 organization judged.
        assert history.units(1)["甲局"].score == 80 and history.rounds()[0].label == ""
        # Organizations and findings kept, under the unit's name (by number from schema 6).
        assert history.units(1)["甲局"].orgs == [OrgRecord("B01", "第一党支部", 80, {"error": 4, "warning": 0, "info": 0})]
        assert history.units(1)["甲局"].findings == [FindingRecord(
            "MEET:1", "MEET-COMMITTEE-MONTHLY", "B01", "error", "2025-03", "组织!A2", "未召开支部委员会会议")]
        # Each rule's organizations judged and complying, as they were recorded one organization a row.
        assert history.rule_rates(1) == {"MEET-COMMITTEE-MONTHLY": (1, 2), "DUES-ARREARS": (1, 1)}
        # The tables copied and dropped on the way leave no free pages behind (the file was vacuumed).
        assert history.db.execute("PRAGMA freelist_count").fetchone()[0] == 0
    write_round(path, [unit("甲局", 95.0, [])])  # and it takes new rounds
    with History(path) as history:
        assert [r.id for r in history.rounds()] == [1, 2]


def test_a_newer_or_foreign_database_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    sqlite3.connect(newer).execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError, match="newer"):
        History(newer)
    foreign = tmp_path / "foreign.db"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(HistoryError, match="not a ledgercheck history"):
        History(foreign)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(HistoryError):
        History(garbage)


def _slow_round(path: str, units: int, ready: multiprocessing.synchronize.Event) -> None:
    with History(Path(path)) as history:
        writer = history.begin(AS_OF, WINDOW, "national", "2026.11")
        for index in range(units):
            writer.add(unit(f"单位{index:05d}", 90.0, [f"R:{index}"]))
            if index == 600:
                ready.set()  # a batch of 500 is committed; the next is on its way
                time.sleep(60)
        writer.finish()


def test_kill_9_during_a_scan_leaves_an_interrupted_round_never_compared(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    first = write_round(path, [unit("单位00000", 80.0, ["R:0", "R:x"])])
    ready = multiprocessing.get_context("spawn").Event()
    child = multiprocessing.get_context("spawn").Process(target=_slow_round, args=(str(path), 2000, ready))
    child.start()
    assert ready.wait(60)
    os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
    child.join(10)
    with History(path) as history:
        killed = history.rounds()[-1]
        assert killed.status == "interrupted" and [r.id for r in history.abandoned] == [killed.id]
        assert killed.units == 500  # whole batches only: nothing half-written
    third = write_round(path, [unit("单位00000", 100.0, [])])
    with History(path) as history:
        assert previous_round(history, third).id == first  # the interrupted round is skipped
        assert history.abandoned == []  # and reported once


def _many_units(path: str, name: str, count: int) -> None:
    write_round(Path(path), [unit(f"{name}{i:04d}", 90.0, [f"{name}:{i}"]) for i in range(count)], label=name)


def test_two_scans_at_once_both_land(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    History(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_many_units, args=(str(path), name, 1500)) for name in ("甲", "乙")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with History(path) as history:
        rounds = history.rounds()
        assert sorted((r.label, r.status, r.units) for r in rounds) == [("乙", "complete", 1500),
                                                                         ("甲", "complete", 1500)]
        for round_ in rounds:
            units = history.units(round_.id)
            assert len(units) == 1500 and all(len(u.findings) == 1 for u in units.values())


def test_movement_between_rounds(tmp_path: Path) -> None:
    """甲 puts one of two problems right, 乙 gets worse, 丙 stops reporting, 丁 is new; ties share a place."""
    path = tmp_path / "h.db"
    before = write_round(path, [unit("甲", 90.0, ["MEET:1", "DUES:2"]), unit("乙", 95.0, ["ORG:3"]),
                                unit("丙", 95.0, ["REC:4"])])
    now = write_round(path, [unit("甲", 95.0, ["DUES:2"]), unit("乙", 85.0, ["ORG:3", "MEET:1", "DEV:5"]),
                             unit("丁", 100.0, [])])
    with History(path) as history:
        result = compare(history, before, now)
    moves = {m.unit: m for m in result.units}
    assert (moves["甲"].new, moves["甲"].still_open, moves["甲"].resolved) == (0, 1, 1)
    assert moves["甲"].rectification_rate == 0.5 and moves["甲"].trend == "improved"
    assert (moves["乙"].new, moves["乙"].still_open, moves["乙"].resolved, moves["乙"].trend) == (2, 1, 0, "regressed")
    assert moves["丙"].trend == "missing" and moves["丙"].rectification_rate is None
    assert moves["丁"].trend == "new"
    assert (moves["乙"].rank_before, moves["丙"].rank_before, moves["甲"].rank_before) == (1, 1, 3)  # a tie
    assert (moves["甲"].rank_now, moves["甲"].movement) == (2, 1) and moves["乙"].movement == -2
    assert result.rectification_rate == pytest.approx(1 / 3)  # 甲's one of 甲's two and 乙's one
    committee = next(t for t in result.rules if t.rule_id == "MEET-COMMITTEE-MONTHLY")
    assert committee.rates == (pytest.approx(2 / 3), pytest.approx(2 / 3))


def test_an_unreadable_unit_resolves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    before = write_round(path, [unit("甲", 90.0, ["MEET:1"])])
    now = write_round(path, [unit("甲", None, [], status="unreadable")])
    with History(path) as history:
        [move] = compare(history, before, now).units
    assert (move.resolved, move.still_open, move.rectification_rate) == (0, 1, 0.0)


def test_ranks_are_competition_ranks() -> None:
    units = {n: unit(n, s, []) for n, s in (("a", 90.0), ("b", 95.0), ("c", 95.0), ("d", None))}
    assert ranks(units) == {"b": 1, "c": 1, "a": 3}


def test_rounds_scored_by_the_old_formula_are_read_rescored(tmp_path: Path) -> None:
    """Before schema 3 a unit scored the mean of its organizations' floored scores: 339 errors on one of two
    organizations gave 50. Read back, the round is rescored as the current round is, so movement compares like
    with like; a unit with unreadable cells loses its score, as it would today."""
    path = tmp_path / "v2.db"
    db = sqlite3.connect(path)
    for version in (1, 2):
        db.executescript(MIGRATIONS[version])
    db.execute("PRAGMA user_version=2")
    db.execute("INSERT INTO rounds (scope, as_of, window_start, window_end, pack, pack_version, started, status) "
               "VALUES ('', '2025-10-15', '2025-01-01', '2025-10-15', 'national', '2026.10', 'x', 'complete')")
    db.executemany("INSERT INTO units (round_id, unit, path, status, score, errors, warnings, infos) "
                   "VALUES (1, ?, ?, ?, ?, ?, ?, 0)", [("甲局", "甲局.xlsx", "ok", 50.0, 339, 0),
                                                       ("乙局", "乙局.xlsx", "input_errors", 97.5, 1, 0)])
    db.executemany("INSERT INTO orgs VALUES (1, ?, ?, ?, ?, ?, 0, 0)", [
        ("甲局", "B01", "一支部", 0.0, 339), ("甲局", "B02", "二支部", 100.0, 0), ("甲局", "B03", "未受检", None, 0),
        ("乙局", "B01", "一支部", 95.0, 1), ("乙局", "B02", "二支部", 100.0, 0)])
    db.commit()
    db.close()
    second = write_round(path, [unit("甲局", 95.0, ["MEET:1"])])
    with History(path) as history:
        assert history.scores(1) == {"甲局": 0.0, "乙局": None}  # max(0, 100 − 1695 ÷ 2)
        assert history.units(1)["甲局"].score == 0.0 and history.units(1)["乙局"].score is None
        assert history.scores(second) == {"甲局": 95.0}  # a current round as written


def _dump(path: Path, round_id: int) -> dict[str, list[tuple]]:
    """A round's rows, with units and rules by name (their numbers follow the order of arrival)."""
    db = sqlite3.connect(path)
    try:
        dump = {"units": sorted(db.execute("SELECT * FROM units WHERE round_id = ?", (round_id,)).fetchall())}
        for table in ("orgs", "findings"):
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            shown = ", ".join("n.name" if c == "unit" else f"t.{c}" for c in columns)
            dump[table] = sorted(db.execute(f"SELECT {shown} FROM {table} t JOIN unit_names n ON n.id = t.unit "
                                            "WHERE t.round_id = ?", (round_id,)).fetchall())
        dump["rule_units"] = sorted(db.execute(
            "SELECT r.round_id, u.name, n.name, r.judged, r.complying FROM rule_units r JOIN unit_names u ON "
            "u.id = r.unit JOIN rule_names n ON n.id = r.rule WHERE r.round_id = ?", (round_id,)).fetchall())
        return dump
    finally:
        db.close()


@pytest.mark.parametrize("batch", [1, 2, 500])
def test_files_that_name_the_same_unit_are_each_kept_whatever_order_they_arrive_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    """A resubmission beside the first copy, or two units whose top organization is just 机关党委: each file is
    kept as "name（file）", the same however the workers' timing orders them (batch 1: the first one is written
    already when the second arrives, and is renamed in the next transaction; 500: it is still queued)."""
    from dataclasses import replace

    from ledgercheck.findings.scan import history as history_module

    monkeypatch.setattr(history_module, "BATCH", batch)
    first = replace(unit("机关党委", 80, ["MEET:1"]), path="甲.xlsx")
    again = replace(unit("机关党委", 70, ["MEET:1", "DUES:2"]), path="甲（修改后）.xlsx")
    third = replace(unit("机关党委", 90, []), path="乙/机关党委.xlsx")
    other = unit("某局机关党委", 95, [])
    dumps = []
    for order in ([first, again, third, other], [other, third, again, first], [again, other, first, third]):
        path = tmp_path / f"h{len(dumps)}.db"
        write_round(path, order)
        dumps.append(_dump(path, 1))
    assert dumps[0] == dumps[1] == dumps[2]
    with History(tmp_path / "h0.db") as history:
        units = history.units(1)
    assert sorted(units) == ["机关党委（乙/机关党委.xlsx）", "机关党委（甲.xlsx）", "机关党委（甲（修改后）.xlsx）", "某局机关党委"]
    assert units["机关党委（甲（修改后）.xlsx）"].score == 70 and len(units["机关党委（甲（修改后）.xlsx）"].findings) == 2
    assert units["机关党委（甲.xlsx）"].path == "甲.xlsx" and len(units["机关党委（甲.xlsx）"].findings) == 1
    assert {r[1] for r in dumps[0]["rule_units"]} == set(units)  # every table renamed alike


def test_what_a_round_writes_for_a_unit_finds_its_rows_by_index(tmp_path: Path) -> None:
    """Writing a unit deletes the rows its name held (a key written again is replaced whole), and a renamed unit's
    rows are updated: each by the unit's name. A search that read the whole round instead made writing a round of
    n units take n² (schema 4's rule_orgs: 5,000 units in 11 minutes)."""
    path = tmp_path / "h.db"
    write_round(path, [unit("甲局", 90.0, ["MEET:1"])])
    db = sqlite3.connect(path)
    try:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
        assert set(tables) >= {"units", "orgs", "findings", "rule_units"}
        for table in tables:
            if "unit" not in [column[1] for column in db.execute(f"PRAGMA table_info({table})")] or table == "expected":
                continue
            for statement in (f"DELETE FROM {table} WHERE round_id = 1 AND unit = '甲局'",
                              f"UPDATE {table} SET unit = '乙局' WHERE round_id = 1 AND unit = '甲局'"):
                plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + statement))
                assert plan.startswith("SEARCH") and "unit=?" in plan, (table, plan)
    finally:
        db.close()


def test_a_unit_and_a_rule_are_named_once_for_every_round(tmp_path: Path) -> None:
    """rule_units keeps a row a unit and rule each round (organizations and findings a row each too): the unit's
    name (about 60 bytes with its file) written in each made up 70 % of the file. The names are kept once, in
    unit_names and rule_names, whatever the rounds."""
    from dataclasses import replace

    path = tmp_path / "h.db"
    rules = [(f"RULE-{index:02d}", "B01", index % 3 != 0) for index in range(40)]
    units = [replace(unit(name, 90.0, []), rules=rules) for name in ("甲局机关党委", "乙局机关党委", "丙局机关党委")]
    rounds = [write_round(path, units, as_of) for as_of in (AS_OF, dt.date(2026, 2, 15))]
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT count(*) FROM unit_names").fetchone()[0] == 3
        assert db.execute("SELECT count(*) FROM rule_names").fetchone()[0] == 40
        assert db.execute("SELECT count(*) FROM rule_units").fetchone()[0] == 2 * 3 * 40
        assert {row[1] for row in db.execute("PRAGMA table_info(rule_units)")} == {
            "round_id", "unit", "rule", "judged", "complying"}
        assert all(row[2] == "INTEGER" for row in db.execute("PRAGMA table_info(rule_units)"))
        for table in ("orgs", "findings"):
            assert {row[1]: row[2] for row in db.execute(f"PRAGMA table_info({table})")}["unit"] == "INTEGER"
        for statement in ("SELECT id FROM unit_names WHERE name = '甲局'", "SELECT id FROM rule_names WHERE name = 'R'"):
            plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + statement))
            assert plan.startswith("SEARCH") and "name=?" in plan, plan
    finally:
        db.close()
    with History(path) as history:
        for round_id in rounds:
            rates = history.rule_rates(round_id)
            assert rates["RULE-00"] == (0, 3) and rates["RULE-01"] == (3, 3) and len(rates) == 40


def test_an_incomplete_audit_resolves_nothing_and_says_so(tmp_path: Path) -> None:
    """A unit that left out a sheet this round (its audit is incomplete: no score) shows fewer findings, but those
    it does not show were not judged: none counts as resolved (it gave the unit 已整改 2, 整改率 100 %)."""
    path = tmp_path / "h.db"
    first = write_round(path, [unit("甲局", 90.0, ["MEET:1", "DUES:2"]), unit("乙局", 80.0, ["MEET:3"])])
    second = write_round(path, [unit("甲局", None, []), unit("乙局", 100.0, [])])
    with History(path) as history:
        moved = compare(history, first, second)
    jia, yi = moved.of("甲局"), moved.of("乙局")
    assert jia is not None and yi is not None
    assert (jia.trend, jia.resolved, jia.still_open, jia.complete) == ("incomplete", 0, 2, False)
    assert (yi.trend, yi.resolved) == ("improved", 1)
    assert moved.rectification_rate == 1 / 3  # 乙局's one of the three open last round
    from click.testing import CliRunner

    from ledgercheck.cli import main

    shown = CliRunner().invoke(main, ["history", "compare", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "检查不完整1个（不计整改）" in shown.stdout and "检查不完整" in shown.stdout.split("甲局")[1].splitlines()[0]


def test_a_unit_whose_file_cannot_be_read_this_round_is_still_that_unit(tmp_path: Path) -> None:
    """A damaged file names no unit, and was kept under its path: the unit showed as 未报送 and its path as a new
    unit, its open findings gone from the rate. It is kept under the unit its path stood for last round."""
    from dataclasses import replace

    path = tmp_path / "h.db"
    first = write_round(path, [unit("甲局", 90.0, ["MEET:1", "DUES:2"]), unit("乙局", 95.0, ["MEET:3"])])
    broken = replace(unit("甲局.xlsx", None, [], status="unreadable"), path="甲局.xlsx", orgs=[], rules=[])
    second = write_round(path, [broken, unit("乙局", 100.0, [])])
    with History(path) as history:
        assert set(history.units(second)) == {"甲局", "乙局"}
        moved = compare(history, first, second)
    jia = moved.of("甲局")
    assert jia is not None and (jia.state, jia.trend, jia.still_open, jia.resolved) == ("both", "incomplete", 2, 0)
    assert not moved.by_trend("missing") and not moved.by_trend("new")


def test_a_history_that_cannot_be_used_says_why_and_changes_nothing(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing folder, a folder, a read-only history: each said as it is (they were internal errors, or "not a
    history"); and another program's database is refused before anything is written to it (it was turned to WAL)."""
    with pytest.raises(HistoryError) as missing:
        History(tmp_path / "nowhere" / "h.db")
    assert missing.value.reason.zh == "所在文件夹不存在"
    (tmp_path / "d.db").mkdir()
    with pytest.raises(HistoryError) as folder:
        History(tmp_path / "d.db")
    assert "文件夹" in folder.value.reason.zh
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    before = other.read_bytes()
    with pytest.raises(HistoryError, match="not a ledgercheck history"):
        History(other)
    assert other.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["d.db", "other.db"]
    path = tmp_path / "h.db"
    write_round(path, [unit("甲局", 90.0, [])])
    from ledgercheck.findings.scan import history as history_module

    real = sqlite3.connect
    monkeypatch.setattr(history_module.sqlite3, "connect", lambda p, **kw: real(f"file:{p}?mode=ro", uri=True, **kw))
    with History(path) as history:  # read: listing and comparing still work
        assert [r.id for r in history.rounds()] == [1]
        with pytest.raises(HistoryError) as readonly:
            history.begin(AS_OF, WINDOW, "national", "2026.11")
    assert "只读" in readonly.value.reason.zh


def test_files_kept_apart_under_one_name_are_matched_when_their_folder_changes(tmp_path: Path) -> None:
    """Two files naming 机关党委 are kept as "机关党委（file）"; with a new folder each round (报送/2026Q1/ →
    2026Q2/, as docs/scan.md shows) no key matched: both showed as not reporting beside two new units. They are
    matched by name and file name; and each file's movement is found under its own key (the 升降 mark was blank)."""
    from dataclasses import replace

    path = tmp_path / "h.db"
    rounds = []
    for folder, prints in (("2026Q1", (["MEET:1", "DUES:2"], ["MEET:3"])), ("2026Q2", (["DUES:2"], []))):
        rounds.append(write_round(path, [replace(unit("机关党委", 90.0 - 5 * len(prints[0]), prints[0]),
                                                 path=f"报送/{folder}/甲局.xlsx"),
                                         replace(unit("机关党委", 90.0 - 5 * len(prints[1]), prints[1]),
                                                 path=f"报送/{folder}/乙局.xlsx")]))
    with History(path) as history:
        moved = compare(history, *rounds)
    assert {m.state for m in moved.units} == {"both"} and len(moved.units) == 2
    jia = moved.of("机关党委", "报送/2026Q2/甲局.xlsx")
    yi = moved.of("机关党委", "报送/2026Q2/乙局.xlsx")
    assert jia is not None and (jia.resolved, jia.still_open, jia.trend) == (1, 1, "improved")
    assert yi is not None and (yi.resolved, yi.still_open, yi.trend) == (1, 0, "improved")
    assert moved.rectification_rate == 2 / 3


def test_a_file_named_like_a_key_set_apart_replaces_nothing(tmp_path: Path) -> None:
    """Two files of 机关党委 are kept as "机关党委（a.xlsx）" and "机关党委（b.xlsx）"; a damaged file whose name is
    literally 机关党委（a.xlsx） (it names no unit, so its name is its key) wrote over the first one."""
    from dataclasses import replace

    path = tmp_path / "h.db"
    first = replace(unit("机关党委", 80.0, ["MEET:1"]), path="a.xlsx")
    second = replace(unit("机关党委", 90.0, []), path="b.xlsx")
    junk = replace(unit("机关党委（a.xlsx）", None, [], status="unreadable"), path="机关党委（a.xlsx）", orgs=[], rules=[])
    for order in ([first, second, junk], [junk, first, second], [first, junk, second]):
        path.unlink(missing_ok=True)
        write_round(path, order)
        with History(path) as history:
            units = history.units(1)
        assert len(units) == 3, (order, sorted(units))
        assert {u.path for u in units.values()} == {"a.xlsx", "b.xlsx", "机关党委（a.xlsx）"}
        assert next(u for u in units.values() if u.path == "a.xlsx").findings[0].fingerprint == "MEET:1"


def _round_with_list(path: Path, units: list[UnitRecord], listed: dict[str, str | None]) -> int:
    with History(path) as history:
        writer = history.begin(AS_OF, WINDOW, "national", "2026.11")
        writer.add_all(units)
        for name, reported in listed.items():
            writer.expect(name, reported, f"{reported}.xlsx" if reported else None)
        writer.finish()
        return writer.id


def test_a_unit_renamed_between_rounds_is_one_unit_when_the_list_says_so(tmp_path: Path) -> None:
    """The list matched 平谷区司法局 to the unit both rounds, under its old name and its new one: the scan said
    应报3, 未报送0, and its comparison 未报送1 and 新报送1, the unit's findings gone from the rate."""
    path = tmp_path / "h.db"
    old_name, new_name = "平谷区司法局机关党支部", "中共平谷区司法局机关支部委员会"
    first = _round_with_list(path, [unit(old_name, 90.0, ["MEET:1", "DUES:2"]), unit("乙局", 95.0, [])],
                             {"平谷区司法局": old_name, "乙局": "乙局"})
    second = _round_with_list(path, [unit(new_name, 95.0, ["DUES:2"]), unit("乙局", 95.0, [])],
                              {"平谷区司法局": new_name, "乙局": "乙局"})
    with History(path) as history:
        moved = compare(history, first, second)
    assert [m.state for m in moved.units] == ["both", "both"]
    renamed = moved.of(new_name)
    assert renamed is not None and (renamed.trend, renamed.resolved, renamed.still_open) == ("improved", 1, 1)
    assert moved.scores[new_name] == (90.0, 95.0)  # its score over the rounds follows it through the rename


def test_a_unit_that_stopped_reporting_is_missing_once_however_the_list_writes_it(tmp_path: Path) -> None:
    """The last round had no list; this one lists 平谷区应急管理局, which sent nothing: it is the unit
    平谷区应急管理局机关党支部 missing since last round, counted once (it was counted twice)."""
    path = tmp_path / "h.db"
    first = write_round(path, [unit("平谷区应急管理局机关党支部", 90.0, ["MEET:1"]), unit("乙局", 95.0, [])])
    second = _round_with_list(path, [unit("乙局", 95.0, [])],
                              {"平谷区应急管理局": None, "乙局": "乙局", "某某局机关党委": None})
    with History(path) as history:
        moved = compare(history, first, second)
    assert sorted(m.unit for m in moved.by_trend("missing")) == ["平谷区应急管理局机关党支部", "某某局机关党委"]


def test_what_makes_two_rounds_less_comparable_is_said() -> None:
    from ledgercheck.findings.scan.history import Round
    from ledgercheck.findings.scan.movement import caveats

    def round_(id_: int, as_of: dt.date, version: str = "2026.11", scope: str = "", since: dt.date | None = None):
        return Round(id_, scope, "", as_of, (since, as_of), "national", version, "x", "y", "complete", 3)

    same = round_(1, AS_OF), round_(2, dt.date(2026, 2, 15))
    assert caveats(*same) == []
    said = [t.zh for t in caveats(round_(1, AS_OF, "2026.10", "平谷区", dt.date(2025, 1, 1)),
                                  round_(2, dt.date(2025, 6, 30), "2026.11", "西城区", dt.date(2025, 3, 1)))]
    assert len(said) == 4
    assert "范围不同" in said[0] and "早于第1轮" in said[1] and "national 2026.10" in said[2] and "起始日期不同" in said[3]
