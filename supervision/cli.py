"""The `supervision` command: Flask's CLI group with this service's commands."""
from __future__ import annotations

import os
import secrets

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from .domain.errors import Invalid


def _create_app():
    from . import create_app

    return create_app()


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", 5000)), show_default="PORT or 5000")
def run_command(host: str, port: int) -> None:
    """Serve the web pages and the live board in one process (gevent; docs/deployment.md)."""
    from . import serving

    if not serving.patched():
        serving.restart_patched(host, port)
    serving.serve(host, port)


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the fictional demo teams, people, families and sessions (safe to run twice)."""
    from .demo import load_demo

    password = os.environ.get("DEMO_PASSWORD") or None
    generated = password is None
    if generated:
        password = _remembered_demo_password()
    result = load_demo(password)
    click.echo(result.summary())
    from .demo_history import load_history

    click.echo(load_history().summary())
    click.echo("")
    click.echo("Demo sign-in names: " + ", ".join(result.usernames))
    origin = "generated, kept in the instance folder" if generated else "from DEMO_PASSWORD"
    click.echo(f"Demo password ({origin}): {password}")


def _remembered_demo_password() -> str:
    """A generated demo password, kept in the instance folder so repeated runs print the same one."""
    path = os.path.join(current_app.instance_path, "demo_password")
    if os.path.exists(path):
        with open(path) as handle:
            return handle.read().strip()
    password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
    with open(path, "w") as handle:
        handle.write(password)
    os.chmod(path, 0o600)
    return password


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="The name colleagues know them by.")
@click.option("--team", "team_name", required=True, help="The team's full name.")
@click.option("--role", "role_key", required=True, help="A role key, e.g. team-manager, social-worker.")
@click.option("--specialism", "specialism_key", default=None, help="For adult workers, e.g. recovery.")
@click.password_option(help="Asked for if not given.")
@with_appcontext
def create_user_command(username, display_name, team_name, role_key, specialism_key, password) -> None:
    """Add a person to a team."""
    from .services.accounts import create_user

    try:
        user = create_user(username=username, display_name=display_name, password=password,
                           team_name=team_name, role_key=role_key, specialism_key=specialism_key)
    except Invalid as error:
        for field, message in error.fields.items():
            click.echo(f"{field}: {message}", err=True)
        raise SystemExit(2)
    click.echo(f"Created {user.username} in {team_name}.")


@click.command("deactivate-user")
@click.option("--username", required=True)
@with_appcontext
def deactivate_user_command(username: str) -> None:
    """Close a person's account: they are signed out everywhere and taken off every open board."""
    _set_active(username, False)


@click.command("reactivate-user")
@click.option("--username", required=True)
@with_appcontext
def reactivate_user_command(username: str) -> None:
    """Reopen a closed account; the person signs in again as usual."""
    _set_active(username, True)


def _done_or_exit(change, *args):
    """Run a change to a person; if it is refused, say why on stderr and exit 2, as scripts expect."""
    try:
        return change(*args)
    except Invalid as error:
        click.echo(error.message, err=True)
        raise SystemExit(2)


def _set_active(username: str, active: bool) -> None:
    from .services.accounts import set_active

    user = _done_or_exit(set_active, username, active)
    click.echo(f"{user.username} can {'now' if active else 'no longer'} sign in.")


@click.command("set-administrator")
@click.option("--username", required=True)
@click.option("--off", is_flag=True, help="Stop the person being an administrator.")
@with_appcontext
def set_administrator_command(username: str, off: bool) -> None:
    """Make a person an authority-wide administrator (teams, roles, specialisms, every team's people)."""
    from .services.authority import set_administrator

    user = _done_or_exit(set_administrator, username, not off)
    click.echo(f"{user.username} is {'no longer' if off else 'now'} an administrator.")


@click.command("set-sign-in-identity")
@click.option("--username", required=True)
@click.option("--identity", default="", help="The value of OIDC_PERSON_CLAIM for this person; blank removes it.")
@with_appcontext
def set_sign_in_identity_command(username: str, identity: str) -> None:
    """Say who a person is at the council's OpenID provider, so they can sign in through it."""
    from .services.authority import set_sign_in_identity

    user = _done_or_exit(set_sign_in_identity, username, identity)
    click.echo(f"{user.username} signs in through the council's sign-in as {user.external_subject!r}."
               if user.external_subject else f"{user.username} has no sign-in identity now.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(set_administrator_command)
    app.cli.add_command(set_sign_in_identity_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(deactivate_user_command)
    app.cli.add_command(reactivate_user_command)
    from .export.cli import export_command, exports_group

    app.cli.add_command(export_command)
    app.cli.add_command(exports_group)
    from .audit_cli import audit_group

    app.cli.add_command(audit_group)


class SupervisionGroup(FlaskGroup):
    def __init__(self, **kwargs):
        super().__init__(create_app=_create_app, add_default_commands=False, add_version_option=False,
                         set_debug_flag=False, **kwargs)
        self.add_command(run_command)
        self.add_command(shell_command)
        self.add_command(routes_command)


main = SupervisionGroup(help="Group supervision for Family Safeguarding teams.")
