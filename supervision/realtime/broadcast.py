"""Sending to everyone on a board. Room names are made here, from ids the server checked."""
from __future__ import annotations

from ..extensions import socketio
from ..services.presence import presence_list


def room_for(session_id: int) -> str:
    return f"session:{int(session_id)}"


def publish_event(message: dict) -> None:
    socketio.emit("board:event", message, to=room_for(message["session_id"]))


def publish_presence(session_id: int) -> None:
    socketio.emit("board:presence", {"session_id": session_id, "people": presence_list(session_id)},
                  to=room_for(session_id))
