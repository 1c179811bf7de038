"""The database, the instance folder and the Word records are readable by the service's own account only."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from flask_migrate import upgrade

from supervision import create_app
from supervision.export.cli import export_command
from supervision.extensions import db
from tests.databases import TEST_CONFIG
from tests.integration.test_records import demo_closed_session


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_instance_keeps_everything_owner_only(tmp_path, monkeypatch):
    instance, exports = tmp_path / "instance", tmp_path / "exports"
    instance.mkdir(mode=0o755)
    (instance / "left-over.log").write_text("from an earlier version")
    (instance / "left-over.log").chmod(0o644)
    monkeypatch.setenv("INSTANCE_PATH", str(instance))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    # No SECRET_KEY and no DATABASE_URL: the defaults, a key file and a database in the instance folder.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = {key: value for key, value in TEST_CONFIG.items() if key != "SECRET_KEY"}
    app = create_app({**config, "EXPORT_DIR": str(exports)})
    with app.app_context():
        upgrade()
        from supervision.demo import load_demo

        load_demo("a-demo-password-long-enough")
        session_id = demo_closed_session().id
        db.session.remove()
    result = app.test_cli_runner().invoke(export_command, [str(session_id)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()

    database = instance / "supervision.db"
    assert database.exists() and (instance / "secret_key").exists()
    for directory in (instance, exports):
        assert mode(directory) == 0o700, directory
    written = [p for p in [*instance.iterdir(), *exports.iterdir()] if p.is_file() and p.name != ".gitkeep"]
    assert any(p.suffix == ".docx" for p in written)
    for path in written:
        assert mode(path) & 0o077 == 0, f"{path.name} is {oct(mode(path))}"
