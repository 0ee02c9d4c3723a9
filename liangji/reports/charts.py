"""Charts of the documents, drawn on the server as PNG with Pillow in the bundled CJK font.

One PNG serves both outputs: python-docx embeds only raster images, and WeasyPrint embeds the
same file in the PDF, so the Word and the PDF copy show the same picture. A grouped bar chart
is all the documents need (each indicator's rate per school year against its target); Pillow
comes with WeasyPrint already, where a plotting library would add tens of megabytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from liangji.registers.pdf import SANS, font_paths

SCALE = 2  # drawn at twice the size, printed at 15 cm: sharp on paper
COLOURS = ["#9fb8d3", "#5b86b5", "#1f4e79", "#0f2a44", "#6b9bc7", "#c9d8e8"]
TARGET = "#b42318"


@dataclass(frozen=True)
class BarGroup:
    label: str  # the indicator
    values: list[float | None]  # one per series (school year)
    target: float


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_paths()[SANS]), size * SCALE)


def bar_chart_png(
    *, title: str, series: Sequence[str], groups: Sequence[BarGroup], low: float, high: float
) -> bytes:
    """Grouped bars on a value axis from `low` to `high` (%), each group with its target."""
    width, height = 900 * SCALE, 420 * SCALE
    left, right, top, bottom = 70 * SCALE, 20 * SCALE, 60 * SCALE, 90 * SCALE
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small, normal = _font(11), _font(14)
    draw.text((width // 2, 18 * SCALE), title, fill="black", font=normal, anchor="mt")
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(value: float) -> float:
        clipped = min(max(value, low), high)
        return top + plot_h * (1 - (clipped - low) / (high - low))

    steps = 5
    for i in range(steps + 1):
        tick = low + (high - low) * i / steps
        y = y_of(tick)
        draw.line([(left, y), (width - right, y)], fill="#e3e8ee", width=SCALE)
        draw.text((left - 6 * SCALE, y), f"{tick:g}%", fill="#444", font=small, anchor="rm")
    group_w = plot_w / max(len(groups), 1)
    bar_w = group_w * 0.7 / max(len(series), 1)
    for g, group in enumerate(groups):
        x0 = left + g * group_w + group_w * 0.15
        for s, value in enumerate(group.values):
            if value is None:
                continue
            x = x0 + s * bar_w
            colour = COLOURS[s % len(COLOURS)]
            draw.rectangle([x, y_of(value), x + bar_w - SCALE, top + plot_h], fill=colour)
        ty = y_of(group.target)
        draw.line([(x0 - 4 * SCALE, ty), (x0 + group_w * 0.7 + 4 * SCALE, ty)], fill=TARGET,
                  width=2 * SCALE)  # fmt: skip
        label_x = left + g * group_w + group_w / 2
        for n, part in enumerate(_wrap(group.label, 7)):
            y = top + plot_h + (8 + 15 * n) * SCALE
            draw.text((label_x, y), part, fill="black", font=small, anchor="mt")
    draw.line([(left, top + plot_h), (width - right, top + plot_h)], fill="#444", width=SCALE)
    legend_x = left
    for s, name in enumerate(series):
        y = height - 18 * SCALE
        draw.rectangle([legend_x, y - 6 * SCALE, legend_x + 12 * SCALE, y + 6 * SCALE],
                       fill=COLOURS[s % len(COLOURS)])  # fmt: skip
        draw.text((legend_x + 16 * SCALE, y), name, fill="black", font=small, anchor="lm")
        legend_x += (30 + 9 * len(name)) * SCALE
    draw.line([(legend_x, height - 18 * SCALE), (legend_x + 18 * SCALE, height - 18 * SCALE)],
              fill=TARGET, width=2 * SCALE)  # fmt: skip
    draw.text((legend_x + 22 * SCALE, height - 18 * SCALE), "目标", fill="black", font=small,
              anchor="lm")  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)][:3]
