"""What several change handlers look up: the family discussion a change names and whether it is still open."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


from ...domain import board as rules
from ...domain import fields
from ...domain.errors import NotFound
from ...extensions import db
from ...store import hot_path as statements
from ...store.models import AgendaItem
from .access import Board


def identifier(value, field: str) -> int:
    return fields.identifier(value, field)


def now() -> datetime:
    return datetime.now(timezone.utc)


def family_name(item: AgendaItem) -> str:
    """The family a discussion is about, as the change feed names it ("Harper family"): from the
    family already read with the item, or one column read for it (not the family as an object)."""
    family = item.__dict__.get("family")
    if family is not None:
        return family.display_name
    return db.session.connection().execute(statements.FAMILY_NAME, {"family_id": item.family_id}).scalar_one()


@dataclass
class OpenItem:
    """A family discussion still open to change, and the family's name for the change feed."""

    item: AgendaItem
    family: str


def open_item(board: Board, data: dict) -> OpenItem:
    """As `board.item_in`, refused once the family's decision is signed off; one statement, as cards
    and notes are the changes made most often."""
    item_id = identifier(data.get("item_id") or board.head.current_item_id, "item_id")
    row = db.session.execute(statements.AGENDA_ITEM_AND_SIGN_OFF, {"item_id": item_id}).one_or_none()
    if row is None or row[0].session_id != board.head.id:
        raise NotFound("That family discussion")
    rules.require_discussion_open(row[1] is not None)
    return OpenItem(row[0], row[2])


def item_columns(session_id: int, item_id) -> tuple:
    """A family discussion of this session as plain columns (id, session_id, family_id, signed_off_at,
    family_name), for what reads it without changing it: one statement, past the ORM."""
    row = statements.ITEM_COLUMNS.run({"item_id": identifier(item_id, "item_id")})
    if row is None or row.session_id != session_id:
        raise NotFound("That family discussion")
    return row


def require_open_discussion(item_id: int) -> None:
    """Cards, notes and reviews of a family stop changing when its decision is signed off."""
    signed_at = db.session.execute(statements.SIGNED_OFF_AT, {"item_id": item_id}).scalar()
    rules.require_discussion_open(signed_at is not None)


def require_open_decision(item: AgendaItem) -> None:
    rules.require_unsigned(item.decision is not None and item.decision.signed_off_at is not None)
