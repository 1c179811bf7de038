"""Actions: agreed by the chair, proposed by anyone attending, then accepted or dropped."""
from __future__ import annotations

from sqlalchemy import select

from ...domain import board as rules
from ...domain.errors import Invalid, NotFound, Refused
from ...domain.vocabulary import ActionStatus
from ...extensions import db
from ...store.models import Action, AgendaItem, Membership
from .. import board_state as views
from .access import Board
from .discussion import family_name, identifier, require_open_decision
from .unit_of_work import Applied, change


def _owner_id(board: Board, value, *, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise Invalid("Choose who owns the action.", {"owner_id": "Choose who owns the action"})
        return None
    owner_id = identifier(value, "owner_id")
    member = db.session.scalar(select(Membership.id).where(
        Membership.team_id == board.head.team_id, Membership.user_id == owner_id))
    if member is None:
        raise Invalid("The owner must be a member of the team.", {"owner_id": "Choose someone in the team"})
    return owner_id


def _described(action: Action, item: AgendaItem) -> Applied:
    value = views.action_value(action)
    return Applied([change("action", action.id, value)],
                   {"family": family_name(item), "owner": value["owner_name"] or "nobody yet"})


def _new_action(board: Board, data: dict, status: ActionStatus) -> Applied:
    item = board.item_in(data)
    require_open_decision(item)
    deciding = status is ActionStatus.OPEN
    action = Action(
        family_id=item.family_id, agenda_item_id=item.id,
        text=rules.clean_text(data.get("text"), field="text", label="Action", max_length=rules.MAX_CARD_LENGTH),
        owner_id=_owner_id(board, data.get("owner_id"), required=deciding),
        due_on=rules.parse_date(data.get("due_on"), field="due_on", label="Due date", required=deciding),
        status=status.value, proposed_by_id=board.actor.user_id)
    db.session.add(action)
    db.session.flush()
    return _described(action, item)


def add_action(board: Board, data: dict) -> Applied:
    rules.require_live(board.head.status)
    return _new_action(board, data, ActionStatus.OPEN)


def propose_action(board: Board, data: dict) -> Applied:
    rules.require_live(board.head.status)
    return _new_action(board, data, ActionStatus.PROPOSED)


def _proposed(board: Board, data: dict) -> Action:
    action = db.session.get(Action, identifier(data.get("action_id"), "action_id"))
    if action is None or action.agenda_item.session_id != board.head.id:
        raise NotFound("That action")
    if action.status != ActionStatus.PROPOSED:
        raise Refused("That action is no longer a proposal.")
    require_open_decision(action.agenda_item)
    return action


def accept_action(board: Board, data: dict) -> Applied:
    rules.require_live(board.head.status)
    action = _proposed(board, data)
    if "text" in data:
        action.text = rules.clean_text(data.get("text"), field="text", label="Action", max_length=rules.MAX_CARD_LENGTH)
    action.owner_id = _owner_id(board, data.get("owner_id", action.owner_id), required=True)
    action.due_on = rules.parse_date(data.get("due_on", action.due_on), field="due_on", label="Due date", required=True)
    action.status = ActionStatus.OPEN.value
    action.version += 1
    db.session.flush()
    db.session.refresh(action)
    return _described(action, action.agenda_item)


def drop_action(board: Board, data: dict) -> Applied:
    rules.require_live(board.head.status)
    action = _proposed(board, data)
    action.status = ActionStatus.DROPPED.value
    action.version += 1
    return _described(action, action.agenda_item)
