"""Every kind of record the service produces opens in another word processor: LibreOffice converts it to PDF."""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from supervision.export.docx_writer import write_document
from supervision.export.record import FAMILY
from supervision.export.sample import sample_family, sample_record
from supervision.extensions import db
from supervision.services import records
from supervision.store.models import SupervisionSession, Team
from tests.integration.test_records import build_three_family_session, demo_closed_session, item_of
from tests.unit.test_docx_writer import HOSTILE


def convert_to_pdf(files: list[Path], workdir: Path) -> list[Path]:
    """Convert with LibreOffice headless, in a private profile so parallel runs do not clash."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed to check the records open elsewhere: run `make install-test`"
    out, profile, inputs = workdir / "pdf", workdir / "lo-profile", workdir / "to-convert"
    inputs.mkdir()
    numbered = []  # numbered copies: records from different folders may share a name
    for number, file in enumerate(files):
        numbered.append(inputs / f"{number:02d}-{file.name}")
        shutil.copyfile(file, numbered[-1])
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, numbered)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return [out / f"{file.stem}.pdf" for file in numbered]


def test_every_produced_record_converts_to_pdf(app, tmp_path):
    hostile_notes = "<b>markup</b> \x01\x0b\ufffe\r\nשלום مرحبا 👶🏽\n" + "x" * 20_000
    with app.app_context():
        closed = demo_closed_session()
        three = build_three_family_session(notes={"FS-3101": hostile_notes})
        upcoming = db.session.scalar(select(SupervisionSession).join(Team).where(
            Team.slug == "north", SupervisionSession.status == "scheduled"))
        made = [
            records.export_as_operator(closed.id, out_dir=str(tmp_path / "closed")),
            records.export_as_operator(three.id, out_dir=str(tmp_path / "three")),
            records.export_as_operator(upcoming.id, "FS-1071", out_dir=str(tmp_path / "upcoming")),
        ]
        assert item_of(three, "FS-3101").notes_text == hostile_notes
    files = [path for paths in made for path in paths]
    assert len(files) == 3 + 4 + 1

    hostile_family = replace(sample_family(0), notes=HOSTILE + "\n" + "y" * 20_000, name=HOSTILE[:40])
    for name, record in [("eight-families.docx", sample_record(8)),
                         ("hostile.docx", replace(sample_record(0, kind=FAMILY), families=[hostile_family]))]:
        write_document(record, tmp_path / name)
        files.append(tmp_path / name)

    for pdf in convert_to_pdf(files, tmp_path):
        assert pdf.exists(), f"LibreOffice did not convert {pdf.stem}.docx"
        assert pdf.stat().st_size > 1000 and pdf.read_bytes().startswith(b"%PDF")
