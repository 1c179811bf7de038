"""Pages in a real browser: the team boundary holds, every page type passes all the rules of axe-core (best
practice included), and they reflow at 320 CSS pixels wide."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import Family, SupervisionSession, Team
from tests.e2e.conftest import axe_violations, open_board, room_status, screenshot, todays_north_session
from tests.e2e.filled_board import amend, change, closed_north_session, fill_the_board, sign_off


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


# Every page type outside the board, as the team manager reaches it.
PAGES = [
    ("team-home", "/"),
    ("families", "/families"),
    ("family", "/families/{family_id}"),
    ("family-new", "/families/new"),
    ("family-edit", "/families/{family_id}/edit"),
    ("sessions", "/sessions"),
    ("session", "/sessions/{session_id}"),
    ("session-new", "/sessions/new"),
    ("session-edit", "/sessions/{session_id}/edit"),
    ("session-agenda", "/sessions/{session_id}/agenda"),
    ("session-attendance", "/sessions/{session_id}/attendance"),
    ("closed-session", "/sessions/{closed_id}"),
    ("exports", "/sessions/{closed_id}/exports"),
    ("team-audit", "/team/audit"),
    ("team-cadence", "/team/cadence"),
    ("plain-language", "/team/plain-language"),
    ("family-letter", "/sessions/{closed_id}/families/{family_id}/letter"),
    ("account", "/account"),
]


def page_urls(app) -> list[tuple[str, str]]:
    session_id, family_id = _north_ids(app)
    closed_id = closed_north_session(app)
    return [(name, url.format(session_id=session_id, family_id=family_id, closed_id=closed_id))
            for name, url in PAGES]


@pytest.mark.parametrize("name", [name for name, _ in PAGES])
def test_pages_have_no_accessibility_violations(app, person, name):
    url = dict(page_urls(app))[name]
    page = person("manager")
    response = page.goto(url)
    assert response.status == 200
    no_violations(page, name)
    screenshot(page, name)


def test_error_pages_have_no_accessibility_violations(app, person):
    social = person("social")
    assert social.goto("/team/audit").status == 403
    no_violations(social, "forbidden")
    assert social.goto("/families/999999").status == 404
    no_violations(social, "not found")


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
    social = open_board(person("social"), today.board)
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
    no_violations(social, "board, Decision, social worker")
    screenshot(screen, "present-decision-with-draft")


def test_the_board_after_sign_off_and_once_closed_has_no_accessibility_violations(app, person):
    today = todays_north_session(app)
    harper = today.items["FS-1042"]
    fill_the_board(app, today)
    change(app, today, "manager", "move", {"item_id": harper, "stage": "decision"})
    sign_off(app, today, harper)
    amend(app, today, harper, "rationale", "Progress, but Ava is too young to tell anyone.", reason="Clearer.")
    change(app, today, "support", "add_after_sign_off", {"item_id": harper, "text": "The health visitor rang."})
    boards = {username: open_board(person(username), today.board) for username in ("manager", "support", "social")}
    screen = open_board(boards["manager"].context.new_page(), today.present)
    expect(screen.locator("#present-amended")).to_be_visible()
    for username, page in boards.items():
        expect(page.locator(f"#decision-panel-{harper}-signed")).to_be_visible()
        no_violations(page, f"board, signed off and amended, {username}")
    no_violations(screen, "big screen, signed off and amended")

    change(app, today, "manager", "close_session", {})
    for username, page in boards.items():
        expect(page.get_by_text("This session is closed.")).to_be_visible(timeout=10_000)
        no_violations(page, f"board, closed, {username}")
    expect(screen.get_by_role("heading", level=1)).to_have_text("This session is closed", timeout=10_000)
    no_violations(screen, "big screen, closed")


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


def test_every_page_type_reflows_at_320_css_pixels_without_scrolling_sideways(app, person, chromium, server):
    today = todays_north_session(app)
    harper = today.items["FS-1042"]
    urls = page_urls(app)  # today's session while it is still scheduled
    fill_the_board(app, today)
    narrow = {"viewport": {"width": REFLOW_WIDTH, "height": 640}}
    visitor = chromium.new_context(base_url=server.url, **narrow).new_page()
    visitor.goto("/sign-in")
    fits(visitor, "sign-in")
    visitor.context.close()
    manager = person("manager", **narrow)
    for name, url in urls:
        assert manager.goto(url).status == 200
        fits(manager, name)
    manager.goto("/families/999999")
    fits(manager, "not-found")

    for stage in ("situation", "perspectives", "analysis", "decision"):
        open_board(manager, f"{today.board}?item={harper}&stage={stage}")
        fits(manager, f"board-{stage}")
    open_board(manager, today.present)
    fits(manager, "present-situation")
    change(app, today, "manager", "move", {"item_id": harper, "stage": "decision"})
    sign_off(app, today, harper)
    amend(app, today, harper, "decision_text", "Continue the plan, with a parenting assessment.", reason="Left out.")
    open_board(manager, today.present)
    fits(manager, "present-amended")
    open_board(manager, today.board)
    fits(manager, "board-signed-off")
    change(app, today, "manager", "close_session", {})
    support = person("support", **narrow)
    open_board(support, today.board)
    expect(support.get_by_role("link", name="Export the records")).to_be_visible()
    fits(support, "board-closed")
    support.get_by_role("link", name="Export the records").click()
    with support.expect_navigation(url=re.compile(r"/exports/\d+$")):
        support.get_by_role("button", name="Export the record for Harper family (FS-1042)").click()
    fits(support, "export-outcome")


def fits(page, name: str) -> None:
    measured = overflow(page)
    assert measured["scroll"] <= REFLOW_WIDTH + TOLERANCE, f"{name}: {measured}"
    screenshot(page, f"reflow-{name}")


def test_at_320_css_pixels_the_family_comes_before_the_agenda_presence_and_feed(app, person):
    today = todays_north_session(app)
    fill_the_board(app, today)
    manager = open_board(person("manager", viewport={"width": REFLOW_WIDTH, "height": 640}), today.board)
    change(app, today, "social", "add_card", {"item_id": today.items["FS-1042"], "stage": "situation",
                                             "text": "Ava's weight is up."})
    expect(manager.locator("#board-activity")).to_be_visible(timeout=10_000)  # the feed, with that change
    top = manager.evaluate("""ids => Object.fromEntries(ids.map(id => [id, document.getElementById(id)]).map(
        ([id, el]) => [id, el.hidden ? null : el.getBoundingClientRect().top]))""",
                           ["board-main", "board-agenda", "board-presence", "board-activity"])
    assert top["board-main"] < min(top["board-agenda"], top["board-presence"], top["board-activity"]), top
    # ... and in the order a screen reader or the Tab key meets them.
    order = manager.evaluate("""ids => ids.map(id => document.getElementById(id))
        .map(el => Array.prototype.indexOf.call(document.querySelectorAll('*'), el))""",
                             ["board-main", "board-agenda", "board-presence", "board-activity"])
    assert order == sorted(order), order
