"""`supervision export`: write the Word records of a session from the command line."""
import click
from flask.cli import with_appcontext


@click.command("export")
@click.argument("session_id", type=int)
@click.option("--family", "case_reference", default=None, help="Only this family's record (its case reference).")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False), help="Folder to write to.")
@with_appcontext
def export_command(session_id: int, case_reference: str | None, out_dir: str | None) -> None:
    """Write the Word records of SESSION_ID and print the paths written."""
    raise click.ClickException("Exporting is not available yet.")
