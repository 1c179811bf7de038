"""The team's twelve months from its signed discussions: families by plan level, decisions by outcome."""
from __future__ import annotations

from datetime import date

from supervision.domain.trends import (
    SignedPoint, decisions_by_outcome, families_by_plan, month_end, month_label, month_starts,
)

TODAY = date(2026, 3, 10)


def test_the_last_twelve_months_end_with_this_one():
    months = month_starts(TODAY)
    assert len(months) == 12 and months[0] == date(2025, 4, 1) and months[-1] == date(2026, 3, 1)
    assert month_end(date(2026, 2, 1)) == date(2026, 2, 28) and month_end(date(2025, 12, 1)) == date(2025, 12, 31)
    assert month_label(date(2026, 2, 1)) == "Feb 2026"


def test_a_family_counts_at_the_plan_its_latest_signed_record_gives_until_a_decision_closes_it():
    months = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    points = [
        SignedPoint(1, date(2025, 12, 20), "child_protection", "continue"),
        SignedPoint(1, date(2026, 2, 3), "child_protection", "step_down"),  # its record still says CP
        SignedPoint(1, date(2026, 3, 2), "child_in_need", "continue"),
        SignedPoint(2, date(2026, 1, 15), "child_in_need", "continue"),
        SignedPoint(2, date(2026, 2, 20), "child_in_need", "close"),
        SignedPoint(3, date(2026, 3, 20), "early_help", "continue"),  # after today: not yet
    ]
    counts = families_by_plan(points, months, TODAY)
    assert counts[0] == {"child_protection": 1, "child_in_need": 1}
    assert counts[1] == {"child_protection": 1}  # family 2 closed in February
    assert counts[2] == {"child_in_need": 1}


def test_decisions_count_in_the_month_they_were_made():
    months = [date(2026, 1, 1), date(2026, 2, 1)]
    points = [SignedPoint(1, date(2026, 1, 5), "child_protection", "continue"),
              SignedPoint(2, date(2026, 1, 25), "child_in_need", "close"),
              SignedPoint(1, date(2026, 2, 1), "child_protection", "continue"),
              SignedPoint(3, date(2025, 12, 31), "child_in_need", "step_up"),  # before the window
              SignedPoint(4, date(2026, 2, 3), "child_in_need", None)]  # no outcome recorded
    counts = decisions_by_outcome(points, months)
    assert counts == [{"continue": 1, "close": 1}, {"continue": 1}]
