"""The scan as one JSON document (docs/output.md, "scan"): summary first, then one line per file.

Files are written one at a time from the store, so a scan of any size is written in flat memory.
Stable: the same workbooks, rules and --as-of give the same bytes (no timings, files in path order).
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any, TextIO

from ledgercheck import __version__
from ledgercheck.findings.scan.report import ScanReport, category
from ledgercheck.findings.scan.roll import RollCheck
from ledgercheck.findings.scan.store import FileRow, OrgRow
from ledgercheck.findings.scan.summary import SCORE_FORMULA, SCORE_WEIGHTS, SEVERITIES, STATUSES
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.reporters.history_ import comparison_dict
from ledgercheck.reporters.scan.labels import score_labels, size_labels

# 1.1: per file complete, tied, orgs_judged, rules_total, missing_sheets (score and rank null when incomplete);
# summary.incomplete; rules[].category; score.unit and score.organization. 1.2: summary.skipped_reports and
# summary.same_name_units. 1.3: expected (the list of units that should report, --expected). 1.4: the code of each
# listed unit in expected.reported and expected.not_reported (null when the list has none). 1.5: movement (with
# --history: this round against the previous one, as `history compare --format json` gives it; else null)
SCHEMA_VERSION = "1.5"


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def head(report: ScanReport) -> dict[str, Any]:
    lang, totals = report.lang, report.totals
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "scan",
        "tool": {"name": "ledgercheck", "version": __version__},
        "as_of": report.as_of.isoformat(),
        "since": report.since.isoformat() if report.since else None,
        "rule_packs": [{"name": n, "version": v} for n, v in report.packs],
        "score": {"formula": SCORE_FORMULA(lang), "weights": SCORE_WEIGHTS,
                  "unit": "max(0, 100 - (weights·findings) / organizations_judged), rounded to 0.1; null when incomplete",
                  "organization": "max(0, 100 - weights·findings)"},
        "summary": {
            "files": report.outcome.total, "finished": report.outcome.finished,
            "not_finished": report.outcome.not_finished, "interrupted": report.outcome.interrupted,
            "status": {s: totals.statuses[s] for s in STATUSES},
            "organizations": totals.orgs, "organizations_judged": totals.orgs_judged, "members": totals.members,
            "findings": {s: totals.findings[s] for s in SEVERITIES}, "mean_score": totals.mean_score,
            "incomplete": totals.incomplete,
            "ignored_files": report.ignored, "skipped_reports": report.reports,
            "same_name_units": [{"unit": unit, "files": files} for unit, files in report.store.same_named()],
            "unmatched_patterns": report.unmatched,
        },
        "rules": [{"id": info.rule_id, "title": info.title(lang), "category": category(info),
                   "severity": info.severity.value,
                   "citation": info.basis(lang), "orgs_judged": tally.judged, "orgs_complying": tally.complying,
                   "compliance": _rate(tally.rate), "findings": tally.findings,
                   "units_lacking_data": tally.units_skipped} for info, tally in report.rule_rows()],
        "org_sizes": {"bins": size_labels(), "by_type": dict(sorted(totals.sizes.items()))},
        "unit_scores": {"bins": score_labels(), "units": totals.scores},
        "expected": _roll(report.roll) if report.roll is not None else None,
        "movement": comparison_dict(report.movement) if report.movement is not None else None,
    }


def _roll(check: RollCheck) -> dict[str, Any]:
    return {
        "source": PurePath(check.roll.source).name, "listed": check.listed,
        "reported": [{"unit": entry.name, "code": entry.code or None, "where": entry.where,
                      "files": [f.path for f in files]} for entry, files in check.reported],
        "not_reported": [{"unit": entry.name, "code": entry.code or None, "where": entry.where}
                         for entry in check.not_reported],
        "unlisted": [{"path": f.path, "unit": f.unit} for f in check.unlisted],
        "repeated": [{"unit": name, "where": places} for name, places in check.roll.repeated],
    }


def _org(org: OrgRow) -> dict[str, Any]:
    return {"org_id": org.org_id, "name": org.name, "org_type": org.org_type, "parent_id": org.parent_id,
            "members": org.members, "findings": org.counts, "rules_judged": org.rules_judged,
            "rules_failed": org.rules_failed, "score": org.score}


def file_entry(report: ScanReport, row: FileRow) -> dict[str, Any]:
    store = report.store
    return {
        "path": row.path, "unit": row.unit, "status": row.status, "error": row.error,
        "complete": row.audited and row.complete, "score": row.score, "rank": row.rank,
        "tied": row.rank is not None and row.tied > 1, "orgs_judged": row.orgs_judged, "members": row.members,
        "findings_count": row.counts, "input_errors": row.input_errors,
        "input_warnings": row.input_warnings, "internal_errors": row.internal_errors,
        "skipped_rules": list(row.skipped_rules), "rules_total": row.rules_total,
        "missing_sheets": list(row.missing_sheets),
        "organizations": [_org(o) for o in store.file_orgs(row.seq)],
        "findings": [{"org_id": f.org_id, "org_name": f.org_name, "rule": f.rule_id, "severity": f.severity,
                      "period": f.period, "location": f.location, "message": f.message}
                     for f in store.file_findings(row.seq)],
    }


def write(report: ScanReport, stream: TextIO, options: ReportOptions | None = None) -> None:
    text = json.dumps(head(report), ensure_ascii=False, indent=2)
    stream.write(text[:-2] + ',\n  "files": [')  # reopen the object after its last key
    for index, row in enumerate(report.store.files()):
        stream.write(("\n    " if index == 0 else ",\n    ") + json.dumps(file_entry(report, row), ensure_ascii=False))
    stream.write('\n  ],\n  "not_finished": ' + json.dumps(report.unfinished, ensure_ascii=False) + "\n}\n")
