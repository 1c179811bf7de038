"""The decision: drafted, signed off, amended with a reason, and entries added after sign-off."""
from __future__ import annotations

from sqlalchemy import select

from ...domain import board as rules
from ...domain.errors import Invalid, Refused
from ...domain.permissions import Permission
from ...domain.vocabulary import ActionStatus, SessionStatus
from ...extensions import db
from ...store.models import Action, AfterSignOffEntry, AgendaItem, Amendment, Decision, User
from .. import board_state as views
from ..records import freeze
from .access import Board
from .discussion import now
from .unit_of_work import Outcome, change


def _decision(item: AgendaItem) -> Decision:
    if item.decision is None:
        item.decision = Decision(decision_text="", rationale="", version=0)
        db.session.flush()
    return item.decision


def _unsigned_decision(board: Board, data: dict) -> tuple[AgendaItem, Decision]:
    """The decision the manager is writing: live session, not yet signed, edited from its current version."""
    board.require(Permission.RECORD_DECISION)
    rules.require_live(board.head.status)
    item = board.item_in(data)
    decision = _decision(item)
    rules.require_unsigned(decision.signed_off_at is not None)
    rules.check_version(decision.version, data.get("version", 0), views.decision_value(decision))
    return item, decision


def save_decision(board: Board, data: dict) -> Outcome:
    item, decision = _unsigned_decision(board, data)
    decision.decision_text = rules.clean_text(data.get("decision_text"), field="decision_text", label="Decision",
                                              max_length=rules.MAX_DECISION_LENGTH, required=False)
    decision.rationale = rules.clean_text(data.get("rationale"), field="rationale", label="Rationale",
                                          max_length=rules.MAX_DECISION_LENGTH, required=False)
    decision.outcome = rules.plan_outcome(data.get("outcome"), required=False)
    decision.next_discussion_on = rules.parse_date(data.get("next_discussion_on"), field="next_discussion_on",
                                                   label="Next discussion date")
    decision.version += 1
    decision.updated_by_id = board.actor.user_id
    decision.updated_at = now()
    return Outcome("decision.saved", f"{board.actor.role_label} updated the decision",
                   [change("decision", item.id, views.decision_value(decision))])


def sign_off(board: Board, data: dict) -> Outcome:
    item, decision = _unsigned_decision(board, data)
    rules.ready_to_sign(decision.decision_text, decision.rationale, decision.outcome, decision.next_discussion_on)
    proposed = db.session.scalar(select(Action.id).where(
        Action.agenda_item_id == item.id, Action.status == ActionStatus.PROPOSED))
    if proposed is not None:
        raise Refused("Accept or drop the proposed actions before signing off.")
    decision.signed_off_by = db.session.get(User, board.actor.user_id)
    decision.signed_off_role_label = board.actor.role_label
    decision.signed_off_at = now()
    decision.version += 1
    db.session.flush()
    freeze(item)  # in this unit of work: the record and the sign-off are committed together
    return Outcome("decision.signed_off", f"{board.actor.role_label} signed off the decision",
                   [change("decision", item.id, views.decision_value(decision))])


def amend_decision(board: Board, data: dict) -> Outcome:
    """Correct a signed-off decision: the original wording and the reason stay on the record."""
    board.require(Permission.RECORD_DECISION)
    item = board.item_in(data)
    decision = item.decision
    rules.require_signed(decision is not None and decision.signed_off_at is not None)
    rules.check_version(decision.version, data.get("version"), views.decision_value(decision))
    field = data.get("field")
    if field not in rules.AMENDABLE_FIELDS:
        raise Invalid("Choose what the amendment changes.", {"field": "Choose what the amendment changes"})
    reason = rules.clean_text(data.get("reason"), field="reason", label="Reason for the amendment",
                              max_length=rules.MAX_DECISION_LENGTH)
    if field == "outcome":
        new_value = rules.plan_outcome(data.get("text"), required=True)
    elif field == "next_discussion_on":
        new_value = rules.parse_date(data.get("text"), field="text", label="Next discussion date", required=True)
    else:
        new_value = rules.clean_text(data.get("text"), field="text", label=rules.AMENDABLE_FIELDS[field],
                                     max_length=rules.MAX_DECISION_LENGTH)
    original = getattr(decision, field)
    decision.amendments.append(Amendment(
        field=field, original_text="" if original is None else str(original), amended_text=str(new_value),
        reason=reason, author_id=board.actor.user_id, author_role_label=board.actor.role_label))
    setattr(decision, field, new_value)
    decision.version += 1
    db.session.flush()
    return Outcome("decision.amended", f"{board.actor.role_label} amended the signed-off decision",
                   [change("decision", item.id, views.decision_value(decision))])


def add_after_sign_off(board: Board, data: dict) -> Outcome:
    """Something that came to light after sign-off, kept apart from the signed discussion with who and when."""
    board.require(Permission.ADD_AFTER_SIGN_OFF)
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
    return Outcome("entry.added_after_sign_off", f"{actor.role_label} added an entry after sign-off",
                   [change("addition", entry.id, views.addition_value(entry))])
