"""Socket.IO event handlers. Thin: check who is asking, call a service, acknowledge.

Every handler re-checks the person against the team boundary and the attendance list
through the services; a room name or team sent by a client is never used.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room
from ..domain.errors import DomainError, Invalid
from ..extensions import socketio
from ..services import board as board_service
from ..services import presence
from .broadcast import publish_presence, room_for


def _error(error: DomainError) -> dict:
    body = {"code": error.code, "message": error.message}
    if isinstance(error, Invalid):
        body["fields"] = error.fields
    if "current" in error.details:
        body["current"] = error.details["current"]
    return {"ok": False, "error": body}


def _signed_in() -> bool:
    """Authenticated and not idle past the timeout (the same rule the web pages apply)."""
    if not current_user.is_authenticated:
        return False
    last_seen = session.get("last_seen")
    limit = current_app.config["SESSION_IDLE_TIMEOUT"]
    return last_seen is None or datetime.now(timezone.utc) - datetime.fromtimestamp(last_seen, timezone.utc) <= limit


def _session_id(payload) -> int:
    try:
        return int((payload or {})["session_id"])
    except (KeyError, TypeError, ValueError):
        raise Invalid("Say which session.", {"session_id": "Missing session"}) from None


def _handle(work):
    """Run a service call for the signed-in person, answering with an acknowledgement either way."""
    if not _signed_in():
        return {"ok": False, "error": {"code": "unauthenticated", "message": "Sign in again to continue."}}
    try:
        return {"ok": True, **work()}
    except DomainError as error:
        return _error(error)


@socketio.on("connect")
def on_connect(auth=None):
    if not _signed_in():
        raise ConnectionRefusedError({"code": "unauthenticated", "message": "Sign in to join the board."})


@socketio.on("disconnect")
def on_disconnect(*_reason):
    for session_id in presence.disconnected(request.sid):
        publish_presence(session_id)


@socketio.on("join")
def on_join(payload=None):
    def work():
        session_id = _session_id(payload)
        board_service.open_board(current_user.id, session_id)
        # Join the room before reading, so no change can fall between what we send and what follows.
        join_room(room_for(session_id))
        since = (payload or {}).get("since")
        events = board_service.events_since(current_user.id, session_id, int(since)) if since is not None else None
        result = {"events": events} if events is not None else {
            "snapshot": board_service.snapshot_for(current_user.id, session_id)}
        presence.connected(session_id, current_user.id, request.sid)
        publish_presence(session_id)
        return result

    return _handle(work)


@socketio.on("leave")
def on_leave(payload=None):
    def work():
        session_id = _session_id(payload)
        leave_room(room_for(session_id))
        presence.disconnected(request.sid, session_id)
        publish_presence(session_id)
        return {}

    return _handle(work)


@socketio.on("sync")
def on_sync(payload=None):
    """Catch up after a reconnect: the events after `since`, or a snapshot if too far behind."""
    def work():
        session_id = _session_id(payload)
        events = board_service.events_since(current_user.id, session_id, int((payload or {}).get("since", 0)))
        if events is None:
            return {"snapshot": board_service.snapshot_for(current_user.id, session_id)}
        return {"events": events}

    return _handle(work)


@socketio.on("change")
def on_change(payload=None):
    def work():
        session_id = _session_id(payload)
        event = board_service.apply_change(current_user.id, session_id, str(payload.get("type", "")),
                                           payload.get("data") or {}, payload.get("client_change_id"))
        return {"seq": event["seq"], "event": event}

    return _handle(work)
