"""A real OpenID Connect provider on loopback for the sign-in tests: tests/oidc/provider.mjs under Node.

`make install-test` installs Node's `oidc-provider` (package.json). Without Node or the
package the sign-in tests skip, and under CI=true they fail instead.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "group-supervision"
CLIENT_SECRET = "a-client-secret-for-tests-only"
CALLBACK = "/sign-in/council/callback"


def require_provider() -> str:
    """The path to node, or skip (fail under CI=true) if Node or the provider package is missing."""
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "Node is not installed; `make install-test` needs it for the OpenID provider tests."
    elif not (ROOT / "node_modules" / "oidc-provider" / "package.json").exists():
        problem = "The npm package oidc-provider is not installed; run `make install-test`."
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    return node


@dataclass
class Provider:
    """A running provider: its issuer, and the accounts people can sign in as (by id)."""

    issuer: str
    process: subprocess.Popen
    accounts: dict = field(default_factory=dict)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def app_config(self, **overrides) -> dict:
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_PERSON_CLAIM": "email", **overrides}


def start_provider(redirect_uris: list[str], accounts: list[dict], timeout: float = 30) -> Provider:
    node = require_provider()
    config = {"clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris}],
              "accounts": accounts}
    process = subprocess.Popen([node, str(SCRIPT), json.dumps(config)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        first = lines.get(timeout=timeout)
    except queue.Empty:
        process.kill()
        raise RuntimeError("the OpenID provider did not start") from None
    if not first:
        raise RuntimeError(f"the OpenID provider stopped at once (exit {process.wait()})")
    return Provider(json.loads(first)["issuer"], process, {a["id"]: a for a in accounts})


def _form(response):
    page = BeautifulSoup(response.text, "html.parser")
    form = page.find("form")
    assert form is not None, f"no form at {response.url}: {response.text[:300]}"
    data = {tag["name"]: tag.get("value", "") for tag in form.find_all("input") if tag.get("name")}
    return urljoin(response.url, form.get("action") or response.url), data


def sign_in_over_http(session: requests.Session, app_url: str, login: str) -> requests.Response:
    """Through the provider's own pages, as a browser would: start, type the login, consent, come back.

    Returns the app's answer to the callback (not followed).
    """
    response = session.get(f"{app_url}/sign-in/council", timeout=10)
    for _ in range(6):
        if response.url.startswith(app_url) and CALLBACK in response.url:
            break
        action, data = _form(response)
        if "login" in data:
            data.update(login=login, password="any")
        response = session.post(action, data=data, timeout=10, allow_redirects=False)
        while response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if target.startswith(app_url):
                return session.get(target, timeout=10, allow_redirects=False)
            response = session.get(target, timeout=10, allow_redirects=False)
    raise AssertionError("the provider never sent the browser back to the service")
