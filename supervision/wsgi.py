"""WSGI entry point for production servers: `gunicorn supervision.wsgi:app` (see docs/deployment.md)."""
from . import create_app
from .runtime import settle_garbage_collector

app = create_app()
settle_garbage_collector()
