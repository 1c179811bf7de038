"""The baseline: a bare Flask-SocketIO server. No sign-in, no database, no rules.

`join` puts the connection in the session's room; `change` numbers the change, sends a
`board:event` of the same shape and about the same size as the real one to the room,
then acknowledges it — the real handler's order (publish, then acknowledge). Everything
the real server does beyond this is what the load benchmark's ratios measure.

Served exactly like the app (same gunicorn worker class, same async mode):
`gunicorn ... benchmarks.bare_server:app`. BENCH_ASYNC_MODE picks the async mode and
BENCH_MESSAGE_QUEUE (a Redis URL) joins several workers, as the app's
SOCKETIO_MESSAGE_QUEUE does.
"""
from __future__ import annotations

import itertools
import os
import threading

from flask import Flask, request
from flask_socketio import SocketIO, emit, join_room

QUEUE = os.environ.get("BENCH_MESSAGE_QUEUE") or None
CHANNEL = os.environ.get("BENCH_CHANNEL", "bare")

app = Flask(__name__)
# Pinged as often as the app pings (its SOCKETIO_PING_* settings and defaults), so that
# idle CPU compares like with like.
socketio = SocketIO(app, async_mode=os.environ.get("BENCH_ASYNC_MODE", "threading"), message_queue=QUEUE,
                    channel=CHANNEL, manage_session=False,
                    ping_interval=int(os.environ.get("SOCKETIO_PING_INTERVAL") or 5),
                    ping_timeout=int(os.environ.get("SOCKETIO_PING_TIMEOUT") or 5))
_lock = threading.Lock()
_seq: dict[int, itertools.count] = {}
_ids = itertools.count(1)
# Several workers number one session's changes together, as the app does in its database.
_redis = None
if QUEUE:
    import redis

    _redis = redis.Redis.from_url(QUEUE)


def next_numbers(session_id: int) -> tuple[int, int]:
    if _redis is not None:
        seq = _redis.incr(f"{CHANNEL}:seq:{session_id}")
        return seq, _redis.incr(f"{CHANNEL}:card")
    with _lock:
        return next(_seq.setdefault(session_id, itertools.count(1))), next(_ids)


@app.get("/ready")
def ready():
    return "ok"


@socketio.on("join")
def on_join(payload):
    session_id = int(payload["session_id"])
    join_room(f"session:{session_id}")
    return {"ok": True, "snapshot": {"session_id": session_id, "last_seq": 0, "state": {}}}


@socketio.on("change")
def on_change(payload):
    session_id = int(payload["session_id"])
    seq, card_id = next_numbers(session_id)
    data = payload.get("data") or {}
    message = {
        "session_id": session_id,
        "seq": seq,
        "type": "card.added",
        "summary": "Child and family social worker added to the family situation",
        "actor": {"user_id": 0, "name": request.sid[:12], "role": "Child and family social worker"},
        "changes": [{"kind": "card", "id": str(card_id), "value": {
            "id": card_id, "item_id": session_id, "stage": data.get("stage"), "heading": None,
            "author_id": 0, "author_name": request.sid[:12], "author_role": "Child and family social worker",
            "specialism": None, "adult_id": None, "stage_of_change": None, "text": data.get("text"),
            "version": 1}}],
        "client_change_id": payload.get("client_change_id"),
    }
    emit("board:event", message, to=f"session:{session_id}")
    return {"ok": True, "seq": seq, "event": message}
