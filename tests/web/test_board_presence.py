"""The people list as the board page draws it before its script runs."""
from __future__ import annotations

from sqlalchemy import select

from supervision.extensions import db
from supervision.services import presence, workers
from supervision.store.models import User
from tests.demo_session import everyone_present, todays_session_id


def test_each_person_is_listed_once_with_their_connections_and_a_dead_process_s_are_not(app, sign_in):
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    with app.app_context():
        users = {u.username: u.id for u in db.session.scalars(select(User))}
        workers.beat("serving")
        presence.connected(session_id, users["social"], "tab-1", "serving")
        presence.connected(session_id, users["social"], "tab-2", "serving")
        presence.connected(session_id, users["manager"], "tab-3", "serving")
        presence.connected(session_id, users["recovery"], "tab-4", "never-beat")

    page = sign_in("manager").get(f"/sessions/{session_id}/board")
    people = [" ".join(li.get_text(" ", strip=True).split())
              for li in page.select("[data-presence-list] li")]
    assert len(people) == 2
    assert people[0].startswith("Helen Brooks") and "connections" not in people[0]
    assert people[1].startswith("Priya Shah") and people[1].endswith("2 connections")
