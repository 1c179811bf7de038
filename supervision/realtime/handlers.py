"""Socket.IO event handlers. Thin: check who is asking, call a service, acknowledge.

The person is read from the sign-in cookie when the connection opens (connections.py).
Joining a board checks them against the team boundary and the attendance list; the
board service re-checks that access whenever the session's set-up changes. A room name
or team sent by a client is never used.
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
from .. import auditing
from . import connections
from .broadcast import publish_presence, room_for


def _error(error: DomainError) -> dict:
    auditing.refused_change(error)
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
    """Run a service call for the connection's person, answering with an acknowledgement either way."""
    connection = connections.active(request.sid, current_app.config["SESSION_IDLE_TIMEOUT"])
    if connection is None:
        return {"ok": False, "error": {"code": "unauthenticated", "message": "Sign in again to continue."}}
    try:
        return {"ok": True, **work(connection)}
    except DomainError as error:
        return _error(error)


def _access(connection: connections.Connection, session_id: int) -> board_service.BoardAccess:
    """The access this connection checked when it joined the board (checked now if it never joined)."""
    access = connection.boards.get(session_id)
    if access is None:
        access = connection.boards[session_id] = board_service.admit(connection.user_id, session_id)
    return access


@socketio.on("connect")
def on_connect(auth=None):
    if not _signed_in():
        raise ConnectionRefusedError({"code": "unauthenticated", "message": "Sign in to join the board."})
    connections.opened(request.sid, current_user.id)


@socketio.on("disconnect")
def on_disconnect(*_reason):
    connections.closed(request.sid)
    for session_id in presence.disconnected(request.sid):
        publish_presence(session_id)


@socketio.on("join")
def on_join(payload=None):
    def work(connection):
        session_id = _session_id(payload)
        user_id = connection.user_id
        access = connection.boards[session_id] = board_service.admit(user_id, session_id)
        # Join the room before reading, so no change can fall between what we send and what follows.
        join_room(room_for(session_id))
        since = (payload or {}).get("since")
        events = board_service.events_since(user_id, session_id, int(since), access=access) \
            if since is not None else None
        result = {"events": events} if events is not None else {
            "snapshot": board_service.snapshot_for(user_id, session_id, access)}
        presence.connected(session_id, user_id, request.sid)
        publish_presence(session_id)
        return result

    return _handle(work)


@socketio.on("leave")
def on_leave(payload=None):
    def work(connection):
        session_id = _session_id(payload)
        connection.boards.pop(session_id, None)
        leave_room(room_for(session_id))
        presence.disconnected(request.sid, session_id)
        publish_presence(session_id)
        return {}

    return _handle(work)


@socketio.on("sync")
def on_sync(payload=None):
    """Catch up after a reconnect: the events after `since`, or a snapshot if too far behind."""
    def work(connection):
        session_id = _session_id(payload)
        access = _access(connection, session_id)
        events = board_service.events_since(connection.user_id, session_id, int((payload or {}).get("since", 0)),
                                            access=access)
        if events is None:
            return {"snapshot": board_service.snapshot_for(connection.user_id, session_id, access)}
        return {"events": events}

    return _handle(work)


@socketio.on("change")
def on_change(payload=None):
    def work(connection):
        session_id = _session_id(payload)
        event = board_service.apply_change(connection.user_id, session_id, str(payload.get("type", "")),
                                           payload.get("data") or {}, payload.get("client_change_id"),
                                           access=_access(connection, session_id))
        return {"seq": event["seq"], "event": event}

    return _handle(work)
