"""Socket.IO: the live board's events (docs/protocol.md describes them for any client)."""
from flask import Flask, abort

from ..extensions import socketio
from ..flask_app import SOCKET_IO_PATH
from . import handlers  # noqa: F401  (registers the event handlers)
from .broadcast import TOLD, publish_event
from .revocation import end_access


SOCKET_IO_ENDPOINTS = {"socket_io_polling", "socket_io_websocket"}  # rules Flask never serves


def _never_served():
    abort(404)


def init_realtime(app: Flask) -> None:
    """Give the services their broadcaster (events go out only after the change is committed)
    and the way to take connections off a board when someone's access ends."""
    app.extensions["supervision.publish"] = publish_event
    app.extensions[TOLD] = {}
    app.extensions["supervision.end_access"] = end_access
    # Each Socket.IO event runs in a request context made from its connection's first request, on
    # /socket.io/. With no rule for that path Flask records a Not Found in every event's context,
    # with a traceback whose frames hold that context: a reference cycle per event, left to the
    # garbage collector, which freed them in pauses of 8-25 ms every two seconds or so at a
    # council's peak. The Socket.IO server answers that path before Flask does, so the rule is
    # never served.
    for websocket in (False, True):  # a connection that opened as a WebSocket matches only a WebSocket rule
        app.add_url_rule(SOCKET_IO_PATH, f"socket_io_{'websocket' if websocket else 'polling'}", _never_served,
                         strict_slashes=False, websocket=websocket)
    if app.config.get("SOCKETIO_MESSAGE_QUEUE") and hasattr(socketio.server.manager, "_publish"):
        from .queue_watch import QueueWatch

        watch = QueueWatch(socketio.server, float(app.config["PRESENCE_HEARTBEAT_SECONDS"]))
        app.extensions["supervision.queue_watch"] = watch
        app.extensions["supervision.queue_hearing"] = watch.hearing


__all__ = ["SOCKET_IO_ENDPOINTS", "init_realtime", "socketio"]
