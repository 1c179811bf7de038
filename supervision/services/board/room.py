"""Changes that run the room: start the session, move everyone to a family and stage, close it."""
from __future__ import annotations

from ...domain import board as rules
from ...domain.errors import Refused
from ...domain.permissions import require_runs_room
from ...domain.vocabulary import SessionStatus, Stage
from .. import board_state as views
from .access import Board
from .discussion import now
from .unit_of_work import Outcome, change


def _room(board: Board) -> dict:
    return change("room", "room", views.room_value(board.session))


def start_session(board: Board, data: dict) -> Outcome:
    require_runs_room(board.actor.role_kind, is_chair=board.is_chair)
    session = board.session
    if session.status != SessionStatus.SCHEDULED:
        raise Refused("The session has already started." if session.status == SessionStatus.LIVE
                      else "The session is closed.")
    if not session.agenda:
        raise Refused("Add at least one family to the agenda before starting.")
    first = session.agenda[0]
    session.status = SessionStatus.LIVE
    session.started_at = now()
    session.current_item_id = first.id
    session.current_stage = Stage.SITUATION.value
    first.started_at = first.started_at or now()
    return Outcome("session.started", f"{board.actor.display_name} started the session",
                   [_room(board), change("item", first.id, views.item_value(first))])


def move_room(board: Board, data: dict) -> Outcome:
    """Move everyone to a family and stage; `next: true` takes the next stage or family."""
    require_runs_room(board.actor.role_kind, is_chair=board.is_chair)
    session = board.session
    rules.require_live(session.status)
    if data.get("next"):
        ids = [item.id for item in session.agenda]
        target = rules.next_position(session.current_stage, ids, session.current_item_id)
        if target is None:
            raise Refused("This is the last stage of the last family.")
        item_id, stage_value = target
    else:
        item_id, stage_value = data.get("item_id", session.current_item_id), data.get("stage")
    item = board.item(item_id)
    stage = rules.stage(stage_value)
    session.current_item_id = item.id
    session.current_stage = stage.value
    changes = [_room(board)]
    if item.started_at is None:
        item.started_at = now()
        changes.append(change("item", item.id, views.item_value(item)))
    return Outcome("room.moved", f"The room moved to {item.family.display_name}: {stage.label}", changes)


def close_session(board: Board, data: dict) -> Outcome:
    require_runs_room(board.actor.role_kind, is_chair=board.is_chair)
    rules.require_live(board.session.status)
    board.session.status = SessionStatus.CLOSED
    board.session.closed_at = now()
    return Outcome("session.closed", f"{board.actor.display_name} closed the session", [_room(board)])
