"""Inline SVG charts for the HTML report, drawn in Python: no script, no network, text stays selectable.

Labels are escaped; fonts come from the page's CSS so Chinese renders with the reader's CJK font.
"""

from __future__ import annotations

import math

from ledgercheck.reporters.markup import escape

GREEN, AMBER, RED, BLUE, GREY = "#2E7D32", "#F9A825", "#C62828", "#1F77B4", "#E0E0E0"


def rate_color(rate: float) -> str:
    return GREEN if rate >= 0.9 else AMBER if rate >= 0.7 else RED


def _text(x: float, y: float, content: str, anchor: str = "start", size: int = 13, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{klass}>'
            f"{escape(content)}</text>")


def text_width(text: str, size: int = 13) -> float:
    """An estimate of the rendered width: CJK and full-width characters are square, Latin about half."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.56 for ch in text)


def fit(text: str, width: float, size: int = 13) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def rate_bars(items: list[tuple[str, float | None, str]], title: str, label_width: int | None = None,
              width: int = 900, max_label_width: int = 460) -> str:
    """Horizontal bars of rates in [0, 1]: (label, rate or None for 'not judged', value text).

    The label column is as wide as the longest label (up to max_label_width; longer labels are shortened).
    """
    if label_width is None:
        label_width = math.ceil(min(max((text_width(label) for label, _r, _v in items), default=0),
                                    max_label_width)) + 12
    row, top = 26, 36
    plot = width - label_width - 130  # room on the right for "87.5%（14/16）"
    height = top + row * len(items) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-label="{escape(title)}">',
             _text(0, 20, title, size=15, cls="chart-title")]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = label_width + plot * tick
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + row * len(items)}" '
                     f'stroke="#BDBDBD" stroke-width="1" stroke-dasharray="{"0" if tick == 0 else "3,3"}"/>')
        parts.append(_text(x, top + row * len(items) + 18, f"{tick:.0%}", "middle", 11, "axis"))
    for index, (label, rate, value) in enumerate(items):
        y = top + index * row
        parts.append(_text(label_width - 8, y + row / 2 + 4, fit(label, label_width - 12), "end", 13))
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{plot}" height="{row - 8}" fill="{GREY}" '
                     f'opacity="0.35"/>')
        if rate is not None:
            parts.append(f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{plot * rate:.1f}" '
                         f'height="{row - 8}" fill="{rate_color(rate)}"><title>{escape(label)}: {escape(value)}'
                         f"</title></rect>")
        parts.append(_text(label_width + plot + 8, y + row / 2 + 4, value, size=12))
    parts.append("</svg>")
    return "".join(parts)


def columns(items: list[tuple[str, int]], title: str, color: str = BLUE, width: int = 440, height: int = 260) -> str:
    """Vertical bars of counts, labelled with their values."""
    top, bottom, left = 50, 40, 10
    plot_h = height - top - bottom
    slot = (width - 2 * left) / max(len(items), 1)
    peak = max((n for _label, n in items), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-label="{escape(title)}">',
             _text(0, 20, title, size=15, cls="chart-title"),
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - left}" y2="{top + plot_h}" stroke="#9E9E9E"/>']
    for index, (label, count) in enumerate(items):
        bar_h = plot_h * count / peak
        x = left + index * slot + slot * 0.15
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{bar_h:.1f}" fill="{color}"><title>{escape(label)}: {count}</title></rect>')
        parts.append(_text(x + slot * 0.35, top + plot_h - bar_h - 5, str(count), "middle", 12))
        parts.append(_text(x + slot * 0.35, top + plot_h + 18, label, "middle", 12, "axis"))
    parts.append("</svg>")
    return "".join(parts)


def sparkline(values: list[float | None], low: float = 0.0, high: float = 100.0, width: int = 96,
              height: int = 22) -> str:
    """A small line of a unit's score (or a rule's compliance) over the last rounds; gaps where a round has none."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points:
        return ""
    step = (width - 8) / max(1, len(values) - 1)
    span = (high - low) or 1.0

    def xy(index: int, value: float) -> str:
        return f"{4 + index * step:.1f},{height - 4 - (value - low) / span * (height - 8):.1f}"

    line = " ".join(xy(i, v) for i, v in points)
    last_i, last_v = points[-1]
    x, y = xy(last_i, last_v).split(",")
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
            f'<polyline fill="none" stroke="{BLUE}" stroke-width="1.5" points="{line}"/>'
            f'<circle cx="{x}" cy="{y}" r="2.5" fill="{BLUE}"/></svg>')
