"""`supervision run`: the pages and the live boards in one process, on gevent's WSGI server.

The same concurrency as gunicorn's gevent worker (docs/deployment.md): every connection is a
greenlet, and the standard library is patched for it. Patching must come before anything
imports `socket`, `ssl` or `threading`, which the `supervision` package itself does; so the
command, started unpatched, replaces its own process with one that patches first
(`python -m gevent.monkey --module supervision run ...`) and serves there.
"""
from __future__ import annotations

import logging
import os
import signal
import sys

from gevent import pywsgi

log = logging.getLogger("supervision.server")


def patched() -> bool:
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("socket")


def restart_patched(host: str, port: int) -> None:
    """Become `python -m gevent.monkey --module supervision run ...`: the same process, patched."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "gevent.monkey", "--module", "supervision",
                              "run", "--host", host, "--port", str(port)])


class BoardHandler(pywsgi.WSGIHandler):
    """gevent's handler, told that a WebSocket the app took over is not an HTTP exchange.

    simple-websocket has had the socket since the upgrade, and when the board closes Engine.IO
    returns no response at all. gevent would then wait on the connection for another HTTP
    request, holding it (and a clean stop) for seconds; the connection is done, so it is closed.
    """

    def process_result(self):
        if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket" and not self.headers_sent \
                and self.status is None:
            self.close_connection = True
            return
        super().process_result()


def listener(host: str, port: int):
    """The server's listening socket, with Nagle's algorithm off (as gunicorn sets it) on it and so on
    every connection it accepts. A change's event and then its acknowledgement go to the sender as two
    small writes; with Nagle on, the second waits for the first to be acknowledged, which the other
    end delays by up to 40 ms."""
    import socket

    sock = pywsgi.WSGIServer.get_listener((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def serve(host: str, port: int) -> None:
    """Build the app and serve it until SIGINT or SIGTERM, then stop in good order."""
    import gevent

    from . import create_app, logs

    logs.configure()
    from .export.retention import on_start_up
    from .realtime import heartbeat
    from .runtime import settle_garbage_collector

    app = create_app()
    on_start_up(app.config)
    heartbeat.start(app)
    settle_garbage_collector()
    server = pywsgi.WSGIServer(listener(host, port), app, handler_class=BoardHandler, log=None)
    server.start()

    def stop(*_):
        log.info("stopping")
        heartbeat.stop()
        server.stop(timeout=2)

    gevent.signal_handler(signal.SIGTERM, stop)
    gevent.signal_handler(signal.SIGINT, stop)
    log.info(f"Group supervision is running on http://{host}:{port}  (Ctrl+C stops it)",
             extra={"pid": os.getpid(), "async_mode": app.config["SOCKETIO_ASYNC_MODE"]})
    server.serve_forever()
    log.info("stopped")
