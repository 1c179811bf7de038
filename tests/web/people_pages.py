"""Helpers for the people pages: ids of teams, people, roles and specialisms by name."""
from __future__ import annotations

from sqlalchemy import select

from supervision.extensions import db
from supervision.store.models import Role, Specialism, Team, User


def team_id(app, slug: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Team.id).where(Team.slug == slug))
        db.session.remove()
        return found


def user_id(app, username: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.username == username))
        db.session.remove()
        return found


def role_id(app, key: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Role.id).where(Role.key == key))
        db.session.remove()
        return found


def specialism_id(app, key: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Specialism.id).where(Specialism.key == key))
        db.session.remove()
        return found


def person_form(app, **overrides) -> dict:
    return {"display_name": "Nina Osei", "username": "nina", "role": role_id(app, "social-worker"),
            "specialism": "", "external_subject": "", **overrides}


def link_from(response) -> str:
    """The one-time link on the page shown to the manager, as a path."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    link = page.select_one("[data-password-link]").get_text(strip=True)
    return "/" + link.split("/", 3)[3]
