"""The board as plain data: entities keyed by kind and id, the same shape in snapshots and events.

A client keeps `state[kind][id] = value` and applies each event's `changes` in sequence
order (a value of None removes the entity). Applying every event to an old snapshot
gives exactly a new snapshot, which the canonical hash makes easy to check.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..domain.vocabulary import ActionStatus, AnalysisHeading, PlanLevel, PlanOutcome, Stage, StageOfChange
from ..domain.wording import age_on, local
from ..extensions import db
from ..store.models import (
    Action, ActionReview, Adult, AfterSignOffEntry, Amendment, AgendaItem, Attendance, Card, Child, Decision, Family,
    SupervisionSession, User,
)
from . import accounts

KINDS = ("room", "item", "card", "notes", "decision", "action", "review", "addition")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def room_value(session: SupervisionSession) -> dict:
    return {
        "status": session.status,
        "current_item_id": session.current_item_id,
        "current_stage": session.current_stage,
        "started_at": _iso(session.started_at),
        "closed_at": _iso(session.closed_at),
    }


def item_value(item: AgendaItem) -> dict:
    return {
        "id": item.id,
        "family_id": item.family_id,
        "position": item.position,
        "minutes_allowed": item.minutes_allowed,
        "started_at": _iso(item.started_at),
    }


# A card's columns as card_value reads them, with its author's name: rows, not objects, for a whole board.
CARD_COLUMNS = (Card.id, Card.agenda_item_id, Card.stage, Card.heading, Card.author_id, Card.author_role_label,
                Card.author_specialism_label, Card.adult_id, Card.stage_of_change, Card.text, Card.version,
                User.display_name.label("author_name"))


def card_value(card: Card, author_name: str | None = None) -> dict:
    """A card as clients hold it; `author_name` saves loading the author when the caller knows it."""
    return {
        "id": card.id,
        "item_id": card.agenda_item_id,
        "stage": card.stage,
        "heading": card.heading,
        "author_id": card.author_id,
        "author_name": author_name if author_name is not None else card.author.display_name,
        "author_role": card.author_role_label,
        "specialism": card.author_specialism_label,
        "adult_id": card.adult_id,
        "stage_of_change": card.stage_of_change,
        "text": card.text,
        "version": card.version,
    }


def cards_where(*criteria) -> dict[str, dict]:
    """The cards on the board that meet `criteria`, in the order they were added, as values by id."""
    rows = db.session.execute(select(*CARD_COLUMNS).join(User, User.id == Card.author_id)
                              .where(Card.removed_at.is_(None), *criteria).order_by(Card.id))
    return {str(row.id): card_value(row, row.author_name) for row in rows}


def notes_value(item: AgendaItem) -> dict:
    return {"item_id": item.id, "text": item.notes_text, "version": item.notes_version}


_LOAD = object()  # a name the value functions read from the object's relationship


def amendment_value(amendment: Amendment, author_name: str | object = _LOAD) -> dict:
    return {
        "field": amendment.field,
        "original_text": amendment.original_text,
        "amended_text": amendment.amended_text,
        "reason": amendment.reason,
        "author_name": amendment.author.display_name if author_name is _LOAD else author_name,
        "author_role": amendment.author_role_label,
        "at": _iso(amendment.created_at),
    }


def decision_value(decision: Decision, signer_name: str | None | object = _LOAD,
                   amendments: list[dict] | None = None) -> dict:
    """A decision as clients hold it. A caller reading rows gives the signer's name and the
    amendments' values; otherwise they are read from the decision's relationships."""
    if signer_name is _LOAD:
        signer_name = decision.signed_off_by.display_name if decision.signed_off_by else None
    return {
        "item_id": decision.agenda_item_id,
        "decision_text": decision.decision_text,
        "rationale": decision.rationale,
        "outcome": decision.outcome,
        "next_discussion_on": _iso(decision.next_discussion_on),
        "version": decision.version,
        "signed_off": decision.signed_off_at is not None,
        "signed_off_by": signer_name,
        "signed_off_role": decision.signed_off_role_label,
        "signed_off_at": _iso(decision.signed_off_at),
        "amendments": amendments if amendments is not None else [amendment_value(a) for a in decision.amendments],
    }


def action_value(action: Action, owner_name: str | None | object = _LOAD) -> dict:
    """An action as clients hold it; `owner_name` saves loading the owner when the caller read it."""
    if owner_name is _LOAD:
        owner_name = action.owner.display_name if action.owner else None
    return {
        "id": action.id,
        "family_id": action.family_id,
        "item_id": action.agenda_item_id,
        "text": action.text,
        "owner_id": action.owner_id,
        "owner_name": owner_name,
        "due_on": _iso(action.due_on),
        "status": action.status,
        "proposed_by_id": action.proposed_by_id,
        "version": action.version,
    }


def addition_value(entry: AfterSignOffEntry) -> dict:
    """An entry added to a family's discussion after its decision was signed off."""
    return {"id": entry.id, "item_id": entry.agenda_item_id, "text": entry.text, "author_id": entry.author_id,
            "author_name": entry.author_name, "author_role": entry.author_role_label, "at": _iso(entry.created_at)}


def review_key(item_id: int, action_id: int) -> str:
    return f"{item_id}:{action_id}"


def review_value(review: ActionReview) -> dict:
    return {"item_id": review.agenda_item_id, "action_id": review.action_id, "outcome": review.outcome}


# A family's decisions and actions, and reviews and additions, as the value functions read them:
# rows, not objects, for a whole board's snapshot and for every region a change redraws.
_SIGNER, _OWNER, _AUTHOR = aliased(User), aliased(User), aliased(User)
DECISION_COLUMNS = (Decision.id, Decision.agenda_item_id, Decision.decision_text, Decision.rationale, Decision.outcome,
                    Decision.next_discussion_on, Decision.version, Decision.signed_off_at,
                    Decision.signed_off_role_label, _SIGNER.display_name.label("signer_name"))
AMENDMENT_COLUMNS = (Amendment.decision_id, Amendment.field, Amendment.original_text, Amendment.amended_text,
                     Amendment.reason, Amendment.author_role_label, Amendment.created_at,
                     _AUTHOR.display_name.label("author_name"))
ACTION_COLUMNS = (Action.id, Action.family_id, Action.agenda_item_id, Action.text, Action.owner_id, Action.due_on,
                  Action.status, Action.proposed_by_id, Action.version, _OWNER.display_name.label("owner_name"))


def decisions_of(item_ids: list[int]) -> dict[str, dict]:
    """The decisions of these agenda items, with their amendments, as values by agenda item."""
    if not item_ids:
        return {}
    rows = list(db.session.execute(select(*DECISION_COLUMNS).outerjoin(_SIGNER, _SIGNER.id == Decision.signed_off_by_id)
                                   .where(Decision.agenda_item_id.in_(item_ids))))
    amendments: dict[int, list[dict]] = {}
    signed = [row.id for row in rows if row.signed_off_at is not None]
    if signed:  # only a signed-off decision is amended
        for row in db.session.execute(select(*AMENDMENT_COLUMNS).join(_AUTHOR, _AUTHOR.id == Amendment.author_id)
                                      .where(Amendment.decision_id.in_(signed)).order_by(Amendment.id)):
            amendments.setdefault(row.decision_id, []).append(amendment_value(row, row.author_name))
    return {str(row.agenda_item_id): decision_value(row, row.signer_name, amendments.get(row.id, [])) for row in rows}


def actions_of(item_ids: list[int], family_ids: list[int]) -> dict[str, dict]:
    """The actions a session with these agenda items shows for these families: raised in it,
    reviewed in it, or still open from a family's earlier discussions; as values by id."""
    if not item_ids or not family_ids:
        return {}
    reviewed = select(ActionReview.action_id).where(ActionReview.agenda_item_id.in_(item_ids))
    rows = db.session.execute(
        select(*ACTION_COLUMNS).outerjoin(_OWNER, _OWNER.id == Action.owner_id)
        .where(Action.family_id.in_(family_ids),
               or_(Action.agenda_item_id.in_(item_ids), Action.status == ActionStatus.OPEN, Action.id.in_(reviewed)))
        .order_by(Action.id))
    return {str(row.id): action_value(row, row.owner_name) for row in rows}


def reviews_of(item_ids: list[int]) -> dict[str, dict]:
    """How these discussions reviewed their families' earlier actions, as values by review key."""
    if not item_ids:
        return {}
    rows = db.session.execute(select(ActionReview.agenda_item_id, ActionReview.action_id, ActionReview.outcome)
                              .where(ActionReview.agenda_item_id.in_(item_ids)))
    return {review_key(row.agenda_item_id, row.action_id): review_value(row) for row in rows}


def additions_of(item_ids: list[int]) -> dict[str, dict]:
    """What was added to these discussions after sign-off, in the order it was added, as values by id."""
    if not item_ids:
        return {}
    rows = db.session.execute(select(AfterSignOffEntry.id, AfterSignOffEntry.agenda_item_id, AfterSignOffEntry.text,
                                     AfterSignOffEntry.author_id, AfterSignOffEntry.author_name,
                                     AfterSignOffEntry.author_role_label, AfterSignOffEntry.created_at)
                              .where(AfterSignOffEntry.agenda_item_id.in_(item_ids)).order_by(AfterSignOffEntry.id))
    return {str(row.id): addition_value(row) for row in rows}


def build_state(session: SupervisionSession) -> dict[str, dict[str, dict]]:
    items = list(session.agenda)
    item_ids = [item.id for item in items]
    return {
        "room": {"room": room_value(session)},
        "item": {str(item.id): item_value(item) for item in items},
        "card": cards_where(Card.agenda_item_id.in_(item_ids)) if item_ids else {},
        "notes": {str(item.id): notes_value(item) for item in items},
        "decision": decisions_of(item_ids),
        "action": actions_of(item_ids, [item.family_id for item in items]),
        "review": reviews_of(item_ids),
        "addition": additions_of(item_ids),
    }


def state_hash(state: dict) -> str:
    """A canonical hash of board state: equal states give equal hashes on every client."""
    canonical = json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def apply_changes(state: dict, changes: list[dict]) -> None:
    """How a client applies one event (documented in docs/protocol.md)."""
    for change in changes:
        bucket = state.setdefault(change["kind"], {})
        if change["value"] is None:
            bucket.pop(change["id"], None)
        else:
            bucket[change["id"]] = change["value"]


# What the board shows of the agenda's families, read as rows rather than objects:
# every change other than a card reads them again to draw its regions.
_FAMILY_IDS = bindparam("family_ids", expanding=True)
FAMILIES = select(Family.id, Family.display_name, Family.case_reference, Family.plan_level,
                  Family.social_worker_id).where(Family.id.in_(_FAMILY_IDS))
CHILDREN = (select(Child.family_id, Child.first_name, Child.date_of_birth, Child.age_description, Child.plan_level)
            .where(Child.family_id.in_(_FAMILY_IDS)).order_by(Child.id))
ADULTS = (select(Adult.family_id, Adult.id, Adult.first_name, Adult.relationship_to_child)
          .where(Adult.family_id.in_(_FAMILY_IDS)).order_by(Adult.id))


def agenda_items(session: SupervisionSession) -> list[AgendaItem]:
    """The agenda in one statement; it becomes `session.agenda` as loaded, so reading that afterwards
    costs no statement of its own."""
    items = list(db.session.scalars(select(AgendaItem).where(AgendaItem.session_id == session.id)
                                    .order_by(AgendaItem.position)))
    set_committed_value(session, "agenda", items)
    return items


def _families(family_ids: list[int], session_day: date) -> dict[str, dict]:
    """The families as the board names them, in the order given: children with their ages on the
    meeting's day (as the record gives them), and the adults a card may be about."""
    if not family_ids:
        return {}
    found = {row.id: row for row in db.session.execute(FAMILIES, {"family_ids": family_ids})}
    children: dict[int, list] = {}
    for c in db.session.execute(CHILDREN, {"family_ids": family_ids}):
        children.setdefault(c.family_id, []).append({
            "first_name": c.first_name,
            "age": age_on(c.date_of_birth, session_day) if c.date_of_birth else (c.age_description or ""),
            "plan_level": PlanLevel.label_of(c.plan_level)})
    adults: dict[int, list] = {}
    for a in db.session.execute(ADULTS, {"family_ids": family_ids}):
        adults.setdefault(a.family_id, []).append(
            {"id": a.id, "first_name": a.first_name, "relationship": a.relationship_to_child})
    return {str(family.id): {
        "id": family.id, "name": family.display_name, "case_reference": family.case_reference,
        "plan_level": PlanLevel.label_of(family.plan_level), "social_worker_id": family.social_worker_id,
        "children": children.get(family.id, []), "adults": adults.get(family.id, []),
    } for family in (found[family_id] for family_id in family_ids if family_id in found)}


def context(session: SupervisionSession, agenda: list[AgendaItem] | None = None, attendance: bool = True) -> dict:
    """What the board needs besides its state: families, people, and the words to show. `agenda`: the
    session's agenda, if the caller holds it already; `attendance=False` leaves out who attends (only
    the whole board shows it)."""
    items = agenda if agenda is not None else agenda_items(session)
    session_day = local(session.starts_at).date()  # ages as at the meeting, as the record gives them
    families = _families(list(dict.fromkeys(item.family_id for item in items)), session_day)
    attending = db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id)
        .options(selectinload(Attendance.user), selectinload(Attendance.role))
    ) if attendance else ()
    return {
        "session": {"id": session.id, "team_id": session.team_id, "chair_id": session.chair_id,
                    "minute_taker_id": session.minute_taker_id, "starts_at": _iso(session.starts_at)},
        "families": families,
        "members": accounts.team_member_names(session.team_id),
        "attendance": [{"user_id": a.user_id, "name": a.user.display_name, "role": a.role.label, "status": a.status}
                       for a in attending],
        "vocabulary": {
            "stages": Stage.choices(),
            "analysis_headings": AnalysisHeading.choices(),
            "stages_of_change": StageOfChange.choices(),
            "plan_outcomes": PlanOutcome.choices(),
        },
    }


def snapshot(session: SupervisionSession) -> dict:
    state = build_state(session)
    return {"session_id": session.id, "last_seq": session.last_seq, "state": state, "hash": state_hash(state)}


def user_name(user_id: int) -> str:
    user = db.session.get(User, user_id)
    return user.display_name if user else ""
