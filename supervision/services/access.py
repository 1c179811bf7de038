"""Who may be on a live board, and ending it the moment they may not.

The rule is checked when a connection joins and re-checked before its changes (services/
board/access.py keeps the check). When something takes the right away (the attendance list, the
chair, a sign-out, a closed account), the connections concerned are also taken off the
board at once, whichever worker holds them: the realtime layer does that through the
`end_access` it gives the app at start-up (realtime/revocation.py).
"""
from __future__ import annotations

from typing import Callable

from flask import current_app
from sqlalchemy import select

from ..domain.errors import DomainError, NotFound, Refused
from ..domain.vocabulary import AttendanceStatus
from ..extensions import db
from ..store.models import Attendance, SupervisionSession
from . import presence
from .scope import Actor, actor_for
from .sign_ins import MESSAGES

NOT_ATTENDING = ("You are not on the attendance list for this session. "
                 "Ask the chair or business support to add you.")


_READ = object()


def may_be_on(user_id: int, session: SupervisionSession, actor: Actor, *, attendance=_READ) -> Actor:
    """A team member may be on the board if they chair, take the minutes, or attend (present or late).

    `attendance`: their attendance status if the caller read it already (None: not on the list).
    """
    if user_id in (session.chair_id, session.minute_taker_id):
        return actor
    status = db.session.scalar(
        select(Attendance.status).where(Attendance.session_id == session.id, Attendance.user_id == user_id)
    ) if attendance is _READ else attendance
    if status not in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
        raise Refused(NOT_ATTENDING)
    return actor


def _end_access(connections: list[presence.Connection], code: str, message: str) -> None:
    end: Callable | None = current_app.extensions.get("supervision.end_access")
    if end is not None and connections:
        end(connections, code, message)


def recheck_board(session_id: int) -> None:
    """Who may be on this board changed (set-up pages): take off everyone connected who may no longer be."""
    session = db.session.get(SupervisionSession, session_id)
    connected = presence.connections(session_id=session_id)
    refused: dict[int, tuple[str, str]] = {}
    for user_id in {each.user_id for each in connected}:
        try:
            may_be_on(user_id, session, actor_for(user_id, session.team_id))
        except NotFound:
            refused[user_id] = ("removed", "You are no longer a member of this team.")
        except DomainError as error:
            refused[user_id] = ("not_attending", error.message)
    for user_id, (code, message) in refused.items():
        _end_access([each for each in connected if each.user_id == user_id], code, message)


def sign_ins_ended(sign_in_ids: list[int], reason: str) -> None:
    """These sign-ins ended (signed out, everywhere, account closed): their boards stop at once."""
    if sign_in_ids:
        _end_access(presence.connections(sign_in_ids=sign_in_ids), reason, MESSAGES[reason])
