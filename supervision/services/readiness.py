"""Whether this process can do its work now: the database answers, and the message queue if there is one.

Each answer is a word, never an error's text (which could name a host or a user).
"""
from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import text

from ..extensions import db

OK = "ok"
UNREACHABLE = "unreachable"
NOT_CONFIGURED = "not configured"
NOT_CHECKED = "not checked"
RECONNECTING = "reconnecting"

QUEUE_TIMEOUT_SECONDS = 2

log = logging.getLogger(__name__)


def check(app: Flask) -> dict[str, str]:
    return {"database": _database(), "message_queue": _message_queue(app)}


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return OK
    except Exception as error:
        log.warning("database unreachable: %s", type(error).__name__)
        return UNREACHABLE
    finally:
        db.session.remove()


def _message_queue(app: Flask) -> str:
    url = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if not url:
        return NOT_CONFIGURED
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return NOT_CHECKED  # another kind of queue (Kafka, AMQP): this check speaks only to Redis
    client = app.extensions.get("supervision.queue_probe")
    if client is None:
        import redis

        client = app.extensions["supervision.queue_probe"] = redis.Redis.from_url(
            url, socket_timeout=QUEUE_TIMEOUT_SECONDS, socket_connect_timeout=QUEUE_TIMEOUT_SECONDS)
    try:
        client.ping()
    except Exception as error:
        log.warning("message queue unreachable: %s", type(error).__name__)
        return UNREACHABLE
    hearing = app.extensions.get("supervision.queue_hearing")
    if hearing is not None and not hearing():
        return RECONNECTING  # Redis answers, but this worker's listener has not subscribed again yet
    return OK
