"""Rectification notices (整改通知书) as one printable HTML page: each unit's notice, then its 回执, each on new
A4 pages when printed.

The same words as the .docx (reporters/notice_texts.py). Self-contained: no script, nothing fetched; every
piece of ledger text is escaped. `sections()` gives the notices' HTML without the page around them, for a report
that wants to append them (the scan's HTML report); `CSS` is the style they need.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from ledgercheck.common.i18n import Lang
from ledgercheck.findings.notices import Notice
from ledgercheck.reporters import notice_texts as words
from ledgercheck.reporters.markup import escape
from ledgercheck.reporters.notice_texts import T

CSS = """
@page { size: A4 portrait; margin: 37mm 26mm 35mm 28mm; }
.notice, .receipt { color: #000; background: #FFF; max-width: 156mm; margin: 0 auto 48px;
  font-family: "FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC",
    "Source Han Serif SC", "Songti SC", "SimSun", serif;
  font-size: 16pt; line-height: 28pt; }
.notice h1, .receipt h1 { font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC",
    "Microsoft YaHei", sans-serif; font-weight: normal; font-size: 22pt; line-height: 1.4; text-align: center;
  margin: 0 0 12pt; }
.receipt h1 { font-size: 18pt; margin-bottom: 6pt; }
.notice .number, .receipt .note { text-align: center; margin: 0 0 12pt; }
.notice p { margin: 0; text-align: justify; }
.notice p.body { text-indent: 2em; }
.notice h2 { font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-weight: normal;
  font-size: 16pt; margin: 0; text-indent: 2em; break-after: avoid; page-break-after: avoid; }
.notice h3 { font-family: "KaiTi", "楷体", "KaiTi_GB2312", "STKaiti", "Noto Serif CJK SC", serif;
  font-weight: normal; font-size: 16pt; margin: 0; text-indent: 2em; break-after: avoid; page-break-after: avoid; }
.notice p.note { font-size: 12pt; line-height: 1.5; text-indent: 2em; margin: 0 0 4pt; break-after: avoid;
  page-break-after: avoid; }
.notice table, .receipt table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; font-size: 10.5pt;
  line-height: 1.45; }
.notice th, .notice td, .receipt th, .receipt td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top;
  text-align: left; }
.notice th, .receipt th { font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif;
  font-weight: normal; background: #EDEDED; text-align: center; vertical-align: middle; }
.notice td.c { text-align: center; vertical-align: middle; white-space: nowrap; }
.notice td .rule { font-weight: bold; display: block; }
.notice td .period { display: block; }
.notice thead { display: table-header-group; }
.notice tr, .receipt tr { break-inside: avoid; page-break-inside: avoid; }
.notice .signature { text-align: right; padding-right: 2em; }
.notice .signature.first { margin-top: 56pt; }
.notice .blank { display: inline-block; min-width: 8em; border-bottom: 0.75pt solid #000; }
.receipt { break-before: page; page-break-before: always; }
.receipt th { width: 27%; font-size: 12pt; }
.receipt td { font-size: 12pt; }
.receipt td.hint { color: #555; }
.receipt td.right { text-align: right; vertical-align: bottom; }
.notice + .receipt + .notice { break-before: page; page-break-before: always; }
@media print { .notice, .receipt { margin: 0; max-width: none; } }
"""


def _cells(values: Iterable[str], centred: Iterable[int] = ()) -> str:
    centred = set(centred)
    return "".join(f'<td class="c">{value}</td>' if i in centred else f"<td>{value}</td>"
                   for i, value in enumerate(values))


def notice_html(notice: Notice) -> str:
    """One unit's notice and its 回执 as two <section>s."""
    lang = notice.lang
    out = [f'<section class="notice" data-unit="{escape(notice.unit)}">',
           f"<h1>{escape(T['title'](lang))}</h1>",
           f'<p class="number">{escape(notice.number)}</p>',
           f"<p>{escape(words.salutation(notice))}</p>",
           f'<p class="body">{escape(words.intro(notice))}</p>',
           f"<h2>{escape(T['summary'](lang))}</h2>"]
    levels = list(notice.severities)
    head = [T["no"](lang), T["org"](lang), T["org_type"](lang), *(T[s](lang) for s in levels), T["subtotal"](lang)]
    numeric = {0, *range(3, len(head))}
    rows, totals = [], dict.fromkeys(levels, 0)
    for number, org in enumerate(notice.orgs, 1):
        counts = [org.counts.get(s, 0) for s in levels]
        for level, count in zip(levels, counts):
            totals[level] += count
        rows.append(_cells([str(number), escape(words.org_label(org, lang)), escape(words.org_type(org.org_type, lang)),
                            *map(str, counts), str(sum(counts))], numeric))
    rows.append(_cells(["", escape(T["total"](lang)), "", *(str(totals[s]) for s in levels),
                        str(sum(totals.values()))], numeric))
    out.append(_table(head, rows))
    out.append(f"<h2>{escape(T['problems'](lang))}</h2>")
    out.append(f'<p class="note">{escape(T["where_note"](lang))}</p>')
    head = [T["no"](lang), T["severity"](lang), T["problem"](lang), T["where"](lang), T["basis"](lang),
            T["fix"](lang)]
    for position, org in enumerate(notice.problem_orgs, 1):
        out.append(f"<h3>{escape(words.org_heading(notice, position, org))}</h3>")
        rows = []
        for number, item in enumerate(org.items, 1):
            lines = words.problem_lines(item.period, item.message, lang)
            problem = (f'<span class="rule">{escape(item.rule_title)}</span>{escape(lines[0])}'
                       + "".join(f'<span class="period">{escape(line)}</span>' for line in lines[1:]))
            rows.append(_cells([str(number), escape(words.severity(item.severity, lang)), problem,
                                escape(item.location or "—"), escape(item.basis or "—"), escape(item.fix)], (0, 1)))
        out.append(_table(head, rows, widths=("6%", "7%", "29%", "15%", "20%", "23%")))
    out.append(f"<h2>{escape(T['requirements'](lang))}</h2>")
    out.extend(f'<p class="body">{escape(line)}</p>' for line in words.requirements(notice))
    issuer = escape(notice.issuer) if notice.issuer else '<span class="blank">\u3000</span>'
    out.append(f'<p class="signature first">{escape(T["issuer_seal"](lang))}{issuer}</p>')
    out.append(f'<p class="signature">{escape(T["date"](lang) + words.issued_date(notice))}</p>')
    out.append("</section>")
    out.append(_receipt(notice))
    return "".join(out)


def _table(head: list[str], rows: list[str], widths: tuple[str, ...] = ()) -> str:
    columns = "".join(f'<col style="width:{w}">' for w in widths)
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return (f"<table>{f'<colgroup>{columns}</colgroup>' if columns else ''}<thead><tr>{header}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _receipt(notice: Notice) -> str:
    lang = notice.lang
    rows = [(T["r_unit"](lang), escape(notice.unit), ""), (T["r_number"](lang), escape(notice.number), ""),
            (T["r_file"](lang), escape(notice.file), ""), (T["r_count"](lang), escape(words.count_line(notice)), ""),
            (T["r_done"](lang), escape(T["r_done_hint"](lang)), "height:90mm", "hint"),
            (T["r_open"](lang), "", "height:30mm"), (T["r_head"](lang), "", "height:15mm"),
            (T["r_seal"](lang), escape(T["r_blank_date"](lang)), "height:30mm", "right")]
    body = []
    for label, value, style, *css in rows:
        klass = f' class="{css[0]}"' if css else ""
        height = f' style="{style}"' if style else ""
        body.append(f"<tr{height}><th>{escape(label)}</th><td{klass}>{value}</td></tr>")
    return (f'<section class="receipt" data-unit="{escape(notice.unit)}"><h1>{escape(T["receipt"](lang))}</h1>'
            f'<p class="note">{escape(words.receipt_note(notice))}</p><table>{"".join(body)}</table></section>')


def sections(notices: Iterable[Notice]) -> Iterator[str]:
    """Each notice's HTML (notice and 回执), one string per unit: to stream into a page that links `CSS`."""
    for notice in notices:
        yield notice_html(notice)


def write_html(notices: Iterable[Notice], stream: TextIO, lang: Lang = "zh") -> None:
    """A self-contained page with every notice, one unit at a time (flat memory)."""
    title = T["title"](lang)
    stream.write(f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
                 f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
                 f"<style>{CSS}</style></head><body>")
    empty = True
    for part in sections(notices):
        stream.write(part)
        empty = False
    if empty:
        stream.write(f"<p>{escape(T['no_problem'](lang))}</p>")
    stream.write("</body></html>\n")


def write(value: Iterable[Notice], stream: TextIO, options: Any = None) -> None:
    """Registry entry (subject "notice", format "html"). `value`: any iterable of Notice (e.g. ScanNotices)."""
    lang: Lang = "en" if (getattr(options, "lang", None) or getattr(value, "lang", "zh")) == "en" else "zh"
    write_html(value, stream, lang)
