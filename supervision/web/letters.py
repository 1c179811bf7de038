"""Pages: a letter to the family about one signed-off discussion, drafted, edited, made final and downloaded.

Who may, and when, is services/letters.py's to decide; every view here writes an audit row.
"""
from __future__ import annotations

import io

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from .. import auditing
from ..domain import permissions
from ..domain.errors import Conflict, Invalid
from ..services import letters, plain_language
from . import wording_prompts

bp = Blueprint("letters", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
URL = "/sessions/<int:session_id>/families/<int:family_id>/letter"
FORM_ID = "letter"


def _show(session_id: int, family_id: int, *, content=None, errors=None, version=None, status: int = 200,
          saved: bool = False):
    view = letters.page(current_user.id, session_id, family_id)
    shown = content or view.content
    return render_template("views/letters/show.html", view=view, content=shown, saved=saved,
                           phrases=plain_language.for_browser(view.session.team_id),
                           readability=letters.readability(shown) if shown else None, errors=errors or {},
                           version=version if version is not None else (view.letter.version if view.letter else 0),
                           form_id=FORM_ID), status


@bp.get(URL)
@login_required
def show(session_id: int, family_id: int):
    response = _show(session_id, family_id)
    auditing.audit_row("letter.viewed", family_id, session_id)
    return response


@bp.post(URL)
@login_required
def start(session_id: int, family_id: int):
    letter = letters.start(current_user.id, session_id, family_id)
    auditing.audit_row("letter.drafted", family_id, session_id, letter=letter.id)
    flash("A draft letter has been made from the signed record. Change any of it before you make it final.",
          "success")
    return redirect(url_for(".show", session_id=session_id, family_id=family_id))


def _version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return -1


@bp.post(URL + "/save")
@login_required
def save(session_id: int, family_id: int):
    sections = len(letters.page(current_user.id, session_id, family_id).content.sections)
    content = letters.content_from_form(request.form, sections)
    prompts = {}
    for n, section in enumerate(content.sections):
        prompts.update(wording_prompts.found(_team(session_id), FORM_ID, {f"text-{n}": section.text},
                                             fields=(f"text-{n}",)))
    prompts.update(wording_prompts.found(_team(session_id), FORM_ID, {"opening": content.opening,
                                                                      "closing": content.closing},
                                         fields=("opening", "closing")))
    g.wording_prompts = prompts
    try:
        letter = letters.save(current_user.id, session_id, family_id, content, _version())
    except (Invalid, Conflict) as error:
        auditing.refused_change(error)
        current = (error.details.get("current") or {}).get("version")
        return _show(session_id, family_id, content=content, errors=getattr(error, "fields", {}) or
                     {"letter": error.message}, version=current if current is not None else _version(),
                     status=409 if isinstance(error, Conflict) else 400)
    auditing.audit_row("letter.changed", family_id, session_id, letter=letter.id, version=letter.version)
    if prompts:
        return _show(session_id, family_id, saved=True)
    flash("Your changes to the letter have been saved.", "success")
    return redirect(url_for(".show", session_id=session_id, family_id=family_id))


@bp.post(URL + "/final")
@login_required
def finalise(session_id: int, family_id: int):
    try:
        log = letters.finalise(current_user.id, session_id, family_id, _version())
    except (Invalid, Conflict) as error:
        return _show(session_id, family_id, errors={"letter": error.message},
                     status=409 if isinstance(error, Conflict) else 400)
    auditing.audit_row("letter.finalised", family_id, session_id, export=log.id, file=log.filename)
    flash("The letter is final and filed with the family's records.", "success")
    return redirect(url_for(".show", session_id=session_id, family_id=family_id))


@bp.get(URL + "/download")
@login_required
def download(session_id: int, family_id: int):
    log, source = letters.final_file(current_user.id, session_id, family_id)
    auditing.audit_row("letter.downloaded", family_id, session_id, export=log.id, file=log.filename)
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    return send_file(source, mimetype=DOCX, as_attachment=True, download_name=log.filename, max_age=0)


def _team(session_id: int) -> int | None:
    return wording_prompts.team_of_session(session_id)


@bp.app_template_global("may_write_letter")
def may_write_letter(actor, family) -> bool:
    return permissions.may_write_letter(actor.role_kind, allocated=family.social_worker_id == actor.user_id)
