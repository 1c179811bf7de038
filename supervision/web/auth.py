"""Sign in and sign out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..services import accounts
from .. import auditing
from .forms import EmptyForm, SignInForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only ever redirect within this site after sign-in."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home.index")


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT"]


def _failed(response) -> bool:
    return response.status_code != 302


def _username_key() -> str:
    return "sign-in:" + request.form.get("username", "").strip().lower()


# Only failed attempts count: per address, and per username so one account cannot be guessed at from many.
@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_sign_in_limit, methods=["POST"], deduct_when=_failed, key_func=_username_key)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            auditing.signed_in(user)
            return redirect(_safe_next(request.args.get("next")))
        error = "The username or password is not right."
        auditing.sign_in_failed(form.username.data)
    status = 200 if request.method == "GET" or (not error and not form.errors) else 400
    return render_template("views/auth/sign_in.html", form=form, error=error), status


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    form = EmptyForm()
    if form.validate_on_submit():
        auditing.signed_out()
        logout_user()
        session.clear()
        flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
