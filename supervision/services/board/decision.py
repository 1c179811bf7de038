"""The decision: drafted, signed off, amended with a reason, and entries added after sign-off."""
from __future__ import annotations

from sqlalchemy import func, select

from ...domain import board as rules
from ...domain.decision import Amended, FamilyDecision, Saved, SignedOff
from ...domain.vocabulary import ActionStatus, SessionStatus
from ...extensions import db
from ...store.models import Action, AfterSignOffEntry, AgendaItem, Amendment, Decision, User
from .. import board_state as views
from ..records import freeze
from .access import Board
from .discussion import family_name, now
from .unit_of_work import Applied, change


def _decision(item: AgendaItem) -> Decision:
    if item.decision is None:
        item.decision = Decision(decision_text="", rationale="", version=0)
        db.session.flush()
    return item.decision


def _load(decision: Decision | None) -> FamilyDecision:
    if decision is None:
        return FamilyDecision()
    return FamilyDecision(decision.decision_text, decision.rationale, decision.outcome, decision.next_discussion_on,
                          decision.version, decision.signed_off_at is not None, len(decision.amendments))


def _store(board: Board, item: AgendaItem, decision: Decision, draft: FamilyDecision) -> Applied:
    """Write what the decision became, and who signed or amended it, from the events it recorded."""
    actor = board.actor
    for name in ("decision_text", "rationale", "outcome", "next_discussion_on", "version"):
        setattr(decision, name, getattr(draft, name))
    for event in draft.events:
        if isinstance(event, Saved):
            decision.updated_by_id, decision.updated_at = actor.user_id, now()
        elif isinstance(event, SignedOff):
            decision.signed_off_by = db.session.get(User, actor.user_id)
            decision.signed_off_role_label = actor.role_label
            decision.signed_off_at = now()
        elif isinstance(event, Amended):
            decision.amendments.append(Amendment(
                field=event.field, original_text=event.original_text, amended_text=event.amended_text,
                reason=event.reason, author_id=actor.user_id, author_role_label=actor.role_label))
    db.session.flush()
    facts = {"family": family_name(item)}
    if draft.events and isinstance(draft.events[-1], Amended):
        facts["field"] = rules.AMENDABLE_FIELDS[draft.events[-1].field].lower()
    return Applied([change("decision", item.id, views.decision_value(decision))], facts)


def _draft(board: Board, data: dict) -> tuple[AgendaItem, Decision, FamilyDecision]:
    """The decision the manager is writing, while the session is live."""
    rules.require_live(board.head.status)
    item = board.item_in(data)
    decision = _decision(item)
    return item, decision, _load(decision)


def save_decision(board: Board, data: dict) -> Applied:
    item, decision, draft = _draft(board, data)
    draft.save(data.get("version", 0), lambda: views.decision_value(decision),
               decision_text=data.get("decision_text"), rationale=data.get("rationale"),
               outcome=data.get("outcome"), next_discussion_on=data.get("next_discussion_on"))
    return _store(board, item, decision, draft)


def sign_off(board: Board, data: dict) -> Applied:
    item, decision, draft = _draft(board, data)
    proposed = db.session.scalar(select(func.count(Action.id)).where(
        Action.agenda_item_id == item.id, Action.status == ActionStatus.PROPOSED))
    draft.sign_off(data.get("version"), lambda: views.decision_value(decision), proposed_actions=proposed)
    applied = _store(board, item, decision, draft)
    freeze(item)  # in this unit of work: the record and the sign-off are committed together
    return applied


def amend_decision(board: Board, data: dict) -> Applied:
    """Correct a signed-off decision: the original wording and the reason stay on the record."""
    item = board.item_in(data)
    decision = item.decision
    draft = _load(decision)
    draft.amend(data.get("version"), lambda: views.decision_value(decision), field_name=data.get("field"),
                text=data.get("text"), reason=data.get("reason"))
    return _store(board, item, decision, draft)


def add_after_sign_off(board: Board, data: dict) -> Applied:
    """Something that came to light after sign-off, kept apart from the signed discussion with who and when."""
    if board.head.status == SessionStatus.SCHEDULED:
        rules.require_live(board.head.status)
    item = board.item_in(data)
    rules.require_signed_for_addition(item.decision is not None and item.decision.signed_off_at is not None)
    actor = board.actor
    entry = AfterSignOffEntry(
        agenda_item_id=item.id, author_id=actor.user_id, author_name=actor.display_name,
        author_role_label=actor.role_label, created_at=now(),
        text=rules.clean_text(data.get("text"), field="text", label="Entry", max_length=rules.MAX_CARD_LENGTH))
    db.session.add(entry)
    db.session.flush()
    return Applied([change("addition", entry.id, views.addition_value(entry))], {"family": family_name(item)})
