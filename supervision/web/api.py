"""JSON for clients other than the pages: what an integrator needs to find a board without reading HTML.

Signed in by the same cookie as the pages; bounded to the team the person is working in,
like the pages; every read is written to the audit trail.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, url_for
from flask_login import login_required

from .. import auditing
from ..services import session_setup
from ..services.session_setup import LONDON
from .context import current_actor

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/sessions/today")
@login_required
def sessions_today():
    """Today's sessions of the person's team (London date), earliest first, with their board's address."""
    actor = current_actor()
    today = session_setup.team_sessions(actor, recent_limit=0).today
    auditing.team_row("sessions.listed", actor.team_id, sessions=[s.id for s in today])
    return jsonify({"team_id": actor.team_id, "sessions": [{
        "session_id": s.id,
        "starts_at": s.starts_at.isoformat(),
        "date": s.starts_at.astimezone(LONDON).date().isoformat(),
        "status": s.status,
        "chair": s.chair.display_name,
        "families": len(s.agenda),
        "board": url_for("board.show", session_id=s.id),
    } for s in today]})
