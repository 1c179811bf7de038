"""Fixtures shared by every kind of test: real databases, the app, and signed-in clients."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from supervision import create_app
from tests.databases import DEMO_PASSWORD, TEST_CONFIG, Backend, require_postgres


@pytest.fixture(scope="session")
def backends(tmp_path_factory):
    made: dict[str, Backend] = {}
    yield made
    for backend in made.values():
        backend.close()


def _backend(backends, tmp_path_factory, name: str) -> Backend:
    if name == "postgresql":
        require_postgres()
    if name not in backends:
        backends[name] = Backend(name, tmp_path_factory.mktemp(name))
    backend = backends[name]
    backend.prepare(create_app)
    return backend


@pytest.fixture
def database_url(request, backends, tmp_path_factory):
    """A fresh demo-loaded database; SQLite unless the test is parametrised with `backend`."""
    name = getattr(request, "param", "sqlite")
    backend = _backend(backends, tmp_path_factory, name)
    url = backend.clone()
    yield url
    backend.drop(url)


def make_app(database_url: str, tmp_path, **overrides):
    return create_app({
        **TEST_CONFIG,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "EXPORT_DIR": str(tmp_path / "exports"),
        **overrides,
    })


def todays_board(backends, tmp_path_factory, tmp_path, name: str):
    """A fresh demo database on `name`, an app on it, and today's session with the whole team present:
    where the tests that start servers of their own (workers, nginx, `supervision run`) begin.
    Answers (backend, url, app, session_id); the caller drops the database with backend.drop(url)."""
    from tests.demo_session import everyone_present, todays_session_id

    backend = _backend(backends, tmp_path_factory, name)
    url = backend.clone()
    app = make_app(url, tmp_path)
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    return backend, url, app, session_id


@pytest.fixture
def app(request, database_url, tmp_path):
    settings = request.node.get_closest_marker("app_config")
    app = make_app(database_url, tmp_path, **(settings.kwargs if settings else {}))
    yield app
    from supervision.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class Browser:
    """A test client that signs in through the real form and checks every page it gets."""

    def __init__(self, client):
        self.client = client

    @staticmethod
    def csrf(html: str) -> str:
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
        assert match, "page has no CSRF token"
        return match.group(1)

    def get(self, url: str, expected: int = 200) -> BeautifulSoup:
        response = self.client.get(url)
        assert response.status_code == expected, f"GET {url}: {response.status_code}"
        return self.page(response)

    def page(self, response) -> BeautifulSoup:
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        if response.mimetype == "text/html":
            assert soup.find("html").get("lang") == "en-GB"
            assert soup.title and soup.title.text.strip(), "every page has a title"
            assert len(soup.find_all("h1")) == 1, "every page has exactly one h1"
        return soup

    def post(self, url: str, data: dict, *, form_page: str | None = None, expected: int | None = None,
             follow: bool = True):
        token = self.csrf(self.client.get(form_page or url).get_data(as_text=True))
        response = self.client.post(url, data={"csrf_token": token, **data}, follow_redirects=follow)
        if expected is not None:
            assert response.status_code == expected, f"POST {url}: {response.status_code}"
        return response

    def sign_in(self, username: str, password: str = DEMO_PASSWORD):
        response = self.post("/sign-in", {"username": username, "password": password}, follow=False)
        assert response.status_code == 302, f"sign-in as {username} failed"
        return self


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def sign_in(app):
    """sign_in("manager") -> a Browser with its own cookie jar, signed in."""

    def _sign_in(username: str) -> Browser:
        return Browser(app.test_client()).sign_in(username)

    return _sign_in
