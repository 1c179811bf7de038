"""Changes that run the room: start the session, move everyone to a family and stage, close it.

The rules are the `Room` aggregate's (domain/room.py); here it is loaded from the session,
and what it became is stored, with the timer started on each family the room reaches first.
"""
from __future__ import annotations

from ...domain.room import FamilyReached, Room
from ...domain.vocabulary import SessionStatus, Stage
from .. import board_state as views
from .access import Board
from .discussion import family_name, now
from .unit_of_work import Applied, change


def _load(board: Board) -> Room:
    session = board.session
    return Room(session.status, [item.id for item in session.agenda], session.current_item_id,
                session.current_stage, {item.id for item in session.agenda if item.started_at is not None})


def _store(board: Board, room: Room) -> Applied:
    """Write what the room became; the facts name the family and stage it is now on."""
    session = board.session
    if session.status != room.status:
        if room.status == SessionStatus.LIVE:
            session.started_at = now()
        else:
            session.closed_at = now()
        session.status = room.status
    session.current_item_id, session.current_stage = room.item_id, room.stage
    changes = [change("room", "room", views.room_value(session))]
    items = {item.id: item for item in session.agenda}
    for event in room.events:
        if isinstance(event, FamilyReached):
            item = items[event.item_id]
            item.started_at = now()
            changes.append(change("item", item.id, views.item_value(item)))
    here = items.get(room.item_id)
    return Applied(changes, {"family": family_name(here) if here else "", "stage": Stage(room.stage).label})


def start_session(board: Board, data: dict) -> Applied:
    room = _load(board)
    room.start()
    return _store(board, room)


def move_room(board: Board, data: dict) -> Applied:
    """Move everyone to a family and stage; `next: true` takes the next stage or family."""
    room = _load(board)
    if data.get("next"):
        room.next()
    else:
        room.move(data.get("item_id") or room.item_id, data.get("stage"))
    return _store(board, room)


def close_session(board: Board, data: dict) -> Applied:
    room = _load(board)
    room.close()
    return _store(board, room)
