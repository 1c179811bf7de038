"""Reviews of the actions a family's previous discussion agreed."""
from __future__ import annotations

from sqlalchemy import select

from ...domain import board as rules
from ...domain.errors import NotFound, Refused
from ...domain.permissions import Permission
from ...domain.vocabulary import ActionStatus
from ...extensions import db
from ...store.models import Action, ActionReview
from .. import board_state as views
from .access import Board
from .discussion import identifier, now, require_open_discussion
from .unit_of_work import Outcome, change


def review_action(board: Board, data: dict) -> Outcome:
    board.require(Permission.REVIEW_ACTIONS)
    rules.require_live(board.head.status)
    item = board.item_in(data)
    require_open_discussion(item.id)
    action = db.session.get(Action, identifier(data.get("action_id"), "action_id"))
    if action is None or action.family_id != item.family_id or action.agenda_item_id == item.id:
        raise NotFound("That action")
    outcome = rules.review_outcome(data.get("outcome", ""))
    review = db.session.scalar(select(ActionReview).where(
        ActionReview.agenda_item_id == item.id, ActionReview.action_id == action.id))
    if review is None:
        if action.status != ActionStatus.OPEN:
            raise Refused("That action was already closed in an earlier discussion.")
        review = ActionReview(agenda_item_id=item.id, action_id=action.id, outcome=outcome.value,
                              reviewed_by_id=board.actor.user_id)
        db.session.add(review)
    review.outcome = outcome.value
    review.reviewed_by_id = board.actor.user_id
    review.reviewed_at = now()
    action.status = rules.action_status_after_review(outcome).value
    action.version += 1
    return Outcome("action.reviewed", f"{board.actor.role_label} marked an action {outcome.label.lower()}", [
        change("review", views.review_key(item.id, action.id), views.review_value(review)),
        change("action", action.id, views.action_value(action)),
    ])
