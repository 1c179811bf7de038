"""Who is connected to a board, kept in the database so that any worker can answer."""
from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..store.models import Membership, Presence, SupervisionSession, User


def presence_list(session_id: int) -> list[dict]:
    """Who is connected to the board now, with the role they hold in the team (from any worker)."""
    session = db.session.get(SupervisionSession, session_id)
    rows = db.session.execute(
        select(User.id, User.display_name, func.count(Presence.id))
        .join(Presence, Presence.user_id == User.id)
        .where(Presence.session_id == session_id)
        .group_by(User.id, User.display_name)
        .order_by(User.display_name)
    ).all()
    memberships = {
        m.user_id: m for m in db.session.scalars(
            select(Membership).where(Membership.team_id == session.team_id,
                                     Membership.user_id.in_([r[0] for r in rows])))
    }
    return [{"user_id": user_id, "name": name, "role": memberships[user_id].role_label if user_id in memberships else "",
             "connections": count} for user_id, name, count in rows]


def connected(session_id: int, user_id: int, sid: str) -> None:
    """Record one connection (a browser tab) on a board; joining twice is the same as once."""
    exists = db.session.scalar(select(Presence.id).where(Presence.sid == sid, Presence.session_id == session_id))
    if exists is None:
        db.session.add(Presence(session_id=session_id, user_id=user_id, sid=sid))
        db.session.commit()


def disconnected(sid: str, session_id: int | None = None) -> list[int]:
    """Forget a connection (on one board, or on all); returns the boards it was on."""
    query = select(Presence).where(Presence.sid == sid)
    if session_id is not None:
        query = query.where(Presence.session_id == session_id)
    rows = list(db.session.scalars(query))
    for row in rows:
        db.session.delete(row)
    db.session.commit()
    return sorted({row.session_id for row in rows})
