"""Every access leaves an audit row, written by the real HTTP path, and the chain of rows holds.

Sign-in (failed ones with the name tried and never the password), sign-out, views of family,
session, board and record pages, exports and downloads, set-up and family changes with old and
new values, board changes referencing their event, and every refusal.
"""
from __future__ import annotations

import json

from sqlalchemy import select, text

from supervision.extensions import db
from supervision.store.models import BoardEvent
from tests.conftest import Browser, make_app
from tests.databases import DEMO_PASSWORD
from tests.web.audit_rows import audit_rows, ids, last_row, verify
from tests.web.test_exports import export
from tests.web.test_families import new_family
from tests.web.test_session_setup import agenda_form


def test_signing_in_failing_to_and_signing_out_are_recorded(app, browser):
    known = ids(app)
    browser.post("/sign-in", {"username": "manager", "password": "not-the-password"}, expected=400)
    failed = last_row(app, "sign_in.failed")
    assert failed["user_id"] is None and failed["user_name"] is None
    assert failed["details"] == {"username": "manager"}
    assert "not-the-password" not in json.dumps(audit_rows(app), default=str), "the password is never kept"
    assert failed["address"] == "127.0.0.1"

    browser.sign_in("manager")
    signed_in = last_row(app, "sign_in")
    assert (signed_in["user_id"], signed_in["user_name"]) == (known["user"]["manager"], "Helen Brooks")

    browser.post("/sign-out", {}, form_page="/", expected=200)
    signed_out = last_row(app, "sign_out")
    assert signed_out["user_id"] == known["user"]["manager"]
    assert signed_out["position"] > signed_in["position"] > failed["position"]


def test_views_of_family_session_board_and_big_screen_are_recorded(app, sign_in):
    known = ids(app)
    social = sign_in("social")
    harper, today = known["family"]["FS-1042"], known["session"]["north-scheduled"]
    social.get(f"/families/{harper}")
    social.get(f"/sessions/{today}")
    social.get(f"/sessions/{today}/board")
    social.get(f"/sessions/{today}/board/present")
    north = known["team"]["north"]
    expected = [("family.viewed", harper, None), ("session.viewed", None, today),
                ("board.viewed", None, today), ("board.presented", None, today)]
    views = [(row["action"], row["family_id"], row["session_id"]) for row in audit_rows(app)
             if row["action"].endswith((".viewed", ".presented"))]
    assert views == expected
    for row in audit_rows(app)[-4:]:
        assert (row["user_id"], row["user_name"], row["role"], row["team_id"]) == \
            (known["user"]["social"], "Priya Shah", "Child and family social worker", north)


def test_exporting_viewing_and_downloading_a_record_are_recorded(app, sign_in):
    known = ids(app)
    support = sign_in("support")
    closed, harper = known["session"]["north-closed"], known["family"]["FS-1042"]
    response = export(support, closed, f"family-{harper}")
    export_id = int(response.headers["Location"].rsplit("/", 1)[1])
    support.get(f"/exports/{export_id}")
    assert support.client.get(f"/exports/{export_id}/download").status_code == 200
    for action in ("record.exported", "record.viewed", "record.downloaded"):
        row = last_row(app, action)
        assert (row["family_id"], row["session_id"], row["user_name"]) == (harper, closed, "Jenny Marsh")
        assert row["details"]["export"] == export_id


def test_setup_and_family_changes_keep_old_and_new_values(app, sign_in):
    known = ids(app)
    manager = sign_in("manager")
    today = known["session"]["north-scheduled"]
    manager.post(f"/sessions/{today}/agenda", agenda_form(app, [("FS-1042", "1", "45"), ("FS-1057", "2", "20"),
                                                                 ("FS-1071", "3", "25")]),
                 expected=200)
    agenda = last_row(app, "agenda.changed")
    assert agenda["session_id"] == today and agenda["user_name"] == "Helen Brooks"
    assert agenda["details"]["agenda"] == {
        "old": ["Harper family (30 min)", "Khan family (20 min)", "Okoro family (25 min)"],
        "new": ["Harper family (45 min)", "Khan family (20 min)", "Okoro family (25 min)"]}

    manager.post("/families/new", new_family(app), expected=200)
    added = last_row(app, "family.added")
    assert added["details"]["name"] == {"old": None, "new": "Ashby family"}
    assert added["details"]["social_worker"] == {"old": None, "new": "Priya Shah"}
    manager.post(f"/families/{added['family_id']}/edit",
                 new_family(app, display_name="Ashby-Lane family", **{"adults-0-first_name": None,
                                                                       "adults-0-relationship": None,
                                                                       "adults-0-specialisms": None}),
                 expected=200)
    changed = last_row(app, "family.changed")
    assert changed["family_id"] == added["family_id"]
    assert changed["details"]["name"] == {"old": "Ashby family", "new": "Ashby-Lane family"}
    assert changed["details"]["adults"]["new"] == []
    assert "case_reference" not in changed["details"], "only what changed"


def test_a_board_change_references_its_event(app, sign_in):
    known = ids(app)
    today = known["session"]["north-scheduled"]
    manager = sign_in("manager")
    manager.post(f"/sessions/{today}/board/start_session", {}, form_page=f"/sessions/{today}/board", expected=200)
    row = last_row(app, "board.change")
    with app.app_context():
        event = db.session.scalar(select(BoardEvent).where(BoardEvent.session_id == today)
                                  .order_by(BoardEvent.seq.desc()))
        assert row["details"] == {"seq": event.seq, "event": event.kind}
    assert (row["session_id"], row["user_name"], row["team_id"]) == (today, "Helen Brooks", known["team"]["north"])


def test_refusals_are_recorded_another_teams_id_among_them(app, sign_in):
    known = ids(app)
    south = sign_in("south-social")
    south.get(f"/families/{known['family']['FS-1042']}", expected=404)
    refused = last_row(app, "refused.not_found")
    assert refused["user_name"] == "Lucy Fenwick"
    assert refused["details"]["path"] == f"/families/{known['family']['FS-1042']}"
    assert refused["family_id"] is None and refused["team_id"] is None, "nothing of North's is attributed to it"
    assert not audit_rows(app, "family.viewed"), "a refused page is not a view"

    social = sign_in("social")
    social.get(f"/sessions/{known['session']['north-closed']}/exports", expected=403)
    assert last_row(app, "refused.forbidden")["details"]["reason"].startswith("Only business support")

    social.client.post("/families/new", data={"case_reference": "FS-3001"})
    assert last_row(app, "refused.csrf")["user_name"] == "Priya Shah"

    today = known["session"]["north-scheduled"]
    social.post(f"/sessions/{today}/board/start_session", {}, form_page=f"/sessions/{today}/board", expected=403)
    board_refusal = last_row(app, "refused.forbidden")
    assert board_refusal["details"]["path"] == f"/sessions/{today}/board/start_session"
    assert not audit_rows(app, "board.change")


def test_a_rate_limited_sign_in_is_recorded(database_url, tmp_path):
    app = make_app(database_url, tmp_path, SIGN_IN_LIMIT="2 per minute")
    browser = Browser(app.test_client())
    for _ in range(2):
        browser.post("/sign-in", {"username": "manager", "password": "guess"}, expected=400)
    browser.post("/sign-in", {"username": "manager", "password": DEMO_PASSWORD}, expected=429)
    assert last_row(app, "refused.rate_limited")["details"]["status"] == 429
    assert [row["details"]["username"] for row in audit_rows(app, "sign_in.failed")] == ["manager", "manager"]


# ---------------------------------------------------------------- the chain

def mixed_activity(app, sign_in) -> None:
    known = ids(app)
    manager = sign_in("manager")
    today = known["session"]["north-scheduled"]
    manager.get(f"/families/{known['family']['FS-1057']}")
    manager.post(f"/sessions/{today}/board/start_session", {}, form_page=f"/sessions/{today}/board", expected=200)
    sign_in("south-social").get(f"/sessions/{today}", expected=404)
    export(sign_in("support"), known["session"]["north-closed"], "minutes")


def test_the_chain_verifies_after_mixed_activity(app, sign_in):
    mixed_activity(app, sign_in)
    rows = audit_rows(app)
    assert len({row["action"] for row in rows}) >= 6
    assert [row["position"] for row in rows] == list(range(1, len(rows) + 1))
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"OK: {len(rows)} audit rows" in result.output


def test_verify_names_a_row_changed_in_the_database(app, sign_in):
    mixed_activity(app, sign_in)
    target = audit_rows(app, "family.viewed")[0]
    with app.app_context():
        # The app never changes a row, and the database refuses to: only someone who removes
        # the guard first can, and the chain still shows it.
        db.session.execute(text("DROP TRIGGER audit_log_no_update"))
        db.session.execute(text("UPDATE audit_log SET user_name = 'Someone else' WHERE id = :id"), {"id": target["id"]})
        db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"row {target['id']} (position {target['position']})" in result.output
    assert "content does not match its hash" in result.output


def test_verify_names_the_row_after_a_deleted_one(app, sign_in):
    mixed_activity(app, sign_in)
    rows = audit_rows(app)
    with app.app_context():
        db.session.execute(text("DROP TRIGGER audit_log_no_delete"))
        db.session.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": rows[2]["id"]})
        db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    assert f"row {rows[3]['id']} (position 4)" in result.output and "missing" in result.output
