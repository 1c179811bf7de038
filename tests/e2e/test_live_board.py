"""Four people in four browsers run one family's discussion on the live board, and the record is exported.

The team manager chairs and decides, the social worker presents, the recovery worker gives her
perspective and business support keeps the notes and exports the Word record. Everything each of
them adds appears on the others' screens without a reload; the big screen follows the room.
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import Card
from tests.e2e.conftest import cards, connection, open_board, room_status, screenshot, todays_north_session
from tests.unit.test_docx_writer import headings, open_docx, texts

LIVE = 15_000  # ms: how long a change may take to reach another screen on a busy machine


def activity(page: Page):
    return page.locator("[data-activity] li")


def see_everywhere(pages: list[Page], text: str) -> None:
    for page in pages:
        expect(cards(page, text)).to_have_count(1, timeout=LIVE)


def stage_heading(page: Page, name: str):
    return page.get_by_role("heading", level=3, name=name, exact=True)


def test_four_people_run_one_family_and_business_support_downloads_the_record(app, person):
    today = todays_north_session(app)
    harper = today.items["FS-1042"]
    manager, social, recovery, support = (open_board(person(name), today.board)
                                          for name in ("manager", "social", "recovery", "support"))
    everyone = [manager, social, recovery, support]
    # The shared screen in the room: the chair's laptop shows the big-screen view in a second tab.
    screen = open_board(manager.context.new_page(), today.present)
    expect(screen.get_by_role("heading", level=1)).to_have_text("Group supervision starts soon")

    # Everyone sees who is on the board, by name and role in words.
    for page in everyone:
        expect(page.locator("[data-presence-list] li")).to_have_count(4, timeout=LIVE)
    expect(manager.locator("[data-presence-list]")).to_contain_text("Grace Whitfield Recovery worker")

    manager.get_by_role("button", name="Start the session").click()
    for page in everyone:
        expect(room_status(page)).to_contain_text("The room is on Harper family: Family situation", timeout=LIVE)
        expect(stage_heading(page, "Family situation")).to_be_visible()
    expect(screen.get_by_role("heading", level=1)).to_have_text("Family situation", timeout=LIVE)
    expect(activity(social).first).to_contain_text("Helen Brooks started the session")

    # 1. Family situation: the social worker presents; business support writes notes as she listens.
    situation = "Mia has moved to a flat nearer her aunt. Ava is gaining weight."
    social.get_by_role("textbox", name="Add to the family situation").fill(situation)
    social.get_by_role("button", name="Add to the family situation").click()
    see_everywhere(everyone, situation)
    expect(screen.locator(".app-present__card", has_text=situation)).to_have_count(1, timeout=LIVE)
    for page in (manager, recovery, support):
        # One polite announcement, in summary, naming the role.
        expect(activity(page).first).to_contain_text("Priya Shah added to the Harper family's situation", timeout=LIVE)
    expect(social.locator("[data-own-status]")).to_have_text("Your card has been added.")

    notes = support.get_by_role("textbox", name="Notes of the discussion")
    notes.click()
    support.keyboard.type("Priya presented. Mia has moved nearer her aunt.")
    expect(support.locator(f"#notes-panel-{harper} [data-notes-status]")).to_contain_text("Saved at", timeout=LIVE)
    for page in (social, recovery):
        expect(page.locator(f"#notes-panel-{harper} [data-notes-text]")).to_have_text(
            "Priya presented. Mia has moved nearer her aunt.", timeout=LIVE)
    # The manager may write the notes too: the text arrives in her box, which she has not touched.
    expect(manager.get_by_role("textbox", name="Notes of the discussion")).to_have_value(
        "Priya presented. Mia has moved nearer her aunt.", timeout=LIVE)
    # Notes typed letter by letter are not read out to everyone, letter by letter or at all.
    expect(activity(recovery)).to_have_text([re.compile("Priya Shah added to the Harper family's situation"),
                                             re.compile("Helen Brooks started the session")])
    expect(activity(manager)).to_have_count(1)  # her own changes are not read back to her
    expect(manager.locator("[data-activity]")).to_have_attribute("aria-live", "polite")
    screenshot(manager, "board-situation")
    screenshot(screen, "present-situation")

    # 2. Specialist perspectives: the chair moves the room; everyone's screen follows.
    manager.get_by_role("button", name="Next: Specialist perspectives").click()
    for page in everyone:
        expect(stage_heading(page, "Specialist perspectives")).to_be_visible(timeout=LIVE)
        expect(room_status(page)).to_contain_text("Harper family: Specialist perspectives")
    expect(screen.get_by_role("heading", level=1)).to_have_text("Specialist perspectives", timeout=LIVE)

    # The recovery worker is mid-sentence when the social worker's card arrives: she keeps her
    # text and her cursor.
    box = recovery.get_by_role("textbox", name="Add your perspective")
    box.click()
    recovery.keyboard.type("Two clear tests this month")
    social_view = "Mia asked the health visitor for help with her housing."
    social.get_by_role("textbox", name="Add your perspective").fill(social_view)
    social.get_by_role("button", name="Add your perspective").click()
    see_everywhere(everyone, social_view)
    expect(box).to_be_focused()
    expect(box).to_have_value("Two clear tests this month")
    assert box.evaluate("el => [el.selectionStart, el.selectionEnd]") == [26, 26]
    recovery.keyboard.type("; she sometimes arrives at testing tired.")
    perspective = "Two clear tests this month; she sometimes arrives at testing tired."
    expect(box).to_have_value(perspective)
    recovery.get_by_role("combobox", name="About which adult (optional)").select_option(label="Mia (Mother)")
    recovery.get_by_role("combobox", name="Their stage of change (optional)").select_option(label="Preparation")
    recovery.get_by_role("button", name="Add your perspective").click()
    see_everywhere(everyone, perspective)
    expect(box).to_have_value("")
    for page in everyone:
        card = page.locator("#board-main .app-card", has_text=perspective)
        expect(card).to_contain_text("Grace Whitfield, Recovery worker")
        expect(card).to_contain_text("About Mia (Mother): stage of change Preparation")
    expect(activity(manager).first).to_contain_text("Grace Whitfield added a perspective on the Harper family")
    expect(screen.locator(".app-present__card", has_text=perspective)).to_contain_text(
        "stage of change: Preparation", timeout=LIVE)
    # She changes the stage of change: her card's forms open beside it, filled as the card stands.
    own = recovery.locator("#board-main .app-card", has_text=perspective)
    own.get_by_role("link", name=re.compile("^Change or remove")).click()
    expect(own.get_by_role("textbox", name="Change the text")).to_be_focused()
    expect(own.get_by_role("textbox", name="Change the text")).to_have_value(perspective)
    expect(own.get_by_role("combobox", name="About which adult (optional)")).to_have_value(
        own.get_by_role("option", name="Mia (Mother)").get_attribute("value"))
    stage_of_change = own.get_by_role("combobox", name="Their stage of change (optional)")
    expect(stage_of_change.locator("option:checked")).to_have_text("Preparation")
    stage_of_change.select_option(label="Action")
    own.get_by_role("button", name="Save the change").click()
    for page in everyone:
        expect(page.locator("#board-main .app-card", has_text=perspective)).to_contain_text(
            "About Mia (Mother): stage of change Action", timeout=LIVE)
    expect(own.get_by_role("link", name=re.compile("^Change or remove"))).to_be_focused()
    screenshot(manager, "board-perspectives")
    screenshot(screen, "present-perspectives")

    # 3. Analysis, under its headings, strengths first.
    manager.get_by_role("button", name="Next: Analysis").click()
    for page in everyone:
        expect(stage_heading(page, "Analysis")).to_be_visible(timeout=LIVE)
    for page, heading, text in [
        (social, "What is working well", "Mia goes to every health visitor appointment with Ava."),
        (recovery, "What we are worried about", "We do not know when Liam visits."),
        (manager, "The child's lived experience", "What does this mean for a baby who cannot tell anyone?"),
    ]:
        page.locator(f"#item-{harper}").get_by_text(f"Add under “{heading}”").click()
        page.get_by_role("textbox", name=heading).fill(text)
        page.get_by_role("button", name=f"Add under {heading}").click()
        see_everywhere(everyone, text)
        for other in everyone:
            expect(other.locator(".app-heading-group", has_text=heading).locator(".app-card__text")).to_have_text(
                [text])
    expect(screen.locator(".app-present__card")).to_have_count(3, timeout=LIVE)
    screenshot(manager, "board-analysis")
    screenshot(screen, "present-analysis")

    # The recovery worker is still writing a hypothesis when the chair moves on: her screen stays
    # with her text, says why in one announcement, and offers the way to the room.
    recovery.locator(f"#item-{harper}").get_by_text("Add under “Hypotheses”").click()
    hypothesis = recovery.get_by_role("textbox", name="Hypotheses")
    hypothesis.click()
    recovery.keyboard.type("Mia may be using to cope with")
    told_before = activity(recovery).count()

    # 4. Decision: others propose actions; only the manager decides, accepts and signs off.
    manager.get_by_role("button", name="Next: Decision").click()
    for page in (manager, social, support):
        expect(stage_heading(page, "Decision")).to_be_visible(timeout=LIVE)
        expect(page.locator(f"#item-{harper} [data-stage-link='decision']")).to_contain_text("Room is here")
    expect(activity(recovery)).to_have_count(told_before + 1, timeout=LIVE)
    expect(activity(recovery).first).to_contain_text(
        "Helen Brooks moved the room to the Harper family: Decision. Finish what you are writing, then choose “Go to where the room is”.")
    expect(recovery.get_by_role("link", name="Go to where the room is")).to_be_visible()
    expect(stage_heading(recovery, "Analysis")).to_be_visible()
    expect(hypothesis).to_be_focused()
    recovery.keyboard.type(" Liam's visits.")
    expect(hypothesis).to_have_value("Mia may be using to cope with Liam's visits.")
    recovery.get_by_role("button", name="Add under Hypotheses").click()
    see_everywhere(everyone, "Mia may be using to cope with Liam's visits.")
    recovery.get_by_role("link", name="Go to where the room is").click()
    expect(stage_heading(recovery, "Decision")).to_be_visible()
    expect(recovery.get_by_role("link", name="Go to where the room is")).to_be_hidden()
    proposal = "Ask the health visitor to join the next core group."
    social.get_by_role("textbox", name="Propose an action").fill(proposal)
    social.get_by_role("button", name="Propose the action").click()
    for page in everyone:
        expect(page.locator(".app-action--proposed", has_text=proposal)).to_be_visible(timeout=LIVE)

    back_on = date.today() + timedelta(weeks=6)
    manager.get_by_role("textbox", name="Decision").fill("Continue the Child Protection plan.")
    manager.get_by_role("textbox", name="Rationale").fill("Mia is making progress but Ava cannot tell anyone how home is.")
    manager.get_by_role("radio", name="Continue the plan").check()
    manager.locator(f"#decision-{harper}-next_discussion_on").fill(back_on.isoformat())
    manager.get_by_role("button", name="Save the decision").click()
    for page in (social, recovery, support):
        expect(page.locator(f"#decision-panel-{harper}")).to_contain_text("Continue the Child Protection plan.",
                                                                          timeout=LIVE)
        expect(page.locator(f"#decision-panel-{harper} .app-draft")).to_contain_text("Draft.")

    manager.locator(f"#item-{harper}").get_by_text(f"Accept “{proposal}”").click()
    accept = manager.locator(f"#actions-{harper} .app-action__accept")
    accept.get_by_role("combobox", name="Who will do it").select_option(label="Priya Shah, Child and family social worker")
    accept.get_by_label("By when").fill((date.today() + timedelta(weeks=2)).isoformat())
    manager.get_by_role("button", name="Accept the action").click()
    for page in everyone:
        expect(page.locator(f"#actions-{harper} .app-action", has_text=proposal)).to_contain_text(
            "Priya Shah", timeout=LIVE)
        expect(page.locator(".app-action--proposed")).to_have_count(0)

    manager.get_by_role("button", name="Sign off the saved decision").click()
    for page in everyone:
        expect(page.locator(f"#decision-panel-{harper}-signed")).to_contain_text(
            "Signed off by Helen Brooks, Team manager", timeout=LIVE)
    expect(screen.locator(".app-present__meta", has_text="signed off by Helen Brooks")).to_be_visible(timeout=LIVE)
    expect(manager.locator(f"[data-item-link='{harper}'] + .app-agenda__meta")).to_contain_text(
        "decision signed off", timeout=LIVE)
    screenshot(manager, "board-decision")
    screenshot(support, "board-decision-business-support")
    screenshot(screen, "present-decision")

    with app.app_context():
        texts_on_disk = db.session.scalars(select(Card.text).where(Card.agenda_item_id == harper)).all()
    assert sorted(texts_on_disk) == sorted([situation, social_view, perspective,
                                            "Mia goes to every health visitor appointment with Ava.",
                                            "We do not know when Liam visits.",
                                            "What does this mean for a baby who cannot tell anyone?",
                                            "Mia may be using to cope with Liam's visits."])

    # Business support exports the Harper family's record for its case file and downloads it.
    support.goto(f"/sessions/{today.session_id}")
    # While the export request runs, the button says so and cannot be pressed twice, and a status
    # message says which record is being written. What the page shows once the form has been sent
    # is noted in sessionStorage, which outlives the navigation to the outcome page.
    support.evaluate("""() => document.addEventListener('submit', () => {
        const button = document.querySelector('button[data-exporting]')
        sessionStorage.setItem('while-exporting', JSON.stringify(button && {
            disabled: button.disabled, text: button.textContent,
            status: document.querySelector('[data-export-status]').textContent}))
    })""")
    with support.expect_navigation(url=re.compile(r"/exports/\d+$")):
        support.get_by_role("button", name="Export the record for Harper family (FS-1042)").click()
    assert json.loads(support.evaluate("sessionStorage.getItem('while-exporting')")) == {
        "disabled": True, "text": "Exporting…", "status": "Exporting the record for Harper family (FS-1042)…"}

    banner = support.locator(".govuk-notification-banner--success")
    expect(banner).to_be_visible(timeout=LIVE)
    expect(banner).to_contain_text("Harper family (FS-1042) has been exported")
    screenshot(support, "export-outcome")
    with support.expect_download() as download_info:
        banner.get_by_role("link", name=re.compile("Download the Word file")).click()
    download = download_info.value
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}_north_FS-1042_group-supervision\.docx", download.suggested_filename)
    document = open_docx(download.path())
    assert ("Heading 1", "Harper family (FS-1042)") in headings(document)
    body = texts(document)
    assert any(line.startswith("Signed off by Helen Brooks, Team manager, on ") for line in body), body
    assert perspective in "\n".join(body)
    assert "Khan family" not in "\n".join(body)


def test_without_javascript_the_board_and_the_export_work_by_ordinary_form_posts(app, person):
    today = todays_north_session(app)
    manager = person("manager", java_script_enabled=False)
    manager.goto(today.board)
    expect(connection(manager)).to_have_text("Not live: reload the page to see the latest changes.")
    manager.get_by_role("button", name="Start the session").click()
    expect(manager.locator(".govuk-notification-banner--success")).to_contain_text("The session has started.")
    expect(room_status(manager)).to_contain_text("The room is on Harper family: Family situation")

    manager.get_by_role("textbox", name="Add to the family situation").fill("Mia has moved nearer her aunt.")
    manager.get_by_role("button", name="Add to the family situation").click()
    expect(manager.locator(".govuk-notification-banner--success")).to_contain_text("Your card has been added.")
    expect(cards(manager, "Mia has moved nearer her aunt.")).to_have_count(1)

    manager.get_by_role("button", name="Next: Specialist perspectives").click()
    expect(stage_heading(manager, "Specialist perspectives")).to_be_visible()
    manager.goto(today.present)
    expect(manager.get_by_role("heading", level=1)).to_have_text("Specialist perspectives")

    manager.goto(f"/sessions/{today.session_id}")
    manager.get_by_role("button", name="Export the record for Harper family (FS-1042)").click()
    expect(manager.locator(".govuk-notification-banner--success")).to_contain_text(
        "Harper family (FS-1042) has been exported as a DRAFT")
    with manager.expect_download() as download_info:
        manager.get_by_role("link", name="Download the Word file").click()
    assert ("Heading 1", "Harper family (FS-1042)") in headings(open_docx(download_info.value.path()))
