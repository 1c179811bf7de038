"""Refuse an oversized request body before anything reads it.

Engine.IO, given a long-polling POST over its buffer limit, closes the connection and
then waits for a reader that never comes, holding the worker. So bodies for the live
board's path are measured here first, from the Content-Length header, and anything over
the limit (or with no length a server can trust) is answered 413 at once without reading
a byte. Pages and forms are bounded by Flask's MAX_CONTENT_LENGTH, which answers 413 too.
"""
from __future__ import annotations

from typing import Callable, Iterable

TOO_LARGE = b"That request is too large."


class BodyLimit:
    """WSGI middleware: POSTs under `path` longer than `limit` bytes get 413 unread."""

    def __init__(self, app: Callable, limit: int, path: str = "/socket.io"):
        self.app = app
        self.limit = limit
        self.path = path

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").startswith(self.path):
            if not self._length_allowed(environ):
                start_response("413 Content Too Large", [("Content-Type", "text/plain; charset=utf-8"),
                                                         ("Content-Length", str(len(TOO_LARGE))),
                                                         ("Connection", "close")])
                return [TOO_LARGE]
        return self.app(environ, start_response)

    def _length_allowed(self, environ: dict) -> bool:
        raw = environ.get("CONTENT_LENGTH") or ""
        if not raw:
            # Chunked: without a length nobody can say how much is coming.
            return "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        return raw.isdigit() and len(raw) <= 12 and int(raw) <= self.limit
