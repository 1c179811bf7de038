"""The unit of work every change shares: number it, apply it, store it, commit, then publish.

The sequence number is taken by one statement that also serialises changes to one session
(a row lock on PostgreSQL, `_one_writer` on SQLite). The event is published only after the
commit, through the publisher the app injects as `app.extensions["supervision.publish"]`.
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...domain.errors import DomainError, NotFound
from ...domain.vocabulary import SessionStatus
from ... import logs, metrics
from ...extensions import db
from ...store import durability, hot_path as statements
from ...store.models import BoardEvent, SupervisionSession, utcnow
from .. import audit
from .. import board_state as views
from ..scope import Actor
from .access import Board, BoardAccess
from .read import event_message

log = logging.getLogger("supervision.events")
SETUP_KEY = "_setup"  # what a set-up change redraws, read by the publisher and taken out before sending


@dataclass
class Outcome:
    """What the unit of work stores and publishes: the event type, a summary people can hear, what changed."""

    type: str
    summary: str
    changes: list[dict]
    setup: SetUpChange | None = None  # a set-up change's, for drawing it; not stored or sent


@dataclass
class Applied:
    """What a change handler did: the entities it changed, and the facts its summary names."""

    changes: list[dict]
    facts: dict = field(default_factory=dict)


def change(kind: str, key, value: dict | None) -> dict:
    return {"kind": kind, "id": str(key), "value": value}


def _publish(message: dict) -> None:
    publish: Callable[[dict], None] | None = current_app.extensions.get("supervision.publish")
    if publish is not None:
        publish(message)


def _already_applied(session_id: int, user_id: int, client_change_id: str | None) -> BoardEvent | None:
    if not client_change_id:
        return None
    return db.session.scalar(select(BoardEvent).where(
        BoardEvent.session_id == session_id, BoardEvent.actor_id == user_id,
        BoardEvent.client_change_id == client_change_id))


@dataclass
class SetUpChange:
    """What a change to a live session's set-up means for its boards: the agenda items whose families
    are drawn again (added, or given other minutes) and those taken off; `whole` when the board is
    drawn whole (its agenda was or became empty)."""

    redrawn: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    whole: bool = False


def announce_setup_change(session: SupervisionSession, actor: Actor, summary: str, setup: SetUpChange) -> None:
    """The agenda or attendance of a live session changed (set-up pages): every board hears the
    agenda as it is now (items taken off with no value), and draws what `setup` says changed."""
    if session.status != SessionStatus.LIVE:
        return

    def reload(board: Board, _data: dict) -> Outcome:
        return Outcome("board.reload", summary,
                       [change("item", item.id, views.item_value(item)) for item in board.session.agenda]
                       + [change("item", item_id, None) for item_id in setup.removed], setup)

    # The set-up page checked this person for the set-up permission; they need not attend.
    record(BoardAccess(actor.user_id, session.id, actor, -1, time.monotonic(), recheck=False), reload, {}, None)


def _take_seq(session_id: int):
    """Number the change: one statement takes the next seq and reads the session's columns as they now are.

    On PostgreSQL the UPDATE locks the row until commit, which serialises changes to one
    session; on SQLite `_one_writer` does.
    """
    head = statements.NEXT_SEQ.run({"session_id": session_id})
    if head is None:
        raise NotFound("That session")
    return head


def record(access: BoardAccess, handler: Callable[[Board, dict], Outcome], data: dict,
            client_change_id: str | None) -> dict:
    """The unit of work every change shares: number it, apply it, store it, commit, then publish.

    A resent change (same client_change_id) is found only when something fails: the
    unique key on the event refuses the second copy, or the first copy already changed
    what the second would check (a version, say). Either way the first event is answered.
    """
    user_id = access.user_id
    try:
        with _one_writer():
            head = _take_seq(access.session_id)
            access.check(head)
            board = Board(head, access)
            outcome = handler(board, data)
            message = {
                "session_id": head.id, "seq": head.last_seq, "type": outcome.type,
                "summary": outcome.summary,
                "actor": {"user_id": user_id, "name": access.actor.display_name, "role": access.actor.role_label},
                "changes": outcome.changes, "client_change_id": client_change_id,
            }
            if outcome.setup is not None:
                message[SETUP_KEY] = outcome.setup
            db.session.flush()  # the handler's own changes first, in the order the ORM keeps
            statements.INSERT_EVENT.run({
                "session_id": head.id, "seq": head.last_seq, "kind": outcome.type, "actor_id": user_id,
                "client_change_id": client_change_id, "created_at": utcnow(),
                "payload": {k: message[k] for k in ("type", "summary", "actor", "changes")}})
            audit.board_change(access.actor, head, head.last_seq, outcome.type)
            db.session.commit()
    except (DomainError, IntegrityError):
        db.session.rollback()
        previous = _already_applied(access.session_id, user_id, client_change_id)
        if previous is not None:
            return event_message(previous)
        raise
    metrics.change_stored(outcome.type)
    _publish(message)
    # One line for the change, once it is stored and sent (a line each cost 3% of the worker's time):
    # a live-board event's own line, or this one for a form post or a command.
    stored = {"session_id": head.id, "seq": head.last_seq, "type": outcome.type,
              "regions": len(message.get("regions") or ())}
    if not logs.on_event_line(**stored):
        log.info("change stored", extra=stored)
    return message


_SQLITE_WRITER = threading.Lock()


@contextmanager
def _one_writer():
    """On SQLite, let one thread of this process write at a time, in turn.

    SQLite allows one writer per file; without this, threads that find the lock taken
    back off and retry, and under load some wait far longer than others. PostgreSQL
    serialises changes to one session with the row lock taken by the UPDATE instead.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    # The commit's flush is waited for once the lock is free, so the next change commits meanwhile.
    try:
        with _SQLITE_WRITER, durability.deferred():
            yield
    finally:
        durability.wait()
