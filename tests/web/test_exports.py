"""Exporting Word records from the session page, and downloading them again, within the team boundary."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import AgendaItem, ExportLog, Family, SupervisionSession, Team, User
from tests.unit.test_docx_writer import header_text, headings, open_docx

SAFE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}_north_(FS-\d+_group-supervision|group-supervision-minutes)(-\d+)?\.docx$")


def north_sessions(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(select(SupervisionSession.status, SupervisionSession.id).join(Team)
                                  .where(Team.slug == "north")).all()
        return {status: session_id for status, session_id in rows}


def family_id(app, reference: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Family.id).where(Family.case_reference == reference))


def export(browser, session_id: int, record: str):
    return browser.post(f"/sessions/{session_id}/exports", {"record": record},
                        form_page=f"/sessions/{session_id}/exports", follow=False)


def exported(app) -> list[ExportLog]:
    with app.app_context():
        found = list(db.session.scalars(select(ExportLog).order_by(ExportLog.id)))
        db.session.expunge_all()
        return found


def test_business_support_exports_a_family_record_and_downloads_it(app, sign_in):
    support = sign_in("support")
    closed = north_sessions(app)["closed"]
    panel = support.get(f"/sessions/{closed}/exports")
    buttons = {b["value"]: b.get_text(strip=True) for b in panel.select("form button[name=record]")}
    harper = f"family-{family_id(app, 'FS-1042')}"
    assert buttons == {"minutes": "Export the session minutes",
                       harper: "Export the record for Harper family (FS-1042)",
                       f"family-{family_id(app, 'FS-1057')}": "Export the record for Khan family (FS-1057)"}
    assert "No records have been exported from this session yet." in panel.get_text()

    response = export(support, closed, harper)
    assert response.status_code == 302
    (log,) = exported(app)
    assert response.headers["Location"] == f"/exports/{log.id}"
    outcome = support.get(f"/exports/{log.id}")
    assert outcome.h1.get_text(strip=True) == "Record exported"
    summary = {row.dt.get_text(strip=True): row.dd.get_text(strip=True) for row in outcome.select(".govuk-summary-list__row")}
    assert summary["Record"] == "Harper family (FS-1042)"
    assert summary["Status"] == "Final"
    assert summary["Exported by"] == "Jenny Marsh"
    assert summary["File name"] == log.filename
    assert outcome.find("a", string=re.compile("Download the Word file"))["href"] == f"/exports/{log.id}/download"

    download = support.client.get(f"/exports/{log.id}/download")
    assert download.status_code == 200
    assert download.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert download.headers["Content-Disposition"] == f"attachment; filename={log.filename}"
    assert download.headers["Cache-Control"] == "no-store"
    document = open_docx(download.get_data())
    assert ("Heading 1", "Harper family (FS-1042)") in headings(document)
    assert header_text(document) == "OFFICIAL-SENSITIVE\nHarper family, case reference FS-1042"
    assert (log.user_id, log.via, log.draft, log.family_id) == (user_id(app, "support"), "web", False,
                                                                 family_id(app, "FS-1042"))
    assert SAFE_NAME.match(log.filename)
    assert (Path(app.config["EXPORT_DIR"]) / log.filename).is_file()

    listed = support.get(f"/sessions/{closed}/exports")
    row = listed.select("section.app-exports table")[1].select("tbody tr")[0]
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert cells[:2] == ["Harper family (FS-1042)", "Jenny Marsh"] and cells[3] == "Final"
    assert row.find("a")["href"] == f"/exports/{log.id}/download"


def test_the_manager_exports_draft_minutes_during_a_session(app, sign_in):
    manager = sign_in("manager")
    upcoming = north_sessions(app)["scheduled"]
    response = export(manager, upcoming, "minutes")
    (log,) = exported(app)
    assert log.draft and log.family_id is None and log.filename.endswith("_north_group-supervision-minutes.docx")
    outcome = manager.get(response.headers["Location"])
    assert "This is a DRAFT" in outcome.get_text()
    download = manager.client.get(f"/exports/{log.id}/download")
    assert "DRAFT" in header_text(open_docx(download.get_data()))
    listed = manager.get(f"/sessions/{upcoming}/exports")
    assert "Draft" in listed.select("section.app-exports table")[1].select("tbody tr")[0].get_text()


def test_the_export_panel_appears_on_the_session_page_only_for_those_who_may_export(app, sign_in):
    closed = north_sessions(app)["closed"]
    page = sign_in("support").get(f"/sessions/{closed}")
    assert page.select_one("#exports-heading").get_text(strip=True) == "Word records"
    assert sign_in("social").get(f"/sessions/{closed}").select_one("#exports-heading") is None


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def a_north_export(app, sign_in) -> int:
    export(sign_in("support"), north_sessions(app)["closed"], "minutes")
    return exported(app)[0].id


def test_another_team_gets_not_found_as_if_missing(app, sign_in):
    export_id = a_north_export(app, sign_in)
    south = sign_in("south-manager")
    for url in [f"/exports/{export_id}/download", f"/exports/{export_id}", "/exports/987654/download"]:
        response = south.client.get(url)
        assert response.status_code == 404, url
        assert b"Page not found" in response.get_data()
    closed = north_sessions(app)["closed"]
    south.get(f"/sessions/{closed}/exports", expected=404)
    token_page = "/sessions/new"
    assert south.post(f"/sessions/{closed}/exports", {"record": "minutes"}, form_page=token_page).status_code == 404
    assert len(exported(app)) == 1


def test_people_who_may_not_export_are_refused(app, sign_in):
    export_id = a_north_export(app, sign_in)
    social = sign_in("social")
    closed = north_sessions(app)["closed"]
    for url in [f"/exports/{export_id}/download", f"/exports/{export_id}", f"/sessions/{closed}/exports"]:
        response = social.client.get(url)
        assert response.status_code == 403, url
        assert b"Only business support or the team manager can export records." in response.get_data()
    response = social.post(f"/sessions/{closed}/exports", {"record": "minutes"}, form_page=f"/sessions/{closed}")
    assert response.status_code == 403
    assert len(exported(app)) == 1


def test_signed_out_requests_go_to_sign_in(app, client, sign_in):
    export_id = a_north_export(app, sign_in)
    response = client.get(f"/exports/{export_id}/download")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_a_family_from_elsewhere_or_a_made_up_record_is_refused(app, sign_in):
    support = sign_in("support")
    closed = north_sessions(app)["closed"]
    not_on_agenda = f"family-{family_id(app, 'FS-1071')}"
    assert support.post(f"/sessions/{closed}/exports", {"record": not_on_agenda},
                        form_page=f"/sessions/{closed}/exports").status_code == 404
    for made_up in ["../../etc/passwd", "family-", "everything", ""]:
        response = support.post(f"/sessions/{closed}/exports", {"record": made_up},
                                form_page=f"/sessions/{closed}/exports")
        assert response.status_code == 400, made_up
    assert exported(app) == []


def test_the_file_name_holds_no_typed_text_but_the_cleaned_case_reference(app, sign_in):
    with app.app_context():
        upcoming = db.session.get(SupervisionSession, north_sessions(app)["scheduled"])
        family = Family(team_id=upcoming.team_id, case_reference="FS/../9<i>1</i>",
                        display_name="Villiers <script>alert(1)</script> family", plan_level="early_help")
        db.session.add(family)
        db.session.flush()
        upcoming.agenda.append(AgendaItem(family_id=family.id, position=9))
        db.session.commit()
        hostile_id, upcoming_id = family.id, upcoming.id
    support = sign_in("support")
    panel = support.client.get(f"/sessions/{upcoming_id}/exports").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in panel and "&lt;script&gt;" in panel
    export(support, upcoming_id, f"family-{hostile_id}")
    (log,) = exported(app)
    assert log.filename.endswith("_north_FS-9-i-1-i_group-supervision.docx")
    assert re.match(r"^[A-Za-z0-9_-]+\.docx$", log.filename)
    assert "Villiers" not in log.filename and "script" not in log.filename
    assert [p.name for p in Path(app.config["EXPORT_DIR"]).iterdir()] == [log.filename]
    download = support.client.get(f"/exports/{log.id}/download")
    assert ("Heading 1", "Villiers <script>alert(1)</script> family (FS/../9<i>1</i>)") in headings(
        open_docx(download.get_data()))


def test_a_second_export_of_the_same_record_keeps_both(app, sign_in):
    support = sign_in("support")
    closed = north_sessions(app)["closed"]
    export(support, closed, "minutes")
    export(support, closed, "minutes")
    first, second = exported(app)
    assert first.filename != second.filename and second.filename.endswith("-2.docx")
    assert support.client.get(f"/exports/{first.id}/download").status_code == 200
    assert support.client.get(f"/exports/{second.id}/download").status_code == 200
