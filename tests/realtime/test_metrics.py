"""GET /metrics: the board's figures for Prometheus, refused to anyone without the token or off this machine."""
from __future__ import annotations

import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

TOKEN = "metrics-token-for-tests-0123456789"


def figures(response) -> dict:
    """{(name, labels as a sorted tuple): value} from the exposition text."""
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def scrape(app) -> dict:
    response = app.test_client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return figures(response)


@pytest.mark.app_config(METRICS_TOKEN=TOKEN)
def test_anyone_without_the_token_is_refused(app, sign_in):
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics").headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    # A signed-in person is no better: the figures are for the operations team's scraper.
    assert sign_in("manager").client.get("/metrics").status_code == 401
    refused = client.get("/metrics")
    assert "supervision_" not in refused.get_data(as_text=True)


def test_without_a_token_only_this_machine_may_scrape(app):
    client = app.test_client()
    assert client.get("/metrics").status_code == 200  # the test client calls from 127.0.0.1
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 403
    # Through a proxy on this machine (nginx) is not "this machine".
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403


@pytest.mark.app_config(METRICS_TOKEN=TOKEN)
def test_the_figures_are_the_boards(app, connect, todays_session, sign_in):
    before = scrape(app)
    assert sign_in("manager").client.get("/families/999999").status_code == 404
    manager, social = connect("manager"), connect("social")
    assert manager.join(todays_session)["ok"] and social.join(todays_session)["ok"]
    manager.ok("start_session")
    manager.ok("add_card", {"stage": "situation", "text": "Counted, never shown in the figures"})
    assert social.change("close_session")["error"]["code"] == "forbidden"  # only the chair runs the room

    after = scrape(app)
    # The gauges are this process's: other tests' servers in it may have left connections behind.
    assert after[("supervision_connections", ())] - before[("supervision_connections", ())] == 2
    assert after[("supervision_open_boards", ())] >= 1

    def grew(name, labels=()):
        key = (name, tuple(sorted(labels)))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("supervision_board_changes_total", [("type", "session.started")]) == 1
    assert grew("supervision_board_changes_total", [("type", "card.added")]) == 1
    assert grew("supervision_change_latency_seconds_count") == 2
    assert grew("supervision_change_latency_seconds_bucket", [("le", "+Inf")]) == 2
    assert grew("supervision_refusals_total", [("code", "forbidden"), ("via", "socket")]) == 1
    assert grew("supervision_refusals_total", [("code", "not_found"), ("via", "http")]) == 1
    text = app.test_client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)
    assert "Counted, never shown" not in text and "Helen" not in text

    # Boards closed: the connections are no longer counted.
    manager.disconnect()
    social.disconnect()
    deadline = time.monotonic() + 15
    while scrape(app)[("supervision_connections", ())] != before[("supervision_connections", ())]:
        assert time.monotonic() < deadline, "closed connections still counted"
        time.sleep(0.1)
