"""Signing in and out, the idle timeout, the sign-in rate limit and CSRF protection."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update
from werkzeug.routing import IntegerConverter

from supervision.extensions import db
from supervision.store.models import Family, SignIn, SupervisionSession, Team, User
from supervision.realtime import SOCKET_IO_ENDPOINTS
from supervision.web import PUBLIC_ENDPOINTS
from tests.conftest import Browser, make_app
from tests.databases import DEMO_PASSWORD


def north_ids(app) -> dict[str, int]:
    with app.app_context():
        north = db.session.scalar(select(Team.id).where(Team.slug == "north"))
        return {
            "family_id": db.session.scalar(select(func.min(Family.id)).where(Family.team_id == north)),
            "session_id": db.session.scalar(
                select(func.min(SupervisionSession.id)).where(SupervisionSession.team_id == north)),
        }


def family_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Family.id)))


def test_signing_in_and_out(browser):
    response = browser.post("/sign-in", {"username": "manager", "password": DEMO_PASSWORD}, follow=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = browser.get("/")
    assert "Helen Brooks" in home.text
    assert "Family Safeguarding Team North" in home.find("h1").text

    signed_out = browser.post("/sign-out", {}, form_page="/", expected=200)
    page = browser.page(signed_out)
    assert "You have signed out." in page.text
    assert page.find("h1").text.strip() == "Sign in to group supervision"
    response = browser.client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_a_wrong_password_is_refused_with_a_plain_message(browser):
    response = browser.post("/sign-in", {"username": "manager", "password": "not-the-password"}, expected=400)
    page = browser.page(response)
    assert "The username or password is not right." in page.find(class_="govuk-error-summary").text
    assert page.title.text.startswith("Error:")
    assert browser.client.get("/").status_code == 302


def test_an_unknown_username_gets_the_same_message(browser):
    response = browser.post("/sign-in", {"username": "nobody-here", "password": DEMO_PASSWORD}, expected=400)
    assert "The username or password is not right." in response.get_data(as_text=True)


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(browser, app):
    family_id = north_ids(app)["family_id"]
    response = browser.client.get(f"/families/{family_id}")
    assert response.status_code == 302
    sign_in_url = response.headers["Location"]
    response = browser.post(sign_in_url, {"username": "social", "password": DEMO_PASSWORD}, follow=False)
    assert response.headers["Location"] == f"/families/{family_id}"

    other = Browser(app.test_client())
    response = other.post("/sign-in?next=https://example.org/", {"username": "social", "password": DEMO_PASSWORD},
                          follow=False)
    assert response.headers["Location"] == "/"


def _url_for_rule(rule, ids: dict[str, int]) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        values[name] = ids.get(name, 1) if isinstance(converter, IntegerConverter) else "x"
    return rule.build(values, append_unknown=False)[1]


def test_signed_out_every_page_but_sign_in_sends_you_to_sign_in(app, browser):
    ids = north_ids(app)
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:  # sign-in, what a signed-out person uses to get in, static files, health checks
            continue
        if rule.endpoint in SOCKET_IO_ENDPOINTS:  # the Socket.IO server answers that path; its connect refuses them
            assert browser.client.get(rule.rule).status_code == 400, "answered by Socket.IO, which wants its own parameters"
            continue
        url = _url_for_rule(rule, ids)
        for method in sorted(rule.methods & {"GET", "POST"}):
            if method == "GET":
                response = browser.client.get(url)
            else:  # a valid token, so the refusal comes from being signed out
                response = browser.post(url, {}, form_page="/sign-in", follow=False)
            assert response.status_code == 302, f"{method} {url}: {response.status_code}"
            assert response.headers["Location"].startswith("/sign-in"), f"{method} {url}"
            checked += 1
    assert checked >= 10


def test_idle_sessions_are_signed_out(database_url, tmp_path):
    app = make_app(database_url, tmp_path, SESSION_IDLE_TIMEOUT=timedelta(minutes=5))
    browser = Browser(app.test_client()).sign_in("manager")
    browser.get("/")
    idle_for(app, "manager", minutes=4)  # four minutes idle: still signed in
    browser.get("/")
    idle_for(app, "manager", minutes=6)
    response = browser.client.get("/families")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    page = browser.get(response.headers["Location"])
    assert "You were signed out after 5 minutes without activity." in page.text
    assert browser.client.get("/").status_code == 302


def test_someone_still_working_is_not_signed_out_for_being_idle(database_url, tmp_path):
    app = make_app(database_url, tmp_path, SESSION_IDLE_TIMEOUT=timedelta(minutes=5))
    browser = Browser(app.test_client()).sign_in("manager")
    idle_for(app, "manager", minutes=4)
    browser.get("/")  # used again: the five minutes start again from now
    idle_for_more(app, "manager", minutes=3)  # seven minutes since the sign-in, three since it was used
    assert browser.client.get("/families").status_code == 200


def idle_for_more(app, username: str, minutes: int) -> None:
    """As if this many more minutes had passed since the sign-in was last used."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        for sign_in in db.session.scalars(select(SignIn).where(SignIn.user_id == user_id)):
            sign_in.last_seen_at -= timedelta(minutes=minutes)
        db.session.commit()


def idle_for(app, username: str, minutes: int) -> None:
    """As if the person's sign-ins had not been used for this long (the server keeps the time)."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        db.session.execute(update(SignIn).where(SignIn.user_id == user_id).values(
            last_seen_at=datetime.now(timezone.utc) - timedelta(minutes=minutes)))
        db.session.commit()


def test_failed_sign_ins_are_rate_limited(database_url, tmp_path):
    app = make_app(database_url, tmp_path, SIGN_IN_LIMIT="3 per minute")
    browser = Browser(app.test_client())
    for _ in range(3):
        browser.post("/sign-in", {"username": "manager", "password": "guess"}, expected=400)
    response = browser.post("/sign-in", {"username": "manager", "password": DEMO_PASSWORD}, expected=429)
    page = browser.page(response)
    assert page.find("h1").text.strip() == "Too many attempts"
    assert browser.client.get("/").status_code == 302, "the right password does not get past the limit"


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(app, sign_in):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    browser = sign_in("manager")
    before = family_count(app)
    response = browser.client.post("/families/new", data={
        "case_reference": "FS-3001", "display_name": "Ashby family", "plan_level": "early_help"})
    assert response.status_code == 400
    page = browser.page(response)
    assert page.find("h1").text.strip() == "Your form has expired"
    assert family_count(app) == before

    response = browser.client.post("/sign-out")
    assert response.status_code == 400
    assert browser.client.get("/").status_code == 200, "still signed in"


def test_sign_in_without_a_csrf_token_is_refused(client):
    response = client.post("/sign-in", data={"username": "manager", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_a_strangers_wrong_guesses_cannot_lock_a_person_out_of_their_own_browser(database_url, tmp_path):
    app = make_app(database_url, tmp_path, SIGN_IN_LIMIT="3 per minute")
    own = Browser(app.test_client()).sign_in("manager")
    own.post("/sign-out", {}, form_page="/", expected=200)

    stranger = Browser(app.test_client())
    stranger.client.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    for _ in range(3):
        stranger.post("/sign-in", {"username": "manager", "password": "guess"}, expected=400)
    elsewhere = Browser(app.test_client())
    elsewhere.client.environ_base["REMOTE_ADDR"] = "10.0.0.8"
    elsewhere.post("/sign-in", {"username": "manager", "password": "guess"}, expected=429)

    newcomer = Browser(app.test_client())
    newcomer.client.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    newcomer.post("/sign-in", {"username": "manager", "password": DEMO_PASSWORD}, expected=429)

    response = own.post("/sign-in", {"username": "manager", "password": DEMO_PASSWORD}, follow=False)
    assert response.status_code == 302, "her own browser still signs her in"
    assert own.client.get("/").status_code == 200
