"""The fields each board change type takes, declared once.

The board service parses every change against this table before any rule or query sees
it, whether the change came as a socket event or a form post. docs/protocol.md lists the
same fields; tests/unit/test_change_fields.py keeps the two in step.
"""
from __future__ import annotations

from .board import MAX_CARD_LENGTH, MAX_DECISION_LENGTH, MAX_NOTES_LENGTH
from .errors import Invalid
from .fields import Field, parse_fields

ID = Field("id")
VERSION = Field("version")
WORD = Field("word")
FLAG = Field("flag")
# Raw text may be up to twice the limit: the rules count what is left after line endings are
# made one character and blank edges trimmed, and say so in words.
CARD_TEXT = Field("text", 2 * MAX_CARD_LENGTH)
NOTES_TEXT = Field("text", 2 * MAX_NOTES_LENGTH)
DECISION_TEXT = Field("text", 2 * MAX_DECISION_LENGTH)

_NEW_ACTION = {"item_id": ID, "text": CARD_TEXT, "owner_id": ID, "due_on": WORD}

CHANGE_FIELDS: dict[str, dict[str, Field]] = {
    "start_session": {},
    "move": {"next": FLAG, "item_id": ID, "stage": WORD},
    "close_session": {},
    "add_card": {"item_id": ID, "stage": WORD, "heading": WORD, "adult_id": ID, "stage_of_change": WORD,
                 "text": CARD_TEXT},
    "edit_card": {"card_id": ID, "version": VERSION, "text": CARD_TEXT, "adult_id": ID, "stage_of_change": WORD},
    "remove_card": {"card_id": ID, "version": VERSION},
    "save_notes": {"item_id": ID, "version": VERSION, "text": NOTES_TEXT},
    "review_action": {"item_id": ID, "action_id": ID, "outcome": WORD},
    "save_decision": {"item_id": ID, "version": VERSION, "decision_text": DECISION_TEXT,
                      "rationale": DECISION_TEXT, "outcome": WORD, "next_discussion_on": WORD},
    "sign_off": {"item_id": ID, "version": VERSION},
    "add_after_sign_off": {"item_id": ID, "text": CARD_TEXT},
    "amend_decision": {"item_id": ID, "version": VERSION, "field": WORD, "text": DECISION_TEXT,
                       "reason": DECISION_TEXT},
    "add_action": _NEW_ACTION,
    "propose_action": _NEW_ACTION,
    "accept_action": {"action_id": ID, "owner_id": ID, "due_on": WORD, "text": CARD_TEXT},
    "drop_action": {"action_id": ID},
}


def parse_change(change_type, data) -> tuple[str, dict]:
    """The change type and its data, typed and bounded; Invalid names what is wrong."""
    if not isinstance(change_type, str) or change_type not in CHANGE_FIELDS:
        shown = change_type if isinstance(change_type, str) and len(change_type) <= 40 else "that"
        raise Invalid(f"There is no change called {shown!r}.", {"type": "Unknown change"})
    return change_type, parse_fields(CHANGE_FIELDS[change_type], data)
