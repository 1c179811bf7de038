"""The one way a change reaches the board, used by the Socket.IO handler and the form posts alike.

`apply_change` parses the change against its declared type (registry.py), checks the team
boundary and attendance, then, in the unit of work, the permission the type needs, and runs
its handler; the event carries the type's event name and its summary of the facts.
"""
from __future__ import annotations

from ...domain import fields
from ...domain.changes import ChangeType
from .access import Board, BoardAccess, admit
from .registry import change_type as declared
from .unit_of_work import Outcome, record


def apply_change(user_id: int, session_id: int, change_type: str, data: dict | None,
                 client_change_id: str | None = None, access: BoardAccess | None = None) -> dict:
    """Apply one change and return its event message (its `seq` is the acknowledgement).

    Without `access` (a form post) the person is checked from scratch; a live connection
    passes the access it keeps, which `record` re-checks when the session says so.
    """
    kind, data = declared(change_type, data)
    if client_change_id is not None:
        client_change_id = fields.text(client_change_id, "client_change_id", max_length=64) or None
    if access is None:
        access = admit(user_id, session_id)
    elif (access.user_id, access.session_id) != (user_id, session_id):
        raise ValueError("That access is for another person or board.")
    return record(access, lambda board, data: _run(kind, board, data), data, client_change_id)


def _run(kind: ChangeType, board: Board, data: dict) -> Outcome:
    board.require(kind.permission)
    applied = kind.handler(board, data)
    return Outcome(kind.event, kind.summary({"actor": board.actor.display_name, **applied.facts}), applied.changes)
