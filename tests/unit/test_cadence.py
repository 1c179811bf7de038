"""When a family is next due for group supervision, and why: the decision's date, else the team's cadence."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from supervision.domain.cadence import (
    DEFAULT_WEEKS, DueStatus, LastDiscussion, by_urgency, check_cadence, next_due, status_on, team_cadence,
)
from supervision.domain.errors import Invalid

TODAY = date(2026, 6, 15)


def test_the_date_a_signed_decision_set_wins_over_the_cadence():
    last = LastDiscussion(date(2026, 6, 1), next_set=date(2026, 6, 10))
    due = next_due("child_protection", last, TODAY)
    assert due.on == date(2026, 6, 10)
    assert due.status is DueStatus.OVERDUE and due.days == -5
    assert due.reason == "The date the decision on 1 June 2026 set for the next discussion"


def test_without_a_date_the_teams_cadence_for_the_plan_level_counts_from_the_last_discussion():
    last = LastDiscussion(date(2026, 6, 1))
    assert next_due("child_protection", last, TODAY).on == date(2026, 6, 29)  # 4 weeks by default
    assert next_due("child_in_need", last, TODAY).on == date(2026, 7, 13)  # 6 weeks
    set_by_team = {"child_protection": 2}
    due = next_due("child_protection", last, TODAY, weeks_by_level=set_by_team)
    assert due.on == date(2026, 6, 15) and due.status is DueStatus.DUE
    assert due.reason == "Child Protection: every 2 weeks after the last discussion on 1 June 2026"


def test_a_family_never_discussed_is_due_within_its_cadence_of_being_added():
    due = next_due("child_in_need", None, TODAY, added_on=date(2026, 4, 1))
    assert due.on == date(2026, 5, 13) and due.status is DueStatus.OVERDUE
    assert due.reason.startswith("Not discussed yet. Child in Need: within 6 weeks of being added on 1 April 2026")


def test_a_closed_plan_is_not_due_again():
    due = next_due("child_in_need", LastDiscussion(date(2026, 1, 5), next_set=date(2026, 2, 1), closed=True), TODAY)
    assert due.on is None and due.status is DueStatus.CLOSED and not due.needs_discussion


@pytest.mark.parametrize("days, status", [(-1, DueStatus.OVERDUE), (0, DueStatus.DUE), (14, DueStatus.DUE),
                                          (15, DueStatus.NOT_DUE)])
def test_overdue_before_today_due_within_a_fortnight_then_not_due(days, status):
    assert status_on(TODAY + timedelta(days=days), TODAY) is status


def test_the_team_cadence_fills_levels_it_did_not_set_with_the_defaults():
    assert team_cadence({"early_help": 12}) == {**DEFAULT_WEEKS, "early_help": 12}


@pytest.mark.parametrize("weeks", [0, 27, "4", 2.5, True, None])
def test_a_cadence_is_whole_weeks_from_1_to_26(weeks):
    with pytest.raises(Invalid) as caught:
        check_cadence({"child_protection": weeks})
    assert "child_protection" in caught.value.fields
    assert check_cadence({"child_protection": 1, "early_help": 26}) == {"child_protection": 1, "early_help": 26}


def test_an_unknown_plan_level_is_refused():
    with pytest.raises(Invalid):
        check_cadence({"secret_level": 4})


def test_most_urgent_first_longest_overdue_first():
    dues = {name: next_due("child_protection", LastDiscussion(on), TODAY) for name, on in
            [("later", date(2026, 6, 10)), ("overdue a little", date(2026, 5, 15)),
             ("overdue a lot", date(2026, 4, 1)), ("soon", date(2026, 5, 25))]}
    dues["closed"] = next_due("child_protection", LastDiscussion(date(2026, 6, 1), closed=True), TODAY)
    assert by_urgency(list(dues), dues.get) == ["overdue a lot", "overdue a little", "soon", "later", "closed"]
