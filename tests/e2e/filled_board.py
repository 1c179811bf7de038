"""A board with something in every stage, and the decision's later life (sign-off, amendment, closing),
made through the same service the board uses, so a browser test can start from any point of a discussion."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from supervision.extensions import db
from supervision.services import board as board_service
from supervision.domain.vocabulary import ActionStatus
from supervision.store.models import Action, Adult, AgendaItem, SupervisionSession, Team, User


def user_ids(app) -> dict[str, int]:
    with app.app_context():
        return {user.username: user.id for user in db.session.scalars(select(User))}


def adult_id(app, item_id: int, first_name: str) -> int:
    with app.app_context():
        family_id = db.session.get(AgendaItem, item_id).family_id
        return db.session.scalar(select(Adult.id).where(Adult.family_id == family_id, Adult.first_name == first_name))


def change(app, today, username: str, change_type: str, data: dict) -> None:
    with app.app_context():
        board_service.apply_change(user_ids(app)[username], today.session_id, change_type, data)


def fill_the_board(app, today) -> None:
    """Something in every stage of the Harper family's discussion; the room is on its situation."""
    harper = today.items["FS-1042"]
    for username, change_type, data in [
        ("manager", "start_session", {}),
        ("social", "add_card", {"item_id": harper, "stage": "situation",
                                "text": "Mia has moved to a flat nearer her aunt.\nAva is gaining weight."}),
        ("recovery", "add_card", {"item_id": harper, "stage": "perspectives", "stage_of_change": "preparation",
                                  "adult_id": adult_id(app, harper, "Mia"), "text": "Two clear tests this month."}),
        ("social", "add_card", {"item_id": harper, "stage": "analysis", "heading": "working_well",
                                "text": "Mia goes to every health visitor appointment."}),
        ("support", "save_notes", {"item_id": harper, "version": 0, "text": "Priya presented."}),
        ("social", "propose_action", {"item_id": harper, "text": "Ask the health visitor to the core group."}),
        ("manager", "save_decision", {"item_id": harper, "version": 0, "decision_text": "Continue the plan.",
                                      "rationale": "Progress, but Ava cannot tell anyone.", "outcome": "continue"}),
    ]:
        change(app, today, username, change_type, data)


def decision_version(app, today, item_id: int) -> int:
    with app.app_context():
        snapshot = board_service.snapshot_for(user_ids(app)["manager"], today.session_id)
        return snapshot["state"]["decision"][str(item_id)]["version"]


def sign_off(app, today, item_id: int, decision_text: str = "Continue the plan.") -> None:
    """The manager drops what is still proposed, saves a complete decision for the family and signs it off."""
    with app.app_context():
        proposed = db.session.scalars(select(Action.id).where(
            Action.agenda_item_id == item_id, Action.status == ActionStatus.PROPOSED)).all()
    for action_id in proposed:
        change(app, today, "manager", "drop_action", {"action_id": action_id})
    change(app, today, "manager", "save_decision", {
        "item_id": item_id, "version": decision_version(app, today, item_id), "decision_text": decision_text,
        "rationale": "Progress, but Ava cannot tell anyone.", "outcome": "continue",
        "next_discussion_on": (date.today() + timedelta(weeks=4)).isoformat()})
    change(app, today, "manager", "sign_off", {"item_id": item_id, "version": decision_version(app, today, item_id)})


def amend(app, today, item_id: int, field: str, text: str, reason: str) -> None:
    change(app, today, "manager", "amend_decision", {
        "item_id": item_id, "version": decision_version(app, today, item_id), "field": field, "text": text,
        "reason": reason})


def closed_north_session(app) -> int:
    """The North team's session from before today, closed with its records."""
    with app.app_context():
        north = db.session.scalar(select(Team).where(Team.slug == "north"))
        return db.session.scalar(select(SupervisionSession.id).where(
            SupervisionSession.team_id == north.id, SupervisionSession.status == "closed"))
