"""Text as people typed it, and dates as people in England read them: one rule for pages and records."""
from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/London")

# Everything XML 1.0 forbids and databases refuse (PostgreSQL rejects NUL): C0 controls other
# than tab, newline and carriage return; lone surrogates; U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029|\x85")


def clean(text: str | None) -> str:
    """The text with forbidden characters removed and every kind of line ending made one newline."""
    if not text:
        return ""
    return _NEWLINES.sub("\n", _FORBIDDEN.sub("", text))


def local(value: datetime) -> datetime:
    return value.astimezone(LOCAL)


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return f"{value.day} {value:%B %Y}"


def time_of_day(value: datetime | None) -> str:
    if value is None:
        return ""
    value = local(value)
    hour = value.hour % 12 or 12
    return f"{hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def date_and_time(value: datetime | None) -> str:
    return f"{long_date(value)} at {time_of_day(value)}" if value else ""


def age_on(born: date, day: date) -> str:
    """A child's age on a given day, as people say it: '3 weeks', '5 months', '4 years'.

    Records give ages at the session date, so a record read a year later still says how
    old the child was when the team discussed them.
    """
    if born > day:
        return f"Not born yet (due {long_date(born)})"
    months = (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)
    if months < 1:
        weeks = (day - born).days // 7
        return "Under a week old" if weeks < 1 else f"{weeks} week{'s' if weeks != 1 else ''}"
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{months // 12} years"
