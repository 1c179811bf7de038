"""A team's people, for its manager or an administrator: add, change, close and reopen, password links.

A team that is not the signed-in person's to manage answers like a missing page (services/people.py).
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import auditing
from ..domain.errors import Invalid
from ..services import audit, password_links, people
from .context import current_actor, current_memberships
from .forms import EmptyForm, show_errors
from .people_forms import PersonForm

bp = Blueprint("people", __name__)


def _steward(team_id: int) -> people.Steward:
    return people.steward_for(current_user.id, team_id)


@bp.get("/people")
@login_required
def mine():
    """The people of the team the signed-in person is working in (or, for an administrator of no team, every team)."""
    if not current_memberships() and people.is_administrator(current_user.id):
        return redirect(url_for("administration.index"))
    return redirect(url_for(".index", team_id=current_actor().team_id))


@bp.get("/teams/<int:team_id>/people")
@login_required
def index(team_id: int):
    steward = _steward(team_id)
    page = render_template("views/people/index.html", team=people.team(team_id), rows=people.people_in(team_id),
                           steward=steward)
    auditing.team_row("people.listed", team_id)
    return page


def _form_page(team_id: int, form: PersonForm, membership=None, status: int = 200):
    return render_template("views/people/form.html", team=people.team(team_id), form=form, membership=membership,
                           button=EmptyForm(), local_passwords=_local_passwords()), status


def _local_passwords() -> bool:
    return current_app.config.get("LOCAL_PASSWORDS", True)


@bp.route("/teams/<int:team_id>/people/new", methods=["GET", "POST"])
@login_required
def create(team_id: int):
    steward = _steward(team_id)
    form = PersonForm().offer(people.roles(), people.specialisms())
    if form.validate_on_submit():
        try:
            user = people.add(steward, form.details())
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(f"{user.display_name} has been added to the team.", "success")
            return redirect(url_for(".edit", team_id=team_id, user_id=user.id))
    return _form_page(team_id, form, status=400 if form.errors else 200)


@bp.route("/teams/<int:team_id>/people/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit(team_id: int, user_id: int):
    steward = _steward(team_id)
    membership = people.person_in(steward, user_id)
    if not _posted():
        audit.record_alone("person.viewed", steward, team_id=team_id, details={"user_id": user_id})
    form = (PersonForm() if _posted() else PersonForm.for_person(membership)).offer(people.roles(),
                                                                                    people.specialisms())
    if form.validate_on_submit():
        try:
            people.change(steward, user_id, form.details())
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(f"{membership.user.display_name}'s details have been saved.", "success")
            return redirect(url_for(".index", team_id=team_id))
    return _form_page(team_id, form, membership, status=400 if form.errors else 200)


def _posted() -> bool:
    return request.method == "POST"


@bp.post("/teams/<int:team_id>/people/<int:user_id>/close")
@login_required
def close(team_id: int, user_id: int):
    return _set_active(team_id, user_id, False)


@bp.post("/teams/<int:team_id>/people/<int:user_id>/reopen")
@login_required
def reopen(team_id: int, user_id: int):
    return _set_active(team_id, user_id, True)


def _set_active(team_id: int, user_id: int, active: bool):
    steward = _steward(team_id)
    if EmptyForm().validate_on_submit():
        user = people.set_active(steward, user_id, active)
        flash(f"{user.display_name} can now sign in again." if active else
              f"{user.display_name}'s account is closed. They have been signed out everywhere.", "success")
    return redirect(url_for(".edit", team_id=team_id, user_id=user_id))


@bp.post("/teams/<int:team_id>/people/<int:user_id>/password-link")
@login_required
def password_link(team_id: int, user_id: int):
    steward = _steward(team_id)
    membership = people.person_in(steward, user_id)
    if not _local_passwords() or not EmptyForm().validate_on_submit():
        return redirect(url_for(".edit", team_id=team_id, user_id=user_id))
    try:
        token, expires_at = password_links.issue(steward, user_id)
    except Invalid as error:
        flash(error.message, "info")
        return redirect(url_for(".edit", team_id=team_id, user_id=user_id))
    return render_template("views/people/password_link.html", team=people.team(team_id), membership=membership,
                           link=url_for("password.set_password", token=token, _external=True),
                           expires_at=expires_at)
