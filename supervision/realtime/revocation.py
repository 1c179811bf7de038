"""Taking connections off a board at once, on whichever worker holds them.

Each connection is told why (`board:access_ended`, docs/protocol.md) and then taken out
of the board's room. Both go through Socket.IO's manager, which hands them to the worker
that holds the connection over the message queue when there are several workers, so
nothing more of the board reaches it. Its presence goes, and everyone else's list is sent
again.
"""
from __future__ import annotations

from ..extensions import socketio
from ..services import presence
from .broadcast import publish_presence, room_for

NAMESPACE = "/"


def end_access(connections: list[presence.Connection], code: str, message: str) -> None:
    for each in connections:
        socketio.emit("board:access_ended", {"session_id": each.session_id, "code": code, "message": message},
                      to=each.sid, namespace=NAMESPACE)
        socketio.server.leave_room(each.sid, room_for(each.session_id), namespace=NAMESPACE)
    presence.forget([each.sid for each in connections])
    for session_id in sorted({each.session_id for each in connections}):
        publish_presence(session_id)
