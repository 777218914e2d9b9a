"""Bar charts as accessible SVG, drawn on the server: no script, no style attribute (so the
strict CSP holds), a title and a description for assistive technology. Pages put a table of the
same data next to each chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Drawn at 480 units and shown at most 480 px wide (portal.css): on a 390 px phone the chart is
# about 358 px wide, so a 17-unit label is still 12.7 px; a wider drawing would shrink it below 12.
WIDTH = 480
ROW_HEIGHT = 60
BAR_HEIGHT = 20
LABEL_SIZE = 17
VALUE_ROOM = 190  # room right of the longest bar for its value
MARGIN = 8
# Colours with WCAG AA contrast on white: text 16.1:1, bars (non-text, 3:1 needed) 8.0:1.
TEXT_COLOUR = "#1b1f24"
BAR_COLOUR = "#0b4f99"
PAPER = "#ffffff"


@dataclass(frozen=True)
class Bar:
    """One bar: what it counts, its value, the value as the page writes it, derived or not."""

    label: str
    value: int
    value_text: str
    derived: bool = False


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> str:
    """A horizontal bar chart as an SVG element; derived bars are drawn hollow and dashed."""
    largest = max((bar.value for bar in bars), default=0) or 1
    span = WIDTH - 2 * MARGIN - VALUE_ROOM
    height = 2 * MARGIN + ROW_HEIGHT * len(bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="{PAPER}"/>',
    ]
    for row, bar in enumerate(bars):
        top = MARGIN + row * ROW_HEIGHT
        length = max(2, round(span * bar.value / largest)) if bar.value else 0
        bar_top = top + LABEL_SIZE + 6
        parts.append(
            f'<text x="{MARGIN}" y="{top + LABEL_SIZE}" font-size="{LABEL_SIZE}" '
            f'fill="{TEXT_COLOUR}">{escape(bar.label)}</text>'
        )
        if bar.derived:
            parts.append(
                f'<rect class="chart__bar chart__bar--derived" x="{MARGIN + 1}" y="{bar_top + 1}" '
                f'width="{max(0, length - 2)}" height="{BAR_HEIGHT - 2}" fill="{PAPER}" '
                f'stroke="{BAR_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
            )
        else:
            parts.append(
                f'<rect class="chart__bar" x="{MARGIN}" y="{bar_top}" width="{length}" '
                f'height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{MARGIN + length + 8}" y="{bar_top + BAR_HEIGHT - 6}" '
            f'font-size="{LABEL_SIZE}" fill="{TEXT_COLOUR}">{escape(bar.value_text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
