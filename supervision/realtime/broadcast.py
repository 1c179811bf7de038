"""Sending to everyone on a board. Room names are made here, from ids the server checked."""
from __future__ import annotations

import logging

from ..extensions import socketio
from ..services.board import SETUP_KEY
from ..services.presence import presence_list
from ..web import board_regions

log = logging.getLogger(__name__)


def room_for(session_id: int) -> str:
    return f"session:{int(session_id)}"


def publish_event(message: dict) -> None:
    """Send one event to everyone on its board, with the regions of the page it touched, rendered
    once here for all of them. Without regions (they failed to render) a page reads itself again."""
    try:
        message["regions"] = board_regions.regions_for(message)
    except Exception:  # the change is committed: it goes out whatever happens to its drawing
        log.exception("rendering the regions of event %s failed", message.get("seq"))
    finally:
        message.pop(SETUP_KEY, None)  # what a set-up change redraws is the server's own
    socketio.emit("board:event", message, to=room_for(message["session_id"]))


def publish_sequences(late: bool) -> None:
    """`board:heartbeat` to every board this worker holds connections on: its latest sequence number,
    and `late` when this worker cannot hear the others. Sent from here only (never through the
    queue, which may be what is away): each worker tells its own connections."""
    from ..services.board import last_seqs
    from . import connections

    held = connections.snapshot().values()
    for session_id, last_seq in last_seqs({board for each in held for board in each.boards}).items():
        socketio.emit("board:heartbeat", {"session_id": session_id, "last_seq": last_seq, "late": late},
                      to=room_for(session_id), ignore_queue=True)
        socketio.sleep(0)  # under gevent, a change waiting to go out is not held behind every board's heartbeat


def publish_presence(session_id: int) -> None:
    socketio.emit("board:presence", {"session_id": session_id, "people": presence_list(session_id)},
                  to=room_for(session_id))
