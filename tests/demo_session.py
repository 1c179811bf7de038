"""The demo's session for today (North team: Harper, Khan and Okoro families), ready for a discussion."""
from __future__ import annotations

from sqlalchemy import select, update

from supervision.extensions import db
from supervision.store.models import Attendance, SupervisionSession, Team


def todays_session_id(app) -> int:
    with app.app_context():
        north = db.session.scalar(select(Team).where(Team.slug == "north"))
        return db.session.scalar(select(SupervisionSession.id).where(
            SupervisionSession.team_id == north.id, SupervisionSession.status == "scheduled"))


def everyone_present(app, session_id: int) -> None:
    """Mark the whole team present (the demo has the mental health practitioner sending apologies)."""
    with app.app_context():
        db.session.execute(update(Attendance).where(Attendance.session_id == session_id).values(status="present"))
        db.session.commit()
