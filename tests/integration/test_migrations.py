"""`supervision db upgrade` on an empty database gives exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from supervision.extensions import db
from supervision.store.models import Role
from tests.conftest import make_app


def test_upgrade_from_empty_matches_the_models(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        kinds = set(db.session.scalars(select(Role.kind)))
        assert kinds == {"manager", "senior_social_worker", "social_worker", "practitioner",
                         "specialist", "business_support"}
        db.session.remove()
        db.engine.dispose()


def test_downgrade_removes_every_table(empty_database_url, tmp_path):
    app = make_app(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()
