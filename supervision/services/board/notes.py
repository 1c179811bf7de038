"""The minute taker's notes of a family discussion."""
from __future__ import annotations

from ...domain import board as rules
from ...domain.permissions import Permission
from .. import board_state as views
from .access import Board
from .discussion import now, open_item
from .unit_of_work import Outcome, change


def save_notes(board: Board, data: dict) -> Outcome:
    board.require(Permission.WRITE_NOTES)
    rules.require_not_closed(board.head.status)
    item = open_item(board, data)
    rules.check_version(item.notes_version, data.get("version"), views.notes_value(item))
    item.notes_text = rules.clean_text(data.get("text"), field="text", label="Notes",
                                       max_length=rules.MAX_NOTES_LENGTH, required=False)
    item.notes_version += 1
    item.notes_updated_by_id = board.actor.user_id
    item.notes_updated_at = now()
    return Outcome("notes.saved", f"{board.actor.role_label} updated the notes",
                   [change("notes", item.id, views.notes_value(item))])
