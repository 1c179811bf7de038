"""Pages in a real browser: the team boundary holds, and pages pass the WCAG A and AA rules of axe-core."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import Family, SupervisionSession, Team
from tests.e2e.conftest import axe_violations, screenshot


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
])
def test_pages_have_no_accessibility_violations(app, person, name, url):
    session_id, family_id = _north_ids(app)
    page = person("manager")
    response = page.goto(url.format(session_id=session_id, family_id=family_id))
    assert response.status == 200
    assert axe_violations(page) == []
    screenshot(page, name)
