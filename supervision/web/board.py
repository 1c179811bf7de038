"""The live board: its page (works without JavaScript), its form posts, and the big-screen view.

Thin on purpose. Every change goes through `board_service.apply_change`, the same function the
Socket.IO handler calls, so a form post and a live change produce the same event for everyone.
Who may do what is the service's to decide; the page only uses `you.permissions` to choose which
controls to show. What is here is arranging the snapshot for display: which family and stage the
person is looking at, the agenda order, and the actions grouped per family.
"""
from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, timezone

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ..domain.board import AMENDABLE_FIELDS, next_position
from ..domain.permissions import Permission
from ..domain.errors import Conflict, DomainError, Invalid, NotFound, Refused
from ..domain.vocabulary import Stage, StageOfChange
from ..services.presence import presence_list
from ..services import board as board_service
from ..services import plain_language
from .. import auditing
from . import wording_prompts

bp = Blueprint("board", __name__)

STAGES = [stage.value for stage in Stage]
ALL_PERMISSIONS = frozenset(permission.value for permission in Permission)
# The viewer of what everyone receives: no one, who would run the room if anyone does.
NO_ONE = {"user_id": None, "name": "", "role": "", "is_chair": False, "runs_room": True, "permissions": []}
STATUS_FOR = ((Conflict, 409), (Invalid, 400), (Refused, 403), (NotFound, 404))
# Fields a board form carries for the page rather than for the service.
PAGE_FIELDS = {"csrf_token", "client_change_id"}


@bp.app_template_filter("from_iso")
def from_iso(value: str | None) -> datetime | date | None:
    """Snapshot dates travel as ISO text; the date filters take real dates."""
    if not value:
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


# ---------------------------------------------------------------- pages

@bp.get("/sessions/<int:session_id>/board")
@login_required
@auditing.audited("board.viewed", session_id="session_id")
def show(session_id: int):
    snapshot = board_service.snapshot_for(current_user.id, session_id)
    wording_prompts.show_after_post(snapshot["context"]["session"]["team_id"])
    return _render("views/board/show.html", snapshot, request.args.get("item"), request.args.get("stage"))


@bp.get("/sessions/<int:session_id>/board/present")
@login_required
@auditing.audited("board.presented", session_id="session_id")
def present(session_id: int):
    snapshot = board_service.snapshot_for(current_user.id, session_id)
    return _render("views/board/present.html", snapshot, None, None, mode="present")


@bp.get("/sessions/<int:session_id>/board/cards/<int:card_id>")
@login_required
@auditing.audited("board.viewed", session_id="session_id")
def card(session_id: int, card_id: int):
    """One card's own page, with its forms: how the board without its script changes or removes a card."""
    snapshot = board_service.snapshot_for(current_user.id, session_id)
    wording_prompts.show_after_post(snapshot["context"]["session"]["team_id"])
    return _render_card(snapshot, card_id)


CARD_FORMS = ("edit-card-", "remove-card-")


def _render_card(snapshot: dict, card_id: int, submitted=None):
    card = snapshot["state"]["card"].get(str(card_id))
    if card is None:
        abort(404)
    context = page_context(snapshot, card["item_id"], card["stage"], submitted=submitted)
    b = context["b"]
    item = next(item for item in b["agenda"] if item["id"] == card["item_id"])
    signed = (snapshot["state"]["decision"].get(str(item["id"])) or {}).get("signed_off")
    may = card["author_id"] == current_user.id or b["edit_any"]
    why_not = ("the session is not live." if b["room"]["status"] != "live"
               else "the family's decision is signed off." if signed
               else "only its author and the chair may change it." if not may else "")
    return render_template("views/board/card.html", **context, card=card, item=item, stage=card["stage"],
                           stage_label=Stage(card["stage"]).label, fam=b["families"][item["family_id"]],
                           changeable=not why_not, why_not=why_not)


@bp.post("/sessions/<int:session_id>/board/<change_type>")
@login_required
def change(session_id: int, change_type: str):
    form = request.form
    data = {key: value for key, value in form.to_dict().items()
            if key not in PAGE_FIELDS and not key.startswith("_")}
    try:
        board_service.apply_change(current_user.id, session_id, change_type, data,
                                   client_change_id=form.get("client_change_id") or None)
    except DomainError as error:
        auditing.refused_change(error)
        snapshot = board_service.snapshot_for(current_user.id, session_id)
        submitted = {
            "type": change_type,
            "form": form.get("_form", ""),
            "data": data,
            "message": error.message,
            "fields": getattr(error, "fields", {}),
            "current": error.details.get("current"),
            "code": error.code,
        }
        status = next((code for kind, code in STATUS_FOR if isinstance(error, kind)), 400)
        wording_prompts.find_in_form(snapshot["context"]["session"]["team_id"], form.get("_form", ""), data, now=True)
        card_id = data.get("card_id", "")
        if submitted["form"].startswith(CARD_FORMS) and card_id.isdigit() and card_id in snapshot["state"]["card"]:
            return _render_card(snapshot, int(card_id), submitted), status
        return _render("views/board/show.html", snapshot, form.get("_item"), form.get("_stage"),
                       submitted=submitted), status
    kind = board_service.CHANGES[change_type]
    flash(kind.done, "success")
    wording_prompts.find_in_form(wording_prompts.team_of_session(session_id), form.get("_form", ""), data)
    if kind.runs_room or form.get("_follow"):
        return redirect(url_for(".show", session_id=session_id))
    item, stage = form.get("_item"), form.get("_stage")
    return redirect(url_for(".show", session_id=session_id, item=item or None, stage=stage or None,
                            _anchor=f"stage-{item}-{stage}" if item and stage else None))


# ---------------------------------------------------------------- arranging the snapshot

def _render(template: str, snapshot: dict, item_arg, stage_arg, *, mode: str = "board", submitted=None):
    return render_template(template, **page_context(snapshot, item_arg, stage_arg, mode=mode, submitted=submitted))


def page_context(snapshot: dict, item_arg, stage_arg, *, mode: str = "board", submitted=None,
                 neutral: bool = False, card_counts: dict | None = None) -> dict:
    """What the board's templates read. `neutral`: for no one in particular, every control rendered
    and marked with what it needs (see _macros.html), for the live updates everyone receives."""
    state, context = snapshot["state"], snapshot["context"]
    room = state["room"]["room"]
    items = sorted(state["item"].values(), key=lambda item: item["position"])
    ids = [item["id"] for item in items]
    room_item = room["current_item_id"] if room["current_item_id"] in ids else (ids[0] if ids else None)
    room_stage = room["current_stage"] if room["current_stage"] in STAGES else STAGES[0]

    view_item = _int(item_arg) if _int(item_arg) in ids else None
    view_stage = stage_arg if stage_arg in STAGES else None
    if view_item is None and view_stage is None:
        view_item, view_stage = room_item, room_stage
    elif view_item is None:
        view_item = room_item
    elif view_stage is None:
        view_stage = room_stage if view_item == room_item else STAGES[0]
    following = view_item == room_item and view_stage == room_stage and not neutral

    now = datetime.now(timezone.utc)
    members = {member["user_id"]: member for member in context["members"]}
    families = {int(key): {**family, **family_people(family["adults"])} for key, family in context["families"].items()}
    actions = {item["id"]: _actions_for(item, state) for item in items}
    live = room["status"] == "live"
    # Before the chair starts, a family's forms are drawn already, hidden until the room goes live
    # (data-shown-while="live"): starting the session shows them, drawing no family again.
    waiting = room["status"] == "scheduled"
    ready = live or waiting
    you = NO_ONE if neutral else snapshot["you"]
    perms = ALL_PERMISSIONS if neutral else set(snapshot["you"]["permissions"])

    cards_of: dict[int, list] = {}
    for card in state["card"].values():
        cards_of.setdefault(card["item_id"], []).append(card)

    def family_of(item: dict) -> dict:
        """One family's discussion, as _family.html and its regions read it."""
        decision = state["decision"].get(str(item["id"]))
        cards = cards_of.get(item["id"], [])
        places: dict = {}  # a stage's cards, or analysis's under one heading: ("analysis", heading)
        for card in cards:
            places.setdefault(card["stage"], []).append(card)
            if card["stage"] == "analysis":
                places.setdefault(("analysis", card["heading"]), []).append(card)
        counts = card_counts.get(item["id"]) if card_counts is not None else None
        if counts is None:
            counts = {stage: sum(1 for card in cards if card["stage"] == stage) for stage in STAGES}
        return {"fam": families[item["family_id"]], "acts": actions[item["id"]], "decision": decision,
                "signed": bool(decision and decision["signed_off"]), "live": live, "ready": ready, "waiting": waiting,
                "room_here": live and item["id"] == room_item, "places": places, "counts": counts}

    board = {
        "mode": mode,
        "neutral": neutral,
        "session_id": snapshot["session_id"],
        "agenda": items,
        "families": families,
        "members": members,
        "room": {**room, "item_id": room_item, "stage": room_stage},
        "view": {"item": view_item, "stage": view_stage, "following": following},
        "next": _next_move(room, ids, families, {i["id"]: i for i in items}),
        "timer": _timer(state["item"].get(str(room_item)), room, now),
        "actions": actions,
        "family_of": family_of,
        "perms": perms,
        "edit_any": "edit_any_card" in perms,
        "presence": [] if neutral else presence_list(snapshot["session_id"]),
        "amendable": AMENDABLE_FIELDS,
        "stage_numbers": {stage: number for number, stage in enumerate(STAGES, start=1)},
        "change_urls": ChangeUrls(snapshot["session_id"]),
        "stages_of_change": StageOfChange.choices(),
    }
    result = dict(snap=snapshot, state=state, ctx=context, you=you, b=board, submitted=submitted,
                  f=FormState(submitted), new_change_id=_change_ids())
    if neutral:
        # No token and no change id in what everyone receives: the script sends changes itself.
        result.update(csrf_token=lambda: "", new_change_id=lambda: "")
        return result
    data = {key: snapshot[key] for key in ("session_id", "last_seq", "state", "context", "you")}
    data.update(mode=mode, view=board["view"], server_now=now.isoformat(), changes=board_service.for_browser(),
                plain_language=plain_language.for_browser(context["session"]["team_id"]),
                urls={"board": url_for(".show", session_id=snapshot["session_id"]),
                      "present": url_for(".present", session_id=snapshot["session_id"])})
    result["board_data"] = data
    token = generate_csrf()  # the same for every form on the page: read from the session once
    result["csrf_token"] = lambda: token
    return result


def _change_ids():
    """A fresh client_change_id for each form on a page: one random part per page, then a count."""
    page, count = uuid.uuid4().hex, itertools.count(1)
    return lambda: f"{page}-{next(count)}"


def family_people(adults: list[dict]) -> dict:
    """What a card reads of its family: the adult it is about, and the choice of adults to edit it."""
    return {"adult_map": {adult["id"]: adult for adult in adults},
            "adult_choices": [(adult["id"], f'{adult["first_name"]} ({adult["relationship"]})') for adult in adults]}


def card_context(session_id: int) -> dict:
    """What a card's template reads when it is rendered alone, for no one in particular (a live
    update): no snapshot, as a card carries everything it shows but its family's adults."""
    return dict(state={"decision": {}}, you=NO_ONE, f=FormState(None), csrf_token=lambda: "",
                new_change_id=lambda: "",
                b={"neutral": True, "session_id": session_id, "room": {"status": "live"}, "perms": ALL_PERMISSIONS,
                   "edit_any": True, "view": {"following": False}, "change_urls": ChangeUrls(session_id),
                   "stages_of_change": StageOfChange.choices(), "amendable": AMENDABLE_FIELDS})


class ChangeUrls(dict):
    """Where each board form posts, and each card's own page, worked out once per page rather than once per form."""

    def __init__(self, session_id: int):
        super().__init__()
        self.session_id = session_id
        self._card_page = ""

    def card(self, card_id: int) -> str:
        """A card's own page (its "Change or remove" link): the route worked out once per page."""
        if not self._card_page:
            self._card_page = url_for("board.card", session_id=self.session_id, card_id=0)[:-1]
        return f"{self._card_page}{int(card_id)}"

    def __missing__(self, change_type: str) -> str:
        url = self[change_type] = url_for("board.change", session_id=self.session_id, change_type=change_type)
        return url


@bp.app_template_global()
def options(choices, chosen, blank: str | None = None) -> Markup:
    """A select's options, `chosen` selected (compared as text), after a `blank` first one if given."""
    chosen = "" if chosen is None else str(chosen)
    rows = [("", blank)] if blank else []
    rows.extend(choices)
    return Markup("".join(
        f'\n    <option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>{escape(text)}</option>'
        for value, text in rows))


@bp.app_template_global()
def card_list_id(item_id: int, stage: str, heading: str | None = None) -> str:
    """The id of a list of cards on the board, which a card added live names as its place."""
    return f"cards-{item_id}-{stage}" + (f"-{heading}" if heading else "")


@bp.app_template_global()
def add_form_id(item_id: int, stage: str, heading: str | None = None) -> str:
    """The id of the form that adds a card to a stage (or to one of analysis's headings)."""
    return f"add-{item_id}-{heading or stage}"


def action_list(status: str) -> str:
    """Which of a family's lists an action with this status is in: agreed (open, done or not
    done), proposed or dropped."""
    return status if status in ("proposed", "dropped") else "agreed"


@bp.app_template_global()
def action_list_id(item_id: int, status: str) -> str:
    """The id of the list an action with this status is in; an action changed live names it as its place."""
    return f"actions-{item_id}-{action_list(status)}"


class FormState:
    """What the person typed into the form that was refused, so the page can give it back to them."""

    def __init__(self, submitted: dict | None):
        self.submitted = submitted or {}
        self.form = self.submitted.get("form") or None  # the id of the form that was refused, if any

    def here(self, form_id: str) -> bool:
        return bool(self.submitted) and self.submitted["form"] == form_id

    def value(self, form_id: str, field: str, default=""):
        if self.here(form_id) and field in self.submitted["data"]:
            return self.submitted["data"][field]
        return "" if default is None else default

    def error(self, form_id: str, field: str) -> dict | None:
        if self.here(form_id) and field in self.submitted["fields"]:
            return {"text": self.submitted["fields"][field]}
        return None

    def version(self, form_id: str, default):
        """After a conflict the form carries the current version: saving again is then a choice made
        with both texts in view. Otherwise it keeps the version the person started from."""
        if self.conflict(form_id):
            return self.submitted["current"].get("version", default)
        return self.value(form_id, "version", default)

    def conflict(self, form_id: str) -> dict | None:
        return self.submitted.get("current") if self.here(form_id) else None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _next_move(room: dict, ids: list[int], families: dict, items: dict) -> dict | None:
    """What the chair's Next button does, in words."""
    if room["status"] != "live" or room["current_item_id"] not in ids:
        return None
    target = next_position(room["current_stage"], ids, room["current_item_id"])
    if target is None:
        return None
    item_id, stage = target
    if item_id == room["current_item_id"]:
        return {"label": f"Next: {Stage(stage).label}"}
    return {"label": f"Next family: {families[items[item_id]['family_id']]['name']}"}


def _timer(item: dict | None, room: dict, now: datetime) -> dict | None:
    """Minutes used and allowed for the family the room is on (from when the room reached it)."""
    if item is None or room["status"] != "live" or not item["started_at"]:
        return None
    elapsed = max(0, int((now - from_iso(item["started_at"])).total_seconds() // 60))
    return {"elapsed": elapsed, "allowed": item["minutes_allowed"], "over": max(0, elapsed - item["minutes_allowed"])}


def _actions_for(item: dict, state: dict) -> dict:
    """One family's actions: last time's (to review), agreed now, carried forward, proposed, dropped."""
    reviews = {r["action_id"]: r["outcome"] for r in state["review"].values() if r["item_id"] == item["id"]}
    family_actions = [a for a in state["action"].values() if a["family_id"] == item["family_id"]]
    previous = [a for a in family_actions
                if a["item_id"] != item["id"] and (a["status"] == "open" or a["id"] in reviews)]
    here = [a for a in family_actions if a["item_id"] == item["id"]]
    return {
        "previous": previous,
        "reviews": reviews,
        "agreed": [a for a in here if action_list(a["status"]) == "agreed"],
        "carried": [a for a in previous if reviews.get(a["id"]) == "carried_forward"],
        "proposed": [a for a in here if action_list(a["status"]) == "proposed"],
        "dropped": [a for a in here if action_list(a["status"]) == "dropped"],
        "unreviewed": sum(1 for a in previous if a["id"] not in reviews),
    }
