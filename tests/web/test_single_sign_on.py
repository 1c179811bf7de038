"""Signing in through a real OpenID Connect provider (oidc-provider under Node, on loopback), over HTTP.

The provider signs every token with its own key; for the accounts that misbehave it changes
one claim and signs again, so only that claim is wrong. Each refusal is a clear page and an
audit row; nobody unknown or closed gets in.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import select

from supervision.extensions import db
from supervision.services import accounts
from supervision.store.models import SignIn, User
from supervision.web import single_sign_on
from tests.live_server import LiveServer
from tests.oidc_provider import CALLBACK, Provider, sign_in_over_http, start_provider
from tests.web.audit_rows import audit_rows, last_row

PRIYA = "priya.shah@north.example.gov.uk"
GRACE = "grace.whitfield@north.example.gov.uk"
ACCOUNTS = [
    {"id": "priya", "claims": {"email": PRIYA, "name": "Priya Shah"}},
    {"id": "grace", "claims": {"email": GRACE, "name": "Grace Whitfield"}},
    {"id": "stranger", "claims": {"email": "sam.jones@example.gov.uk", "name": "Sam Jones"}},
    {"id": "wrong-audience", "claims": {"email": PRIYA}, "misbehave": "audience"},
    {"id": "expired", "claims": {"email": PRIYA}, "misbehave": "expired"},
    {"id": "replayed-nonce", "claims": {"email": PRIYA}, "misbehave": "replayed_nonce"},
]


@dataclass
class Council:
    provider: Provider
    url: str


def set_identity(app, username: str, identity: str) -> None:
    with app.app_context():
        db.session.scalar(select(User).where(User.username == username)).external_subject = identity
        db.session.commit()
        db.session.remove()


def serve_with_single_sign_on(app, **settings):
    """The app on a live server, with a provider that knows its callback, configured as a council would."""
    server = LiveServer(app)
    provider = start_provider([server.url + CALLBACK], ACCOUNTS)
    app.config.update(provider.app_config(**settings))
    single_sign_on.install(app)
    set_identity(app, "social", PRIYA)
    set_identity(app, "recovery", GRACE)
    return server.start(), provider


@pytest.fixture
def council(app):
    server, provider = serve_with_single_sign_on(app)
    yield Council(provider, server.url)
    server.stop()
    provider.stop()


def test_a_person_in_a_team_signs_in_through_the_provider(app, council):
    browser = requests.Session()
    response = sign_in_over_http(browser, council.url, "priya")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = browser.get(council.url + "/", timeout=10)
    assert home.status_code == 200 and "Priya Shah" in home.text
    row = last_row(app, "sign_in")
    assert row["user_name"] == "Priya Shah" and row["details"] == {"via": "single sign-on"}
    with app.app_context():
        assert db.session.scalar(select(SignIn.id).join(User).where(User.username == "social")) is not None


def test_the_authorization_request_uses_pkce_state_and_nonce(app, council):
    response = requests.get(council.url + "/sign-in/council", allow_redirects=False, timeout=10)
    location = response.headers["Location"]
    assert location.startswith(council.provider.issuer + "/auth?")
    for part in ("code_challenge_method=S256", "code_challenge=", "state=", "nonce=", "response_type=code",
                 "client_id=group-supervision"):
        assert part in location, part


def _refused(app, council, login: str) -> tuple[requests.Session, requests.Response]:
    browser = requests.Session()
    response = sign_in_over_http(browser, council.url, login)
    assert response.status_code == 403
    assert browser.get(council.url + "/", allow_redirects=False, timeout=10).status_code == 302
    return browser, response


def test_an_unknown_person_is_refused_with_a_page_saying_what_to_do(app, council):
    _, response = _refused(app, council, "stranger")
    assert "You cannot sign in to group supervision yet" in response.text
    assert "Ask your team manager to add you" in response.text and "sam.jones@example.gov.uk" in response.text
    row = last_row(app, "sign_in.refused")
    assert row["user_id"] is None
    assert row["details"] == {"reason": "unknown_person", "identity": "sam.jones@example.gov.uk"}
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.external_subject == "sam.jones@example.gov.uk")) is None


def test_a_closed_account_is_refused(app, council):
    with app.app_context():
        accounts.set_active("recovery", False)
    _, response = _refused(app, council, "grace")
    assert "Your account has been closed" in response.text
    row = last_row(app, "sign_in.refused")
    assert row["user_name"] == "Grace Whitfield" and row["details"]["reason"] == "account_closed"


@pytest.mark.parametrize("login, problem", [("wrong-audience", "aud"), ("expired", "expired"),
                                            ("replayed-nonce", "nonce")])
def test_a_token_with_a_wrong_claim_is_refused(app, council, login, problem):
    if login == "replayed-nonce":  # the nonce of Priya's earlier sign-in, in a token for a new one
        assert sign_in_over_http(requests.Session(), council.url, "priya").status_code == 302
    _, response = _refused(app, council, login)
    assert "Sign-in could not be checked" in response.text
    row = last_row(app, "sign_in.refused")
    assert row["details"] == {"reason": "token_not_accepted", "identity": None, "problem": problem}
    assert [r["user_name"] for r in audit_rows(app, "sign_in")] == (
        ["Priya Shah"] if login == "replayed-nonce" else [])


def test_the_providers_answer_cannot_be_used_twice(app, council):
    browser = requests.Session()
    response = sign_in_over_http(browser, council.url, "priya")
    assert response.status_code == 302
    callback = response.request.url
    again = browser.get(callback, allow_redirects=False, timeout=10)  # the same code and state once more
    fresh = requests.Session().get(callback, allow_redirects=False, timeout=10)  # another browser
    for answer in (again, fresh):
        assert answer.status_code in (302, 403)
    assert fresh.status_code == 403 and "Sign-in did not finish" in fresh.text
    assert len(audit_rows(app, "sign_in")) == 1


def test_local_passwords_can_be_switched_off(app, council):
    app.config["LOCAL_PASSWORDS"] = False
    browser = requests.Session()
    page = browser.get(council.url + "/sign-in", timeout=10)
    assert "Sign in with your council account" in page.text and 'name="password"' not in page.text
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0] if 'csrf_token' in page.text else ""
    refused = browser.post(council.url + "/sign-in", data={"csrf_token": token, "username": "manager",
                                                           "password": "demo-password-for-tests"},
                           allow_redirects=False, timeout=10)
    assert refused.status_code == 400
    assert browser.get(council.url + "/", allow_redirects=False, timeout=10).status_code == 302
    assert sign_in_over_http(requests.Session(), council.url, "priya").status_code == 302
