"""WSGI entry point for production servers: `gunicorn supervision.wsgi:app` (see docs/deployment.md)."""
from . import create_app

app = create_app()
