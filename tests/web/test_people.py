"""The team manager manages the team's people in the app: add, change, close, and a one-time password link.

Only within their own team: another team's people answer like missing pages. Every change
is in the audit trail.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from supervision.extensions import db
from supervision.store.models import Membership, PasswordLink, SignIn, User
from tests.conftest import Browser
from tests.web.audit_rows import last_row
from tests.web.people_pages import link_from, person_form, role_id, specialism_id, team_id, user_id

PASSWORD = "kettle lantern oboe"


def test_the_manager_adds_a_person_with_a_role_and_specialism(app, sign_in):
    manager = sign_in("manager")
    north = team_id(app, "north")
    page = manager.get(f"/teams/{north}/people")
    assert "Grace Whitfield" in page.get_text()
    response = manager.post(f"/teams/{north}/people/new", person_form(
        app, display_name="Nina Osei", username="Nina", role=role_id(app, "recovery-worker"),
        specialism=specialism_id(app, "recovery")))
    assert response.status_code == 200
    assert "Nina Osei has been added to the team." in response.get_data(as_text=True)

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "nina"))
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        assert (membership.team.slug, membership.role.key, membership.specialism.key) == (
            "north", "recovery-worker", "recovery")
        assert user.password_hash == ""  # no password until they set one with a link
    row = last_row(app, "person.added")
    assert row["user_name"] == "Helen Brooks" and row["team_id"] == north
    assert row["details"]["username"] == "nina" and row["details"]["role"] == "Recovery worker"
    assert "Nina Osei" in manager.get(f"/teams/{north}/people").get_text()
    assert last_row(app, "people.listed")["team_id"] == north


def test_adding_checks_what_was_typed_and_that_the_username_is_free(app, sign_in):
    manager = sign_in("manager")
    north = team_id(app, "north")
    response = manager.post(f"/teams/{north}/people/new",
                            person_form(app, display_name="", username="social", role=""), expected=400)
    text = response.get_data(as_text=True)
    assert "Enter the person&#39;s full name" in text
    assert "Select the person&#39;s role" in text
    response = manager.post(f"/teams/{north}/people/new", person_form(app, username="social"), expected=400)
    assert "The username social is taken" in response.get_data(as_text=True)


def test_the_manager_changes_a_role_and_the_change_is_audited(app, sign_in):
    manager = sign_in("manager")
    north, tom = team_id(app, "north"), user_id(app, "practitioner")
    manager.post(f"/teams/{north}/people/{tom}", person_form(
        app, display_name="Tom Riley", username="practitioner", role=role_id(app, "senior-social-worker")),
        expected=200)
    with app.app_context():
        assert db.session.scalar(select(Membership).where(Membership.user_id == tom)).role.key == "senior-social-worker"
    row = last_row(app, "person.changed")
    assert row["details"]["role"] == {"old": "Child and family practitioner", "new": "Senior social worker"}
    assert row["details"]["user_id"] == tom


def test_a_manager_never_sees_or_changes_another_teams_people(app, sign_in):
    manager = sign_in("manager")
    south, north = team_id(app, "south"), team_id(app, "north")
    lucy = user_id(app, "south-social")
    manager.get(f"/teams/{south}/people", expected=404)
    manager.get(f"/teams/{south}/people/{lucy}", expected=404)
    manager.get(f"/teams/{north}/people/{lucy}", expected=404)  # not in North
    manager.post(f"/teams/{north}/people/{lucy}/close", {}, form_page=f"/teams/{north}/people", expected=404)
    manager.post(f"/teams/{south}/people/new", person_form(app), form_page=f"/teams/{north}/people",
                 expected=404)
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.id == lucy)) is True
        assert db.session.scalar(select(User.id).where(User.username == "nina")) is None


def test_only_the_manager_manages_people(app, sign_in):
    north = team_id(app, "north")
    for username in ("social", "senior", "support"):
        page = sign_in(username).get(f"/teams/{north}/people", expected=403)
        assert "Only the team manager or an administrator" in page.get_text()
    assert "People" not in [a.get_text(strip=True) for a in sign_in("social").get("/").select("nav a")]
    assert "People" in [a.get_text(strip=True) for a in sign_in("manager").get("/").select("nav a")]


def test_posts_without_the_form_token_are_refused(app, sign_in):
    manager = sign_in("manager")
    north, tom = team_id(app, "north"), user_id(app, "practitioner")
    response = manager.client.post(f"/teams/{north}/people/{tom}/close")
    assert response.status_code == 400
    response = manager.client.post(f"/teams/{north}/people/new", data=person_form(app))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.id == tom)) is True


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_closing_an_account_signs_the_person_out_at_once_and_reopening_lets_them_back(app, sign_in):
    recovery = sign_in("recovery")
    recovery.get("/")
    manager = sign_in("manager")
    north, grace = team_id(app, "north"), user_id(app, "recovery")
    response = manager.post(f"/teams/{north}/people/{grace}/close", {}, form_page=f"/teams/{north}/people/{grace}")
    assert "Grace Whitfield&#39;s account is closed. They have been signed out everywhere." in (
        response.get_data(as_text=True))
    assert recovery.client.get("/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SignIn.ended_reason).where(SignIn.user_id == grace)) == "deactivated"
    row = last_row(app, "person.deactivated")
    assert row["user_name"] == "Helen Brooks" and row["details"]["user_id"] == grace
    assert Browser(app.test_client()).post("/sign-in", {"username": "recovery", "password": "demo-password-for-tests"},
                                           follow=False).status_code == 400

    manager.post(f"/teams/{north}/people/{grace}/reopen", {}, form_page=f"/teams/{north}/people/{grace}",
                 expected=200)
    assert last_row(app, "person.reactivated")["details"]["user_id"] == grace
    sign_in("recovery").get("/")


def test_a_manager_cannot_close_their_own_account(app, sign_in):
    manager = sign_in("manager")
    north, helen = team_id(app, "north"), user_id(app, "manager")
    manager.post(f"/teams/{north}/people/{helen}/close", {}, form_page=f"/teams/{north}/people", expected=403)


def _new_person_with_link(app, manager) -> tuple[int, str]:
    north = team_id(app, "north")
    manager.post(f"/teams/{north}/people/new", person_form(app), expected=200)
    nina = user_id(app, "nina")
    response = manager.post(f"/teams/{north}/people/{nina}/password-link", {},
                            form_page=f"/teams/{north}/people/{nina}", expected=200)
    return nina, link_from(response)


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_one_time_link_lets_the_person_set_a_password_once(app, sign_in):
    nina, link = _new_person_with_link(app, sign_in("manager"))
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalar(select(PasswordLink.token_hash).where(PasswordLink.user_id == nina))
        assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    assert last_row(app, "password_link.issued")["details"]["user_id"] == nina

    person = Browser(app.test_client())
    page = person.get(link)
    assert "your username is nina" in page.get_text()
    for weak, message in (("short one", "at least 12 characters"),
                          ("password1234", "too common"),
                          ("nina-osei-kettle", "must not contain your name")):
        response = person.post(link, {"password": weak, "confirm": weak}, expected=400)
        assert message in response.get_data(as_text=True)
    response = person.post(link, {"password": PASSWORD, "confirm": PASSWORD}, follow=False)
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    assert last_row(app, "password.set")["user_id"] == nina
    Browser(app.test_client()).sign_in("nina", PASSWORD).get("/")

    again = Browser(app.test_client()).get(link, expected=404)
    assert "This link does not work" in again.get_text()
    assert last_row(app, "password_link.refused")["details"] == {"path": "/set-password/…"}


def test_an_expired_or_replaced_link_does_not_work(app, sign_in):
    manager = sign_in("manager")
    nina, first = _new_person_with_link(app, manager)
    north = team_id(app, "north")
    second = link_from(manager.post(f"/teams/{north}/people/{nina}/password-link", {},
                                    form_page=f"/teams/{north}/people/{nina}", expected=200))
    Browser(app.test_client()).get(first, expected=404)
    Browser(app.test_client()).get(second)
    with app.app_context():
        db.session.execute(update(PasswordLink).values(expires_at=datetime.now(timezone.utc) - timedelta(minutes=1)))
        db.session.commit()
    Browser(app.test_client()).get(second, expected=404)


def test_setting_a_password_ends_the_persons_other_sign_ins(app, sign_in):
    manager = sign_in("manager")
    north, tom = team_id(app, "north"), user_id(app, "practitioner")
    tom_elsewhere = sign_in("practitioner")
    link = link_from(manager.post(f"/teams/{north}/people/{tom}/password-link", {},
                                  form_page=f"/teams/{north}/people/{tom}", expected=200))
    Browser(app.test_client()).post(link, {"password": PASSWORD, "confirm": PASSWORD}, expected=200)
    assert tom_elsewhere.client.get("/").status_code == 302


def test_with_local_passwords_switched_off_no_password_link_is_made_or_used(app, sign_in):
    manager = sign_in("manager")
    nina, link = _new_person_with_link(app, manager)
    app.config["LOCAL_PASSWORDS"] = False
    north = team_id(app, "north")
    page = manager.get(f"/teams/{north}/people/{nina}")
    assert "Make a password link" not in page.get_text()
    response = manager.post(f"/teams/{north}/people/{nina}/password-link", {}, follow=False,
                            form_page=f"/teams/{north}/people/{nina}")
    assert response.status_code == 302
    Browser(app.test_client()).get(link, expected=404)
    with app.app_context():
        assert db.session.scalar(select(PasswordLink.used_at).where(PasswordLink.user_id == nina)) is None
        assert db.session.query(PasswordLink).count() == 1
