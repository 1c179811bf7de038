"""Family pages: the team's list, one family with its discussion history, and the add/change form."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..domain.errors import Invalid
from ..services import families, timeline
from ..services.scope import family_for
from ..auditing import audited, family_accesses
from .context import current_actor
from .figures import plan_chart, stage_chart, today
from .forms import FamilyForm, show_errors

bp = Blueprint("families", __name__)

ADD_ROW_BUTTONS = {"add_child": "children", "add_adult": "adults"}


@bp.route("/families")
@login_required
def index():
    return render_template("views/families/index.html", rows=families.team_families(current_actor()))


@bp.route("/families/<int:family_id>")
@login_required
@audited("family.viewed", family_id="family_id")
def show(family_id: int):
    family, actor = family_for(current_user.id, family_id)
    day = today()
    path = timeline.family_timeline(family, day)
    return render_template("views/families/show.html", family=family, actor=actor,
                           history=families.family_history(family), accesses=family_accesses(actor, family),
                           timeline=path, plan_chart=plan_chart(family.display_name, path, day),
                           stage_chart=stage_chart(family.display_name, path, day))


@bp.route("/families/new", methods=["GET", "POST"])
@login_required
def create():
    actor = current_actor()
    options = families.form_options(actor)
    form = FamilyForm().offer(options)
    if _adding_row(form):
        return _render(form, None)
    if form.validate_on_submit():
        try:
            family = families.create_family(actor, form.details())
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(f"{family.display_name} has been added.", "success")
            return redirect(url_for(".show", family_id=family.id))
    return _render(form, None)


@bp.route("/families/<int:family_id>/edit", methods=["GET", "POST"])
@login_required
def edit(family_id: int):
    family, _, options = families.family_to_edit(current_user.id, family_id)
    form = FamilyForm() if request.method == "POST" else FamilyForm.for_family(family)
    form.offer(options, current_worker=family.social_worker)
    if _adding_row(form):
        return _render(form, family)
    if form.validate_on_submit():
        try:
            families.update_family(current_user.id, family_id, form.details())
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(f"The changes to {family.display_name} have been saved.", "success")
            return redirect(url_for(".show", family_id=family_id))
    return _render(form, family)


def _adding_row(form: FamilyForm) -> bool:
    """'Add another child/adult' posts the form back with one more empty row; nothing is saved."""
    button = next((name for name in ADD_ROW_BUTTONS if name in request.form), None)
    if request.method != "POST" or button is None:
        return False
    form.add_row(ADD_ROW_BUTTONS[button])
    return True


def _render(form: FamilyForm, family):
    status = 400 if form.errors else 200
    return render_template("views/families/form.html", form=form, family=family), status
