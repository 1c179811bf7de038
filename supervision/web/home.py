"""Team home: today's and upcoming sessions, recent ones, and when each family was last discussed."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..services import families, session_setup
from .context import current_actor, current_memberships

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    if current_user.is_administrator and not current_memberships():
        return redirect(url_for("administration.index"))
    actor = current_actor()
    return render_template(
        "views/home/index.html",
        sessions=session_setup.team_sessions(actor),
        families=families.team_families(actor, order="last_discussed"),
    )
