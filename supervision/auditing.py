"""The audit trail's hooks on the HTTP and socket side: one call per place that needs a row.

The writer is wired here once (`install`); services/audit.py appends and reads. Views mark
themselves with `@audited(...)`; a row is written only after the view has produced its page,
so a refused request leaves a refusal row instead (written by the error handlers).
"""
from __future__ import annotations

import time
from functools import wraps

from flask import Flask, current_app, has_request_context, request
from flask_login import current_user

from . import metrics
from .domain.errors import DomainError
from .domain.permissions import Permission
from .services import audit

# The refused changes worth a row; `invalid` and `conflict` are ordinary mistakes, not refusals.
CHANGE_REFUSALS = {"forbidden": "refused.forbidden", "not_found": "refused.not_found",
                   "rate_limited": "refused.rate_limited", "unauthenticated": "refused.unauthenticated"}


def client_address() -> str | None:
    """The client's address: ProxyFix has already put the forwarded one here behind nginx."""
    return request.remote_addr if has_request_context() else None


def install(app: Flask) -> None:
    app.extensions["supervision.audit"] = audit.AuditWriter(
        client_address, board_changes=app.config.get("AUDIT_BOARD_CHANGES", True))


def _person():
    return current_user if current_user.is_authenticated else None


def audited(action: str, **ids: str):
    """Write `action` once the view has answered; `ids` maps family_id/session_id to the view's argument."""
    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            response = view(**kwargs)
            audit.record_alone(action, _person(), **{name: kwargs[argument] for name, argument in ids.items()})
            return response
        return wrapper
    return decorate


def audit_row(action: str, family_id: int | None, session_id: int | None, **details) -> None:
    """A row whose family and session come from what the view loaded (a record and its export)."""
    audit.record_alone(action, _person(), family_id=family_id, session_id=session_id, details=details)


def team_row(action: str, team_id: int, **details) -> None:
    """A row about the team as a whole (its list of today's sessions, say)."""
    audit.record_alone(action, _person(), team_id=team_id, details=details)


def family_accesses(actor, family) -> list | None:
    """For the family page: who has seen or exported its records; None for anyone but the manager."""
    if not actor.can(Permission.VIEW_AUDIT):
        return None
    return audit.family_accesses(family.team_id, family.id)


def signed_in(user) -> None:
    audit.record_alone("sign_in", user)


def sign_in_failed(username: str | None) -> None:
    """The name tried, never the password."""
    audit.record_alone("sign_in.failed", None, details={"username": (username or "").strip()[:80]})


def signed_out(everywhere: bool = False) -> None:
    audit.record_alone("sign_out.everywhere" if everywhere else "sign_out", _person())


REPORT_FLOODS_EVERY = 10.0


def first_in_a_while(key: str) -> bool:
    """For floods: true once per REPORT_FLOODS_EVERY seconds per key (a connection, an address),
    so a flood of refused requests writes a row now and then rather than a row per request."""
    last_reported = current_app.extensions.setdefault("supervision.audit_floods", {})
    now = time.monotonic()
    if now - last_reported.get(key, -REPORT_FLOODS_EVERY) < REPORT_FLOODS_EVERY:
        return False
    if len(last_reported) > 10_000:
        last_reported.clear()
    last_reported[key] = now
    return True


def refused(kind: str, status: int, message: str | None = None) -> None:
    """A refused HTTP request. Pages not found are recorded for signed-in people only, so
    strangers scanning for addresses cannot fill the trail."""
    metrics.refused(kind, "http")
    if kind == "not_found" and not current_user.is_authenticated:
        return
    if kind == "rate_limited" and not first_in_a_while(f"http:{request.remote_addr}"):
        return
    details = {"method": request.method, "path": request.path[:200], "status": status}
    if message:
        details["reason"] = message
    audit.record_alone(f"refused.{kind}", _person(), details=details)


def refused_change(error: DomainError) -> None:
    """A socket event or board form post the service refused: which event or address, and why."""
    action = CHANGE_REFUSALS.get(error.code)
    if action is None:
        return
    event = getattr(request, "event", None)
    if event is None:  # a form post
        details = {"method": request.method, "path": request.path[:200]}
    else:
        args = event.get("args") or ()
        payload = args[0] if args and isinstance(args[0], dict) else {}
        details = {"event": str(event.get("message", ""))[:40]}
        session_id = payload.get("session_id")
        if isinstance(session_id, int) and not isinstance(session_id, bool):
            details["session"] = session_id
    audit.record_alone(action, _person(), details={**details, "reason": error.message})
