"""Which team the signed-in person is working in (a person may belong to more than one)."""
from __future__ import annotations

from flask import abort, g, session
from flask_login import current_user

from ..services import accounts
from ..services.scope import Actor


def current_memberships():
    if "memberships" not in g:
        g.memberships = accounts.memberships_of(current_user.id) if current_user.is_authenticated else []
    return g.memberships


def current_actor() -> Actor:
    """The signed-in person in the team chosen in their session (their first team by default)."""
    memberships = current_memberships()
    if not memberships:
        abort(403)
    chosen = session.get("team_id")
    membership = next((m for m in memberships if m.team_id == chosen), memberships[0])
    return Actor.of(membership)


def inject_team() -> dict:
    memberships = current_memberships()
    if not memberships:
        return {"current_team": None, "current_actor": None}
    actor = current_actor()
    team = next(m.team for m in memberships if m.team_id == actor.team_id)
    return {"current_team": team, "current_actor": actor}
