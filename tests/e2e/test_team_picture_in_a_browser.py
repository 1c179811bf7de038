"""The family timeline, the team home's charts and planning from the families due, in a real browser,
with North's year of history loaded: the charts are drawn and say what their tables say, axe finds
nothing, the pages reflow at 320 CSS pixels, and the keyboard reaches every control."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from supervision.demo_history import load_history
from supervision.extensions import db
from supervision.store.models import Family, SupervisionSession, Team
from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.test_keyboard import Keyboard
from tests.e2e.test_pages_in_a_browser import REFLOW_WIDTH, fits


@pytest.fixture
def ids(app):
    with app.app_context():
        load_history()
        families = {f.case_reference: f.id for f in db.session.scalars(select(Family))}
        scheduled = db.session.scalar(select(SupervisionSession.id).join(Team).where(
            Team.slug == "north", SupervisionSession.status == "scheduled"))
        return {"families": families, "scheduled": scheduled}


def table_cells(page, chart_id: str) -> list[list[str]]:
    return page.locator(f'[data-chart-table="{chart_id}"] tbody tr').evaluate_all(
        "rows => rows.map(r => Array.from(r.children).map(c => c.textContent.trim()))")


def test_the_team_homes_charts_are_drawn_and_match_their_tables(ids, person):
    manager = person("manager")
    manager.goto("/")
    for chart_id in ("plans-chart", "outcomes-chart"):
        svg = manager.locator(f'[data-chart="{chart_id}"] svg[role=img]')
        expect(svg).to_be_visible()
        assert svg.bounding_box()["width"] > 300 and svg.bounding_box()["height"] > 100
        header = manager.locator(f'[data-chart-table="{chart_id}"] thead th').all_inner_texts()
        expected = {f"{row[0]}, {header[n]}: {value}" for row in table_cells(manager, chart_id)
                    for n, value in enumerate(row[:-1]) if n and value != "0"}
        drawn = manager.locator(f'[data-chart="{chart_id}"] [data-segment]')
        labels = set(drawn.evaluate_all("els => els.map(e => e.dataset.segment)"))
        assert labels == expected and expected
        heights = drawn.evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
        assert all(height > 0 for height in heights)
    screenshot(manager, "team-home-with-a-year")


def test_the_family_timeline_charts_are_drawn_and_match_their_tables(ids, person):
    page = person("social")
    page.goto(f"/families/{ids['families']['FS-1071']}")
    plan_rows = table_cells(page, "plan-chart")
    points = page.locator('[data-chart="plan-chart"] [data-point]')
    expect(points).to_have_count(len(plan_rows))
    assert points.evaluate_all("els => els.map(e => e.dataset.point)") == [f"{day}: {plan}" for day, plan in plan_rows]
    stage_rows = table_cells(page, "stage-chart")
    drawn = page.locator('[data-chart="stage-chart"] [data-series]').evaluate_all(
        "gs => gs.flatMap(g => Array.from(g.querySelectorAll('[data-point]')).map(p => g.dataset.series + '|' + p.dataset.point))")
    assert sorted(drawn) == sorted(f"{who}|{day}: {stage}" for day, who, stage in stage_rows)
    assert page.locator('[data-chart="stage-chart"] svg[role=img]').bounding_box()["width"] > 300
    screenshot(page, "family-timeline-with-a-year")


PAGES = {
    "manager": ["/", "/families/{FS-1071}", "/sessions/{scheduled}/agenda", "/team/cadence"],
    "practitioner": ["/", "/families/{FS-1042}"],
}


def _urls(ids, username):
    return [url.format(**ids["families"], scheduled=ids["scheduled"]) for url in PAGES[username]]


@pytest.mark.parametrize("username", list(PAGES))
def test_the_new_pages_have_no_accessibility_violations_and_reflow_at_320_pixels(ids, person, username):
    wide = person(username)
    narrow = person(username, viewport={"width": REFLOW_WIDTH, "height": 640})
    for url in _urls(ids, username):
        assert wide.goto(url).status == 200
        violations = axe_violations(wide)
        assert violations == [], f"{url}: {violations}"
        assert narrow.goto(url).status == 200
        fits(narrow, f"timeline-{username}-{url.strip('/').replace('/', '-') or 'home'}")


def test_the_keyboard_reaches_the_downloads_and_plans_a_session(ids, person):
    manager = person("manager")
    manager.goto("/")
    keys = Keyboard(manager)
    keys.tab_to("Change how often families are discussed", limit=200)
    keys.tab_to("Download families by plan level (CSV)", limit=400)
    with manager.expect_download() as download:
        keys.press("Enter")
    assert download.value.suggested_filename.startswith("families-by-plan-level-")
    keys.tab_to("Download decisions by outcome (CSV)", limit=60)

    manager.goto(f"/sessions/{ids['scheduled']}/agenda")
    keys = Keyboard(manager)
    keys.tab_to("Fraser family", limit=40)  # the first family due, ticked
    assert manager.evaluate("document.activeElement.checked") is True
    keys.tab_to("Add the families due to the agenda", limit=20)
    keys.press("Enter")
    expect(manager.locator(".govuk-notification-banner")).to_contain_text("Added to the agenda:")
    expect(manager.locator('form[data-form="due"]')).to_have_count(0)

    manager.goto("/team/cadence")
    keys = Keyboard(manager)
    keys.tab_to("Early Help: weeks between discussions", limit=20)
    manager.keyboard.press("Control+A")
    keys.type("10")
    keys.tab_to("Save", limit=10)
    keys.press("Enter")
    expect(manager.locator(".govuk-notification-banner")).to_contain_text("has been saved")
