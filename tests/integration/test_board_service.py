"""Board changes through the service, on SQLite and PostgreSQL: ordering, locks, amendments, publishing."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from supervision.domain.errors import Conflict, Refused
from supervision.extensions import db
from supervision.services import board as board_service
from supervision.store.models import BoardEvent, Decision, SupervisionSession, User
from tests.demo_session import everyone_present, todays_session_id


@pytest.fixture
def board(app):
    """Today's North session, everyone present, started by the manager; yields (ids, published events)."""
    published: list[dict] = []
    app.extensions["supervision.publish"] = published.append
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    with app.app_context():
        users = {u.username: u.id for u in db.session.scalars(select(User))}
        board_service.apply_change(users["manager"], session_id, "start_session", {})
        item_id = db.session.get(SupervisionSession, session_id).current_item_id
        yield {"session": session_id, "item": item_id, "users": users, "published": published}


def test_events_are_published_only_after_commit_with_gap_free_numbers(app, board):
    with app.app_context():
        for n in range(3):
            board_service.apply_change(board["users"]["social"], board["session"], "add_card",
                                       {"stage": "situation", "text": f"Update {n}"})
        with pytest.raises(Refused):
            board_service.apply_change(board["users"]["social"], board["session"], "sign_off", {"version": 0})
        board_service.apply_change(board["users"]["social"], board["session"], "add_card",
                                   {"stage": "situation", "text": "After the refusal"})
        stored = list(db.session.scalars(select(BoardEvent.seq).where(BoardEvent.session_id == board["session"])
                                         .order_by(BoardEvent.seq)))
    assert stored == [1, 2, 3, 4, 5]
    assert [e["seq"] for e in board["published"]] == [1, 2, 3, 4, 5]


def test_concurrent_changes_get_distinct_consecutive_numbers(app, board):
    errors: list[Exception] = []

    def write(username: str) -> None:
        try:
            with app.app_context():
                for n in range(8):
                    board_service.apply_change(board["users"][username], board["session"], "add_card",
                                               {"stage": "situation", "text": f"{username} {n}"})
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("social", "recovery", "senior", "support")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with app.app_context():
        seqs = list(db.session.scalars(select(BoardEvent.seq).where(BoardEvent.session_id == board["session"])
                                       .order_by(BoardEvent.seq)))
    assert seqs == list(range(1, 34))


def test_an_amendment_keeps_the_original_wording_and_its_reason(app, board):
    manager = board["users"]["manager"]
    with app.app_context():
        saved = board_service.apply_change(manager, board["session"], "save_decision", {
            "item_id": board["item"], "version": 0, "decision_text": "Continue the plan",
            "rationale": "Risks not yet reduced", "outcome": "continue",
            "next_discussion_on": (date.today() + timedelta(days=28)).isoformat()})
        version = saved["changes"][0]["value"]["version"]
        signed = board_service.apply_change(manager, board["session"], "sign_off",
                                            {"item_id": board["item"], "version": version})
        version = signed["changes"][0]["value"]["version"]
        with pytest.raises(Refused):
            board_service.apply_change(manager, board["session"], "save_decision", {
                "item_id": board["item"], "version": version, "decision_text": "Silently changed"})
        board_service.apply_change(manager, board["session"], "amend_decision", {
            "item_id": board["item"], "version": version, "field": "rationale",
            "text": "Risks not yet reduced; Liam has not engaged", "reason": "Liam's missed sessions were left out"})
        decision = db.session.scalar(select(Decision).where(Decision.agenda_item_id == board["item"]))
        assert decision.decision_text == "Continue the plan"
        assert decision.rationale == "Risks not yet reduced; Liam has not engaged"
        [amendment] = decision.amendments
        assert amendment.original_text == "Risks not yet reduced"
        assert amendment.reason == "Liam's missed sessions were left out"


def test_notes_saved_on_an_old_version_are_refused_not_overwritten(app, board):
    support, manager = board["users"]["support"], board["users"]["manager"]
    with app.app_context():
        board_service.apply_change(support, board["session"], "save_notes",
                                   {"item_id": board["item"], "version": 0, "text": "Business support's notes"})
        with pytest.raises(Conflict) as conflict:
            board_service.apply_change(manager, board["session"], "save_notes",
                                       {"item_id": board["item"], "version": 0, "text": "Manager's notes"})
    assert conflict.value.details["current"]["text"] == "Business support's notes"


def _next_elsewhere(app, user_id: int, session_id: int) -> None:
    with app.app_context():
        board_service.apply_change(user_id, session_id, "move", {"next": True})


def test_next_moves_on_from_where_the_room_is_now_not_from_an_earlier_read(app, board):
    """Two "Next" presses close together take the room two stages on, never the same one twice."""
    manager, session_id = board["users"]["manager"], board["session"]
    with app.app_context():
        assert db.session.get(SupervisionSession, session_id).current_stage == "situation"  # read, then...
        elsewhere = threading.Thread(target=_next_elsewhere, args=(app, manager, session_id))
        elsewhere.start()
        elsewhere.join()  # ...someone else's Next lands before this one is numbered
        moved = board_service.apply_change(manager, session_id, "move", {"next": True})
        assert moved["changes"][0]["value"]["current_stage"] == "analysis"
        assert moved["summary"] == "Helen Brooks moved the room to the Harper family: Analysis"
