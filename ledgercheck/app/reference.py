"""The rules reference (docs/rules.md), generated from the rule packs so that it cannot drift from them."""

from __future__ import annotations

from pathlib import Path

import yaml

from ledgercheck.app.cases import load_case_file
from ledgercheck.checks import KINDS
from ledgercheck.checks.base import meaning
from ledgercheck.common.i18n import Text
from ledgercheck.common.spec import dump, fields_of
from ledgercheck.rulebook.loader import LoadedRule, Rulebook, load_rulebook

HEADER = """# Rules reference

Generated from the rule packs by `ledgercheck rules docs --write docs/rules.md`; do not edit by hand (a test
fails when this file is stale). `ledgercheck rules show RULE-ID` prints one rule with its examples.

Citation confidence: **verified** — the article was read with its number; **inferred** — the wording was read,
the number is inferred from neighbouring articles; **recalled** — the figure or number is not verified in a
primary source, so the rule makes it a parameter and says so.
"""


def citations(book: Rulebook, loaded: LoadedRule) -> list[str]:
    lines = []
    for source in loaded.rule.source:
        title = book.regulations[source.regulation].title.zh
        article = source.article or "（条文编号未核实）"
        extra = f" — {source.note}" if source.note else ""
        lines.append(f"《{title}》{article} ({source.confidence}){extra}")
    return lines


def cases_of(book: Rulebook, rule_id: str) -> list[tuple[str, str, bool]]:
    """(case name, file, expects findings) of every case file for the rule in the book's packs."""
    found = []
    for folder in book.directories:
        path = folder / "tests" / f"{rule_id}.yaml"
        if path.is_file():
            _doc, spec = load_case_file(path)
            found += [(name, str(path.name), bool(case.expect)) for name, case in spec.cases.items()]
    return found


def _check_yaml(loaded: LoadedRule) -> str:
    data = dump(loaded.rule.check, json=True, by_alias=True, exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110).rstrip()


def _meanings(loaded: LoadedRule) -> list[str]:
    """What each parameter the rule sets means, as the kind describes it."""
    check = loaded.rule.check
    written = dump(check, exclude_none=True)
    lines = []
    for attribute, spec in fields_of(type(check)).items():
        text = meaning(type(check), attribute) if attribute != "kind" else None
        if text is not None and attribute in written:
            lines.append(f"- `{spec.alias or attribute}`: {text.zh} / {text.en}")
    return lines


def _bilingual(text: Text | None) -> list[str]:
    if text is None:
        return []
    return [f"- {text.zh}", f"- {text.en}"]


def rule_section(book: Rulebook, loaded: LoadedRule) -> str:
    rule = loaded.rule
    lines = [f"### {rule.id}", "", f"**{rule.title.zh}** — {rule.title.en}", "",
             f"- severity: `{rule.severity.value}`; kind: `{rule.check.kind}`; file: `{loaded.doc.display}`"]
    if dump(rule.applies_to, exclude_none=True):
        applies = ", ".join(f"{k}: {v}" for k, v in dump(rule.applies_to, exclude_none=True).items())
        lines.append(f"- applies to: {applies}")
    lines += [f"- cites: {c}" for c in citations(book, loaded)]
    lines += ["", "Message:", "", f"- {rule.message.zh}", f"- {rule.message.en}"]
    if rule.rationale:
        lines += ["", "Rationale:", "", *_bilingual(rule.rationale.text())]
    if rule.fix:
        lines += ["", "How to fix:", "", *_bilingual(rule.fix.text())]
    lines += ["", "Parameters:", "", "```yaml", _check_yaml(loaded), "```", "", *_meanings(loaded)]
    cases = cases_of(book, rule.id)
    if cases:
        passing = ", ".join(f"`{n}`" for n, _f, bad in cases if not bad) or "—"
        failing = ", ".join(f"`{n}`" for n, _f, bad in cases if bad) or "—"
        lines += ["", f"Examples (rule cases): passing {passing}; failing {failing}"]
    return "\n".join(lines)


def kinds_section() -> str:
    lines = ["## Check kinds", "",
             "Each kind is one module in `ledgercheck/checks/`. Messages may use `{org}`, `{org_id}`, `{subject}`, "
             "`{period}` and the kind's evidence keys, which also appear in the JSON output's `evidence`.", ""]
    for name, kind in KINDS.items():
        doc = kind.doc
        evidence = ", ".join(f"`{k}`" for k in sorted(kind.evidence)) if name != "expression" else \
            "the fields the expression names (organization fields as `org_<field>`) and its `params`"
        lines += [f"### `{name}`", "", doc, "", f"Evidence: {evidence}", "", "Parameters:", ""]
        for attribute, spec in fields_of(kind.params).items():
            text = meaning(kind.params, attribute) if attribute != "kind" else None
            if text is not None:
                lines.append(f"- `{spec.alias or attribute}`: {text.zh} / {text.en}")
        lines.append("")
    return "\n".join(lines)


def generate(packs: list[str] | None = None) -> str:
    from ledgercheck.rulebook.loader import builtin_packs

    parts = [HEADER]
    # The national pack first, then packs that extend it.
    for name in packs or sorted(builtin_packs(), key=lambda n: (n != "national", n)):
        book = load_rulebook(name)
        pack_name, version = book.packs[-1]
        own = [r for r in book.rules.values() if r.pack == pack_name]
        parts.append(f"## Pack `{pack_name}` {version} ({len(book.rules)} rules in force, {len(own)} defined or "
                     f"changed here)\n")
        if len(book.packs) > 1:
            parts.append(f"Extends `{book.packs[-2][0]}`. Rules it does not list here come from the base pack "
                         "unchanged; see `pack.yaml` for the rules it disables.\n")
        parts.append("| rule | severity | title | cites |\n|---|---|---|---|")
        for loaded in own:
            short = book.citation(loaded.rule, short=True).zh
            parts.append(f"| [{loaded.rule.id}](#{loaded.rule.id.lower()}) | {loaded.rule.severity.value} | "
                         f"{loaded.rule.title.zh} | {short} |")
        parts.append("")
        parts += [rule_section(book, loaded) + "\n" for loaded in own]
    parts.append(kinds_section())
    return "\n".join(parts).rstrip() + "\n"


def write(path: Path) -> bool:
    """Regenerate `path`; True when it changed."""
    text = generate()
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    if old != text:
        path.write_text(text, encoding="utf-8")
    return old != text
