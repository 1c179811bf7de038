"""Signing in through the council's OpenID provider in Chromium: the real provider's pages.

Someone the service does not know is turned away with what to tell their manager; the
manager adds them with that sign-in identity and a role; they sign in; the manager closes
the account and they are turned away again.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.databases import DEMO_PASSWORD
from tests.e2e.conftest import axe_violations
from tests.web.test_single_sign_on import serve_with_single_sign_on

SAM = "sam.jones@example.gov.uk"


@pytest.fixture
def council(app):
    server, provider = serve_with_single_sign_on(app)
    yield server
    server.stop()
    provider.stop()


def _context(chromium, council):
    context = chromium.new_context(base_url=council.url, viewport={"width": 1024, "height": 768})
    # The provider's page asks for a web font; nothing leaves the machine in a test.
    context.route("https://**/*", lambda route: route.abort())
    return context


def test_a_person_added_by_the_manager_signs_in_through_the_provider(app, chromium, council):
    sam_context, manager_context = _context(chromium, council), _context(chromium, council)
    try:
        sam = sam_context.new_page()
        sam.goto("/families")
        expect(sam.get_by_role("heading", level=1)).to_have_text("Sign in to group supervision")
        assert axe_violations(sam) == []
        sam.get_by_role("button", name="Sign in with your council account").click()
        # The provider's own sign-in and consent pages.
        sam.locator("input[name=login]").fill("stranger")
        sam.locator("input[name=password]").fill("any")
        sam.locator("[type=submit]").first.click()
        sam.get_by_role("button", name="Continue").click()
        expect(sam.get_by_role("heading", level=1)).to_have_text("You cannot sign in to group supervision yet")
        expect(sam.locator("[data-sign-in-identity]")).to_have_text(SAM)
        assert axe_violations(sam) == []

        manager = manager_context.new_page()
        manager.goto("/sign-in")
        manager.get_by_label("Username").fill("manager")
        manager.get_by_label("Password").fill(DEMO_PASSWORD)
        manager.get_by_role("button", name="Sign in", exact=True).click()
        manager.get_by_role("link", name="People").click()
        manager.get_by_role("button", name="Add a person").click()
        manager.get_by_label("Full name").fill("Sam Jones")
        manager.get_by_label("Username").fill("sam")
        manager.get_by_label("Role").select_option(label="Child and family social worker")
        manager.get_by_label("Sign-in identity").fill(SAM)
        manager.get_by_role("button", name="Add person").click()
        expect(manager.locator(".govuk-notification-banner")).to_contain_text("Sam Jones has been added")

        # Still signed in at the provider, so it sends Sam straight back, and this time he is let in.
        sam.get_by_role("link", name="Go to the sign-in page").click()
        sam.get_by_role("button", name="Sign in with your council account").click()
        expect(sam.locator(".app-account")).to_contain_text("Sam Jones")
        expect(sam.get_by_role("link", name="Families")).to_be_visible()

        manager.get_by_role("button", name="Close account").click()
        expect(manager.locator(".govuk-notification-banner")).to_contain_text("account is closed")
        sam.reload()
        expect(sam.get_by_role("heading", level=1)).to_have_text("Sign in to group supervision")
        sam.get_by_role("button", name="Sign in with your council account").click()
        expect(sam.get_by_role("heading", level=1)).to_have_text("Your account has been closed")
    finally:
        sam_context.close()
        manager_context.close()
