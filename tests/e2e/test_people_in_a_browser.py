"""A team manager adds a person, gives them a role, the person signs in and joins the board;
the manager closes the account while the board is open and it stops at once."""
from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import Attendance, Role, User
from tests.e2e.conftest import axe_violations, connection, open_board, todays_north_session

PASSWORD = "kettle lantern oboe"


def _attending(app, session_id: int, username: str) -> None:
    """Put the new person on today's attendance list (the session's set-up, not under test here)."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        role = db.session.scalar(select(Role).where(Role.key == "recovery-worker"))
        db.session.add(Attendance(session_id=session_id, user_id=user.id, role_id=role.id, status="present"))
        db.session.commit()


def test_a_manager_adds_a_person_who_signs_in_and_is_stopped_at_once_when_closed(app, person, chromium, server):
    today = todays_north_session(app)
    manager = person("manager")
    manager.get_by_role("link", name="People").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("People")
    assert axe_violations(manager) == []
    manager.get_by_role("button", name="Add a person").click()
    manager.get_by_label("Full name").fill("Nina Osei")
    manager.get_by_label("Username").fill("nina")
    manager.get_by_label("Role").select_option(label="Child and family practitioner")
    manager.get_by_role("button", name="Add person").click()
    expect(manager.locator(".govuk-notification-banner")).to_contain_text("Nina Osei has been added to the team.")

    # The manager changes her mind about the role: a recovery worker, with that specialism.
    manager.get_by_label("Role").select_option(label="Recovery worker")
    manager.get_by_label("Specialism").select_option(label="Drug and alcohol recovery")
    manager.get_by_role("button", name="Save changes").click()
    expect(manager.get_by_role("row", name="Nina Osei")).to_contain_text("Recovery worker")
    manager.get_by_role("link", name="Nina Osei").click()
    assert axe_violations(manager) == []
    manager.get_by_role("button", name="Make a password link").click()
    link = manager.locator("[data-password-link]").inner_text().strip()
    assert axe_violations(manager) == []

    # Nina sets her password through the link, in her own browser, and signs in.
    nina_context = chromium.new_context(base_url=server.url, viewport={"width": 320, "height": 640})
    try:
        nina = nina_context.new_page()
        nina.goto(link)
        expect(nina.get_by_role("heading", level=1)).to_have_text("Set your password")
        assert axe_violations(nina) == []
        nina.get_by_label("New password", exact=True).fill(PASSWORD)
        nina.get_by_label("Type the new password again").fill(PASSWORD)
        nina.get_by_role("button", name="Set password").click()
        expect(nina.get_by_role("heading", level=1)).to_have_text("Sign in to group supervision")
        nina.get_by_label("Username").fill("nina")
        nina.get_by_label("Password").fill(PASSWORD)
        nina.get_by_role("button", name="Sign in").click()
        nina.wait_for_url(lambda url: "/sign-in" not in url)

        _attending(app, today.session_id, "nina")
        open_board(nina, today.board)
        board = open_board(manager.context.new_page(), today.board)
        expect(board.locator("[data-presence-list]")).to_contain_text("Nina Osei Recovery worker")

        # The manager closes Nina's account while her board is open: it stops at once.
        manager.get_by_role("link", name="Back to Nina Osei").click()
        manager.get_by_role("button", name="Close account").click()
        expect(manager.locator(".govuk-notification-banner")).to_contain_text("account is closed")
        expect(connection(nina)).to_have_text("Signed out – sign in again to carry on")
        expect(board.locator("[data-presence-list]")).not_to_contain_text("Nina Osei")
        nina.goto("/")
        expect(nina.get_by_role("heading", level=1)).to_have_text("Sign in to group supervision")
    finally:
        nina_context.close()
