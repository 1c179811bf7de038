"""WSGI entry point for production servers: `gunicorn supervision.wsgi:app` (see docs/deployment.md)."""
from . import create_app, logs
from .export.retention import on_start_up
from .realtime import heartbeat
from .runtime import settle_garbage_collector

logs.configure()  # one JSON object a line on standard error, gunicorn's own lines too
app = create_app()
on_start_up(app.config)  # old record files removed, the export folder owner-only
heartbeat.start(app)  # says this process is alive, and clears presence left by one that died
settle_garbage_collector()
