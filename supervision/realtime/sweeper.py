"""A worker's own check of its connections, every few seconds, for sign-ins that ended elsewhere.

Signing out, "sign out everywhere" and closing an account in the app reach every open
board at once through the message queue (revocation.py). An account closed from the
command line on a single-process install has no queue to say so; this check catches that
within SIGN_IN_SWEEP_SECONDS, and anything else that ended a sign-in behind the worker's back.
It starts with the first live connection a worker serves, so pages-only processes, the CLI
and tests that never open a socket run no background task.
"""
from __future__ import annotations

import logging
import threading

from flask import Flask

from ..extensions import db, socketio
from ..services import sign_ins
from ..services.presence import Connection
from ..services.sign_ins import MESSAGES
from . import connections
from .revocation import end_access

log = logging.getLogger(__name__)
_started: set[int] = set()
_lock = threading.Lock()


def ensure_started(app: Flask) -> None:
    with _lock:
        if id(app) in _started:
            return
        _started.add(id(app))
    socketio.start_background_task(_run, app)


def _run(app: Flask) -> None:
    every = float(app.config["SIGN_IN_SWEEP_SECONDS"])
    while True:
        socketio.sleep(every)
        try:
            with app.app_context():
                sweep()
        except Exception:  # keep sweeping: one failed read must not end the check for good
            log.exception("sign-in sweep failed")
        finally:
            with app.app_context():
                db.session.remove()


def sweep() -> None:
    """Take every local connection whose sign-in has ended off its boards, and close it."""
    held = connections.snapshot()
    ended = sign_ins.ended_among({each.sign_in_id for each in held.values()})
    for sid, connection in held.items():
        reason = ended.get(connection.sign_in_id)
        if reason is None:
            continue
        boards = [Connection(sid, session_id, connection.user_id) for session_id in connection.boards]
        if boards:
            end_access(boards, reason, MESSAGES[reason])
        connections.closed(sid)
