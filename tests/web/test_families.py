"""Family pages: the list, one family, adding and changing a family, and who may do it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.store.models import Family, Specialism, Team, User
from supervision.web.filters import long_date


def lookup(app, model, **where):
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**where))


def family_state(app, case_reference: str, team_slug: str = "north") -> dict | None:
    """What is stored for a family, in plain values, to compare before and after."""
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.slug == team_slug))
        family = db.session.scalar(select(Family).where(Family.team_id == team_id,
                                                        Family.case_reference == case_reference))
        if family is None:
            return None
        return {
            "id": family.id,
            "display_name": family.display_name,
            "plan_level": family.plan_level,
            "social_worker": family.social_worker.username if family.social_worker else None,
            "children": [(c.id, c.first_name, c.age_description, c.date_of_birth, c.plan_level)
                         for c in family.children],
            "adults": [(a.id, a.first_name, a.relationship_to_child, sorted(s.key for s in a.specialisms))
                       for a in family.adults],
        }


def family_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Family.id)))


def new_family(app, **overrides) -> dict:
    data = {
        "case_reference": "FS-1101",
        "display_name": "Ashby family",
        "social_worker": str(lookup(app, User, username="social")),
        "plan_level": "child_in_need",
        "children-0-first_name": "Leo",
        "children-0-age_description": "4 years",
        "children-0-plan_level": "",
        "adults-0-first_name": "Sam",
        "adults-0-relationship": "Father",
        "adults-0-specialisms": [str(lookup(app, Specialism, key="recovery")),
                                 str(lookup(app, Specialism, key="mental-health"))],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def link(page, text: str):
    """The link whose visible text is `text` (GOV.UK buttons pad their text with whitespace)."""
    return next((a for a in page.find_all("a") if a.text.strip() == text), None)


def errors_of(response):
    """The error summary's messages and the fields they link to."""
    from bs4 import BeautifulSoup

    summary = BeautifulSoup(response.get_data(as_text=True), "html.parser").find(class_="govuk-error-summary")
    assert summary is not None, "the page shows an error summary"
    return [(a.text.strip(), a.get("href")) for a in summary.select(".govuk-error-summary__list a")] + [
        (li.text.strip(), None) for li in summary.select(".govuk-error-summary__list li") if not li.find("a")]


# Reading ---------------------------------------------------------------------------------------

def test_the_list_shows_the_teams_families_and_no_other_teams(sign_in):
    page = sign_in("social").get("/families")
    text = page.find("main").text
    for name in ("Harper family", "Khan family", "Doyle family", "Okoro family", "Walsh family"):
        assert name in text
    for name in ("Price family", "Morgan family", "FS-2011"):
        assert name not in text
    assert link(page, "Add a family") is None, "a social worker is not offered the form"


def test_the_family_page_shows_who_is_in_the_family_and_its_history(app, sign_in):
    harper = family_state(app, "FS-1042")
    page = sign_in("recovery").get(f"/families/{harper['id']}")
    assert page.find("h1").text.strip() == "Harper family"
    main = page.find("main").text
    assert "Priya Shah" in main and "Child Protection" in main
    assert "Ava" in main and "5 months" in main
    assert "Father (Liam Cole)" in main and "Domestic abuse: the adult who may pose a risk" in main
    # history: the closed session with its decision, the coming one without
    history = page.find("h2", string="Group supervision discussions").find_next("table")
    rows = [[cell.text.strip() for cell in row.find_all(["td", "th"])] for row in history.tbody.find_all("tr")]
    assert ["Closed", "Continue the plan"] in [row[1:] for row in rows]
    assert ["Scheduled", "No decision recorded"] in [row[1:] for row in rows]
    actions = page.find("h2", string="Open actions").find_next("table").text
    assert "Home visit to Liam to offer his sessions again" in actions and "Mark Dunn" in actions
    assert link(page, "Change family details") is None


# Adding ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["support", "senior", "manager"])
def test_people_who_manage_families_can_add_one(app, sign_in, username):
    browser = sign_in(username)
    response = browser.post("/families/new", new_family(app), expected=200)
    page = browser.page(response)
    assert page.find("h1").text.strip() == "Ashby family"
    assert "Ashby family has been added." in page.text
    stored = family_state(app, "FS-1101")
    assert stored["display_name"] == "Ashby family"
    assert stored["social_worker"] == "social"
    assert [c[1:] for c in stored["children"]] == [("Leo", "4 years", None, "child_in_need")]
    assert [a[1:] for a in stored["adults"]] == [("Sam", "Father", ["mental-health", "recovery"])]


def test_a_child_can_be_recorded_with_a_date_of_birth_and_their_own_plan(app, sign_in):
    browser = sign_in("support")
    browser.post("/families/new", new_family(app, **{
        "children-0-age_description": "", "children-0-plan_level": "child_protection",
        "children-0-date_of_birth-day": "3", "children-0-date_of_birth-month": "2",
        "children-0-date_of_birth-year": "2024"}), expected=200)
    from datetime import date

    assert family_state(app, "FS-1101")["children"][0][1:] == ("Leo", None, date(2024, 2, 3), "child_protection")


@pytest.mark.parametrize("username", ["social", "recovery", "practitioner"])
def test_people_who_do_not_manage_families_cannot_add_or_change_one(app, sign_in, username):
    browser = sign_in(username)
    before = family_count(app)
    harper = family_state(app, "FS-1042")
    page = browser.get("/families/new", expected=403)
    assert "Only the team manager, a senior social worker or business support can add or change families." in page.text
    browser.post("/families/new", new_family(app), form_page="/families", expected=403)
    assert family_count(app) == before
    browser.get(f"/families/{harper['id']}/edit", expected=403)
    browser.post(f"/families/{harper['id']}/edit", new_family(app, case_reference="FS-1042"),
                 form_page="/families", expected=403)
    assert family_state(app, "FS-1042") == harper


def test_a_missing_case_reference_is_explained_and_nothing_is_saved(app, sign_in):
    browser = sign_in("manager")
    before = family_count(app)
    response = browser.post("/families/new", new_family(app, case_reference="  "), expected=400)
    assert ("Enter the case reference", "#case_reference") in errors_of(response)
    page = browser.page(response)
    assert page.title.text.startswith("Error:")
    assert "Enter the case reference" in page.find(id="case_reference-error").text
    assert page.find(id="display_name")["value"] == "Ashby family", "what was typed is kept"
    assert family_count(app) == before


def test_a_case_reference_already_in_the_team_is_refused(app, sign_in):
    browser = sign_in("manager")
    before = family_count(app)
    for reference in ("FS-1042", "fs-1042 "):
        response = browser.post("/families/new", new_family(app, case_reference=reference), expected=400)
        assert any(text.startswith("The team already has a family with case reference") and href == "#case_reference"
                   for text, href in errors_of(response))
    assert family_count(app) == before


def test_another_teams_case_reference_does_not_clash(app, sign_in):
    sign_in("manager").post("/families/new", new_family(app, case_reference="FS-2011"), expected=200)
    assert family_state(app, "FS-2011", "north")["display_name"] == "Ashby family"
    assert family_state(app, "FS-2011", "south")["display_name"] == "Price family"


def test_a_social_worker_from_another_team_is_refused(app, sign_in):
    before = family_count(app)
    response = sign_in("manager").post("/families/new", new_family(
        app, social_worker=str(lookup(app, User, username="south-social"))), expected=400)
    assert ("Choose a social worker from this team", "#social_worker") in errors_of(response)
    assert family_count(app) == before


def test_rows_that_are_half_filled_in_are_explained(app, sign_in):
    before = family_count(app)
    response = sign_in("manager").post("/families/new", new_family(app, **{
        "children-0-first_name": "", "children-0-age_description": "4 years",
        "children-1-first_name": "Rose", "children-1-age_description": "",
        "children-1-date_of_birth-day": "31", "children-1-date_of_birth-month": "2",
        "children-1-date_of_birth-year": "2020",
        "adults-0-relationship": "", "plan_level": None}), expected=400)
    errors = errors_of(response)
    assert ("Enter the child's first name", "#children-0-first_name") in errors
    assert ("The date of birth must be a real date, for example 27 3 2025", "#children-1-date_of_birth-day") in errors
    assert ("Enter how the adult is related to the children, for example mother", "#adults-0-relationship") in errors
    assert ("Choose the family's plan", "#plan_level") in errors
    assert family_count(app) == before


def test_add_another_child_gives_an_empty_row_and_saves_nothing(app, sign_in):
    browser = sign_in("manager")
    before = family_count(app)
    response = browser.post("/families/new", {**new_family(app), "add_child": "1"}, expected=200)
    page = browser.page(response)
    assert page.find(id="children-0-first_name")["value"] == "Leo"
    assert page.find(id="children-1-first_name") is not None
    assert page.find(class_="govuk-error-summary") is None
    assert family_count(app) == before


# Changing --------------------------------------------------------------------------------------

def test_changing_a_family_updates_children_and_adults_in_place(app, sign_in):
    harper = family_state(app, "FS-1042")
    (ava_id, *_), = harper["children"]
    (mia_id, *_), (liam_id, *_) = harper["adults"]
    browser = sign_in("senior")
    form = browser.get(f"/families/{harper['id']}/edit")
    assert form.find(id="case_reference")["value"] == "FS-1042"
    assert form.find(id="children-0-first_name")["value"] == "Ava"
    assert form.find(id="children-1-first_name") is not None, "a spare row for another child"
    response = browser.post(f"/families/{harper['id']}/edit", {
        "case_reference": "FS-1042", "display_name": "Harper family",
        "social_worker": str(lookup(app, User, username="senior")), "plan_level": "child_protection",
        "children-0-record_id": str(ava_id), "children-0-first_name": "Ava", "children-0-age_description": "6 months",
        "children-0-plan_level": "",
        "children-1-first_name": "Noor", "children-1-age_description": "Unborn", "children-1-plan_level": "",
        "adults-0-record_id": str(mia_id), "adults-0-first_name": "Mia", "adults-0-relationship": "Mother",
        "adults-0-specialisms": [str(lookup(app, Specialism, key="recovery"))],
        "adults-1-record_id": str(liam_id), "adults-1-first_name": "Liam", "adults-1-relationship": "Father",
        "adults-1-remove": "y",
    }, expected=200)
    assert "The changes to Harper family have been saved." in response.get_data(as_text=True)
    after = family_state(app, "FS-1042")
    assert after["social_worker"] == "senior"
    assert after["children"][0] == (ava_id, "Ava", "6 months", None, "child_protection")
    assert after["children"][1][1:] == ("Noor", "Unborn", None, "child_protection")
    assert after["adults"] == [(mia_id, "Mia", "Mother", ["recovery"])]


def test_changing_to_a_case_reference_already_used_changes_nothing(app, sign_in):
    khan = family_state(app, "FS-1057")
    browser = sign_in("support")
    response = browser.post(f"/families/{khan['id']}/edit", {
        "case_reference": "FS-1042", "display_name": "Khan family renamed", "plan_level": "early_help",
        "social_worker": "",
    }, expected=400)
    assert any(href == "#case_reference" for _, href in errors_of(response))
    assert family_state(app, "FS-1057") == khan


def test_a_child_id_from_another_family_is_not_trusted(app, sign_in):
    harper = family_state(app, "FS-1042")
    khan = family_state(app, "FS-1057")
    zara_id = khan["children"][0][0]
    response = sign_in("manager").post(f"/families/{harper['id']}/edit", {
        "case_reference": "FS-1042", "display_name": "Harper family", "plan_level": "child_protection",
        "social_worker": "", "children-0-record_id": str(zara_id), "children-0-first_name": "Zara",
        "children-0-age_description": "9 years",
    }, expected=400)
    assert errors_of(response)
    assert family_state(app, "FS-1042") == harper
    assert family_state(app, "FS-1057") == khan


def test_the_manager_sees_the_change_link_and_the_last_discussed_date(app, sign_in):
    harper = family_state(app, "FS-1042")
    browser = sign_in("manager")
    page = browser.get(f"/families/{harper['id']}")
    assert link(page, "Change family details")["href"] == f"/families/{harper['id']}/edit"
    listing = browser.get("/families")
    assert link(listing, "Add a family")["href"] == "/families/new"
    row = listing.find("a", string="Harper family").find_parent("tr")
    with app.app_context():
        from supervision.store.models import AgendaItem, SupervisionSession

        last = db.session.scalar(
            select(SupervisionSession.starts_at).join(AgendaItem, AgendaItem.session_id == SupervisionSession.id)
            .where(AgendaItem.family_id == harper["id"], SupervisionSession.status == "closed"))
    assert long_date(last) in row.text
    assert "Not discussed yet" in listing.find("a", string="Doyle family").find_parent("tr").text
