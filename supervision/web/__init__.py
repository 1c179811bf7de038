"""HTTP side: blueprints, sign-in, the idle timeout, error pages and security headers."""
from __future__ import annotations

from flask import Flask, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.routing import IntegerConverter

from ..domain import fields
from ..domain.errors import DomainError, NotFound, Refused
from ..extensions import db, login_manager
from ..services import sign_ins
from ..store.models import User
from .. import auditing
from . import filters, health, metrics, wording_prompts
from .context import inject_team


PUBLIC_ENDPOINTS = {"auth.sign_in", "static", None, "password.set_password", "single_sign_on.start",
                    "single_sign_on.callback"}
PUBLIC_ENDPOINTS |= health.ENDPOINTS | metrics.ENDPOINTS  # metrics: a token or this machine only


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: an id too big for the database is a page that does not exist (404), not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=fields.MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def register_web(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .exports import bp as exports_bp
    from .families import bp as families_bp
    from .home import bp as home_bp
    from .sessions import bp as sessions_bp
    from .board import bp as board_bp
    from .team_audit import bp as team_audit_bp
    from .administration import bp as administration_bp
    from .password import bp as password_bp
    from .people import bp as people_bp
    from .team import bp as team_bp
    from . import single_sign_on
    from .plain_language import bp as plain_language_bp
    from .letters import bp as letters_bp

    for bp in (auth_bp, api_bp, home_bp, families_bp, sessions_bp, board_bp, exports_bp, team_audit_bp,
               people_bp, password_bp, administration_bp, single_sign_on.bp, team_bp):
        app.register_blueprint(bp)
    single_sign_on.install(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(plain_language_bp)
    app.register_blueprint(letters_bp)
    filters.register(app)
    wording_prompts.register(app)
    app.context_processor(inject_team)

    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The person whose sign-in the cookie names, while that sign-in is alive on the server."""
        check = sign_ins.alive(session.get("sign_in"), user_id, app.config["SESSION_IDLE_TIMEOUT"])
        g.sign_in_id, g.sign_in_ended = check.sign_in_id, check.ended_reason
        return check.user

    @app.before_request
    def require_sign_in():
        """Every page but sign-in needs a signed-in person, whatever its view remembers to check."""
        if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
            return None
        if g.get("sign_in_ended") == sign_ins.Ended.IDLE:
            session.clear()
            minutes = int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds() // 60)
            flash(f"You were signed out after {minutes} minutes without activity.", "info")
            return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
        return login_manager.unauthorized()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self' ws: wss:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(NotFound)
    @app.errorhandler(404)
    def not_found(error):
        auditing.refused("not_found", 404)
        return render_template("views/errors/not_found.html"), 404

    @app.errorhandler(Refused)
    @app.errorhandler(403)
    def forbidden(error):
        message = getattr(error, "message", None) or "You do not have permission to do that."
        auditing.refused("forbidden", 403, message)
        return render_template("views/errors/forbidden.html", message=message), 403

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        auditing.refused("csrf", 400, error.description)
        return render_template("views/errors/csrf.html"), 400

    @app.errorhandler(429)
    def too_many(error):
        auditing.refused("rate_limited", 429)
        return render_template("views/errors/too_many.html"), 429

    @app.errorhandler(413)
    def too_large(error):
        return render_template("views/errors/too_large.html"), 413

    @app.errorhandler(500)
    def server_error(error):
        """The same page style as the others; if even that cannot be drawn (the database is down), plain text."""
        db.session.rollback()
        try:
            return render_template("views/errors/server_error.html"), 500
        except Exception:
            return ("Sorry, there is a problem with the service. Go back and check whether what you were "
                    "doing was saved."), 500, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(DomainError)
    def domain_error(error):
        return render_template("views/errors/forbidden.html", message=error.message), 400
