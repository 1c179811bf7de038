"""Changes to the cards people add in the situation, perspectives and analysis stages."""
from __future__ import annotations

from types import SimpleNamespace

from ...domain import board as rules
from ...domain.errors import Invalid, NotFound
from ...domain.permissions import Permission
from ...extensions import db
from ...store import hot_path as statements
from ...store.models import Card
from .. import board_state as views
from .access import Board
from .discussion import family_name, identifier, item_columns, now, require_open_discussion
from .unit_of_work import Applied, change


def _adult_id(family_id: int, adult_id) -> int | None:
    """The adult a card is about, who must be one of the family's (None: no one in particular)."""
    if adult_id in (None, ""):
        return None
    adult_id = identifier(adult_id, "adult_id")
    adult = statements.ADULT_FAMILY.run({"adult_id": adult_id})
    if adult is None or adult.family_id != family_id:
        raise Invalid("Choose an adult from this family.", {"adult_id": "Choose an adult from this family"})
    return adult_id


def _item_for_card(board: Board, data: dict):
    """The family discussion a new card goes in, as plain columns (the family's name among them, for
    the change feed): it must be this board's and still open."""
    item = item_columns(board.head.id, data.get("item_id") or board.head.current_item_id)
    rules.require_discussion_open(item.signed_off_at is not None)
    return item


def _card_text(data: dict) -> str:
    return rules.clean_text(data.get("text"), field="text", label="Text", max_length=rules.MAX_CARD_LENGTH)


def _facts(card, family: str) -> dict:
    return {"family": family, "stage": card.stage, "heading": card.heading}


def add_card(board: Board, data: dict) -> Applied:
    rules.require_live(board.head.status)
    item = _item_for_card(board, data)
    adult_id = _adult_id(item.family_id, data.get("adult_id"))
    stage, heading, stage_of_change = rules.card_placement(
        data.get("stage", ""), data.get("heading"), data.get("stage_of_change"), adult_id)
    actor = board.actor
    at = now()
    values = dict(agenda_item_id=item.id, stage=stage, heading=heading, author_id=actor.user_id,
                  author_role_label=actor.role_label, author_specialism_label=actor.specialism_label,
                  adult_id=adult_id, stage_of_change=stage_of_change, text=_card_text(data), version=1,
                  created_at=at, updated_at=at)
    stored = statements.INSERT_CARD.run(values)
    # The stored row's columns, to describe it: building an ORM Card only for that cost 5% of a card.
    card = SimpleNamespace(**values, id=stored.id)
    return Applied([change("card", card.id, views.card_value(card, author_name=actor.display_name))],
                   _facts(card, item.family_name))


def _own_card(board: Board, data: dict) -> Card:
    card = db.session.get(Card, identifier(data.get("card_id"), "card_id"))
    if card is None or card.removed_at is not None or card.agenda_item.session_id != board.head.id:
        raise NotFound("That card")
    require_open_discussion(card.agenda_item_id)
    rules.require_may_change_card(actor_user_id=board.actor.user_id, author_id=card.author_id,
                                  can_edit_any=board.can(Permission.EDIT_ANY_CARD))
    rules.check_version(card.version, data.get("version"), views.card_value(card))
    return card


def edit_card(board: Board, data: dict) -> Applied:
    rules.require_live(board.head.status)
    card = _own_card(board, data)
    text = _card_text(data)
    if "stage_of_change" in data or "adult_id" in data:
        adult_id = _adult_id(card.agenda_item.family_id, data.get("adult_id", card.adult_id))
        _, _, card.stage_of_change = rules.card_placement(
            card.stage, card.heading, data.get("stage_of_change", card.stage_of_change), adult_id)
        card.adult_id = adult_id
    card.text = text
    card.version += 1
    card.updated_at = now()
    return Applied([change("card", card.id, views.card_value(card))], _facts(card, family_name(card.agenda_item)))


def remove_card(board: Board, data: dict) -> Applied:
    rules.require_live(board.head.status)
    card = _own_card(board, data)
    card.removed_at = now()
    card.version += 1
    return Applied([change("card", card.id, None)], _facts(card, family_name(card.agenda_item)))
