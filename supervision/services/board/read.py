"""The read side of the board: the snapshot a page or connection opens with, and the events since a seq."""
from __future__ import annotations

from sqlalchemy import select

from ...domain.permissions import Permission
from ...extensions import db
from ...store.models import BoardEvent
from .. import board_state as views
from .access import BoardAccess, open_board


def snapshot_for(user_id: int, session_id: int, access: BoardAccess | None = None) -> dict:
    board = open_board(user_id, session_id, access)
    db.session.refresh(board.session)  # last_seq is read before the state: see board_state.snapshot
    result = views.snapshot(board.session)
    result["context"] = views.context(board.session)
    result["you"] = {"user_id": board.actor.user_id, "name": board.actor.display_name,
                     "role": board.actor.role_label, "is_chair": board.is_chair,
                     "runs_room": board.can(Permission.RUN_ROOM),
                     "permissions": sorted(p.value for p in Permission if board.can(p))}
    return result


def events_since(user_id: int, session_id: int, since: int, limit: int = 1000,
                 access: BoardAccess | None = None) -> list[dict] | None:
    """The events after `since`, in order; None if there are too many and a snapshot is better."""
    open_board(user_id, session_id, access)
    rows = list(db.session.scalars(
        select(BoardEvent).where(BoardEvent.session_id == session_id, BoardEvent.seq > since)
        .order_by(BoardEvent.seq).limit(limit + 1)
    ))
    if len(rows) > limit:
        return None
    return [event_message(row) for row in rows]


def event_message(event: BoardEvent) -> dict:
    return {"session_id": event.session_id, "seq": event.seq, **event.payload,
            "client_change_id": event.client_change_id}


def last_seqs(session_ids) -> dict[int, int]:
    """The latest sequence number of each of these boards (the board heartbeat: one query for all)."""
    from ...store.models import SupervisionSession

    ids = sorted({int(each) for each in session_ids})
    if not ids:
        return {}
    rows = db.session.execute(select(SupervisionSession.id, SupervisionSession.last_seq)
                              .where(SupervisionSession.id.in_(ids)))
    return {session_id: last_seq for session_id, last_seq in rows}
