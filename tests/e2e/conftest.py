"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Never `playwright install`: the browser is /usr/bin/chromium, installed by `make test`.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import SupervisionSession, Team
from tests.databases import DEMO_PASSWORD
from tests.live_server import LiveServer

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# Chromium as the service's users have it: in British English, so a date field reads dd/mm/yyyy.
# (Debian's chromium-l10n holds the language; scripts/ensure_system_packages.sh installs it.)
BRITISH_ENGLISH = {**os.environ, "LANGUAGE": "en_GB", "LANG": "en_GB.UTF-8"}
# Conditions are waited for, never slept on; a busy two-core CI machine gets some room to meet them.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def chromium():
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM}; `make test` installs Debian's chromium."
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=BRITISH_ENGLISH)
        yield browser
        browser.close()


@pytest.fixture
def server(app):
    live = LiveServer(app).start()
    yield live
    live.stop()


@pytest.fixture
def person(chromium, server):
    """person("manager") -> a Page in its own browser context, signed in through the real form."""
    contexts = []

    def _person(username: str, **context_options) -> Page:
        context = chromium.new_context(**{"base_url": server.url, "viewport": {"width": 1366, "height": 768},
                                          **context_options})
        contexts.append(context)
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/sign-in" not in url)
        return page

    yield _person
    for context in contexts:
        context.close()


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core (served from static/vendor) on the page with all its rules, best practice included."""
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("axe.run(document)")
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # so what sticks to the top of the window is drawn in place
    page.screenshot(path=str(path), full_page=True)
    return path


# ---------------------------------------------------------------- the live board

CONNECTED_TIMEOUT = 15_000


@dataclass(frozen=True)
class Today:
    """The North team's session scheduled today (Harper, Khan and Okoro on its agenda)."""

    session_id: int
    items: dict[str, int]  # case reference -> agenda item id

    @property
    def board(self) -> str:
        return f"/sessions/{self.session_id}/board"

    @property
    def present(self) -> str:
        return f"/sessions/{self.session_id}/board/present"


def todays_north_session(app) -> Today:
    with app.app_context():
        north = db.session.scalar(select(Team).where(Team.slug == "north"))
        session = db.session.scalar(select(SupervisionSession).where(
            SupervisionSession.team_id == north.id, SupervisionSession.status == "scheduled"))
        items = {item.family.case_reference: item.id for item in session.agenda}
        return Today(session.id, items)



def connection(page: Page):
    return page.locator("[data-connection-state]")


def open_board(page: Page, url: str) -> Page:
    """Go to a board page and wait until its script has joined the session live."""
    page.goto(url)
    expect(connection(page)).to_have_text("Connected", timeout=CONNECTED_TIMEOUT)
    return page


def room_status(page: Page):
    return page.locator(".app-room__status")


def cards(page: Page, text: str):
    return page.locator("#board-main .app-card__text", has_text=text)
