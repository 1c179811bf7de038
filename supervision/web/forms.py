"""WTForms forms for every page that takes input (CSRF comes with FlaskForm).

Forms check the shape of what was typed (required, numbers, real dates) and turn it into the
plain values a service takes. Rules about the team (who may chair, duplicate case references,
which families and people belong to it) are the services' to check.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, FieldList, Form, FormField, HiddenField, PasswordField, RadioField, SelectField,
    SelectMultipleField, StringField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from ..domain import fields
from ..domain.errors import Invalid
from ..domain.vocabulary import AttendanceStatus, PlanLevel
from ..services.families import AdultDetails, ChildDetails, FamilyDetails, FamilyFormOptions
from ..services.session_setup import (
    DEFAULT_MINUTES, MAX_MINUTES, AgendaEntry, AttendanceEntry, SessionDetails, SetupOptions,
)
from .filters import LOCAL


class SignInForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired("Enter your username"), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password"), Length(max=256)])


class EmptyForm(FlaskForm):
    """A form with only its CSRF token: for buttons that post (sign out, start, export)."""


# Helpers ---------------------------------------------------------------------------------------

def optional_int(value) -> int | None:
    """An id from a select or hidden field: an int, or None for blank, nonsense or a number no id can be."""
    try:
        return fields.optional_identifier(value, "id")
    except Invalid:
        return None


def _text(field) -> str:
    return (field.data or "").strip()


def _today() -> date:
    return datetime.now(LOCAL).date()


def show_errors(form, error: Invalid) -> None:
    """Put a service's messages on the fields they name; anything else goes at the top of the form."""
    for name, message in error.fields.items():
        field = form._fields.get(name)
        if field is not None and not isinstance(field, (FieldList, FormField)):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
    if not error.fields:
        form.form_errors.append(error.message)


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$")


def parse_time(text: str) -> time | None:
    """'9:30am', '9.30 am', '14:00', '2pm' -> a time; None if it is not one."""
    match = _TIME.match(text.strip().lower().replace(" ", ""))
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class DateFields(Form):
    """Day, month and year boxes (the GOV.UK date input). `value` holds the date once valid."""

    day = StringField("Day")
    month = StringField("Month")
    year = StringField("Year")
    what = "the date"
    required = True
    value: date | None = None

    def is_blank(self) -> bool:
        return not any(_text(f) for f in (self.day, self.month, self.year))

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        self.value = None
        if self.is_blank():
            if self.required:
                self.day.errors.append(f"Enter {self.what}")
            return not self.required
        try:
            day, month, year = (int(_text(f)) for f in (self.day, self.month, self.year))
            if year < 1000:
                raise ValueError
            self.value = date(year, month, day)
        except (ValueError, OverflowError):
            self.day.errors.append(f"{self.what[0].upper()}{self.what[1:]} must be a real date, for example 27 3 2025")
            return False
        return True

    @classmethod
    def initial(cls, value: date | None) -> dict:
        return {"day": value.day, "month": value.month, "year": value.year} if value else {}


class SessionDate(DateFields):
    what = "the date of the session"


class BirthDate(DateFields):
    what = "the date of birth"
    required = False


# Families --------------------------------------------------------------------------------------

PLAN_CHOICES = PlanLevel.choices()


class ChildForm(Form):
    record_id = HiddenField()
    first_name = StringField("First name", [Length(max=80, message="First name must be 80 characters or fewer")])
    age_description = StringField("Age", [Length(max=40, message="Age must be 40 characters or fewer")])
    date_of_birth = FormField(BirthDate, "Date of birth")
    plan_level = SelectField("Plan", choices=[("", "Same as the family")] + PLAN_CHOICES, validate_choice=False)
    remove = BooleanField("Remove this child from the family")

    def is_blank(self) -> bool:
        return not (self.record_id.data or _text(self.first_name) or _text(self.age_description)
                    or not self.date_of_birth.form.is_blank())

    @property
    def kept(self) -> bool:
        return not self.remove.data and not self.is_blank()

    def validate(self, extra_validators=None) -> bool:
        if not self.kept:  # an empty spare row, or one being removed
            return True
        valid = super().validate(extra_validators)
        if not _text(self.first_name):
            self.first_name.errors.append("Enter the child's first name")
        dob = self.date_of_birth.form
        if not _text(self.age_description) and dob.is_blank():
            self.age_description.errors.append("Enter the child's age or date of birth")
        if dob.value and dob.value > _today():
            dob.day.errors.append("The date of birth must be today or in the past")
        return valid and not any(f.errors for f in (self.first_name, self.age_description, dob.day))


class AdultForm(Form):
    record_id = HiddenField()
    first_name = StringField("First name", [Length(max=80, message="First name must be 80 characters or fewer")])
    relationship = StringField("Relationship to the children", [
        Length(max=120, message="Relationship must be 120 characters or fewer")])
    specialisms = SelectMultipleField("Specialists working with them", coerce=int, choices=[])
    remove = BooleanField("Remove this adult from the family")

    def is_blank(self) -> bool:
        return not (self.record_id.data or _text(self.first_name) or _text(self.relationship) or self.specialisms.data)

    @property
    def kept(self) -> bool:
        return not self.remove.data and not self.is_blank()

    def validate(self, extra_validators=None) -> bool:
        if not self.kept:
            return True
        valid = super().validate(extra_validators)
        if not _text(self.first_name):
            self.first_name.errors.append("Enter the adult's first name")
        if not _text(self.relationship):
            self.relationship.errors.append("Enter how the adult is related to the children, for example mother")
        return valid and not (self.first_name.errors or self.relationship.errors)


class FamilyForm(FlaskForm):
    case_reference = StringField("Case reference", [
        DataRequired("Enter the case reference"), Length(max=40, message="Case reference must be 40 characters or fewer")])
    display_name = StringField("Family name", [
        DataRequired("Enter the family's name, for example Harper family"),
        Length(max=120, message="Family name must be 120 characters or fewer")])
    social_worker = SelectField("Allocated social worker", coerce=optional_int, validate_choice=False)
    plan_level = RadioField("Plan", choices=PLAN_CHOICES, validate_choice=False)
    children = FieldList(FormField(ChildForm), max_entries=30)
    adults = FieldList(FormField(AdultForm), max_entries=30)

    @classmethod
    def for_family(cls, family) -> FamilyForm:
        return cls(data={
            "case_reference": family.case_reference,
            "display_name": family.display_name,
            "social_worker": family.social_worker_id,
            "plan_level": family.plan_level,
            "children": [
                {"record_id": c.id, "first_name": c.first_name, "age_description": c.age_description,
                 "date_of_birth": DateFields.initial(c.date_of_birth),
                 "plan_level": "" if c.plan_level == family.plan_level else c.plan_level}
                for c in family.children
            ],
            "adults": [
                {"record_id": a.id, "first_name": a.first_name, "relationship": a.relationship_to_child,
                 "specialisms": [s.id for s in a.specialisms]}
                for a in family.adults
            ],
        })

    def offer(self, options: FamilyFormOptions, *, spare_rows: bool = True, current_worker=None) -> FamilyForm:
        """Fill in the choices, and add an empty row for one more child and one more adult.

        `current_worker` (a User) stays on offer even if they are no longer a case holder in the team,
        so saving other changes does not quietly take the family off them.
        """
        self.social_worker.choices = [("", "Not allocated yet")] + [
            (m.user_id, f"{m.user.display_name} ({m.role_label})") for m in options.social_workers]
        if current_worker is not None and current_worker.id not in {m.user_id for m in options.social_workers}:
            self.social_worker.choices.append((current_worker.id, f"{current_worker.display_name} (allocated now)"))
        self._specialisms = [(s.id, s.label) for s in options.specialisms]
        if spare_rows:
            for rows in (self.children, self.adults):
                if not rows.entries or not rows.entries[-1].form.is_blank():
                    rows.append_entry()
        self._offer_specialisms()
        return self

    def _offer_specialisms(self) -> None:
        for entry in self.adults:
            entry.form.specialisms.choices = self._specialisms

    def add_row(self, name: str) -> None:
        """'Add another child' / 'Add another adult' without saving (works without JavaScript)."""
        rows = self.children if name == "children" else self.adults
        if len(rows.entries) < rows.max_entries:
            rows.append_entry()
        self._offer_specialisms()

    def validate_plan_level(self, field) -> None:
        if field.data not in dict(PLAN_CHOICES):
            raise ValidationError("Choose the family's plan")

    def details(self) -> FamilyDetails:
        plan = self.plan_level.data
        return FamilyDetails(
            case_reference=_text(self.case_reference),
            display_name=_text(self.display_name),
            plan_level=plan,
            social_worker_id=self.social_worker.data,
            children=[
                ChildDetails(id=optional_int(c.record_id.data), first_name=_text(c.first_name),
                             plan_level=c.plan_level.data or plan, age_description=_text(c.age_description) or None,
                             date_of_birth=c.date_of_birth.form.value)
                for c in (entry.form for entry in self.children) if c.kept
            ],
            adults=[
                AdultDetails(id=optional_int(a.record_id.data), first_name=_text(a.first_name),
                             relationship=_text(a.relationship), specialism_ids=list(a.specialisms.data or []))
                for a in (entry.form for entry in self.adults) if a.kept
            ],
        )


# Sessions --------------------------------------------------------------------------------------

class SessionForm(FlaskForm):
    starts_on = FormField(SessionDate, "Date")
    start_time = StringField("Start time", [DataRequired("Enter the start time, for example 9:30am")])
    chair = SelectField("Chair", coerce=optional_int, validate_choice=False)
    minute_taker = SelectField("Minute taker", coerce=optional_int, validate_choice=False)
    earliest: date | None = None  # sessions are not set up on a day that has passed

    @classmethod
    def for_session(cls, session) -> SessionForm:
        local = session.starts_at.astimezone(LOCAL)
        form = cls(data={
            "starts_on": DateFields.initial(local.date()),
            "start_time": f"{local:%H:%M}",
            "chair": session.chair_id,
            "minute_taker": session.minute_taker_id,
        })
        form.earliest = min(_today(), local.date())
        return form

    def offer(self, options: SetupOptions) -> SessionForm:
        self.chair.choices = [(m.user_id, f"{m.user.display_name} ({m.role_label})") for m in options.chairs]
        self.minute_taker.choices = [(m.user_id, f"{m.user.display_name} ({m.role_label})") for m in options.members]
        if self.chair.data is None:
            self.chair.data = options.default_chair_id
        if self.minute_taker.data is None:
            self.minute_taker.data = options.default_minute_taker_id
        return self

    def validate_start_time(self, field) -> None:
        if parse_time(field.data or "") is None:
            raise ValidationError("Enter the start time like 9:30am or 14:00")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        day = self.starts_on.form.value
        earliest = self.earliest or _today()
        if day is not None and day < earliest:
            self.starts_on.form.day.errors.append("The date of the session must be today or in the future")
            return False
        return valid

    def details(self) -> SessionDetails:
        starts_at = datetime.combine(self.starts_on.form.value, parse_time(self.start_time.data), tzinfo=LOCAL)
        return SessionDetails(starts_at=starts_at, chair_id=self.chair.data, minute_taker_id=self.minute_taker.data)


def _minutes(text: str) -> int | None:
    """A time allowance: a whole number of minutes from 1 to MAX_MINUTES, else None."""
    text = text.strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_MINUTES else None


MINUTES_MESSAGE = "The time for {} must be a whole number of minutes from 1 to " + str(MAX_MINUTES)


class AgendaRowForm(Form):
    family_id = HiddenField()
    order = StringField("Order")
    minutes = StringField("Minutes")
    remove = BooleanField("Take off the agenda")
    family_name = "this family"  # set by AgendaForm.name_rows for messages and labels

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if self.remove.data:
            return True
        if _minutes(self.minutes.data or "") is None:
            self.minutes.errors.append(MINUTES_MESSAGE.format(self.family_name))
        if _text(self.order) and not _text(self.order).isdigit():
            self.order.errors.append(f"The order of {self.family_name} must be a number, like 1")
        return not (self.minutes.errors or self.order.errors)


class AgendaForm(FlaskForm):
    items = FieldList(FormField(AgendaRowForm), max_entries=50)
    add_family = SelectField("Family", coerce=optional_int, validate_choice=False)
    add_minutes = StringField("Time for this family, in minutes", default=str(DEFAULT_MINUTES))

    @classmethod
    def for_session(cls, session) -> AgendaForm:
        return cls(data={
            "items": [{"family_id": i.family_id, "order": i.position, "minutes": i.minutes_allowed}
                      for i in session.agenda],
            "add_minutes": str(DEFAULT_MINUTES),
        })

    def offer(self, families) -> AgendaForm:
        """Name each row's family and offer the team's families not yet on the agenda."""
        names = {f.id: f.display_name for f in families}
        listed = set()
        for entry in self.items:
            family_id = optional_int(entry.form.family_id.data)
            listed.add(family_id)
            entry.form.family_name = names.get(family_id, "this family")
        self.add_family.choices = [("", "Choose a family")] + [
            (f.id, f"{f.display_name} ({f.case_reference})") for f in families if f.id not in listed]
        return self

    def validate_add_minutes(self, field) -> None:
        if self.add_family.data is not None and _minutes(field.data or "") is None:
            raise ValidationError(MINUTES_MESSAGE.format("the family you are adding"))

    def entries(self, current_items) -> list[AgendaEntry]:
        """The agenda in its new order: rows by their order number (ties keep their place), then
        anything added since this page was loaded (so it is not lost), then the family being added."""
        rows = [(entry.form, index) for index, entry in enumerate(self.items) if not entry.form.remove.data]
        rows.sort(key=lambda r: (int(_text(r[0].order)) if _text(r[0].order) else r[1] + 1, r[1]))
        entries = [AgendaEntry(optional_int(row.family_id.data), _minutes(row.minutes.data)) for row, _ in rows]
        mentioned = {optional_int(entry.form.family_id.data) for entry in self.items}
        entries += [AgendaEntry(item.family_id, item.minutes_allowed)
                    for item in current_items if item.family_id not in mentioned]
        if self.add_family.data is not None:
            entries.append(AgendaEntry(self.add_family.data, _minutes(self.add_minutes.data or "")))
        return entries


ATTENDANCE_CHOICES = [
    (AttendanceStatus.PRESENT.value, "Present"),
    (AttendanceStatus.LATE.value, "Late"),
    (AttendanceStatus.APOLOGIES.value, "Sent apologies"),
    ("", "Not recorded"),
]


class AttendanceRowForm(Form):
    user_id = HiddenField()
    status = SelectField("Attendance", choices=ATTENDANCE_CHOICES, validate_choice=False)
    role = SelectField("Attended as", coerce=optional_int, validate_choice=False)
    person_name = "this person"


class AttendanceForm(FlaskForm):
    people = FieldList(FormField(AttendanceRowForm), max_entries=200)

    @classmethod
    def for_rows(cls, rows) -> AttendanceForm:
        return cls(data={"people": [
            {"user_id": r.membership.user_id,
             "status": r.attendance.status if r.attendance else "",
             "role": r.attendance.role_id if r.attendance else r.membership.role_id}
            for r in rows
        ]})

    def offer(self, rows, roles) -> AttendanceForm:
        names = {r.membership.user_id: r.membership.user.display_name for r in rows}
        for entry in self.people:
            entry.form.person_name = names.get(optional_int(entry.form.user_id.data), "this person")
            entry.form.role.choices = [(r.id, r.label) for r in roles]
        return self

    def entries(self) -> list[AttendanceEntry]:
        return [AttendanceEntry(user_id=optional_int(e.form.user_id.data), status=e.form.status.data or None,
                                role_id=e.form.role.data) for e in self.people]
