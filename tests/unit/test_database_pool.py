"""How many PostgreSQL connections each process keeps and opens at a peak is a setting (docs/scaling.md)."""
from __future__ import annotations

from supervision import config


def test_the_pool_is_ten_and_twenty_more_unless_set(monkeypatch):
    monkeypatch.delenv("DATABASE_POOL_SIZE", raising=False)
    monkeypatch.delenv("DATABASE_MAX_OVERFLOW", raising=False)
    options = config.sqlalchemy_engine_options("postgresql+psycopg://supervision@db.internal/supervision")
    assert (options["pool_size"], options["max_overflow"]) == (10, 20)


def test_a_deployment_of_many_processes_can_keep_fewer_connections(monkeypatch, tmp_path):
    from supervision import create_app
    from supervision.extensions import db

    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("DATABASE_MAX_OVERFLOW", "4")
    monkeypatch.setenv("DATABASE_URL", "postgresql://supervision@db.internal/supervision")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app()
    with app.app_context():
        pool = db.engine.pool  # built, not connected: no database is reached
        assert (pool.size(), pool._max_overflow) == (3, 4)
        assert config.sqlalchemy_engine_options("sqlite:///x.db").get("pool_size") is None
