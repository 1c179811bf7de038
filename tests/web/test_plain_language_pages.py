"""Plain-language prompts without JavaScript, and the team manager's page for the team's list."""
from __future__ import annotations

import json

from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import TeamPhrase
from tests.demo_session import everyone_present
from tests.web.audit_rows import last_row
from tests.web.test_board_page import board, items, post, session_id, started  # noqa: F401 (fixtures)

PAGE = "/team/plain-language"


def prompts_beside(page, field_id: str) -> list[str]:
    box = page.find(id=f"{field_id}-prompts")
    return [" ".join(p.get_text(" ", strip=True).split()) for p in box.select("[data-prompt]")] if box else []


def test_a_card_posted_without_javascript_shows_its_prompts_beside_the_field(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    social = sign_in("social")
    harper = items["FS-1042"]
    form_id = f"add-{harper}-situation"
    _response, page = post(social, session_id, "add_card",
                           {"item_id": harper, "stage": "situation", "_form": form_id, "_item": harper,
                            "_stage": "situation",
                            "text": 'Mia failed to\nengage this week. She said "I am not hard to reach".'}, 200)
    assert "Your card has been added." in page.text
    shown = prompts_beside(page, f"{form_id}-text")
    assert len(shown) == 1
    assert shown[0].startswith("“failed to engage” (Blaming):")
    assert "Say what was offered" in shown[0]
    # Shown once: the next page is clean.
    assert prompts_beside(social.get(board(session_id, item=harper, stage="situation")), f"{form_id}-text") == []


def test_a_refused_post_keeps_the_text_and_shows_its_prompts(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    harper = items["FS-1042"]
    form_id = f"add-{harper}-situation"
    _response, page = post(sign_in("social"), session_id, "add_card",
                           {"item_id": harper, "stage": "nowhere", "_form": form_id, "_item": harper,
                            "_stage": "situation", "text": "Some issues on the CP plan."}, 400)
    assert [line.split(" (")[0] for line in prompts_beside(page, f"{form_id}-text")] == ["“Some issues”", "“CP”"]


def test_the_board_page_sends_the_teams_list_to_the_browser(app, sign_in, session_id):
    page = sign_in("social").get(board(session_id))
    boot = json.loads(page.find(id="board-data").string)
    keys = [entry["key"] for entry in boot["plain_language"]]
    assert "failed-to-engage" in keys and len(keys) >= 40
    assert {"key", "label", "kind", "why", "instead", "forms", "match_case"} <= set(boot["plain_language"][0])


def test_only_the_team_manager_has_the_page(app, sign_in):
    assert sign_in("manager").get("/").find("a", href=PAGE) is not None
    assert sign_in("social").get("/").find("a", href=PAGE) is None
    sign_in("social").get(PAGE, expected=403)
    sign_in("support").get(PAGE, expected=403)
    refused = sign_in("support").post(f"{PAGE}/listed", {"key": "mum-dad", "on": "0"}, form_page="/")
    assert refused.status_code == 403


def test_the_manager_switches_a_phrase_off_for_their_team_only(app, sign_in, session_id):
    manager = sign_in("manager")
    page = manager.get(PAGE)
    assert len(page.select("[data-listed]")) >= 40
    response = manager.post(f"{PAGE}/listed", {"key": "mum-dad", "on": "0"}, form_page=PAGE, expected=200)
    page = manager.page(response)
    assert "is switched off for your team" in page.text
    assert "Switch on" in page.find(id="listed-mum-dad").text
    row = last_row(app, "plain_language.switched_off")
    assert row["details"]["phrase"] == "mum-dad" and row["user_name"] == "Helen Brooks"

    north = json.loads(sign_in("social").get(board(session_id)).find(id="board-data").string)
    assert "mum-dad" not in [entry["key"] for entry in north["plain_language"]]
    # The South team still has it.
    south = sign_in("south-manager").get(PAGE)
    assert "Switch off" in south.find(id="listed-mum-dad").text

    manager.post(f"{PAGE}/listed", {"key": "mum-dad", "on": "1"}, form_page=PAGE, expected=200)
    assert "Switch off" in manager.get(PAGE).find(id="listed-mum-dad").text


def test_the_manager_adds_and_removes_a_phrase_of_the_teams_own(app, sign_in, session_id, items):
    manager = sign_in("manager")
    response = manager.post(f"{PAGE}/own", {"forms": "NRPF\nno recourse", "kind": "acronym",
                                            "why": "Families may not know it.",
                                            "instead": "Write 'no recourse to public funds' and say what it means."},
                            form_page=PAGE, expected=200)
    page = manager.page(response)
    assert "is on your team's list" in page.text
    assert [" ".join(r.th.get_text(" ", strip=True).split()) for r in page.select("[data-own-phrase]")] == [
        "NRPF, no recourse An abbreviation families may not know"]
    assert last_row(app, "plain_language.added")["details"]["phrase"] == "NRPF"

    # It prompts on the board: the boot data carries it, and a posted card shows it.
    everyone_present(app, session_id)
    started(sign_in, session_id)
    harper = items["FS-1042"]
    form_id = f"add-{harper}-situation"
    _response, board_page = post(sign_in("social"), session_id, "add_card",
                                 {"item_id": harper, "stage": "situation", "_form": form_id, "_item": harper,
                                  "_stage": "situation", "text": "Mia has NRPF status."}, 200)
    assert prompts_beside(board_page, f"{form_id}-text")[0].startswith("“NRPF”")

    # Other teams never see it, and cannot remove it.
    with app.app_context():
        own_id = db.session.scalar(select(TeamPhrase.id).where(TeamPhrase.default_key.is_(None)))
    south = sign_in("south-manager")
    assert south.get(PAGE).select("[data-own-phrase]") == []
    assert south.post(f"{PAGE}/own/{own_id}/remove", {}, form_page=PAGE).status_code == 404

    response = manager.post(f"{PAGE}/own/{own_id}/remove", {}, form_page=PAGE, expected=200)
    assert manager.page(response).select("[data-own-phrase]") == []
    assert last_row(app, "plain_language.removed")["details"]["phrase"] == "NRPF"


def test_a_phrase_without_its_reason_is_refused_with_errors_by_each_field(app, sign_in):
    manager = sign_in("manager")
    response = manager.post(f"{PAGE}/own", {"forms": "  ", "kind": "", "why": "", "instead": ""},
                            form_page=PAGE, expected=400)
    page = manager.page(response)
    summary = [a.get_text(strip=True) for a in page.select(".govuk-error-summary a")]
    assert summary == ["Enter the phrase", "Choose what kind of phrase it is", "Enter why it is worth another look",
                       "Enter what to say instead"]


def test_changing_the_list_needs_the_forms_token(app, sign_in):
    manager = sign_in("manager")
    assert manager.client.post(f"{PAGE}/listed", data={"key": "mum-dad", "on": "0"}).status_code == 400
    with app.app_context():
        assert db.session.scalars(select(TeamPhrase)).all() == []


def test_business_support_sees_the_prompts_still_standing_before_exporting(app, sign_in, session_id, items):
    everyone_present(app, session_id)
    started(sign_in, session_id)
    harper, khan = items["FS-1042"], items["FS-1057"]
    social = sign_in("social")
    post(social, session_id, "add_card", {"item_id": harper, "stage": "situation", "_item": harper,
                                          "_stage": "situation", "text": "Mia is non-compliant. Still non-compliant."},
         200)
    post(social, session_id, "add_card", {"item_id": khan, "stage": "situation", "_item": khan,
                                          "_stage": "situation", "text": 'Nadia said "they call me chaotic".'}, 200)
    page = sign_in("support").get(f"/sessions/{session_id}/exports")
    standing = [" ".join(li.get_text(" ", strip=True).split()) for li in page.select("[data-wording-standing] li")]
    assert len(standing) == 1
    assert standing[0].startswith("Harper family (FS-1042) , Family situation: “non-compliant” (blaming).")
    # Only those who may export see the panel, and so the list.
    assert sign_in("social").get(f"/sessions/{session_id}").select("[data-wording-standing]") == []
