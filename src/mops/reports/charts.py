"""Charts as inline SVG, drawn by our code: horizontal bars, lines, a funnel and a heat map.

No browser and no script are needed to see them: each is one ``<svg>`` with a ``viewBox`` that
scales to the page (A4 or a phone). Series differ by pattern and lightness as well as by hue, so
they stay apart when printed in grey; every chart has a title, its axes labelled and a legend
when it has more than one series. Values are formatted with the report's ``Formatter``.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from babel.numbers import format_compact_decimal
from markupsafe import Markup, escape

from mops.reports.fmt import Formatter
from mops.reports.model import Chart

WIDTH = 640
FONT = 12
# (fill, pattern) per series: dark solid, light hatched, mid dotted, white cross-hatched.
FILLS = ("#1f3b73", "#9db9e3", "#d9822b", "#ffffff", "#5b8c5a")
PATTERNS = (None, "hatch", "dots", "cross", None)
DASHES = ("", "6 3", "2 3", "10 3 2 3", "")
_ids = count(1)


def render(chart: Chart, fmt: Formatter) -> Markup:
    """The chart as an ``<svg>`` element (Markup, every text escaped)."""
    uid = f"c{next(_ids)}"
    draw = {"bars": _bars, "lines": _lines, "funnel": _funnel, "heatmap": _heatmap}[chart.type]
    return Markup(draw(chart, fmt, uid))


def _num(value) -> float:
    return float(value) if value is not None else 0.0


def _short(value: float, chart: Chart, fmt: Formatter) -> str:
    """An axis tick: compact (1.2M, 120萬) for money and large counts."""
    if chart.kind == "pct":
        return fmt.percent(value, 0)
    if abs(value) >= 10000:
        locale = "en" if fmt.locale.startswith("en") else fmt.locale  # 1.2M, not 1.2m
        compact = format_compact_decimal(value, locale=locale, fraction_digits=1)
        return ("NT$" if chart.kind == "money" else "") + compact
    return fmt.value(Decimal(str(round(value, 1))), "num1" if value % 1 else "int")


def _label(value, chart: Chart, fmt: Formatter) -> str:
    if value is None:
        return ""
    if chart.kind == "money":
        return _short(_num(value), chart, fmt)
    return fmt.value(value, chart.kind)


def _nice_max(top: float) -> float:
    if top <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(top))) - 1)
    for step in (1, 1.2, 1.6, 2, 2.4, 4, 6, 8, 10):  # each a quarter of which reads well
        if step * magnitude >= top:
            return step * magnitude
    return 10 * magnitude


def _clip(label: str, size: int) -> str:
    """Shorten a label to about ``size`` wide characters (a CJK character counts double)."""
    width, out = 0.0, []
    for ch in label:
        width += 1 if ord(ch) > 0x2E80 else 0.55
        if width > size:
            return "".join(out) + "…"
        out.append(ch)
    return label


def _defs(uid: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#9db9e3"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#1f3b73" stroke-width="2"/></pattern>'
        f'<pattern id="{uid}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#f2c28f"/><circle cx="2.5" cy="2.5" r="1.2" '
        'fill="#7a3f00"/></pattern>'
        f'<pattern id="{uid}-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#fff"/><path d="M0 0L6 6M6 0L0 6" stroke="#333" '
        'stroke-width="0.8"/></pattern>'
        "</defs>"
    )


def _fill(uid: str, i: int) -> str:
    pattern = PATTERNS[i % len(PATTERNS)]
    return f"url(#{uid}-{pattern})" if pattern else FILLS[i % len(FILLS)]


def _open(uid: str, height: float, chart: Chart) -> str:
    title = escape(chart.title)
    return (
        f'<svg class="chart" id="{uid}" role="img" aria-labelledby="{uid}-t" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT}">'
        f'<title id="{uid}-t">{title}</title>{_defs(uid)}'
        f'<text class="chart-title" x="0" y="16" font-size="14" font-weight="bold">{title}</text>'
    )


def _legend(chart: Chart, uid: str, y: float, *, lines: bool = False) -> tuple[str, float]:
    """The legend row(s) under the title; returns the SVG and the height used."""
    if len(chart.series) < 2:
        return "", 0
    out, x, row = [], 0.0, 0
    for i, s in enumerate(chart.series):
        label = _clip(s.label, 16)
        width = 28 + 7 * sum(2 if ord(c) > 0x2E80 else 1.1 for c in label)
        if x + width > WIDTH:
            x, row = 0, row + 1
        yy = y + row * 18
        if lines:
            out.append(
                f'<line x1="{x}" y1="{yy - 4}" x2="{x + 20}" y2="{yy - 4}" stroke="{FILLS[i % 5]}" '
                f'stroke-width="2.5" stroke-dasharray="{DASHES[i % 5]}"/>'
                + _marker(i, x + 10, yy - 4)
            )
        else:
            out.append(
                f'<rect x="{x}" y="{yy - 10}" width="14" height="12" fill="{_fill(uid, i)}" '
                'stroke="#333" stroke-width="0.6"/>'
            )
        out.append(f'<text x="{x + 24}" y="{yy}">{escape(label)}</text>')
        x += width
    return "".join(out), (row + 1) * 18


def _marker(i: int, x: float, y: float) -> str:
    colour = FILLS[i % 5]
    shape = i % 3
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
    if shape == 1:
        return (
            f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="#fff" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    return (
        f'<path d="M{x:.1f} {y - 4.5:.1f}L{x + 4.5:.1f} {y + 3.5:.1f}L{x - 4.5:.1f} {y + 3.5:.1f}Z"'
        f' fill="{colour}"/>'
    )


def _top(chart: Chart) -> float:
    """The axis maximum: a round number above every value (a multiple of 4 for counts)."""
    high = max((_num(v) for s in chart.series for v in s.values), default=0)
    if chart.kind == "int" and high <= 40:
        # Whole-number ticks at a quarter of the axis each: 1, 2, 3, 4, 5, 6, 8 or 10 apart.
        return float(next(top for top in (4, 8, 12, 16, 20, 24, 32, 40) if top >= high))
    if chart.kind == "pct" and high <= 1:
        return 1.0
    return _nice_max(high)


def _bars(chart: Chart, fmt: Formatter, uid: str) -> str:
    left, right = 150, 70
    legend, legend_h = _legend(chart, uid, 40)
    top = 34 + legend_h
    n = max(len(chart.series), 1)
    bar_h = 14 if n > 1 else 18
    group = n * bar_h + 10
    plot_w = WIDTH - left - right
    high = _top(chart)
    height = top + group * len(chart.categories) + 46
    out = [_open(uid, height, chart), legend]
    axis_y = top + group * len(chart.categories)
    for k in range(5):
        x = left + plot_w * k / 4
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" stroke="#bbb" '
            'stroke-width="0.6"/>'
            f'<text x="{x:.1f}" y="{axis_y + 15}" text-anchor="middle">'
            f"{escape(_short(high * k / 4, chart, fmt))}</text>"
        )
    for ci, category in enumerate(chart.categories):
        y0 = top + ci * group + 5
        out.append(
            f'<text x="{left - 6}" y="{y0 + n * bar_h / 2 + 4:.1f}" text-anchor="end">'
            f"<title>{escape(category)}</title>{escape(_clip(category, 11))}</text>"
        )
        for si, s in enumerate(chart.series):
            value = s.values[ci] if ci < len(s.values) else None
            w = max(_num(value), 0) / high * plot_w
            y = y0 + si * bar_h
            out.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{_fill(uid, si)}" stroke="#333" stroke-width="0.5"/>'
            )
            if value is not None:
                out.append(
                    f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 5}" font-size="10.5">'
                    f"{escape(_label(value, chart, fmt))}</text>"
                )
    out.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{axis_y}" stroke="#333"/>'
        f'<text x="{left + plot_w / 2:.1f}" y="{axis_y + 34}" text-anchor="middle" '
        f'font-style="italic">{escape(chart.x_label)}</text></svg>'
    )
    return "".join(out)


def _lines(chart: Chart, fmt: Formatter, uid: str) -> str:
    legend, legend_h = _legend(chart, uid, 40, lines=True)
    left, right, top = 78, 16, 34 + legend_h
    plot_h = 190
    height = top + plot_h + 52
    plot_w = WIDTH - left - right
    high = _top(chart)
    n = len(chart.categories)
    out = [_open(uid, height, chart), legend]
    bottom = top + plot_h

    def x_of(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0)

    for k in range(5):
        y = bottom - plot_h * k / 4
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#bbb" '
            'stroke-width="0.6"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_short(high * k / 4, chart, fmt))}</text>"
        )
    for i, category in enumerate(chart.categories):
        out.append(
            f'<text x="{x_of(i):.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{escape(_clip(category, 5))}</text>"
        )
    for si, s in enumerate(chart.series):
        points = [
            (x_of(i), bottom - _num(v) / high * plot_h)
            for i, v in enumerate(s.values)
            if v is not None
        ]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{FILLS[si % 5]}" stroke-width="2.5" '
            f'stroke-dasharray="{DASHES[si % 5]}"/>'
        )
        out.extend(_marker(si, x, y) for x, y in points)
    out.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#333"/>'
        f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - right}" y2="{bottom}" stroke="#333"/>'
        f'<text x="{left + plot_w / 2:.1f}" y="{bottom + 38}" text-anchor="middle" '
        f'font-style="italic">{escape(chart.x_label)}</text>'
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" font-style="italic" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(chart.y_label)}</text></svg>'
    )
    return "".join(out)


def _funnel(chart: Chart, fmt: Formatter, uid: str) -> str:
    values = [_num(v) for v in chart.series[0].values] if chart.series else []
    first = values[0] if values and values[0] else 1
    high = max(values, default=0) or 1
    step, top = 40, 34
    height = top + step * len(values) + 10
    centre = WIDTH / 2 + 60
    span = WIDTH - 260
    out = [_open(uid, height, chart)]
    for i, (label, value) in enumerate(zip(chart.categories, values, strict=True)):
        w = max(value / high * span, 2)
        y = top + i * step
        shade = ("#1f3b73", "#3f5f9a", "#7f9cc9", "#b8cbe8", "#e3ebf7")[min(i, 4)]
        ink = "#fff" if i < 2 else "#000"
        out.append(
            f'<rect x="{centre - w / 2:.1f}" y="{y}" width="{w:.1f}" height="{step - 6}" '
            f'fill="{shade}" stroke="#333" stroke-width="0.6"/>'
            f'<text x="{centre - span / 2 - 10:.1f}" y="{y + step / 2:.1f}" text-anchor="end">'
            f"{escape(_clip(label, 10))}</text>"
        )
        share = fmt.percent(value / first, 0) if i else ""
        caption = fmt.number(value) + (f" ({share})" if share else "")
        if w > 90:
            out.append(
                f'<text x="{centre:.1f}" y="{y + step / 2:.1f}" text-anchor="middle" '
                f'fill="{ink}" font-weight="bold">{escape(caption)}</text>'
            )
        else:
            out.append(
                f'<text x="{centre + w / 2 + 6:.1f}" y="{y + step / 2:.1f}" font-weight="bold">'
                f"{escape(caption)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def _heat_colour(ratio: float | None) -> tuple[str, str]:
    """Fill and ink for a spend ÷ budget ratio: lightness grows with spend, so grey prints keep it."""
    if ratio is None:
        return "#ffffff", "#555"
    steps = ((0.5, "#f1f5fb", "#000"), (0.8, "#c9d8ee", "#000"), (0.9, "#93b0d9", "#000"),
             (1.0, "#f2b36f", "#000"), (1.1, "#c8641a", "#fff"))  # fmt: skip
    for limit, fill, ink in steps:
        if ratio <= limit:
            return fill, ink
    return "#7a2e00", "#fff"


def _heatmap(chart: Chart, fmt: Formatter, uid: str) -> str:
    left, top = 130, 56
    cols = len(chart.categories)
    cell_w = (WIDTH - left) / max(cols, 1)
    cell_h = 30
    height = top + cell_h * len(chart.series) + 60
    out = [_open(uid, height, chart)]
    for i, category in enumerate(chart.categories):
        out.append(
            f'<text x="{left + cell_w * (i + 0.5):.1f}" y="{top - 8}" text-anchor="middle">'
            f"{escape(_clip(category, 4))}</text>"
        )
    for r, s in enumerate(chart.series):
        y = top + r * cell_h
        out.append(
            f'<text x="{left - 6}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_clip(s.label, 9))}</text>"
        )
        for i, v in enumerate(s.values):
            ratio = None if v is None else _num(v)
            fill, ink = _heat_colour(ratio)
            x = left + i * cell_w
            label = "" if ratio is None else fmt.percent(ratio, 0)
            mark = "▲" if ratio is not None and ratio > 1 else ""
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{cell_w:.1f}" height="{cell_h}" fill="{fill}" '
                'stroke="#fff" stroke-width="1.5"/>'
                f'<text x="{x + cell_w / 2:.1f}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="middle" '
                f'font-size="10" fill="{ink}">{mark}{escape(label)}</text>'
            )
    key_y = top + cell_h * len(chart.series) + 18
    keys = ((0.4, "≤50%"), (0.7, "≤80%"), (0.85, "≤90%"), (0.95, "≤100%"), (1.05, "≤110%"),
            (1.2, ">110%"))  # fmt: skip
    x = left
    for ratio, label in keys:
        fill, _ = _heat_colour(ratio)
        out.append(
            f'<rect x="{x}" y="{key_y}" width="16" height="12" fill="{fill}" stroke="#333" '
            f'stroke-width="0.5"/><text x="{x + 20}" y="{key_y + 10}" font-size="10.5">'
            f"{escape(label)}</text>"
        )
        x += 72
    out.append(
        f'<text x="{left}" y="{key_y + 32}" font-style="italic">{escape(chart.note)}</text></svg>'
    )
    return "".join(out)
