"""Whether this worker hears the other workers through the message queue, found by listening for itself.

A change made on one worker reaches people on the others through the message queue
(Redis). When the queue goes away, the Socket.IO server drops what it could not publish,
and after the queue comes back its listener waits (1, 2, 4 ... up to 60 s) before it
subscribes again: for all that time changes made elsewhere do not arrive, and nothing in
the Socket.IO server says so.

So at every heartbeat this worker publishes a probe on the queue's channel, addressed so
that its own Socket.IO listener treats it as another worker's message, and notes when the
listener hands it back. While probes come back the worker hears the others; when none has
for a while (two heartbeats and a little), it does not, and its boards are told
(`board:heartbeat` with `late`, broadcast.py) until the listener hears again.

The probe goes through python-socketio's own publish and listener (`_publish`,
`_handle_emit` of its pub/sub manager, pinned in pyproject.toml), because only the listener
that carries the boards' events can say whether they are getting through. A worker of
another version ignores a probe: it is sent to a room no connection is in.
"""
from __future__ import annotations

import logging
import time
import uuid

from .. import metrics

PROBE_EVENT = "supervision:probe"
PROBE_ROOM = "supervision:probes"

log = logging.getLogger(__name__)


class QueueWatch:
    def __init__(self, server, interval: float):
        self.server = server
        self.manager = server.manager
        self.nonce = uuid.uuid4().hex
        self.tolerance = 2 * interval + 1
        self.probing_since: float | None = None
        self.last_heard: float | None = None
        self.was_hearing = True
        listened = self.manager._handle_emit

        def handle_emit(message):
            if message.get("event") != PROBE_EVENT:
                return listened(message)
            if message.get("data") == self.nonce:
                self.last_heard = time.monotonic()
            return None

        self.manager._handle_emit = handle_emit

    def probe(self) -> None:
        """Send a probe for the listener to hear (once Socket.IO has started listening: at the first connection)."""
        if not getattr(self.server, "manager_initialized", False):
            return
        if self.probing_since is None:
            self.probing_since = time.monotonic()
        self.manager._publish({
            "method": "emit", "event": PROBE_EVENT, "data": self.nonce, "binary": False, "namespace": "/",
            "room": PROBE_ROOM, "skip_sid": None, "callback": None, "host_id": f"probe-{self.nonce}"})

    def hearing(self) -> bool:
        """True while a probe came back recently (or there has been no time to hear one yet)."""
        if self.probing_since is None:
            return True
        since = max(self.last_heard or 0.0, self.probing_since)
        hearing = time.monotonic() - since <= self.tolerance
        if hearing != self.was_hearing:
            self.was_hearing = hearing
            if hearing:
                log.info("hearing the other workers through the message queue again")
            else:
                metrics.QUEUE_OUTAGES.inc()
                log.warning("cannot hear the other workers through the message queue: boards are told "
                            "their changes may be late, and catch up by sequence number")
        return hearing
