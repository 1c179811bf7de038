"""A letter to the family: only after sign-off, only by the family's social worker or the team manager,
drafted from that family's signed record, edited, made final and filed with the family's records."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from supervision.domain.wording import long_date
from supervision.extensions import db
from supervision.store.models import Action, ExportLog, Family, FamilyLetter, SupervisionSession, Team
from tests.web.audit_rows import last_row

OTHER_FAMILIES = ["Khan", "Nadia", "Zara", "Adam", "Okoro", "Tayo", "Doyle", "Walsh", "Price", "Morgan", "Noah", "Ruby"]


@pytest.fixture
def signed(app) -> dict:
    """The demo's closed North session: Harper's and Khan's decisions are signed off."""
    with app.app_context():
        session = db.session.scalar(select(SupervisionSession).join(Team).where(
            Team.slug == "north", SupervisionSession.status == "closed"))
        harper = db.session.scalar(select(Family).where(Family.case_reference == "FS-1042"))
        item = next(each for each in session.agenda if each.family_id == harper.id)
        actions = [(a.text, a.owner.display_name, a.due_on) for a in
                   db.session.scalars(select(Action).where(Action.agenda_item_id == item.id).order_by(Action.id))]
        return {"session": session.id, "family": harper.id, "url": f"/sessions/{session.id}/families/{harper.id}/letter",
                "decision": item.decision.decision_text, "next": item.decision.next_discussion_on, "actions": actions}


def drafted(sign_in, signed, who: str = "social"):
    writer = sign_in(who)
    writer.post(signed["url"], {}, form_page=signed["url"], expected=200)
    return writer


def form_of(page) -> dict:
    form = page.find("form", id="letter")
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input")}
    fields.update({area["name"]: area.text for area in form.find_all("textarea")})
    return fields


def test_the_family_page_links_the_letter_for_the_social_worker_and_the_manager_only(app, sign_in, signed):
    family_page = f"/families/{signed['family']}"
    for who in ("social", "manager"):
        links = sign_in(who).get(family_page).select("[data-letter-links] a")
        assert [a["href"] for a in links] == [signed["url"]]
    for who in ("senior", "recovery", "support"):
        assert sign_in(who).get(family_page).find(id="letters") is None


def test_only_the_social_worker_or_the_manager_may_write_and_another_team_is_not_found(app, sign_in, signed):
    for who in ("senior", "practitioner", "recovery", "support"):
        sign_in(who).get(signed["url"], expected=403)
        assert sign_in(who).post(signed["url"], {}, form_page="/").status_code == 403
    sign_in("south-manager").get(signed["url"], expected=404)
    assert sign_in("south-social").post(signed["url"], {}, form_page="/").status_code == 404
    sign_in("manager").get(signed["url"])
    sign_in("social").get(signed["url"])
    with app.app_context():
        assert db.session.scalars(select(FamilyLetter)).all() == []


def test_a_letter_cannot_be_drafted_before_the_decision_is_signed_off(app, sign_in):
    with app.app_context():
        session = db.session.scalar(select(SupervisionSession).join(Team).where(
            Team.slug == "north", SupervisionSession.status == "scheduled"))
        harper = db.session.scalar(select(Family).where(Family.case_reference == "FS-1042"))
        url = f"/sessions/{session.id}/families/{harper.id}/letter"
    page = sign_in("social").get(url, expected=403)
    assert "only after the decision is signed off" in page.text
    assert sign_in("manager").post(url, {}, form_page="/").status_code == 403


def test_the_draft_holds_the_decision_the_actions_with_owners_and_dates_and_the_next_date(app, sign_in, signed):
    writer = drafted(sign_in, signed)
    row = last_row(app, "letter.drafted")
    assert row["family_id"] == signed["family"] and row["user_name"] == "Priya Shah"
    page = writer.get(signed["url"])
    fields = form_of(page)
    text = "\n".join(fields.values())
    assert fields["greeting"] == "Dear Mia and Liam,"
    assert signed["decision"] in text
    for action, owner, due in signed["actions"]:
        assert f"- {owner} by {long_date(due)}: {action}" in text
    assert f"again on {long_date(signed['next'])}" in text
    for name in OTHER_FAMILIES:
        assert name not in text, name
    # The readability measure, against the authority's target.
    assert "Reading age about" in page.select_one("[data-readability]").text
    assert "target of 11" in page.select_one("[data-readability]").text
    assert last_row(app, "letter.viewed")["family_id"] == signed["family"]


def test_every_word_can_be_changed_and_saving_without_javascript_shows_the_prompts(app, sign_in, signed):
    writer = drafted(sign_in, signed)
    fields = form_of(writer.get(signed["url"]))
    fields.update({"greeting": "Dear Mia,", "heading-0": "What is going well for you",
                   "text-0": "You take Ava to every health visit.",
                   "text-1": "Liam is non-compliant with his sessions and mum is \"not a fan\"."})
    response = writer.post(f"{signed['url']}/save", fields, form_page=signed["url"], expected=200)
    page = writer.page(response)
    box = page.find(id="letter-text-1-prompts")
    assert [p.strong.text for p in box.select("[data-prompt]")] == ["“non-compliant”", "“mum”"]
    assert page.find(id="letter-text-0-prompts") is None
    saved = form_of(page)
    assert saved["greeting"] == "Dear Mia," and saved["heading-0"] == "What is going well for you"
    assert last_row(app, "letter.changed")["details"]["version"] == 2

    # Saved from a page that had gone stale: refused, nothing lost from the page.
    fields["text-0"] = "Another go."
    response = writer.post(f"{signed['url']}/save", {**fields, "version": "1"}, form_page=signed["url"], expected=409)
    assert form_of(writer.page(response))["text-0"] == "Another go."


def test_final_only_once_every_note_is_written_over_then_filed_and_locked(app, sign_in, signed):
    writer = drafted(sign_in, signed)
    fields = form_of(writer.get(signed["url"]))
    response = writer.post(f"{signed['url']}/final", {"version": fields["version"]}, form_page=signed["url"],
                           expected=400)
    assert "What is going well, What we are worried about" in writer.page(response).text

    fields.update({"text-0": "You take Ava to every health visit.", "text-1": "We worry about Ava's safety at home."})
    writer.post(f"{signed['url']}/save", fields, form_page=signed["url"], expected=200)
    version = form_of(writer.get(signed["url"]))["version"]
    writer.post(f"{signed['url']}/final", {"version": version}, form_page=signed["url"], expected=200)

    page = writer.get(signed["url"])
    assert page.find("form", id="letter") is None
    assert "You take Ava to every health visit." in page.select_one("[data-final-letter]").text
    finalised = last_row(app, "letter.finalised")
    with app.app_context():
        log = db.session.get(ExportLog, finalised["details"]["export"])
        assert (log.kind, log.draft, log.family_id) == ("letter", False, signed["family"])
        assert log.filename.endswith("_FS-1042_letter-to-family.docx")
    response = writer.post(f"{signed['url']}/save", fields, form_page=signed["url"])
    assert response.status_code == 403

    download = writer.client.get(f"{signed['url']}/download")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment;")
    assert last_row(app, "letter.downloaded")["details"]["file"] == log.filename
    document = Document(io.BytesIO(download.data))
    assert document.paragraphs and document.core_properties.language == "en-GB"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "What we decided, and why" in headings and headings[0].startswith("About our meeting on")
    whole = "\n".join(p.text for p in document.paragraphs)
    assert signed["decision"] in whole and "We worry about Ava's safety at home." in whole
    for name in OTHER_FAMILIES:
        assert name not in whole, name

    # Business support sees it with the family's records and can download it there.
    support = sign_in("support")
    panel = support.get(f"/sessions/{signed['session']}/exports")
    rows = [tr.get_text(" ", strip=True) for tr in panel.select("tbody tr")]
    assert any(row.startswith("Letter to the family: Harper family (FS-1042)") for row in rows)
    assert support.client.get(f"/exports/{log.id}/download").data == download.data


def test_a_filed_letter_removed_from_the_folder_is_written_again_the_same(app, sign_in, signed):
    writer = drafted(sign_in, signed, "manager")
    fields = form_of(writer.get(signed["url"]))
    fields.update({"text-0": "You are doing well.", "text-1": "We worry about Ava."})
    writer.post(f"{signed['url']}/save", fields, form_page=signed["url"], expected=200)
    writer.post(f"{signed['url']}/final", {"version": form_of(writer.get(signed["url"]))["version"]},
                form_page=signed["url"], expected=200)
    first = writer.client.get(f"{signed['url']}/download").data
    with app.app_context():
        log = db.session.scalar(select(ExportLog).where(ExportLog.kind == "letter"))
        (Path(app.config["EXPORT_DIR"]) / log.filename).unlink()
    assert writer.client.get(f"{signed['url']}/download").data == first
