"""Every change to the live board: one function per intent, one unit of work each.

`apply_change` is the single way in, used by the Socket.IO handler and the form posts
alike. It checks the team boundary and attendance, takes the session's next sequence
number (which also serialises changes to one session), applies the domain rules, stores
the change as a BoardEvent, commits, and only then publishes the event.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import board as rules
from ..domain import fields
from ..domain.changes import CHANGE_FIELDS, parse_change
from ..domain.errors import DomainError, Invalid, NotFound, Refused
from ..domain.permissions import Permission, may_run_room, require_runs_room
from ..domain.vocabulary import ActionStatus, AnalysisHeading, SessionStatus, Stage
from ..extensions import db
from ..store import hot_path as statements
from ..store.models import (
    Action, ActionReview, Adult, AfterSignOffEntry, AgendaItem, Amendment, BoardEvent, Card, Decision,
    Membership, SupervisionSession, User,
)
from . import audit
from . import board_state as views
from .access import may_be_on
from .records import freeze
from .scope import Actor, actor_for, session_for


# How long a connection may use a checked BoardAccess before it is checked again even
# though nothing on the session moved: bounds how long a change made outside the set-up
# pages (an account closed, a role changed from the command line) takes to apply.
RECHECK_SECONDS = 60.0


@dataclass
class BoardAccess:
    """A person's checked right to be on one board, which a live connection keeps between changes.

    Checking costs the person, their membership and the attendance list. `_record` reads
    the session with every change anyway, and re-checks only when its `access_version`
    has moved (the set-up pages changed the chair, minute taker or attendance) or the check is
    older than RECHECK_SECONDS.
    """

    user_id: int
    session_id: int
    actor: Actor
    version: int
    checked_at: float
    recheck: bool = True

    def check(self, session: SupervisionSession) -> Actor:
        if self.recheck and (session.access_version != self.version
                             or time.monotonic() - self.checked_at > RECHECK_SECONDS):
            self.version = -1  # stays stale if the check below refuses
            self.actor = may_be_on(self.user_id, session, actor_for(self.user_id, session.team_id))
            self.version, self.checked_at = session.access_version, time.monotonic()
        return self.actor


@dataclass
class Board:
    """What a change handler works with: the locked session, who is acting, and whether they chair."""

    session: SupervisionSession
    access: BoardAccess

    @property
    def actor(self) -> Actor:
        return self.access.actor

    @property
    def is_chair(self) -> bool:
        return self.session.chair_id == self.actor.user_id

    def require(self, permission: Permission) -> None:
        self.actor.require(permission, is_chair=self.is_chair)

    def can(self, permission: Permission) -> bool:
        return self.actor.can(permission, is_chair=self.is_chair)

    def item_in(self, data: dict) -> AgendaItem:
        """The family discussion a change names, or the one the room is on."""
        return self.item(data.get("item_id") or self.session.current_item_id)

    def item(self, item_id) -> AgendaItem:
        item = db.session.execute(statements.AGENDA_ITEM, {"item_id": _int(item_id, "item_id")}).scalar()
        if item is None or item.session_id != self.session.id:
            raise NotFound("That family discussion")
        return item


@dataclass
class Outcome:
    """What a handler did: the event type, a summary people can hear, and the entities it changed."""

    type: str
    summary: str
    changes: list[dict]


def change(kind: str, key, value: dict | None) -> dict:
    return {"kind": kind, "id": str(key), "value": value}


def _int(value, field: str) -> int:
    return fields.identifier(value, field)


def _now() -> datetime:
    return datetime.now(timezone.utc)


# ---------------------------------------------------------------- who may be on the board

def open_board(user_id: int, session_id: int, access: BoardAccess | None = None) -> Board:
    """The board for a person who may be on it; `access` is what their connection already checked."""
    if access is None:
        session, actor = session_for(user_id, session_id)
        access = BoardAccess(user_id, session.id, may_be_on(user_id, session, actor),
                             session.access_version, time.monotonic())
        return Board(session, access)
    if (access.user_id, access.session_id) != (user_id, session_id):
        raise ValueError("That access is for another person or board.")
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        raise NotFound("That session")
    access.check(session)
    return Board(session, access)


def admit(user_id: int, session_id: int) -> BoardAccess:
    """Check that this person may be on this board, for a connection to keep."""
    return open_board(user_id, session_id).access


def revoke_access(session: SupervisionSession) -> None:
    """Who may be on this board changed: every connection re-checks at its next change."""
    session.access_version = SupervisionSession.access_version + 1


def snapshot_for(user_id: int, session_id: int, access: BoardAccess | None = None) -> dict:
    board = open_board(user_id, session_id, access)
    db.session.refresh(board.session)  # last_seq is read before the state: see board_state.snapshot
    result = views.snapshot(board.session)
    result["context"] = views.context(board.session)
    result["you"] = {"user_id": board.actor.user_id, "name": board.actor.display_name,
                     "role": board.actor.role_label, "is_chair": board.is_chair,
                     "runs_room": may_run_room(board.actor.role_kind, is_chair=board.is_chair),
                     "permissions": sorted(p.value for p in Permission if board.can(p))}
    return result


def events_since(user_id: int, session_id: int, since: int, limit: int = 1000,
                 access: BoardAccess | None = None) -> list[dict] | None:
    """The events after `since`, in order; None if there are too many and a snapshot is better."""
    open_board(user_id, session_id, access)
    rows = list(db.session.scalars(
        select(BoardEvent).where(BoardEvent.session_id == session_id, BoardEvent.seq > since)
        .order_by(BoardEvent.seq).limit(limit + 1)
    ))
    if len(rows) > limit:
        return None
    return [event_message(row) for row in rows]


def event_message(event: BoardEvent) -> dict:
    return {"session_id": event.session_id, "seq": event.seq, **event.payload,
            "client_change_id": event.client_change_id}


# ---------------------------------------------------------------- the unit of work

def _publish(message: dict) -> None:
    publish: Callable[[dict], None] | None = current_app.extensions.get("supervision.publish")
    if publish is not None:
        publish(message)


def _already_applied(session_id: int, user_id: int, client_change_id: str | None) -> BoardEvent | None:
    if not client_change_id:
        return None
    return db.session.scalar(select(BoardEvent).where(
        BoardEvent.session_id == session_id, BoardEvent.actor_id == user_id,
        BoardEvent.client_change_id == client_change_id))


def apply_change(user_id: int, session_id: int, change_type: str, data: dict | None,
                 client_change_id: str | None = None, access: BoardAccess | None = None) -> dict:
    """Apply one change and return its event message (its `seq` is the acknowledgement).

    Without `access` (a form post) the person is checked from scratch; a live connection
    passes the access it keeps, which `_record` re-checks when the session says so.
    """
    change_type, data = parse_change(change_type, data)
    handler = HANDLERS[change_type]
    if client_change_id is not None:
        client_change_id = fields.text(client_change_id, "client_change_id", max_length=64) or None
    if access is None:
        access = admit(user_id, session_id)
    elif (access.user_id, access.session_id) != (user_id, session_id):
        raise ValueError("That access is for another person or board.")
    return _record(access, handler, data, client_change_id)


def announce_setup_change(session: SupervisionSession, actor: Actor, summary: str) -> None:
    """The agenda or attendance of a live session changed (set-up pages): every board reloads its snapshot."""
    if session.status != SessionStatus.LIVE:
        return

    def reload(board: Board, _data: dict) -> Outcome:
        return Outcome("board.reload", summary,
                       [change("item", item.id, views.item_value(item)) for item in board.session.agenda])

    # The set-up page checked this person for the set-up permission; they need not attend.
    _record(BoardAccess(actor.user_id, session.id, actor, -1, time.monotonic(), recheck=False), reload, {}, None)


def _take_seq(session_id: int) -> SupervisionSession:
    """Number the change: one statement takes the next seq and reads the session as it now is.

    On PostgreSQL the UPDATE locks the row until commit, which serialises changes to one
    session; on SQLite `_one_writer` does.
    """
    return db.session.execute(statements.NEXT_SEQ, {"session_id": session_id},
                              execution_options=statements.NEXT_SEQ_OPTIONS).scalar_one()


def _record(access: BoardAccess, handler: Callable[[Board, dict], Outcome], data: dict,
            client_change_id: str | None) -> dict:
    """The unit of work every change shares: number it, apply it, store it, commit, then publish.

    A resent change (same client_change_id) is found only when something fails: the
    unique key on the event refuses the second copy, or the first copy already changed
    what the second would check (a version, say). Either way the first event is answered.
    """
    user_id = access.user_id
    try:
        with _one_writer():
            session = _take_seq(access.session_id)
            access.check(session)
            board = Board(session, access)
            outcome = handler(board, data)
            message = {
                "session_id": session.id, "seq": session.last_seq, "type": outcome.type,
                "summary": outcome.summary,
                "actor": {"user_id": user_id, "name": access.actor.display_name, "role": access.actor.role_label},
                "changes": outcome.changes, "client_change_id": client_change_id,
            }
            db.session.flush()  # the handler's own changes first, in the order the ORM keeps
            db.session.connection().execute(statements.INSERT_EVENT, {
                "session_id": session.id, "seq": session.last_seq, "kind": outcome.type, "actor_id": user_id,
                "client_change_id": client_change_id,
                "payload": {k: message[k] for k in ("type", "summary", "actor", "changes")}})
            audit.board_change(access.actor, session, session.last_seq, outcome.type)
            db.session.commit()
    except (DomainError, IntegrityError):
        db.session.rollback()
        previous = _already_applied(access.session_id, user_id, client_change_id)
        if previous is not None:
            return event_message(previous)
        raise
    _publish(message)
    return message


_SQLITE_WRITER = threading.Lock()


@contextmanager
def _one_writer():
    """On SQLite, let one thread of this process write at a time, in turn.

    SQLite allows one writer per file; without this, threads that find the lock taken
    back off and retry, and under load some wait far longer than others. PostgreSQL
    serialises changes to one session with the row lock taken by the UPDATE instead.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    with _SQLITE_WRITER:
        yield


# ---------------------------------------------------------------- the room

def _room(board: Board) -> dict:
    return change("room", "room", views.room_value(board.session))


def start_session(board: Board, data: dict) -> Outcome:
    require_runs_room(board.actor.role_kind, is_chair=board.is_chair)
    session = board.session
    if session.status != SessionStatus.SCHEDULED:
        raise Refused("The session has already started." if session.status == SessionStatus.LIVE
                      else "The session is closed.")
    if not session.agenda:
        raise Refused("Add at least one family to the agenda before starting.")
    first = session.agenda[0]
    session.status = SessionStatus.LIVE
    session.started_at = _now()
    session.current_item_id = first.id
    session.current_stage = Stage.SITUATION.value
    first.started_at = first.started_at or _now()
    return Outcome("session.started", f"{board.actor.display_name} started the session",
                   [_room(board), change("item", first.id, views.item_value(first))])


def move_room(board: Board, data: dict) -> Outcome:
    """Move everyone to a family and stage; `next: true` takes the next stage or family."""
    require_runs_room(board.actor.role_kind, is_chair=board.is_chair)
    session = board.session
    rules.require_live(session.status)
    if data.get("next"):
        ids = [item.id for item in session.agenda]
        target = rules.next_position(session.current_stage, ids, session.current_item_id)
        if target is None:
            raise Refused("This is the last stage of the last family.")
        item_id, stage_value = target
    else:
        item_id, stage_value = data.get("item_id", session.current_item_id), data.get("stage")
    item = board.item(item_id)
    stage = rules.stage(stage_value)
    session.current_item_id = item.id
    session.current_stage = stage.value
    changes = [_room(board)]
    if item.started_at is None:
        item.started_at = _now()
        changes.append(change("item", item.id, views.item_value(item)))
    return Outcome("room.moved", f"The room moved to {item.family.display_name}: {stage.label}", changes)


def close_session(board: Board, data: dict) -> Outcome:
    require_runs_room(board.actor.role_kind, is_chair=board.is_chair)
    rules.require_live(board.session.status)
    board.session.status = SessionStatus.CLOSED
    board.session.closed_at = _now()
    return Outcome("session.closed", f"{board.actor.display_name} closed the session", [_room(board)])


# ---------------------------------------------------------------- cards

def _adult(item: AgendaItem, adult_id) -> Adult | None:
    if adult_id in (None, ""):
        return None
    adult = db.session.get(Adult, _int(adult_id, "adult_id"))
    if adult is None or adult.family_id != item.family_id:
        raise Invalid("Choose an adult from this family.", {"adult_id": "Choose an adult from this family"})
    return adult


def _card_text(data: dict) -> str:
    return rules.clean_text(data.get("text"), field="text", label="Text", max_length=rules.MAX_CARD_LENGTH)


def _card_summary(board: Board, verb: str, card: Card) -> str:
    where = {"situation": "to the family situation", "perspectives": "a perspective",
             "analysis": f"under {AnalysisHeading.label_of(card.heading)}"}[card.stage]
    return f"{board.actor.role_label} {verb} {where}" if verb == "added" else f"{board.actor.role_label} {verb} a card"


def add_card(board: Board, data: dict) -> Outcome:
    board.require(Permission.CONTRIBUTE)
    rules.require_live(board.session.status)
    item = _open_item(board, data)
    adult = _adult(item, data.get("adult_id"))
    stage, heading, stage_of_change = rules.card_placement(
        data.get("stage", ""), data.get("heading"), data.get("stage_of_change"), adult.id if adult else None)
    actor = board.actor
    values = dict(agenda_item_id=item.id, stage=stage, heading=heading, author_id=actor.user_id,
                  author_role_label=actor.role_label, author_specialism_label=actor.specialism_label,
                  adult_id=adult.id if adult else None, stage_of_change=stage_of_change, text=_card_text(data))
    stored = db.session.connection().execute(statements.INSERT_CARD, values).one()
    card = Card(**values, id=stored.id, version=stored.version)  # the stored row, to describe it
    return Outcome("card.added", _card_summary(board, "added", card),
                   [change("card", card.id, views.card_value(card, author_name=actor.display_name))])


def _own_card(board: Board, data: dict) -> Card:
    card = db.session.get(Card, _int(data.get("card_id"), "card_id"))
    if card is None or card.removed_at is not None or card.agenda_item.session_id != board.session.id:
        raise NotFound("That card")
    _require_open_discussion(card.agenda_item_id)
    rules.require_may_change_card(actor_user_id=board.actor.user_id, author_id=card.author_id,
                                  can_edit_any=board.can(Permission.EDIT_ANY_CARD))
    rules.check_version(card.version, data.get("version"), views.card_value(card))
    return card


def edit_card(board: Board, data: dict) -> Outcome:
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
    card.updated_at = _now()
    return Outcome("card.edited", _card_summary(board, "changed", card), [change("card", card.id, views.card_value(card))])


def remove_card(board: Board, data: dict) -> Outcome:
    rules.require_live(board.session.status)
    card = _own_card(board, data)
    card.removed_at = _now()
    card.version += 1
    return Outcome("card.removed", _card_summary(board, "removed", card), [change("card", card.id, None)])


# ---------------------------------------------------------------- notes

def save_notes(board: Board, data: dict) -> Outcome:
    board.require(Permission.WRITE_NOTES)
    rules.require_not_closed(board.session.status)
    item = _open_item(board, data)
    rules.check_version(item.notes_version, data.get("version"), views.notes_value(item))
    item.notes_text = rules.clean_text(data.get("text"), field="text", label="Notes",
                                       max_length=rules.MAX_NOTES_LENGTH, required=False)
    item.notes_version += 1
    item.notes_updated_by_id = board.actor.user_id
    item.notes_updated_at = _now()
    return Outcome("notes.saved", f"{board.actor.role_label} updated the notes",
                   [change("notes", item.id, views.notes_value(item))])


# ---------------------------------------------------------------- previous actions

def review_action(board: Board, data: dict) -> Outcome:
    board.require(Permission.REVIEW_ACTIONS)
    rules.require_live(board.session.status)
    item = board.item_in(data)
    _require_open_discussion(item.id)
    action = db.session.get(Action, _int(data.get("action_id"), "action_id"))
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
    review.reviewed_at = _now()
    action.status = rules.action_status_after_review(outcome).value
    action.version += 1
    return Outcome("action.reviewed", f"{board.actor.role_label} marked an action {outcome.label.lower()}", [
        change("review", views.review_key(item.id, action.id), views.review_value(review)),
        change("action", action.id, views.action_value(action)),
    ])


# ---------------------------------------------------------------- the decision

def _decision(item: AgendaItem) -> Decision:
    if item.decision is None:
        item.decision = Decision(decision_text="", rationale="", version=0)
        db.session.flush()
    return item.decision


def _open_item(board: Board, data: dict) -> AgendaItem:
    """As `board.item_in`, refused once the family's decision is signed off; one statement, as cards
    and notes are the changes made most often."""
    item_id = _int(data.get("item_id") or board.session.current_item_id, "item_id")
    row = db.session.execute(statements.AGENDA_ITEM_AND_SIGN_OFF, {"item_id": item_id}).one_or_none()
    if row is None or row[0].session_id != board.session.id:
        raise NotFound("That family discussion")
    rules.require_discussion_open(row[1] is not None)
    return row[0]


def _require_open_discussion(item_id: int) -> None:
    """Cards, notes and reviews of a family stop changing when its decision is signed off."""
    signed_at = db.session.execute(statements.SIGNED_OFF_AT, {"item_id": item_id}).scalar()
    rules.require_discussion_open(signed_at is not None)


def _require_open_decision(item: AgendaItem) -> None:
    rules.require_unsigned(item.decision is not None and item.decision.signed_off_at is not None)


def _unsigned_decision(board: Board, data: dict) -> tuple[AgendaItem, Decision]:
    """The decision the manager is writing: live session, not yet signed, edited from its current version."""
    board.require(Permission.RECORD_DECISION)
    rules.require_live(board.session.status)
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
    decision.updated_at = _now()
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
    decision.signed_off_at = _now()
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
    if board.session.status == SessionStatus.SCHEDULED:
        rules.require_live(board.session.status)
    item = board.item_in(data)
    rules.require_signed_for_addition(item.decision is not None and item.decision.signed_off_at is not None)
    actor = board.actor
    entry = AfterSignOffEntry(
        agenda_item_id=item.id, author_id=actor.user_id, author_name=actor.display_name,
        author_role_label=actor.role_label, created_at=_now(),
        text=rules.clean_text(data.get("text"), field="text", label="Entry", max_length=rules.MAX_CARD_LENGTH))
    db.session.add(entry)
    db.session.flush()
    return Outcome("entry.added_after_sign_off", f"{actor.role_label} added an entry after sign-off",
                   [change("addition", entry.id, views.addition_value(entry))])


# ---------------------------------------------------------------- actions

def _owner_id(board: Board, value, *, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise Invalid("Choose who owns the action.", {"owner_id": "Choose who owns the action"})
        return None
    owner_id = _int(value, "owner_id")
    member = db.session.scalar(select(Membership.id).where(
        Membership.team_id == board.session.team_id, Membership.user_id == owner_id))
    if member is None:
        raise Invalid("The owner must be a member of the team.", {"owner_id": "Choose someone in the team"})
    return owner_id


def _new_action(board: Board, data: dict, status: ActionStatus) -> Outcome:
    item = board.item_in(data)
    _require_open_decision(item)
    deciding = status is ActionStatus.OPEN
    action = Action(
        family_id=item.family_id, agenda_item_id=item.id,
        text=rules.clean_text(data.get("text"), field="text", label="Action", max_length=rules.MAX_CARD_LENGTH),
        owner_id=_owner_id(board, data.get("owner_id"), required=deciding),
        due_on=rules.parse_date(data.get("due_on"), field="due_on", label="Due date", required=deciding),
        status=status.value, proposed_by_id=board.actor.user_id)
    db.session.add(action)
    db.session.flush()
    verb = "agreed" if deciding else "proposed"
    return Outcome(f"action.{verb}", f"{board.actor.role_label} {verb} an action",
                   [change("action", action.id, views.action_value(action))])


def add_action(board: Board, data: dict) -> Outcome:
    board.require(Permission.RECORD_DECISION)
    rules.require_live(board.session.status)
    return _new_action(board, data, ActionStatus.OPEN)


def propose_action(board: Board, data: dict) -> Outcome:
    board.require(Permission.PROPOSE_ACTION)
    rules.require_live(board.session.status)
    return _new_action(board, data, ActionStatus.PROPOSED)


def _proposed(board: Board, data: dict) -> Action:
    action = db.session.get(Action, _int(data.get("action_id"), "action_id"))
    if action is None or action.agenda_item.session_id != board.session.id:
        raise NotFound("That action")
    if action.status != ActionStatus.PROPOSED:
        raise Refused("That action is no longer a proposal.")
    _require_open_decision(action.agenda_item)
    return action


def accept_action(board: Board, data: dict) -> Outcome:
    board.require(Permission.RECORD_DECISION)
    rules.require_live(board.session.status)
    action = _proposed(board, data)
    if "text" in data:
        action.text = rules.clean_text(data.get("text"), field="text", label="Action", max_length=rules.MAX_CARD_LENGTH)
    action.owner_id = _owner_id(board, data.get("owner_id", action.owner_id), required=True)
    action.due_on = rules.parse_date(data.get("due_on", action.due_on), field="due_on", label="Due date", required=True)
    action.status = ActionStatus.OPEN.value
    action.version += 1
    db.session.flush()
    db.session.refresh(action)
    return Outcome("action.accepted", f"{board.actor.role_label} accepted a proposed action",
                   [change("action", action.id, views.action_value(action))])


def drop_action(board: Board, data: dict) -> Outcome:
    board.require(Permission.RECORD_DECISION)
    rules.require_live(board.session.status)
    action = _proposed(board, data)
    action.status = ActionStatus.DROPPED.value
    action.version += 1
    return Outcome("action.dropped", f"{board.actor.role_label} dropped a proposed action",
                   [change("action", action.id, views.action_value(action))])


HANDLERS: dict[str, Callable[[Board, dict], Outcome]] = {  # the same keys as domain.changes.CHANGE_FIELDS
    "start_session": start_session,
    "move": move_room,
    "close_session": close_session,
    "add_card": add_card,
    "edit_card": edit_card,
    "remove_card": remove_card,
    "save_notes": save_notes,
    "review_action": review_action,
    "save_decision": save_decision,
    "sign_off": sign_off,
    "amend_decision": amend_decision,
    "add_after_sign_off": add_after_sign_off,
    "add_action": add_action,
    "propose_action": propose_action,
    "accept_action": accept_action,
    "drop_action": drop_action,
}

if HANDLERS.keys() != CHANGE_FIELDS.keys():  # pragma: no cover - a programming error, caught at import
    raise RuntimeError(f"Change types without fields or handler: {HANDLERS.keys() ^ CHANGE_FIELDS.keys()}")
