"""SVG charts in pure Python: a bar chart over categories and a line chart over periods.

Accessible: ``role="img"``, ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``, a text
label on every bar and point (the value, or "C" for a withheld one), no scripts, no external
assets. Withheld values draw no bar and break the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 24, 72
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
CONFIDENTIAL = "C"

Series = Sequence[tuple[str, int | None]]


def _frame(title: str, desc: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'aria-labelledby="chart-title chart-desc" font-family="sans-serif" font-size="12">'
    )
    return "\n".join(
        [
            head,
            f'<title id="chart-title">{escape(title)}</title>',
            f'<desc id="chart-desc">{escape(desc)}</desc>',
            *body,
            "</svg>\n",
        ]
    )


def _scale(values: Series) -> float:
    top = max((v for _, v in values if v is not None), default=0)
    return PLOT_H / top if top > 0 else 0.0


def _axis() -> list[str]:
    y0 = TOP + PLOT_H
    return [f'<line x1="{LEFT}" y1="{y0}" x2="{LEFT + PLOT_W}" y2="{y0}" stroke="#333"/>']


def _text(x: float, y: float, text: str, cls: str, anchor: str = "middle") -> str:
    return (
        f'<text class={quoteattr(cls)} x="{x:.1f}" y="{y:.1f}" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def bar_chart(title: str, desc: str, values: Series) -> str:
    """Bars for ``(category, count)`` pairs; ``None`` counts are withheld (labelled "C")."""
    scale = _scale(values)
    step = PLOT_W / max(len(values), 1)
    body = _axis()
    for i, (label, value) in enumerate(values):
        x = LEFT + i * step + step * 0.15
        width = step * 0.7
        centre = x + width / 2
        if value is None:
            body.append(_text(centre, TOP + PLOT_H - 4, CONFIDENTIAL, "value confidential"))
        else:
            height = value * scale
            y = TOP + PLOT_H - height
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{height:.1f}" fill="#1f5f8b" data-value="{value}">'
                f"<title>{escape(label)}: {value}</title></rect>"
            )
            body.append(_text(centre, y - 4, str(value), "value"))
        body.append(_text(centre, TOP + PLOT_H + 16, label, "category"))
    return _frame(title, desc, body)


def line_chart(title: str, desc: str, values: Series) -> str:
    """A line over ``(period, count)`` pairs in order; withheld points break the line."""
    scale = _scale(values)
    step = PLOT_W / max(len(values) - 1, 1)
    body = _axis()
    runs: list[list[str]] = [[]]
    for i, (label, value) in enumerate(values):
        x = LEFT + i * step
        body.append(_text(x, TOP + PLOT_H + 16, label, "category"))
        if value is None:
            body.append(_text(x, TOP + PLOT_H - 4, CONFIDENTIAL, "value confidential"))
            runs.append([])
            continue
        y = TOP + PLOT_H - value * scale
        runs[-1].append(f"{x:.1f},{y:.1f}")
        body.append(
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f5f8b" '
            f'data-value="{value}"><title>{escape(label)}: {value}</title></circle>'
        )
        body.append(_text(x, y - 6, str(value), "value"))
    for run in runs:
        if len(run) > 1:
            body.append(
                f'<polyline class="line" fill="none" stroke="#1f5f8b" '
                f'stroke-width="2" points="{" ".join(run)}"/>'
            )
    return _frame(title, desc, body)
