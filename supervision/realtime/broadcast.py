"""Sending to everyone on a board. Room names are made here, from ids the server checked."""
from __future__ import annotations

import logging

from ..extensions import db, socketio
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


def publish_sequences(late: bool, spread: float = 0.0) -> None:
    """`board:heartbeat` to every board this worker holds connections on: its latest sequence number,
    and `late` when this worker cannot hear the others. Sent from here only (never through the
    queue, which may be what is away): each worker tells its own connections.

    The boards are told one after another over `spread` seconds rather than all at once: a board's
    heartbeat is a frame for each of its connections, and sent together for every board they held
    up the changes that came in meanwhile (docs/performance.md)."""
    from ..services.board import last_seqs
    from . import connections

    held = connections.snapshot().values()
    sequences = last_seqs({board for each in held for board in each.boards})
    db.session.close()  # its connection goes back to the pool before the spread, not after
    gap = spread / len(sequences) if sequences else 0.0
    for session_id, last_seq in sequences.items():
        socketio.emit("board:heartbeat", {"session_id": session_id, "last_seq": last_seq, "late": late},
                      to=room_for(session_id), ignore_queue=True)
        socketio.sleep(gap)  # under gevent, the changes coming in go out between the boards' heartbeats


def publish_presence(session_id: int) -> None:
    socketio.emit("board:presence", {"session_id": session_id, "people": presence_list(session_id)},
                  to=room_for(session_id))
