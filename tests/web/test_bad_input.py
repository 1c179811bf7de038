"""Odd input at every form and address gets a clear answer, never a 500, and changes nothing it should not."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.store.models import BoardEvent, Family, SupervisionSession
from tests.demo_session import everyone_present, todays_session_id
from tests.web.test_auth import north_ids

HUGE = str(2**64)
ODD_VALUES = [HUGE, "-1", "Infinity", "NaN", "1e309", "null", "0x10", "", "9" * 400]


def _forms(page):
    """Every form that posts on a page, with the values it would send as it stands."""
    for form in page.find_all("form", method="post"):
        values = {}
        for field in form.find_all(["input", "select", "textarea"]):
            name = field.get("name")
            if not name or field.get("type") in ("submit", "button"):
                continue
            if field.name == "select":
                chosen = field.find("option", selected=True) or field.find("option")
                values[name] = chosen.get("value", "") if chosen else ""
            elif field.name == "textarea":
                values[name] = field.text
            elif field.get("type") in ("checkbox", "radio"):
                if field.has_attr("checked"):
                    values[name] = field.get("value", "on")
            else:
                values[name] = field.get("value", "")
        buttons = [b for b in form.find_all("button") if b.get("name")]
        if buttons:
            values[buttons[0]["name"]] = buttons[0].get("value", "")
        yield form.get("action"), values


def _pages(app) -> list[str]:
    ids = north_ids(app)
    session_id = todays_session_id(app)
    return ["/", "/families/new", f"/families/{ids['family_id']}/edit", "/sessions/new",
            f"/sessions/{session_id}/edit", f"/sessions/{session_id}/agenda", f"/sessions/{session_id}/attendance",
            f"/sessions/{session_id}/board", f"/sessions/{session_id}/exports"]


def test_every_form_field_given_odd_numbers_answers_without_a_server_error(app, sign_in):
    everyone_present(app, todays_session_id(app))
    manager = sign_in("manager")
    tried = 0
    for url in _pages(app):
        page = manager.get(url)
        for action, values in _forms(page):
            target = action or url
            if target.endswith("/sign-out") or "sign-out-everywhere" in target:
                continue
            for name in values:
                if name == "csrf_token":
                    continue
                for odd in ODD_VALUES:
                    response = manager.client.post(target, data={**values, name: odd})
                    assert response.status_code < 500, f"POST {target} {name}={odd!r}: {response.status_code}"
                    tried += 1
    assert tried > 500


@pytest.mark.parametrize("path", ["/families/{huge}", "/families/{huge}/edit", "/sessions/{huge}",
                                  "/sessions/{huge}/board", "/sessions/{huge}/board/present",
                                  "/sessions/{huge}/exports", "/exports/{huge}", "/exports/{huge}/download"])
def test_ids_too_big_for_any_record_are_pages_not_found(sign_in, path):
    manager = sign_in("manager")
    response = manager.client.get(path.format(huge=HUGE))
    assert response.status_code == 404
    assert manager.page(response).find("h1").text.strip() == "Page not found"


def test_a_board_form_post_with_a_huge_id_says_which_field_and_changes_nothing(app, sign_in):
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    manager = sign_in("manager")
    manager.post(f"/sessions/{session_id}/board/start_session", {}, form_page=f"/sessions/{session_id}/board",
                 expected=200)
    with app.app_context():
        before = db.session.scalar(select(func.count(BoardEvent.id)))
    response = manager.post(f"/sessions/{session_id}/board/add_card",
                            {"item_id": HUGE, "stage": "situation", "text": "Nan visits on Sundays."},
                            form_page=f"/sessions/{session_id}/board", expected=400)
    assert "Must be an id" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(BoardEvent.id))) == before


def test_invalid_utf8_in_a_form_post_is_refused_or_cleaned_never_a_server_error(app, sign_in):
    manager = sign_in("manager")
    token = manager.csrf(manager.client.get("/families/new").get_data(as_text=True))
    body = (f"csrf_token={token}&case_reference=FS-3002&display_name=".encode() + b"\xff\xfe\xc3(" +
            b"&plan_level=early_help")
    with app.app_context():
        before = db.session.scalar(select(func.count(Family.id)))
    response = manager.client.post("/families/new", data=body,
                                   content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    with app.app_context():
        assert db.session.scalar(select(func.count(Family.id))) in (before, before + 1)


def test_a_form_post_larger_than_any_form_needs_is_refused_with_a_page(app, sign_in):
    manager = sign_in("manager")
    token = manager.csrf(manager.client.get("/families/new").get_data(as_text=True))
    response = manager.client.post("/families/new", data={"csrf_token": token, "display_name": "x" * (10 * 2**20)})
    assert response.status_code == 413
    assert manager.page(response).find("h1").text.strip() == "Too much to send at once"


def test_an_unexpected_failure_shows_the_services_error_page(app, sign_in, monkeypatch):
    from supervision.services import families

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(families, "team_families", broken, raising=True)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    manager = sign_in("manager")
    response = manager.client.get("/families")
    assert response.status_code == 500
    page = manager.page(response)
    assert page.find("h1").text.strip() == "Sorry, there is a problem with the service"
    assert "the disk is full" not in page.text
    with app.app_context():
        assert db.session.scalar(select(func.count(SupervisionSession.id))) > 0
