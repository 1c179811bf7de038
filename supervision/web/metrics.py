"""GET /metrics for Prometheus, kept from the public.

With `METRICS_TOKEN` set, a scrape must send `Authorization: Bearer TOKEN` (401 otherwise,
from anywhere). Without it, only a caller on this machine that came straight here, not through
a proxy, is answered (403 otherwise). No sign-in, no audit row: the figures name no one.
"""
from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

bp = Blueprint("metrics", __name__)

ENDPOINTS = {"metrics.scrape"}
LOOPBACK = {"127.0.0.1", "::1"}
FORWARDED = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")


def _refuse(status: int, message: str) -> Response:
    response = Response(message + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


def _allowed() -> Response | None:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        offered = request.headers.get("Authorization", "")
        scheme, _, value = offered.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            return _refuse(401, "Send the metrics token as a bearer token.")
        return None
    direct = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR", request.remote_addr)
    if direct not in LOOPBACK or any(request.headers.get(name) for name in FORWARDED):
        return _refuse(403, "Metrics are served to this machine only, or with METRICS_TOKEN.")
    return None


@bp.get("/metrics")
def scrape():
    refusal = _allowed()
    if refusal is not None:
        return refusal
    response = Response(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response
