"""The app picks its Socket.IO async mode from the server it runs in (docs/deployment.md)."""
from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = "from supervision.config import default_async_mode; print(default_async_mode())"


@pytest.mark.parametrize("patched, expected", [(True, "gevent"), (False, "threading")])
def test_gevent_only_where_the_server_patched_the_standard_library(patched, expected):
    # A fresh interpreter: monkey-patching cannot be undone, and it must happen before imports.
    prelude = "from gevent import monkey; monkey.patch_all(); " if patched else "import gevent; "
    result = subprocess.run([sys.executable, "-c", prelude + PROBE], capture_output=True, text=True, timeout=60,
                            check=True)
    assert result.stdout.strip() == expected
