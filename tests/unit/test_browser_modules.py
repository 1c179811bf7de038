"""The browser's small pure modules (static/js), tested with Node's own runner: `node --test`."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TESTS = sorted((ROOT / "static" / "js" / "tests").glob("*.test.js"))


def test_the_browser_modules_pass_their_node_tests():
    node = shutil.which("node")
    if node is None:
        message = "Node.js is not installed; `make test` needs it for the front-end packages anyway."
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    assert TESTS, "no browser module tests found"
    result = subprocess.run([node, "--test", *map(str, TESTS)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
