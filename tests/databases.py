"""Real databases for tests: a migrated, demo-loaded template per backend, cloned for each test.

SQLite clones are file copies. PostgreSQL clones are `CREATE DATABASE ... TEMPLATE`, in
databases this run creates for itself and drops at the end. Under CI=true an unreachable
PostgreSQL fails the run instead of skipping.
"""
from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DEMO_PASSWORD = "demo-password-for-tests"
TEST_CONFIG = {
    "TESTING": True,
    "ARGON2_PROFILE": "CHEAPEST",
    "SECRET_KEY": "test-secret-key",
    "RATELIMIT_ENABLED": True,
}


def pg_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def pg_admin():
    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)


def postgres_available() -> str | None:
    """None if PostgreSQL answers, else the reason it does not."""
    try:
        with pg_admin() as conn:
            conn.execute("SELECT 1")
        return None
    except psycopg.OperationalError as error:
        return str(error).strip().splitlines()[0]


def require_postgres() -> None:
    reason = postgres_available()
    if reason is None:
        return
    message = f"PostgreSQL at {PG_ADMIN_URL} is unreachable: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def build(app_factory, url: str) -> None:
    """Migrate an empty database with Alembic and load the demo data into it."""
    from flask_migrate import upgrade

    from supervision.demo import load_demo
    from supervision.extensions import db

    app = app_factory({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_demo(DEMO_PASSWORD)
        db.session.remove()
        db.engine.dispose()


class Backend:
    """Makes fresh copies of a template database for one backend."""

    def __init__(self, name: str, workdir: Path):
        self.name = name
        self.workdir = workdir
        self.run_id = uuid.uuid4().hex[:8]
        self.counter = itertools.count()
        self.template: str | None = None
        self.created: list[str] = []

    def prepare(self, app_factory) -> None:
        if self.template is not None:
            return
        if self.name == "sqlite":
            path = self.workdir / "template.db"
            build(app_factory, f"sqlite:///{path}")
            with sqlite3.connect(path) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.template = str(path)
        else:
            name = f"sv_tpl_{self.run_id}"
            with pg_admin() as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            self.created.append(name)
            build(app_factory, pg_url(name))
            self.template = name

    def empty_url(self) -> str:
        """A brand-new, empty database (for migration tests)."""
        n = next(self.counter)
        if self.name == "sqlite":
            return f"sqlite:///{self.workdir / f'empty-{n}.db'}"
        name = f"sv_empty_{self.run_id}_{n}"
        with pg_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return pg_url(name)

    def clone(self) -> str:
        n = next(self.counter)
        if self.name == "sqlite":
            path = self.workdir / f"test-{n}.db"
            shutil.copyfile(self.template, path)
            return f"sqlite:///{path}"
        name = f"sv_{self.run_id}_{n}"
        with pg_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return pg_url(name)

    def drop(self, url: str) -> None:
        if self.name == "sqlite":
            return
        name = url.rsplit("/", 1)[1]
        with pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        if self.name == "sqlite":
            return
        with pg_admin() as conn:
            for name in reversed(self.created):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        message = f"Redis at {REDIS_URL} is unreachable: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
