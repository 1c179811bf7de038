"""The live board page without JavaScript: ordinary form posts, redirects and re-rendered errors."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from supervision.domain.vocabulary import AnalysisHeading
from supervision.extensions import db
from supervision.store.models import (
    Action, AgendaItem, Card, Decision, Family, SupervisionSession, Team, User,
)
from tests.demo_session import everyone_present


# ---------------------------------------------------------------- helpers

@pytest.fixture
def session_id(app) -> int:
    """The demo's scheduled North session: Harper, Khan and Okoro on the agenda."""
    with app.app_context():
        return db.session.scalar(select(SupervisionSession.id).join(Team).where(
            Team.slug == "north", SupervisionSession.status == "scheduled"))


@pytest.fixture
def items(app, session_id) -> dict[str, int]:
    """Agenda item ids by case reference."""
    with app.app_context():
        rows = db.session.execute(select(Family.case_reference, AgendaItem.id).join(AgendaItem.family)
                                  .where(AgendaItem.session_id == session_id))
        return {ref: item_id for ref, item_id in rows}



def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def board(session_id: int, **query) -> str:
    url = f"/sessions/{session_id}/board"
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def post(browser, session_id: int, change: str, data: dict, expected: int, **query):
    """Post a board form as the page would, from the board page (which gives the CSRF token)."""
    response = browser.post(f"{board(session_id)}/{change}", data, form_page=board(session_id, **query),
                            expected=expected)
    return response, browser.page(response)


def started(sign_in, session_id: int):
    manager = sign_in("manager")
    post(manager, session_id, "start_session", {}, 200)
    return manager


def error_summary(page: BeautifulSoup) -> str:
    summary = page.find(class_="govuk-error-summary")
    assert summary is not None, "the page shows an error summary"
    return " ".join(summary.get_text(" ").split())


def text_of(page: BeautifulSoup, selector: str) -> str:
    found = page.select_one(selector)
    assert found is not None, f"nothing matches {selector}"
    return " ".join(found.get_text(" ").split())


def cards(app, **where) -> list[Card]:
    with app.app_context():
        query = select(Card).where(*(getattr(Card, key) == value for key, value in where.items()))
        rows = list(db.session.scalars(query.order_by(Card.id)))
        db.session.expunge_all()
        return rows


# ---------------------------------------------------------------- who sees the board

def test_the_board_shows_the_agenda_and_the_first_family_to_attendees(sign_in, session_id):
    page = sign_in("social").get(board(session_id))
    assert page.title.text.strip().startswith("Live board")
    assert page.h1.text.strip() == "Live board"
    agenda = [a.text.strip() for a in page.select("#board-agenda a[data-item-link]")]
    assert agenda == ["Harper family", "Khan family", "Okoro family"]
    assert "30 minutes" in text_of(page, "#board-agenda")
    # Before the chair starts, the board shows the first family at its first stage.
    harper = page.find(attrs={"data-item-panel": True, "hidden": False})
    assert harper.h2.text.strip() == "Harper family"
    assert "FS-1042" in harper.text and "Ava, 5 months (Child Protection)" in " ".join(harper.text.split())
    stages = [" ".join(a.find(class_="app-stages__label").text.split()) for a in harper.select("a[data-stage-link]")]
    assert stages == ["1. Family situation", "2. Specialist perspectives", "3. Analysis", "4. Decision"]
    assert "The session has not started" in text_of(page, "#board-room")
    # The social worker is not chairing: no room controls, and no adding until the session starts.
    assert page.find(id="board-chair") is None
    # Its forms are drawn already, hidden until the room goes live (the page's script then shows them).
    adding = page.select("form[data-change='add_card']")
    assert len(adding) == 3 * (2 + len(AnalysisHeading))  # the situation, the perspectives and each analysis heading
    for form in adding:
        holder = form if form.has_attr("data-shown-while") else form.find_parent(attrs={"data-shown-while": True})
        assert holder["data-shown-while"] == "live" and holder.has_attr("hidden"), form["id"]
    note = harper.select_one("[data-stage-section='situation'] [data-shown-while='scheduled']")
    assert "once the chair starts the session" in note.text and not note.has_attr("hidden")


def test_another_teams_member_gets_not_found(app, sign_in, session_id, items):
    page = sign_in("south-manager").get(board(session_id), expected=404)
    assert "Page not found" in page.h1.text
    assert "Harper" not in page.text
    # Nor a card's own page, which answers as a card that is not there does.
    everyone_present(app, session_id)
    started(sign_in, session_id)
    post(sign_in("social"), session_id, "add_card", {"item_id": items["FS-1042"], "stage": "situation",
                                                     "text": "Mia is at nursery every day."}, 200)
    card = cards(app, agenda_item_id=items["FS-1042"])[0]
    south = sign_in("south-manager")
    for card_id in (card.id, MISSING_CARD):
        page = south.get(f"/sessions/{session_id}/board/cards/{card_id}", expected=404)
        assert "Mia is at nursery" not in page.text
    assert sign_in("manager").get(f"/sessions/{session_id}/board/cards/{MISSING_CARD}", expected=404)


MISSING_CARD = 987654


def test_someone_not_attending_is_told_why(sign_in, session_id):
    # The demo's mental health practitioner sent apologies for today's session.
    page = sign_in("mental-health").get(board(session_id), expected=403)
    assert "not on the attendance list" in page.text
    assert "Harper" not in page.text


def test_the_board_data_for_the_script_is_valid_json_with_the_sequence_number(sign_in, session_id, items):
    page = sign_in("manager").get(board(session_id))
    element = page.find("script", id="board-data")
    assert element["type"] == "application/json"
    data = json.loads(element.string)
    assert data["last_seq"] == 0
    assert data["session_id"] == session_id
    assert set(data["state"]) == {"room", "item", "card", "notes", "decision", "action", "review", "addition"}
    assert data["you"]["is_chair"] is True
    assert data["view"] == {"item": items["FS-1042"], "stage": "situation", "following": True}
    # Each change type as declared once on the server: its fields, message, permission, and versions.
    assert data["changes"]["save_notes"] == {
        "event": "notes.saved", "done": "The notes have been saved.", "permission": "write_notes",
        "fields": ["item_id", "version", "text"], "required": ["version"], "versioned": True}
    assert {"run_room", "sign_off"} <= set(data["you"]["permissions"])
    scripts = [s.get("src") for s in page.find_all("script") if s.get("src")]
    assert any(src.endswith("/static/js/board.js") for src in scripts)
    assert page.find(attrs={"aria-live": "polite"}) is not None


# ---------------------------------------------------------------- the room, without JavaScript

def test_the_chair_starts_the_session_and_moves_the_room(app, sign_in, session_id, items):
    manager = started(sign_in, session_id)
    page = manager.get(board(session_id))
    assert "The room is on Harper family : Family situation" in text_of(page, "#board-room")
    room_stage = page.select_one("#item-%d .app-stages__item--room" % items["FS-1042"])
    assert "Room is here" in room_stage.text and "Family situation" in room_stage.text
    assert "0 of 30 minutes used" in text_of(page, "#board-timer")

    response, page = post(manager, session_id, "move", {"next": "1"}, 200)
    assert "The room has moved on." in page.text
    assert "The room is on Harper family : Specialist perspectives" in text_of(page, "#board-room")
    with app.app_context():
        session = db.session.get(SupervisionSession, session_id)
        assert (session.status, session.current_stage) == ("live", "perspectives")


def test_someone_looking_elsewhere_has_a_way_back_to_the_room(sign_in, session_id, items):
    started(sign_in, session_id)
    page = sign_in("social").get(board(session_id, item=items["FS-1057"], stage="analysis"))
    shown = page.find(attrs={"data-item-panel": True, "hidden": False})
    assert shown.h2.text.strip() == "Khan family"
    assert shown.find(attrs={"data-stage-section": "analysis"}).get("hidden") is None
    back = page.find(id="board-follow")
    assert back.text.strip() == "Go to where the room is"
    assert back.find_parent(attrs={"data-follow": True}).get("hidden") is None
    assert back["href"] == board(session_id)
    # Following the room, the way back is hidden.
    following = sign_in("social").get(board(session_id))
    assert following.find(id="board-follow").find_parent(attrs={"data-follow": True}).has_attr("hidden")


# ---------------------------------------------------------------- contributions

def test_a_card_added_by_form_post_shows_for_everyone_else(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    social = sign_in("social")
    harper = items["FS-1042"]
    response, page = post(social, session_id, "add_card",
                          {"item_id": harper, "stage": "situation", "text": "Mia has moved nearer her aunt.",
                           "_item": harper, "_stage": "situation", "_follow": "1"}, 200)
    assert "Your card has been added." in page.text
    assert [c.text for c in cards(app, agenda_item_id=harper)] == ["Mia has moved nearer her aunt."]

    page = sign_in("recovery").get(board(session_id))
    card = page.select_one(f"#stage-{harper}-situation .app-card")
    assert "Mia has moved nearer her aunt." in card.text
    assert "Priya Shah, Child and family social worker" in " ".join(card.text.split())
    # Not theirs, so no controls to change it.
    assert card.find("form") is None


def test_a_specialist_perspective_carries_specialism_adult_and_stage_of_change(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    recovery = sign_in("recovery")
    harper = items["FS-1042"]
    with app.app_context():
        mia = db.session.execute(select(Family).where(Family.case_reference == "FS-1042")).scalar_one().adults[0].id
    post(recovery, session_id, "add_card", {"item_id": harper, "stage": "perspectives", "adult_id": mia,
                                            "stage_of_change": "preparation", "text": "Two clear tests."}, 200)
    page = sign_in("social").get(board(session_id, item=harper, stage="perspectives"))
    card = " ".join(page.select_one(f"#stage-{harper}-perspectives .app-card").text.split())
    assert "Grace Whitfield, Recovery worker" in card
    assert "Specialism: Drug and alcohol recovery" in card
    assert "About Mia (Mother): stage of change Preparation" in card


def test_analysis_shows_its_five_headings_strengths_first(sign_in, session_id, items):
    started(sign_in, session_id)
    page = sign_in("manager").get(board(session_id, item=items["FS-1042"], stage="analysis"))
    section = page.find(id=f"stage-{items['FS-1042']}-analysis")
    assert [h.text.strip() for h in section.select(".app-heading-group__title")] == [
        "What is working well", "What we are worried about", "The child's lived experience", "Hypotheses",
        "What needs to happen"]


def test_empty_card_text_is_refused_with_an_error_summary_and_nothing_saved(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    harper = items["FS-1042"]
    form = f"add-{harper}-situation"
    response, page = post(sign_in("social"), session_id, "add_card",
                          {"item_id": harper, "stage": "situation", "text": "   ", "_form": form,
                           "_item": harper, "_stage": "situation"}, 400)
    assert page.title.text.startswith("Error:")
    assert "Enter the text" in error_summary(page)
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{form}-text"
    assert page.find(id=f"{form}-text") is not None
    assert cards(app, agenda_item_id=harper) == []


def test_what_was_typed_comes_back_with_the_error(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    harper = items["FS-1042"]
    form = f"add-{harper}-perspectives"
    typed = "Mia says she is ready to stop.\nShe asked about a detox bed."
    response, page = post(sign_in("recovery"), session_id, "add_card",
                          {"item_id": harper, "stage": "perspectives", "stage_of_change": "preparation",
                           "text": typed, "_form": form, "_item": harper, "_stage": "perspectives"}, 400)
    assert "Say which adult" in error_summary(page) or "Choose the adult" in error_summary(page)
    assert page.find(id=f"{form}-text").text == typed
    assert page.find(id=f"{form}-stage_of_change").find("option", selected=True)["value"] == "preparation"
    assert page.find(attrs={"data-stage-section": "perspectives", "id": f"stage-{harper}-perspectives"}).get("hidden") is None
    assert cards(app, agenda_item_id=harper) == []


def test_an_edit_based_on_an_old_version_is_refused_and_shows_both_texts(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    manager = started(sign_in, session_id)
    social = sign_in("social")
    harper = items["FS-1042"]
    post(social, session_id, "add_card", {"item_id": harper, "stage": "situation", "text": "First draft"}, 200)
    card = cards(app, agenda_item_id=harper)[0]
    post(manager, session_id, "edit_card", {"card_id": card.id, "version": card.version,
                                            "text": "The manager's wording"}, 200)

    form = f"edit-card-{card.id}"
    response, page = post(social, session_id, "edit_card",
                          {"card_id": card.id, "version": card.version, "text": "My later wording",
                           "_form": form, "_item": harper, "_stage": "situation"}, 409)
    assert "Someone else changed this while you were editing" in error_summary(page)
    conflict = page.find(id=f"{form}-conflict")
    assert conflict.find(attrs={"data-yours": "text"}).text == "My later wording"
    assert conflict.find(attrs={"data-theirs": "text"}).text == "The manager's wording"
    # Their text stays in the form, now based on the current version: saving again is a choice.
    assert page.find(id=f"{form}-text").text == "My later wording"
    assert page.find(id=form).find("input", attrs={"name": "version"})["value"] == str(card.version + 1)
    assert page.find(id=f"{form}-details").has_attr("open")
    assert [c.text for c in cards(app, id=card.id)] == ["The manager's wording"]


def test_people_change_only_their_own_cards_and_the_manager_any(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    harper = items["FS-1042"]
    post(sign_in("social"), session_id, "add_card", {"item_id": harper, "stage": "situation", "text": "Priya's"}, 200)
    card = cards(app, agenda_item_id=harper)[0]
    recovery = sign_in("recovery")
    assert recovery.get(board(session_id)).find(id=f"change-card-{card.id}") is None
    # The card's own page (the board without its script) shows her the card but no forms.
    page = recovery.get(f"/sessions/{session_id}/board/cards/{card.id}")
    assert page.find(id=f"edit-card-{card.id}") is None
    assert "only its author and the chair may change it" in page.text
    response, page = post(recovery, session_id, "edit_card", {"card_id": card.id, "version": 1, "text": "Grace's"}, 403)
    assert "only change your own contributions" in error_summary(page)
    assert "Grace's" in text_of(page, ".app-typed")
    manager_page = sign_in("manager").get(board(session_id))
    link = manager_page.find(id=f"change-card-{card.id}")
    assert link["href"] == f"/sessions/{session_id}/board/cards/{card.id}"
    assert sign_in("social").get(link["href"]).find(id=f"edit-card-{card.id}") is not None
    response, page = post(sign_in("social"), session_id, "remove_card", {"card_id": card.id, "version": 1}, 200)
    assert cards(app, agenda_item_id=harper)[0].removed_at is not None
    assert "Priya's" not in text_of(page, f"#stage-{harper}-situation")


# ---------------------------------------------------------------- previous actions, notes

def test_last_times_actions_are_reviewed_and_carried_forward_ones_stay_open(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    social = sign_in("social")
    harper = items["FS-1042"]
    page = social.get(board(session_id))
    rows = page.select(f"#review-{harper} .app-review__item")
    assert len(rows) == 3 and all("Not reviewed yet" in row.text for row in rows)
    with app.app_context():
        first, second, third = db.session.scalars(select(Action.id).join(Family).where(
            Family.case_reference == "FS-1042").order_by(Action.id)).all()
    for action_id, outcome in [(first, "done"), (second, "not_done"), (third, "carried_forward")]:
        post(social, session_id, "review_action", {"item_id": harper, "action_id": action_id, "outcome": outcome}, 200)

    page = sign_in("manager").get(board(session_id))
    marks = [" ".join(row.select_one(".app-review__outcome").text.split())
             for row in page.select(f"#review-{harper} .app-review__item")]
    assert marks == ["Marked: Done", "Marked: Not done", "Marked: Carried forward"]
    carried = page.select_one(f"#actions-{harper} #action-{third}")
    assert "Ask the housing team" in carried.text and "Carried forward" in carried.text
    with app.app_context():
        assert db.session.get(Action, third).status == "open"
        assert db.session.get(Action, first).status == "done"


def test_business_support_writes_the_notes_and_others_read_them(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    harper = items["FS-1042"]
    support = sign_in("support")
    assert support.get(board(session_id)).find(id=f"notes-{harper}-text") is not None
    post(support, session_id, "save_notes", {"item_id": harper, "version": 0, "text": "Priya presented."}, 200)
    page = sign_in("social").get(board(session_id))
    panel = page.find(attrs={"data-notes-panel": str(harper)})
    assert panel.find("textarea") is None
    assert panel.find(attrs={"data-notes-text": True}).text == "Priya presented."
    response, page = post(sign_in("social"), session_id, "save_notes",
                          {"item_id": harper, "version": 1, "text": "Mine"}, 403)
    assert "Only business support or the team manager can write the notes" in error_summary(page)
    with app.app_context():
        assert db.session.get(AgendaItem, harper).notes_text == "Priya presented."


def test_business_support_tidies_the_notes_after_the_close_by_form_post(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    manager = started(sign_in, session_id)
    harper = items["FS-1042"]
    post(manager, session_id, "close_session", {}, 200)
    support = sign_in("support")
    assert support.get(board(session_id)).find(id=f"notes-{harper}-text") is not None
    post(support, session_id, "save_notes", {"item_id": harper, "version": 0, "text": "Tidied after the meeting."}, 200)
    with app.app_context():
        assert db.session.get(AgendaItem, harper).notes_text == "Tidied after the meeting."
    assert sign_in("social").get(board(session_id)).find(id=f"notes-{harper}-text") is None


# ---------------------------------------------------------------- the decision

def decision_form(item_id: int, **fields) -> dict:
    return {"item_id": item_id, "version": 0, "decision_text": "Ava stays on her Child Protection plan.",
            "rationale": "Progress is real but new.", "outcome": "continue",
            "next_discussion_on": (date.today() + timedelta(days=28)).isoformat(), **fields}


def test_only_the_manager_records_the_decision(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    harper = items["FS-1042"]
    social = sign_in("social")
    assert social.get(board(session_id)).find(id=f"decision-{harper}-decision_text") is None
    response, page = post(social, session_id, "save_decision",
                          decision_form(harper, decision_text="Step down to Child in Need"), 403)
    assert "Only the team manager, or the chair deputising, can record the decision." in error_summary(page)
    assert "Step down to Child in Need" in text_of(page, ".app-typed")
    with app.app_context():
        assert db.session.scalar(select(Decision).where(Decision.agenda_item_id == harper)) is None


def test_a_proposed_action_is_accepted_by_the_manager(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    manager = started(sign_in, session_id)
    harper = items["FS-1042"]
    social = sign_in("social")
    response, page = post(social, session_id, "propose_action",
                          {"item_id": harper, "text": "Book a health check for Ava"}, 200)
    assert "proposed to the team manager" in page.text
    with app.app_context():
        action = db.session.scalar(select(Action).where(Action.text == "Book a health check for Ava"))
        action_id = action.id
        assert action.status == "proposed"
    page = manager.get(board(session_id, item=harper, stage="decision"))
    proposed = page.find(id=f"action-{action_id}")
    assert "Proposed by Priya Shah" in proposed.text
    assert proposed.find(id=f"accept-{action_id}") is not None
    assert social.get(board(session_id)).find(id=f"accept-{action_id}") is None

    due = (date.today() + timedelta(days=14)).isoformat()
    response, page = post(manager, session_id, "accept_action",
                          {"action_id": action_id, "text": "Book a health check for Ava",
                           "owner_id": user_id(app, "practitioner"), "due_on": due,
                           "_item": harper, "_stage": "decision"}, 200)
    agreed = page.select_one(f"#actions-{harper} #action-{action_id}")
    assert "Tom Riley" in agreed.text and "Proposed" not in agreed.text
    with app.app_context():
        assert db.session.get(Action, action_id).status == "open"


def test_accepting_without_an_owner_is_refused_with_the_reason(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    manager = started(sign_in, session_id)
    harper = items["FS-1042"]
    post(sign_in("social"), session_id, "propose_action", {"item_id": harper, "text": "Call the school"}, 200)
    with app.app_context():
        action_id = db.session.scalar(select(Action.id).where(Action.text == "Call the school"))
    response, page = post(manager, session_id, "accept_action",
                          {"action_id": action_id, "text": "Call the school", "owner_id": "", "due_on": "",
                           "_form": f"accept-{action_id}", "_item": harper, "_stage": "decision"}, 400)
    assert "Choose who owns the action" in error_summary(page)
    assert page.find(id=f"accept-{action_id}-details").has_attr("open")
    with app.app_context():
        assert db.session.get(Action, action_id).status == "proposed"


def test_signing_off_locks_the_decision(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    manager = started(sign_in, session_id)
    harper = items["FS-1042"]
    post(manager, session_id, "save_decision", decision_form(harper), 200)
    page = manager.get(board(session_id, item=harper, stage="decision"))
    assert page.find(id=f"decision-{harper}-decision_text").text == "Ava stays on her Child Protection plan."
    response, page = post(manager, session_id, "sign_off", {"item_id": harper, "version": 1}, 200)
    assert "The decision is signed off." in page.text

    page = sign_in("social").get(board(session_id, item=harper, stage="decision"))
    signed = text_of(page, f"#decision-panel-{harper}-signed")
    assert signed.startswith("Signed off by Helen Brooks, Team manager, on ")
    assert " at " in signed
    page = manager.get(board(session_id, item=harper, stage="decision"))
    assert page.find(id=f"decision-panel-{harper}") is not None
    assert page.find(id=f"decision-{harper}-decision_text") is None, "the decision form is gone"
    assert page.find(id=f"add-action-{harper}") is None
    response, page = post(manager, session_id, "save_decision", decision_form(harper, version=2), 403)
    assert "The decision is signed off" in error_summary(page)


def test_signing_off_an_incomplete_decision_points_to_what_is_missing(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    manager = started(sign_in, session_id)
    harper = items["FS-1042"]
    post(manager, session_id, "save_decision", decision_form(harper, rationale="", outcome=""), 200)
    response, page = post(manager, session_id, "sign_off",
                          {"item_id": harper, "version": 1, "_form": f"decision-{harper}",
                           "_item": harper, "_stage": "decision"}, 400)
    summary = error_summary(page)
    assert "cannot be signed off yet" in summary and "Enter the rationale" in summary
    hrefs = [a["href"] for a in page.select(".govuk-error-summary a")]
    assert f"#decision-{harper}-rationale" in hrefs
    assert all(page.find(id=href[1:]) is not None for href in hrefs)
    with app.app_context():
        assert db.session.scalar(select(Decision).where(Decision.agenda_item_id == harper)).signed_off_at is None


def test_an_amendment_after_sign_off_keeps_the_original_wording(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    manager = started(sign_in, session_id)
    harper = items["FS-1042"]
    post(manager, session_id, "save_decision", decision_form(harper), 200)
    post(manager, session_id, "sign_off", {"item_id": harper, "version": 1}, 200)

    form = f"amend-{harper}-rationale"
    response, page = post(manager, session_id, "amend_decision",
                          {"item_id": harper, "field": "rationale", "version": 2, "text": "   ",
                           "reason": "Typo", "_form": form, "_item": harper, "_stage": "decision"}, 400)
    assert "Enter the rationale" in error_summary(page)
    post(manager, session_id, "amend_decision",
         {"item_id": harper, "field": "rationale", "version": 2,
          "text": "Progress is real but new; Liam's part is unknown.", "reason": "Liam was left out by mistake."}, 200)

    page = sign_in("social").get(board(session_id, item=harper, stage="decision"))
    amendment = text_of(page, f"#decision-panel-{harper} .app-amendment")
    assert "Rationale amended by Helen Brooks, Team manager" in amendment
    assert "Reason: Liam was left out by mistake." in amendment
    assert page.select_one(f"#decision-panel-{harper} .app-amendment__original").text == "Progress is real but new."
    assert "Progress is real but new; Liam's part is unknown. (amended)" in text_of(page, f"#decision-panel-{harper} .app-decision__summary")


# ---------------------------------------------------------------- the big screen

def test_the_big_screen_shows_the_room_stage_only(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    manager = started(sign_in, session_id)
    post(sign_in("social"), session_id, "add_card",
         {"item_id": items["FS-1042"], "stage": "situation", "text": "Ava is gaining weight."}, 200)
    page = manager.get(f"{board(session_id)}/present")
    assert page.h1.text.strip() == "Family situation"
    assert "Harper family" in text_of(page, ".app-present__bar")
    assert "Ava is gaining weight." in text_of(page, f"#present-cards-{items['FS-1042']}-situation")
    assert json.loads(page.find("script", id="board-data").string)["mode"] == "present"
    assert page.find("form", attrs={"data-change": True}) is None


# ---------------------------------------------------------------- the markup the script relies on

def test_a_full_board_has_unique_ids_labelled_fields_and_nothing_the_policy_blocks(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    manager = started(sign_in, session_id)
    harper, khan = items["FS-1042"], items["FS-1057"]
    post(sign_in("social"), session_id, "add_card", {"item_id": harper, "stage": "situation", "text": "A card"}, 200)
    post(sign_in("social"), session_id, "propose_action", {"item_id": harper, "text": "A proposal"}, 200)
    post(manager, session_id, "save_decision", decision_form(khan), 200)
    post(manager, session_id, "sign_off", {"item_id": khan, "version": 1}, 200)
    post(manager, session_id, "save_decision", decision_form(harper, rationale=""), 200)
    for username in ("manager", "social", "support"):
        page = sign_in(username).get(board(session_id))
        ids = [element["id"] for element in page.find_all(id=True)]
        assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
        for label in page.find_all("label", attrs={"for": True}):
            assert page.find(id=label["for"]) is not None, label["for"]
        for field in page.select("#board textarea, #board select, #board input:not([type=hidden])"):
            assert page.find("label", attrs={"for": field["id"]}) or field.find_parent("fieldset"), field["id"]
        assert page.find(attrs={"style": True}) is None
        assert not [e for e in page.find_all(True) if any(name.startswith("on") for name in e.attrs)]
        inline = [s for s in page.find_all("script") if not s.get("src") and s.get("type") != "application/json"]
        assert inline == []
        for form in page.select("form[data-change]"):
            assert form.find("input", attrs={"name": "csrf_token"}) is not None
            assert form["action"].endswith("/board/" + form["data-change"])
