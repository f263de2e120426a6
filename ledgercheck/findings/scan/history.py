"""Scan history: each scan a round in an SQLite database, so inspectors see movement from round to round.

- A round records the scan's as-of date, window, rule pack and version, and per unit its status, score,
  findings (by fingerprint) and, per rule, how many of its organizations the rule judged and how many complied.
- Writing: the round is registered as `running`, units are written in batches as they arrive (memory stays
  flat for tens of thousands of units) and the round becomes `complete` in one last transaction. A scan
  killed on the way leaves a `running` round; the next opening marks it `interrupted` (its process is gone)
  and no comparison uses it. Two scans at once each write their own round; SQLite's lock makes one wait.
- The schema is versioned (`PRAGMA user_version`) and upgraded in place, one migration at a time.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ledgercheck.common.i18n import Text
from ledgercheck.findings.scan.summary import SCORE_VERSION, FileResult, unit_score

SCHEMA_VERSION = 6

# Migration N takes a database from version N-1 to version N. Version 0 is an empty file.
MIGRATIONS: dict[int, str] = {
    1: """
        CREATE TABLE rounds (id INTEGER PRIMARY KEY, scope TEXT NOT NULL, as_of TEXT NOT NULL,
            window_start TEXT NOT NULL, window_end TEXT NOT NULL, pack TEXT NOT NULL, pack_version TEXT NOT NULL,
            started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL, pid INTEGER, host TEXT);
        CREATE TABLE units (round_id INTEGER NOT NULL REFERENCES rounds(id), unit TEXT NOT NULL, path TEXT NOT NULL,
            status TEXT NOT NULL, score REAL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
            infos INTEGER NOT NULL, PRIMARY KEY (round_id, unit));
        CREATE TABLE orgs (round_id INTEGER NOT NULL, unit TEXT NOT NULL, org_id TEXT NOT NULL, name TEXT NOT NULL,
            score REAL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL, infos INTEGER NOT NULL,
            PRIMARY KEY (round_id, unit, org_id));
        CREATE TABLE findings (round_id INTEGER NOT NULL, unit TEXT NOT NULL, fingerprint TEXT NOT NULL,
            rule_id TEXT NOT NULL, org_id TEXT NOT NULL, severity TEXT NOT NULL, period TEXT, location TEXT,
            message TEXT NOT NULL);
        CREATE INDEX findings_by_unit ON findings (round_id, unit);
        CREATE TABLE rule_orgs (round_id INTEGER NOT NULL, unit TEXT NOT NULL, rule_id TEXT NOT NULL,
            org_id TEXT NOT NULL, complying INTEGER NOT NULL);
        CREATE INDEX rule_orgs_by_rule ON rule_orgs (round_id, rule_id);
    """,
    # 2: a round's name as the inspector calls it (2025年第四季度督导), and each unit's members.
    2: """
        ALTER TABLE rounds ADD COLUMN label TEXT NOT NULL DEFAULT '';
        ALTER TABLE units ADD COLUMN members INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: which score formula a round's unit scores follow (summary.SCORE_VERSION). Rounds before it have 1 (the
    # mean of organizations' scores) and are read rescored by the current formula, so movement compares like
    # with like.
    3: """
        ALTER TABLE rounds ADD COLUMN score_version INTEGER NOT NULL DEFAULT 1;
    """,
    # 4: the units a round's list said should report (scan --expected), each with the unit that reported for it
    # (NULL: it did not). A unit that never reported is then missing too, not only one that reported before.
    4: """
        CREATE TABLE expected (round_id INTEGER NOT NULL, listed TEXT NOT NULL, unit TEXT,
            PRIMARY KEY (round_id, listed));
    """,
    # 5: each unit's rules as (organizations judged, complying) in one row per rule, not one per rule and
    # organization, kept in the order of (round, unit). Writing a unit deletes what its name held before, and
    # rule_orgs had no index by unit: each delete read the whole round, so writing a round of n units took n²
    # (5,000 small units: 11 minutes instead of half of one). Also half the size: 6.5 KB a small unit, was 13.7.
    5: """
        CREATE TABLE rule_units (round_id INTEGER NOT NULL, unit TEXT NOT NULL, rule_id TEXT NOT NULL,
            judged INTEGER NOT NULL, complying INTEGER NOT NULL, PRIMARY KEY (round_id, unit, rule_id)) WITHOUT ROWID;
        INSERT INTO rule_units SELECT round_id, unit, rule_id, count(*), sum(complying) FROM rule_orgs
            GROUP BY round_id, unit, rule_id;
        DROP TABLE rule_orgs;
    """,
    # 6: a unit's organizations, findings and rules keep the unit by number (unit_names: each name once for every
    # round), and its rules the rule by number (rule_names), not by name. A unit's name with its file (about 60
    # bytes: 某区某局机关党委（报送/某局.xlsx）) was written once a rule, finding and organization, and again in
    # their indexes: 70 % of the file. A small unit takes 1.8 KB a round, was 6.7 (benchmarks/scan_scale).
    6: """
        CREATE TABLE unit_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE rule_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        INSERT INTO unit_names (name) SELECT unit FROM units UNION SELECT unit FROM orgs UNION
            SELECT unit FROM findings UNION SELECT unit FROM rule_units ORDER BY 1;
        INSERT INTO rule_names (name) SELECT DISTINCT rule_id FROM rule_units ORDER BY rule_id;
        CREATE TABLE rule_units_6 (round_id INTEGER NOT NULL, unit INTEGER NOT NULL, rule INTEGER NOT NULL,
            judged INTEGER NOT NULL, complying INTEGER NOT NULL, PRIMARY KEY (round_id, unit, rule)) WITHOUT ROWID;
        INSERT INTO rule_units_6 SELECT r.round_id, u.id, n.id, r.judged, r.complying FROM rule_units r
            JOIN unit_names u ON u.name = r.unit JOIN rule_names n ON n.name = r.rule_id;
        DROP TABLE rule_units;
        ALTER TABLE rule_units_6 RENAME TO rule_units;
        CREATE TABLE orgs_6 (round_id INTEGER NOT NULL, unit INTEGER NOT NULL, org_id TEXT NOT NULL,
            name TEXT NOT NULL, score REAL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
            infos INTEGER NOT NULL, PRIMARY KEY (round_id, unit, org_id));
        INSERT INTO orgs_6 SELECT o.round_id, u.id, o.org_id, o.name, o.score, o.errors, o.warnings, o.infos
            FROM orgs o JOIN unit_names u ON u.name = o.unit ORDER BY o.rowid;
        DROP TABLE orgs;
        ALTER TABLE orgs_6 RENAME TO orgs;
        CREATE TABLE findings_6 (round_id INTEGER NOT NULL, unit INTEGER NOT NULL, fingerprint TEXT NOT NULL,
            rule_id TEXT NOT NULL, org_id TEXT NOT NULL, severity TEXT NOT NULL, period TEXT, location TEXT,
            message TEXT NOT NULL);
        INSERT INTO findings_6 SELECT f.round_id, u.id, f.fingerprint, f.rule_id, f.org_id, f.severity, f.period,
            f.location, f.message FROM findings f JOIN unit_names u ON u.name = f.unit ORDER BY f.rowid;
        DROP TABLE findings;
        ALTER TABLE findings_6 RENAME TO findings;
        CREATE INDEX findings_by_unit ON findings (round_id, unit);
    """,
}
# Migrations that copy tables and drop the old ones: the file keeps the freed pages until it is vacuumed
# (5,000 units in three rounds: 110 MB after migration 6, 26 MB vacuumed).
REBUILDS = frozenset({5, 6})
BATCH = 500  # units written per transaction


class HistoryError(Exception):
    """The history file cannot be used: not a ledgercheck history, or newer than this version understands.
    `reason` says why in both languages; `detail` is SQLite's own (English) message, if any."""

    def __init__(self, reason: Text, detail: str | None = None):
        super().__init__(reason.en + (f" ({detail})" if detail else ""))
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class FindingRecord:
    fingerprint: str
    rule_id: str
    org_id: str
    severity: str
    period: str | None
    location: str | None
    message: str


@dataclass(frozen=True)
class OrgRecord:
    org_id: str
    name: str
    score: float | None
    counts: dict[str, int]


@dataclass
class UnitRecord:
    """One unit's outcome in a round. `unit` identifies it across rounds (its name, else its file's stem)."""

    unit: str
    path: str
    status: str
    score: float | None
    counts: dict[str, int]
    members: int = 0
    orgs: list[OrgRecord] = field(default_factory=list)
    findings: list[FindingRecord] = field(default_factory=list)
    rules: list[tuple[str, str, bool]] = field(default_factory=list)  # (rule id, org id, complying) when judged


@dataclass(frozen=True)
class Round:
    id: int
    scope: str
    label: str
    as_of: dt.date
    window: tuple[dt.date | None, dt.date]  # no start: each ledger's own (the scan had no --since)
    pack: str
    pack_version: str
    started: str
    finished: str | None
    status: str  # running | complete | interrupted
    units: int
    listed: int = 0  # units its list said should report (scan --expected); 0: it had none
    not_reported: int = 0  # of those, the ones that sent nothing

    @property
    def complete(self) -> bool:
        return self.status == "complete"


def _alive(pid: int | None, host: str | None) -> bool:
    """Whether the process that registered a round may still run: on another host nobody can tell (yes); here,
    only if its process exists."""
    if host != socket.gethostname():
        return True
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


NOT_HISTORY = Text("不是 ledgercheck 的检查历史文件", "not a ledgercheck history database")
UNWRITABLE = Text("无法打开或写入（文件或所在文件夹只读，或没有权限）",
                  "cannot be opened or written (the file or its folder is read-only, or not yours)")
BUSY = Text("正被另一个程序占用，等待后仍未释放", "another program holds it, and did not let go in time")


def _unusable(exc: sqlite3.OperationalError) -> HistoryError:
    """SQLite's refusal to open or write, said as what it is: held by another program, or read-only."""
    return HistoryError(BUSY if "locked" in str(exc) else UNWRITABLE, str(exc))


class History:
    def __init__(self, path: Path, timeout: float = 60.0):
        self.path = path
        if path.is_dir():
            raise HistoryError(Text("这是一个文件夹，不是检查历史文件", "this is a folder, not a history file"))
        if not path.parent.is_dir():
            raise HistoryError(Text("所在文件夹不存在", "its folder does not exist"))
        try:
            self.db = sqlite3.connect(path, timeout=timeout, isolation_level=None)  # transactions are explicit
        except sqlite3.Error as exc:
            raise HistoryError(UNWRITABLE, str(exc)) from None
        try:
            self._refuse_foreign()  # before anything is written: another program's database is left as it was
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            self._migrate()
        except sqlite3.OperationalError as exc:  # read-only, no room for the journal, locked past the timeout
            self.db.close()
            raise _unusable(exc) from None
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise HistoryError(NOT_HISTORY, str(exc)) from None
        except HistoryError:
            self.db.close()
            raise
        self.abandoned = self._mark_abandoned()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _refuse_foreign(self) -> None:
        """A database of a newer ledgercheck, or another program's, is refused before anything is written to it."""
        version = self.version
        if version > SCHEMA_VERSION:
            raise HistoryError(Text(f"由更新版本的 ledgercheck 写入（格式版本{version}，本版本只认识到"
                                    f"{SCHEMA_VERSION}）：请升级 ledgercheck",
                                    f"written by a newer ledgercheck (schema {version}, this one knows up to "
                                    f"{SCHEMA_VERSION}): upgrade ledgercheck"))
        if version == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise HistoryError(Text("是 SQLite 数据库，但不是 ledgercheck 的检查历史文件",
                                    "an SQLite database, but not a ledgercheck history"))

    def _migrate(self) -> None:
        version = self.version
        for target in range(version + 1, SCHEMA_VERSION + 1):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                if self.version >= target:  # another process migrated meanwhile
                    self.db.execute("COMMIT")
                    continue
                for statement in MIGRATIONS[target].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={target}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        if REBUILDS.intersection(range(version + 1, SCHEMA_VERSION + 1)):
            try:
                self.db.execute("VACUUM")
            except sqlite3.OperationalError:  # another scan has it open: only space is lost, until the next upgrade
                pass

    def _mark_abandoned(self) -> list[Round]:
        """Rounds left `running` by a process that is gone become `interrupted`; returned to be reported."""
        running = [r for r in self.rounds() if r.status == "running"]
        gone = []
        for round_ in running:
            pid, host = self.db.execute("SELECT pid, host FROM rounds WHERE id = ?", (round_.id,)).fetchone()
            if not _alive(pid, host):
                self.db.execute("UPDATE rounds SET status = 'interrupted' WHERE id = ? AND status = 'running'",
                                (round_.id,))
                gone.append(round_)
        return gone

    # ------------------------------------------------------------------ writing

    def begin(self, as_of: dt.date, window: tuple[dt.date | None, dt.date], pack: str, pack_version: str,
              scope: str = "", label: str = "") -> RoundWriter:
        started = dt.datetime.now().isoformat(timespec="seconds")
        try:
            cursor = self.db.execute(
                "INSERT INTO rounds (scope, as_of, window_start, window_end, pack, pack_version, started, status, "
                "pid, host, label, score_version) VALUES (?,?,?,?,?,?,?, 'running', ?, ?, ?, ?)",
                (scope, as_of.isoformat(), window[0].isoformat() if window[0] else "", window[1].isoformat(), pack,
                 pack_version, started, os.getpid(), socket.gethostname(), label, SCORE_VERSION))
        except sqlite3.OperationalError as exc:  # a history that can be read but not written
            raise _unusable(exc) from None
        assert cursor.lastrowid is not None
        # Each file's unit in the last complete round of the scope: a file that cannot be read names no unit, and
        # is kept under the unit its path stood for then (its findings still open), not as a new "unit".
        earlier = self.last_complete(scope, cursor.lastrowid)
        paths = dict(self.db.execute("SELECT path, unit FROM units WHERE round_id = ?", (earlier.id,))
                     ) if earlier is not None else {}
        return RoundWriter(self, cursor.lastrowid, paths)

    def last_complete(self, scope: str, before: int) -> Round | None:
        """The latest complete round of `scope` before round `before` (the one a round is compared with)."""
        earlier = [r for r in self.rounds(scope) if r.complete and r.id < before]
        return earlier[-1] if earlier else None

    # ------------------------------------------------------------------ reading

    def rounds(self, scope: str | None = None) -> list[Round]:
        sql = ("SELECT r.id, r.scope, r.label, r.as_of, r.window_start, r.window_end, r.pack, r.pack_version, "
               "r.started, r.finished, r.status, (SELECT count(*) FROM units u WHERE u.round_id = r.id), "
               "(SELECT count(*) FROM expected e WHERE e.round_id = r.id), "
               "(SELECT count(*) FROM expected e WHERE e.round_id = r.id AND e.unit IS NULL) "
               "FROM rounds r" + (" WHERE r.scope = ?" if scope is not None else "") + " ORDER BY r.id")
        return [Round(row[0], row[1], row[2], dt.date.fromisoformat(row[3]),
                      (dt.date.fromisoformat(row[4]) if row[4] else None, dt.date.fromisoformat(row[5])), row[6],
                      row[7], row[8],
                      row[9], row[10], row[11], row[12], row[13])
                for row in self.db.execute(sql, () if scope is None else (scope,))]

    def round(self, round_id: int) -> Round | None:
        return next((r for r in self.rounds() if r.id == round_id), None)

    def _rescored(self, round_id: int) -> dict[str, float | None] | None:
        """A round scored by an older formula, rescored by the current one from what it kept (the unit's counts,
        its organizations judged: those with a score); None when its scores are current. Of the incomplete
        audits only those with cells not read or a check failed are known, so only they lose their score."""
        version = self.db.execute("SELECT score_version FROM rounds WHERE id = ?", (round_id,)).fetchone()
        if version is None or version[0] == SCORE_VERSION:
            return None
        sql = ("SELECT u.unit, u.status, u.errors, u.warnings, (SELECT count(*) FROM orgs o JOIN unit_names n ON "
               "n.id = o.unit WHERE o.round_id = u.round_id AND n.name = u.unit AND o.score IS NOT NULL) "
               "FROM units u WHERE u.round_id = ?")
        return {row[0]: unit_score({"error": row[2], "warning": row[3]}, row[4]) if row[1] == "ok" else None
                for row in self.db.execute(sql, (round_id,))}

    def units(self, round_id: int) -> dict[str, UnitRecord]:
        units = {row[0]: UnitRecord(row[0], row[1], row[2], row[3], {"error": row[4], "warning": row[5],
                                                                       "info": row[6]}, row[7])
                 for row in self.db.execute("SELECT unit, path, status, score, errors, warnings, infos, members "
                                            "FROM units WHERE round_id = ? ORDER BY unit", (round_id,))}
        rescored = self._rescored(round_id)
        for name, score in (rescored or {}).items():
            units[name].score = score
        for row in self.db.execute("SELECT n.name, f.fingerprint, f.rule_id, f.org_id, f.severity, f.period, "
                                   "f.location, f.message FROM findings f JOIN unit_names n ON n.id = f.unit "
                                   "WHERE f.round_id = ? ORDER BY f.rowid", (round_id,)):
            if row[0] in units:
                units[row[0]].findings.append(FindingRecord(*row[1:]))
        for row in self.db.execute("SELECT n.name, o.org_id, o.name, o.score, o.errors, o.warnings, o.infos FROM "
                                   "orgs o JOIN unit_names n ON n.id = o.unit WHERE o.round_id = ? ORDER BY o.rowid",
                                   (round_id,)):
            if row[0] in units:
                units[row[0]].orgs.append(OrgRecord(row[1], row[2], row[3], {"error": row[4], "warning": row[5],
                                                                               "info": row[6]}))
        return units

    def scores(self, round_id: int) -> dict[str, float | None]:
        """Unit → score in a round (what the trend charts draw, without loading the findings)."""
        rescored = self._rescored(round_id)
        if rescored is not None:
            return rescored
        return {row[0]: row[1] for row in self.db.execute("SELECT unit, score FROM units WHERE round_id = ?",
                                                           (round_id,))}

    def expected(self, round_id: int) -> dict[str, str | None]:
        """Listed name → the unit that reported for it (None: it did not); empty when the round had no list."""
        return {row[0]: row[1] for row in self.db.execute(
            "SELECT listed, unit FROM expected WHERE round_id = ? ORDER BY listed", (round_id,))}

    def rule_rates(self, round_id: int) -> dict[str, tuple[int, int]]:
        """Rule id → (organizations complying, organizations judged) in a round."""
        return {row[0]: (row[1], row[2]) for row in self.db.execute(
            "SELECT n.name, sum(r.complying), sum(r.judged) FROM rule_units r JOIN rule_names n ON n.id = r.rule "
            "WHERE r.round_id = ? GROUP BY r.rule", (round_id,))}


class RoundWriter:
    """Writes one round's units in batches; `finish` makes the round complete."""

    def __init__(self, history: History, round_id: int, earlier: dict[str, str] | None = None):
        self.history = history
        self.id = round_id
        self._earlier = earlier or {}  # path → the unit it was in the last complete round
        self._batch: list[UnitRecord] = []
        self.units = 0
        # Several files of one round may name the same unit (a resubmission beside the first copy, or units whose
        # top organization has a generic name such as 机关党委). Each is kept, as "name（file）" (`apart`): which
        # one arrived last is the workers' timing, and none may silently replace another.
        self._first: dict[str, str] = {}  # unit name → the file first recorded under it
        self._shared: set[str] = set()  # names more than one file of this round gave
        self._renames: list[tuple[str, str]] = []  # keys written already, renamed in the next transaction
        self._expected: list[tuple[str, str | None, str | None]] = []  # (listed name, its file's unit, the file)
        self._numbers: dict[tuple[str, str], int] = {}  # (unit_names or rule_names, name) → its number
        self._keys: dict[str, str] = {}  # every key of the round so far → its file

    def add(self, unit: UnitRecord) -> None:
        if unit.status == "unreadable" and unit.unit == unit.path and unit.path in self._earlier:
            unit = replace(unit, unit=self._earlier[unit.path])  # a damaged file of a unit known by its path
        name = unit.unit
        if name in self._shared:
            unit = replace(unit, unit=apart(name, unit.path))
        elif name in self._first and self._first[name] != unit.path:
            self._shared.add(name)
            first = apart(name, self._first[name])
            while self._keys.get(first, self._first[name]) != self._first[name]:  # taken by another file (below)
                first = apart(first, self._first[name])
            queued = next((i for i, u in enumerate(self._batch) if u.unit == name), None)
            if queued is not None:
                self._batch[queued] = replace(self._batch[queued], unit=first)
            else:
                self._renames.append((name, first))
            self._keys[first] = self._keys.pop(name)
            unit = replace(unit, unit=apart(name, unit.path))
        else:
            self._first[name] = unit.path
        # A key another file of the round holds already (a file named like "name（file）", contrived but possible):
        # set apart again, never written over it.
        while self._keys.get(unit.unit, unit.path) != unit.path:
            unit = replace(unit, unit=apart(unit.unit, unit.path))
        self._keys[unit.unit] = unit.path
        self._batch.append(unit)
        if len(self._batch) >= BATCH:
            self._flush()

    def add_all(self, units: Iterable[UnitRecord]) -> None:
        for unit in units:
            self.add(unit)

    def _flush(self) -> None:
        if not self._batch and not self._renames:
            return
        db = self.history.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for old, new in self._renames:
                db.execute("UPDATE units SET unit = ? WHERE round_id = ? AND unit = ?", (new, self.id, old))
                for table in ("orgs", "findings", "rule_units"):
                    db.execute(f"UPDATE {table} SET unit = ? WHERE round_id = ? AND unit = ?",
                               (self._number("unit_names", new), self.id, self._number("unit_names", old)))
            for unit in self._batch:
                db.execute("INSERT OR REPLACE INTO units (round_id, unit, path, status, score, errors, warnings, infos,"
                           " members) VALUES (?,?,?,?,?,?,?,?,?)",
                           (self.id, unit.unit, unit.path, unit.status, unit.score, unit.counts.get("error", 0),
                            unit.counts.get("warning", 0), unit.counts.get("info", 0), unit.members))
                number = self._number("unit_names", unit.unit)
                for table in ("orgs", "findings", "rule_units"):  # a key written again is replaced whole, never merged
                    db.execute(f"DELETE FROM {table} WHERE round_id = ? AND unit = ?", (self.id, number))
                db.executemany("INSERT INTO orgs VALUES (?,?,?,?,?,?,?,?)", (
                    (self.id, number, o.org_id, o.name, o.score, o.counts.get("error", 0),
                     o.counts.get("warning", 0), o.counts.get("info", 0)) for o in unit.orgs))
                db.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?)", (
                    (self.id, number, f.fingerprint, f.rule_id, f.org_id, f.severity, f.period, f.location,
                     f.message) for f in unit.findings))
                db.executemany("INSERT INTO rule_units VALUES (?,?,?,?,?)", (
                    (self.id, number, self._number("rule_names", rule), judged, complying)
                    for rule, (judged, complying) in _by_rule(unit)))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            self._numbers.clear()  # names first numbered in this transaction are gone with it
            raise
        self.units += len(self._batch)
        self._batch = []
        self._renames = []

    def _number(self, table: str, name: str) -> int:
        """The number `table` (unit_names, rule_names) keeps `name` under, given it now if it has none (in the
        transaction under way: another scan's writer waits for it, and then finds it)."""
        found = self._numbers.get((table, name))
        if found is None:
            db = self.history.db
            db.execute(f"INSERT OR IGNORE INTO {table} (name) VALUES (?)", (name,))
            found = self._numbers[(table, name)] = db.execute(f"SELECT id FROM {table} WHERE name = ?",
                                                              (name,)).fetchone()[0]
        return found

    def expect(self, listed: str, unit: str | None = None, path: str | None = None) -> None:
        """A unit the round's list says should report, and the file that reported for it (none: it did not);
        written with the round's last transaction."""
        self._expected.append((listed, unit, path))

    def _key(self, unit: str | None, path: str) -> str:
        """The name the round keeps a file's unit under (unit_record's, set apart when several files share it)."""
        name = unit or path
        return apart(name, path) if name in self._shared else name

    def finish(self, complete: bool = True) -> None:
        """Write what is left and close the round: `complete`, or `interrupted` (Ctrl-C: kept, never compared)."""
        self._flush()
        db = self.history.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO expected VALUES (?,?,?)", (
                (self.id, listed, self._key(unit, path) if path is not None else None)
                for listed, unit, path in self._expected))
            db.execute("UPDATE rounds SET status = ?, finished = ? WHERE id = ?",
                       ("complete" if complete else "interrupted", dt.datetime.now().isoformat(timespec="seconds"),
                        self.id))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _by_rule(unit: UnitRecord) -> Iterator[tuple[str, tuple[int, int]]]:
    """(rule, (organizations judged, complying)) for each rule judged in the unit."""
    tally: dict[str, tuple[int, int]] = {}
    for rule, _org, complying in unit.rules:
        judged, complied = tally.get(rule, (0, 0))
        tally[rule] = (judged + 1, complied + bool(complying))
    return iter(tally.items())


def apart(unit: str, path: str) -> str:
    """The history's name for one of several files of a round that name the same unit."""
    return f"{unit}（{path}）"


def apart_unit(key: str, path: str) -> str | None:
    """The unit's name in a key `apart` made for the file at `path`; None for a key it did not make."""
    suffix = apart("", path)
    return key[:-len(suffix)] if key.endswith(suffix) and len(key) > len(suffix) else None


def unit_record(result: FileResult, display: str) -> UnitRecord:
    """What the history keeps of one scanned workbook. A unit is known by its name (the top organization), so a
    file renamed between rounds is still the same unit; a file that could not be read, by its name as shown."""
    name = result.unit or display
    return UnitRecord(
        name, display, result.status, result.score, dict(result.counts), result.members,
        [OrgRecord(o.org_id, o.name, o.score, dict(o.counts)) for o in result.orgs],
        [FindingRecord(f.fingerprint, f.rule_id, f.org_id, f.severity, f.period, f.location, f.message)
         for f in result.findings],
        list(result.judged))
