"""HTTP side: blueprints, sign-in, the idle timeout, error pages and security headers."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

from ..domain.errors import DomainError, NotFound, Refused
from ..extensions import db, login_manager
from ..store.models import User
from .. import auditing
from . import filters
from .context import inject_team


PUBLIC_ENDPOINTS = {"auth.sign_in", "static", None}


def register_web(app: Flask) -> None:
    from .auth import bp as auth_bp
    from .exports import bp as exports_bp
    from .families import bp as families_bp
    from .home import bp as home_bp
    from .sessions import bp as sessions_bp
    from .board import bp as board_bp
    from .team_audit import bp as team_audit_bp

    for bp in (auth_bp, home_bp, families_bp, sessions_bp, board_bp, exports_bp, team_audit_bp):
        app.register_blueprint(bp)
    filters.register(app)
    app.context_processor(inject_team)

    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None

    @app.before_request
    def require_sign_in():
        """Every page but sign-in needs a signed-in person, whatever its view remembers to check."""
        if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
            return None
        return login_manager.unauthorized()

    @app.before_request
    def enforce_idle_timeout():
        """Sign out anyone idle for longer than SESSION_IDLE_TIMEOUT, checked on the server."""
        if not current_user.is_authenticated:
            return None
        now = datetime.now(timezone.utc)
        last_seen = session.get("last_seen")
        limit = app.config["SESSION_IDLE_TIMEOUT"]
        if last_seen is not None and now - datetime.fromtimestamp(last_seen, timezone.utc) > limit:
            logout_user()
            session.clear()
            flash(f"You were signed out after {int(limit.total_seconds() // 60)} minutes without activity.", "info")
            return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
        session.permanent = True
        session["last_seen"] = now.timestamp()
        return None

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

    @app.errorhandler(DomainError)
    def domain_error(error):
        return render_template("views/errors/forbidden.html", message=error.message), 400
