"""Who is typing where on a board: a passing signal for the others on it, never stored or audited.

A browser sends one every few seconds while its person types in a board form. It says which
family and stage, and which kind of change the form makes; the server checks that the family
is on this board and names the person and the family, so no client can put words in anyone's
mouth or point at another session's family.
"""
from __future__ import annotations

from ...domain import board as rules
from ...domain.changes import ID, WORD
from ...domain.errors import Invalid
from ...domain.fields import parse_fields
from .access import BoardAccess
from .discussion import item_columns
from .registry import CHANGES

FIELDS = {"item_id": ID, "stage": WORD, "change": WORD}
# Where on the family's discussion, in the words the change feed uses.
PART = {"situation": "situation", "perspectives": "specialist perspectives", "analysis": "analysis",
        "decision": "decision"}


def typing_signal(access: BoardAccess, data: dict) -> dict:
    """The signal to send to the others on the board, checked: person, family, stage and form."""
    data = parse_fields(FIELDS, data)
    if "item_id" not in data:
        raise Invalid("Say which family discussion.", {"item_id": "Required"})
    item = item_columns(access.session_id, data["item_id"])
    stage = rules.stage(data.get("stage")).value
    change = data.get("change")
    if change is not None and change not in CHANGES:
        raise Invalid("There is no change of that kind.", {"change": "Unknown change"})
    name = access.actor.display_name
    where = "notes" if change == "save_notes" else PART[stage]
    return {"session_id": access.session_id, "user_id": access.user_id, "name": name, "item_id": item.id,
            "family": item.family_name, "stage": stage, "change": change,
            "summary": f"{name} is typing in the {item.family_name}'s {where}"}
