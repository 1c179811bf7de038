"""Setting up a session: time, chair and minute taker, the agenda, attendance, and who may do it."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from flask import url_for
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.store.models import Family, SupervisionSession, Team, User

LONDON = ZoneInfo("Europe/London")


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def family_id(app, case_reference: str, team: str = "north") -> int:
    with app.app_context():
        return db.session.scalar(select(Family.id).join(Team).where(
            Team.slug == team, Family.case_reference == case_reference))


def session_ids(app, team: str = "north") -> dict[str, int]:
    """The demo's sessions of a team by status: 'closed' (a fortnight ago) and 'scheduled' (today)."""
    with app.app_context():
        rows = db.session.execute(select(SupervisionSession.status, SupervisionSession.id).join(Team)
                                  .where(Team.slug == team))
        return {status: id_ for status, id_ in rows}


def session_state(app, session_id: int) -> dict:
    with app.app_context():
        s = db.session.get(SupervisionSession, session_id)
        return {
            "starts_at": s.starts_at, "chair": s.chair.username, "minute_taker": s.minute_taker.username,
            "status": s.status,
            "agenda": [(i.family.case_reference, i.position, i.minutes_allowed) for i in s.agenda],
            "attendance": {a.user.username: (a.status, a.role.key) for a in s.attendance},
        }


def session_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(SupervisionSession.id)))


def set_status(app, session_id: int, status: str) -> None:
    with app.app_context():
        db.session.get(SupervisionSession, session_id).status = status
        db.session.commit()


def errors_of(response) -> list[tuple[str, str | None]]:
    summary = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(class_="govuk-error-summary")
    assert summary is not None, "the page shows an error summary"
    return [(li.text.strip(), li.a["href"] if li.a else None)
            for li in summary.select(".govuk-error-summary__list li")]


def new_session(app, day: date, **overrides) -> dict:
    data = {"starts_on-day": str(day.day), "starts_on-month": str(day.month), "starts_on-year": str(day.year),
            "start_time": "10:30am", "chair": str(user_id(app, "manager")),
            "minute_taker": str(user_id(app, "support"))}
    data.update(overrides)
    return data


def tomorrow() -> date:
    return datetime.now(LONDON).date() + timedelta(days=1)


def agenda_form(app, rows: list[tuple[str, str, str]], **extra) -> dict:
    """rows: (case reference, order, minutes) as typed into the agenda page."""
    data = {}
    for index, (reference, order, minutes) in enumerate(rows):
        data[f"items-{index}-family_id"] = str(family_id(app, reference))
        data[f"items-{index}-order"] = order
        data[f"items-{index}-minutes"] = minutes
    data.update(extra)
    return data


# Scheduling ------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["manager", "support"])
def test_the_manager_and_business_support_can_set_up_a_session(app, sign_in, username):
    browser = sign_in(username)
    form = browser.get("/sessions/new")
    assert form.find(id="chair").find("option", selected=True).text.startswith("Helen Brooks")
    assert form.find(id="minute_taker").find("option", selected=True).text.startswith("Jenny Marsh")
    before = session_count(app)
    day = tomorrow()
    response = browser.post("/sessions/new", new_session(app, day), follow=False)
    assert response.status_code == 302
    assert session_count(app) == before + 1
    new_id = int(response.headers["Location"].split("/")[2])
    assert response.headers["Location"] == f"/sessions/{new_id}/agenda"
    state = session_state(app, new_id)
    assert state["starts_at"] == datetime(day.year, day.month, day.day, 10, 30, tzinfo=LONDON).astimezone(timezone.utc)
    assert (state["chair"], state["minute_taker"], state["status"]) == ("manager", "support", "scheduled")
    assert state["attendance"]["recovery"] == ("present", "recovery-worker")
    assert len(state["attendance"]) == 9, "everyone in North, nobody from South"
    agenda_page = browser.get(response.headers["Location"])
    assert "Now choose the families to discuss." in agenda_page.text


@pytest.mark.parametrize("username", ["social", "recovery", "senior"])
def test_others_cannot_set_up_or_change_a_session(app, sign_in, username):
    browser = sign_in(username)
    scheduled = session_ids(app)["scheduled"]
    before, state = session_count(app), session_state(app, scheduled)
    page = browser.get("/sessions/new", expected=403)
    assert "Only the team manager or business support can set up a session." in page.text
    browser.post("/sessions/new", new_session(app, tomorrow()), form_page="/sessions", expected=403)
    for part in ("edit", "agenda", "attendance"):
        browser.get(f"/sessions/{scheduled}/{part}", expected=403)
    browser.post(f"/sessions/{scheduled}/edit", new_session(app, tomorrow()), form_page="/sessions", expected=403)
    browser.post(f"/sessions/{scheduled}/agenda", agenda_form(app, [("FS-1063", "1", "15")]),
                 form_page="/sessions", expected=403)
    response = browser.post(f"/sessions/{scheduled}/attendance", {
        "people-0-user_id": str(user_id(app, username)), "people-0-status": "apologies"},
        form_page="/sessions", expected=403)
    assert "Only the team manager or business support can record attendance." in response.get_data(as_text=True)
    assert session_count(app) == before
    assert session_state(app, scheduled) == state
    overview = browser.get(f"/sessions/{scheduled}")
    assert overview.find("a", string="Change the agenda") is None
    assert overview.find("a", string="Record attendance") is None


@pytest.mark.parametrize("chair", ["south-manager", "social", "recovery"])
def test_the_chair_must_be_a_manager_or_senior_social_worker_of_the_team(app, sign_in, chair):
    before = session_count(app)
    response = sign_in("manager").post("/sessions/new", new_session(app, tomorrow(), chair=str(user_id(app, chair))),
                                       expected=400)
    assert ("Choose a team manager or senior social worker from this team to chair", "#chair") in errors_of(response)
    assert session_count(app) == before


def test_a_senior_social_worker_may_chair(app, sign_in):
    response = sign_in("support").post("/sessions/new", new_session(app, tomorrow(), chair=str(user_id(app, "senior"))),
                                       follow=False)
    assert response.status_code == 302
    assert session_state(app, int(response.headers["Location"].split("/")[2]))["chair"] == "senior"


def test_the_minute_taker_must_be_in_the_team(app, sign_in):
    before = session_count(app)
    response = sign_in("manager").post("/sessions/new", new_session(
        app, tomorrow(), minute_taker=str(user_id(app, "south-support"))), expected=400)
    assert ("Choose someone from this team to take the minutes", "#minute_taker") in errors_of(response)
    assert session_count(app) == before


def test_a_date_or_time_that_is_not_real_is_explained(app, sign_in):
    browser = sign_in("manager")
    before = session_count(app)
    yesterday = datetime.now(LONDON).date() - timedelta(days=1)
    cases = [
        (new_session(app, tomorrow(), **{"starts_on-day": "31", "starts_on-month": "2"}),
         ("The date of the session must be a real date, for example 27 3 2025", "#starts_on-day")),
        (new_session(app, yesterday), ("The date of the session must be today or in the future", "#starts_on-day")),
        (new_session(app, tomorrow(), **{"starts_on-day": "", "starts_on-month": "", "starts_on-year": ""}),
         ("Enter the date of the session", "#starts_on-day")),
        (new_session(app, tomorrow(), start_time="half ten"), ("Enter the start time like 9:30am or 14:00", "#start_time")),
        (new_session(app, tomorrow(), start_time="25:00"), ("Enter the start time like 9:30am or 14:00", "#start_time")),
    ]
    for data, expected in cases:
        assert expected in errors_of(browser.post("/sessions/new", data, expected=400))
    assert session_count(app) == before


def test_changing_the_time_chair_and_minute_taker(app, sign_in):
    scheduled = session_ids(app)["scheduled"]
    browser = sign_in("support")
    form = browser.get(f"/sessions/{scheduled}/edit")
    assert form.find(id="start_time")["value"] == "14:00"
    day = tomorrow()
    browser.post(f"/sessions/{scheduled}/edit", new_session(
        app, day, start_time="9am", chair=str(user_id(app, "senior")), minute_taker=str(user_id(app, "practitioner"))),
        expected=200)
    state = session_state(app, scheduled)
    assert state["starts_at"] == datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON).astimezone(timezone.utc)
    assert (state["chair"], state["minute_taker"]) == ("senior", "practitioner")


# A closed session ------------------------------------------------------------------------------

def test_a_closed_sessions_setup_cannot_be_changed(app, sign_in):
    closed = session_ids(app)["closed"]
    state = session_state(app, closed)
    browser = sign_in("manager")
    for part in ("edit", "agenda", "attendance"):
        page = browser.get(f"/sessions/{closed}/{part}", expected=403)
        assert "This session has closed, so its setup can no longer be changed." in page.text
    browser.post(f"/sessions/{closed}/edit", new_session(app, tomorrow()), expected=403)
    browser.post(f"/sessions/{closed}/agenda", agenda_form(app, [("FS-1042", "1", "5")]), expected=403)
    browser.post(f"/sessions/{closed}/attendance", {
        "people-0-user_id": str(user_id(app, "recovery")), "people-0-status": "apologies"}, expected=403)
    assert session_state(app, closed) == state
    overview = browser.get(f"/sessions/{closed}")
    assert "Its setup can no longer be changed." in overview.text
    assert overview.find("a", string="Change the agenda") is None


# Agenda ----------------------------------------------------------------------------------------

def test_adding_removing_and_reordering_families(app, sign_in):
    scheduled = session_ids(app)["scheduled"]
    browser = sign_in("manager")
    page = browser.get(f"/sessions/{scheduled}/agenda")
    offered = [o.text for o in page.find(id="add_family").find_all("option")]
    assert "Doyle family (FS-1063)" in offered and not any("Harper" in o for o in offered)
    assert not any("Price" in o for o in offered), "only this team's families are offered"

    response = browser.post(f"/sessions/{scheduled}/agenda", agenda_form(
        app, [("FS-1042", "2", "30"), ("FS-1057", "1", "15"), ("FS-1071", "3", "25")],
        add_family=str(family_id(app, "FS-1063")), add_minutes="10"), follow=False)
    assert response.headers["Location"] == f"/sessions/{scheduled}/agenda", "stays on the agenda after adding"
    assert session_state(app, scheduled)["agenda"] == [
        ("FS-1057", 1, 15), ("FS-1042", 2, 30), ("FS-1071", 3, 25), ("FS-1063", 4, 10)]

    response = browser.post(f"/sessions/{scheduled}/agenda", agenda_form(
        app, [("FS-1057", "1", "15"), ("FS-1042", "2", "30"), ("FS-1071", "3", "25"), ("FS-1063", "1", "10")],
        **{"items-2-remove": "y"}), expected=200)
    assert "The agenda has been saved." in response.get_data(as_text=True)
    assert session_state(app, scheduled)["agenda"] == [("FS-1057", 1, 15), ("FS-1063", 2, 10), ("FS-1042", 3, 30)]
    overview = browser.page(response)
    assert "55 minutes" in overview.text, "the total time is shown"


@pytest.mark.parametrize("minutes", ["0", "-5", "abc", "", "2.5", "999"])
def test_a_time_allowance_must_be_a_positive_whole_number(app, sign_in, minutes):
    scheduled = session_ids(app)["scheduled"]
    state = session_state(app, scheduled)
    response = sign_in("support").post(f"/sessions/{scheduled}/agenda", agenda_form(
        app, [("FS-1042", "1", minutes), ("FS-1057", "2", "20"), ("FS-1071", "3", "25")]), expected=400)
    assert ("The time for Harper family must be a whole number of minutes from 1 to 240",
            "#items-0-minutes") in errors_of(response)
    assert session_state(app, scheduled) == state


def test_a_family_being_added_needs_a_time_allowance_too(app, sign_in):
    scheduled = session_ids(app)["scheduled"]
    state = session_state(app, scheduled)
    response = sign_in("manager").post(f"/sessions/{scheduled}/agenda", agenda_form(
        app, [("FS-1042", "1", "30"), ("FS-1057", "2", "20"), ("FS-1071", "3", "25")],
        add_family=str(family_id(app, "FS-1063")), add_minutes="none"), expected=400)
    assert ("The time for the family you are adding must be a whole number of minutes from 1 to 240",
            "#add_minutes") in errors_of(response)
    assert session_state(app, scheduled) == state


def test_another_teams_family_cannot_be_put_on_the_agenda(app, sign_in):
    scheduled = session_ids(app)["scheduled"]
    state = session_state(app, scheduled)
    browser = sign_in("manager")
    for data in (
        agenda_form(app, [("FS-1042", "1", "30")], add_family=str(family_id(app, "FS-2011", "south")), add_minutes="20"),
        {**agenda_form(app, [("FS-1042", "1", "30")]), "items-0-family_id": str(family_id(app, "FS-2019", "south"))},
    ):
        response = browser.post(f"/sessions/{scheduled}/agenda", data, expected=400)
        assert ("Choose families from this team's list", None) in errors_of(response)
    assert session_state(app, scheduled) == state


def test_a_live_sessions_agenda_and_attendance_can_still_change(app, sign_in):
    scheduled = session_ids(app)["scheduled"]
    set_status(app, scheduled, "live")
    browser = sign_in("support")
    browser.post(f"/sessions/{scheduled}/agenda", agenda_form(
        app, [("FS-1042", "1", "30"), ("FS-1057", "2", "20"), ("FS-1071", "3", "25")],
        add_family=str(family_id(app, "FS-1080")), add_minutes="15"), expected=200)
    assert session_state(app, scheduled)["agenda"][-1] == ("FS-1080", 4, 15)
    browser.post(f"/sessions/{scheduled}/attendance", {
        "people-0-user_id": str(user_id(app, "practitioner")), "people-0-status": "late",
        "people-0-role": ""}, expected=200)
    assert session_state(app, scheduled)["attendance"]["practitioner"] == ("late", "family-practitioner")


def test_a_family_already_discussed_stays_on_a_live_agenda(app, sign_in):
    scheduled = session_ids(app)["scheduled"]
    with app.app_context():
        session = db.session.get(SupervisionSession, scheduled)
        session.status = "live"
        session.agenda[0].notes_text = "Priya presented."
        db.session.commit()
    state = session_state(app, scheduled)
    response = sign_in("manager").post(f"/sessions/{scheduled}/agenda", agenda_form(
        app, [("FS-1042", "1", "30"), ("FS-1057", "2", "20"), ("FS-1071", "3", "25")], **{"items-0-remove": "y"}),
        expected=400)
    assert ("Harper family has already been discussed in this session, so it stays on the agenda", None) in \
        errors_of(response)
    assert session_state(app, scheduled) == state


# Attendance ------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["manager", "support"])
def test_recording_attendance_and_the_role_attended_in(app, sign_in, username):
    scheduled = session_ids(app)["scheduled"]
    browser = sign_in(username)
    page = browser.get(f"/sessions/{scheduled}/attendance")
    rows = page.select("tbody tr")
    assert len(rows) == 9
    with app.app_context():
        from supervision.store.models import Role

        manager_role = db.session.scalar(select(Role.id).where(Role.key == "team-manager"))
    data = {}
    for index, (username_, status, role) in enumerate([
        ("recovery", "late", ""), ("mental-health", "present", ""), ("senior", "present", str(manager_role)),
        ("practitioner", "", ""),
    ]):
        data |= {f"people-{index}-user_id": str(user_id(app, username_)), f"people-{index}-status": status,
                 f"people-{index}-role": role}
    response = browser.post(f"/sessions/{scheduled}/attendance", data, expected=200)
    assert "Attendance has been saved." in response.get_data(as_text=True)
    attendance = session_state(app, scheduled)["attendance"]
    assert attendance["recovery"] == ("late", "recovery-worker")
    assert attendance["mental-health"] == ("present", "mental-health-practitioner")
    assert attendance["senior"] == ("present", "team-manager")
    assert "practitioner" not in attendance
    assert attendance["manager"] == ("present", "team-manager"), "people not in the form are left as they were"
    overview = browser.page(response)
    senior_row = next(r for r in overview.select("tbody tr") if "David Mensah" in r.text)
    assert "Team manager" in senior_row.text


def test_someone_from_another_team_cannot_be_recorded_as_attending(app, sign_in):
    scheduled = session_ids(app)["scheduled"]
    state = session_state(app, scheduled)
    response = sign_in("manager").post(f"/sessions/{scheduled}/attendance", {
        "people-0-user_id": str(user_id(app, "recovery")), "people-0-status": "late",
        "people-1-user_id": str(user_id(app, "south-social")), "people-1-status": "present"}, expected=400)
    assert ("Choose people from this team", None) in errors_of(response)
    assert session_state(app, scheduled) == state


# Reading ---------------------------------------------------------------------------------------

def test_the_session_overview(app, sign_in):
    scheduled = session_ids(app)["scheduled"]
    browser = sign_in("practitioner")
    page = browser.get(f"/sessions/{scheduled}")
    main = page.find("main").text
    assert "Helen Brooks" in main and "Jenny Marsh" in main and "Scheduled" in main
    agenda = [row.find_all("td")[0].text.strip() for row in
              page.find("h2", string="Agenda").find_next("table").select("tbody tr")]
    assert agenda[:3] == ["1", "2", "3"]
    attendance = page.find("h2", string="Attendance").find_next("table").text
    assert "Ruth Ellison" in attendance and "Sent apologies" in attendance
    assert page.find("a", string="Change the agenda") is None, "a practitioner is not offered setup links"
    board_links = [a["href"] for a in page.find_all("a") if a.text.strip() == "Open the live board"]
    if "board.show" in app.view_functions:
        with app.test_request_context():
            assert board_links == [url_for("board.show", session_id=scheduled)]
    else:
        assert board_links == []

    manager_page = sign_in("manager").get(f"/sessions/{scheduled}")
    assert manager_page.find("a", string="Change the agenda")["href"] == f"/sessions/{scheduled}/agenda"
    assert manager_page.find("a", string="Record attendance")["href"] == f"/sessions/{scheduled}/attendance"


def test_the_sessions_list(app, sign_in):
    ids = session_ids(app)
    page = sign_in("social").get("/sessions")
    links = {a["href"] for a in page.find("main").find_all("a")}
    assert f"/sessions/{ids['scheduled']}" in links and f"/sessions/{ids['closed']}" in links
    south = session_ids(app, "south")
    assert f"/sessions/{south['scheduled']}" not in links
