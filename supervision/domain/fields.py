"""Typed, bounded values at the edge: every id, number, text and flag a person sends.

One parser for form posts and socket events alike. Anything malformed (a number too big
for the database, Infinity, null where a number belongs, a list where text belongs) is
refused as `Invalid` naming the field, before it reaches a query. Meaning (is this a real
stage, a date in the calendar) stays with the rules in domain/board.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Invalid

# Ids and counters fit a signed 32-bit column on every backend, with room to spare.
MAX_ID = 2**31 - 1
MAX_COUNT = 2**31 - 1
MAX_WORD = 60  # a value picked from a list: a stage, a heading, an outcome, a date
_DIGITS = re.compile(r"\d{1,10}")


def _number(value) -> int | None:
    """An int from an int or a string of digits; None for anything else (bools, floats, lists, null)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    return None


def whole_number(value, field: str, *, minimum: int = 0, maximum: int = MAX_COUNT,
                 message: str = "Must be a whole number") -> int:
    number = _number(value)
    if number is None or not minimum <= number <= maximum:
        raise Invalid("Something in the request was not a number we could use.", {field: message})
    return number


def identifier(value, field: str) -> int:
    """A database id: a whole number from 1 to MAX_ID."""
    return whole_number(value, field, minimum=1, maximum=MAX_ID, message="Must be an id")


def optional_identifier(value, field: str) -> int | None:
    return None if value in (None, "") else identifier(value, field)


def text(value, field: str, *, max_length: int) -> str:
    """Text as sent; numbers are not text. Length is checked again, in words, by the rules."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid("Something in the request was not text.", {field: "Must be text"})
    if len(value) > max_length:
        raise Invalid(f"That is too long: {max_length:,} characters at most.",
                      {field: f"Must be {max_length:,} characters or fewer"})
    return value


def flag(value, field: str) -> bool:
    if value in (True, False, None, ""):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("1", "true", "on", "yes", "0", "false", "off", "no"):
        return value.lower() in ("1", "true", "on", "yes")
    raise Invalid("Something in the request was not yes or no.", {field: "Must be true or false"})


@dataclass(frozen=True)
class Field:
    """How one field of a change is parsed: `kind` is id, version, text, word or flag."""

    kind: str
    max_length: int = MAX_WORD

    def parse(self, value, name: str):
        if self.kind == "id":
            return optional_identifier(value, name)
        if self.kind == "version":
            return whole_number(value, name, message="Must be the version you edited")
        if self.kind == "flag":
            return flag(value, name)
        return text(value, name, max_length=self.max_length)


def parse_fields(declared: dict[str, Field], data) -> dict:
    """Only the declared fields, each parsed; a field that was not sent stays absent."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Invalid("The change's data must be an object of named fields.", {"data": "Must be an object"})
    return {name: field.parse(data[name], name) for name, field in declared.items() if name in data}
