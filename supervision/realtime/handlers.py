"""Socket.IO event handlers. Thin: check who is asking, parse what they sent, call a service, acknowledge.

The person is read from the sign-in cookie when the connection opens (connections.py);
the sign-in itself is checked again on the server before every event, so signing out,
"sign out everywhere" or a closed account stop the connection at once. Joining a board
checks the person against the team boundary and the attendance list; the board service
re-checks that access whenever the session's set-up changes. A room name or team sent by
a client is never used. Every event is answered, whatever goes wrong.
"""
from __future__ import annotations

import logging
import time

from flask import current_app, g, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room

from ..domain import fields
from ..domain.errors import DomainError, Invalid, NotFound
from ..extensions import db, socketio
from ..services import board as board_service
from .. import auditing, logs, metrics
from ..services import presence, sign_ins
from . import connections, heartbeat, limits
from ..web import board_regions
from .broadcast import publish_presence, room_for

log = logging.getLogger(__name__)

UNAUTHENTICATED = {"ok": False, "error": {"code": "unauthenticated", "message": "Sign in again to continue."}}
UNEXPECTED = {"ok": False, "error": {
    "code": "error",
    "message": "Something went wrong on our side. Send it again: a change is never applied twice."}}


def _error(error: DomainError) -> dict:
    if not isinstance(error, limits.RateLimited) or auditing.first_in_a_while(f"socket:{request.sid}"):
        auditing.refused_change(error)
    body = {"code": error.code, "message": error.message}
    if isinstance(error, Invalid):
        body["fields"] = error.fields
    for extra in ("current", "retry_after"):
        if extra in error.details:
            body[extra] = error.details[extra]
    return {"ok": False, "error": body}


def _payload(payload) -> dict:
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise Invalid("Send the event's fields as an object.", {"payload": "Must be an object"})
    return payload


def _session_id(payload: dict) -> int:
    if payload.get("session_id") in (None, ""):
        raise Invalid("Say which session.", {"session_id": "Missing session"})
    return fields.identifier(payload["session_id"], "session_id")


def _since(payload: dict) -> int | None:
    value = payload.get("since")
    return None if value is None else fields.whole_number(value, "since")


def _handle(work, payload, kind: str = "change"):
    """Run a service call for the connection's person, answering with an acknowledgement either way.

    The event gets its own request id and one log line, which also says what its unit of work stored."""
    started = time.perf_counter()
    with logs.bound_request_id(), logs.event_line() as stored:
        answer = _answer(work, payload, kind)
        event = getattr(request, "event", None) or {}
        fields = {"event": str(event.get("message", kind))[:40], "ok": answer["ok"],
                  "duration_ms": round((time.perf_counter() - started) * 1000, 1), **stored}
        if not answer["ok"]:
            fields["code"] = answer["error"]["code"]
            metrics.refused(fields["code"], "socket")
        elif fields["event"] == "change":
            metrics.CHANGE_LATENCY.observe(time.perf_counter() - started)
        if isinstance(payload, dict) and isinstance(payload.get("session_id"), int):
            fields["session_id"] = payload["session_id"]
        logs.event_log.log(logging.DEBUG if kind == "typing" else logging.INFO, "board event", extra=fields)
    return answer


def _answer(work, payload, kind: str):
    connection = connections.active(request.sid, current_app.config["SESSION_IDLE_TIMEOUT"])
    if connection is None:
        return UNAUTHENTICATED
    try:
        connection.allowance.check(kind)
        if sign_ins.alive_by_id(connection.sign_in_id, current_app.config["SESSION_IDLE_TIMEOUT"]) is not None:
            connections.closed(request.sid)
            return UNAUTHENTICATED
        return {"ok": True, **work(connection, _payload(payload))}
    except DomainError as error:
        db.session.rollback()
        return _error(error)
    except Exception:
        db.session.rollback()
        log.exception("board event %s failed", kind)
        return UNEXPECTED


def _access(connection: connections.Connection, session_id: int) -> board_service.BoardAccess:
    """The access this connection checked when it joined the board (checked now if it never joined)."""
    access = connection.boards.get(session_id)
    if access is None:
        access = connection.boards[session_id] = board_service.admit(connection.user_id, session_id)
    return access


def _catch_up(connection: connections.Connection, session_id: int, since: int | None,
              access: board_service.BoardAccess) -> dict:
    events = None if since is None else board_service.events_since(connection.user_id, session_id, since,
                                                                   access=access)
    if events is None:
        return {"snapshot": board_service.snapshot_for(connection.user_id, session_id, access)}
    # The regions those events named, drawn as they are now: one morph each, however many events.
    regions = board_regions.regions_caught_up(session_id, events)
    return {"events": events} if regions is None else {"events": events, "regions": regions}


@socketio.on("connect")
def on_connect(auth=None):
    if not current_user.is_authenticated:
        _refuse("unauthenticated", "Sign in to join the board.")
    if not connections.opened(request.sid, current_user.id, g.sign_in_id,
                              current_app.config["SOCKET_CONNECTIONS_PER_PERSON"],
                              limits.allowance(current_app.config["SOCKET_LIMITS"])):
        _refuse("rate_limited", "You have too many boards open. Close some tabs and try again.")


def _refuse(code: str, message: str):
    """Refuse the connection: clients receive {"message": ..., "data": {"code": ..., "message": ...}}."""
    metrics.refused(code, "connect")
    raise ConnectionRefusedError(message, {"code": code, "message": message})


@socketio.on("disconnect")
def on_disconnect(*_reason):
    connections.closed(request.sid)
    for session_id in presence.disconnected(request.sid):
        publish_presence(session_id)


@socketio.on("join")
def on_join(payload=None):
    def work(connection, payload):
        session_id = _session_id(payload)
        since = _since(payload)
        access = connection.boards[session_id] = board_service.admit(connection.user_id, session_id)
        if presence.count_for(connection.user_id, request.sid) >= current_app.config["SOCKET_CONNECTIONS_PER_PERSON"]:
            raise limits.RateLimited(30)
        # Join the room before reading, so no change can fall between what we send and what follows.
        join_room(room_for(session_id))
        result = _catch_up(connection, session_id, since, access)
        presence.connected(session_id, connection.user_id, request.sid, heartbeat.worker_id(),
                           connection.sign_in_id)
        publish_presence(session_id)
        return result

    return _handle(work, payload, "catch_up")


@socketio.on("leave")
def on_leave(payload=None):
    def work(connection, payload):
        session_id = _session_id(payload)
        if connection.boards.pop(session_id, None) is None:
            raise NotFound("That session")  # never joined here: nothing to leave, nobody to tell
        leave_room(room_for(session_id))
        presence.disconnected(request.sid, session_id)
        publish_presence(session_id)
        return {}

    return _handle(work, payload)


@socketio.on("sync")
def on_sync(payload=None):
    """Catch up after a reconnect: the events after `since`, or a snapshot if too far behind."""
    def work(connection, payload):
        session_id = _session_id(payload)
        return _catch_up(connection, session_id, _since(payload) or 0, _access(connection, session_id))

    return _handle(work, payload, "catch_up")


@socketio.on("typing")
def on_typing(payload=None):
    """Someone is typing in a board form: the others on the board see who, and where."""
    def work(connection, payload):
        session_id = _session_id(payload)
        access = connection.boards.get(session_id)
        if access is None:
            raise NotFound("That session")  # only a board this connection joined
        signal = board_service.typing_signal(access, payload)
        socketio.emit("board:typing", signal, to=room_for(session_id), skip_sid=request.sid)
        return {}

    return _handle(work, payload, "typing")


@socketio.on("change")
def on_change(payload=None):
    def work(connection, payload):
        session_id = _session_id(payload)
        event = board_service.apply_change(connection.user_id, session_id, payload.get("type"),
                                           payload.get("data"), payload.get("client_change_id"),
                                           access=_access(connection, session_id))
        return {"seq": event["seq"], "event": event}

    return _handle(work, payload)
