"""Pages in a real browser: the team boundary holds, pages pass the WCAG A and AA rules of axe-core, and they
reflow at 320 CSS pixels wide."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import Family, SupervisionSession, Team
from tests.e2e.conftest import axe_violations, open_board, room_status, screenshot, todays_north_session
from tests.e2e.filled_board import closed_north_session, fill_the_board


def _north_ids(app):
    with app.app_context():
        north = db.session.scalar(select(Team).where(Team.slug == "north"))
        session_id = db.session.scalar(select(SupervisionSession.id).where(
            SupervisionSession.team_id == north.id, SupervisionSession.status == "scheduled"))
        family_id = db.session.scalar(select(Family.id).where(Family.case_reference == "FS-1042"))
        return session_id, family_id


def test_a_south_user_cannot_reach_the_north_board_by_url(app, person):
    session_id, family_id = _north_ids(app)
    south = person("south-manager")
    for url in (f"/sessions/{session_id}/board", f"/sessions/{session_id}", f"/families/{family_id}"):
        response = south.goto(url)
        assert response.status == 404
        assert south.get_by_role("heading", level=1).inner_text() == "Page not found"
        assert "Harper" not in south.content()


def test_sign_in_page_has_no_accessibility_violations(chromium, server):
    context = chromium.new_context(base_url=server.url)
    page = context.new_page()
    page.goto("/sign-in")
    assert axe_violations(page) == []
    screenshot(page, "sign-in")
    context.close()


@pytest.mark.parametrize("name,url", [
    ("team-home", "/"),
    ("families", "/families"),
    ("family", "/families/{family_id}"),
    ("family-edit", "/families/{family_id}/edit"),
    ("sessions", "/sessions"),
    ("session", "/sessions/{session_id}"),
    ("session-new", "/sessions/new"),
    ("session-agenda", "/sessions/{session_id}/agenda"),
    ("session-attendance", "/sessions/{session_id}/attendance"),
    ("team-audit", "/team/audit"),
])
def test_pages_have_no_accessibility_violations(app, person, name, url):
    session_id, family_id = _north_ids(app)
    page = person("manager")
    response = page.goto(url.format(session_id=session_id, family_id=family_id))
    assert response.status == 200
    assert axe_violations(page) == []
    screenshot(page, name)


# ---------------------------------------------------------------- the live board, the big screen, exports

def no_violations(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}: {violations}"


def test_the_live_board_in_every_stage_and_the_big_screen_have_no_accessibility_violations(app, person):
    today = todays_north_session(app)
    manager = open_board(person("manager"), today.board)
    no_violations(manager, "board before the session starts")
    fill_the_board(app, today)
    expect(room_status(manager)).to_contain_text("Harper family: Family situation", timeout=10_000)
    support = open_board(person("support"), today.board)
    screen = open_board(manager.context.new_page(), today.present)
    stages = ["Family situation", "Specialist perspectives", "Analysis", "Decision"]
    for number, stage in enumerate(stages):
        if number:
            # The chair moves the room; the others follow.
            manager.get_by_role("button", name=f"Next: {stage}").click()
        for page in (manager, support):
            expect(page.get_by_role("heading", level=3, name=stage, exact=True)).to_be_visible(timeout=10_000)
        expect(screen.get_by_role("heading", level=1)).to_have_text(stage, timeout=10_000)
        no_violations(manager, f"board, {stage}, team manager")
        no_violations(screen, f"big screen, {stage}")
    no_violations(support, "board, Decision, business support")
    screenshot(screen, "present-decision-with-draft")


def test_the_export_pages_have_no_accessibility_violations(app, person):
    closed = closed_north_session(app)
    support = person("support")
    support.goto(f"/sessions/{closed}/exports")
    no_violations(support, "exports page")
    with support.expect_navigation(url=re.compile(r"/exports/\d+$")):
        support.get_by_role("button", name="Export the record for Harper family (FS-1042)").click()
    expect(support.locator(".govuk-notification-banner--success")).to_contain_text(
        "Harper family (FS-1042) has been exported")
    no_violations(support, "export outcome")
    screenshot(support, "export-outcome-page")
    support.goto(f"/sessions/{closed}/exports")
    expect(support.locator(".app-exports tbody tr", has_text="Jenny Marsh")).to_have_count(1)
    no_violations(support, "exports page with an earlier export")


REFLOW_WIDTH = 320
TOLERANCE = 2  # px of rounding


def overflow(page) -> dict:
    """How wide the page is at 320 CSS pixels, and which elements stick out past the right edge."""
    return page.evaluate("""width => ({
        scroll: document.documentElement.scrollWidth,
        culprits: Array.from(document.querySelectorAll('body *'))
            .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > width + 2)
            .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + el.className),
    })""", REFLOW_WIDTH)


def test_pages_reflow_at_320_css_pixels_without_scrolling_sideways(app, person):
    today = todays_north_session(app)
    fill_the_board(app, today)
    manager = person("manager")
    manager.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    urls = [("team-home", "/"), ("session", f"/sessions/{today.session_id}"),
            ("board-situation", today.board), ("team-audit", "/team/audit")]
    for name, url in urls:
        manager.goto(url)
        measured = overflow(manager)
        assert measured["scroll"] <= REFLOW_WIDTH + TOLERANCE, f"{name}: {measured}"
        screenshot(manager, f"reflow-{name}")
    open_board(manager, today.board)
    for stage, url in [("decision", f"{today.board}?item={today.items['FS-1042']}&stage=decision"),
                       ("present", today.present)]:
        open_board(manager, url)
        measured = overflow(manager)
        assert measured["scroll"] <= REFLOW_WIDTH + TOLERANCE, f"{stage}: {measured}"
        screenshot(manager, f"reflow-{stage}")
