"""Health checks for a load balancer, systemd or Kubernetes: no sign-in, nothing sensitive, no audit row.

`/healthz` says the process is alive and serving, without touching the database: restart
the process if it does not answer. `/readyz` says whether it can do its work now: the
database answers, and, when one is configured, the message queue that carries changes to
the other workers. Take the worker out of rotation while it answers 503.
"""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify

from ..services import readiness

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

ENDPOINTS = {"health.live", "health.ready"}


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def live():
    return _answer({"status": "alive"}, 200)


@bp.get("/readyz")
def ready():
    checks = readiness.check(current_app)
    ready_now = all(state in (readiness.OK, readiness.NOT_CONFIGURED) for state in checks.values())
    if not ready_now:
        log.warning("not ready", extra={"checks": checks})
    return _answer({"status": "ready" if ready_now else "not ready", "checks": checks}, 200 if ready_now else 503)
