"""Why a request was not carried out. Services raise these; views and socket handlers translate them."""
from __future__ import annotations


class DomainError(Exception):
    code = "refused"

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """Missing, or belongs to another team: the two answers are deliberately the same."""

    code = "not_found"

    def __init__(self, what: str = "That page"):
        super().__init__(f"{what} could not be found.")


class Refused(DomainError):
    """The person may not do this (role, attendance, lock)."""

    code = "forbidden"


class Invalid(DomainError):
    """The input is wrong; `details['fields']` maps field name to message."""

    code = "invalid"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message, fields=fields or {})
        self.fields = fields or {}


class Conflict(DomainError):
    """An edit was based on an old version; `details['current']` holds what is there now."""

    code = "conflict"
