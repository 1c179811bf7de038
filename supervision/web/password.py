"""Setting a local password with a one-time link a manager gave (no sign-in needed: the link is the proof)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for

from ..domain.errors import Invalid
from ..extensions import limiter
from ..services import audit, password_links
from .forms import show_errors
from .people_forms import SetPasswordForm

bp = Blueprint("password", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT"]


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, deduct_when=_failed, methods=["POST"])
def set_password(token: str):
    user = password_links.person_for(token) if current_app.config.get("LOCAL_PASSWORDS", True) else None
    if user is None:
        audit.record_alone("password_link.refused", None, details={"path": "/set-password/…"})
        return _no_store(render_template("views/auth/password_link_spent.html"), 404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            done = password_links.use(token, form.password.data)
        except Invalid as error:
            show_errors(form, error)
        else:
            if done is None:
                return _no_store(render_template("views/auth/password_link_spent.html"), 404)
            flash("Your password has been set. Sign in with it now.", "success")
            return redirect(url_for("auth.sign_in"))
    return _no_store(render_template("views/auth/set_password.html", form=form, person=user),
                     400 if form.errors else 200)


def _no_store(body: str, status: int):
    return body, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


