"""What a live Socket.IO connection keeps between its events: who it is and the boards it joined.

Held in this worker's memory, keyed by Socket.IO sid: a connection stays on one worker
(docs/deployment.md). The person is read from the cookie once, when the connection opens;
their sign-in is checked again before each event (by id, one indexed read), and each
board's access is re-checked by the board service whenever its session says so.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta

from ..services.board import BoardAccess
from .limits import Allowance


@dataclass
class Connection:
    user_id: int
    sign_in_id: int
    last_active: float
    allowance: Allowance
    boards: dict[int, BoardAccess] = field(default_factory=dict)


_open: dict[str, Connection] = {}
_lock = threading.Lock()


def opened(sid: str, user_id: int, sign_in_id: int, most: int, allowance: Allowance) -> bool:
    """Keep a new connection, unless its person already has `most` open on this worker."""
    with _lock:
        if sum(1 for each in _open.values() if each.user_id == user_id) >= most:
            return False
        _open[sid] = Connection(user_id, sign_in_id, time.monotonic(), allowance)
        return True


def closed(sid: str) -> None:
    with _lock:
        _open.pop(sid, None)


def active(sid: str, idle_limit: timedelta) -> Connection | None:
    """The connection if it is open and its person acted within the idle limit; each event counts as acting."""
    connection = _open.get(sid)
    now = time.monotonic()
    if connection is None or now - connection.last_active > idle_limit.total_seconds():
        closed(sid)
        return None
    connection.last_active = now
    return connection


def snapshot() -> dict[str, Connection]:
    """The connections this worker holds now (a copy, to read without the lock)."""
    with _lock:
        return dict(_open)
