"""The application the load benchmarks serve: `gunicorn benchmarks.app_under_test:app`.

It is `supervision.wsgi:app` (the production entry point, its garbage collector settings
included) with two settings the benchmark needs and production does not touch:

- ARGON2_PROFILE=CHEAPEST, so that signing in hundreds of fictional people before a run
  costs milliseconds instead of a 64 MiB, CPU-heavy hash each. Password hashing happens
  only at sign-in, which is set-up here and is never inside a measured window.
- SOCKETIO_ASYNC_MODE from BENCH_ASYNC_MODE, to compare async modes with one code base.
"""
from __future__ import annotations

import os

from supervision import create_app
from supervision.realtime import heartbeat
from supervision.runtime import settle_garbage_collector

app = create_app({
    "ARGON2_PROFILE": "CHEAPEST",
    "SOCKETIO_ASYNC_MODE": os.environ.get("BENCH_ASYNC_MODE", "threading"),
})
heartbeat.start(app)
settle_garbage_collector()

