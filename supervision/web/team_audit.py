"""The team audit page, for the team manager: who saw, exported or changed what, filtered, paged and as CSV.

Only rows about the manager's own team are read (services/audit.py decides which); a person
or family of another team in the filter answers like a missing page.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import FormField, SelectField

from .. import auditing
from ..domain.audit import action_label, describe_details, spreadsheet_safe, timestamp
from ..domain.errors import NotFound
from ..domain.permissions import Permission
from ..extensions import db
from ..services import audit
from ..store.models import SupervisionSession
from .context import current_actor
from .filters import LOCAL
from .forms import DateFields, optional_int

bp = Blueprint("team_audit", __name__)

PER_PAGE = 50
CSV_COLUMNS = ["when (UTC)", "person", "person id", "role", "address", "what", "action", "family",
               "family id", "session id", "details"]


class FromDate(DateFields):
    what = "the first day"
    required = False


class ToDate(DateFields):
    what = "the last day"
    required = False


class AuditFilterForm(FlaskForm):
    """A GET form: the filter is in the address, so a filtered view can be bookmarked or shared."""

    class Meta:
        csrf = False

    person = SelectField("Person", coerce=optional_int, validate_choice=False)
    family = SelectField("Family", coerce=optional_int, validate_choice=False)
    from_date = FormField(FromDate, "From")
    to_date = FormField(ToDate, "To")

    def offer(self, people: list[tuple[int, str]], families: list[tuple[int, str]]) -> AuditFilterForm:
        self.person.choices = [("", "Everyone")] + people
        self.family.choices = [("", "All families")] + families
        return self

    def wanted(self) -> audit.AuditFilter:
        """The filter asked for; an id that is not one of this team's answers like a missing page."""
        for field in (self.person, self.family):
            if field.data is not None and field.data not in {value for value, _ in field.choices[1:]}:
                raise NotFound()
        return audit.AuditFilter(user_id=self.person.data, family_id=self.family.data,
                                 from_date=self.from_date.form.value, to_date=self.to_date.form.value)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.from_date.form.value, self.to_date.form.value
        if valid and start and end and start > end:
            self.to_date.form.day.errors.append("The last day must be the same as or after the first day")
            valid = False
        return valid


def _filter_form():
    actor = current_actor()
    actor.require(Permission.VIEW_AUDIT)
    form = AuditFilterForm(formdata=request.args).offer(audit.person_choices(actor.team_id),
                                                        audit.family_choices(actor.team_id))
    valid = form.validate()
    return actor, form, form.wanted() if valid else None


@bp.get("/team/audit")
@login_required
def index():
    actor, form, wanted = _filter_form()
    families = dict(form.family.choices[1:])
    if wanted is None:
        return render_template("views/team_audit/index.html", form=form, page=None, families=families,
                               sessions={}, csv_url=None, page_url=None), 400
    page = audit.team_page(actor.team_id, wanted, _page_number(), PER_PAGE)
    sessions = _session_times([row.session_id for row in page.rows])
    query = {key: value for key, value in request.args.items() if key != "page"}
    return render_template("views/team_audit/index.html", form=form, page=page, families=families,
                           sessions=sessions, csv_url=url_for(".download", **query),
                           page_url=lambda number: url_for(".index", **query, page=number))


@bp.get("/team/audit.csv")
@login_required
def download():
    actor, form, wanted = _filter_form()
    if wanted is None:
        return index()
    families = dict(form.family.choices[1:])
    auditing.audit_row("audit.exported", wanted.family_id, None,
                       **{key: value for key, value in request.args.items() if value})

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for row in audit.team_rows(actor.team_id, wanted):
            writer.writerow([spreadsheet_safe(value) for value in (
                timestamp(row.at), row.user_name, row.user_id, row.role, row.address, action_label(row.action),
                row.action, families.get(row.family_id, ""), row.family_id, row.session_id,
                json.dumps(row.details, ensure_ascii=False, sort_keys=True))])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    name = f"audit-{datetime.now(LOCAL):%Y-%m-%d}.csv"
    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _page_number() -> int:
    number = optional_int(request.args.get("page")) or 1
    return max(1, min(number, 1_000_000))


def _session_times(ids: list[int | None]) -> dict[int, datetime]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {session_id: starts for session_id, starts in db.session.execute(
        db.select(SupervisionSession.id, SupervisionSession.starts_at).where(SupervisionSession.id.in_(wanted)))}


@bp.app_template_filter("audit_action")
def _action(action: str) -> str:
    return action_label(action)


@bp.app_template_filter("audit_details")
def _details(details) -> str:
    return describe_details(details)
