"""Record data as JSON and back, for what a record held at sign-off.

Dates and times are stored as ISO text; dataclasses as objects of their fields. Loading
follows the field types of the record classes, so the stored form needs no type tags.
"""
from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import date, datetime

FORMAT = 1


def dump(value):
    """A record dataclass (or list, date, text...) as plain JSON values."""
    if dataclasses.is_dataclass(value):
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [dump(each) for each in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def load(kind, value):
    """The inverse of `dump`, guided by `kind` (a record class or a type like list[Person])."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return load(inner, value)
    if origin is list:
        (inner,) = typing.get_args(kind)
        return [load(inner, each) for each in value]
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{f.name: load(hints[f.name], value[f.name])
                       for f in dataclasses.fields(kind) if f.init and f.name in value})
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    return value


@functools.lru_cache(maxsize=None)
def _hints(kind) -> dict:
    """A record class's field types, worked out once: reading a year of records asks thousands of times."""
    return typing.get_type_hints(kind)
