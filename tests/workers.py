"""Start the app as separate gunicorn processes, as a real multi-worker deployment does."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Worker:
    """One gunicorn process serving supervision.wsgi:app: `gevent` (the live boards) or `gthread` (pages)."""

    def __init__(self, env: dict, instance: Path, worker_class: str = "gthread", threads: int = 50):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        instance.mkdir(parents=True, exist_ok=True)
        self.log = open(instance / f"worker-{self.port}.log", "w")
        concurrency = ["--threads", str(threads)] if worker_class == "gthread" else []
        self.process = subprocess.Popen(
            [GUNICORN, "--worker-class", worker_class, "--workers", "1", *concurrency,
             "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "2", "supervision.wsgi:app"],
            env={**os.environ, **env, "INSTANCE_PATH": str(instance)},
            stdout=self.log, stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, deadline_seconds: float = 60) -> None:
        """Poll until the worker answers (bounded), failing with its log if it dies or never does."""
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/sign-in", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"worker not ready: {Path(self.log.name).read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the serving process and its master, as a crash or the OOM killer would: no
        handler of ours runs. The child first, so the master cannot stop it in good order."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
        self.process.kill()
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
