"""Charts for the pages, from the services' plain figures (supervision/charts.py draws them)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import get_template_attribute
from markupsafe import Markup

from ..charts import CountsChart, LevelsChart, counts_chart, levels_chart
from ..domain.trends import PLAN_ORDER, STAGE_ORDER
from ..domain.vocabulary import PlanLevel, StageOfChange
from ..domain.wording import LOCAL, long_date
from ..services.team_picture import Figures
from ..services.timeline import Timeline


def today() -> date:
    """Today in the team's time zone: what due dates and months are counted from."""
    return datetime.now(LOCAL).date()


def _span(days: list[date], today: date) -> tuple[date, date]:
    first = min(days, default=today)
    return min(first, today - timedelta(days=30)) - timedelta(days=7), today


def plan_chart(name: str, timeline: Timeline, today: date) -> LevelsChart | None:
    if not timeline.plan_points:
        return None
    start, end = _span([day for day, _ in timeline.plan_points], today)
    first, last = timeline.plan_points[0], timeline.plan_points[-1]
    description = (f"{len(timeline.plan_points)} signed discussions from {long_date(first[0])} to "
                   f"{long_date(last[0])}. The plan was {PlanLevel.label_of(first[1])} at the first and "
                   f"{PlanLevel.label_of(last[1])} at the latest. The table below gives each one.")
    return levels_chart(f"{name}: plan level at each signed discussion", description,
                        [(v, PlanLevel.label_of(v)) for v in PLAN_ORDER], [("Plan", timeline.plan_points)],
                        start, end, date_label=long_date, carry_on=True)


def stage_chart(name: str, timeline: Timeline, today: date) -> LevelsChart | None:
    if not timeline.stages:
        return None
    days = [day for readings in timeline.stages.values() for day, _ in readings]
    start, end = _span(days, today)
    parts = [f"{who}: {StageOfChange.label_of(readings[0][1])} on {long_date(readings[0][0])}"
             + (f", {StageOfChange.label_of(readings[-1][1])} on {long_date(readings[-1][0])}"
                if len(readings) > 1 else "")
             for who, readings in timeline.stages.items()]
    description = "Stage of change as each specialist recorded it. " + "; ".join(parts) + "."
    return levels_chart(f"{name}: each adult's stage of change", description,
                        [(v, StageOfChange.label_of(v)) for v in STAGE_ORDER], list(timeline.stages.items()),
                        start, end, date_label=long_date)


def _describe(figures: Figures, what: str) -> str:
    totals = [row[-1] for row in figures.rows()]
    if not totals:
        return ""
    return (f"{what} in each of the last {len(totals)} months, from {figures.month_labels[0]} "
            f"({totals[0]}) to {figures.month_labels[-1]} ({totals[-1]}). The table below gives every figure.")


def plans_chart(figures: Figures) -> CountsChart:
    return counts_chart("Families by plan level at the end of each month", _describe(figures, "Families held"),
                        figures.month_labels, figures.categories, figures.counts)


def outcomes_chart(figures: Figures) -> CountsChart:
    return counts_chart("Signed decisions by outcome, month by month", _describe(figures, "Signed decisions"),
                        figures.month_labels, figures.categories, figures.counts)


# The twelve months' section as drawn, for the figures it was drawn from. The service keeps one
# Figures pair per team, day and state of the signed records, so while that pair is the same
# object the section is the same markup. (The pair is held here too, so its id is not reused.)
_DRAWN: dict[int, tuple[Figures, Markup]] = {}


def twelve_months_html(plans: Figures, outcomes: Figures) -> Markup:
    kept = _DRAWN.get(id(plans))
    if kept is None or kept[0] is not plans:
        macro = get_template_attribute("views/home/_team_picture.html", "twelve_months")
        kept = (plans, macro(plans, outcomes, plans_chart(plans), outcomes_chart(outcomes)))
        if len(_DRAWN) >= 256:
            _DRAWN.clear()
        _DRAWN[id(plans)] = kept
    return kept[1]
