"""When a family is next due for group supervision, and why.

Each team sets how often it discusses a family at each plan level (for example Child
Protection every 4 weeks, Child in Need every 6). A signed decision may set the date of the
next discussion itself; that date wins over the cadence. A decision that closes the plan
means the family is not due again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Mapping

from .errors import Invalid
from .vocabulary import Labelled, PlanLevel
from .wording import long_date

# Weeks between discussions when the team has set nothing else.
DEFAULT_WEEKS: dict[str, int] = {
    PlanLevel.EARLY_HELP.value: 8,
    PlanLevel.CHILD_IN_NEED.value: 6,
    PlanLevel.CHILD_PROTECTION.value: 4,
    PlanLevel.LOOKED_AFTER.value: 8,
    PlanLevel.PRE_PROCEEDINGS.value: 4,
}
MIN_WEEKS, MAX_WEEKS = 1, 26
# A family is "due" from this many days before its date; after the date it is overdue.
DUE_SOON_DAYS = 14


class DueStatus(Labelled):
    OVERDUE = ("overdue", "Overdue")
    DUE = ("due", "Due soon")
    NOT_DUE = ("not_due", "Not due yet")
    CLOSED = ("closed", "Plan closed")


@dataclass(frozen=True)
class LastDiscussion:
    """The family's latest discussion, as its signed record says (if it is signed)."""

    on: date
    next_set: date | None = None  # the next-discussion date the signed decision set
    closed: bool = False  # the signed decision closed the plan


@dataclass(frozen=True)
class NextDue:
    on: date | None
    status: DueStatus
    reason: str
    days: int | None = None  # days from today to the date: negative when overdue

    @property
    def needs_discussion(self) -> bool:
        return self.status in (DueStatus.OVERDUE, DueStatus.DUE)


def weeks_for(plan_level: str, weeks_by_level: Mapping[str, int] | None = None) -> int:
    """The team's weeks between discussions for this plan level (the default if it set none)."""
    weeks_by_level = weeks_by_level or {}
    return weeks_by_level.get(plan_level) or DEFAULT_WEEKS.get(plan_level, max(DEFAULT_WEEKS.values()))


def team_cadence(set_by_team: Mapping[str, int] | None) -> dict[str, int]:
    """Every plan level with its weeks: what the team set, the default elsewhere."""
    return {level.value: weeks_for(level.value, set_by_team) for level in PlanLevel}


def check_cadence(weeks_by_level: Mapping[str, object]) -> dict[str, int]:
    """Whole weeks from MIN_WEEKS to MAX_WEEKS for known plan levels; Invalid names each wrong one."""
    known = {level.value for level in PlanLevel}
    checked: dict[str, int] = {}
    errors: dict[str, str] = {}
    for level, value in weeks_by_level.items():
        if level not in known:
            errors["cadence"] = "Choose plan levels from the list"
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_WEEKS <= value <= MAX_WEEKS:
            errors[level] = (f"Weeks between discussions for {PlanLevel.label_of(level)} must be a whole number "
                             f"from {MIN_WEEKS} to {MAX_WEEKS}")
            continue
        checked[level] = value
    if errors:
        raise Invalid("The cadence could not be saved.", errors)
    return checked


def status_on(due_on: date, today: date) -> DueStatus:
    if due_on < today:
        return DueStatus.OVERDUE
    if due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return DueStatus.DUE
    return DueStatus.NOT_DUE


def next_due(plan_level: str, last: LastDiscussion | None, today: date, *,
             weeks_by_level: Mapping[str, int] | None = None, added_on: date | None = None) -> NextDue:
    """The date the family is next due and why.

    - A signed decision that closed the plan: not due again.
    - A signed decision that set a next-discussion date: that date.
    - Otherwise the team's cadence for the family's plan level, counted from the last
      discussion, or from when the family was added if it has not been discussed yet.
    """
    plan = PlanLevel.label_of(plan_level)
    weeks = weeks_for(plan_level, weeks_by_level)
    if last is not None and last.closed:
        return NextDue(None, DueStatus.CLOSED, f"The decision on {long_date(last.on)} closed the plan")
    if last is not None and last.next_set is not None:
        on = last.next_set
        reason = f"The date the decision on {long_date(last.on)} set for the next discussion"
    elif last is not None:
        on = last.on + timedelta(weeks=weeks)
        reason = f"{plan}: every {_weeks(weeks)} after the last discussion on {long_date(last.on)}"
    else:
        start = added_on or today
        on = start + timedelta(weeks=weeks)
        reason = f"Not discussed yet. {plan}: within {_weeks(weeks)} of being added on {long_date(start)}"
    return NextDue(on, status_on(on, today), reason, (on - today).days)


def _weeks(weeks: int) -> str:
    return "1 week" if weeks == 1 else f"{weeks} weeks"


def suggested_minutes(plan_level: str) -> int:
    """The time allowance offered when a due family is added to an agenda: more for higher plans."""
    return SUGGESTED_MINUTES.get(plan_level, 20)


SUGGESTED_MINUTES: dict[str, int] = {
    PlanLevel.EARLY_HELP.value: 15,
    PlanLevel.CHILD_IN_NEED.value: 20,
    PlanLevel.CHILD_PROTECTION.value: 30,
    PlanLevel.LOOKED_AFTER.value: 20,
    PlanLevel.PRE_PROCEEDINGS.value: 30,
}


def by_urgency(items, due_of) -> list:
    """Overdue first (longest overdue first), then due soon, then not due, then closed."""
    order = {DueStatus.OVERDUE: 0, DueStatus.DUE: 1, DueStatus.NOT_DUE: 2, DueStatus.CLOSED: 3}
    return sorted(items, key=lambda each: (order[due_of(each).status], due_of(each).on or date.max))
