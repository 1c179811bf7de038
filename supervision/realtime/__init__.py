"""Socket.IO: the live board's events (docs/protocol.md describes them for any client)."""
from flask import Flask

from ..extensions import socketio
from . import handlers  # noqa: F401  (registers the event handlers)
from .broadcast import publish_event


def init_realtime(app: Flask) -> None:
    """Give the services their broadcaster: events go out only after the change is committed."""
    app.extensions["supervision.publish"] = publish_event


__all__ = ["init_realtime", "socketio"]
