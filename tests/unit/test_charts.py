"""The SVG charts' geometry: levels drawn where their categories are, bars as tall as their counts."""
from __future__ import annotations

from datetime import date

from supervision.charts import counts_chart, levels_chart

CATEGORIES = [("low", "Low"), ("mid", "Middle"), ("high", "High")]


def test_a_level_sits_on_its_categorys_row_and_time_runs_left_to_right():
    chart = levels_chart("T", "D", CATEGORIES, [("A", [(date(2026, 1, 1), "low"), (date(2026, 3, 1), "high")])],
                         date(2026, 1, 1), date(2026, 4, 1), carry_on=True)
    rows = {row.label: row.at for row in chart.rows}
    assert rows["High"] < rows["Middle"] < rows["Low"]  # higher levels higher up
    first, second = chart.series[0].points
    assert first.y == rows["Low"] and second.y == rows["High"]
    assert first.x == chart.plot_left < second.x < chart.plot_right
    path = chart.series[0].path
    assert path.startswith(f"M{first.x:.1f},{first.y:.1f}") and path.endswith(f"H{chart.plot_right:.1f}")
    assert "2026" in chart.ticks[0].sub


def test_readings_outside_the_span_or_of_unknown_levels_are_left_out():
    chart = levels_chart("T", "D", CATEGORIES, [("A", [(date(2025, 1, 1), "low"), (date(2026, 2, 1), "what")])],
                         date(2026, 1, 1), date(2026, 4, 1))
    assert chart.series[0].points == [] and chart.series[0].path == ""


def test_bars_stack_in_category_order_and_their_heights_follow_the_counts():
    chart = counts_chart("T", "D", ["Jan 2026", "Feb 2026"], CATEGORIES[:2], [{"low": 2, "mid": 2}, {"low": 1}])
    by_label = {s.label: s for s in chart.segments}
    assert set(by_label) == {"Jan 2026, Low: 2", "Jan 2026, Middle: 2", "Feb 2026, Low: 1"}
    low, mid = by_label["Jan 2026, Low: 2"], by_label["Jan 2026, Middle: 2"]
    assert low.height == mid.height == 2 * by_label["Feb 2026, Low: 1"].height
    assert mid.y + mid.height == low.y  # the middle sits on top of the low
    assert low.y + low.height == chart.baseline
    assert [t.label for t in chart.ticks] == ["Jan", "Feb"] and chart.ticks[0].sub == "2026"
