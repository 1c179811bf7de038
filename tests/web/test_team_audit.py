"""What the team manager sees of the audit trail: on the family page, and on the team audit page with its CSV.

A manager sees only rows about their own team: rows naming its families and sessions, and the
sign-ins and refusals of its members. Another team's people and families answer like missing ones.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from supervision.domain.wording import LOCAL
from tests.web.audit_rows import audit_rows, ids
from tests.web.test_families import new_family

SECTION = "Who has seen or exported this family's records"


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def cells(page) -> list[list[str]]:
    """The audit table's rows: when, person, role, what, family, session, details, address."""
    return [[td.get_text(strip=True) for td in tr.find_all(["th", "td"])] for tr in page.select("tbody tr")]


def day_fields(prefix: str, day) -> dict:
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def test_the_family_page_shows_the_manager_who_has_seen_its_records(app, sign_in):
    harper = ids(app)["family"]["FS-1042"]
    sign_in("social").get(f"/families/{harper}")
    page = sign_in("manager").get(f"/families/{harper}")
    heading = page.find("h2", id="accesses")
    assert heading is not None and heading.get_text(strip=True) == SECTION
    people = [tuple(row[1:4]) for row in cells(heading.find_next("table"))]
    assert people[0] == ("Priya Shah", "Child and family social worker", "Viewed the family page")

    social_page = sign_in("social").get(f"/families/{harper}")
    assert SECTION not in social_page.get_text()
    assert social_page.find(id="accesses") is None


def test_the_team_home_links_the_audit_page_for_the_manager_only(app, sign_in):
    assert sign_in("manager").get("/").find("a", href="/team/audit") is not None
    assert sign_in("support").get("/").find("a", href="/team/audit") is None
    sign_in("social").get("/team/audit", expected=403)
    assert sign_in("support").client.get("/team/audit.csv").status_code == 403


def test_the_audit_page_filters_by_person_family_and_dates(app, sign_in):
    known = ids(app)
    harper, khan = known["family"]["FS-1042"], known["family"]["FS-1057"]
    social, senior = sign_in("social"), sign_in("senior")
    social.get(f"/families/{harper}")
    senior.get(f"/families/{khan}")
    manager = sign_in("manager")

    everything = manager.get("/team/audit")
    assert everything.h1.get_text(strip=True) == "Audit trail"
    names = {row[1] for row in cells(everything)}
    assert {"Priya Shah", "David Mensah", "Helen Brooks"} <= names

    only_social = manager.get(f"/team/audit?person={known['user']['social']}")
    people = {row[1] for row in cells(only_social)}
    assert people == {"Priya Shah"}

    only_khan = manager.get(f"/team/audit?family={khan}")
    whats = cells(only_khan)
    assert whats and all(row[4] == "Khan family (FS-1057)" for row in whats)
    assert ["David Mensah", "Senior social worker", "Viewed the family page"] == whats[0][1:4]

    today = datetime.now(LOCAL).date()
    query = "&".join(f"{k}={v}" for k, v in day_fields("from_date", today + timedelta(days=1)).items())
    assert "0 rows" in manager.get(f"/team/audit?{query}").get_text()
    query = "&".join(f"{k}={v}" for k, v in {**day_fields("from_date", today), **day_fields("to_date", today)}.items())
    assert manager.get(f"/team/audit?{query}&person={known['user']['social']}").select("tbody tr")

    refused = manager.client.get("/team/audit?from_date-day=31&from_date-month=2&from_date-year=2026")
    assert refused.status_code == 400
    assert "must be a real date" in refused.get_data(as_text=True)


def test_the_audit_page_is_paginated(app, sign_in):
    harper = ids(app)["family"]["FS-1042"]
    social = sign_in("social")
    for _ in range(55):
        assert social.client.get(f"/families/{harper}").status_code == 200
    manager = sign_in("manager")
    first = manager.get(f"/team/audit?family={harper}")
    assert len(first.select("tbody tr")) == 50
    assert first.find("nav", class_="govuk-pagination") is not None
    second = manager.get(f"/team/audit?family={harper}&page=2")
    assert 5 <= len(second.select("tbody tr")) < 50


def test_the_csv_has_the_filtered_rows_and_no_formulas(app, sign_in):
    manager = sign_in("manager")
    manager.post("/families/new", new_family(app, display_name='=HYPERLINK("http://example.invalid")',
                                             case_reference="@FS-1"), expected=200)
    family_id = audit_rows(app, "family.added")[-1]["family_id"]
    manager.get(f"/families/{family_id}")
    rows = csv_rows(manager.client.get(f"/team/audit.csv?family={family_id}"))
    # Most recent first: the download itself, the page after saving and again, the family added.
    assert [row["action"] for row in rows] == ["audit.exported", "family.viewed", "family.viewed", "family.added"]
    for row in rows:
        assert row["family"] == "'" + '=HYPERLINK("http://example.invalid") (@FS-1)'
        assert row["person"] == "Helen Brooks"
    assert '"new": "=HYPERLINK' in rows[-1]["details"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    assert audit_rows(app, "audit.exported"), "downloading the trail is itself recorded"


def test_a_manager_of_south_sees_none_of_norths_rows(app, sign_in):
    known = ids(app)
    north_family, north_session = known["family"]["FS-1042"], known["session"]["north-scheduled"]
    sign_in("social").get(f"/families/{north_family}")
    sign_in("manager").get(f"/sessions/{north_session}")
    sign_in("south-social").get(f"/families/{known['family']['FS-2011']}")
    south = sign_in("south-manager")

    rows = csv_rows(south.client.get("/team/audit.csv"))
    south_people = {str(known["user"][name]) for name in ("south-manager", "south-social", "south-support")}
    assert rows, "South's own rows are there"
    assert {row["person id"] for row in rows} <= south_people
    assert str(north_family) not in {row["family id"] for row in rows}
    assert str(north_session) not in {row["session id"] for row in rows}
    page = south.get("/team/audit").get_text()
    assert "Priya Shah" not in page and "Helen Brooks" not in page

    south.get(f"/team/audit?family={north_family}", expected=404)
    south.get(f"/team/audit?person={known['user']['social']}", expected=404)
    assert south.client.get(f"/team/audit.csv?family={north_family}").status_code == 404
