"""Sending to everyone on a board. Room names are made here, from ids the server checked."""
from __future__ import annotations

import logging

from flask import current_app

from ..extensions import db, socketio
from ..services.board import SETUP_KEY
from ..services.presence import presence_list
from ..web import board_regions

log = logging.getLogger(__name__)
# Per app: the latest seq this server sent each board since its last heartbeat (see publish_sequences).
TOLD = "supervision.told_since_heartbeat"


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
    told = current_app.extensions.get(TOLD)
    if told is not None:
        told[message["session_id"]] = max(message["seq"], told.get(message["session_id"], 0))


def publish_sequences(late: bool, spread: float = 0.0, quiet_when_told: bool = False) -> None:
    """`board:heartbeat` to every board this worker holds connections on: its latest sequence number,
    and `late` when this worker cannot hear the others. Sent from here only (never through the
    queue, which may be what is away): each worker tells its own connections.

    The boards are told one after another over `spread` seconds rather than all at once: a board's
    heartbeat is a frame for each of its connections, and sent together for every board they held
    up the changes that came in meanwhile (docs/performance.md).

    `quiet_when_told` (a server with no message queue, where every change goes out from here):
    a board this server sent its latest event since the last heartbeat is not told again, since
    that event carried the number. At a council's peak most boards have an event every few
    seconds, and their heartbeats were one frame in eight the server sent."""
    from ..services.board import last_seqs
    from . import connections

    told = current_app.extensions.get(TOLD)
    if told is not None:
        current_app.extensions[TOLD] = {}  # from now on, counted for the next heartbeat
    held = connections.snapshot().values()
    sequences = last_seqs({board for each in held for board in each.boards})
    db.session.close()  # its connection goes back to the pool before the spread, not after
    if quiet_when_told and not late and told:
        sequences = {board: seq for board, seq in sequences.items() if told.get(board) != seq}
    gap = spread / len(sequences) if sequences else 0.0
    for session_id, last_seq in sequences.items():
        socketio.emit("board:heartbeat", {"session_id": session_id, "last_seq": last_seq, "late": late},
                      to=room_for(session_id), ignore_queue=True)
        socketio.sleep(gap)  # under gevent, the changes coming in go out between the boards' heartbeats


def publish_presence(session_id: int) -> None:
    socketio.emit("board:presence", {"session_id": session_id, "people": presence_list(session_id)},
                  to=room_for(session_id))
