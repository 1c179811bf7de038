"""Records over HTTP once signed: entries added after sign-off by form post, files removed after the
retention period and rebuilt on download, and exports made from the command line listed apart."""
from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import select

from supervision.export.cli import export_command, prune_command
from supervision.export.retention import prune
from supervision.extensions import db
from supervision.services import board as board_service
from supervision.store.models import AgendaItem, ExportLog, User
from tests.demo_session import everyone_present, todays_session_id
from tests.unit.test_docx_writer import header_text, open_docx, texts
from tests.web.test_exports import export, exported, family_id, north_sessions


def harper_item_id(app, session_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(AgendaItem.id).where(
            AgendaItem.session_id == session_id, AgendaItem.family_id == family_id(app, "FS-1042")))


def post_change(browser, session_id: int, change_type: str, data: dict):
    board = f"/sessions/{session_id}/board"
    return browser.post(f"{board}/{change_type}", data, form_page=board, follow=False)


def age_files(app, days: int = 31) -> None:
    """Make every record file look `days` days old, as time passing would."""
    then = time.time() - days * 86_400
    for path in Path(app.config["EXPORT_DIR"]).iterdir():
        os.utime(path, (then, then))


# Added after sign-off, by form post -----------------------------------------------------------

def test_business_support_adds_an_entry_after_sign_off_by_form_post(app, sign_in):
    closed = north_sessions(app)["closed"]
    item_id = harper_item_id(app, closed)
    support = sign_in("support")
    page = support.get(f"/sessions/{closed}/board?item={item_id}&stage=decision")
    form = page.find("form", id=f"add-after-{item_id}")
    assert form["data-change"] == "add_after_sign_off"
    assert form["action"] == f"/sessions/{closed}/board/add_after_sign_off"

    response = post_change(support, closed, "add_after_sign_off", {
        "item_id": item_id, "text": "Mia's test result came back clear.", "_form": f"add-after-{item_id}",
        "_item": item_id, "_stage": "decision"})
    assert response.status_code == 302
    page = support.get(response.headers["Location"])
    assert "The entry has been added after sign-off." in page.get_text()
    (entry,) = page.select(f"#after-sign-off-{item_id} .app-addition")
    words = entry.get_text(" ", strip=True)
    assert words.startswith("Added after sign-off by Jenny Marsh, Business support officer, on")
    assert "Mia's test result came back clear." in words


def test_the_closed_discussion_offers_no_card_or_notes_forms_and_refuses_a_post_plainly(app, sign_in):
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    item_id = harper_item_id(app, session_id)
    manager = sign_in("manager")
    assert post_change(manager, session_id, "start_session", {}).status_code == 302
    assert post_change(manager, session_id, "save_decision", {
        "item_id": item_id, "version": 0, "decision_text": "Continue.", "rationale": "Because.",
        "outcome": "continue", "next_discussion_on": "2027-01-10"}).status_code == 302
    with app.app_context():
        version = board_service.snapshot_for(db.session.scalar(select(User.id).where(User.username == "manager")),
                                             session_id)["state"]["decision"][str(item_id)]["version"]
    assert post_change(manager, session_id, "sign_off", {"item_id": item_id, "version": version}).status_code == 302

    social = sign_in("social")
    page = social.get(f"/sessions/{session_id}/board?item={item_id}&stage=situation")
    assert page.find("form", id=f"add-{item_id}-situation") is None
    assert "this discussion is closed" in page.select_one(f"#stage-{item_id}-situation").get_text()
    assert page.find("form", id=f"add-after-{item_id}") is None  # social workers tell business support
    refused = post_change(social, session_id, "add_card", {"item_id": item_id, "stage": "situation",
                                                          "text": "Late news.", "_form": f"add-{item_id}-situation"})
    assert refused.status_code == 403
    assert "Add what came later as an entry added after sign-off" in refused.get_data(as_text=True)
    refused = post_change(social, session_id, "add_after_sign_off", {"item_id": item_id, "text": "Late news."})
    assert refused.status_code == 403
    assert "Tell one of them what needs adding." in refused.get_data(as_text=True)

    support = sign_in("support")
    notes = support.get(f"/sessions/{session_id}/board?item={item_id}&stage=decision")
    assert notes.find("form", id=f"notes-{item_id}") is None
    assert post_change(support, session_id, "add_after_sign_off", {
        "item_id": item_id, "text": "Liam asked for a new appointment."}).status_code == 302
    manager.post(f"/sessions/{session_id}/board/move", {"item_id": item_id, "stage": "decision"},
                 form_page=f"/sessions/{session_id}/board", follow=False)
    big_screen = manager.get(f"/sessions/{session_id}/board/present")
    (entry,) = big_screen.select(".app-present__card--added")
    assert "Liam asked for a new appointment." in entry.get_text()
    assert "Added after sign-off by Jenny Marsh, Business support officer" in entry.get_text(" ", strip=True)


# Retention and rebuilding -----------------------------------------------------------------------

def test_a_final_record_removed_after_the_retention_period_is_rebuilt_with_the_same_text(app, sign_in):
    support = sign_in("support")
    closed = north_sessions(app)["closed"]
    export(support, closed, f"family-{family_id(app, 'FS-1042')}")
    export(support, closed, "minutes")
    family_log, minutes_log = exported(app)
    originals = {log.id: support.client.get(f"/exports/{log.id}/download").get_data()
                 for log in (family_log, minutes_log)}

    manager = sign_in("manager")  # an amendment after the export is not in the rebuilt copy of it
    with app.app_context():
        item_id = harper_item_id(app, closed)
        manager_id = db.session.scalar(select(User.id).where(User.username == "manager"))
        version = board_service.snapshot_for(manager_id, closed)["state"]["decision"][str(item_id)]["version"]
    assert post_change(manager, closed, "amend_decision", {
        "item_id": item_id, "version": version, "field": "rationale", "text": "Reworded.",
        "reason": "Clearer."}).status_code == 302

    age_files(app)
    with app.app_context():
        removed = prune(app.config["EXPORT_DIR"], app.config["EXPORT_RETENTION_DAYS"])
    assert sorted(p.name for p in removed) == sorted([family_log.filename, minutes_log.filename])
    assert len(exported(app)) == 2  # the log keeps its rows

    for log in (family_log, minutes_log):
        again = support.client.get(f"/exports/{log.id}/download")
        assert again.status_code == 200
        assert again.headers["Content-Disposition"] == f"attachment; filename={log.filename}"
        assert texts(open_docx(again.get_data())) == texts(open_docx(originals[log.id]))
        assert header_text(open_docx(again.get_data())) == header_text(open_docx(originals[log.id]))
        assert again.get_data() == originals[log.id]
    assert not any(Path(app.config["EXPORT_DIR"]).iterdir())  # rebuilt in memory, not written back

    fresh = export(support, closed, f"family-{family_id(app, 'FS-1042')}")
    assert fresh.status_code == 302
    newest = exported(app)[-1]
    assert "Rationale: Reworded." in texts(open_docx(support.client.get(f"/exports/{newest.id}/download").get_data()))


def test_a_removed_draft_is_said_to_be_removed_never_a_broken_link(app, sign_in):
    manager = sign_in("manager")
    upcoming = north_sessions(app)["scheduled"]
    export(manager, upcoming, "minutes")
    (log,) = exported(app)
    age_files(app)
    with app.app_context():
        prune(app.config["EXPORT_DIR"], 30)
    panel = manager.get(f"/sessions/{upcoming}/exports")
    row = panel.select("section.app-exports table")[1].select("tbody tr")[0]
    assert row.find("a") is None
    assert "Removed: drafts are kept for 30 days" in row.get_text()
    assert manager.client.get(f"/exports/{log.id}/download").status_code == 404
    outcome = manager.get(f"/exports/{log.id}")
    assert outcome.find("a", href=f"/exports/{log.id}/download") is None
    assert "no longer kept here" in outcome.get_text()


def test_prune_from_the_command_line_keeps_recent_files_and_the_log(app, sign_in):
    support = sign_in("support")
    closed = north_sessions(app)["closed"]
    export(support, closed, "minutes")
    runner = app.test_cli_runner()
    result = runner.invoke(prune_command, [])
    assert result.exit_code == 0 and "0 record file(s) older than 30 days removed." in result.output
    age_files(app, days=8)
    result = runner.invoke(prune_command, ["--days", "7"])
    (log,) = exported(app)
    assert result.exit_code == 0 and log.filename in result.output
    assert not (Path(app.config["EXPORT_DIR"]) / log.filename).exists()
    assert Path(app.config["EXPORT_DIR"]).stat().st_mode & 0o777 == 0o700


# Exports made with the command line ----------------------------------------------------------

def test_command_line_exports_are_listed_apart_and_link_only_to_what_can_be_downloaded(app, sign_in, tmp_path):
    closed, upcoming = north_sessions(app)["closed"], north_sessions(app)["scheduled"]
    runner = app.test_cli_runner()
    elsewhere = tmp_path / "operator"
    assert runner.invoke(export_command, [str(closed), "--family", "FS-1042", "--out", str(elsewhere)]).exit_code == 0
    assert runner.invoke(export_command, [str(upcoming), "--out", str(elsewhere)]).exit_code == 0
    support = sign_in("support")
    export(support, closed, "minutes")

    panel = support.get(f"/sessions/{closed}/exports")
    tables = panel.select("section.app-exports table")
    assert [row.td.get_text(strip=True) for row in tables[1].select("tbody tr")] == ["Session minutes"]
    (operator_row,) = tables[2].select("tbody tr")
    assert operator_row.has_attr("data-operator-export")
    with app.app_context():
        harper_log = db.session.scalar(select(ExportLog).where(ExportLog.via == "cli", ExportLog.session_id == closed))
        harper_log_id, harper_file = harper_log.id, harper_log.filename
    link = operator_row.find("a")
    assert link["href"] == f"/exports/{harper_log_id}/download"
    download = support.client.get(link["href"])
    assert download.status_code == 200
    assert texts(open_docx(download.get_data())) == texts(open_docx(str(elsewhere / harper_file)))

    drafts = support.get(f"/sessions/{upcoming}/exports").select("section.app-exports table")[-1].select("tbody tr")
    assert len(drafts) == 4  # the minutes and three families, all drafts written to the operator's folder
    for row in drafts:
        assert row.find("a") is None and "Not kept here" in row.get_text()
    with app.app_context():
        ids = list(db.session.scalars(select(ExportLog.id).where(ExportLog.session_id == upcoming)))
    for export_id in ids:
        assert support.client.get(f"/exports/{export_id}/download").status_code == 404
