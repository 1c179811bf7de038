"""Every change type the board takes, declared once.

For each: its typed fields with their bounds, the fields it is refused without, the
permission it needs, its handler, its event, the sentence the change feed says (naming
people and the family, not roles) and the message a form post shows. `apply_change`
(changes.py) reads this table for socket events and form posts alike; the board page sends
`for_browser()` to its script; docs/protocol.md section 6 lists the same, and
tests/unit/test_change_fields.py fails when the two disagree.
"""
from __future__ import annotations

from functools import cache

from ...domain.changes import (
    CARD_TEXT, DECISION_TEXT, FLAG, ID, NOTES_TEXT, VERSION, WORD, ChangeType, parse_change, says,
)
from ...domain.permissions import Permission
from ...domain.vocabulary import AnalysisHeading
from . import actions, cards, decision, notes, reviews, room

_PART = {"situation": "situation", "perspectives": "specialist perspectives", "analysis": "analysis"}


def _card_added(facts: dict) -> str:
    if facts["stage"] == "perspectives":
        return "{actor} added a perspective on the {family}".format_map(facts)
    if facts["stage"] == "analysis":
        return "{actor} added to the {family}'s analysis: {0}".format(
            AnalysisHeading.label_of(facts["heading"]).lower(), **facts)
    return "{actor} added to the {family}'s situation".format_map(facts)


def _card(template: str):
    return lambda facts: template.format(part=_PART[facts["stage"]], **facts)


_NEW_ACTION = {"item_id": ID, "text": CARD_TEXT, "owner_id": ID, "due_on": WORD}

CHANGES: dict[str, ChangeType] = {kind.name: kind for kind in (
    ChangeType(
        "start_session", room.start_session, {}, (), Permission.RUN_ROOM, "session.started",
        "The session has started.", says("{actor} started the session with the {family}")),
    ChangeType(
        "move", room.move_room, {"next": FLAG, "item_id": ID, "stage": WORD}, (), Permission.RUN_ROOM,
        "room.moved", "The room has moved on.", says("{actor} moved the room to the {family}: {stage}")),
    ChangeType(
        "close_session", room.close_session, {}, (), Permission.RUN_ROOM, "session.closed",
        "The session is closed.", says("{actor} closed the session")),
    ChangeType(
        "add_card", cards.add_card,
        {"item_id": ID, "stage": WORD, "heading": WORD, "adult_id": ID, "stage_of_change": WORD, "text": CARD_TEXT},
        ("stage", "text"), Permission.CONTRIBUTE, "card.added", "Your card has been added.", _card_added),
    ChangeType(
        "edit_card", cards.edit_card,
        {"card_id": ID, "version": VERSION, "text": CARD_TEXT, "adult_id": ID, "stage_of_change": WORD},
        ("card_id", "version", "text"), Permission.CONTRIBUTE, "card.edited", "The card has been changed.",
        _card("{actor} changed a card in the {family}'s {part}")),
    ChangeType(
        "remove_card", cards.remove_card, {"card_id": ID, "version": VERSION}, ("card_id", "version"),
        Permission.CONTRIBUTE, "card.removed", "The card has been removed.",
        _card("{actor} removed a card from the {family}'s {part}")),
    ChangeType(
        "save_notes", notes.save_notes, {"item_id": ID, "version": VERSION, "text": NOTES_TEXT}, ("version",),
        Permission.WRITE_NOTES, "notes.saved", "The notes have been saved.",
        says("{actor} updated the notes on the {family}")),
    ChangeType(
        "review_action", reviews.review_action, {"item_id": ID, "action_id": ID, "outcome": WORD},
        ("action_id", "outcome"), Permission.REVIEW_ACTIONS, "action.reviewed", "The action has been marked.",
        says("{actor} marked one of the {family}'s previous actions {outcome}")),
    ChangeType(
        "save_decision", decision.save_decision,
        {"item_id": ID, "version": VERSION, "decision_text": DECISION_TEXT, "rationale": DECISION_TEXT,
         "outcome": WORD, "next_discussion_on": WORD},
        (), Permission.RECORD_DECISION, "decision.saved", "The decision has been saved.",
        says("{actor} updated the {family}'s decision")),
    ChangeType(
        "sign_off", decision.sign_off, {"item_id": ID, "version": VERSION}, ("version",), Permission.SIGN_OFF,
        "decision.signed_off", "The decision is signed off.", says("{actor} signed off the {family}'s decision")),
    ChangeType(
        "amend_decision", decision.amend_decision,
        {"item_id": ID, "version": VERSION, "field": WORD, "text": DECISION_TEXT, "reason": DECISION_TEXT},
        ("version", "field", "text", "reason"), Permission.RECORD_DECISION, "decision.amended",
        "The amendment has been recorded.", says("{actor} amended the {family}'s signed-off decision: {field}")),
    ChangeType(
        "add_after_sign_off", decision.add_after_sign_off, {"item_id": ID, "text": CARD_TEXT}, ("text",),
        Permission.ADD_AFTER_SIGN_OFF, "entry.added_after_sign_off", "The entry has been added after sign-off.",
        says("{actor} added an entry to the {family}'s record after sign-off")),
    ChangeType(
        "add_action", actions.add_action, _NEW_ACTION, ("text", "owner_id", "due_on"), Permission.RECORD_DECISION,
        "action.agreed", "The action has been added.",
        says("{actor} agreed an action for the {family}, owned by {owner}")),
    ChangeType(
        "propose_action", actions.propose_action, _NEW_ACTION, ("text",), Permission.PROPOSE_ACTION,
        "action.proposed", "Your action has been proposed to the team manager.",
        says("{actor} proposed an action for the {family}")),
    ChangeType(
        "accept_action", actions.accept_action, {"action_id": ID, "owner_id": ID, "due_on": WORD, "text": CARD_TEXT},
        ("action_id",), Permission.RECORD_DECISION, "action.accepted", "The action has been accepted.",
        says("{actor} accepted a proposed action for the {family}, owned by {owner}")),
    ChangeType(
        "drop_action", actions.drop_action, {"action_id": ID}, ("action_id",), Permission.RECORD_DECISION,
        "action.dropped", "The proposed action has been dropped.",
        says("{actor} dropped a proposed action for the {family}")),
)}


def change_type(name, data) -> tuple[ChangeType, dict]:
    """The declared change type and its data, typed and bounded; Invalid names what is wrong."""
    return parse_change(CHANGES, name, data)


@cache
def for_browser() -> dict[str, dict]:
    """What the board page's script needs of every change type, sent in the page's boot data."""
    return {name: kind.for_browser() for name, kind in CHANGES.items()}
