"""The authority-wide administrator's pages: teams, roles and specialisms as data."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..domain.errors import Invalid, NotFound
from ..domain.vocabulary import RoleKind
from ..extensions import db
from ..services import audit, authority, people
from ..store.models import Role, Specialism
from .forms import show_errors
from .people_forms import LabelForm, RoleForm, TeamForm

bp = Blueprint("administration", __name__)


def _page(team_form=None, role_form=None, specialism_form=None, status=200):
    authority.require_administrator(current_user.id)
    return render_template("views/administration/index.html", teams=authority.teams(), roles=people.roles(),
                           specialisms=people.specialisms(), held=authority.people_count_by_role(),
                           kind_label=RoleKind.label_of, team_form=team_form or TeamForm(prefix="team"),
                           role_form=role_form or RoleForm(prefix="role"),
                           specialism_form=specialism_form or LabelForm(prefix="specialism")), status


@bp.get("/admin")
@login_required
def index():
    page = _page()
    audit.record_alone("administration.viewed", current_user)
    return page


def _added(form, add, what: str, **forms):
    if form.validate_on_submit():
        try:
            made = add(form)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(f"{what} ‘{made}’ has been added.", "success")
            return redirect(url_for(".index"))
    return _page(**forms, status=400)


@bp.post("/admin/teams")
@login_required
def add_team():
    authority.require_administrator(current_user.id)
    form = TeamForm(prefix="team")
    return _added(form, lambda f: authority.add_team(current_user.id, f.name.data).name, "The team", team_form=form)


@bp.post("/admin/roles")
@login_required
def add_role():
    authority.require_administrator(current_user.id)
    form = RoleForm(prefix="role")
    return _added(form, lambda f: authority.add_role(current_user.id, f.label.data, f.kind.data).label, "The role",
                  role_form=form)


@bp.post("/admin/specialisms")
@login_required
def add_specialism():
    authority.require_administrator(current_user.id)
    form = LabelForm(prefix="specialism")
    return _added(form, lambda f: authority.add_specialism(current_user.id, f.label.data).label,
                  "The specialism", specialism_form=form)


@bp.route("/admin/roles/<int:role_id>", methods=["GET", "POST"])
@login_required
def rename_role(role_id: int):
    return _rename(Role, role_id, authority.rename_role, "role")


@bp.route("/admin/specialisms/<int:specialism_id>", methods=["GET", "POST"])
@login_required
def rename_specialism(specialism_id: int):
    return _rename(Specialism, specialism_id, authority.rename_specialism, "specialism")


def _rename(model, item_id: int, rename, what: str):
    authority.require_administrator(current_user.id)
    item = db.session.get(model, item_id)
    if item is None:
        raise NotFound(f"That {what}")
    form = LabelForm(data={"label": item.label})
    if form.validate_on_submit():
        try:
            rename(current_user.id, item_id, form.label.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(f"The {what} has been renamed.", "success")
            return redirect(url_for(".index"))
    return render_template("views/administration/rename.html", form=form, item=item, what=what), \
        400 if form.errors else 200
