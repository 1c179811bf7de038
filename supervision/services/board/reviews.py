"""Reviews of the actions a family's previous discussion agreed (the rules: domain/reviews.py)."""
from __future__ import annotations

from sqlalchemy import select

from ...domain import board as rules
from ...domain.errors import NotFound
from ...domain.reviews import PreviousAction
from ...extensions import db
from ...store.models import Action, ActionReview
from .. import board_state as views
from .access import Board
from .discussion import family_name, identifier, now, require_open_discussion
from .unit_of_work import Applied, change


def review_action(board: Board, data: dict) -> Applied:
    rules.require_live(board.head.status)
    item = board.item_in(data)
    require_open_discussion(item.id)
    action = db.session.get(Action, identifier(data.get("action_id"), "action_id"))
    if action is None or action.family_id != item.family_id or action.agenda_item_id == item.id:
        raise NotFound("That action")
    review = db.session.scalar(select(ActionReview).where(
        ActionReview.agenda_item_id == item.id, ActionReview.action_id == action.id))
    previous = PreviousAction(action.status, review.outcome if review else None, action.version)
    previous.review(data.get("outcome", ""))
    if review is None:
        review = ActionReview(agenda_item_id=item.id, action_id=action.id, outcome=previous.reviewed_as,
                              reviewed_by_id=board.actor.user_id)
        db.session.add(review)
    review.outcome = previous.reviewed_as
    review.reviewed_by_id = board.actor.user_id
    review.reviewed_at = now()
    action.status, action.version = previous.status, previous.version
    return Applied([
        change("review", views.review_key(item.id, action.id), views.review_value(review)),
        change("action", action.id, views.action_value(action)),
    ], {"family": family_name(item), "outcome": previous.events[-1].outcome.label.lower()})
