"""Letters to families: drafted from a signed record, edited, made final and filed with the family's records.

Only after the decision is signed off, and only by the family's allocated social worker or the
team manager (domain/permissions.py). The draft is built from that one family's signed record
(services/records.load_record with its agenda item), so nothing of another family can reach it.
The final letter is written into the exports folder under a name the server builds, logged as an
export of kind "letter" (so business support sees it with the family's records) and kept: a
letter removed from the folder is written again from what was made final.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..domain.errors import Conflict, Invalid, NotFound, Refused
from ..domain.permissions import require_letter_writer
from ..domain.wording import clean
from ..export.files import find_record, record_filename, write_file
from ..export.letter import LetterContent, LetterSection, draft
from ..export.letter_docx import letter_title, write_letter
from ..export.readability import Readability, measure
from ..export.record import FamilyRecord
from ..extensions import db
from ..store.models import AgendaItem, ExportLog, FamilyLetter, SupervisionSession, utcnow
from . import records, scope
from .scope import Actor

LETTER = "letter"
MAX_SECTIONS = 12
MAX_HEADING = 120
MAX_TEXT = 6000


@dataclass
class LetterPage:
    """What the letter page shows: the family, the letter (if drafted), and the signed record to write from."""

    session: SupervisionSession
    item: AgendaItem
    actor: Actor
    family: FamilyRecord
    letter: FamilyLetter | None
    content: LetterContent | None

    @property
    def final(self) -> bool:
        return self.letter is not None and self.letter.finalised_at is not None

    @property
    def reference(self) -> list[tuple[str, list[str]]]:
        """What the signed record says is going well and worrying: for the writer to read, never copied in."""
        wanted = ("What is working well", "What we are worried about")
        return [(group.title, [c.text for c in group.contributions])
                for group in self.family.analysis if group.title in wanted and group.contributions]


def _target() -> int:
    return int(current_app.config.get("LETTER_READING_AGE_TARGET", 11))


def readability(content: LetterContent) -> Readability:
    return measure(content.body, _target())


def _signed_item(user_id: int, session_id: int, family_id: int) -> tuple[SupervisionSession, AgendaItem, Actor]:
    session, actor = scope.session_for(user_id, session_id)
    item = next((each for each in session.agenda if each.family_id == family_id), None)
    if item is None:
        raise NotFound("That family's discussion")
    require_letter_writer(actor.role_kind, allocated=item.family.social_worker_id == actor.user_id)
    if item.decision is None or item.decision.signed_off_at is None:
        raise Refused("A letter to the family can be drafted only after the decision is signed off.")
    return session, item, actor


def _letter_of(item: AgendaItem) -> FamilyLetter | None:
    return db.session.scalar(select(FamilyLetter).where(FamilyLetter.agenda_item_id == item.id))


def _draft(item: AgendaItem, version: int, *, final: str, changed: str) -> FamilyLetter:
    """The family's letter, still a draft and at the version the person read; else why not, in their words."""
    letter = _letter_of(item)
    if letter is None:
        raise NotFound("That letter")
    if letter.finalised_at is not None:
        raise Refused(final)
    if version != letter.version:
        raise Conflict(changed, current={"version": letter.version})
    return letter


def _family_record(session: SupervisionSession, item: AgendaItem):
    return records.load_record(session, item)


def page(user_id: int, session_id: int, family_id: int) -> LetterPage:
    session, item, actor = _signed_item(user_id, session_id, family_id)
    record = _family_record(session, item)
    letter = _letter_of(item)
    content = LetterContent.from_json(letter.content) if letter is not None else None
    return LetterPage(session, item, actor, record.families[0], letter, content)


def start(user_id: int, session_id: int, family_id: int) -> FamilyLetter:
    """Draft the letter from the signed record; a letter already drafted is kept as it is."""
    session, item, actor = _signed_item(user_id, session_id, family_id)
    letter = _letter_of(item)
    if letter is not None:
        return letter
    record = _family_record(session, item)
    content = draft(record, writer=actor.display_name, writer_role=actor.role_label)
    now = utcnow()
    letter = FamilyLetter(agenda_item_id=item.id, family_id=item.family_id, content=content.as_json(), version=1,
                          drafted_by_id=actor.user_id, drafted_at=now, updated_by_id=actor.user_id, updated_at=now)
    db.session.add(letter)
    db.session.commit()
    return letter


def content_from_form(form, sections: int) -> LetterContent:
    """The letter as the form sent it: greeting, opening, each part's heading and text, closing."""
    def text(name: str, limit: int = MAX_TEXT) -> str:
        return clean(form.get(name, "")).strip()[:limit]
    parts = [LetterSection(text(f"heading-{n}", MAX_HEADING), text(f"text-{n}"))
             for n in range(min(sections, MAX_SECTIONS))]
    return LetterContent(text("greeting", MAX_HEADING), text("opening"), parts, text("closing"))


def save(user_id: int, session_id: int, family_id: int, content: LetterContent, version: int) -> FamilyLetter:
    session, item, actor = _signed_item(user_id, session_id, family_id)
    letter = _draft(item, version,
                    final="This letter is final and filed with the family's records; it cannot be changed.",
                    changed="Someone else changed this letter while you were editing it. Their version is shown; "
                            "make your changes again.")
    if not content.greeting:
        raise Invalid("Check the letter.", {"greeting": "Enter how the letter starts, for example 'Dear Mia,'"})
    letter.content = content.as_json()
    letter.version += 1
    letter.updated_by_id = actor.user_id
    letter.updated_at = utcnow()
    db.session.commit()
    return letter


def letter_filename(session: SupervisionSession, item: AgendaItem) -> str:
    return record_filename(session.starts_at, session.team.slug, item.family.case_reference, "letter-to-family")


def finalise(user_id: int, session_id: int, family_id: int, version: int) -> ExportLog:
    """Make the letter final: written as a Word document into the family's records, logged, no longer editable."""
    session, item, actor = _signed_item(user_id, session_id, family_id)
    letter = _draft(item, version, final="This letter is already final.",
                    changed="The letter changed since you opened it. Read it again before making it final.")
    content = LetterContent.from_json(letter.content)
    unwritten = content.unwritten
    if unwritten:
        raise Invalid("Some parts still have a note in square brackets to write over: " + ", ".join(unwritten) + ".",
                      {"letter": "Write over every note in square brackets before making the letter final"})
    now = utcnow()
    letter.finalised_at = now
    letter.finalised_by_id = actor.user_id
    path = _write(content, session, item, actor.display_name, now)
    log = ExportLog(session_id=session.id, family_id=item.family_id, user_id=actor.user_id, via="web",
                    filename=path.name, draft=False, created_at=now, kind=LETTER)
    db.session.add(log)
    try:
        db.session.flush()
        letter.export_id = log.id
        db.session.commit()
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        raise
    return log


def _write(content: LetterContent, session: SupervisionSession, item: AgendaItem, author: str, dated) -> Path:
    title = letter_title(session.starts_at)
    return write_file(lambda handle: write_letter(content, handle, title=title, author=author, dated=dated),
                      records.export_dir(), letter_filename(session, item), name_taken=records.name_logged)


def rebuild(log: ExportLog) -> bytes:
    """A filed letter written again from what was made final (after the file was removed)."""
    letter = db.session.scalar(select(FamilyLetter).where(FamilyLetter.export_id == log.id))
    if letter is None or letter.finalised_at is None:
        raise NotFound("That letter")
    session = db.session.get(SupervisionSession, log.session_id)
    buffer = io.BytesIO()
    author = letter.finalised_by.display_name if letter.finalised_by else ""
    write_letter(LetterContent.from_json(letter.content), buffer,
                 title=letter_title(session.starts_at), author=author,
                 dated=letter.finalised_at)
    return buffer.getvalue()


def final_file(user_id: int, session_id: int, family_id: int) -> tuple[ExportLog, Path | bytes]:
    """The filed letter, for the social worker or the manager who may write it."""
    _session, item, _actor = _signed_item(user_id, session_id, family_id)
    letter = _letter_of(item)
    if letter is None or letter.finalised_at is None or letter.export_id is None:
        raise NotFound("That letter")
    log = db.session.get(ExportLog, letter.export_id)
    path = find_record(records.export_dir(), log.filename)
    return log, path if path is not None else rebuild(log)
