"""Staff of one team never see or change another team's families or sessions.

Asking for another team's family or session answers exactly as a missing one does (404),
so ids cannot be probed. Every families.* and sessions.* route with an id is checked, GET and POST.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.store.models import Family, SupervisionSession, Team

MISSING_ID = 987654


def team_ids(app, slug: str) -> dict[str, list[int]]:
    with app.app_context():
        team = db.session.scalar(select(Team.id).where(Team.slug == slug))
        return {
            "family_id": list(db.session.scalars(select(Family.id).where(Family.team_id == team))),
            "session_id": list(db.session.scalars(select(SupervisionSession.id).where(SupervisionSession.team_id == team))),
        }


def snapshot(app) -> list:
    """Everything a POST here could change, in plain values."""
    with app.app_context():
        families = [(f.id, f.case_reference, f.display_name, f.plan_level, f.social_worker_id,
                     [(c.first_name, c.plan_level) for c in f.children],
                     [(a.first_name, a.relationship_to_child) for a in f.adults])
                    for f in db.session.scalars(select(Family).order_by(Family.id))]
        sessions = [(s.id, s.starts_at, s.chair_id, s.minute_taker_id, s.status,
                     [(i.family_id, i.position, i.minutes_allowed) for i in s.agenda],
                     [(a.user_id, a.status, a.role_id) for a in s.attendance])
                    for s in db.session.scalars(select(SupervisionSession).order_by(SupervisionSession.id))]
        return [families, sessions, db.session.scalar(select(func.count(Family.id)))]


def id_routes(app) -> list[tuple[str, str, set[str]]]:
    """(endpoint, the id argument, methods) for every family and session page taking one id."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in {"families", "sessions"} and len(rule.arguments) == 1:
            (argument,) = rule.arguments
            routes.append((rule.rule, argument, rule.methods & {"GET", "POST"}))
    return routes


def normalised(response) -> str:
    """The page without its CSRF token, which differs between requests."""
    return re.sub(r'name="csrf_token" value="[^"]+"', "", response.get_data(as_text=True))


# A form a manager could send to any of these pages, as if it were their own team's.
PLAUSIBLE_POST = {
    "case_reference": "FS-2011", "display_name": "Renamed", "plan_level": "early_help", "social_worker": "",
    "starts_on-day": "1", "starts_on-month": "1", "starts_on-year": "2099", "start_time": "10am",
    "items-0-family_id": "1", "items-0-order": "1", "items-0-minutes": "5", "items-0-remove": "y",
    "people-0-user_id": "1", "people-0-status": "apologies",
}


@pytest.mark.parametrize("username, own, other", [("manager", "north", "south"), ("south-manager", "south", "north")])
def test_another_teams_ids_answer_exactly_like_missing_ones(app, sign_in, username, own, other):
    browser = sign_in(username)
    other_ids = team_ids(app, other)
    before = snapshot(app)
    routes = id_routes(app)
    assert {rule for rule, _, _ in routes} >= {
        "/families/<int:family_id>", "/families/<int:family_id>/edit", "/sessions/<int:session_id>",
        "/sessions/<int:session_id>/edit", "/sessions/<int:session_id>/agenda", "/sessions/<int:session_id>/attendance"}
    checked = 0
    for rule, argument, methods in routes:
        missing_url = rule.replace(f"<int:{argument}>", str(MISSING_ID))
        for method in methods:
            if method == "GET":
                missing = browser.client.get(missing_url)
            else:
                missing = browser.post(missing_url, PLAUSIBLE_POST)
            assert missing.status_code == 404, f"{method} {missing_url}"
            for other_id in other_ids[argument]:
                url = rule.replace(f"<int:{argument}>", str(other_id))
                if method == "GET":
                    response = browser.client.get(url)
                else:
                    response = browser.post(url, PLAUSIBLE_POST)
                assert response.status_code == 404, f"{method} {url}: {response.status_code}"
                assert normalised(response) == normalised(missing), f"{method} {url} differs from a missing id"
                browser.page(response)
                checked += 1
    assert checked >= 2 * 2 + 2 * 4, "every family and session page was tried"
    assert snapshot(app) == before


def test_lists_and_home_show_only_the_teams_own_families_and_sessions(app, sign_in):
    south = team_ids(app, "south")
    browser = sign_in("manager")
    for url in ("/", "/families", "/sessions"):
        page = browser.get(url)
        text = page.text
        for name in ("Price family", "Morgan family", "FS-2011", "FS-2019", "Omar Haddad", "Lucy Fenwick"):
            assert name not in text, f"{name} appears on {url}"
        links = {a.get("href") for a in page.find_all("a")}
        assert not links & {f"/families/{i}" for i in south["family_id"]}
        assert not links & {f"/sessions/{i}" for i in south["session_id"]}
    assert "Harper family" in browser.get("/families").text


def test_forms_offer_only_the_teams_own_people_and_families(app, sign_in):
    browser = sign_in("manager")
    with app.app_context():
        scheduled = db.session.scalar(select(SupervisionSession.id).join(Team).where(
            Team.slug == "north", SupervisionSession.status == "scheduled"))
    for url in ("/families/new", "/sessions/new", f"/sessions/{scheduled}/agenda", f"/sessions/{scheduled}/attendance"):
        form = browser.get(url).find("main").find("form")
        assert form.find("select") is not None, f"{url} offers choices"
        for name in ("Omar Haddad", "Lucy Fenwick", "Ian Clarke", "Price family", "Morgan family"):
            assert name not in form.text, f"{name} offered on {url}"
