"""Debian's nginx, run by the test's own user with its own prefix, configured by docs/deployment.md.

The `nginx` block of docs/deployment.md is used as it is written, with three changes a test
needs: the ports of the test's workers, and plain HTTP on a free port of 127.0.0.1 instead of
443 with a certificate. Each change must find what it replaces, so the page and the test
cannot drift apart.
"""
from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.workers import free_port

DEPLOYMENT_DOC = Path(__file__).resolve().parents[1] / "docs" / "deployment.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def documented_server_block() -> str:
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOYMENT_DOC.read_text(), re.S)
    assert len(blocks) == 1, "docs/deployment.md should hold one nginx configuration"
    return blocks[0]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"docs/deployment.md's nginx configuration no longer has {old!r}"
    return text.replace(old, new)


class Nginx:
    def __init__(self, workdir: Path, live: list[str], pages: str):
        if not Path(NGINX).exists():
            message = "nginx is not installed (scripts/ensure_system_packages.sh installs Debian's nginx-light)"
            if os.environ.get("CI") == "true":
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site = documented_server_block()
        site = _replace(site, "server 127.0.0.1:8001;", f"server {live[0]};")
        site = _replace(site, "server 127.0.0.1:8002;", f"server {live[1]};")
        site = _replace(site, "server 127.0.0.1:8010;", f"server {pages};")
        site = _replace(site, "listen 443 ssl;", f"listen 127.0.0.1:{self.port};")
        site = "\n".join(line for line in site.splitlines() if "ssl_certificate" not in line)
        temp = "\n".join(f"    {kind}_temp_path {workdir / kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        # Run by root (as in CI), nginx would hand its workers to `nobody`, who cannot use this folder.
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        self.conf = workdir / "nginx.conf"
        self.conf.write_text(
            f"{user}worker_processes 1;\npid {workdir / 'nginx.pid'};\nerror_log {workdir / 'error.log'} info;\n"
            f"events {{ worker_connections 1024; }}\n"
            f"http {{\n    access_log {workdir / 'access.log'};\n{temp}\n{site}\n}}\n")
        self.process: subprocess.Popen | None = None

    def start(self) -> Nginx:
        check = subprocess.run([NGINX, "-t", "-p", str(self.workdir), "-e", str(self.workdir / "error.log"),
                                "-c", str(self.conf)], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.workdir), "-e", str(self.workdir / "error.log"), "-c", str(self.conf),
             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((self.workdir / "error.log").read_text()[-3000:])
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # fast shutdown of the master and its worker
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
