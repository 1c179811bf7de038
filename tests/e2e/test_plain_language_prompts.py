"""Gentle plain-language prompts in a real browser: beside the field as people type, and after a post without JavaScript."""
from __future__ import annotations

from playwright.sync_api import expect

from supervision.domain.plain_language import DEFAULT_KEYS
from tests.e2e.conftest import axe_violations, open_board, room_status, todays_north_session

LIVE = 15_000  # ms
PROMPT_WITHIN = 1_000  # ms after the typing stops
FAILED = DEFAULT_KEYS["failed-to-engage"]


def started_board(app, person):
    today = todays_north_session(app)
    manager = open_board(person("manager"), today.board)
    manager.get_by_role("button", name="Start the session").click()
    expect(room_status(manager)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    return today, manager


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_typing_a_listed_phrase_shows_a_prompt_beside_the_field_without_taking_focus(app, person):
    today, _manager = started_board(app, person)
    social = open_board(person("social"), today.board)
    box = social.get_by_role("textbox", name="Add to the family situation")
    field_id = box.get_attribute("id")
    box.press_sequentially("Mia has failed to\nengage with the recovery worker")

    prompts = social.locator(f"#{field_id}-prompts")
    prompt = prompts.locator("[data-prompt='failed-to-engage']")
    expect(prompt).to_be_visible(timeout=PROMPT_WITHIN)
    expect(prompt).to_contain_text("“failed to\nengage”")
    expect(prompt).to_contain_text(FAILED.why)
    expect(prompt).to_contain_text(FAILED.instead)
    assert focused_id(social) == field_id, "the prompt never takes focus"
    expect(social.locator("#plain-language-announcer")).to_have_attribute("aria-live", "polite")
    expect(social.locator("#plain-language-announcer")).to_contain_text(FAILED.why)
    assert axe_violations(social) == []

    # Typing on after a quotation from the family adds nothing for the quoted words.
    box.press_sequentially('. She said "I am not hard to reach"')
    box.press_sequentially(" and is non-compliant")
    expect(prompts.locator("[data-prompt='non-compliant']")).to_be_visible(timeout=PROMPT_WITHIN)
    expect(prompts.locator("[data-prompt='hard-to-reach']")).to_have_count(0)

    # Dismissed, it goes and stays gone for this field; focus goes back to the writing.
    prompt.get_by_role("button", name="Dismiss the thought on “failed to engage”").click()
    expect(prompt).to_have_count(0)
    assert focused_id(social) == field_id
    box.press_sequentially(" again")
    expect(prompts.locator("[data-prompt='non-compliant']")).to_be_visible()
    expect(prompt).to_have_count(0)

    # Nothing is blocked: the card is added as written, and the emptied field has no prompts left.
    social.get_by_role("button", name="Add to the family situation").click()
    expect(social.locator(".app-card__text", has_text="is non-compliant again")).to_be_visible(timeout=LIVE)
    expect(prompts).to_have_count(0)


def test_the_keyboard_on_a_prompt_that_goes_with_the_sent_text_returns_to_the_field(app, person):
    """Someone is on a prompt's Dismiss when what they wrote is sent: the prompt goes as the sent form
    is cleared, and their keyboard lands on the field, not at the top of the page. (With the keyboard
    alone: Enter on "Add", then Shift+Tab back onto Dismiss before the answer comes.)"""
    today, _manager = started_board(app, person)
    social = open_board(person("social"), today.board)
    box = social.get_by_role("textbox", name="Add to the family situation")
    field_id = box.get_attribute("id")
    box.fill("Mia has failed to engage with the recovery worker.")
    dismiss = social.get_by_role("button", name="Dismiss the thought on “failed to engage”")
    expect(dismiss).to_be_visible(timeout=PROMPT_WITHIN)
    dismiss.focus()
    # Sent while the keyboard is on Dismiss: as if Enter on "Add" and Shift+Tab came in one moment.
    social.evaluate("""id => { const form = document.getElementById(id).form
                             form.requestSubmit(form.querySelector('button[type=submit]')) }""", field_id)
    expect(social.locator(".app-card__text", has_text="failed to engage with the recovery worker")).to_be_visible(
        timeout=LIVE)
    expect(box).to_have_value("")
    expect(dismiss).to_have_count(0)  # its prompt went with the text
    assert focused_id(social) == field_id, "the keyboard went back to the field"


def test_without_javascript_the_same_prompt_shows_after_the_form_is_sent(app, person):
    today, _manager = started_board(app, person)
    social = person("social", java_script_enabled=False)
    social.goto(today.board)
    box = social.get_by_role("textbox", name="Add to the family situation")
    field_id = box.get_attribute("id")
    box.fill("Mia has failed to engage this week.")
    social.get_by_role("button", name="Add to the family situation").click()
    expect(social.get_by_text("Your card has been added.")).to_be_visible()
    prompt = social.locator(f"#{field_id}-prompts [data-prompt]")
    expect(prompt).to_have_count(1)
    expect(prompt).to_contain_text("“failed to engage”")
    expect(prompt).to_contain_text(FAILED.why)
    expect(prompt).to_contain_text(FAILED.instead)

    # axe needs a script to run: the same page, as the server sent it, checked in a browser that runs scripts.
    sent = social.content()
    checker = person("social")
    checker.route(today.board + "?as-sent", lambda route: route.fulfill(body=sent, content_type="text/html"))
    checker.goto(today.board + "?as-sent")
    expect(checker.locator(f"#{field_id}-prompts [data-prompt]")).to_have_count(1)
    assert axe_violations(checker) == []


def test_the_prompts_work_on_a_letter_to_the_family(app, person):
    from sqlalchemy import select

    from supervision.extensions import db
    from supervision.services import letters
    from supervision.store.models import Family, SupervisionSession, Team, User

    with app.app_context():
        session = db.session.scalar(select(SupervisionSession).join(Team).where(
            Team.slug == "north", SupervisionSession.status == "closed"))
        harper = db.session.scalar(select(Family).where(Family.case_reference == "FS-1042"))
        social_id = db.session.scalar(select(User.id).where(User.username == "social"))
        letters.start(social_id, session.id, harper.id)
        url = f"/sessions/{session.id}/families/{harper.id}/letter"
    social = person("social")
    social.goto(url)
    expect(social.get_by_role("heading", name="Letter to the family")).to_be_visible()
    part = social.locator("#letter-text-1")
    part.fill("")
    part.press_sequentially("We are worried that Liam refused to meet the DA worker")
    prompts = social.locator("#letter-text-1-prompts")
    expect(prompts.locator("[data-prompt='refused-to']")).to_be_visible(timeout=PROMPT_WITHIN)
    expect(prompts.locator("[data-prompt='da']")).to_be_visible(timeout=PROMPT_WITHIN)
    assert focused_id(social) == "letter-text-1"
    assert axe_violations(social) == []
