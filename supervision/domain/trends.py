"""The team over the last twelve months, from its signed discussions: families by plan level
month by month, and decisions by outcome. Plain data in, counts out.

A family counts in a month at the plan level its latest signed record (on or before the end
of that month) gives, unless that decision closed the plan. Families with no signed
discussion yet are not counted: the figures are what the records say.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from .vocabulary import PlanLevel, PlanOutcome, StageOfChange

# Lowest to highest: the order the charts stack and draw levels in.
PLAN_ORDER = [PlanLevel.EARLY_HELP.value, PlanLevel.CHILD_IN_NEED.value, PlanLevel.CHILD_PROTECTION.value,
              PlanLevel.PRE_PROCEEDINGS.value, PlanLevel.LOOKED_AFTER.value]
OUTCOME_ORDER = [PlanOutcome.CONTINUE.value, PlanOutcome.STEP_DOWN.value, PlanOutcome.STEP_UP.value,
                 PlanOutcome.CLOSE.value, PlanOutcome.OTHER.value]
# Relapse is drawn below pre-contemplation: a step back from wherever the parent was.
STAGE_ORDER = [StageOfChange.RELAPSE.value, StageOfChange.PRE_CONTEMPLATION.value,
               StageOfChange.CONTEMPLATION.value, StageOfChange.PREPARATION.value,
               StageOfChange.ACTION.value, StageOfChange.MAINTENANCE.value]
MONTHS = 12


@dataclass(frozen=True)
class SignedPoint:
    """One signed discussion of one family: what its record says."""

    family_id: int
    on: date
    plan_level: str | None  # a PlanLevel value
    outcome: str | None  # a PlanOutcome value


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first day of each of the last `months` months, oldest first, this month last."""
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def month_end(start: date) -> date:
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_label(start: date) -> str:
    return f"{start:%b %Y}"


def families_by_plan(points: list[SignedPoint], months: list[date], today: date) -> list[Counter]:
    """For each month: how many families were held at each plan level at its end (today, for this month)."""
    by_family: dict[int, list[SignedPoint]] = {}
    for point in sorted(points, key=lambda p: p.on):
        by_family.setdefault(point.family_id, []).append(point)
    counts = []
    for start in months:
        end = min(month_end(start), today)
        month = Counter()
        for history in by_family.values():
            latest = None
            for point in history:
                if point.on > end:
                    break
                latest = point
            if latest is None or latest.outcome == PlanOutcome.CLOSE.value or latest.plan_level is None:
                continue
            month[latest.plan_level] += 1
        counts.append(month)
    return counts


def decisions_by_outcome(points: list[SignedPoint], months: list[date]) -> list[Counter]:
    """For each month: how many signed decisions there were of each outcome."""
    counts = [Counter() for _ in months]
    index = {(start.year, start.month): n for n, start in enumerate(months)}
    for point in points:
        n = index.get((point.on.year, point.on.month))
        if n is not None and point.outcome is not None:
            counts[n][point.outcome] += 1
    return counts
