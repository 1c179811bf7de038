"""Changes to the cards people add in the situation, perspectives and analysis stages."""
from __future__ import annotations

from ...domain import board as rules
from ...domain.errors import Invalid, NotFound
from ...domain.permissions import Permission
from ...extensions import db
from ...store import hot_path as statements
from ...store.models import Adult, AgendaItem, Card
from .. import board_state as views
from .access import Board
from .discussion import family_name, identifier, now, open_item, require_open_discussion
from .unit_of_work import Applied, change


def _adult(item: AgendaItem, adult_id) -> Adult | None:
    if adult_id in (None, ""):
        return None
    adult = db.session.get(Adult, identifier(adult_id, "adult_id"))
    if adult is None or adult.family_id != item.family_id:
        raise Invalid("Choose an adult from this family.", {"adult_id": "Choose an adult from this family"})
    return adult


def _card_text(data: dict) -> str:
    return rules.clean_text(data.get("text"), field="text", label="Text", max_length=rules.MAX_CARD_LENGTH)


def _facts(card: Card, family: str) -> dict:
    return {"family": family, "stage": card.stage, "heading": card.heading}


def add_card(board: Board, data: dict) -> Applied:
    rules.require_live(board.session.status)
    opened = open_item(board, data)
    item = opened.item
    adult = _adult(item, data.get("adult_id"))
    stage, heading, stage_of_change = rules.card_placement(
        data.get("stage", ""), data.get("heading"), data.get("stage_of_change"), adult.id if adult else None)
    actor = board.actor
    values = dict(agenda_item_id=item.id, stage=stage, heading=heading, author_id=actor.user_id,
                  author_role_label=actor.role_label, author_specialism_label=actor.specialism_label,
                  adult_id=adult.id if adult else None, stage_of_change=stage_of_change, text=_card_text(data))
    stored = db.session.connection().execute(statements.INSERT_CARD, values).one()
    card = Card(**values, id=stored.id, version=stored.version)  # the stored row, to describe it
    return Applied([change("card", card.id, views.card_value(card, author_name=actor.display_name))],
                   _facts(card, opened.family))


def _own_card(board: Board, data: dict) -> Card:
    card = db.session.get(Card, identifier(data.get("card_id"), "card_id"))
    if card is None or card.removed_at is not None or card.agenda_item.session_id != board.session.id:
        raise NotFound("That card")
    require_open_discussion(card.agenda_item_id)
    rules.require_may_change_card(actor_user_id=board.actor.user_id, author_id=card.author_id,
                                  can_edit_any=board.can(Permission.EDIT_ANY_CARD))
    rules.check_version(card.version, data.get("version"), views.card_value(card))
    return card


def edit_card(board: Board, data: dict) -> Applied:
    rules.require_live(board.session.status)
    card = _own_card(board, data)
    text = _card_text(data)
    if "stage_of_change" in data or "adult_id" in data:
        adult = _adult(card.agenda_item, data.get("adult_id", card.adult_id))
        _, _, card.stage_of_change = rules.card_placement(
            card.stage, card.heading, data.get("stage_of_change", card.stage_of_change), adult.id if adult else None)
        card.adult_id = adult.id if adult else None
    card.text = text
    card.version += 1
    card.updated_at = now()
    return Applied([change("card", card.id, views.card_value(card))], _facts(card, family_name(card.agenda_item)))


def remove_card(board: Board, data: dict) -> Applied:
    rules.require_live(board.session.status)
    card = _own_card(board, data)
    card.removed_at = now()
    card.version += 1
    return Applied([change("card", card.id, None)], _facts(card, family_name(card.agenda_item)))
