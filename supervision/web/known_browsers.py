"""Browsers a person has signed in with before, remembered in a signed cookie.

The per-username sign-in limit slows guessing at one account from many addresses; on its
own it would also let a stranger lock a named person out by guessing wrong on purpose.
A browser where that person has signed in successfully carries this cookie and is not
held by the per-username limit (the per-address limit still applies to it), following
OWASP's "device cookie" advice. The cookie names usernames only, signed with SECRET_KEY;
it grants nothing without the password.
"""
from __future__ import annotations

from flask import Request, Response, current_app
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "known_browser"
MOST = 5  # people who share a computer
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="known-browser")


def _usernames(request: Request) -> list[str]:
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 2000:
        return []
    try:
        names = _serializer().loads(raw)
    except BadSignature:
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def knows(request: Request, username: str) -> bool:
    return bool(username) and username in _usernames(request)


def remember(request: Request, response: Response, username: str) -> None:
    names = [username] + [name for name in _usernames(request) if name != username]
    response.set_cookie(COOKIE, _serializer().dumps(names[:MOST]), max_age=MAX_AGE, httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax", path="/sign-in")
