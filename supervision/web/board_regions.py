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

Cards are the changes made most often, so a card's regions (its place on the board and on the big
screen) are rendered from the card's value in the event and nothing else but, for a perspective,
its family's adults: no snapshot is read. The page's script counts the cards in each stage itself.
An action proposed, added, accepted or dropped is drawn the same way, from its value and the team's
members (who proposed it, who may own it), into the list its status names; the page's script keeps
the lists' headings, counts and "nothing yet" lines true (static/js/board-regions.js listChanged).
An entry after sign-off goes into its list the same way, and an amendment draws, from the decision's
value, its summary, the forms that correct it and the new amendment into its list. The big screen is
drawn again for a decision only while the room is at it. Other changes load only what their regions show. A sign-off does not draw its family's cards again: it
draws the family's tabs, decision, actions and review, shows each stage's note that the discussion is
closed, and takes away the forms that add cards and each card's "Change or remove" (web/board.py names
them; a form someone is writing in stays, marked). Closing the session does the same for every family
not signed off, and draws each family's stage headings, decision, actions and review, the room, the
agenda and the big screen: nothing whole. Starting the session draws the room, the agenda and the
big screen: the families' forms are on the page from the start, hidden until the room goes live
(data-shown-while), and the page's script shows them. A live session's set-up change draws the agenda, the
room, the big screen and the families it added or changed, and removes those it took off; only when
the agenda was or becomes empty is the whole board drawn again.
"""
from __future__ import annotations

from contextlib import nullcontext

from flask import current_app, has_request_context
from sqlalchemy import bindparam, func, select

from ..domain.vocabulary import AnalysisHeading, Stage
from ..extensions import db
from ..services import accounts, board_state as views
from ..services.board import SETUP_KEY
from ..store.models import Adult, AgendaItem, Card, SupervisionSession
from .board import STAGES, action_list_id, add_form_id, card_context, card_list_id, family_people, page_context

WHOLE_BOARD = {"board.reload"}  # a set-up change caught up with, or one that emptied the agenda or filled an empty one
# The session starting draws the room, the agenda and the big screen: every family's forms were drawn
# with the page, hidden until the room goes live, and the page's script shows them (data-shown-while).
SESSION_STARTED = "session.started"
SESSION_CLOSED = "session.closed"  # drawn in parts: what no longer applies goes, nothing is drawn again whole
REGIONS_TEMPLATE = "views/board/_regions.html"
# The adults of the family an agenda item discusses, as a card names them.
ITEM_ADULTS = (select(Adult.id, Adult.first_name, Adult.relationship_to_child.label("relationship"))
               .join(AgendaItem, AgendaItem.family_id == Adult.family_id)
               .where(AgendaItem.id == bindparam("item_id")).order_by(Adult.id))
NO_PEOPLE = family_people([])
ROOM = (select(SupervisionSession.current_item_id, SupervisionSession.current_stage)
        .where(SupervisionSession.id == bindparam("session_id")))
DISCUSSION_STAGES = [stage for stage in STAGES if stage != Stage.DECISION.value]  # closed at sign-off
PRESENT_WITH_ACTIONS = {Stage.SITUATION.value, Stage.DECISION.value}  # the stages the big screen shows actions at
# What a sign-off takes away from a family's stages: the forms that add cards (analysis's in a disclosure each).
ADD_FORMS = [(Stage.SITUATION.value, None), (Stage.PERSPECTIVES.value, None)] + [
    (Stage.ANALYSIS.value, heading.value) for heading in AnalysisHeading]
AMENDED = "decision.amended"  # drawn in parts: the summary, the new amendment, the forms that correct it
CARD_MACROS_KEPT = 256  # sessions whose card macros a process keeps ready


class Plan:
    """Which regions some events touched, gathered before anything is loaded or rendered."""

    def __init__(self) -> None:
        self.whole = False
        self.room = False
        self.agenda = False  # its order and minutes changed (the room's mark on it moves by the page's script)
        self.present = False
        self.cards: dict[str, dict | None] = {}  # card id -> its value now (None: removed)
        self.action_values: dict[str, dict] = {}  # action id -> its value now, drawn alone
        self.addition_values: dict[str, dict] = {}  # entry after sign-off id -> its value, drawn alone
        self.amended: dict[int, dict] = {}  # agenda item id -> its amended decision's value, drawn in parts
        self.amendments: dict[int, set[int]] = {}  # agenda item id -> which amendments are new (1, 2...)
        self.decided: set[int] = set()  # agenda item ids whose decision changed (the big screen, if it shows it)
        self.navs: set[int] = set()
        self.decisions: set[int] = set()
        self.actions: set[int] = set()  # family ids
        self.families: set[int] = set()  # agenda item ids redrawn whole (added, minutes changed)
        self.closed: set[int] = set()  # agenda item ids signed off: closed, their cards not drawn again
        self.removed_items: set[int] = set()  # agenda items taken off
        self.session_closed = False  # every family's controls go; its cards are not drawn again

    def add(self, event: dict) -> None:
        kind = event.get("type")
        setup = event.get(SETUP_KEY)  # only a live set-up change has it: caught up, a page reads itself again
        if kind in WHOLE_BOARD and (setup is None or setup.whole):
            self.whole = self.present = True
            return
        if kind == SESSION_STARTED:
            self.room = self.agenda = self.present = True
            return
        if kind == SESSION_CLOSED:
            self.session_closed = self.room = self.agenda = self.present = True
            return
        if setup is not None:  # the agenda's order and minutes are in the room, the agenda and the big screen
            self.room = self.present = self.agenda = True
            self.families.update(setup.redrawn)
            self.removed_items.update(setup.removed)
            return
        for change in event.get("changes", ()):
            value = change["value"]
            if change["kind"] == "card":  # events come in order: the last value is the card as it is now
                self.cards[change["id"]] = value
                continue
            if change["kind"] == "notes":  # the page draws notes from the event itself
                continue
            if change["kind"] == "action" and value is not None:
                self.action_values[change["id"]] = value
                continue
            if change["kind"] == "addition":  # only ever added
                if value is not None:
                    self.addition_values[change["id"]] = value
                continue
            if change["kind"] == "decision":  # the big screen shows a decision only while the room is at it
                self.decided.add(int(change["id"]))
            else:
                self.present = True
            if change["kind"] == "room":
                self.room = True
            elif change["kind"] == "decision" and kind == AMENDED and value is not None:
                self.amended[int(change["id"])] = value
                self.amendments.setdefault(int(change["id"]), set()).add(len(value["amendments"]))
            elif change["kind"] == "decision":
                if kind == "decision.signed_off":
                    self.closed.add(int(change["id"]))
                self.decisions.add(int(change["id"]))
                self.navs.add(int(change["id"]))
            elif change["kind"] == "review" and value is not None:
                self.actions.add(-value["item_id"])  # an agenda item, resolved to its family on loading

    @property
    def from_values_only(self) -> bool:
        """Whether every region is drawn from the values in the events (cards, actions), with no snapshot."""
        return not (self.whole or self.room or self.agenda or self.present or self.navs or self.decisions
                    or self.actions or self.families or self.closed or self.session_closed)

    @property
    def empty(self) -> bool:
        return (self.from_values_only and not self.cards and not self.action_values and not self.addition_values
                and not self.amended)


def regions_for(message: dict) -> list[dict]:
    """The regions one event touched, rendered now (called by the publisher, after the commit)."""
    return regions_named(message["session_id"], [message])


def regions_caught_up(session_id: int, events: list[dict]) -> list[dict] | None:
    """The regions some missed events named, drawn as they are now; None when they include its
    set-up changing: then the page is read again, once, by the browser that missed them, rather
    than the whole board rendered for each catch-up."""
    plan = Plan()
    for event in events:
        plan.add(event)
    return None if plan.whole else regions_named(session_id, events)


def regions_named(session_id: int, events: list[dict]) -> list[dict]:
    plan = Plan()
    for event in events:
        plan.add(event)
    if plan.empty:
        return []
    if plan.decided and not plan.present:
        room = db.session.execute(ROOM, {"session_id": session_id}).one_or_none()
        plan.present = room is not None and room.current_stage == Stage.DECISION.value and \
            room.current_item_id in plan.decided
    # A change made outside a request (a command, a test) still names pages by path.
    with nullcontext() if has_request_context() else current_app.test_request_context():
        out: list[dict] = []
        if not plan.from_values_only:
            session = db.session.get(SupervisionSession, session_id)
            if session is None:
                return []
            out = _Renderer(session, plan).regions()
        if not plan.whole:  # the whole board's body holds every card and action already
            out.extend(_card_regions(session_id, plan))
            out.extend(_action_regions(session_id, plan))
            out.extend(_addition_regions(session_id, plan))
            out.extend(_amendment_regions(session_id, plan))
        return out


def _card_regions(session_id: int, plan: Plan) -> list[dict]:
    """Each card's place on the board and on the big screen, from its value in the event."""
    macros = _card_macros(session_id)
    people: dict[int, dict] = {}
    out: list[dict] = []
    for card_id, card in plan.cards.items():
        if card is None:
            out += [{"id": f"card-{card_id}", "removed": True}, {"id": f"present-card-{card_id}", "removed": True}]
            continue
        item_id = card["item_id"]
        if item_id in plan.families:  # redrawn whole
            continue
        family = NO_PEOPLE
        if card["stage"] == "perspectives" or card["adult_id"]:
            if item_id not in people:
                people[item_id] = family_people([row._asdict() for row in db.session.execute(
                    ITEM_ADULTS, {"item_id": item_id})])
            family = people[item_id]
        where = card_list_id(item_id, card["stage"], card["heading"])
        editable = item_id not in plan.closed and not plan.session_closed
        html = str(macros.lone_card(card, family, editable)).strip()
        out.append({"id": f"card-{card_id}", "html": html, "parent": where})
        out.append({"id": f"present-card-{card_id}", "html": str(macros.present_card(card, family)).strip(),
                    "parent": f"present-{where}"})
    return out


def _action_regions(session_id: int, plan: Plan) -> list[dict]:
    """Each action's place among its family's actions, on the board and on the big screen, from its
    value in the event. Actions change only while the family's decision is open, so the chair's
    forms are in a proposal. A family whose actions are redrawn whole (a review of last time's
    actions, a sign-off) has them already; the _Renderer has resolved plan.actions to families."""
    drawn = {key: value for key, value in plan.action_values.items()
             if value["item_id"] not in plan.families and value["family_id"] not in plan.actions}
    if not drawn:
        return []
    macros = _card_macros(session_id)
    team_id = db.session.scalar(select(SupervisionSession.team_id).where(SupervisionSession.id == session_id))
    members = {member["user_id"]: member for member in accounts.team_member_names(team_id)}
    choices = [(member["user_id"], f'{member["name"]}, {member["role"]}') for member in members.values()]
    out: list[dict] = []
    for action_id, action in drawn.items():
        where = action_list_id(action["item_id"], action["status"])
        out.append({"id": f"action-{action_id}", "parent": where,
                    "html": str(macros.lone_action(action, members, choices)).strip()})
        if action["status"] == "dropped":  # the big screen shows agreed actions and counts proposals
            out.append({"id": f"present-action-{action_id}", "removed": True})
        else:
            out.append({"id": f"present-action-{action_id}", "parent": f"present-{where}",
                        "html": str(macros.present_action(action)).strip()})
    return out


def _addition_regions(session_id: int, plan: Plan) -> list[dict]:
    """Each entry added after sign-off, into its family's list on the board and on the big screen
    (which has that list only while it shows the family's decision), from its value in the event."""
    drawn = [value for value in plan.addition_values.values() if value["item_id"] not in plan.families]
    if not drawn:
        return []
    macros = _card_macros(session_id)
    out: list[dict] = []
    for entry in drawn:
        out.append({"id": f"addition-{entry['id']}", "parent": f"additions-{entry['item_id']}",
                    "html": str(macros.lone_addition(entry)).strip()})
        out.append({"id": f"present-addition-{entry['id']}", "parent": f"present-additions-{entry['item_id']}",
                    "html": str(macros.present_addition(entry)).strip()})
    return out


def _amendment_regions(session_id: int, plan: Plan) -> list[dict]:
    """A signed-off decision amended, from its value in the event: its summary, the forms that
    correct it (which build on its version) and each new amendment into the family's list. A
    family whose decision panel is drawn whole (a sign-off caught up with) has them already."""
    drawn = {item_id: value for item_id, value in plan.amended.items()
             if item_id not in plan.decisions and item_id not in plan.families}
    if not drawn:
        return []
    macros = _card_macros(session_id)
    out: list[dict] = []
    for item_id, decision in drawn.items():
        out.append({"id": f"decision-summary-{item_id}", "html": str(macros.lone_decision_summary(decision)).strip()})
        out.append({"id": f"decision-amend-{item_id}", "html": str(macros.lone_amend_forms(decision)).strip()})
        for n in sorted(plan.amendments[item_id]):
            out.append({"id": f"amendment-{item_id}-{n}", "parent": f"amendments-{item_id}",
                        "html": str(macros.lone_amendment(decision["amendments"][n - 1], item_id, n)).strip()})
    return out


def _closed_controls(item_ids: list[int], why: bool | str = True) -> list[dict]:
    """Closed families' controls taken away: the forms that add cards, and each card's "Change or
    remove" (its link, or its forms if someone opened them), their cards read in one statement.
    `closed` says why, for a page that keeps a form its person is writing in: true for a sign-off,
    "session" when the session closed."""
    if not item_ids:
        return []
    gone = [add_form_id(item_id, stage) if heading is None else f"{add_form_id(item_id, stage, heading)}-details"
            for item_id in item_ids for stage, heading in ADD_FORMS]
    for card_id in db.session.scalars(select(Card.id).where(Card.agenda_item_id.in_(item_ids),
                                                            Card.removed_at.is_(None)).order_by(Card.id)):
        gone += [f"card-change-{card_id}", f"edit-card-{card_id}-details"]
    return [{"id": region_id, "removed": True, "closed": why} for region_id in gone]


def _card_macros(session_id: int):
    """The regions' macros bound to the context of what is drawn from its value alone (a card, an
    action, an entry after sign-off, an amendment), made once per session and process."""
    kept = current_app.extensions.setdefault("supervision.card_macros", {})
    macros = kept.get(session_id)
    if macros is None:
        if len(kept) >= CARD_MACROS_KEPT:
            kept.clear()
        macros = kept[session_id] = current_app.jinja_env.get_template(REGIONS_TEMPLATE).make_module(
            card_context(session_id))
    return macros


class _Renderer:
    def __init__(self, session: SupervisionSession, plan: Plan) -> None:
        self.session = session
        self.plan = plan
        self.items = views.agenda_items(session)
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
        # A sign-off closes its family's actions and its review of last time's; closing the session,
        # every family's, and every decision's forms.
        plan.actions.update(item.family_id for item in self.items if item.id in plan.closed or plan.session_closed)
        if plan.session_closed:
            plan.decisions.update(item.id for item in self.items)
        self.action_items = {item_id for family in plan.actions for item_id in by_family.get(family, [])}
        self.full_items = {item.id for item in self.items} if plan.whole else set(plan.families)

    # ------------------------------------------------------------ loading

    def _snapshot(self) -> dict:
        session, plan = self.session, self.plan
        if plan.whole:
            snapshot = views.snapshot(session)
        else:
            snapshot = {"session_id": session.id, "last_seq": session.last_seq, "state": self._state()}
        snapshot["context"] = views.context(session, self.items, attendance=plan.whole)
        return snapshot

    def _state(self) -> dict:
        """What the touched regions show: the room, the agenda, and only the families they name."""
        session, plan = self.session, self.plan
        item_ids = [item.id for item in self.items]
        deep = self.full_items | plan.decisions | self.action_items
        # The big screen shows the stage the room is at: its cards, and at the situation last time's
        # actions and their reviews, at the decision the family's actions and entries after sign-off.
        shown = session.current_item_id if plan.present and session.status == "live" else None
        if shown is not None and session.current_stage in PRESENT_WITH_ACTIONS:
            deep = deep | {shown}
        state = {kind: {} for kind in views.KINDS}
        state["room"] = {"room": views.room_value(session)}
        state["item"] = {str(item.id): views.item_value(item) for item in self.items}
        state["notes"] = {str(item.id): views.notes_value(item) for item in self.items}
        state["decision"] = views.decisions_of(item_ids)  # every family's: the agenda says which are signed off
        if self.full_items:
            state["card"].update(views.cards_where(Card.agenda_item_id.in_(self.full_items)))
        if shown is not None and shown not in self.full_items:
            state["card"].update(views.cards_where(Card.agenda_item_id == shown, Card.stage == session.current_stage))
        if deep:
            deep_ids = sorted(deep)
            families = sorted({item.family_id for item in self.items if item.id in deep})
            state["action"] = views.actions_of(item_ids, families)
            state["review"] = views.reviews_of(deep_ids)
            state["addition"] = views.additions_of(deep_ids)
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
        # A room move draws no family's tabs or headings, nor the agenda: each holds the room's mark,
        # shown or hidden by the page's script from the room in the event (board-view.js markRoom).
        navs = set(plan.navs) | set(plan.families)
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
            if plan.agenda or plan.families or plan.closed:
                add("board-agenda", macros.page_part("views/board/_agenda.html"))
            for item_id in sorted(plan.families):  # a family added to the agenda goes in at the end
                if item_id in items:
                    add(f"item-{item_id}", macros.family_part(items[item_id], "views/board/_family.html"),
                        parent="board-main")
                    add(f"notes-panel-{item_id}", macros.family_part(items[item_id], "views/board/_notes.html"),
                        parent="board-notes")
            for item_id in sorted(plan.closed - set(plan.families)):
                if item_id in items:
                    add(f"notes-panel-{item_id}", macros.family_part(items[item_id], "views/board/_notes.html"))
                    for stage in DISCUSSION_STAGES:
                        add(f"closed-note-{item_id}-{stage}", macros.shown_closed_note(item_id, stage))
                    out.extend(_closed_controls([item_id]))
            if plan.session_closed:  # the chair's "Move the room here" goes from every stage's heading
                for item_id in sorted(items):
                    for stage in STAGES:
                        add(f"stage-head-{item_id}-{stage}", macros.stage_head_part(items[item_id], stage))
                decisions = snapshot["state"]["decision"]  # a sign-off took its family's controls already
                out.extend(_closed_controls([item_id for item_id in sorted(items)
                                             if not (decisions.get(str(item_id)) or {}).get("signed_off")], "session"))
            for item_id in sorted(plan.removed_items):
                out += [{"id": f"item-{item_id}", "removed": True}, {"id": f"notes-panel-{item_id}", "removed": True}]
            for item_id in sorted(navs - set(plan.families)):
                if item_id in items:
                    add(f"stages-{item_id}", macros.family_part(items[item_id], "views/board/_stage_nav.html"))
            for item_id in sorted((plan.decisions | self.action_items) - set(plan.families)):
                if item_id not in items:
                    continue
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
