"""Group supervision for Family Safeguarding teams: a live shared board and its records."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from . import config as config_module
from .extensions import csrf, db, limiter, login_manager, migrate, socketio
from .private_files import keep_private
from .flask_app import SupervisionFlask

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` overrides what the environment gives (tests use it)."""
    app = SupervisionFlask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=os.environ.get("INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    app.config.update(config_module.from_environment(Path(app.instance_path)))
    if config:
        app.config.update(config)
        if "SQLALCHEMY_DATABASE_URI" in config:
            url = config_module.normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
            app.config["SQLALCHEMY_DATABASE_URI"] = url
            if "SQLALCHEMY_ENGINE_OPTIONS" not in config:
                app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config_module.sqlalchemy_engine_options(url)
    keep_private(app.instance_path, app.config["EXPORT_DIR"])

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(Path(app.root_path) / app.template_folder)),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from .store import sqlite  # noqa: F401  (WAL and foreign keys on every SQLite connection)
    # Handlers must be registered before socketio.init_app, which copies them onto its new server:
    # registered after, they would attach only to the first app's server.
    from .realtime import handlers  # noqa: F401
    from .realtime.cookie_session import ConnectionSessionInterface
    from .realtime.packets import JsonPacket

    db.init_app(app)
    if sqlite.group_commit():
        from .store import durability

        with app.app_context():
            durability.attach(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    # The SocketIO object is shared by every app in a process (tests make many): start clean each time.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config.get("SOCKETIO_CHANNEL", "supervision"),
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        ping_interval=app.config["SOCKETIO_PING_INTERVAL"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
        manage_session=False,
        max_http_buffer_size=app.config["ENGINEIO_MAX_BUFFER"],
        serializer=JsonPacket,
    )
    app.session_interface = ConnectionSessionInterface()
    _wrap_wsgi(app)

    from . import logs
    from .web import register_web

    logs.install(app)  # first, so every request has its id before anything answers it
    register_web(app)

    from .realtime import init_realtime

    init_realtime(app)

    from .auditing import install as install_audit

    install_audit(app)

    from .cli import register_commands

    register_commands(app)
    return app


def _wrap_wsgi(app: Flask) -> None:
    """Outermost first: the proxy's headers (so addresses are people's, for sign-in limits and
    the audit trail, on pages and live boards alike), then the body limit, then Socket.IO and Flask."""
    from .body_limit import BodyLimit

    app.wsgi_app = BodyLimit(app.wsgi_app, app.config["ENGINEIO_MAX_BUFFER"])
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
