"""The minute taker's notes of a family discussion."""
from __future__ import annotations

from ...domain import board as rules
from .. import board_state as views
from .access import Board
from .discussion import now, open_item
from .unit_of_work import Applied, change


def save_notes(board: Board, data: dict) -> Applied:
    """Written during the meeting and tidied after it closes, until that family's decision is signed off."""
    opened = open_item(board, data)
    item = opened.item
    rules.check_version(item.notes_version, data.get("version"), views.notes_value(item))
    item.notes_text = rules.clean_text(data.get("text"), field="text", label="Notes",
                                       max_length=rules.MAX_NOTES_LENGTH, required=False)
    item.notes_version += 1
    item.notes_updated_by_id = board.actor.user_id
    item.notes_updated_at = now()
    return Applied([change("notes", item.id, views.notes_value(item))], {"family": opened.family})
