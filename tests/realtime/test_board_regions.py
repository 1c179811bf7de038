"""Each event carries the regions of the page it touched, drawn once for everyone from the page's templates."""
from __future__ import annotations

from datetime import date, timedelta

from supervision.extensions import db
from supervision.store.models import AgendaItem
from tests.demo_session import everyone_present


def adults(app, item_id: int) -> list[int]:
    with app.app_context():
        return [adult.id for adult in db.session.get(AgendaItem, item_id).family.adults]


def regions(event: dict) -> dict[str, dict]:
    return {region["id"]: region for region in event.get("regions", [])}


def test_each_change_carries_the_regions_it_touched_for_no_one_in_particular(app, connect, todays_session):
    everyone_present(app, todays_session)
    manager, social, support = connect("manager"), connect("social"), connect("support")
    for client in (manager, social, support):
        assert client.join(todays_session)["ok"]

    # Starting draws the room, the agenda and the big screen: each family's forms are on the page
    # already, hidden until the room goes live.
    started = manager.ok("start_session")
    assert set(regions(started)) == {"board-room", "board-agenda", "present-body"}
    room = regions(started)["board-room"]["html"]
    assert 'data-needs="runs_room"' in room and "Next: " in room
    assert 'name="csrf_token" value=""' in room  # no one's token in what everyone receives

    harper = started["changes"][0]["value"]["current_item_id"]
    added = social.ok("add_card", {"item_id": harper, "stage": "situation", "text": "Mia <b>moved</b> flat."})
    card_id = added["changes"][0]["id"]
    drawn = regions(added)
    card = drawn[f"card-{card_id}"]
    assert card["parent"] == f"cards-{harper}-situation"
    assert "Mia &lt;b&gt;moved&lt;/b&gt; flat." in card["html"]
    # The change controls are there for whoever may use them: the author, or anyone who may change any card.
    assert 'data-needs="edit_any_card"' in card["html"] and f'data-needs-author="{added["actor"]["user_id"]}"' in card["html"]
    assert f'data-you-for="{added["actor"]["user_id"]}" hidden' in card["html"]
    # The big screen shows it in its own list, if it shows that stage; the page counts a stage's cards itself.
    assert drawn[f"present-card-{card_id}"]["parent"] == f"present-cards-{harper}-situation"
    assert "Mia &lt;b&gt;moved&lt;/b&gt; flat." in drawn[f"present-card-{card_id}"]["html"]
    assert set(drawn) == {f"card-{card_id}", f"present-card-{card_id}"}

    about = social.ok("add_card", {"item_id": harper, "stage": "perspectives", "text": "Engaging well.",
                                   "adult_id": adults(app, harper)[0], "stage_of_change": "action"})
    perspective = regions(about)[f"card-{about['changes'][0]['id']}"]
    assert perspective["parent"] == f"cards-{harper}-perspectives"
    assert "About " in perspective["html"] and "stage of change" in perspective["html"]
    # Its forms are on its own page (and opened beside it by the page's script), not in every copy of it.
    assert "<form" not in perspective["html"]
    assert f'href="/sessions/{todays_session}/board/cards/{about["changes"][0]["id"]}"' in perspective["html"]

    removed = social.ok("remove_card", {"card_id": card_id, "version": 1})
    assert regions(removed) == {f"card-{card_id}": {"id": f"card-{card_id}", "removed": True},
                                f"present-card-{card_id}": {"id": f"present-card-{card_id}", "removed": True}}

    moved = manager.ok("move", {"next": True})
    # The room and the big screen; the agenda and each family's tabs and headings hold the room's
    # mark already, and the page shows it where the room is, from the room in the event.
    assert set(regions(moved)) == {"board-room", "present-body"}
    assert moved["changes"][0]["value"]["current_stage"] == "perspectives"
    # The big screen shows last time's actions and their reviews at the family's situation only.
    assert "Actions from last time" not in regions(moved)["present-body"]["html"]
    back = regions(manager.ok("move", {"item_id": harper, "stage": "situation"}))["present-body"]["html"]
    assert "Actions from last time" in back and "Joint home visit with Mia" in back
    manager.ok("move", {"item_id": harper, "stage": "perspectives"})

    notes = support.ok("save_notes", {"item_id": harper, "version": 0, "text": "Notes"})
    assert regions(notes) == {}  # the event's own value is the notes' text

    manager.ok("move", {"item_id": harper, "stage": "decision"})
    # An action is drawn alone, into the list its status names: a proposal carries the chair's forms
    # (the page's script removes them for everyone else), with the whole team to choose an owner from.
    proposed = social.ok("propose_action", {"item_id": harper, "text": "Ask the school about <attendance>"})
    action_id = proposed["changes"][0]["id"]
    drawn = regions(proposed)
    assert set(drawn) == {f"action-{action_id}", f"present-action-{action_id}"}
    assert drawn[f"action-{action_id}"]["parent"] == f"actions-{harper}-proposed"
    html = drawn[f"action-{action_id}"]["html"]
    assert "Ask the school about &lt;attendance&gt;" in html and "Proposed by Priya Shah" in html
    assert 'data-needs="record_decision"' in html and 'name="csrf_token" value=""' in html
    assert "Helen Brooks, Team manager" in html  # the accept form's owners
    assert drawn[f"present-action-{action_id}"]["parent"] == f"present-actions-{harper}-proposed"
    dropped = regions(manager.ok("drop_action", {"action_id": action_id}))
    assert dropped[f"action-{action_id}"]["parent"] == f"actions-{harper}-dropped"
    assert "<form" not in dropped[f"action-{action_id}"]["html"]
    assert dropped[f"present-action-{action_id}"] == {"id": f"present-action-{action_id}", "removed": True}
    second = social.ok("propose_action", {"item_id": harper, "text": "Book a family group conference"})
    accepted = regions(manager.ok("accept_action", {
        "action_id": second["changes"][0]["id"], "owner_id": second["actor"]["user_id"],
        "due_on": (date.today() + timedelta(days=14)).isoformat()}))
    agreed = accepted[f"action-{second['changes'][0]['id']}"]
    assert agreed["parent"] == f"actions-{harper}-agreed" and "Priya Shah, by " in agreed["html"]
    assert accepted[f"present-action-{second['changes'][0]['id']}"]["parent"] == f"present-actions-{harper}-agreed"
    # The room coming back to the decision draws the big screen with the family's actions.
    manager.ok("move", {"item_id": harper, "stage": "analysis"})
    back = regions(manager.ok("move", {"item_id": harper, "stage": "decision"}))["present-body"]["html"]
    assert "Book a family group conference" in back
    saved = manager.ok("save_decision", {
        "item_id": harper, "version": 0, "decision_text": "Stay on the plan.", "rationale": "Progress.",
        "outcome": "continue", "next_discussion_on": (date.today() + timedelta(days=42)).isoformat()})
    assert "Stay on the plan." in regions(saved)[f"decision-panel-{harper}"]["html"]
    signed = manager.ok("sign_off", {"item_id": harper, "version": saved["changes"][0]["value"]["version"]})
    drawn = regions(signed)
    # A sign-off closes the family's discussion without drawing its cards again: its tabs, decision,
    # actions and notes, each stage's note that it is closed, and the controls that no longer apply gone.
    assert f"item-{harper}" not in drawn
    assert {f"stages-{harper}", f"decision-panel-{harper}", f"actions-{harper}", f"notes-panel-{harper}",
            "board-agenda", "present-body"} <= set(drawn)
    assert "Signed off by" in drawn[f"decision-panel-{harper}"]["html"]
    assert "Signed off" in drawn[f"stages-{harper}"]["html"]
    assert "<form" not in drawn[f"notes-panel-{harper}"]["html"]
    for stage in ("situation", "perspectives", "analysis"):
        note = drawn[f"closed-note-{harper}-{stage}"]["html"]
        assert "this discussion is closed" in note and "hidden" not in note
    gone = {region_id for region_id, region in drawn.items() if region.get("removed") and region.get("closed")}
    assert {f"add-{harper}-situation", f"add-{harper}-perspectives", f"add-{harper}-worries-details",
            f"card-change-{about['changes'][0]['id']}", f"edit-card-{about['changes'][0]['id']}-details"} <= gone

    # An entry added after sign-off is drawn alone, into its family's list, with nothing else drawn again.
    entry = support.ok("add_after_sign_off", {"item_id": harper, "text": "Mia's school <called> back."})
    entry_id = entry["changes"][0]["id"]
    drawn = regions(entry)
    assert set(drawn) == {f"addition-{entry_id}", f"present-addition-{entry_id}"}
    assert drawn[f"addition-{entry_id}"]["parent"] == f"additions-{harper}"
    assert "Mia&#39;s school &lt;called&gt; back." in drawn[f"addition-{entry_id}"]["html"]
    assert "by Jenny Marsh" in drawn[f"addition-{entry_id}"]["html"]
    assert drawn[f"present-addition-{entry_id}"]["parent"] == f"present-additions-{harper}"

    # An amendment draws the decision's summary, the forms that correct it (on its new version) and
    # the new amendment into the family's list; the big screen too. The rest of the decision stays.
    version = signed["changes"][0]["value"]["version"]
    amended = manager.ok("amend_decision", {"item_id": harper, "version": version, "field": "rationale",
                                            "text": "Progress <at school>.", "reason": "Wrong word."})
    drawn = regions(amended)
    assert set(drawn) == {f"decision-summary-{harper}", f"decision-amend-{harper}", f"amendment-{harper}-1",
                          "present-body"}
    assert "Progress &lt;at school&gt;. <span class=\"app-amended\">(amended)</span>" in drawn[f"decision-summary-{harper}"]["html"]
    new_version = amended["changes"][0]["value"]["version"]
    assert new_version > version
    assert f'name="version" value="{new_version}"' in drawn[f"decision-amend-{harper}"]["html"]
    assert 'data-needs="record_decision"' in drawn[f"decision-amend-{harper}"]["html"]
    assert drawn[f"amendment-{harper}-1"]["parent"] == f"amendments-{harper}"
    assert "Wrong word." in drawn[f"amendment-{harper}-1"]["html"] and "Helen Brooks" in drawn[f"amendment-{harper}-1"]["html"]
    second_amendment = manager.ok("amend_decision", {"item_id": harper, "version": new_version, "field": "outcome",
                                                     "text": "step_down", "reason": "Agreed after the meeting."})
    assert {region for region in regions(second_amendment) if region.startswith("amendment-")} == {f"amendment-{harper}-2"}
    # The big screen shows a decision only while the room is at it: once the room has moved on, not redrawn.
    khan = manager.ok("move", {"next": True})["changes"][0]["value"]["current_item_id"]
    third = manager.ok("amend_decision", {"item_id": harper, "version": second_amendment["changes"][0]["value"]["version"],
                                          "field": "decision_text", "text": "Stay on the plan for now.", "reason": "Clearer."})
    assert set(regions(third)) == {f"decision-summary-{harper}", f"decision-amend-{harper}", f"amendment-{harper}-3"}

    # Catching up: the missed events, and the regions they named drawn as they are now.
    ack = social.sio.call("sync", {"session_id": todays_session, "since": added["seq"] - 1}, timeout=15)
    assert ack["ok"]
    caught = {region["id"] for region in ack["regions"]}
    assert {f"card-{card_id}", f"decision-panel-{harper}", f"closed-note-{harper}-situation", "board-room"} <= caught
    # A card caught up with after its family was signed off is drawn closed.
    caught_card = next(region for region in ack["regions"] if region["id"] == f"card-{about['changes'][0]['id']}")
    assert "Change or remove" not in caught_card["html"]
    # Missing the session's start too: its room and agenda with the rest, no board drawn whole (the
    # families' forms were on the page, hidden until the room went live).
    ack = social.sio.call("sync", {"session_id": todays_session, "since": 0}, timeout=15)
    assert ack["ok"] and ack["events"][0]["type"] == "session.started"
    caught = {region["id"] for region in ack["regions"]}
    assert {"board-room", "board-agenda", f"decision-panel-{harper}"} <= caught and "board-body" not in caught

    # Closing the session draws no family again whole: the room, the agenda, the big screen, each
    # family's stage headings (the chair's "Move the room here" gone), decision, actions and review,
    # and, from a family not signed off, the controls that no longer apply, saying the session closed.
    late = social.ok("add_card", {"item_id": khan, "stage": "situation", "text": "Dad is back at work."})
    late_id = late["changes"][0]["id"]
    closed = manager.ok("close_session")
    drawn = regions(closed)
    assert "board-body" not in drawn
    assert not [region_id for region_id, region in drawn.items()
                if "html" in region and region_id.startswith(("item-", "card-", "notes-panel-"))]
    assert {"board-room", "board-agenda", "present-body", f"decision-panel-{khan}", f"actions-{khan}",
            f"decision-panel-{harper}", f"actions-{harper}"} <= set(drawn)
    assert "This session is closed" in drawn["board-room"]["html"]
    for item_id in (harper, khan):
        for stage in ("situation", "perspectives", "analysis", "decision"):
            head = drawn[f"stage-head-{item_id}-{stage}"]["html"]
            assert "Room is here" in head and "Move the room here" not in head
    assert 'data-change="save_decision"' not in drawn[f"decision-panel-{khan}"]["html"]
    assert 'data-change="propose_action"' not in drawn[f"actions-{khan}"]["html"]
    for still in ("amend_decision", "add_after_sign_off"):  # a signed-off decision is corrected and added to, once closed
        assert f'data-change="{still}"' in drawn[f"decision-panel-{harper}"]["html"]
    gone = {region_id: region["closed"] for region_id, region in drawn.items() if region.get("removed")}
    assert {f"add-{khan}-situation", f"add-{khan}-perspectives", f"add-{khan}-worries-details",
            f"card-change-{late_id}", f"edit-card-{late_id}-details"} <= set(gone)
    assert set(gone.values()) == {"session"}
    assert not [region_id for region_id in gone if region_id.startswith(f"add-{harper}-")]  # went at sign-off
    # Caught up with, a card added before the close is drawn closed, and the close in its parts.
    ack = social.sio.call("sync", {"session_id": todays_session, "since": late["seq"] - 1}, timeout=15)
    assert ack["ok"] and [event["type"] for event in ack["events"]] == ["card.added", "session.closed"]
    caught = {region["id"]: region for region in ack["regions"]}
    assert "Change or remove" not in caught[f"card-{late_id}"]["html"]
    assert "Move the room here" not in caught[f"stage-head-{khan}-situation"]["html"]
