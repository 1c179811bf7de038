"""The audit chain on both databases: appends from many threads stay one line, and the database
itself refuses to change or remove a row."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from supervision.extensions import db
from supervision.services import audit
from supervision.services import board as board_service
from tests.demo_session import everyone_present, todays_session_id
from tests.web.audit_rows import audit_rows, ids

pytestmark = pytest.mark.postgres

THREADS = 6
EACH = 15


def test_concurrent_appends_keep_the_chain_linear(app):
    known = ids(app)
    session_id = todays_session_id(app)
    everyone_present(app, session_id)
    manager, social = known["user"]["manager"], known["user"]["social"]
    with app.app_context():
        board_service.apply_change(manager, session_id, "start_session", {})
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            with app.app_context():
                start.wait(timeout=30)
                for i in range(EACH):
                    if n % 2:  # half the threads change the board, whose row goes in with the change
                        board_service.apply_change(social, session_id, "add_card",
                                                   {"stage": "situation", "text": f"Card {n}-{i}"})
                    else:
                        audit.record_alone("family.viewed", audit.Who(manager, "Helen Brooks"),
                                           family_id=known["family"]["FS-1042"], details={"n": n, "i": i})
                db.session.remove()
        except BaseException as error:  # noqa: BLE001  (reported below)
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    rows = audit_rows(app)
    assert len(rows) == 1 + THREADS * EACH
    assert [row["position"] for row in rows] == list(range(1, len(rows) + 1))
    seqs = sorted(row["details"]["seq"] for row in rows if row["action"] == "board.change")
    assert seqs == list(range(1, 2 + (THREADS // 2) * EACH))
    with app.app_context():
        verdict = audit.verify_chain()
    assert verdict.ok and verdict.rows == len(rows)


def test_the_database_refuses_to_change_or_remove_audit_rows(app, sign_in):
    sign_in("manager")
    with app.app_context():
        for statement in ("UPDATE audit_log SET user_name = 'Someone else'", "DELETE FROM audit_log",
                          "DELETE FROM audit_head"):
            with pytest.raises(DatabaseError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(DatabaseError, match="append-only"):
                db.session.execute(text("TRUNCATE audit_log"))
            db.session.rollback()
    assert audit_rows(app, "sign_in")


def test_the_verify_command_names_a_row_changed_in_the_database(app, sign_in, database_url, tmp_path):
    browser = sign_in("manager")
    browser.get(f"/families/{ids(app)['family']['FS-1042']}")
    target = audit_rows(app, "sign_in")[0]
    command = [str(Path(sys.executable).parent / "supervision"), "audit", "verify"]
    env = {**os.environ, "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path / "instance"),
           "SECRET_KEY": "test-secret-key"}
    clean = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert clean.returncode == 0, clean.stderr
    assert f"OK: {len(audit_rows(app))} audit rows" in clean.stdout

    with app.app_context():
        guard = ("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"
                 if db.engine.dialect.name == "postgresql" else "DROP TRIGGER audit_log_no_update")
        db.session.execute(text(guard))
        db.session.execute(text("UPDATE audit_log SET address = '203.0.113.9' WHERE id = :id"), {"id": target["id"]})
        db.session.commit()
    broken = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert broken.returncode == 1
    assert f"row {target['id']} (position {target['position']})" in broken.stderr
