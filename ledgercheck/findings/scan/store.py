"""Where scan results go as they arrive: rows in a temporary SQLite file, totals in memory.

Thousands of workbooks with their organizations and findings do not pile up in the process: each
FileResult is written out and dropped, so memory stays flat however many files are scanned. The
reporters read the rows back in a stable order (the files' sorted order, not completion order).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from ledgercheck.findings.scan.summary import SEVERITIES, FileResult, FindingRow, penalty

# Branch sizes in active members, cut at the thresholds the regulations use (3 to form a branch,
# 7 for a branch committee, 50 as a branch's usual maximum, 100 for an organ Party committee).
SIZE_BINS: tuple[tuple[int, int | None], ...] = ((0, 2), (3, 6), (7, 20), (21, 50), (51, 100), (101, None))
SCORE_BINS: tuple[int, ...] = (0, 60, 70, 80, 90)  # lower bounds of the unit-score bands

_SCHEMA = """
CREATE TABLE files (seq INTEGER PRIMARY KEY, path TEXT, unit TEXT, status TEXT, error TEXT, orgs INTEGER,
    members INTEGER, error_count INTEGER, warning_count INTEGER, info_count INTEGER, input_errors INTEGER,
    input_warnings INTEGER, internal_errors INTEGER, skipped_rules TEXT, score REAL, seconds REAL,
    orgs_judged INTEGER, complete INTEGER, rules_total INTEGER, missing_sheets TEXT, penalty REAL);
CREATE TABLE orgs (seq INTEGER, pos INTEGER, org_id TEXT, name TEXT, org_type TEXT, parent_id TEXT,
    members INTEGER, error_count INTEGER, warning_count INTEGER, info_count INTEGER, rules_judged INTEGER,
    rules_failed INTEGER, score REAL, PRIMARY KEY (seq, pos));
CREATE TABLE findings (seq INTEGER, pos INTEGER, org_id TEXT, org_name TEXT, rule_id TEXT, severity TEXT,
    period TEXT, location TEXT, message TEXT, subject TEXT, subject_label TEXT, PRIMARY KEY (seq, pos));
"""


def _text(value: str | None) -> str | None:
    """Text SQLite (UTF-8) can store: the bytes of a name that is not UTF-8 escaped (\\xcc)."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that does not stand for a byte
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _escaped(result: FileResult) -> FileResult:
    orgs = [replace(o, org_id=_text(o.org_id) or "", name=_text(o.name) or "", org_type=_text(o.org_type) or "",
                    parent_id=_text(o.parent_id)) for o in result.orgs]
    findings = [replace(f, org_id=_text(f.org_id) or "", org_name=_text(f.org_name) or "",
                        rule_id=_text(f.rule_id) or "", period=_text(f.period), location=_text(f.location),
                        message=_text(f.message) or "", subject=_text(f.subject) or "",
                        subject_label=_text(f.subject_label) or "") for f in result.findings]
    return replace(result, path=_text(result.path) or "", error=_text(result.error), unit=_text(result.unit),
                   orgs=orgs, findings=findings)


def size_bin(members: int) -> int:
    return next(i for i, (low, high) in enumerate(SIZE_BINS) if members >= low and (high is None or members <= high))


def score_bin(score: float) -> int:
    return max(i for i, low in enumerate(SCORE_BINS) if score >= low)


@dataclass
class RuleTally:
    judged: int = 0  # organizations the rule was applied to
    complying: int = 0  # of those, organizations without a finding of the rule
    findings: int = 0
    units_skipped: int = 0  # audited units whose ledger lacked the rule's data

    @property
    def rate(self) -> float | None:
        return self.complying / self.judged if self.judged else None


@dataclass
class Totals:
    """Everything the summary needs that is small: counts, per-rule tallies, distributions."""

    files: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    input_errors: int = 0
    orgs: int = 0
    orgs_judged: int = 0
    members: int = 0
    rules: dict[str, RuleTally] = field(default_factory=dict)
    sizes: dict[str, list[int]] = field(default_factory=dict)  # base org type → count per SIZE_BINS
    scores: list[int] = field(default_factory=lambda: [0] * len(SCORE_BINS))  # units per SCORE_BINS
    score_sum: Fraction = Fraction(0)  # exact: the mean must not depend on the order results arrive in
    scored_units: int = 0
    incomplete: int = 0  # audited units whose audit is incomplete: neither scored nor ranked
    seconds: float = 0.0
    blocking: int = 0  # findings that fail the run (review/policy.py)

    @property
    def audited(self) -> int:
        return self.files - self.statuses["unreadable"]

    @property
    def mean_score(self) -> float | None:
        return round(float(self.score_sum / self.scored_units), 1) if self.scored_units else None

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.statuses[result.status] += 1
        self.seconds += result.seconds
        if not result.audited:
            return
        self.findings.update(result.counts)
        self.incomplete += result.incomplete
        self.blocking += result.blocking
        self.input_errors += result.input_errors
        self.orgs += len(result.orgs)
        self.orgs_judged += sum(1 for o in result.orgs if o.judged)
        self.members += result.members
        for org in result.orgs:
            self.sizes.setdefault(org.base_type, [0] * len(SIZE_BINS))[size_bin(org.members)] += 1
        for rule_id, (judged, complying) in result.rules.items():
            tally = self.rules.setdefault(rule_id, RuleTally())
            tally.judged += judged
            tally.complying += complying
        for finding in result.findings:
            self.rules.setdefault(finding.rule_id, RuleTally()).findings += 1
        for rule_id in result.skipped_rules:
            self.rules.setdefault(rule_id, RuleTally()).units_skipped += 1
        score = result.score
        if score is not None:
            self.score_sum += Fraction(score)
            self.scored_units += 1
            self.scores[score_bin(score)] += 1


@dataclass(frozen=True)
class FileRow:
    seq: int
    path: str
    unit: str | None
    status: str
    error: str | None
    orgs: int
    members: int
    counts: dict[str, int]
    input_errors: int
    input_warnings: int
    internal_errors: int
    skipped_rules: tuple[str, ...]
    score: float | None
    rank: int | None = None
    orgs_judged: int = 0
    complete: bool = True
    rules_total: int = 0
    missing_sheets: tuple[str, ...] = ()
    penalty: float = 0.0  # points lost per organization judged (the score before the floor and rounding)
    tied: int = 1  # units that share this rank (this one included)

    @property
    def audited(self) -> bool:
        return self.status != "unreadable"

    @property
    def incomplete(self) -> bool:
        return self.audited and not self.complete


@dataclass(frozen=True)
class OrgRow:
    seq: int
    path: str
    unit: str | None
    org_id: str
    name: str
    org_type: str
    parent_id: str | None
    members: int
    counts: dict[str, int]
    rules_judged: int
    rules_failed: int
    score: float | None
    complete: bool = True  # its unit's audit is complete


@dataclass(frozen=True)
class FindingLine:
    path: str
    unit: str | None
    finding: FindingRow
    complete: bool = True  # its unit's audit is complete


class ScanStore:
    """Use as a context manager: the temporary database is removed on exit."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="ledgercheck-scan-")
        self._db = sqlite3.connect(Path(self._folder.name) / "scan.sqlite3")
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self.totals = Totals()
        self._pending = 0

    def __enter__(self) -> ScanStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def add(self, seq: int, result: FileResult) -> None:
        try:
            self._insert(seq, result)
        except UnicodeEncodeError:  # a name that is not UTF-8 (a GBK file name) slipped through: store it escaped
            for table in ("files", "orgs", "findings"):
                self._db.execute(f"DELETE FROM {table} WHERE seq = ?", (seq,))
            self._insert(seq, _escaped(result))
        self.totals.add(result)
        self._pending += 1
        if self._pending >= 200:
            self._db.commit()
            self._pending = 0

    def _insert(self, seq: int, result: FileResult) -> None:
        db = self._db
        judged = result.orgs_judged
        db.execute("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
            seq, result.path, result.unit, result.status, result.error, len(result.orgs), result.members,
            *(result.counts.get(s, 0) for s in SEVERITIES), result.input_errors, result.input_warnings,
            result.internal_errors, ",".join(result.skipped_rules), result.score, result.seconds, judged,
            int(result.complete), result.rules_total, ",".join(result.missing_sheets),
            penalty(result.counts) / judged if judged else 0.0))
        db.executemany("INSERT INTO orgs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", (
            (seq, pos, o.org_id, o.name, o.org_type, o.parent_id, o.members, *(o.counts[s] for s in SEVERITIES),
             o.rules_judged, o.rules_failed, o.score) for pos, o in enumerate(result.orgs)))
        db.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?)", (
            (seq, pos, f.org_id, f.org_name, f.rule_id, f.severity, f.period, f.location, f.message, f.subject,
             f.subject_label) for pos, f in enumerate(result.findings)))

    # ------------------------------------------------------------------ reading back

    def files(self, order: str = "path", statuses: tuple[str, ...] = ()) -> Iterator[FileRow]:
        """order: `path` (sorted file order), `best` or `worst` (by score; unscored files excluded: unreadable
        ones, incomplete ones and those with no organization judged).

        `rank` is the competition ranking by unit score, best first (equal scores share a rank, `tied` says how
        many); within a tie, `best` lists the unit with fewer points lost first and `worst` the one with more.
        """
        where = ["score IS NOT NULL"] if order != "path" else []
        if statuses:
            where.append(f"status IN ({','.join('?' * len(statuses))})")
        ranked = ("SELECT *, CASE WHEN score IS NULL THEN NULL ELSE RANK() OVER (ORDER BY score IS NULL, score DESC) "
                  "END, COUNT(*) OVER (PARTITION BY score) FROM files")  # ranked over all files before any filter
        sql = (f"SELECT * FROM ({ranked})" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY "
               + {"path": "seq", "best": "score DESC, penalty ASC, seq",
                  "worst": "score ASC, penalty DESC, seq"}[order])
        for row in self._db.execute(sql, statuses):
            yield self._file(row)

    @staticmethod
    def _file(row: tuple) -> FileRow:
        return FileRow(row[0], row[1], row[2], row[3], row[4], row[5], row[6], dict(zip(SEVERITIES, row[7:10])),
                       row[10], row[11], row[12], tuple(r for r in row[13].split(",") if r), row[14], row[21],
                       orgs_judged=row[16], complete=bool(row[17]), rules_total=row[18],
                       missing_sheets=tuple(r for r in row[19].split(",") if r), penalty=row[20],
                       tied=row[22] if row[14] is not None else 1)

    def same_named(self) -> list[tuple[str, list[str]]]:
        """Units named by more than one file (a resubmission beside the first copy, or a generic name such as
        机关党委), each with its files in path order, in the order the first of them comes."""
        groups: dict[str, list[str]] = {}
        for unit, path in self._db.execute(
                "SELECT unit, path FROM files WHERE unit IN "
                "(SELECT unit FROM files WHERE unit IS NOT NULL GROUP BY unit HAVING COUNT(*) > 1) ORDER BY seq"):
            groups.setdefault(unit, []).append(path)
        return list(groups.items())

    def incomplete_files(self) -> Iterator[FileRow]:
        """Units audited only in part, in path order: listed apart from the rankings."""
        for row in self.files():
            if row.incomplete:
                yield row

    def status_files(self, *statuses: str) -> Iterator[FileRow]:
        return self.files(statuses=statuses)

    def orgs(self, order: str = "path", limit: int | None = None) -> Iterator[OrgRow]:
        """order: `path` (file order, then workbook order) or `worst` (lowest score first)."""
        sql = ("SELECT o.*, f.path, f.unit, f.complete FROM orgs o JOIN files f USING (seq) "
               + ("ORDER BY o.seq, o.pos" if order == "path"
                  else "WHERE o.score IS NOT NULL ORDER BY o.score ASC, o.error_count DESC, o.seq, o.pos")
               + (f" LIMIT {int(limit)}" if limit is not None else ""))
        for row in self._db.execute(sql):
            yield self._org(row)

    def file_orgs(self, seq: int) -> list[OrgRow]:
        sql = ("SELECT o.*, f.path, f.unit, f.complete FROM orgs o JOIN files f USING (seq) WHERE o.seq = ? "
               "ORDER BY o.pos")
        return [self._org(row) for row in self._db.execute(sql, (seq,))]

    @staticmethod
    def _org(row: tuple) -> OrgRow:
        return OrgRow(row[0], row[13], row[14], row[2], row[3], row[4], row[5], row[6],
                      dict(zip(SEVERITIES, row[7:10])), row[10], row[11], row[12], bool(row[15]))

    def findings(self) -> Iterator[FindingLine]:
        sql = ("SELECT f.path, f.unit, f.complete, x.org_id, x.org_name, x.rule_id, x.severity, x.period, x.location, "
               "x.message, '', x.subject, x.subject_label FROM findings x JOIN files f USING (seq) ORDER BY x.seq, x.pos")
        for row in self._db.execute(sql):
            yield FindingLine(row[0], row[1], FindingRow(*row[3:]), bool(row[2]))

    def file_findings(self, seq: int) -> list[FindingRow]:
        sql = ("SELECT org_id, org_name, rule_id, severity, period, location, message, '', subject, subject_label "
               "FROM findings WHERE seq = ? ORDER BY pos")
        return [FindingRow(*row) for row in self._db.execute(sql, (seq,))]

    def finding_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
