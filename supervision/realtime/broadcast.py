"""Sending to everyone on a board. Room names are made here, from ids the server checked."""
from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db, socketio
from ..store.models import Membership, Presence, SupervisionSession, User


def room_for(session_id: int) -> str:
    return f"session:{int(session_id)}"


def publish_event(message: dict) -> None:
    socketio.emit("board:event", message, to=room_for(message["session_id"]))


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


def publish_presence(session_id: int) -> None:
    socketio.emit("board:presence", {"session_id": session_id, "people": presence_list(session_id)},
                  to=room_for(session_id))
