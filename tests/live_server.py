"""A real server on a free port, in a thread, serving HTTP and Socket.IO (threading mode)."""
from __future__ import annotations

import threading

from werkzeug.serving import make_server


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        from supervision.realtime import heartbeat

        heartbeat.stop()  # its rows in this test's database would otherwise be beaten on
        self.server.shutdown()
        self.thread.join(timeout=10)
