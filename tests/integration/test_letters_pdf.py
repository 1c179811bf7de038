"""A letter to the family opens in another word processor: LibreOffice converts it to PDF, headings and list intact."""
from __future__ import annotations

import subprocess

from sqlalchemy import select

from supervision.extensions import db
from supervision.services import letters
from supervision.store.models import Family, SupervisionSession, Team, User
from tests.integration.test_records_pdf import convert_to_pdf


def test_a_final_letter_converts_to_pdf_with_its_words(app, tmp_path):
    with app.app_context():
        session = db.session.scalar(select(SupervisionSession).join(Team).where(
            Team.slug == "north", SupervisionSession.status == "closed"))
        harper = db.session.scalar(select(Family).where(Family.case_reference == "FS-1042"))
        social = db.session.scalar(select(User).where(User.username == "social"))
        letter = letters.start(social.id, session.id, harper.id)
        content = letters.page(social.id, session.id, harper.id).content
        content.sections[0].text = "You take Ava to every health visit. שלום 👶🏽 <b>not markup</b>"
        content.sections[1].text = "We worry about Ava's safety at home."
        saved = letters.save(social.id, session.id, harper.id, content, letter.version)
        log = letters.finalise(social.id, session.id, harper.id, saved.version)
        path = letters.final_file(social.id, session.id, harper.id)[1]
        assert path.name == log.filename

    (pdf,) = convert_to_pdf([path], tmp_path)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True).stdout
    # Markup typed stays words ("<b>" itself is drawn into the Hebrew beside it, right to left).
    for words in ("What we decided, and why", "You take Ava to every health visit.", "not markup</b>",
                  "Who will do what, and by when"):
        assert words in text
