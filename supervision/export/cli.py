"""`supervision export` writes the Word records of a session; `supervision exports prune` removes old files.

An operator's action: logged with via="cli" and no user, and not limited to one team.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..domain.errors import Invalid, NotFound


@click.command("export")
@click.argument("session_id", type=int)
@click.option("--family", "case_reference", default=None, help="Only this family's record (its case reference).")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False), help="Folder to write to.")
@with_appcontext
def export_command(session_id: int, case_reference: str | None, out_dir: str | None) -> None:
    """Write the Word records of SESSION_ID and print the paths written.

    Without --family: the session minutes and every family's record.
    """
    from ..services.audit import record_alone
    from ..services.records import export_as_operator

    try:
        paths = export_as_operator(session_id, case_reference, out_dir)
    except NotFound as error:
        raise click.BadParameter(error.message, param_hint="SESSION_ID") from None
    except Invalid as error:
        raise click.BadParameter(error.message, param_hint="--family") from None
    record_alone("record.exported", None, session_id=session_id,
                 details={"via": "command line", "family": case_reference, "files": [path.name for path in paths]})
    for path in paths:
        click.echo(str(path))


@click.group("exports")
def exports_group() -> None:
    """Word record files kept on the server."""


@exports_group.command("prune")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Remove files older than this many days (default: EXPORT_RETENTION_DAYS).")
@with_appcontext
def prune_command(days: int | None) -> None:
    """Remove record files older than the retention period; the export log keeps their rows,
    and a final record is rebuilt from the signed record if someone downloads it again."""
    from flask import current_app

    from .retention import prune, secure_folder

    days = current_app.config["EXPORT_RETENTION_DAYS"] if days is None else days
    removed = prune(secure_folder(current_app.config["EXPORT_DIR"]), days)
    for path in removed:
        click.echo(f"Removed {path}")
    click.echo(f"{len(removed)} record file(s) older than {days} days removed.")
