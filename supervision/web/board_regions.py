"""The parts of the live board a change touched, rendered once for everyone who has it open.

Each event names regions of the page (a card, a family's stage tabs, its decision, the room...).
They are rendered here, once per event, from the same templates as the full page, for no one
in particular: every control is in them, marked with what it needs, and the page's script removes
what its viewer may not use (static/js/board-viewer.js). A region is
`{"id": ..., "html": ...}`, with `"parent"` for a card that may be new (the list it goes in), or
`{"id": ..., "removed": true}`. Catching up after a reconnection sends the regions the missed
events named, rendered as they are now (or none, when the whole board changed meanwhile: that
browser reads the page again). A person's own page, and every change, are still checked
by the server for that person; these fragments hold nothing a board member may not read.
"""
from __future__ import annotations

from contextlib import nullcontext

from flask import current_app, has_request_context
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..domain.vocabulary import Stage
from ..extensions import db
from ..services import board_state as views
from ..store.models import (
    ActionReview, AfterSignOffEntry, Amendment, AgendaItem, Card, Decision, Family, SupervisionSession,
)
from .board import card_list_id, page_context

STAGES = [stage.value for stage in Stage]
WHOLE_BOARD = {"session.started", "session.closed", "board.reload"}
REGIONS_TEMPLATE = "views/board/_regions.html"


class Plan:
    """Which regions some events touched, gathered before anything is loaded or rendered."""

    def __init__(self) -> None:
        self.whole = False
        self.room = False
        self.present = False
        self.cards: dict[str, bool] = {}  # card id -> still on the board
        self.card_values: list[dict] = []
        self.navs: set[int] = set()
        self.decisions: set[int] = set()
        self.actions: set[int] = set()  # family ids
        self.families: set[int] = set()  # agenda item ids redrawn whole (signed off)

    def add(self, event: dict) -> None:
        kind = event.get("type")
        if kind in WHOLE_BOARD:
            self.whole = self.present = True
            return
        for change in event.get("changes", ()):
            value = change["value"]
            self.present = self.present or change["kind"] != "notes"
            if change["kind"] == "room":
                self.room = True
            elif change["kind"] == "card":
                self.cards[change["id"]] = value is not None
                if value is not None:
                    self.card_values.append(value)
                if value is not None:
                    self.navs.add(value["item_id"])
            elif change["kind"] == "decision":
                if kind == "decision.signed_off":
                    self.families.add(int(change["id"]))
                else:
                    self.decisions.add(int(change["id"]))
                    self.navs.add(int(change["id"]))
            elif change["kind"] == "addition" and value is not None:
                self.decisions.add(value["item_id"])
            elif change["kind"] == "action" and value is not None:
                self.actions.add(value["family_id"])
            elif change["kind"] == "review" and value is not None:
                self.actions.add(-value["item_id"])  # an agenda item, resolved to its family on loading

    @property
    def empty(self) -> bool:
        return not (self.whole or self.room or self.present or self.cards or self.navs or self.decisions
                    or self.actions or self.families)


def regions_for(message: dict) -> list[dict]:
    """The regions one event touched, rendered now (called by the publisher, after the commit)."""
    return regions_named(message["session_id"], [message])


def regions_caught_up(session_id: int, events: list[dict]) -> list[dict] | None:
    """The regions some missed events named, drawn as they are now; None when they include the
    session starting, closing or its set-up changing: then the page is read again, once, by the
    browser that missed them, rather than the whole board rendered for each catch-up."""
    plan = Plan()
    for event in events:
        plan.add(event)
    return None if plan.whole else _render(session_id, plan)


def regions_named(session_id: int, events: list[dict]) -> list[dict]:
    plan = Plan()
    for event in events:
        plan.add(event)
    return _render(session_id, plan)


def _render(session_id: int, plan: Plan) -> list[dict]:
    if plan.empty:
        return []
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        return []
    # A change made outside a request (a command, a test) still names pages by path.
    with nullcontext() if has_request_context() else current_app.test_request_context():
        return _Renderer(session, plan).regions()


class _Renderer:
    def __init__(self, session: SupervisionSession, plan: Plan) -> None:
        self.session = session
        self.plan = plan
        # The agenda with its families, children and adults in three statements, not three per family.
        family = selectinload(AgendaItem.family)
        # Held here: the session's agenda is these same objects only while something refers to them.
        self._loaded = db.session.scalars(select(AgendaItem).where(AgendaItem.session_id == session.id).options(
            family.selectinload(Family.children), family.selectinload(Family.adults))).all()
        self.items = list(session.agenda)
        by_family = {}
        for item in self.items:
            by_family.setdefault(item.family_id, []).append(item.id)
        # Actions and reviews belong to a family; its discussion in this session is what shows them.
        for key in list(plan.actions):
            if key < 0:
                plan.actions.discard(key)
                found = next((item for item in self.items if item.id == -key), None)
                if found is not None:
                    plan.actions.add(found.family_id)
        self.action_items = {item_id for family in plan.actions for item_id in by_family.get(family, [])}
        removed = [int(card_id) for card_id, present in plan.cards.items() if not present]
        if removed:
            plan.navs.update(db.session.scalars(select(Card.agenda_item_id).where(Card.id.in_(removed))))
        self.full_items = {item.id for item in self.items} if plan.whole else set(plan.families)

    # ------------------------------------------------------------ loading

    def _snapshot(self) -> dict:
        session, plan = self.session, self.plan
        if plan.whole:
            snapshot = views.snapshot(session)
        else:
            snapshot = {"session_id": session.id, "last_seq": session.last_seq, "state": self._state()}
        snapshot["context"] = views.context(session)
        return snapshot

    def _state(self) -> dict:
        """What the touched regions show: the room, the agenda, and only the families they name."""
        session, plan = self.session, self.plan
        item_ids = [item.id for item in self.items]
        deep = self.full_items | plan.decisions | self.action_items
        # The big screen shows the stage the room is at: its cards, and the family's actions and decision.
        shown = session.current_item_id if plan.present and session.status == "live" else None
        if shown is not None:
            deep = deep | {shown}
        state = {kind: {} for kind in views.KINDS}
        state["room"] = {"room": views.room_value(session)}
        state["item"] = {str(item.id): views.item_value(item) for item in self.items}
        state["notes"] = {str(item.id): views.notes_value(item) for item in self.items}
        # Every family's decision when the agenda is drawn (it says which are signed off), else the touched ones.
        if not (plan.room or plan.families):
            touched = deep | plan.navs | {card["item_id"] for card in plan.card_values}
            item_ids = [item_id for item_id in item_ids if item_id in touched]
        if item_ids:
            for decision in db.session.scalars(select(Decision).where(Decision.agenda_item_id.in_(item_ids)).options(
                    selectinload(Decision.amendments).selectinload(Amendment.author),
                    selectinload(Decision.signed_off_by))):
                state["decision"][str(decision.agenda_item_id)] = views.decision_value(decision)
        if self.full_items:
            for card in db.session.scalars(select(Card).where(Card.agenda_item_id.in_(self.full_items),
                                                              Card.removed_at.is_(None))
                                          .options(selectinload(Card.author)).order_by(Card.id)):
                state["card"][str(card.id)] = views.card_value(card)
        if shown is not None and shown not in self.full_items:
            for card in db.session.scalars(select(Card).where(Card.agenda_item_id == shown,
                                                              Card.stage == session.current_stage,
                                                              Card.removed_at.is_(None))
                                          .options(selectinload(Card.author)).order_by(Card.id)):
                state["card"][str(card.id)] = views.card_value(card)
        wanted = [card_id for card_id, present in plan.cards.items() if present]
        if wanted:
            for card in db.session.scalars(select(Card).where(Card.id.in_([int(i) for i in wanted]),
                                                              Card.removed_at.is_(None))
                                          .options(selectinload(Card.author))):
                state["card"][str(card.id)] = views.card_value(card)
        if deep:
            families = {item.family_id for item in self.items if item.id in deep}
            for action in views.session_actions(session):
                if action.family_id in families:
                    state["action"][str(action.id)] = views.action_value(action)
            for review in db.session.scalars(select(ActionReview).where(ActionReview.agenda_item_id.in_(deep))):
                state["review"][views.review_key(review.agenda_item_id, review.action_id)] = views.review_value(review)
            for entry in db.session.scalars(select(AfterSignOffEntry).where(
                    AfterSignOffEntry.agenda_item_id.in_(deep)).order_by(AfterSignOffEntry.id)):
                state["addition"][str(entry.id)] = views.addition_value(entry)
        return state

    def _card_counts(self, item_ids) -> dict:
        counts: dict[int, dict[str, int]] = {item_id: {} for item_id in item_ids}
        if item_ids:
            rows = db.session.execute(
                select(Card.agenda_item_id, Card.stage, func.count())
                .where(Card.agenda_item_id.in_(item_ids), Card.removed_at.is_(None))
                .group_by(Card.agenda_item_id, Card.stage))
            for item_id, stage, count in rows:
                counts[item_id][stage] = count
        return counts

    # ------------------------------------------------------------ rendering

    def regions(self) -> list[dict]:
        plan = self.plan
        snapshot = self._snapshot()
        state = snapshot["state"]
        navs = set(plan.navs) | set(plan.families)
        if plan.room:
            navs.update(item.id for item in self.items)
        counts = None if plan.whole else self._card_counts(navs - self.full_items)
        context = page_context(snapshot, None, None, neutral=True, card_counts=counts)
        env = current_app.jinja_env
        macros = env.get_template(REGIONS_TEMPLATE).make_module(context)
        items = {item["id"]: item for item in context["b"]["agenda"]}
        out: list[dict] = []

        def add(region_id: str, html, **extra) -> None:
            out.append({"id": region_id, "html": str(html).strip(), **extra})

        if plan.whole:
            add("board-body", macros.page_part("views/board/_body.html"))
        else:
            if plan.room:
                add("board-room", macros.page_part("views/board/_room.html"))
            if plan.room or plan.families:
                add("board-agenda", macros.page_part("views/board/_agenda.html"))
            for item_id in sorted(plan.families):
                if item_id in items:
                    add(f"item-{item_id}", macros.family_part(items[item_id], "views/board/_family.html"))
                    add(f"notes-panel-{item_id}", macros.family_part(items[item_id], "views/board/_notes.html"))
            for item_id in sorted(navs - set(plan.families)):
                if item_id in items:
                    add(f"stages-{item_id}", macros.family_part(items[item_id], "views/board/_stage_nav.html"))
            if plan.room:
                labels = dict(context["ctx"]["vocabulary"]["stages"])
                for item in context["b"]["agenda"]:
                    if item["id"] in plan.families:
                        continue
                    for stage in STAGES:
                        add(f"stage-head-{item['id']}-{stage}", macros.stage_head(item, stage, labels[stage]))
            for card_id, present in plan.cards.items():
                card = state["card"].get(card_id) if present else None
                if card is None:
                    out.append({"id": f"card-{card_id}", "removed": True})
                elif card["item_id"] in items and card["item_id"] not in plan.families:
                    add(f"card-{card_id}", macros.card(card, items[card["item_id"]]),
                        parent=card_list_id(card["item_id"], card["stage"], card["heading"]))
            for item_id in sorted((plan.decisions | self.action_items) - set(plan.families)):
                if item_id not in items:
                    continue
                if item_id in plan.decisions or item_id in self.action_items:
                    add(f"decision-panel-{item_id}",
                        macros.family_part(items[item_id], "views/board/_decision.html", "decision"))
                if item_id in self.action_items:
                    add(f"actions-{item_id}", macros.family_part(items[item_id], "views/board/_decision.html", "actions"))
                    review = str(macros.family_part(items[item_id], "views/board/_review.html")).strip()
                    if review:
                        add(f"review-{item_id}", review)
        if plan.present:
            add("present-body", macros.page_part("views/board/_present.html"))
        return out
