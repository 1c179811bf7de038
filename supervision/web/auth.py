"""Sign in and sign out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from .. import auditing
from ..services import access, accounts, sign_ins
from . import known_browsers, single_sign_on
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


def _username() -> str:
    return request.form.get("username", "").strip().lower()[:80]


def _username_key() -> str:
    return "sign-in:" + _username()


def _from_known_browser() -> bool:
    return known_browsers.knows(request, _username())


# Only failed attempts count. Per address; and per username so that one account cannot be
# guessed at from many addresses. The per-username limit does not apply in a browser where
# that person has signed in before (known_browsers.py), so a stranger's guesses cannot lock
# the person out of their own computer.
@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_sign_in_limit, methods=["POST"], deduct_when=_failed, key_func=_username_key,
               exempt_when=_from_known_browser)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    error = None
    local = current_app.config.get("LOCAL_PASSWORDS", True)
    if not local and request.method == "POST":
        auditing.refused("forbidden", 403, "Local passwords are switched off")
        error = "Sign in with your council account."
    elif form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            session["sign_in"] = sign_ins.start(user, request.remote_addr)
            auditing.signed_in(user)
            response = redirect(_safe_next(request.args.get("next")))
            known_browsers.remember(request, response, user.username)
            return response
        error = "The username or password is not right."
        auditing.sign_in_failed(form.username.data)
    status = 200 if request.method == "GET" or (not error and not form.errors) else 400
    return render_template("views/auth/sign_in.html", form=form, error=error, local_passwords=local,
                           single_sign_on=single_sign_on.configured(),
                           provider_name=current_app.config.get("OIDC_PROVIDER_NAME"),
                           next_page=request.args.get("next")), status


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    form = EmptyForm()
    if form.validate_on_submit():
        auditing.signed_out()
        access.sign_ins_ended(sign_ins.end(session.get("sign_in")), sign_ins.Ended.SIGNED_OUT)
        logout_user()
        session.clear()
        flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET"])
@login_required
def account():
    """Who you are here, where you are signed in, and a way to sign out of all of it."""
    return render_template("views/auth/account.html", form=EmptyForm(),
                           sign_ins=sign_ins.open_for(current_user.id, current_app.config["SESSION_IDLE_TIMEOUT"]),
                           this_sign_in=g.get("sign_in_id"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    form = EmptyForm()
    if form.validate_on_submit():
        auditing.signed_out(everywhere=True)
        access.sign_ins_ended(sign_ins.end_all(current_user.id, sign_ins.Ended.SIGNED_OUT_EVERYWHERE),
                              sign_ins.Ended.SIGNED_OUT_EVERYWHERE)
        logout_user()
        session.clear()
        flash("You have signed out everywhere: on every computer and every open board.", "success")
    return redirect(url_for("auth.sign_in"))
