"""Small server-rendered SVG charts: bars (grouped or stacked), horizontal bars, lines.

No JavaScript and no charting library: the page is printable and works without scripts.
Charts must read in black and white and for screen readers, so:
- every series has a pattern (solid, hatched, dotted) or a dash style and marker, not just a colour;
- bars and line ends carry direct labels; a legend repeats the patterns;
- the SVG has a <title> and <desc> (role="img"), and each chart comes with its data table
  (`Chart.columns`, `Chart.rows`) that the template shows in a <details> element.
Text is escaped here because the SVG is inserted as markup.
"""

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 300
MARGIN_LEFT = 56
MARGIN_RIGHT = 24
MARGIN_TOP = 28
MARGIN_BOTTOM = 64
FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="12"'
INK = "#1b1b1b"
GRID = "#c8c8c8"

# Fills for bar series, in order: dark solid, hatched, dotted, light solid. Distinct printed in grey.
FILLS = ("solid", "hatch", "dots", "light")
# Line styles for line series: (dash array, marker shape).
LINE_STYLES = (("", "circle"), ("7 4", "square"), ("2 3", "triangle"), ("10 3 2 3", "diamond"), ("4 2", "cross"))


@dataclass
class Series:
    label: str
    values: list


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    svg: SafeString
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.rows


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum` (steps of 1, 2 or 5 times a power of ten)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1 and maximum >= 1:
        step = 1
    top = step * math.ceil(maximum / step)
    return [round(i * step, 10) for i in range(int(round(top / step)) + 1)]


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return str(int(value))


def _defs(chart_id: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#1d3f72" '
        'stroke-width="3"/></pattern>'
        f'<pattern id="{chart_id}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.3" fill="#1b1b1b"/></pattern>'
        "</defs>"
    )


def _fill(chart_id: str, index: int) -> str:
    kind = FILLS[index % len(FILLS)]
    return {
        "solid": "#1d3f72",
        "hatch": f"url(#{chart_id}-hatch)",
        "dots": f"url(#{chart_id}-dots)",
        "light": "#b9c3cf",
    }[kind]


def _open(chart_id: str, title: str, description: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT} fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        _defs(chart_id),
    ]


def _y_axis(parts: list[str], ticks: list[float], plot_bottom: float, plot_height: float, y_label: str) -> None:
    top = ticks[-1] or 1
    for tick in ticks:
        y = plot_bottom - plot_height * tick / top
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y2="{y:.1f}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
    parts.append(
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{MARGIN_LEFT}" y2="{plot_bottom}" stroke="{INK}"/>'
        f'<line x1="{MARGIN_LEFT}" y1="{plot_bottom}" x2="{WIDTH - MARGIN_RIGHT}" y2="{plot_bottom}" stroke="{INK}"/>'
    )
    if y_label:
        parts.append(f'<text x="{MARGIN_LEFT}" y="{MARGIN_TOP - 12}" text-anchor="start">{escape(y_label)}</text>')


def _legend_swatch(chart_id: str, index: int, x: float, y: float, label: str, *, line: bool = False) -> str:
    if line:
        dash, marker = LINE_STYLES[index % len(LINE_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" stroke="{INK}" stroke-width="2"{dash_attr}/>'
            + _marker(marker, x + 11, y - 4)
            + f'<text x="{x + 28}" y="{y}">{escape(label)}</text>'
        )
    return (
        f'<rect x="{x}" y="{y - 10}" width="14" height="12" fill="{_fill(chart_id, index)}" stroke="{INK}"/>'
        f'<text x="{x + 20}" y="{y}">{escape(label)}</text>'
    )


def _legend(parts, chart_id, labels, height, *, line=False) -> None:
    x = MARGIN_LEFT
    y = height - 10
    for index, label in enumerate(labels):
        parts.append(_legend_swatch(chart_id, index, x, y, label, line=line))
        x += 40 + 7 * len(label)


def _x_label(x: float, y: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{escape(text)}</text>'


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[Series],
    stacked: bool = False,
    y_label: str = "",
    bar_labels: list[str] | None = None,
    category_header: str = "",
    bar_label_header: str = "",
) -> Chart:
    """Vertical bars per category; several series side by side, or stacked.

    `bar_labels` (one per category) are printed above the bars, e.g. a share in percent; the data
    table shows them in a last column headed `bar_label_header`.
    """
    parts = _open(chart_id, title, description)
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    plot_height = plot_bottom - MARGIN_TOP
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    highest = max(totals if stacked else [v or 0 for s in series for v in s.values] or [0])
    ticks = nice_ticks(highest * 1.1)  # headroom for the labels above the highest bar
    top = ticks[-1] or 1
    _y_axis(parts, ticks, plot_bottom, plot_height, y_label)
    slot = plot_width / max(len(categories), 1)
    group_width = slot * 0.7
    label_every = max(1, math.ceil(len(categories) / 12))
    for i, category in enumerate(categories):
        x0 = MARGIN_LEFT + slot * i + (slot - group_width) / 2
        base = plot_bottom
        bar_width = group_width if stacked else group_width / max(len(series), 1)
        for j, s in enumerate(series):
            value = s.values[i] or 0
            h = plot_height * value / top
            x = x0 if stacked else x0 + j * bar_width
            y = base - h if stacked else plot_bottom - h
            if value:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" height="{h:.1f}" '
                    f'fill="{_fill(chart_id, j)}" stroke="{INK}" stroke-width="0.8">'
                    f"<title>{escape(category)} · {escape(s.label)} : {_fmt(value)}</title></rect>"
                )
            if not stacked:
                parts.append(
                    f'<text x="{x + bar_width / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="10">'
                    f"{_fmt(value)}</text>"
                )
            if stacked:
                base -= h
        if bar_labels and bar_labels[i]:
            top_y = plot_bottom - plot_height * totals[i] / top
            parts.append(
                f'<text x="{x0 + group_width / 2:.1f}" y="{top_y - 4:.1f}" text-anchor="middle" font-size="10">'
                f"{escape(bar_labels[i])}</text>"
            )
        if i % label_every == 0:
            parts.append(_x_label(x0 + group_width / 2, plot_bottom + 16, category))
    _legend(parts, chart_id, [s.label for s in series], HEIGHT)
    parts.append("</svg>")
    rows = [[c, *[s.values[i] for s in series]] for i, c in enumerate(categories)]
    if bar_labels:
        rows = [[*row, bar_labels[i]] for i, row in enumerate(rows)]
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above went through escape()
        columns=[category_header, *[s.label for s in series], *([bar_label_header] if bar_labels else [])],
        rows=rows,
    )


def hbar_chart(
    *, chart_id: str, title: str, description: str, labels: list[str], values: list, unit: str, label_header: str = ""
) -> Chart:
    """Horizontal bars with the value written at the end of each bar (long category names fit)."""
    row_height = 26
    label_width = 230
    height = MARGIN_TOP + row_height * max(len(labels), 1) + 30
    parts = _open(chart_id, title, description, height)
    highest = max([v or 0 for v in values] or [0])
    ticks = nice_ticks(highest)
    top = ticks[-1] or 1
    plot_width = WIDTH - label_width - MARGIN_RIGHT - 60
    for tick in ticks:
        x = label_width + plot_width * tick / top
        parts.append(f'<line x1="{x:.1f}" y1="{MARGIN_TOP}" x2="{x:.1f}" y2="{height - 26}" stroke="{GRID}"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle">{_fmt(tick)}</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = MARGIN_TOP + i * row_height
        w = plot_width * (value or 0) / top
        parts.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end">{escape(label[:34])}</text>')
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row_height - 8}" '
            f'fill="{_fill(chart_id, 0)}" stroke="{INK}" stroke-width="0.8"/>'
        )
        parts.append(f'<text x="{label_width + w + 6:.1f}" y="{y + 16}">{_fmt(value)} {escape(unit)}</text>')
    parts.append(f'<line x1="{label_width}" y1="{MARGIN_TOP}" x2="{label_width}" y2="{height - 26}" stroke="{INK}"/>')
    parts.append("</svg>")
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above went through escape()
        columns=[label_header, unit],
        rows=[[label, value] for label, value in zip(labels, values, strict=True)],
    )


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{INK}"/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - 4.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f}" fill="#fff" stroke="{INK}"/>'  # noqa: E501
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" fill="{INK}"/>'  # noqa: E501
    if shape == "cross":
        return f'<path d="M{x - 4:.1f},{y - 4:.1f}L{x + 4:.1f},{y + 4:.1f}M{x - 4:.1f},{y + 4:.1f}L{x + 4:.1f},{y - 4:.1f}" stroke="{INK}" stroke-width="2"/>'  # noqa: E501
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#fff" stroke="{INK}" stroke-width="1.5"/>'


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: list[str],
    series: list[Series],
    y_label: str = "",
    x_header: str = "",
) -> Chart:
    """One line per series with a dash style and marker, labelled directly at its last point."""
    parts = _open(chart_id, title, description)
    right_gutter = 120  # room for the direct labels at the end of the lines
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    plot_height = plot_bottom - MARGIN_TOP
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT - right_gutter
    highest = max([v or 0 for s in series for v in s.values] or [0])
    ticks = nice_ticks(highest)
    top = ticks[-1] or 1
    _y_axis(parts, ticks, plot_bottom, plot_height, y_label)
    n = len(x_labels)
    step = plot_width / max(n - 1, 1)
    label_every = max(1, math.ceil(n / 8))
    for i, label in enumerate(x_labels):
        if i % label_every == 0 or i == n - 1:
            parts.append(_x_label(MARGIN_LEFT + step * i, plot_bottom + 16, label))
    marker_every = max(1, math.ceil(n / 16))
    end_labels = []
    for j, s in enumerate(series):
        dash, marker = LINE_STYLES[j % len(LINE_STYLES)]
        points = [
            (MARGIN_LEFT + step * i, plot_bottom - plot_height * v / top)
            for i, v in enumerate(s.values)
            if v is not None
        ]
        if not points:
            continue
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="2"{dash_attr}>'
            f"<title>{escape(s.label)}</title></polyline>"
        )
        for k, (x, y) in enumerate(points):
            if k % marker_every == 0 or k == len(points) - 1:
                parts.append(_marker(marker, x, y))
        end_labels.append([points[-1][1], f"{s.label} ({_fmt(s.values[-1])})"])
    # Spread the direct labels so that close line ends do not overlap.
    end_labels.sort()
    for k in range(1, len(end_labels)):
        end_labels[k][0] = max(end_labels[k][0], end_labels[k - 1][0] + 14)
    for y, text in end_labels:
        parts.append(f'<text x="{WIDTH - MARGIN_RIGHT - right_gutter + 8}" y="{y + 4:.1f}">{escape(text)}</text>')
    _legend(parts, chart_id, [s.label for s in series], HEIGHT, line=True)
    parts.append("</svg>")
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above went through escape()
        columns=[x_header, *[s.label for s in series]],
        rows=[[label, *[s.values[i] for s in series]] for i, label in enumerate(x_labels)],
    )
