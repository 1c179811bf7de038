"""Who may be on a board: the check a live connection keeps, and the board a change works on."""
from __future__ import annotations

import time
from dataclasses import dataclass

from ...domain import fields
from ...domain.errors import NotFound
from ...domain.permissions import Permission
from ...extensions import db
from ...store import hot_path as statements
from ...store.models import AgendaItem, SupervisionSession
from ..access import may_be_on
from ..scope import Actor, actor_on_board, session_for


# How long a connection may use a checked BoardAccess before it is checked again even
# though nothing on the session moved: bounds how long a change made outside the set-up
# pages (an account closed, a role changed from the command line) takes to apply.
RECHECK_SECONDS = 60.0


@dataclass
class BoardAccess:
    """A person's checked right to be on one board, which a live connection keeps between changes.

    Checking costs the person, their membership and the attendance list. `record` reads
    the session with every change anyway, and re-checks only when its `access_version`
    has moved (the set-up pages changed the chair, minute taker or attendance) or the check is
    older than RECHECK_SECONDS.
    """

    user_id: int
    session_id: int
    actor: Actor
    version: int
    checked_at: float
    recheck: bool = True

    def check(self, session) -> Actor:
        """`session`: the ORM object or the columns the numbering statement read (Board.head)."""
        if self.recheck and (session.access_version != self.version
                             or time.monotonic() - self.checked_at > RECHECK_SECONDS):
            self.version = -1  # stays stale if the check below refuses
            actor, attendance = actor_on_board(self.user_id, session.team_id, session.id)
            self.actor = may_be_on(self.user_id, session, actor, attendance=attendance)
            self.version, self.checked_at = session.access_version, time.monotonic()
        return self.actor


class Board:
    """What a change handler works with: the numbered session, who is acting, and whether they chair.

    `head` is the session's columns every change checks (id, team, status, chair, access
    version, seq, the room's place), as the statement that numbered the change read them.
    `session` is the ORM object, loaded on first use, for the handlers that read the agenda
    or change the session itself; a card or a note never needs it.
    """

    def __init__(self, head, access: BoardAccess, session: SupervisionSession | None = None):
        self.head = head
        self.access = access
        self._session = session

    @property
    def session(self) -> SupervisionSession:
        if self._session is None:
            self._session = db.session.get(SupervisionSession, self.head.id)
        return self._session

    @property
    def actor(self) -> Actor:
        return self.access.actor

    @property
    def is_chair(self) -> bool:
        return self.head.chair_id == self.actor.user_id

    def require(self, permission: Permission) -> None:
        self.actor.require(permission, is_chair=self.is_chair)

    def can(self, permission: Permission) -> bool:
        return self.actor.can(permission, is_chair=self.is_chair)

    def item_in(self, data: dict) -> AgendaItem:
        """The family discussion a change names, or the one the room is on."""
        return self.item(data.get("item_id") or self.head.current_item_id)

    def item(self, item_id) -> AgendaItem:
        item = db.session.execute(statements.AGENDA_ITEM, {"item_id": fields.identifier(item_id, "item_id")}).scalar()
        if item is None or item.session_id != self.head.id:
            raise NotFound("That family discussion")
        return item


def open_board(user_id: int, session_id: int, access: BoardAccess | None = None) -> Board:
    """The board for a person who may be on it; `access` is what their connection already checked."""
    if access is None:
        session, actor = session_for(user_id, session_id)
        access = BoardAccess(user_id, session.id, may_be_on(user_id, session, actor),
                             session.access_version, time.monotonic())
        return Board(session, access, session)
    if (access.user_id, access.session_id) != (user_id, session_id):
        raise ValueError("That access is for another person or board.")
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        raise NotFound("That session")
    access.check(session)
    return Board(session, access, session)


def admit(user_id: int, session_id: int) -> BoardAccess:
    """Check that this person may be on this board, for a connection to keep."""
    return open_board(user_id, session_id).access


def revoke_access(session: SupervisionSession) -> None:
    """Who may be on this board changed: every connection re-checks at its next change."""
    session.access_version = SupervisionSession.access_version + 1
