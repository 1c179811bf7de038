"""Team home: today's and upcoming sessions, recent ones, and when each family was last discussed."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..domain.permissions import Permission
from ..services import families, my_work, session_setup, team_picture
from .context import current_actor, current_memberships
from .figures import today, twelve_months_html

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    if current_user.is_administrator and not current_memberships():
        return redirect(url_for("administration.index"))
    actor = current_actor()
    day = today()
    picture = twelve_months = None
    if actor.can(Permission.VIEW_TEAM_PICTURE):
        picture = team_picture.team_picture(actor, day)
        twelve_months = twelve_months_html(picture.plans, picture.outcomes)
    return render_template(
        "views/home/index.html",
        sessions=session_setup.team_sessions(actor),
        families=families.team_families(actor, order="last_discussed"),
        work=my_work.my_work(actor, day, picture), picture=picture, twelve_months=twelve_months, today=day,
    )
