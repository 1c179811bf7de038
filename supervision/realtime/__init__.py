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


__all__ = ["init_realtime", "socketio"]
