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


def team_of_session(session_id: int) -> int | None:
    return db.session.scalar(db.select(SupervisionSession.team_id).where(SupervisionSession.id == session_id))


def found(team_id: int | None, form_id: str, data: dict, fields=FIELDS) -> dict[str, list[dict]]:
    """{field id: [prompt, ...]} for the listed phrases in the form's writing fields."""
    if team_id is None or not form_id:
        return {}
    prompts = {}
    for name in fields:
        text = data.get(name)
        if isinstance(text, str) and text:
            standing = plain_language.prompts_in(team_id, [text])
            if standing:
                prompts[f"{form_id}-{name}"[:120]] = [
                    {"found": p.found[:80], "label": p.phrase.label, "kind": p.phrase.kind_label,
                     "why": p.phrase.why, "instead": p.phrase.instead} for p in standing[:10]]
    return prompts


def find_in_form(team_id: int | None, form_id: str, data: dict, *, now: bool = False) -> None:
    prompts = found(team_id, form_id, data)
    if not prompts:
        return
    if now:
        g.wording_prompts = prompts
    else:
        session[KEY] = prompts


def show_after_post() -> None:
    """On the page a post redirected to: take the prompts kept for it (once)."""
    prompts = session.pop(KEY, None)
    if prompts:
        g.wording_prompts = prompts


def prompts_beside(field_id: str, prompts: list[dict] | None = None) -> Markup:
    """The prompts for one field, for its template; nothing when there are none."""
    if prompts is None:
        prompts = (g.get("wording_prompts") or {}).get(field_id) if g else None
    if not prompts:
        return Markup("")
    return Markup(render_template("views/plain_language/_prompts.html", field_id=field_id, prompts=prompts))


def register(app) -> None:
    app.add_template_global(prompts_beside, "wording_prompts_beside")
