"""The team's figures as CSV downloads, and how often the team discusses families (set by the manager).

The figures on the team home and in these files come from one service call (services/team_picture),
itself reading the signed records, so a download and the page never disagree.
"""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import login_required

from .. import auditing
from ..domain.audit import spreadsheet_safe
from ..domain.errors import Invalid
from ..services import cadence, team_picture
from .context import current_actor
from .figures import today
from .forms import show_errors
from .team_forms import CADENCE_HINT, CadenceForm

bp = Blueprint("team", __name__)

DOWNLOADS = {"plans": "families-by-plan-level", "outcomes": "decisions-by-outcome"}


@bp.route("/team/families-by-plan-level.csv")
@login_required
def plans_csv():
    return _csv("plans")


@bp.route("/team/decisions-by-outcome.csv")
@login_required
def outcomes_csv():
    return _csv("outcomes")


def _csv(what: str):
    actor = current_actor()
    day = today()
    plans, outcomes = team_picture.figures(actor, day)
    figures = plans if what == "plans" else outcomes
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(figures.header)
    for row in figures.rows():
        writer.writerow([spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row])
    auditing.team_row("team.figures.downloaded", actor.team_id, figures=DOWNLOADS[what])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{DOWNLOADS[what]}-{day.isoformat()}.csv"'})


@bp.route("/team/cadence", methods=["GET", "POST"])
@login_required
def cadence_page():
    actor = current_actor()
    weeks = cadence.cadence_to_change(actor)
    form = CadenceForm() if request.method == "POST" else CadenceForm.for_weeks(weeks)
    if form.validate_on_submit():
        try:
            cadence.set_cadence(actor, form.weeks())
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("How often families are discussed has been saved.", "success")
            return redirect(url_for("home.index"))
    return render_template("views/team/cadence.html", form=form, hint=CADENCE_HINT), 400 if form.errors else 200

