"""What a local password must be: long, and not one people commonly choose.

Current guidance (NCSC, NIST SP 800-63B): a minimum length, a check against passwords known
to be common, and no forced changes or composition rules.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@cache
def _common() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in COMMON_PASSWORDS.read_text().splitlines()
                     if line.strip() and not line.startswith("#"))


def _simplified(password: str) -> str:
    """Lower case, without the digits and symbols people add to the end of a common word."""
    return re.sub(r"[\d\W_]+$", "", password.lower())


def problem(password: str, *, username: str = "", name: str = "") -> str | None:
    """Why this password will not do, in plain words; None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"The password must be {MAX_LENGTH} characters or fewer."
    lowered = password.lower()
    if lowered in _common() or _simplified(password) in _common() or len(set(lowered)) < 4:
        return "That password is too common. Try three random words together."
    for own in (username.strip().lower(), *name.strip().lower().split()):
        if len(own) >= 3 and own in lowered:
            return "The password must not contain your name or username."
    if "supervision" in lowered:
        return "The password must not contain the name of this service."
    return None
