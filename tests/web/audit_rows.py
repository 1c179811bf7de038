"""Reading the audit trail back in tests: its rows as plain dicts, and the `supervision audit verify` command."""
from __future__ import annotations

from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import AuditEntry, Family, SupervisionSession, Team, User

COLUMNS = ("id", "position", "at", "user_id", "user_name", "role", "address", "action", "team_id",
           "family_id", "session_id", "details")


def audit_rows(app, action: str | None = None) -> list[dict]:
    with app.app_context():
        query = select(AuditEntry).order_by(AuditEntry.position)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        found = [{name: getattr(row, name) for name in COLUMNS} for row in db.session.scalars(query)]
        db.session.remove()
        return found


def last_row(app, action: str) -> dict:
    found = audit_rows(app, action)
    assert found, f"no {action!r} row was written"
    return found[-1]


def verify(app):
    """Run `supervision audit verify` through Flask's CLI runner."""
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def ids(app) -> dict:
    """Team, user, family and session ids of the demo, by slug, username, case reference and status."""
    with app.app_context():
        found = {
            "team": dict(db.session.execute(select(Team.slug, Team.id)).all()),
            "user": dict(db.session.execute(select(User.username, User.id)).all()),
            "family": dict(db.session.execute(select(Family.case_reference, Family.id)).all()),
            "session": {f"{slug}-{status}": session_id for slug, status, session_id in db.session.execute(
                select(Team.slug, SupervisionSession.status, SupervisionSession.id).join(Team)).all()},
        }
        db.session.remove()
        return found
