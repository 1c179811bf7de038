"""GET /api/sessions/today: how a client finds today's board without reading pages."""
from __future__ import annotations

from tests.demo_session import todays_session_id
from tests.web.audit_rows import last_row


def test_today_lists_the_teams_sessions_with_their_board(app, sign_in):
    north = todays_session_id(app)
    response = sign_in("recovery").client.get("/api/sessions/today")
    assert response.status_code == 200 and response.mimetype == "application/json"
    [session] = response.get_json()["sessions"]
    assert session["session_id"] == north
    assert session["board"] == f"/sessions/{north}/board"
    assert (session["status"], session["chair"], session["families"]) == ("scheduled", "Helen Brooks", 3)
    row = last_row(app, "sessions.listed")
    assert (row["user_name"], row["details"]) == ("Grace Whitfield", {"sessions": [north]})
    assert row["team_id"] == response.get_json()["team_id"]


def test_another_teams_sessions_are_not_listed(app, sign_in):
    north = todays_session_id(app)
    listed = sign_in("south-social").client.get("/api/sessions/today").get_json()["sessions"]
    assert listed and north not in [session["session_id"] for session in listed]


def test_without_a_sign_in_it_sends_you_to_sign_in(client):
    response = client.get("/api/sessions/today")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
