"""Template filters: dates as people in England read them, and vocabulary labels."""
from __future__ import annotations

from ..domain import vocabulary
from ..domain.wording import LOCAL, date_and_time, local, long_date, time_of_day  # noqa: F401


def field_error(field) -> dict | None:
    """The GOV.UK errorMessage parameter for a WTForms field, or None when it is valid."""
    if not field.errors:
        return None
    first = field.errors[0]
    if isinstance(first, dict):  # a FieldList/FormField: the first message within
        first = next(iter(first.values()))[0]
    return {"text": first if isinstance(first, str) else "Check this answer"}


def error_items(form) -> list[dict]:
    """Every message on a form, nested rows included, as GOV.UK error summary items linking to the field."""
    items = [{"text": message} for message in getattr(form, "form_errors", [])]

    def walk(fields):
        for field in fields:
            if hasattr(field, "entries"):  # FieldList
                walk(field.entries)
            elif hasattr(field, "form") and hasattr(field.form, "_fields"):  # FormField
                walk(field.form)
            elif field.errors and field.type != "CSRFTokenField":
                first = field.errors[0]
                items.append({"text": first if isinstance(first, str) else "Check this answer", "href": f"#{field.id}"})

    walk(form)
    return items


def register(app) -> None:
    from ..domain.permissions import Permission

    app.add_template_global(Permission, "Permission")
    app.add_template_global(error_items)
    app.add_template_global(field_error)
    app.add_template_filter(long_date)
    app.add_template_filter(time_of_day)
    app.add_template_filter(date_and_time)
    app.add_template_global(vocabulary, "vocabulary")
    app.add_template_filter(vocabulary.PlanLevel.label_of, "plan_label")
    app.add_template_filter(vocabulary.SessionStatus.label_of, "session_status_label")
    app.add_template_filter(vocabulary.AttendanceStatus.label_of, "attendance_label")
