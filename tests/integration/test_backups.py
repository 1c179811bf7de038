"""The backups docs/deployment.md describes give a database the service opens with its audit trail whole."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from supervision.extensions import db
from supervision.store.models import AuditEntry
from tests.conftest import Browser, make_app
from tests.databases import pg_admin, pg_url
from tests.web.audit_rows import verify

DEPLOYMENT_DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"


def audit_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditEntry))
        db.session.remove()
        return count


def some_activity(app) -> None:
    """A sign-in and a page view: rows in the audit trail that the copy must hold."""
    Browser(app.test_client()).sign_in("manager").get("/")


def documented_python_backup() -> str:
    """The SQLite online backup without the sqlite3 tool, as the page gives it."""
    match = re.search(r'python -c "([^"]+)"', DEPLOYMENT_DOC.read_text())
    assert match, "docs/deployment.md no longer shows the Python backup command"
    return match.group(1)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_online_sqlite_backup_holds_what_is_still_in_the_write_ahead_log(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    some_activity(app)
    source = database_url.removeprefix("sqlite:///")
    assert Path(source + "-wal").exists()  # the latest rows are still in the write-ahead log
    copy = tmp_path / "backup.db"
    subprocess.run([sys.executable, "-c", documented_python_backup(), source, str(copy)], check=True, timeout=60)

    restored = make_app(f"sqlite:///{copy}", tmp_path / "restored")
    assert audit_count(restored) == audit_count(app) > 0
    result = verify(restored)
    assert result.exit_code == 0 and "OK" in result.output


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_postgresql_dump_restores_into_an_empty_database(database_url, tmp_path):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore (Debian's postgresql-client) are not installed")
    app = make_app(database_url, tmp_path)
    some_activity(app)
    dump = tmp_path / "supervision.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", database_url], check=True, timeout=120)

    name = f"{database_url.rsplit('/', 1)[1]}_restored"
    with pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={pg_url(name)}", str(dump)], check=True, timeout=120)
        restored = make_app(pg_url(name), tmp_path / "restored")
        assert audit_count(restored) == audit_count(app) > 0
        result = verify(restored)
        assert result.exit_code == 0 and "OK" in result.output
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        with pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
