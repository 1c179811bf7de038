"""The team's plain-language list, for the team manager: switch listed phrases off or on, add the team's own.

The list itself and its rules are in domain/plain_language.py and services/plain_language.py;
every change is audited.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField

from .. import auditing
from ..domain.errors import Invalid
from ..domain.permissions import Permission
from ..services import plain_language
from .context import current_actor

bp = Blueprint("plain_language", __name__)


class OwnPhraseForm(FlaskForm):
    forms = TextAreaField("The phrase")
    kind = SelectField("What kind of phrase it is")
    why = TextAreaField("Why it is worth another look")
    instead = TextAreaField("What to say instead")


def _page(form: OwnPhraseForm, status: int = 200):
    actor = current_actor()
    listing = plain_language.team_list(actor)
    return render_template("views/plain_language/index.html", listing=listing, form=form), status


def _form() -> OwnPhraseForm:
    form = OwnPhraseForm()
    form.kind.choices = [("", "Choose a kind")] + plain_language.team_list(current_actor()).kinds
    return form


@bp.get("/team/plain-language")
@login_required
def index():
    actor = current_actor()
    actor.require(Permission.MANAGE_PLAIN_LANGUAGE)
    auditing.team_row("plain_language.viewed", actor.team_id)
    return _page(_form())


@bp.post("/team/plain-language/listed")
@login_required
def switch():
    actor = current_actor()
    key, on = request.form.get("key", ""), request.form.get("on") == "1"
    phrase = plain_language.switch(actor, key, on)
    auditing.team_row("plain_language.switched_on" if on else "plain_language.switched_off", actor.team_id,
                      phrase=phrase.key)
    flash(f"“{phrase.label}” is {'back on' if on else 'switched off'} for your team.", "success")
    return redirect(url_for(".index", _anchor=f"listed-{phrase.key}"))


@bp.post("/team/plain-language/own")
@login_required
def add():
    actor = current_actor()
    form = _form()
    form.validate()  # the token (CSRFProtect has checked it already); the fields are checked by the service
    try:
        phrase = plain_language.add_own(actor, form.forms.data or "", form.kind.data or "", form.why.data or "",
                                        form.instead.data or "")
    except Invalid as error:
        for name, message in error.fields.items():
            getattr(form, name).errors = [message]
        return _page(form, 400)
    auditing.team_row("plain_language.added", actor.team_id, phrase=phrase.label)
    flash(f"“{phrase.label}” is on your team's list.", "success")
    return redirect(url_for(".index", _anchor="own-heading"))


@bp.post("/team/plain-language/own/<int:own_id>/remove")
@login_required
def remove(own_id: int):
    actor = current_actor()
    phrase = plain_language.remove_own(actor, own_id)
    auditing.team_row("plain_language.removed", actor.team_id, phrase=phrase.label)
    flash(f"“{phrase.label}” is off your team's list.", "success")
    return redirect(url_for(".index", _anchor="own-heading"))


@bp.app_template_global("plain_language_standing")
def standing(session) -> list[plain_language.Standing]:
    """For the exports panel (templates/views/exports/_panel.html), shown only to those who may export."""
    return plain_language.standing_before_export(session)
