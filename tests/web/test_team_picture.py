"""The team at a glance on the team home, its CSV downloads and how often families are discussed,
checked against the small past of tests/team_fixture.py, counted by hand."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from supervision.domain.wording import long_date
from supervision.extensions import db
from supervision.services import board as board_service
from supervision.services.records import load_record
from supervision.store.models import AgendaItem, AuditEntry, Decision, SupervisionSession
from tests.team_fixture import add_small_past


@pytest.fixture
def past(app):
    return add_small_past(app)


def rows(page, name: str) -> list[list[str]]:
    table = page.select_one(f'[data-list="{name}"] table')
    assert table is not None, f"no list {name}"
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.select("tbody tr")]


def items(page, name: str) -> list[str]:
    found = page.select_one(f'[data-list="{name}"]')
    return [" ".join(li.get_text().split()) for li in found.find_all("li")] if found else []


def test_families_due_overdue_first_with_the_date_and_why(past, sign_in):
    page = sign_in("manager").get("/")
    due = rows(page, "due")
    assert [row[0] for row in due] == ["Okoro family", "Doyle family", "Walsh family", "Harper family"]
    by_family = {row[0]: row for row in due}
    today = past.today
    assert by_family["Okoro family"][2] == f"{long_date(today - timedelta(days=32))} Overdue"
    assert "Not discussed yet. Pre-proceedings: within 4 weeks" in by_family["Okoro family"][3]
    assert by_family["Okoro family"][4] != "Not on an agenda yet"  # today's session
    assert by_family["Doyle family"][2] == f"{long_date(today - timedelta(days=14))} Overdue"
    assert by_family["Doyle family"][3].startswith("Early Help: every 8 weeks after the last discussion")
    assert by_family["Walsh family"][2] == f"{long_date(today - timedelta(days=14))} Overdue"
    assert by_family["Harper family"][2] == f"{long_date(today + timedelta(days=14))} Due soon"
    assert by_family["Harper family"][3].startswith("The date the decision on")


def test_open_actions_by_owner_people_with_overdue_ones_first(past, sign_in):
    actions = rows(sign_in("senior").get("/"), "actions")
    assert [(row[0], row[1]) for row in actions] == [
        ("Grace Whitfield", "Joint home visit with Mia to talk about testing and Ava's routine"),
        ("Mark Dunn", "Home visit to Liam to offer his sessions again"),
        ("Tom Riley", "Ask the housing team about Mia's application"),
        ("Tom Riley", "Refer Zara to the young carers group"),
    ]
    assert actions[0][2].endswith("Overdue") and actions[1][2].endswith("Overdue")
    assert not actions[2][2].endswith("Overdue")
    assert "Ask the nursery" not in str(actions), "a proposal is not an open action"


def test_what_is_waiting_unsigned_proposed_and_not_exported(past, sign_in):
    page = sign_in("manager").get("/")
    long_ago = long_date(past.today - timedelta(days=70))
    recently = long_date(past.today - timedelta(days=14))
    assert items(page, "unsigned") == [f"Walsh family, {long_ago}"]
    assert items(page, "proposed") == [f"Harper family, {recently}: 1 proposed action"]
    not_exported = items(page, "not-exported")
    assert len(not_exported) == 2
    assert not_exported[0].startswith(recently) and not_exported[0].endswith("Harper family, Khan family")
    assert not_exported[1].startswith(long_ago) and not_exported[1].endswith("Walsh family")


def figures(browser, name: str) -> list[list[str]]:
    response = browser.client.get(f"/team/{name}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_twelve_months_on_the_page_and_in_the_csv_are_the_same_figures(past, sign_in):
    browser = sign_in("manager")
    page = browser.get("/")
    plans = figures(browser, "families-by-plan-level")
    assert plans[0] == ["Month", "Early Help", "Child in Need", "Child Protection", "Pre-proceedings",
                        "Looked after (Our Children)", "Total"]
    assert len(plans) == 13
    assert plans[-1][1:] == ["1", "1", "1", "0", "0", "3"]  # Doyle, Khan, Harper: this month
    table = page.select_one('[data-chart-table="plans-chart"] table')
    on_page = [[c.get_text(strip=True) for c in r.find_all(["th", "td"])] for r in table.select("tbody tr")]
    assert on_page == plans[1:]
    outcomes = figures(browser, "decisions-by-outcome")
    assert outcomes[0][:3] == ["Month", "Continue the plan", "Step down"]
    assert sum(int(row[1]) for row in outcomes[1:]) == 3 and sum(int(row[-1]) for row in outcomes[1:]) == 3
    chart = page.select_one('[data-chart="plans-chart"] svg')
    assert chart["role"] == "img" and chart.find("title").text and chart.find("desc").text
    assert {seg["data-segment"] for seg in chart.select("[data-segment]")} >= {
        f"{plans[-1][0]}, Early Help: 1", f"{plans[-1][0]}, Child in Need: 1", f"{plans[-1][0]}, Child Protection: 1"}


def test_an_amended_outcome_moves_the_figures_with_the_record(app, past, sign_in):
    """The figure and the Word record come from the same signed record: amend one, both change."""
    with app.app_context():
        decision = db.session.scalar(select(Decision).where(Decision.agenda_item_id == past.harper_item))
        board_service.apply_change(past.users["manager"], past.closed_recently, "amend_decision", {
            "item_id": past.harper_item, "version": decision.version, "field": "outcome", "text": "step_down",
            "reason": "The plan was stepped down at the meeting"})
        session = db.session.get(SupervisionSession, past.closed_recently)
        record = load_record(session, db.session.get(AgendaItem, past.harper_item))
        assert record.families[0].decision.outcome == "Step down"
    browser = sign_in("manager")
    outcomes = figures(browser, "decisions-by-outcome")
    header = outcomes[0]
    totals = {name: sum(int(row[n]) for row in outcomes[1:]) for n, name in enumerate(header) if n}
    assert totals["Step down"] == 1 and totals["Continue the plan"] == 2
    page = browser.get(f"/families/{past.family['FS-1042']}")
    decisions = page.find("h3", string="Discussions and decisions").find_next("table")
    assert "Step down" in decisions.text and "The plan was stepped down at the meeting" in decisions.text


def test_the_manager_sets_the_cadence_and_the_due_dates_follow(app, past, sign_in):
    browser = sign_in("manager")
    page = browser.get("/team/cadence")
    assert page.find("input", {"name": "early_help"})["value"] == "8"
    response = browser.post("/team/cadence", {level: weeks for level, weeks in [
        ("early_help", "13"), ("child_in_need", "6"), ("child_protection", "4"), ("looked_after", "8"),
        ("pre_proceedings", "4")]})
    assert response.status_code == 200
    with app.app_context():
        row = db.session.scalars(select(AuditEntry).order_by(AuditEntry.position.desc()).limit(1)).one()
    assert (row.action, row.user_id, row.details) == (
        "cadence.changed", past.users["manager"], {"early_help": {"old": 8, "new": 13}})
    due = [row[0] for row in rows(browser.get("/"), "due")]
    assert "Doyle family" not in due, "13 weeks after 70 days ago is three weeks away"
    bad = browser.post("/team/cadence", {"early_help": "0", "child_in_need": "six", "child_protection": "4",
                                         "looked_after": "8", "pre_proceedings": "4"}, expected=400)
    text = bad.get_data(as_text=True)
    assert "Early Help must be a whole number from 1 to 26" in text and "Child in Need must be" in text


@pytest.mark.parametrize("username", ["senior", "social", "support"])
def test_only_the_manager_sets_the_cadence(past, sign_in, username):
    browser = sign_in(username)
    assert browser.client.get("/team/cadence").status_code == 403
    assert browser.post("/team/cadence", {"early_help": "2"}).status_code == 403


@pytest.mark.parametrize("username", ["social", "practitioner", "recovery", "support"])
def test_the_team_picture_is_for_the_manager_and_senior_social_worker(past, sign_in, username):
    browser = sign_in(username)
    page = browser.get("/")
    assert page.select_one('[data-list="due"]') is None and page.find(id="twelve-months") is None
    for name in ("families-by-plan-level", "decisions-by-outcome"):
        assert browser.client.get(f"/team/{name}.csv").status_code == 403


def test_downloading_the_figures_leaves_an_audit_row(app, past, sign_in):
    browser = sign_in("senior")
    figures(browser, "decisions-by-outcome")
    with app.app_context():
        row = db.session.scalars(select(AuditEntry).order_by(AuditEntry.position.desc()).limit(1)).one()
    assert (row.action, row.user_id, row.team_id is not None, row.details) == (
        "team.figures.downloaded", past.users["senior"], True, {"figures": "decisions-by-outcome"})


def test_another_teams_figures_and_lists_never_show(past, sign_in):
    browser = sign_in("south-manager")
    page = browser.get("/")
    for name in ("Harper family", "Okoro family", "Walsh family", "Grace Whitfield", "Tom Riley"):
        assert name not in page.text
    assert "No family is due in the next fortnight." in page.text  # South's two were added today
    for name in ("families-by-plan-level", "decisions-by-outcome"):
        body = figures(browser, name)
        assert all(row[-1] == "0" for row in body[1:]), "South has no signed discussions"
