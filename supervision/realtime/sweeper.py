"""A worker's own check of its connections, at each heartbeat, for sign-ins that ended elsewhere.

Signing out, "sign out everywhere" and closing an account in the app reach every open
board at once through the message queue (revocation.py). An account closed from the
command line on a single-process install has no queue to say so; this check, run by the
heartbeat every PRESENCE_HEARTBEAT_SECONDS, catches that, and anything else that ended
a sign-in behind the worker's back.
"""
from __future__ import annotations

from ..services import sign_ins
from ..services.presence import Connection
from ..services.sign_ins import MESSAGES
from . import connections
from .revocation import end_access


def end_sign_ins_ended_elsewhere() -> None:
    """Take every local connection whose sign-in has ended off its boards, and forget it."""
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
