"""Template filters: dates as people in England read them, and vocabulary labels."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..domain import vocabulary

LOCAL = ZoneInfo("Europe/London")


def local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL) if value is not None else None


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


def field_error(field) -> dict | None:
    """The GOV.UK errorMessage parameter for a WTForms field, or None when it is valid."""
    if not field.errors:
        return None
    first = field.errors[0]
    if isinstance(first, dict):  # a FieldList/FormField: the first message within
        first = next(iter(first.values()))[0]
    return {"text": first if isinstance(first, str) else "Check this answer"}


def register(app) -> None:
    app.add_template_global(field_error)
    app.add_template_filter(long_date)
    app.add_template_filter(time_of_day)
    app.add_template_filter(date_and_time)
    app.add_template_global(vocabulary, "vocabulary")
    app.add_template_filter(vocabulary.PlanLevel.label_of, "plan_label")
    app.add_template_filter(vocabulary.SessionStatus.label_of, "session_status_label")
    app.add_template_filter(vocabulary.AttendanceStatus.label_of, "attendance_label")
