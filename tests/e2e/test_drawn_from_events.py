"""Every screen draws every change from its event: the board page is read once, when it opens.

Each event carries the regions of the page it touched, rendered once by the server for everyone;
each browser keeps only the controls its person may use. Here the chair, the social worker,
business support and the big screen follow a whole family's discussion, and none of them asks
for the board page again.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import cards, open_board, room_status, todays_north_session

LIVE = 15_000  # ms


def count_page_reads(page: Page, session_id: int) -> list[str]:
    board_page = re.compile(rf"/sessions/{session_id}/board(/present)?(\?.*)?$")
    reads: list[str] = []
    page.on("request", lambda request: reads.append(request.url) if board_page.search(request.url) else None)
    return reads


def controls(page: Page) -> list[str]:
    """The board's forms (by the change each sends, and its id) and links to change a card, leaving out
    a form kept because its person was writing in it when its part of the page went; one drawn
    before the session started and still hidden until it goes live says so."""
    return page.evaluate("""() => [...document.querySelectorAll('#board-body form[id], #board-body [data-card-change]')]
        .filter(el => !el.querySelector('[data-orphan]'))
        .map(el => `${el.dataset.change || 'card_change'} ${el.id}${el.closest('[data-shown-while][hidden]') ? ' (hidden)' : ''}`)
        .sort()""")


def same_controls_as_a_fresh_page(page: Page, board: str) -> None:
    fresh = open_board(page.context.new_page(), board)
    assert controls(page) == controls(fresh)
    fresh.close()


def test_no_screen_reads_the_page_again_while_a_family_is_discussed(app, person):
    today = todays_north_session(app)
    harper = today.items["FS-1042"]
    manager, social, support = (open_board(person(name), today.board) for name in ("manager", "social", "support"))
    screen = open_board(person("senior"), today.present)
    boards = [manager, social, support]
    reads = {page: count_page_reads(page, today.session_id) for page in boards + [screen]}
    errors: list[str] = []
    for page in boards + [screen]:
        page.on("pageerror", lambda error: errors.append(str(error)))

    # The session starts: the whole board is redrawn, with each person's own controls.
    manager.get_by_role("button", name="Start the session").click()
    for page in boards:
        expect(room_status(page)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    expect(screen.get_by_role("heading", level=1)).to_have_text("Family situation", timeout=LIVE)
    expect(manager.get_by_role("button", name="Next: Specialist perspectives")).to_be_visible()
    expect(social.get_by_role("button", name=re.compile("^Next"))).to_have_count(0)
    expect(social.get_by_role("textbox", name="Add to the family situation")).to_be_visible()
    expect(support.get_by_role("textbox", name="Notes of the discussion")).to_be_visible()
    expect(social.get_by_role("textbox", name="Notes of the discussion")).to_have_count(0)
    # Every family's forms were on the page, hidden until the room went live: each screen now has
    # the controls a page read afresh has, all shown, though nothing was drawn again whole.
    for page in boards:
        same_controls_as_a_fresh_page(page, today.board)

    # Last time's actions, reviewed by the social worker.
    social.locator(f"#review-{harper} .app-review__item").first.get_by_role("button", name="Done", exact=True).click()
    for page in (manager, support):
        expect(page.locator(f"#review-{harper} .app-review__item").first).to_contain_text(
            "Marked: Done", timeout=LIVE)
    expect(screen.locator(".app-present__card").first).to_contain_text("Done", timeout=LIVE)

    # A card: added, changed and removed by its author, with her controls on her screen only.
    text = "Mia walked Ava to nursery every day this week."
    social.get_by_role("textbox", name="Add to the family situation").fill(text)
    social.get_by_role("button", name="Add to the family situation").click()
    for page in boards:
        expect(cards(page, text)).to_have_count(1, timeout=LIVE)
    expect(screen.locator(".app-present__card", has_text=text)).to_have_count(1, timeout=LIVE)
    own = social.locator("#board-main .app-card", has_text=text)
    # Someone else's new card is highlighted for a moment; your own is not.
    for page in (manager, support):
        expect(page.locator("#board-main .app-card.app-changed", has_text=text)).to_have_count(1)
    expect(own).not_to_have_class(re.compile("app-changed"))
    # The highlight is a pale yellow (links on it keep 4.5:1), fading behind the words (not over them).
    glow = manager.evaluate("""() => {
        const el = document.createElement('div')
        el.className = 'app-changed'
        document.body.append(el)
        const after = getComputedStyle(el, '::after')
        const seen = [after.backgroundColor, after.zIndex, after.animationName]
        el.remove()
        return seen
    }""")
    assert glow == ["rgb(255, 243, 166)", "-1", "app-changed"]
    expect(own.locator(".app-card__you")).to_be_visible()
    expect(support.locator("#board-main .app-card", has_text=text).locator(".app-card__you")).to_be_hidden()
    expect(support.locator("#board-main .app-card", has_text=text).get_by_text("Change or remove")).to_have_count(0)
    expect(manager.locator("#board-main .app-card", has_text=text).get_by_text("Change or remove")).to_have_count(1)
    expect(manager.locator(f"#item-{harper} [data-stage-link='situation'] .app-stages__count")).to_have_text("1 card")

    own.get_by_text("Change or remove").click()
    own.get_by_role("textbox", name="Change the text").fill(text + " And home again.")
    own.get_by_role("button", name="Save the change").click()
    for page in (manager, support):
        expect(cards(page, "And home again.")).to_have_count(1, timeout=LIVE)
    expect(screen.locator(".app-present__card", has_text="And home again.")).to_have_count(1, timeout=LIVE)
    kept = "Ava's nursery says she is settled."
    social.get_by_role("textbox", name="Add to the family situation").fill(kept)
    social.get_by_role("button", name="Add to the family situation").click()
    expect(cards(manager, kept)).to_have_count(1, timeout=LIVE)
    own.get_by_text("Change or remove").click()
    own.get_by_role("button", name="Remove this card").click()
    for page in (manager, support):
        expect(cards(page, text)).to_have_count(0, timeout=LIVE)
        expect(page.locator(f"#item-{harper} [data-stage-link='situation'] .app-stages__count")).to_have_text("1 card")
    expect(screen.locator(".app-present__card", has_text=text)).to_have_count(0, timeout=LIVE)

    # Notes, as business support types them.
    support.get_by_role("textbox", name="Notes of the discussion").fill("Mia is settled in the new flat.")
    for page in (manager, social):
        expect(page.locator(f"#notes-panel-{harper}")).to_contain_text("Mia is settled in the new flat.", timeout=LIVE)

    # The room moves on, on every screen.
    # Its mark moves from tab to tab and heading to heading, and the chair's "Move the room here"
    # is offered on every stage but the room's.
    for value, stage in (("perspectives", "Specialist perspectives"), ("analysis", "Analysis"),
                         ("decision", "Decision")):
        manager.get_by_role("button", name=f"Next: {stage}").click()
        for page in boards:
            expect(room_status(page)).to_contain_text(f"Harper family: {stage}", timeout=LIVE)
            marks = page.locator(f"#item-{harper} .app-marker", has_text="Room is here")
            expect(marks.filter(visible=True)).to_have_count(2)
            expect(page.locator(f"#item-{harper} [data-stage-link='{value}'] .app-marker")).to_be_visible()
            expect(page.locator(f"#stage-head-{harper}-{value} .app-marker")).to_be_visible()
        expect(screen.get_by_role("heading", level=1)).to_have_text(stage, timeout=LIVE)
        expect(manager.get_by_role("button", name=f"Move the room here (Harper family: {stage})")).to_be_hidden()
        # On the stage the room has left (not shown now), the button is back for when it is.
        assert manager.locator(f"#stage-head-{harper}-situation [data-room-away]").evaluate("el => !el.hidden")

    # Proposed actions: accepted or dropped by the manager alone.
    for proposal in ("Ask the health visitor to join the core group.", "Book a family group conference."):
        social.get_by_role("textbox", name="Propose an action").fill(proposal)
        social.get_by_role("button", name="Propose the action").click()
        for page in (manager, support):
            expect(page.locator(".app-action--proposed", has_text=proposal)).to_be_visible(timeout=LIVE)
    for page in (manager, support, social):
        expect(page.locator(f"#actions-{harper}").get_by_role("heading", name="Proposed actions")).to_be_visible()
    expect(screen.get_by_text("2 proposed actions waiting for the team manager.")).to_be_visible(timeout=LIVE)
    expect(support.get_by_text("Accept “Book a family group conference.”")).to_have_count(0)
    manager.locator(f"#item-{harper}").get_by_text("Accept “Ask the health visitor to join the core group.”").click()
    accept = manager.locator(f"#actions-{harper} .app-action__accept").first
    accept.get_by_role("combobox", name="Who will do it").select_option(label="Priya Shah, Child and family social worker")
    accept.get_by_label("By when").fill((date.today() + timedelta(weeks=2)).isoformat())
    manager.get_by_role("button", name="Accept the action").click()
    manager.get_by_role("button", name="Drop “Book a family group conference.”").click()
    for page in (social, support):
        expect(page.locator(f"#actions-{harper} .app-action", has_text="health visitor")).to_contain_text(
            "Priya Shah", timeout=LIVE)
        expect(page.locator(".app-action--proposed")).to_have_count(0, timeout=LIVE)
        # The lists' headings, counts and "nothing yet" lines follow what they hold.
        actions = page.locator(f"#actions-{harper}")
        expect(actions.get_by_role("heading", name="Proposed actions")).to_be_hidden()
        expect(actions.get_by_text("No actions agreed yet.")).to_be_hidden()
        expect(actions.get_by_text("Dropped proposals (1)")).to_be_visible()
    expect(screen.locator(".app-present__card", has_text="health visitor")).to_have_count(1, timeout=LIVE)
    expect(screen.get_by_text("waiting for the team manager")).to_be_hidden()
    expect(screen.get_by_text("No actions agreed yet.")).to_be_hidden()

    # The decision: saved, signed off, amended, and added to after sign-off.
    manager.get_by_role("textbox", name="Decision").fill("Continue the Child Protection plan.")
    manager.get_by_role("textbox", name="Rationale").fill("Mia is making progress.")
    manager.get_by_role("radio", name="Continue the plan").check()
    manager.locator(f"#decision-{harper}-next_discussion_on").fill((date.today() + timedelta(weeks=6)).isoformat())
    manager.get_by_role("button", name="Save the decision").click()
    for page in (social, support):
        expect(page.locator(f"#decision-panel-{harper} .app-draft")).to_contain_text("Draft.", timeout=LIVE)
    expect(screen.locator(".app-present__decision")).to_have_text("Continue the Child Protection plan.", timeout=LIVE)
    # The social worker is writing a card when the chair signs off: what she wrote stays, saying why.
    social.locator(f"#stages-{harper} [data-stage-link='situation']").click()
    unsent = "Mia's grandmother will help on Fridays."
    social.get_by_role("textbox", name="Add to the family situation").fill(unsent)
    manager.get_by_role("button", name="Sign off the saved decision").click()
    expect(social.locator(f"#add-{harper}-situation .app-orphan")).to_contain_text(
        "The decision is signed off, so this discussion is closed", timeout=LIVE)
    expect(social.get_by_role("textbox", name="Add to the family situation")).to_have_value(unsent)
    for page in (social, support):
        expect(page.locator(f"#decision-panel-{harper}-signed")).to_contain_text("Signed off by Helen Brooks",
                                                                                 timeout=LIVE)
        expect(page.locator(f"[data-item-link='{harper}'] + .app-agenda__meta")).to_contain_text("decision signed off")
    expect(social.get_by_role("textbox", name="Propose an action")).to_have_count(0)
    # The family's discussion is closed on every screen: its cards stay, but no longer change.
    for page in (manager, social):
        expect(cards(page, kept)).to_have_count(1)
        expect(page.locator(f"#item-{harper} [data-card-change]")).to_have_count(0, timeout=LIVE)
        expect(page.locator(f"#closed-note-{harper}-situation")).to_have_js_property("hidden", False)
    expect(manager.locator(f"#add-{harper}-situation")).to_have_count(0)
    expect(social.locator(f"#item-{harper} [data-stage-link='situation'] .app-stages__count")).to_have_text("1 card")
    expect(screen.locator(".app-present__meta", has_text="signed off by Helen Brooks")).to_be_visible(timeout=LIVE)

    manager.locator(f"#item-{harper}").get_by_text("Amend the rationale").click()
    amend = manager.locator(f"#amend-{harper}-rationale")
    amend.get_by_role("textbox", name="New wording").fill("Mia is making steady progress.")
    amend.get_by_role("textbox", name="Reason for the amendment").fill("The wording was too strong.")
    amend.get_by_role("button", name="Record the amendment").click()
    for page in (social, support):
        expect(page.locator(f"#decision-panel-{harper}")).to_contain_text("The wording was too strong.", timeout=LIVE)
        expect(page.locator(f"#decision-summary-{harper}")).to_contain_text("Mia is making steady progress. (amended)")
        expect(page.locator(f"[data-shows-list='amendments-{harper}']")).to_have_js_property("hidden", False)
    # The forms that correct it now build on the amended decision: a second amendment goes straight in.
    manager.locator(f"#item-{harper}").get_by_text("Amend the decision").click()
    amend = manager.locator(f"#amend-{harper}-decision_text")
    amend.get_by_role("textbox", name="New wording").fill("Continue the Child Protection plan for Mia.")
    amend.get_by_role("textbox", name="Reason for the amendment").fill("Name the child.")
    amend.get_by_role("button", name="Record the amendment").click()
    for page in (manager, social, support):
        expect(page.locator(f"#amendments-{harper} > li")).to_have_count(2, timeout=LIVE)
    expect(manager.locator(f"#amend-{harper}-decision_text .app-conflict")).to_have_count(0)
    expect(social.locator(f"#decision-summary-{harper}")).to_contain_text("Continue the Child Protection plan for Mia. (amended)")

    support.get_by_role("textbox", name="Add an entry after sign-off").fill("The school rang: attendance is up.")
    support.get_by_role("button", name="Add the entry").click()
    for page in (manager, social):
        expect(page.locator(f"#after-sign-off-{harper}")).to_contain_text("attendance is up", timeout=LIVE)
    expect(screen.locator(".app-present__card--added", has_text="attendance is up")).to_be_visible(timeout=LIVE)
    expect(social.get_by_role("textbox", name="Add an entry after sign-off")).to_have_count(0)

    # Business support adds a family to the agenda from the set-up pages: only it is drawn, and it opens.
    agenda = support.context.new_page()
    agenda.goto(f"/sessions/{today.session_id}/agenda")
    agenda.get_by_label("Family", exact=True).select_option(label=agenda.locator("option", has_text="Doyle family").inner_text())
    agenda.get_by_role("button", name="Save agenda").click()
    for page in (manager, social):
        page.locator("[data-item-link]", has_text="Doyle family").click()
        expect(page.get_by_role("heading", level=2, name="Doyle family", exact=True)).to_be_visible(timeout=LIVE)
    expect(screen.get_by_role("heading", level=1)).to_have_text("Decision")

    # The session closes.
    manager.locator("#room-close-details summary").click()
    manager.get_by_role("button", name="Close the session").click()
    for page in boards:
        expect(room_status(page)).to_contain_text("This session is closed", timeout=LIVE)
    expect(screen.get_by_role("heading", level=1)).to_have_text("This session is closed", timeout=LIVE)
    # No one's board is drawn again whole, yet each shows the controls the page shows read again:
    # the ways to add, change and move on gone, what may still be done once closed still there.
    for page in boards:
        expect(page.locator("#board-body [data-card-change]")).to_have_count(0, timeout=LIVE)
        same_controls_as_a_fresh_page(page, today.board)
    kinds = {control.split()[0] for control in controls(support)}
    assert {"add_after_sign_off", "save_notes"} <= kinds and "add_card" not in kinds

    assert {page_name: reads[page] for page_name, page in
            zip(("chair", "social worker", "business support", "big screen"), boards + [screen])} == {
        "chair": [], "social worker": [], "business support": [], "big screen": []}
    assert errors == []


def test_someone_elses_change_never_moves_the_keyboard(app, person):
    today = todays_north_session(app)
    harper = today.items["FS-1042"]
    manager, social = (open_board(person(name), today.board) for name in ("manager", "social"))
    manager.get_by_role("button", name="Start the session").click()
    expect(room_status(social)).to_contain_text("Harper family", timeout=LIVE)
    manager.locator("#room-move-details summary").click()
    manager.get_by_role("combobox", name="Stage").select_option(label="Decision")
    manager.get_by_role("button", name="Move the room").click()
    expect(room_status(social)).to_contain_text("Harper family: Decision", timeout=LIVE)

    manager.get_by_role("textbox", name="Decision").fill("Continue the plan.")
    manager.get_by_role("textbox", name="Rationale").fill("Progress.")
    manager.get_by_role("radio", name="Continue the plan").check()
    manager.locator(f"#decision-{harper}-next_discussion_on").fill((date.today() + timedelta(weeks=6)).isoformat())
    manager.get_by_role("button", name="Save the decision").click()
    expect(social.locator(f"#decision-panel-{harper} .app-draft")).to_be_visible(timeout=LIVE)

    # The social worker is writing a proposal when the manager signs off.
    proposal = social.get_by_role("textbox", name="Propose an action")
    proposal.fill("Ask the school")
    expect(proposal).to_be_focused()
    manager.get_by_role("button", name="Sign off the saved decision").click()
    expect(social.locator(f"#decision-panel-{harper}-signed")).to_be_visible(timeout=LIVE)
    # Her words and her keyboard stay where they were, with a note that the form has gone.
    expect(proposal).to_be_focused()
    expect(proposal).to_have_value("Ask the school")
    expect(social.locator(f"#actions-{harper} .app-orphan")).to_be_visible()
    assert social.evaluate("() => !document.activeElement.closest('.app-stages')")


def test_next_pressed_twice_quickly_moves_the_room_one_stage(app, person):
    today = todays_north_session(app)
    manager, social = (open_board(person(name), today.board) for name in ("manager", "social"))
    manager.get_by_role("button", name="Start the session").click()
    expect(room_status(social)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    manager.get_by_role("button", name="Next: Specialist perspectives").dblclick()
    expect(room_status(social)).to_contain_text("Harper family: Specialist perspectives", timeout=LIVE)
    expect(manager.get_by_role("button", name="Next: Analysis")).to_be_visible(timeout=LIVE)
    # One more change from the chair arrives after any second move would have: the room is still here.
    manager.locator("#room-move-details summary").click()
    manager.get_by_role("button", name="Move the room").click()
    expect(social.locator("[data-activity] li").first).to_contain_text(
        "Helen Brooks moved the room to the Harper family: Specialist perspectives", timeout=LIVE)
    expect(room_status(social)).to_contain_text("Harper family: Specialist perspectives")
