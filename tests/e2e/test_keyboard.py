"""A whole family discussion with the keyboard alone: Tab, Shift+Tab, Enter, Space, arrows and typing.

No mouse and no clicks. At every stop the focused element must be on screen, have a visible focus
indicator, and come after the previous one in the page's reading order (before it, going back).
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.e2e.conftest import cards, open_board, room_status, screenshot, todays_north_session

LIVE = 15_000  # ms: how long a change may take to reach another screen on a busy machine

FOCUSED = """() => {
  const el = document.activeElement
  if (!el || el === document.body || el === document.documentElement) return null
  const style = getComputedStyle(el)
  let indicator = [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow]
  if (el.matches('.govuk-radios__input, .govuk-checkboxes__input')) {
    // GOV.UK draws the focus ring of a radio or checkbox around its label's circle or box.
    const ring = getComputedStyle(el.labels[0], '::before')
    indicator = [ring.outlineStyle, ring.outlineWidth, ring.outlineColor, ring.boxShadow]
  }
  const [outlineStyle, outlineWidth, outlineColor, shadow] = indicator
  const outline = outlineStyle !== 'none' && parseFloat(outlineWidth) > 0 &&
    !/rgba\\(.*, 0\\)$|transparent/.test(outlineColor)
  const rect = el.getBoundingClientRect()
  let name = el.getAttribute('aria-label') || ''
  if (!name && el.labels && el.labels.length) name = el.labels[0].textContent
  if (!name) name = el.textContent
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: name.replace(/\\s+/g, ' ').trim(),
    visible_focus: outline || (shadow !== 'none' && shadow !== ''),
    indicator: indicator.join(' | '),
    on_screen: rect.width > 0 && rect.height > 0 && !el.closest('[hidden]'),
    order: Array.prototype.indexOf.call(document.querySelectorAll('*'), el),
  }
}"""


def same_day_and_month(after: date) -> date:
    """A date like 4 April: typed the same into a date field whichever order its locale puts day and month."""
    day = after
    while day.day != day.month:
        day += timedelta(days=1)
    return day


class Keyboard:
    """Moves through a page with Tab and Shift+Tab, checking each stop on the way."""

    def __init__(self, page: Page):
        self.page = page
        self.stops: list[dict] = []

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, name: str, *, back: bool = False, limit: int = 60) -> dict:
        """Press Tab (or Shift+Tab) until the focused element's name starts with `name`."""
        key = "Shift+Tab" if back else "Tab"
        previous = self.focused()
        for _ in range(limit):
            self.page.keyboard.press(key)
            stop = self.focused()
            assert stop is not None, f"focus was lost to the page after {key} from {previous}"
            assert stop["on_screen"], f"focus went to something not shown: {stop}"
            assert stop["visible_focus"], f"no visible focus indicator on {stop}"
            # A stop inside the same element (Chromium's calendar button in a date field) is fine.
            if previous is not None and stop["order"] != previous["order"]:
                forward = stop["order"] > previous["order"]
                assert forward != back, f"{key} went the wrong way: from {previous['name']!r} to {stop['name']!r}"
            self.stops.append(stop)
            if stop["name"].startswith(name):
                return stop
            previous = stop
        raise AssertionError(f"{name!r} not reached with {limit} presses of {key}; passed "
                             f"{[s['name'] for s in self.stops[-limit:]]}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def test_the_chair_runs_a_whole_family_discussion_with_the_keyboard_only(app, person):
    today = todays_north_session(app)
    harper = today.items["FS-1042"]
    manager = open_board(person("manager"), today.board)
    social = open_board(person("social"), today.board)  # watching: what the keyboard does reaches others
    keys = Keyboard(manager)

    # First stop: the skip link, which takes the keyboard past the header to the board.
    keys.tab_to("Skip to main content", limit=1)
    keys.press("Enter")
    expect(manager.locator("#main-content")).to_be_focused()
    keys.tab_to("Show on the big screen", limit=1)
    keys.tab_to("Start the session", limit=1)
    keys.press("Enter")
    expect(room_status(manager)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    expect(room_status(social)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    # The chair's next control takes the place of the one she pressed: focus stays with her.
    expect(manager.get_by_role("button", name="Next: Specialist perspectives")).to_be_focused()

    # 1. Family situation: from the room controls the order goes into the family; the agenda comes after it.
    keys.tab_to("Add to the family situation")
    names = [stop["name"] for stop in keys.stops]
    assert names.index("1. Family situation 0 cards Room is here") < names.index("Add to the family situation")
    assert "Harper family" not in names
    keys.type("Mia has moved to a flat nearer her aunt.")
    keys.tab_to("Add to the family situation", limit=1)
    assert keys.stops[-1]["tag"] == "button"
    keys.press("Enter")
    expect(cards(social, "Mia has moved to a flat nearer her aunt.")).to_have_count(1, timeout=LIVE)
    expect(cards(manager, "Mia has moved to a flat nearer her aunt.")).to_have_count(1, timeout=LIVE)
    assert keys.focused()["name"] == "Add to the family situation", "focus stays on the Add button"

    # The social worker, also on the keyboard, rests on the Add button of the stage the room leaves.
    watcher = Keyboard(social)
    watcher.tab_to("Add to the family situation", limit=80)
    watcher.tab_to("Add to the family situation", limit=1)
    assert watcher.stops[-1]["tag"] == "button"

    # 2. Specialist perspectives: back to the chair's control, then forward to the form.
    keys.tab_to("Next: Specialist perspectives", back=True)
    keys.press("Enter")
    expect(room_status(social)).to_contain_text("Harper family: Specialist perspectives", timeout=LIVE)
    # Her screen follows the room and takes her focus with it, to the new stage's heading.
    expect(social.get_by_role("heading", level=3, name="Specialist perspectives", exact=True)).to_be_focused()
    expect(manager.get_by_role("button", name="Next: Analysis")).to_be_focused(timeout=LIVE)
    keys.tab_to("Add your perspective")
    keys.type("Mia has had two clear tests this month.")
    keys.tab_to("About which adult (optional)", limit=1)
    keys.press("ArrowDown")
    keys.tab_to("Their stage of change (optional)", limit=1)
    for _ in range(3):
        keys.press("ArrowDown")
    expect(manager.get_by_role("combobox", name="Their stage of change (optional)")).to_have_value("preparation")
    keys.tab_to("Add your perspective", limit=1)
    keys.press("Enter")
    expect(social.locator(".app-card", has_text="two clear tests")).to_contain_text(
        "About Mia (Mother): stage of change Preparation", timeout=LIVE)
    # Her own card comes with its change controls in a fresh read of the page; wait for it, as
    # the controls it adds move every later stop in the tab order.
    expect(manager.locator(".app-card", has_text="two clear tests")).to_have_count(1, timeout=LIVE)

    # 3. Analysis: a disclosure opened with the keyboard, a card under "What is working well".
    keys.tab_to("Next: Analysis", back=True)
    keys.press("Enter")
    expect(room_status(social)).to_contain_text("Harper family: Analysis", timeout=LIVE)
    keys.tab_to("Add under “What is working well”")
    keys.press("Enter")
    keys.tab_to("What is working well", limit=1)
    keys.type("Mia goes to every health visitor appointment with Ava.")
    keys.tab_to("Add under What is working well", limit=1)
    keys.press("Space")
    expect(cards(social, "every health visitor appointment")).to_have_count(1, timeout=LIVE)
    expect(cards(manager, "every health visitor appointment")).to_have_count(1, timeout=LIVE)
    screenshot(manager, "keyboard-analysis")

    # 4. Decision: text, a radio chosen with Space, a date typed into the date field, an action.
    keys.tab_to("Next: Decision", back=True)
    keys.press("Enter")
    expect(room_status(social)).to_contain_text("Harper family: Decision", timeout=LIVE)
    keys.tab_to("Decision")
    keys.type("Continue the Child Protection plan.")
    keys.tab_to("Rationale", limit=1)
    keys.type("Mia is making progress; Ava cannot tell anyone how home is.")
    keys.tab_to("Continue the plan", limit=1)
    keys.press("Space")
    expect(manager.get_by_role("radio", name="Continue the plan")).to_be_checked()
    keys.tab_to("When the family comes back to group supervision", limit=1)
    back_on = same_day_and_month(after=date.today() + timedelta(weeks=4))
    keys.type(back_on.strftime("%d%m%Y"))
    expect(manager.locator(f"#decision-{harper}-next_discussion_on")).to_have_value(back_on.isoformat())
    keys.tab_to("Save the decision")
    keys.press("Enter")
    expect(social.locator(f"#decision-panel-{harper}")).to_contain_text("Continue the Child Protection plan.",
                                                                         timeout=LIVE)
    expect(manager.get_by_role("button", name="Sign off the saved decision")).to_be_visible(timeout=LIVE)

    keys.tab_to("Add an action")
    keys.type("Ask the health visitor to join the next core group.")
    keys.tab_to("Who will do it", limit=1)
    keys.type("Priya")
    keys.tab_to("By when", limit=1)
    due = same_day_and_month(after=date.today() + timedelta(days=7))
    keys.type(due.strftime("%d%m%Y"))
    keys.tab_to("Add the action", limit=2)  # past the date field's calendar button
    keys.press("Enter")
    expect(social.locator(f"#actions-{harper} .app-action")).to_contain_text(
        ["Ask the health visitor to join the next core group."], timeout=LIVE)
    expect(manager.locator(f"#actions-{harper} .app-action")).to_contain_text(
        ["Ask the health visitor to join the next core group."], timeout=LIVE)

    keys.tab_to("Sign off the saved decision", back=True)
    keys.press("Enter")
    expect(social.locator(f"#decision-panel-{harper}-signed")).to_contain_text(
        "Signed off by Helen Brooks, Team manager", timeout=LIVE)
    expect(manager.locator(f"#decision-panel-{harper}-signed")).to_be_visible(timeout=LIVE)
    assert keys.focused() is not None, "focus is not dropped when the sign-off form gives way to the record"

    # And on to the next family, from wherever the keyboard now is.
    keys.tab_to("Next family: Khan family", back=True, limit=80)
    keys.press("Enter")
    expect(room_status(social)).to_contain_text("Khan family: Family situation", timeout=LIVE)
    # The agenda marks where the room is now, though a room move does not draw it again.
    expect(social.locator(f"[data-room-item-mark='{harper}']")).to_be_hidden()
    khan_mark = social.locator("#board-agenda li", has_text="Khan family").get_by_text("Room is here")
    expect(khan_mark).to_be_visible()
    # Harper's link was drawn with the room at its decision: it opens the family at its situation now.
    social.locator(f"[data-item-link='{harper}']").click()
    expect(social).to_have_url(re.compile(rf"item={harper}&stage=situation$"))
    social.locator("[data-item-link]", has_text="Khan family").click()
    screenshot(manager, "keyboard-next-family")


@pytest.mark.app_config(PRESENCE_HEARTBEAT_SECONDS=1, PRESENCE_EXPIRY_SECONDS=3)
def test_the_chairs_keyboard_goes_from_start_to_next_when_her_start_reaches_her_by_catching_up(app, person):
    """The live event is lost on the way and its answer is slow: her page learns from the heartbeat
    that it is behind and catches up by itself. Her keyboard still lands on what replaced Start."""
    today = todays_north_session(app)
    manager = person("manager")
    caught_up = []
    held = []

    def meddle(page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()

        def from_server(message) -> None:
            text = message if isinstance(message, str) else ""
            if text.startswith("42") and '"session.started"' in text:
                return  # the broadcast is lost
            if text.startswith("43") and '"event":' in text and '"session.started"' in text and not caught_up:
                held.append(message)  # the answer to her change is slow
                return
            page_side.send(message)
            if text.startswith("43") and '"events":' in text and '"session.started"' in text:
                caught_up.append(text)
                for slow in held:
                    page_side.send(slow)

        server_side.on_message(from_server)

    manager.route_web_socket(re.compile(r"/socket\.io/"), meddle)
    open_board(manager, today.board)
    keys = Keyboard(manager)
    keys.tab_to("Skip to main content", limit=1)
    keys.press("Enter")
    keys.tab_to("Start the session", limit=2)
    keys.press("Enter")
    expect(room_status(manager)).to_contain_text("Harper family: Family situation", timeout=LIVE)
    assert caught_up, "the start reached her page by catching up, not live"
    expect(manager.get_by_role("button", name="Next: Specialist perspectives")).to_be_focused(timeout=LIVE)
