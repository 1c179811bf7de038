"""What a live connection keeps between changes must never outlast the right it stands for."""
from __future__ import annotations

from sqlalchemy import select

from supervision.extensions import db
from supervision.realtime import connections
from supervision.services import session_setup
from supervision.services.session_setup import AttendanceEntry
from supervision.store.models import Card, User
from tests.demo_session import everyone_present


def _set_attendance(app, session_id: int, username: str, status: str) -> None:
    """Business support records the attendance on the set-up page's service."""
    with app.app_context():
        support = db.session.scalar(select(User.id).where(User.username == "support"))
        person = db.session.scalar(select(User.id).where(User.username == username))
        session_setup.record_attendance(support, session_id, [AttendanceEntry(person, status)])


def test_someone_taken_off_the_attendance_list_mid_session_can_no_longer_change_the_board(
        app, connect, todays_session):
    everyone_present(app, todays_session)
    manager, recovery = connect("manager"), connect("recovery")
    manager.join(todays_session)
    recovery.join(todays_session)
    manager.ok("start_session")
    assert recovery.change("add_card", {"stage": "situation", "text": "Mum is at every recovery group."})["ok"]

    _set_attendance(app, todays_session, "recovery", "apologies")
    refused = recovery.change("add_card", {"stage": "situation", "text": "Written after leaving the meeting"})
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    assert "attendance list" in refused["error"]["message"]

    _set_attendance(app, todays_session, "recovery", "late")
    assert recovery.change("add_card", {"stage": "situation", "text": "Back in the room."})["ok"]
    with app.app_context():
        texts = set(db.session.scalars(select(Card.text).where(Card.agenda_item_id.isnot(None))))
    assert "Written after leaving the meeting" not in texts
    assert {"Mum is at every recovery group.", "Back in the room."} <= texts


def test_a_resent_edit_gets_its_first_answer_rather_than_a_conflict(app, connect, todays_session):
    everyone_present(app, todays_session)
    manager, social = connect("manager"), connect("social")
    manager.join(todays_session)
    social.join(todays_session)
    manager.ok("start_session")
    card = social.ok("add_card", {"stage": "situation", "text": "Dad moved out in May."})["changes"][0]["value"]
    edit = {"card_id": card["id"], "version": card["version"], "text": "Dad moved out in June."}
    first = social.change("edit_card", edit, client_change_id="edit-1")
    again = social.change("edit_card", edit, client_change_id="edit-1")  # its answer was lost on the way
    assert first["ok"] and again["ok"] and again["seq"] == first["seq"]
    assert again["event"]["changes"][0]["value"] == {**card, "text": "Dad moved out in June.",
                                                     "version": card["version"] + 1}


def test_a_connection_idle_past_the_limit_is_asked_to_sign_in_again(app, connect, todays_session):
    everyone_present(app, todays_session)
    social = connect("social")
    assert social.join(todays_session)["ok"]
    limit = app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    connections._open[social.sio.get_sid()].last_active -= limit + 1  # as if nobody touched it since

    answer = social.change("add_card", {"stage": "situation", "text": "Typed on an unattended laptop"})
    assert answer == {"ok": False, "error": {"code": "unauthenticated", "message": "Sign in again to continue."}}
