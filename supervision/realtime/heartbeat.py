"""This process's heartbeat: a background task that says the process is alive and clears
the presence of processes that are not (services/workers.py holds the queries).

One heartbeat runs per process and per Socket.IO server: it starts with the process
(supervision.wsgi) or with the first board joined, and stops when the server is replaced
(tests build many apps in one process) or on `stop()`. Each beat is one UPDATE of this
process's row, however many people are connected, then a read that finds any dead
process's rows; only when there are some does it delete them and send the boards concerned
their new people list. Each beat also takes off their boards this process's connections
whose sign-in ended behind its back (sweeper.py), and tells each board on this process its
latest sequence number (`board:heartbeat`, broadcast.py), so a board that missed a change
published by another worker (the message queue was away) catches up by itself.
"""
from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field

from flask import Flask, current_app

from ..extensions import socketio
from ..services import workers
from .broadcast import publish_presence, publish_sequences
from .sweeper import end_sign_ins_ended_elsewhere


@dataclass
class _Heartbeat:
    worker_id: str
    pid: int
    server: object
    stopping: threading.Event = field(default_factory=threading.Event)

    def current(self) -> bool:
        return not self.stopping.is_set() and self.pid == os.getpid() and socketio.server is self.server


_lock = threading.Lock()
_heartbeat: _Heartbeat | None = None


def worker_id() -> str:
    """The id of this process in the presence rows it writes; starts the heartbeat if need be."""
    heartbeat = _heartbeat
    if heartbeat is None or not heartbeat.current():
        heartbeat = start(current_app._get_current_object())
    return heartbeat.worker_id


def start(app: Flask) -> _Heartbeat:
    """Beat once now (so that this process counts as alive before it records anyone), clear
    what dead processes left, and keep beating in the background. Idempotent."""
    global _heartbeat
    if float(app.config["PRESENCE_EXPIRY_SECONDS"]) < 2 * float(app.config["PRESENCE_HEARTBEAT_SECONDS"]):
        raise ValueError("PRESENCE_EXPIRY_SECONDS must be at least twice PRESENCE_HEARTBEAT_SECONDS, "
                         "or a live process that beats a little late is taken for dead")
    with _lock:
        if _heartbeat is not None and _heartbeat.current():
            return _heartbeat
        if _heartbeat is not None:
            _heartbeat.stopping.set()
        # A new id after a fork too: a process must never beat for another.
        _heartbeat = heartbeat = _Heartbeat(uuid.uuid4().hex, os.getpid(), socketio.server)
        _beat(app, heartbeat, spread=False)
    socketio.start_background_task(_run, app, heartbeat)
    return heartbeat


def stop() -> None:
    """Stop beating (the rows of this process then expire like a dead one's)."""
    with _lock:
        if _heartbeat is not None:
            _heartbeat.stopping.set()


def _run(app: Flask, heartbeat: _Heartbeat) -> None:
    interval = float(app.config["PRESENCE_HEARTBEAT_SECONDS"])
    began = time.monotonic()
    while True:
        socketio.sleep(max(0.0, interval - (time.monotonic() - began)))  # a beat every interval
        if not heartbeat.current():
            return
        began = time.monotonic()
        _beat(app, heartbeat, spread=True)


def _beat(app: Flask, heartbeat: _Heartbeat, spread: bool) -> None:
    """One beat. Between its steps the changes that came in meanwhile go first (under gevent, the
    beat shares the worker's one thread with them); `spread` tells the boards over half the interval
    to the next beat, for a beat of its own (not the first, which someone joining waits for)."""
    try:
        with app.app_context():
            workers.beat(heartbeat.worker_id)
            socketio.sleep(0)
            for session_id in workers.sweep():
                publish_presence(session_id)
            socketio.sleep(0)
            end_sign_ins_ended_elsewhere()
            socketio.sleep(0)
            _tell_boards(app, spread)
    except Exception:  # the database may be away for a moment: the next beat tries again
        app.logger.exception("presence heartbeat failed")


def _tell_boards(app: Flask, spread: bool) -> None:
    """A probe goes out to find out whether this worker hears the others through the message queue
    (for the next beat), and each board on this worker learns its latest sequence number and what
    the last probe found."""
    watch = app.extensions.get("supervision.queue_watch")
    late = watch is not None and not watch.hearing()
    if watch is not None:
        socketio.start_background_task(_probe, app, watch)
    publish_sequences(late, spread=float(app.config["PRESENCE_HEARTBEAT_SECONDS"]) / 2 if spread else 0.0,
                      quiet_when_told=watch is None)


def _probe(app: Flask, watch) -> None:
    try:
        watch.probe()
    except Exception:  # the queue is away: the probe does not come back, and that is the answer
        pass
