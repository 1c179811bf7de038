"""`supervision export`: write the Word records of a session from the command line.

An operator's action: logged with via="cli" and no user, and not limited to one team.
"""
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
