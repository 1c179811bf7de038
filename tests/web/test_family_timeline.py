"""The family over time on its page: next due and why, plan and stage of change as charts with tables,
every discussion and every action, read from the signed records."""
from __future__ import annotations

from datetime import timedelta

import pytest

from supervision.domain.wording import long_date
from tests.team_fixture import add_small_past


@pytest.fixture
def past(app):
    return add_small_past(app)


def table_after(page, heading: str) -> list[list[str]]:
    table = page.find("h3", string=heading).find_next("table")
    return [[" ".join(c.get_text(" ", strip=True).split()) for c in r.find_all(["th", "td"])]
            for r in table.select("tbody tr")]


def test_the_next_discussion_date_and_why(past, sign_in):
    browser = sign_in("da-officer")
    harper = browser.get(f"/families/{past.family['FS-1042']}")
    assert " ".join(harper.select_one("[data-next-due]").text.split()) == \
        f"Due by {long_date(past.today + timedelta(days=14))} Due soon"
    assert harper.select_one("[data-next-due-why]").text.startswith("Why: The date the decision on")
    walsh = browser.get(f"/families/{past.family['FS-1080']}")
    assert "Overdue" in walsh.select_one("[data-next-due]").text
    long_ago = long_date(past.today - timedelta(days=70))
    assert walsh.select_one("[data-next-due-why]").text == \
        f"Why: Looked after (Our Children): every 8 weeks after the last discussion on {long_ago}."


def test_plan_and_stage_of_change_charts_with_tables_that_say_the_same(past, sign_in):
    page = sign_in("practitioner").get(f"/families/{past.family['FS-1042']}")
    recently = long_date(past.today - timedelta(days=14))
    assert table_after(page, "Plan level over time") == [[recently, "Child Protection"]]
    plan = page.select_one('[data-chart="plan-chart"] svg')
    assert plan["role"] == "img" and plan["aria-labelledby"] == "plan-chart-title plan-chart-desc"
    assert [p["data-point"] for p in plan.select("[data-point]")] == [f"{recently}: Child Protection"]
    stages = table_after(page, "Stage of change over time")
    assert stages == [
        [recently, "Mia, Mother: Drug and alcohol recovery", "Contemplation"],
        [recently, "Liam, Father (Liam Cole): Domestic abuse: the adult who may pose a risk", "Pre-contemplation"],
    ]
    chart = page.select_one('[data-chart="stage-chart"] svg')
    drawn = sorted(f'{g["data-series"]}|{p["data-point"]}' for g in chart.select("[data-series]")
                   for p in g.select("[data-point]"))
    assert drawn == sorted(f"{who}|{day}: {stage}" for day, who, stage in stages)


def test_every_discussion_signed_or_not_and_every_action(past, sign_in):
    browser = sign_in("social")
    walsh = browser.get(f"/families/{past.family['FS-1080']}")
    [entry] = table_after(walsh, "Discussions and decisions")
    assert entry[0] == long_date(past.today - timedelta(days=70)) and entry[2] == "Not signed off yet"
    assert "No discussion of this family has been signed off yet." in walsh.text
    harper = browser.get(f"/families/{past.family['FS-1042']}")
    [entry] = table_after(harper, "Discussions and decisions")
    assert entry[1:5] == ["Child Protection", "Continue the plan", "Ava stays on her Child Protection plan.",
                          f"Helen Brooks, {long_date(past.today - timedelta(days=14))}"]
    actions = table_after(harper, "Every action")
    assert {row[0] for row in actions} == {"Joint home visit with Mia to talk about testing and Ava's routine",
                                           "Home visit to Liam to offer his sessions again",
                                           "Ask the housing team about Mia's application"}
    assert {row[4] for row in actions} == {"Open"}, "a proposal nobody accepted is not an action"


def test_another_teams_family_timeline_is_not_found(past, sign_in):
    browser = sign_in("south-manager")
    assert browser.client.get(f"/families/{past.family['FS-1042']}").status_code == 404
