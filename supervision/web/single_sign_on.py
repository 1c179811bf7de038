"""Signing in through the council's OpenID Connect provider (Microsoft Entra ID, say), with Authlib.

The authorization code flow with PKCE (S256). Authlib keeps the state, nonce and code
verifier in the session, checks the state on the way back, exchanges the code, and checks
the ID token: its signature against the provider's published keys, its issuer (OIDC_ISSUER),
its audience (OIDC_CLIENT_ID), its expiry and its nonce. services/single_sign_on.py then
matches the person; nobody unknown or closed gets in, and every sign-in and refusal is an
audit row. Configured only by environment variables (config.py, docs/deployment.md).
"""
from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from joserfc.errors import ExpiredTokenError, JoseError
from requests import RequestException

from ..extensions import limiter
from ..services import audit, sign_ins
from ..services.single_sign_on import Refusal, match

bp = Blueprint("single_sign_on", __name__)

PROVIDER = "council"
NEXT = "single_sign_on_next"

PAGES = {
    Refusal.UNKNOWN: ("You cannot sign in to group supervision yet",
                      "Your council account is not linked to anyone in a team here. Ask your team manager to add "
                      "you, and give them the sign-in identity below."),
    Refusal.CLOSED: ("Your account has been closed",
                     "You cannot sign in to group supervision. Ask your team manager if you think this is wrong."),
    Refusal.NO_TEAM: ("You are not in a team yet",
                      "Your account is not in any team. Ask your team manager to add you to their team."),
    Refusal.NO_CLAIM: ("You cannot sign in to group supervision",
                       "The council's sign-in did not say who you are in the way this service expects. Tell your IT "
                       "service desk: the service is set up to read the claim named below."),
    Refusal.TOKEN: ("Sign-in could not be checked",
                    "The council's sign-in sent an answer this service could not trust, so you have not been "
                    "signed in. Try again. If it happens again, tell your IT service desk."),
    Refusal.PROVIDER: ("Sign-in did not finish",
                       "The council's sign-in did not sign you in. Try again. If it happens again, tell your IT "
                       "service desk."),
    Refusal.STATE: ("Sign-in did not finish",
                    "This sign-in was started in another tab or has already been used. Start again from the "
                    "sign-in page."),
}


def configured(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def install(app: Flask) -> None:
    """Register the provider with Authlib, once per app, when OIDC_ISSUER and OIDC_CLIENT_ID are set."""
    if not configured(app):
        return
    issuer = app.config["OIDC_ISSUER"].rstrip("/")
    oauth = OAuth(app)
    oauth.register(
        PROVIDER,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config.get("OIDC_CLIENT_SECRET"),
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": app.config["OIDC_SCOPES"], "code_challenge_method": "S256",
                       "default_timeout": 10},
    )
    app.extensions["supervision.single_sign_on"] = oauth


def _client():
    oauth = current_app.extensions.get("supervision.single_sign_on")
    if oauth is None:
        abort(404)
    return oauth.create_client(PROVIDER)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT"]


def _failed(response) -> bool:
    return response.status_code != 302


@bp.get("/sign-in/council")
def start():
    """Off to the provider, with a fresh state, nonce and PKCE challenge."""
    client = _client()
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    next_page = request.args.get("next")
    if next_page:
        session[NEXT] = next_page[:500]
    redirect_uri = current_app.config.get("OIDC_REDIRECT_URI") or url_for(".callback", _external=True)
    return client.authorize_redirect(redirect_uri)


@bp.get("/sign-in/council/callback")
@limiter.limit(_sign_in_limit, deduct_when=_failed)
def callback():
    client = _client()
    config = current_app.config
    try:
        token = client.authorize_access_token(claims_options={
            "iss": {"essential": True, "values": [config["OIDC_ISSUER"]]},
            "aud": {"essential": True, "values": [config["OIDC_CLIENT_ID"]]},
        }, leeway=config["OIDC_CLOCK_LEEWAY_SECONDS"])
    except JoseError as error:  # the ID token: signature, issuer, audience, expiry, nonce
        reason = "expired" if isinstance(error, ExpiredTokenError) else getattr(error, "claim", None) or error.error
        return _refused(Refusal.TOKEN, None, None, problem=str(reason))
    except AuthlibBaseError as error:
        kind = Refusal.STATE if error.error == "mismatching_state" else Refusal.PROVIDER
        return _refused(kind, None, None, problem=str(error.error)[:60])
    except RequestException:
        return _refused(Refusal.PROVIDER, None, None, problem="unreachable")
    claims = token.get("userinfo")
    if not claims:
        return _refused(Refusal.TOKEN, None, None, problem="no id_token")
    found = match(claims, config["OIDC_PERSON_CLAIM"])
    if found.refusal is not None:
        return _refused(found.refusal, found.user, found.identity)
    next_page = session.get(NEXT)
    session.clear()
    login_user(found.user)
    session["sign_in"] = sign_ins.start(found.user, request.remote_addr)
    audit.record_alone("sign_in", found.user, details={"via": "single sign-on"})
    from .auth import _safe_next

    return redirect(_safe_next(next_page))


def _refused(kind: str, user, identity: str | None, problem: str | None = None):
    session.pop(NEXT, None)
    details = {"reason": kind, "identity": identity}
    if problem:
        details["problem"] = problem
    audit.record_alone("sign_in.refused", user, details=details)
    title, text = PAGES[kind]
    return render_template("views/auth/sign_in_refused.html", title=title, text=text, identity=identity,
                           claim=current_app.config["OIDC_PERSON_CLAIM"], kind=kind,
                           show_claim=kind == Refusal.NO_CLAIM), 403
