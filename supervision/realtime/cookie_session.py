"""The sign-in cookie of a live connection, read once when it opens rather than once per event.

Flask-SocketIO runs every Socket.IO event inside a request context built from the
connection's first HTTP request, and pushing that context opens the session: the signed
cookie is verified and decoded again, for every card and every note. Nothing after the
connection opens reads the session (the person and their sign-in are kept with the
connection in connections.py and the sign-in is re-checked in the database before each
event), and with `manage_session=False` the cookie a connection carries cannot change
while it is open anyway. So the session opened for a connection's environ is kept in that
environ and given back to its later events. A page request has an environ of its own and
opens its session once, as before.
"""
from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

KEPT = "supervision.session"


class ConnectionSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        kept = request.environ.get(KEPT)
        if kept is not None:
            kept.modified = False  # nothing to write back: an event has no response to carry a cookie
            return kept
        session = super().open_session(app, request)
        if session is not None:
            request.environ[KEPT] = session
        return session
