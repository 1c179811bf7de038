"""Plain-language prompts on pages without JavaScript: found in what a form sent, shown beside its field.

A board form post redirects back to the board, so the prompts found in what it sent are kept in
the person's session until that page is drawn; a refused post draws the page at once. Each
prompt is shown beside the field it was found in (its id is the form's id and the field's name).
"""
from __future__ import annotations

from flask import g, render_template, session
from markupsafe import Markup

from ..extensions import db
from ..services import plain_language
from ..store.models import SupervisionSession

KEY = "wording_prompts"
FIELDS = ("text", "decision_text", "rationale", "reason")
MAX_PER_FIELD = 6
MAX_FOUND = 60


def team_of_session(session_id: int) -> int | None:
    return db.session.scalar(db.select(SupervisionSession.team_id).where(SupervisionSession.id == session_id))


def _found_keys(team_id: int | None, form_id: str, data: dict, fields) -> dict[str, list[list[str]]]:
    """{field id: [[phrase key, the words as typed], ...]}: small enough to keep in a session cookie."""
    if team_id is None or not form_id:
        return {}
    found = {}
    for name in fields:
        text = data.get(name)
        if isinstance(text, str) and text:
            standing = plain_language.prompts_in(team_id, [text])[:MAX_PER_FIELD]
            if standing:
                found[f"{form_id}-{name}"[:120]] = [[p.key, p.found[:MAX_FOUND]] for p in standing]
    return found


def _shown(team_id: int, found: dict) -> dict[str, list[dict]]:
    """The prompts to draw, from the keys found: the team's list says why and what instead."""
    phrases = {phrase.key: phrase for phrase in plain_language.phrases_for_team(team_id).phrases}
    return {field_id: [{"found": words, "label": phrases[key].label, "kind": phrases[key].kind_label,
                        "why": phrases[key].why, "instead": phrases[key].instead}
                       for key, words in prompts if key in phrases]
            for field_id, prompts in found.items()}


def found(team_id: int | None, form_id: str, data: dict, fields=FIELDS) -> dict[str, list[dict]]:
    """{field id: [prompt, ...]} for the listed phrases in the form's writing fields."""
    return _shown(team_id, _found_keys(team_id, form_id, data, fields)) if team_id is not None else {}


def find_in_form(team_id: int | None, form_id: str, data: dict, *, now: bool = False) -> None:
    """Prompts for what a form sent: drawn on this page (`now`), or kept for the page it redirects to."""
    keys = _found_keys(team_id, form_id, data, FIELDS)
    if not keys:
        return
    if now:
        g.wording_prompts = _shown(team_id, keys)
    else:
        session[KEY] = keys


def show_after_post(team_id: int) -> None:
    """On the page a post redirected to: take the prompts kept for it (once)."""
    keys = session.pop(KEY, None)
    if keys and isinstance(keys, dict):
        g.wording_prompts = _shown(team_id, keys)


def prompts_beside(field_id: str, prompts: list[dict] | None = None) -> Markup:
    """The prompts for one field, for its template; nothing when there are none."""
    if prompts is None:
        prompts = (g.get("wording_prompts") or {}).get(field_id) if g else None
    if not prompts:
        return Markup("")
    return Markup(render_template("views/plain_language/_prompts.html", field_id=field_id, prompts=prompts))


def register(app) -> None:
    app.add_template_global(prompts_beside, "wording_prompts_beside")
