"""What a board change type is, and the typed fields changes are made of.

Each change type the board takes is one `ChangeType`: its fields with their bounds, the
permission it needs, its handler, its event, the sentence the change feed says and the
message a form post shows, and whether it edits a versioned entity. The table of them is
`services/board/registry.py`; docs/protocol.md lists the same (tests/unit/test_change_fields.py
keeps the two in step).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .board import MAX_CARD_LENGTH, MAX_DECISION_LENGTH, MAX_NOTES_LENGTH
from .errors import Invalid
from .fields import Field, parse_fields
from .permissions import Permission

ID = Field("id")
VERSION = Field("version")
WORD = Field("word")
FLAG = Field("flag")
# Raw text may be up to twice the limit: the rules count what is left after line endings are
# made one character and blank edges trimmed, and say so in words.
CARD_TEXT = Field("text", 2 * MAX_CARD_LENGTH)
NOTES_TEXT = Field("text", 2 * MAX_NOTES_LENGTH)
DECISION_TEXT = Field("text", 2 * MAX_DECISION_LENGTH)


@dataclass(frozen=True)
class ChangeType:
    """One kind of change to the board, declared once.

    `handler(board, data)` applies it and returns what changed and the facts its summary
    names; `summary(facts)` is the sentence the change feed shows and screen readers hear
    (`facts` always holds `actor`, the name of who made the change). `required` are the
    fields a change of this type is refused without; `versioned` changes carry the
    `version` of what they edit and are refused as a conflict when it is old.
    """

    name: str
    handler: Callable[..., Any]
    fields: dict[str, Field]
    required: tuple[str, ...]
    permission: Permission
    event: str
    done: str
    summary: Callable[[dict], str]

    def __post_init__(self):
        unknown = set(self.required) - set(self.fields)
        if unknown:  # pragma: no cover - a programming error, caught at import
            raise ValueError(f"{self.name} requires fields it does not declare: {unknown}")

    @property
    def versioned(self) -> bool:
        return "version" in self.fields

    @property
    def runs_room(self) -> bool:
        """Changes that move everyone on: a form post returns to where the room now is."""
        return self.permission is Permission.RUN_ROOM

    def parse(self, data) -> dict:
        """The declared fields, typed and bounded; a required field left out is refused here, while
        one sent empty goes on to the rules, which say in words what to enter."""
        parsed = parse_fields(self.fields, data)
        missing = [name for name in self.required if name not in parsed]
        if missing:
            raise Invalid(f"The change needs its {', '.join(missing)}.", {name: "Required" for name in missing})
        return parsed

    def for_browser(self) -> dict:
        """What the board page's script needs to know of this change type."""
        return {"event": self.event, "done": self.done, "permission": self.permission.value,
                "fields": list(self.fields), "required": list(self.required), "versioned": self.versioned}


def says(template: str) -> Callable[[dict], str]:
    """A summary that is one sentence with the facts put in: says("{actor} closed the session")."""
    return lambda facts: template.format_map(facts)


def parse_change(change_types: dict[str, ChangeType], change_type, data) -> tuple[ChangeType, dict]:
    """The change type and its data, typed and bounded; Invalid names what is wrong."""
    if not isinstance(change_type, str) or change_type not in change_types:
        shown = change_type if isinstance(change_type, str) and len(change_type) <= 40 else "that"
        raise Invalid(f"There is no change called {shown!r}.", {"type": "Unknown change"})
    kind = change_types[change_type]
    return kind, kind.parse(data)
