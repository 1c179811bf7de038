"""Session pages: the list, one session's overview, and setting it up (details, agenda, attendance)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain.errors import Invalid
from ..services import planning, session_setup
from ..services.scope import session_for
from ..auditing import audited
from .context import current_actor
from .filters import date_and_time
from .forms import AgendaForm, AttendanceForm, SessionForm, show_errors
from .team_forms import DueFamiliesForm

bp = Blueprint("sessions", __name__)


@bp.route("/sessions")
@login_required
def index():
    return render_template("views/sessions/index.html",
                           sessions=session_setup.team_sessions(current_actor(), recent_limit=None))


@bp.route("/sessions/<int:session_id>")
@login_required
@audited("session.viewed", session_id="session_id")
def show(session_id: int):
    session, actor = session_for(current_user.id, session_id)
    board_url = (url_for("board.show", session_id=session.id)
                 if "board.show" in current_app.view_functions else None)
    return render_template("views/sessions/show.html", session=session, actor=actor, board_url=board_url)


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
def create():
    actor = current_actor()
    form = SessionForm().offer(session_setup.setup_options(actor))
    if form.validate_on_submit():
        try:
            session = session_setup.schedule_session(actor, form.details())
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(f"The session on {date_and_time(session.starts_at)} has been set up. "
                  "Now choose the families to discuss.", "success")
            return redirect(url_for(".agenda", session_id=session.id))
    return _render("views/sessions/form.html", form, session=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit(session_id: int):
    session, options = session_setup.details_to_change(current_user.id, session_id)
    form = SessionForm.for_session(session).offer(options)
    if form.validate_on_submit():
        try:
            session_setup.update_session(current_user.id, session_id, form.details())
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("The session details have been saved.", "success")
            return redirect(url_for(".show", session_id=session_id))
    return _render("views/sessions/form.html", form, session=session)


@bp.route("/sessions/<int:session_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda(session_id: int):
    session, families = session_setup.agenda_to_change(current_user.id, session_id)
    form = (AgendaForm() if request.method == "POST" else AgendaForm.for_session(session)).offer(families)
    if form.validate_on_submit():
        try:
            session_setup.set_agenda(current_user.id, session_id, form.entries(session.agenda))
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("The agenda has been saved.", "success")
            # After adding a family, stay here: people usually add several.
            target = ".agenda" if form.add_family.data is not None else ".show"
            return redirect(url_for(target, session_id=session_id))
    due = planning.suggestions(session)
    return _render("views/sessions/agenda.html", form, session=session, due=due,
                   due_form=DueFamiliesForm.all_chosen(due))


@bp.route("/sessions/<int:session_id>/agenda/due", methods=["GET", "POST"])
@login_required
def add_due(session_id: int):
    """One press puts the families due on the agenda, each with its suggested time. (GET: the agenda page.)"""
    session, _families = session_setup.agenda_to_change(current_user.id, session_id)
    form = DueFamiliesForm().offer(planning.suggestions(session))
    if request.method == "POST" and form.validate_on_submit():
        try:
            added = planning.add_due(current_user.id, session_id, form.chosen())
        except Invalid as error:
            flash(error.fields.get("due", error.message), "error")
        else:
            flash(f"Added to the agenda: {', '.join(f.display_name for f in added)}.", "success")
    return redirect(url_for(".agenda", session_id=session_id))


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(session_id: int):
    session, rows, roles = session_setup.attendance_to_change(current_user.id, session_id)
    form = (AttendanceForm() if request.method == "POST" else AttendanceForm.for_rows(rows)).offer(rows, roles)
    if form.validate_on_submit():
        try:
            session_setup.record_attendance(current_user.id, session_id, form.entries())
        except Invalid as error:
            show_errors(form, error)
        else:
            flash("Attendance has been saved.", "success")
            return redirect(url_for(".show", session_id=session_id))
    return _render("views/sessions/attendance.html", form, session=session)


def _render(template: str, form, **context):
    return render_template(template, form=form, **context), 400 if form.errors else 200
