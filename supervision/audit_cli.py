"""`supervision audit`: check the audit trail's hash chain from the command line."""
import click
from flask.cli import with_appcontext


@click.group("audit")
def audit_group() -> None:
    """The audit trail: who saw, exported or changed what, and when."""


@audit_group.command("verify")
@with_appcontext
def verify_command() -> None:
    """Walk the whole chain: print OK and the row count, or name the first broken row and exit 1."""
    from .services.audit import verify_chain

    verdict = verify_chain()
    if verdict.ok:
        click.echo(f"OK: {verdict.rows} audit rows, the chain is unbroken.")
        return
    click.echo(f"BROKEN at {verdict.broken.describe()}", err=True)
    raise SystemExit(1)
