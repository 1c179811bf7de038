"""The service started as `make run` starts it: `supervision run`, one process, its log in a file."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.workers import free_port

SUPERVISION = str(Path(sys.executable).with_name("supervision"))


class RunCommand:
    """`supervision run --host 127.0.0.1 --port PORT` on a database of the test's own."""

    def __init__(self, database_url: str, instance: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        instance.mkdir(parents=True, exist_ok=True)
        self.log_path = instance / "run.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [SUPERVISION, "run", "--host", "127.0.0.1", "--port", str(self.port)],
            env={**os.environ, "DATABASE_URL": database_url, "INSTANCE_PATH": str(instance),
                 "SECRET_KEY": "run-command-test", "EXPORT_DIR": str(instance / "exports"), **(env or {})},
            stdout=self.log, stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, deadline_seconds: float = 60) -> RunCommand:
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"`supervision run` exited: {self.output()[-3000:]}")
            try:
                if requests.get(f"{self.url}/sign-in", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"`supervision run` not ready: {self.output()[-3000:]}")

    def stop(self) -> int:
        """SIGTERM, as systemd and Ctrl+C stop it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()
        return self.process.returncode

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text()
