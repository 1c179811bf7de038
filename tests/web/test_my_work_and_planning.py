"""Every practitioner's own work on the team home, and planning a session from the families due."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from supervision.domain.wording import long_date
from supervision.extensions import db
from supervision.store.models import AgendaItem, Family, SupervisionSession
from tests.team_fixture import add_small_past


@pytest.fixture
def past(app):
    return add_small_past(app)


def rows(page, name: str) -> list[list[str]]:
    table = page.select_one(f'[data-list="{name}"] table')
    if table is None:
        return []
    return [[" ".join(c.get_text(" ", strip=True).split()) for c in r.find_all(["th", "td"])]
            for r in table.select("tbody tr")]


def test_a_practitioner_sees_their_own_actions_by_when_and_the_families_they_hold(past, sign_in):
    page = sign_in("practitioner").get("/")
    assert rows(page, "my-overdue") == []
    assert rows(page, "my-due") == [
        ["Ask the housing team about Mia's application", "Harper family", long_date(past.today)],
        ["Refer Zara to the young carers group", "Khan family", long_date(past.today)],
    ]
    held = rows(page, "my-families")
    assert [row[0] for row in held] == ["Harper family", "Khan family"]  # where they own open actions
    assert held[0][2] == f"{long_date(past.today + timedelta(days=14))} Due soon"
    assert held[1][2].endswith("Not due yet")
    assert page.select_one('[data-list="due"]') is None, "the team picture is not theirs"


def test_a_specialists_overdue_action_comes_first(past, sign_in):
    page = sign_in("recovery").get("/")
    assert rows(page, "my-overdue") == [["Joint home visit with Mia to talk about testing and Ava's routine",
                                         "Harper family", long_date(past.today - timedelta(days=7))]]


def test_a_social_worker_holds_their_allocated_families_most_urgent_first(past, sign_in):
    held = rows(sign_in("social").get("/"), "my-families")
    assert [row[0] for row in held] == ["Okoro family", "Harper family", "Khan family"]
    assert held[0][2].endswith("Overdue") and held[0][3] != "Not on an agenda yet"


def test_the_agenda_offers_the_families_due_first_and_one_press_adds_them(app, past, sign_in):
    browser = sign_in("support")
    page = browser.get(f"/sessions/{past.scheduled}/agenda")
    form = page.select_one('form[data-form="due"]')
    offered = [(box["value"], box.has_attr("checked")) for box in form.select('input[type="checkbox"]')]
    assert offered == [(str(past.family["FS-1063"]), True), (str(past.family["FS-1080"]), True)]
    labels = [" ".join(label.text.split()) for label in form.select("label")]
    assert labels == ["Doyle family (15 minutes)", "Walsh family (20 minutes)"]
    assert "Overdue: due by" in form.text
    response = browser.post(f"/sessions/{past.scheduled}/agenda/due",
                            {"families": [str(past.family["FS-1063"]), str(past.family["FS-1080"])]},
                            form_page=f"/sessions/{past.scheduled}/agenda")
    assert response.status_code == 200 and "Added to the agenda: Doyle family, Walsh family." in response.get_data(as_text=True)
    with app.app_context():
        agenda = [(item.family.case_reference, item.minutes_allowed) for item in db.session.scalars(
            select(AgendaItem).where(AgendaItem.session_id == past.scheduled).order_by(AgendaItem.position))]
    assert agenda == [("FS-1042", 30), ("FS-1057", 20), ("FS-1071", 25), ("FS-1063", 15), ("FS-1080", 20)]
    assert browser.get(f"/sessions/{past.scheduled}/agenda").select_one('form[data-form="due"]') is None
    went = browser.client.get(f"/sessions/{past.scheduled}/agenda/due")  # a bookmarked address: the agenda
    assert went.status_code == 302 and went.headers["Location"].endswith(f"/sessions/{past.scheduled}/agenda")


def test_only_families_offered_can_be_added(app, past, sign_in):
    browser = sign_in("manager")
    with app.app_context():
        south_family = db.session.scalar(select(Family.id).where(Family.case_reference == "FS-2011"))
    response = browser.post(f"/sessions/{past.scheduled}/agenda/due",
                            {"families": [str(south_family), str(past.family["FS-1057"])]},
                            form_page=f"/sessions/{past.scheduled}/agenda")
    assert "Choose at least one family that is due" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(SupervisionSession, past.scheduled).agenda) == 3


@pytest.mark.parametrize("username", ["social", "practitioner", "senior"])
def test_planning_is_for_those_who_set_up_sessions(past, sign_in, username):
    browser = sign_in(username)
    response = browser.post(f"/sessions/{past.scheduled}/agenda/due", {"families": [str(past.family["FS-1063"])]},
                            form_page="/")
    assert response.status_code == 403


def test_another_teams_session_cannot_be_planned(past, sign_in):
    browser = sign_in("south-manager")
    response = browser.post(f"/sessions/{past.scheduled}/agenda/due", {"families": [str(past.family["FS-1063"])]},
                            form_page="/")
    assert response.status_code == 404
