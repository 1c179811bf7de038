"""Pages: Word records of a session, exported from the session page and downloaded again.

Role rules live in domain/permissions.py and the team boundary in services/scope.py;
these views only translate requests and responses.
"""
from __future__ import annotations

import io

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from ..domain.errors import NotFound
from ..domain.permissions import Permission
from ..services import records, scope
from ..auditing import audit_row

bp = Blueprint("exports", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.app_template_global("export_panel_for")
def export_panel_for(session) -> records.ExportPanel | None:
    """For templates/views/exports/_panel.html: None when the person may not export from this session."""
    if not current_user.is_authenticated:
        return None
    try:
        return records.export_panel(current_user.id, session.id)
    except NotFound:
        return None


def _session_page(session_id: int) -> str | None:
    """The session page, when that part of the service is there to link to."""
    try:
        return url_for("sessions.show", session_id=session_id)
    except BuildError:
        return None


@bp.route("/sessions/<int:session_id>/exports", methods=["GET"])
@login_required
def index(session_id: int):
    session, actor = scope.session_for(current_user.id, session_id)
    actor.require(Permission.EXPORT_RECORDS)
    return render_template("views/exports/index.html", session=session, session_page=_session_page(session_id))


@bp.route("/sessions/<int:session_id>/exports", methods=["POST"])
@login_required
def create(session_id: int):
    """Which record is the value of the button pressed; CSRFProtect has already checked the token."""
    family_id = records.parse_record_choice(request.form.get("record"))
    log = records.export_record(current_user.id, session_id, family_id)
    audit_row("record.exported", log.family_id, log.session_id, export=log.id, file=log.filename, draft=log.draft)
    return redirect(url_for(".show", export_id=log.id))


@bp.route("/exports/<int:export_id>")
@login_required
def show(export_id: int):
    log = records.export_for(current_user.id, export_id)
    entry = records.describe_export(log)
    audit_row("record.viewed", log.family_id, log.session_id, export=export_id)
    return render_template("views/exports/show.html", entry=entry, session_page=_session_page(entry.session_id))


@bp.route("/exports/<int:export_id>/download")
@login_required
def download(export_id: int):
    log, source = records.export_file(current_user.id, export_id)
    audit_row("record.downloaded", log.family_id, log.session_id, export=export_id, file=log.filename)
    if isinstance(source, bytes):  # removed after the retention period, rebuilt from the signed record
        source = io.BytesIO(source)
    return send_file(source, mimetype=DOCX, as_attachment=True, download_name=log.filename, max_age=0)
