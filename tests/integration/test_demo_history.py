"""North's year of fictional history: deterministic, loaded once, and showing a real trend in every
chart, read through the same services the pages use (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from supervision.demo_history import load_history
from supervision.extensions import db
from supervision.services import history, team_picture, timeline
from supervision.store.models import Family, SupervisionSession, Team
from tests.conftest import make_app
from tests.team_fixture import london_today


def _north() -> int:
    return db.session.scalar(select(Team.id).where(Team.slug == "north"))


def _digest() -> list[tuple]:
    """What the history holds, with days counted from today so two databases can be compared."""
    today = london_today()
    return [((each.on - today).days, each.family_id, each.plan_level, each.outcome,
             [(r.adult, r.specialism, r.stage) for r in each.readings], each.next_on)
            for each in history.signed(_north(), readings=True)]


def test_the_history_is_the_same_every_time_and_loads_once(app, database_url, backends, tmp_path):
    with app.app_context():
        result = load_history()
        assert (result.sessions, result.discussions, result.families) == (26, 104, 6)
        assert load_history().sessions == 0, "a second run adds nothing"
        first = _digest()
        south = db.session.scalars(select(SupervisionSession).join(Team).where(Team.slug == "south")).all()
        assert len(south) == 1, "the history is North's alone"
    backend = next(iter(b for b in backends.values() if b.template and (
        b.name == "sqlite") == database_url.startswith("sqlite")))
    other_url = backend.clone()
    other = make_app(other_url, tmp_path / "other")
    try:
        with other.app_context():
            load_history()
            assert _digest() == first
            db.session.remove()
            db.engine.dispose()
    finally:
        backend.drop(other_url)


def test_every_chart_shows_a_trend(app):
    today = london_today()
    with app.app_context():
        load_history()
        north = _north()
        plans, outcomes = team_picture.twelve_months(north, today)
        first, last = plans.counts[0], plans.counts[-1]
        assert first["child_protection"] > last["child_protection"], "fewer families on Child Protection plans"
        assert sum(last.values()) < sum(first.values()) + 3
        seen = {value for month in outcomes.counts for value in month}
        assert {"continue", "step_down", "step_up", "close"} <= seen
        levels = {value for month in plans.counts for value in month}
        assert levels == {"early_help", "child_in_need", "child_protection", "pre_proceedings", "looked_after"}
        okoro = db.session.scalar(select(Family).where(Family.case_reference == "FS-1071"))
        path = timeline.family_timeline(okoro, today)
        assert len({level for _, level in path.plan_points}) == 3, "Okoro's plan moved up twice"
        assert path.plan_points[-1][1] == okoro.plan_level == "pre_proceedings"
        assert all(len(readings) >= 5 for readings in path.stages.values())
        assert any(len({stage for _, stage in readings}) >= 3 for readings in path.stages.values())
        assert any(entry.amendments for f in db.session.scalars(select(Family).where(Family.team_id == north))
                   for entry in timeline.family_timeline(f, today).entries)
        assert min(p.on for p in (each.point for each in history.signed(north))) < date(today.year - 1, today.month, 28)
