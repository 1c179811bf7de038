"""The one way a change reaches the board, used by the Socket.IO handler and the form posts alike.

`apply_change` parses the change against its declared fields, checks the team boundary and
attendance, and hands the handler to the unit of work.
"""
from __future__ import annotations

from typing import Callable

from ...domain import fields
from ...domain.changes import CHANGE_FIELDS, parse_change
from . import actions, cards, decision, notes, reviews, room
from .access import Board, BoardAccess, admit
from .unit_of_work import Outcome, record


def apply_change(user_id: int, session_id: int, change_type: str, data: dict | None,
                 client_change_id: str | None = None, access: BoardAccess | None = None) -> dict:
    """Apply one change and return its event message (its `seq` is the acknowledgement).

    Without `access` (a form post) the person is checked from scratch; a live connection
    passes the access it keeps, which `record` re-checks when the session says so.
    """
    change_type, data = parse_change(change_type, data)
    handler = HANDLERS[change_type]
    if client_change_id is not None:
        client_change_id = fields.text(client_change_id, "client_change_id", max_length=64) or None
    if access is None:
        access = admit(user_id, session_id)
    elif (access.user_id, access.session_id) != (user_id, session_id):
        raise ValueError("That access is for another person or board.")
    return record(access, handler, data, client_change_id)


HANDLERS: dict[str, Callable[[Board, dict], Outcome]] = {  # the same keys as domain.changes.CHANGE_FIELDS
    "start_session": room.start_session,
    "move": room.move_room,
    "close_session": room.close_session,
    "add_card": cards.add_card,
    "edit_card": cards.edit_card,
    "remove_card": cards.remove_card,
    "save_notes": notes.save_notes,
    "review_action": reviews.review_action,
    "save_decision": decision.save_decision,
    "sign_off": decision.sign_off,
    "amend_decision": decision.amend_decision,
    "add_after_sign_off": decision.add_after_sign_off,
    "add_action": actions.add_action,
    "propose_action": actions.propose_action,
    "accept_action": actions.accept_action,
    "drop_action": actions.drop_action,
}

if HANDLERS.keys() != CHANGE_FIELDS.keys():  # pragma: no cover - a programming error, caught at import
    raise RuntimeError(f"Change types without fields or handler: {HANDLERS.keys() ^ CHANGE_FIELDS.keys()}")
