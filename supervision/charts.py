"""Charts drawn on the server as SVG: plain geometry here, markup in templates/components/charts.html.

Two kinds: levels over time (a plan level, a stage of change: categories on the y axis, dates
along the x axis, one stepped line per series) and counts by month (stacked bars). Every chart
has a title and a description for screen readers, and the page gives its figures as a table.
Colours come with a second cue (marker shapes, a legend in the same order as the stack), and
work in print: no script, no styles the page must load.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

WIDTH = 640
LEFT = 185  # room for category labels
RIGHT = 16
TOP = 12
ROW = 30  # height of one category band in a levels chart
BAR_AREA = 180  # height of the bars in a counts chart
BOTTOM = 40

# GOV.UK Frontend colours, dark enough to tell apart on white and in greyscale by their shapes.
PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#b58840", "#d53880", "#28a197", "#505a5f"]
MARKERS = ["circle", "square", "diamond", "triangle"]
TEXT = "#0b0c0c"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class Tick:
    label: str
    at: float
    sub: str = ""  # a second line under the label (the year)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # what a tooltip says: "3 March 2026: Child Protection"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    marker: str
    points: list[Point]
    until: float | None = None  # carry the last level on to here (today)

    @property
    def path(self) -> str:
        """A stepped line: the level holds until the next reading."""
        if not self.points:
            return ""
        parts = [f"M{self.points[0].x:.1f},{self.points[0].y:.1f}"]
        for before, after in zip(self.points, self.points[1:]):
            parts.append(f"H{after.x:.1f}V{after.y:.1f}")
        if self.until is not None and self.until > self.points[-1].x:
            parts.append(f"H{self.until:.1f}")
        return " ".join(parts)


@dataclass
class LevelsChart:
    title: str
    description: str
    width: int
    height: int
    rows: list[Tick]  # category labels down the left
    ticks: list[Tick]  # dates along the bottom
    series: list[Series]
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # "Mar 2026, Child Protection: 4"


@dataclass
class CountsChart:
    title: str
    description: str
    width: int
    height: int
    rows: list[Tick]  # count gridlines
    ticks: list[Tick]  # month labels
    segments: list[Segment]
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, colour)
    plot_left: int = 40
    plot_right: int = WIDTH - RIGHT
    baseline: float = 0.0


def _x(day: date, start: date, end: date, left: float, right: float) -> float:
    span = max((end - start).days, 1)
    return left + (right - left) * (day - start).days / span


def levels_chart(title: str, description: str, categories: list[tuple[str, str]],
                 series: list[tuple[str, list[tuple[date, str]]]], start: date, end: date,
                 date_label=lambda d: f"{d:%b %Y}", carry_on: bool = False) -> LevelsChart:
    """`categories` lowest first as (value, label); `series` as (name, [(date, value)]) oldest first."""
    height = TOP + ROW * len(categories) + BOTTOM
    level_y = {value: TOP + ROW * (len(categories) - 1 - n) + ROW / 2 for n, (value, _) in enumerate(categories)}
    labels = dict(categories)
    rows = [Tick(label, level_y[value]) for value, label in categories]
    right = WIDTH - RIGHT
    drawn = []
    for n, (name, readings) in enumerate(series):
        points = [Point(_x(day, start, end, LEFT, right), level_y[value], f"{date_label(day)}: {labels[value]}")
                  for day, value in readings if value in level_y and start <= day <= end]
        drawn.append(Series(name, PALETTE[n % len(PALETTE)], MARKERS[n % len(MARKERS)], points,
                            right if carry_on else None))
    ticks = _date_ticks(start, end, LEFT, right)
    return LevelsChart(title, description, WIDTH, height, rows, ticks, drawn)


def _date_ticks(start: date, end: date, left: float, right: float) -> list[Tick]:
    """A tick at the start of every second or third month, so labels do not collide."""
    months = []
    year, month = start.year, start.month
    while date(year, month, 1) <= end:
        if date(year, month, 1) >= start:
            months.append(date(year, month, 1))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    step = 1 if len(months) <= 6 else 2 if len(months) <= 12 else 3
    return [Tick(f"{m:%b}", _x(m, start, end, left, right), f"{m:%Y}" if m.month == 1 or i == 0 else "")
            for i, m in enumerate(months[::step])]


def counts_chart(title: str, description: str, months: list[str], categories: list[tuple[str, str]],
                 counts: list[dict]) -> CountsChart:
    """Stacked bars, one per month; `categories` bottom of the stack first, as (value, label)."""
    left, right = 40, WIDTH - RIGHT
    height = TOP + BAR_AREA + BOTTOM
    baseline = TOP + BAR_AREA
    top = max([sum(c.get(v, 0) for v, _ in categories) for c in counts] + [1])
    scale_top = _nice(top)
    slot = (right - left) / max(len(months), 1)
    bar = slot * 0.7
    segments = []
    for n, (month, count) in enumerate(zip(months, counts)):
        x = left + slot * n + (slot - bar) / 2
        y = baseline
        for m, (value, label) in enumerate(categories):
            amount = count.get(value, 0)
            if not amount:
                continue
            h = BAR_AREA * amount / scale_top
            y -= h
            segments.append(Segment(x, y, bar, h, PALETTE[m % len(PALETTE)], f"{month}, {label}: {amount}"))
    step = max(1, scale_top // 4)
    rows = [Tick(str(v), baseline - BAR_AREA * v / scale_top) for v in range(0, scale_top + 1, step)]
    ticks = [Tick(month.split()[0], left + slot * n + slot / 2,
                  month.split()[-1] if n == 0 or month.startswith("Jan") else "") for n, month in enumerate(months)]
    legend = [(label, PALETTE[m % len(PALETTE)]) for m, (_, label) in enumerate(categories)]
    return CountsChart(title, description, WIDTH, height, rows, ticks, segments, legend, left, right, baseline)


def _nice(top: int) -> int:
    """A round top for the scale: the next multiple of 4 (or 1, 2 for tiny counts)."""
    if top <= 2:
        return top
    return -(-top // 4) * 4
