"""An authority-wide administrator manages teams, roles and specialisms as data, and any team's people."""
from __future__ import annotations

from sqlalchemy import select

from supervision.cli import set_administrator_command, set_sign_in_identity_command
from supervision.extensions import db
from supervision.services import accounts
from supervision.store.models import Membership, Role, Specialism, User
from tests.web.audit_rows import last_row
from tests.web.people_pages import person_form, team_id, user_id


def _administrator(app, username="manager"):
    runner = app.test_cli_runner()
    result = runner.invoke(set_administrator_command, ["--username", username])
    assert result.exit_code == 0, result.output
    assert f"{username} is now an administrator." in result.output


def test_an_administrator_adds_an_education_specialist_without_code(app, sign_in):
    _administrator(app, "south-manager")
    admin = sign_in("south-manager")
    assert "Administration" in [a.get_text(strip=True) for a in admin.get("/").select("nav a")]
    admin.post("/admin/specialisms", {"specialism-label": "Education"}, form_page="/admin", expected=200)
    admin.post("/admin/roles", {"role-label": "Education specialist", "role-kind": "specialist"},
               form_page="/admin", expected=200)
    page = admin.get("/admin")
    assert "Education specialist" in page.get_text() and "Adult specialist" in page.get_text()
    assert last_row(app, "specialism.added")["details"] == {"specialism": "Education"}
    assert last_row(app, "role.added")["details"] == {"role": "Education specialist", "kind": "Adult specialist"}

    with app.app_context():
        role = db.session.scalar(select(Role).where(Role.label == "Education specialist"))
        education = db.session.scalar(select(Specialism).where(Specialism.label == "Education"))
        role_id, education_id = role.id, education.id
    north = team_id(app, "north")
    manager = sign_in("manager")
    form = manager.get(f"/teams/{north}/people/new")
    assert "Education specialist" in form.select_one("#role").get_text()
    manager.post(f"/teams/{north}/people/new", person_form(app, display_name="Kofi Mensah", username="kofi",
                                                           role=role_id, specialism=education_id), expected=200)
    with app.app_context():
        membership = db.session.scalar(select(Membership).join(User).where(User.username == "kofi"))
        assert (membership.role.kind, membership.specialism.label) == ("specialist", "Education")


def test_an_administrator_adds_a_team_and_its_first_manager(app, sign_in):
    _administrator(app, "south-manager")
    admin = sign_in("south-manager")
    admin.post("/admin/teams", {"team-name": "Family Safeguarding Team East"}, form_page="/admin", expected=200)
    assert last_row(app, "team.added")["details"] == {"team": "Family Safeguarding Team East"}
    east = team_id(app, "family-safeguarding-team-east")
    admin.post(f"/teams/{east}/people/new", person_form(app, display_name="Rosa Lind", username="rosa",
                                                        role=_role(app, "team-manager")), expected=200)
    row = last_row(app, "person.added")
    assert (row["team_id"], row["role"]) == (east, "Administrator")
    # The North manager still cannot see the new team.
    sign_in("manager").get(f"/teams/{east}/people", expected=404)


def _role(app, key):
    with app.app_context():
        return db.session.scalar(select(Role.id).where(Role.key == key))


def test_an_administrator_renames_a_role_and_duplicates_are_refused(app, sign_in):
    _administrator(app)
    admin = sign_in("manager")
    practitioner = _role(app, "family-practitioner")
    response = admin.post(f"/admin/roles/{practitioner}", {"label": "senior Social worker"}, expected=400)
    assert "There is already a role with this name" in response.get_data(as_text=True)
    admin.post(f"/admin/roles/{practitioner}", {"label": "Family practitioner"}, expected=200)
    assert last_row(app, "role.changed")["details"]["label"] == {"old": "Child and family practitioner",
                                                                  "new": "Family practitioner"}
    response = admin.post("/admin/teams", {"team-name": ""}, form_page="/admin", expected=400)
    assert "Enter the team" in response.get_data(as_text=True)


def test_only_an_administrator_reaches_administration(app, sign_in):
    for username in ("manager", "social"):
        browser = sign_in(username)
        browser.get("/admin", expected=403)
        browser.post("/admin/specialisms", {"specialism-label": "Education"}, form_page="/", expected=403)
    with app.app_context():
        assert db.session.scalar(select(Specialism.id).where(Specialism.label == "Education")) is None


def test_the_command_line_sets_a_sign_in_identity_and_still_creates_people(app):
    runner = app.test_cli_runner()
    result = runner.invoke(set_sign_in_identity_command, ["--username", "social", "--identity", "priya@example.org"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.external_subject).where(User.username == "social")) == "priya@example.org"
    from supervision.cli import create_user_command

    result = runner.invoke(create_user_command, ["--username", "sam", "--name", "Sam Hill", "--team",
                                                 "Family Safeguarding Team North", "--role", "social-worker",
                                                 "--password", "password1234"])
    assert result.exit_code == 2 and "too common" in result.output
    result = runner.invoke(create_user_command, ["--username", "sam", "--name", "Sam Hill", "--team",
                                                 "Family Safeguarding Team North", "--role", "social-worker",
                                                 "--password", "kettle lantern oboe"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert accounts.authenticate("sam", "kettle lantern oboe") is not None
    assert user_id(app, "sam")


def test_an_administrator_of_no_team_lands_on_administration(app, sign_in):
    from supervision.services import accounts

    with app.app_context():
        accounts.create_user(username="admin", display_name="Alex Morgan", password="kettle lantern oboe",
                             team_name="Family Safeguarding Team North", role_key="social-worker")
        user = db.session.scalar(select(User).where(User.username == "admin"))
        db.session.delete(db.session.scalar(select(Membership).where(Membership.user_id == user.id)))
        db.session.commit()
    _administrator(app, "admin")
    from tests.conftest import Browser

    admin = Browser(app.test_client()).sign_in("admin", "kettle lantern oboe")
    response = admin.client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/admin"
    page = admin.get("/admin")
    assert [a.get_text(strip=True) for a in page.select("nav a")] == ["Administration"]
    north = team_id(app, "north")
    assert "Helen Brooks" in admin.get(f"/teams/{north}/people").get_text()
