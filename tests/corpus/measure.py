"""Read every corpus layout (named and blind) and measure how it was understood against what it holds.

    python -m tests.corpus.measure            # prints the table docs/reading.md shows

For each workbook: whether every sheet was recognized as what it holds, how many columns were read as a field,
how many were read as a wrong field (a field the column does not hold), the planted violations found against
those the canonical layout of the same data shows (recall), and findings the canonical layout does not have
(false alarms). tests/test_corpus.py asserts the same figures.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledgercheck.app.config import CliOptions, resolve
from ledgercheck.app.context import Context
from ledgercheck.findings.result import AuditResult
from ledgercheck.ingest.loader import LoadResult
from ledgercheck.model.schema import SHEETS_BY_KEY
from tests.corpus.build import project, unit, write_layout, write_reference
from tests.corpus.layouts import LAYOUTS, Col, Layout

AS_OF = dt.date(2026, 1, 15)


@dataclass
class Measure:
    layout: str
    variant: str  # named | blind
    sheets: int
    recognized: int
    rows: int  # records read
    columns: int  # columns read as a field
    wrong: list[str] = field(default_factory=list)  # "sheet!column header → field"
    unmapped_required: list[str] = field(default_factory=list)
    planted: int = 0  # planted violations the canonical layout of the same data shows
    found: int = 0  # … of which this workbook shows
    false_alarms: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # findings of the canonical layout not found
    input_errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0


def context() -> Context:
    return Context.build(resolve(CliOptions(as_of=AS_OF, no_config=True)))


def _sheet_plans(layout: Layout, loaded: LoadResult, blind: bool) -> list[tuple[Any, Any]]:
    """(sheet layout, plan) pairs: by name, or by position in a blind workbook (month sheets keep their names)."""
    plans = [p for p in loaded.plans]
    pairs = []
    position = 0
    for sheet in layout.sheets:
        if sheet.shape == "months":
            for plan in plans:
                if plan.key == "dues" and plan.how == "month-name":
                    pairs.append((sheet, plan))
            continue
        position += 1
        name = f"Sheet{position}" if blind else sheet.name
        pairs.append((sheet, next((p for p in plans if p.name == name), None)))
    return pairs


def _key(finding: dict[str, Any]) -> tuple[str, str, str | None]:
    return finding["rule"], finding["org"], finding.get("period")


def _matches(planted: dict[str, Any], found: Any, org_name: dict[str, str], codes: bool) -> bool:
    org = planted["org"] if codes else org_name.get(planted["org"], planted["org"])
    if found.rule_id != planted["rule"] or found.org_id != org:
        return False
    if planted.get("period") and (found.period is None or found.period.label != str(planted["period"])):
        return False
    return not planted.get("subject") or found.subject.label == planted["subject"]


def measure(layout: Layout, folder: Path, ctx: Context) -> list[Measure]:
    tables, planted = unit()
    org_name = {o["org_id"]: o["name"] for o in tables["orgs"]}
    projected = project(layout, tables)
    reference = ctx.audit(write_reference(layout, projected, folder / f"{layout.id}-reference.xlsx"))
    results = []
    for variant in ("named", "blind"):
        path = write_layout(layout, projected, folder / f"{layout.id}-{variant}.xlsx", blind=variant == "blind")
        loaded = ctx.read(path)
        result = ctx.review(ctx.judge(loaded))
        results.append(_measure(layout, variant, loaded, result, reference, planted, org_name))
    return results


def _measure(layout: Layout, variant: str, loaded: LoadResult, result: AuditResult, reference: AuditResult,
             planted: list[dict[str, Any]], org_name: dict[str, str]) -> Measure:
    pairs = _sheet_plans(layout, loaded, variant == "blind")
    found = Measure(layout.id, variant, len(pairs), sum(1 for s, p in pairs if p is not None and p.key == s.kind),
                    len(loaded.ledger.orgs) + len(loaded.ledger.members) + len(loaded.ledger.meetings) +
                    len(loaded.ledger.dues) + len(loaded.ledger.elections) + len(loaded.ledger.recruits), 0)
    for sheet, plan in pairs:
        if plan is None or plan.key != sheet.kind:
            continue
        declared: dict[str, Col] = {c.header: c for c in sheet.columns}
        required = {f.key for f in SHEETS_BY_KEY[sheet.kind].fields if f.required}
        read_fields: set[str] = set()
        for column in plan.columns:
            if column.month is not None:
                found.columns += 1  # a month column of wide dues: the amount paid that month
                continue
            col = declared.get(column.header) or declared.get(column.header.split(" ")[-1])
            if column.field is not None:
                found.columns += 1
                read_fields.add(column.field)
            if col is None:
                continue
            allowed = {col.field, *col.also}
            if column.field is not None and column.field not in allowed:
                found.wrong.append(f"{plan.name}!{column.letter} {column.header} → {column.field}")
        for col in sheet.columns:
            if col.field in required and col.field not in read_fields and col.field not in plan.infer:
                found.unmapped_required.append(f"{plan.name}: {col.header} ({col.field})")
    mine = {f.fingerprint for f in result.findings}
    theirs = {f.fingerprint for f in reference.findings}
    found.false_alarms = sorted(f"{f.rule_id} {f.org_id} {f.subject.label}" for f in result.findings
                                if f.fingerprint not in theirs)
    found.missing = sorted(f"{f.rule_id} {f.org_id} {f.subject.label}" for f in reference.findings
                           if f.fingerprint not in mine)
    visible = [p for p in planted if any(_matches(p, f, org_name, layout.org_codes) for f in reference.findings)]
    found.planted = len(visible)
    found.found = sum(1 for p in visible if any(_matches(p, f, org_name, layout.org_codes) for f in result.findings))
    found.input_errors = [f"{i.code} {i.location.short()}" for i in result.input_errors]
    return found


def measure_all() -> list[Measure]:
    ctx = context()
    with tempfile.TemporaryDirectory() as folder:
        return [m for layout in LAYOUTS for m in measure(layout, Path(folder), ctx)]


def table(measures: list[Measure]) -> str:
    titles = {layout.id: layout for layout in LAYOUTS}
    lines = ["| layout | variant | sheets recognized | records read | columns read | wrong | recall | false alarms |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for m in measures:
        shapes = ", ".join(titles[m.layout].shapes)
        name = f"`{m.layout}` ({shapes})" if m.variant == "named" else ""
        lines.append(f"| {name} | {m.variant} | {m.recognized}/{m.sheets} | {m.rows:,} | {m.columns} | "
                     f"{len(m.wrong)} | {m.found}/{m.planted} | {len(m.false_alarms)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(measure_all()), end="")
