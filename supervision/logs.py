"""The service's log: one JSON object a line on standard error, each with the request it belongs to.

A request id is taken when an HTTP request or a live-board event arrives (from nginx's
`X-Request-Id` when it sends a sane one, else made here) and every line written while it is
handled carries it: the request, the unit of work that stores a change, the broadcast of the
change to the board. The HTTP response names it in `X-Request-Id`.

What the log may hold: paths without their query, event names, ids, sequence numbers, change
types, status codes, times, the client address. Never what a form or an event carried (family
content, notes, passwords): nothing here logs a body, and SQLAlchemy is told to leave the
parameters out of its errors (config.sqlalchemy_engine_options).
"""
from __future__ import annotations

import contextvars
import logging
import os
import re
import sys
import time
import uuid
from contextlib import contextmanager

from flask import Flask, Response, g, request
from pythonjsonlogger.json import JsonFormatter

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# The facts a live-board event's one log line will carry, gathered while it is handled (None: no such line).
_event_facts: contextvars.ContextVar[dict | None] = contextvars.ContextVar("event_facts", default=None)

access_log = logging.getLogger("supervision.access")
event_log = logging.getLogger("supervision.events")


def request_id() -> str | None:
    return _request_id.get()


def new_request_id(offered: str | None = None) -> str:
    return offered if offered and _SANE_ID.match(offered) else uuid.uuid4().hex


@contextmanager
def bound_request_id(value: str | None = None):
    """Every line logged inside carries this request id (a new one if none is given)."""
    token = _request_id.set(value or new_request_id())
    try:
        yield _request_id.get()
    finally:
        _request_id.reset(token)


@contextmanager
def event_line():
    """Gather facts for the one line a live-board event is logged with (what it stored, say)."""
    facts: dict = {}
    token = _event_facts.set(facts)
    try:
        yield facts
    finally:
        _event_facts.reset(token)


def on_event_line(**facts) -> bool:
    """Put these facts on the event line being gathered; False when there is none (a form post)."""
    gathered = _event_facts.get()
    if gathered is None:
        return False
    gathered.update(facts)
    return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class ClosedSessionsAreNotErrors(logging.Filter):
    """Engine.IO logs a request for a connection that has just closed (a long-polling request still
    on its way when the board closed, a tab that slept through a restart) as an ERROR. The client
    is answered 400 and opens a new connection; nothing failed on the server, so it is INFO."""

    CLIENT_SIDE = ("Invalid session", "Session is disconnected", "Session not found")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.ERROR and str(record.msg).lstrip("'").startswith(self.CLIENT_SIDE):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg = str(record.msg).split(" (further occurrences")[0]
        return True


def formatter() -> JsonFormatter:
    return JsonFormatter("{levelname}{name}{message}", style="{", timestamp="time",
                         rename_fields={"levelname": "level", "name": "logger"})


def configure(level: str | None = None) -> None:
    """Send every logger's lines to standard error as JSON (once per process; the servers call it)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel((level or os.environ.get("LOG_LEVEL") or "INFO").upper())
    logging.captureWarnings(True)
    # Engine.IO and Socket.IO add a plain handler of their own to a logger with no level set.
    for name in ("engineio.server", "socketio.server"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("engineio.server").addFilter(ClosedSessionsAreNotErrors())
    # gunicorn's own lines (start, stop, a worker that died) in the same form, when it serves.
    for name in ("gunicorn.error",):
        for each in logging.getLogger(name).handlers:
            each.setFormatter(formatter())
            each.addFilter(RequestIdFilter())


def install(app: Flask) -> None:
    """Give each HTTP request an id, and write one line for it when it is answered."""

    @app.before_request
    def take_request_id():
        g.request_id = new_request_id(request.headers.get("X-Request-Id"))
        g.request_id_token = _request_id.set(g.request_id)
        g.request_started = time.perf_counter()

    @app.after_request
    def name_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers["X-Request-Id"] = g.request_id
            access_log.info("request", extra={
                "method": request.method, "path": request.path[:200], "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
                "address": request.remote_addr})
        return response

    @app.teardown_request
    def forget_request_id(_error=None):
        token = g.pop("request_id_token", None)
        if token is not None:
            try:
                _request_id.reset(token)
            except ValueError:  # set in another context (a streamed response): nothing to undo
                pass
