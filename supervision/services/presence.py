"""Who is connected to a board, kept in the database so that any worker can answer."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from ..extensions import db
from ..store.models import Membership, Presence, Role, SupervisionSession, User
from .workers import alive_workers


def presence_list(session_id: int) -> list[dict]:
    """Who is connected to the board now, each person once with their number of connections
    (browser tabs), and the role they hold in the team. Connections held by a process that
    has stopped beating are not counted (services/workers.py)."""
    team_id = select(SupervisionSession.team_id).where(SupervisionSession.id == session_id).scalar_subquery()
    rows = db.session.execute(
        select(User.id, User.display_name, Role.label, func.count(Presence.id))
        .join(Presence, Presence.user_id == User.id)
        .outerjoin(Membership, (Membership.user_id == User.id) & (Membership.team_id == team_id))
        .outerjoin(Role, Role.id == Membership.role_id)
        .where(Presence.session_id == session_id, Presence.worker_id.in_(alive_workers()))
        .group_by(User.id, User.display_name, Role.label)
        .order_by(User.display_name)
    ).all()
    return [{"user_id": user_id, "name": name, "role": role or "", "connections": count}
            for user_id, name, role, count in rows]


def connected(session_id: int, user_id: int, sid: str, worker_id: str, sign_in_id: int | None = None) -> None:
    """Record one connection (a browser tab) on a board, held by the process `worker_id` and opened
    with the sign-in `sign_in_id`; joining twice is the same as once."""
    exists = db.session.scalar(select(Presence.id).where(Presence.sid == sid, Presence.session_id == session_id))
    if exists is None:
        db.session.add(Presence(session_id=session_id, user_id=user_id, sid=sid, worker_id=worker_id,
                                sign_in_id=sign_in_id))
        db.session.commit()


@dataclass(frozen=True)
class Connection:
    """One connection on one board, as presence knows it (on any worker)."""

    sid: str
    session_id: int
    user_id: int


def connections(*, session_id: int | None = None, sign_in_ids: list[int] | None = None) -> list[Connection]:
    """The connections on a board, or those opened with these sign-ins."""
    query = select(Presence.sid, Presence.session_id, Presence.user_id)
    if session_id is not None:
        query = query.where(Presence.session_id == session_id)
    if sign_in_ids is not None:
        query = query.where(Presence.sign_in_id.in_(sign_in_ids))
    return [Connection(*row) for row in db.session.execute(query.order_by(Presence.id))]


def count_for(user_id: int, other_than: str) -> int:
    """How many board connections this person has open on every worker, besides this one."""
    return db.session.scalar(select(func.count(Presence.id)).where(Presence.user_id == user_id,
                                                                   Presence.sid != other_than))


def forget(sids: list[str]) -> None:
    if sids:
        db.session.execute(delete(Presence).where(Presence.sid.in_(sids)))
    db.session.commit()


def disconnected(sid: str, session_id: int | None = None) -> list[int]:
    """Forget a connection (on one board, or on all); returns the boards it was on."""
    # One statement that answers what it removed: the same connection may be forgotten at the same
    # moment by its own disconnect and by its access ending, and neither should find the other's gap.
    query = delete(Presence).where(Presence.sid == sid)
    if session_id is not None:
        query = query.where(Presence.session_id == session_id)
    boards = list(db.session.scalars(query.returning(Presence.session_id)))
    db.session.commit()
    return sorted(set(boards))
