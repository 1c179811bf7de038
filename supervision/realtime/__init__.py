"""Socket.IO: the live board's events (docs/protocol.md describes them for any client)."""
from flask import Flask

from ..extensions import socketio
from . import handlers  # noqa: F401  (registers the event handlers)
from .broadcast import publish_event
from .revocation import end_access


def init_realtime(app: Flask) -> None:
    """Give the services their broadcaster (events go out only after the change is committed)
    and the way to take connections off a board when someone's access ends."""
    app.extensions["supervision.publish"] = publish_event
    app.extensions["supervision.end_access"] = end_access
    if app.config.get("SOCKETIO_MESSAGE_QUEUE") and hasattr(socketio.server.manager, "_publish"):
        from .queue_watch import QueueWatch

        watch = QueueWatch(socketio.server, float(app.config["PRESENCE_HEARTBEAT_SECONDS"]))
        app.extensions["supervision.queue_watch"] = watch
        app.extensions["supervision.queue_hearing"] = watch.hearing


__all__ = ["init_realtime", "socketio"]
