"""Geometry of the dashboard's charts, drawn as inline SVG by the template (no script, no CDN):
numbers and labels only, which the template escapes like any other text."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.staff.stats import CountItem, DayCount


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    title: str  # the tooltip


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    overlay: list[Bar]  # drawn over the bars (answered within each day's total)
    ticks: list[Bar]  # axis labels, placed at (x, y)


def day_columns(days: list[DayCount], width: int = 720, height: int = 200) -> Chart:
    """One column per day (the total), the answered part drawn over it."""
    top, bottom = 10, 24  # room for the axis labels
    peak = max((d.total for d in days), default=0) or 1
    step = min(width / max(len(days), 1), 40.0)  # a few days are narrow columns, not slabs
    gap = min(2.0, step * 0.2)
    bars, overlay, ticks = [], [], []
    every = max(1, len(days) // 8)  # about eight dates along the axis
    for i, day in enumerate(days):
        x = i * step
        plot = height - top - bottom
        full = plot * day.total / peak
        part = plot * day.answered / peak
        label = day.day.isoformat()
        bars.append(Bar(x, height - bottom - full, step - gap, full, label, day.total,
                        f"{label}：{day.total} 个问题，回答 {day.answered} 个"))
        overlay.append(Bar(x, height - bottom - part, step - gap, part, label, day.answered, ""))
        if i % every == 0:
            ticks.append(Bar(x, height - 6, 0, 0, label[5:], 0, ""))
    return Chart(width, height, bars, overlay, ticks)


def _shortened(label: str, most: int = 18) -> str:
    """A label that fits left of its bar; the whole one is in the bar's tooltip."""
    return label if len(label) <= most else label[: most - 1] + "…"


def ranked_rows(items: list[CountItem], width: int = 520, row: int = 24, label_width: int = 200) -> Chart:
    """A horizontal bar per item, longest first, its name to the left and its count to the right."""
    peak = max((i.count for i in items), default=0) or 1
    room = width - label_width - 40
    bars = [
        Bar(label_width, k * row + 4, max(1.0, room * item.count / peak), row - 8, _shortened(item.label or item.name),
            item.count, f"{item.label or item.name}：{item.count}")
        for k, item in enumerate(items)
    ]
    return Chart(width, max(row, row * len(items)), bars, [], [])


def rate_bar(answered: int, total: int, width: int = 520, height: int = 28) -> Chart:
    """One bar split into answered and refused."""
    share = answered / total if total else 0.0
    done = Bar(0, 0, width * share, height, "已回答", answered, f"已回答 {answered}")
    rest = Bar(width * share, 0, width * (1 - share), height, "未能回答", total - answered, f"未能回答 {total - answered}")
    return Chart(width, height, [done, rest], [], [])
