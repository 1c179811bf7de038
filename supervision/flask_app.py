"""The request context each Socket.IO event runs in, matched to its rule without Werkzeug's matcher.

Flask-SocketIO makes every event's context from its connection's first request, on /socket.io/,
and Flask matches that path to its rule (realtime/__init__.py registers one) each time. Werkzeug's
matcher leaves a reference cycle behind on every match (its recursive closure: a function, its
cells, a set and a tuple), for the garbage collector to free. At a council's peak those were most
of what the collector found, about 3,000 objects every two seconds, and under gevent every board
on the worker waits while it runs (docs/performance.md). The path's rule never changes, so it is
matched once for each way in (long-polling, WebSocket) and method, and then reused.
"""
from __future__ import annotations

from flask import Flask
from flask.ctx import RequestContext

SOCKET_IO_PATH = "/socket.io/"


class _EventAwareContext(RequestContext):
    def match_request(self) -> None:
        if self.url_adapter is None or self.request.path.rstrip("/") != SOCKET_IO_PATH.rstrip("/"):
            super().match_request()
            return
        known = self.app.extensions.setdefault("supervision.socket_io_matches", {})
        key = (self.url_adapter.websocket, self.request.method)
        found = known.get(key)
        if found is None:
            super().match_request()
            if self.request.routing_exception is not None:
                return  # no rule (an app without the live board): as Flask does, every time
            found = known[key] = (self.request.url_rule, dict(self.request.view_args or {}))
        self.request.url_rule, view_args = found
        self.request.view_args = dict(view_args)


class SupervisionFlask(Flask):
    """Flask, with the request context above."""

    def request_context(self, environ) -> RequestContext:
        return _EventAwareContext(self, environ)
