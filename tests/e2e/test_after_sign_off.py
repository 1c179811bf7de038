"""After sign-off, in the browser: the discussion's card forms go, and an entry added after sign-off
by business support reaches the manager's open board live, marked as such."""
from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from supervision.extensions import db
from supervision.services import board as board_service
from supervision.store.models import User
from tests.demo_session import everyone_present
from tests.e2e.conftest import axe_violations, open_board, room_status, todays_north_session

LIVE = 15_000  # ms


def test_an_entry_added_after_sign_off_reaches_the_open_board(app, person):
    today = todays_north_session(app)
    everyone_present(app, today.session_id)
    harper = today.items["FS-1042"]
    decision_stage = f"{today.board}?item={harper}&stage=decision"
    manager = open_board(person("manager"), decision_stage)
    support = open_board(person("support"), decision_stage)
    errors = []
    for page in (manager, support):
        page.on("pageerror", lambda error: errors.append(str(error)))
    manager.get_by_role("button", name="Start the session").click()
    expect(room_status(support)).to_contain_text("Harper family", timeout=LIVE)

    with app.app_context():
        manager_id = db.session.scalar(select(User.id).where(User.username == "manager"))
        board_service.apply_change(manager_id, today.session_id, "save_decision", {
            "item_id": harper, "version": 0, "decision_text": "Ava stays on her plan.", "rationale": "Too soon.",
            "outcome": "continue", "next_discussion_on": (date.today() + timedelta(days=28)).isoformat()})
        version = board_service.snapshot_for(manager_id, today.session_id)["state"]["decision"][str(harper)]["version"]
        board_service.apply_change(manager_id, today.session_id, "sign_off", {"item_id": harper, "version": version})

    entry_box = support.get_by_role("textbox", name="Add an entry after sign-off")
    expect(entry_box).to_be_visible(timeout=LIVE)
    text = "The health visitor rang after the meeting: Ava's weight is up."
    nothing_yet = manager.locator(f"#after-sign-off-{harper}").get_by_text("Nothing has been added since sign-off.")
    expect(nothing_yet).to_be_visible(timeout=LIVE)
    entry_box.fill(text)
    support.get_by_role("button", name="Add the entry").click()

    added = manager.locator(f"#after-sign-off-{harper} .app-addition", has_text=text)
    expect(added).to_have_count(1, timeout=LIVE)
    expect(added).to_contain_text("Added after sign-off by Jenny Marsh, Business support officer")
    # Drawn alone into the family's list: the "nothing yet" line goes, and its author sees it once too.
    expect(nothing_yet).to_be_hidden()
    expect(support.locator(f"#additions-{harper} > li", has_text=text)).to_have_count(1, timeout=LIVE)
    assert axe_violations(support) == []
    situation = f"{today.board}?item={harper}&stage=situation"
    manager.goto(situation)
    expect(manager.get_by_role("textbox", name="Add to the family situation")).to_have_count(0)
    expect(manager.locator(f"#stage-{harper}-situation")).to_contain_text("this discussion is closed")
    assert errors == []
