"""`supervision export SESSION_ID [--family CASE_REF] [--out DIR]`: an operator writing records."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from supervision.export.cli import export_command
from supervision.extensions import db
from supervision.store.models import ExportLog
from tests.integration.test_records import demo_closed_session
from tests.unit.test_docx_writer import headings, open_docx


def closed_session_id(app) -> tuple[int, str]:
    with app.app_context():
        session = demo_closed_session()
        return session.id, f"{session.starts_at:%Y-%m-%d}"


def logs(app) -> list[tuple]:
    with app.app_context():
        return [(log.via, log.user_id, log.family_id is None, log.filename, log.draft)
                for log in db.session.scalars(select(ExportLog).order_by(ExportLog.id))]


def test_exports_the_minutes_and_every_family_and_prints_the_paths(app):
    session_id, day = closed_session_id(app)
    result = app.test_cli_runner().invoke(export_command, [str(session_id)])
    assert result.exit_code == 0, result.output
    paths = [Path(line) for line in result.output.splitlines()]
    export_dir = Path(app.config["EXPORT_DIR"])
    assert paths == [export_dir / f"{day}_north_group-supervision-minutes.docx",
                     export_dir / f"{day}_north_FS-1042_group-supervision.docx",
                     export_dir / f"{day}_north_FS-1057_group-supervision.docx"]
    assert ("Heading 1", "Khan family (FS-1057)") in headings(open_docx(str(paths[2])))
    assert logs(app) == [("cli", None, True, paths[0].name, False), ("cli", None, False, paths[1].name, False),
                         ("cli", None, False, paths[2].name, False)]


def test_one_family_into_a_chosen_folder(app, tmp_path):
    session_id, day = closed_session_id(app)
    out = tmp_path / "for-the-case-file"
    result = app.test_cli_runner().invoke(export_command, [str(session_id), "--family", "FS-1042", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [str(out / f"{day}_north_FS-1042_group-supervision.docx")]
    assert [p.name for p in out.iterdir()] == [f"{day}_north_FS-1042_group-supervision.docx"]
    assert len(logs(app)) == 1


def test_a_family_not_on_the_agenda_is_refused_and_nothing_is_written(app, tmp_path):
    session_id, _day = closed_session_id(app)
    out = tmp_path / "out"
    for reference in ["FS-1071", "FS-2011", "../../etc"]:
        result = app.test_cli_runner().invoke(export_command, [str(session_id), "--family", reference, "--out", str(out)])
        assert result.exit_code == 2
        assert f"{reference} is not on the agenda of session {session_id}" in result.output
        assert "FS-1042, FS-1057" in result.output
    assert not out.exists()
    assert logs(app) == []


def test_an_unknown_session_is_refused(app):
    result = app.test_cli_runner().invoke(export_command, ["999"])
    assert result.exit_code == 2
    assert "Session 999 could not be found." in result.output
    assert list(Path(app.config["EXPORT_DIR"]).iterdir()) == [], "nothing was written"
