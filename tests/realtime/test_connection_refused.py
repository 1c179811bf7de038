"""A refused connection carries its documented code in the error's `data`, for any client library."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
REFUSED = {"message": "Sign in to join the board.",
           "data": {"code": "unauthenticated", "message": "Sign in to join the board."}}


def test_the_connect_error_packet_is_the_documented_object(live_server):
    """Socket.IO over Engine.IO long-polling, read as the packets on the wire."""
    http = requests.Session()
    base = f"{live_server.url}/socket.io/?EIO=4&transport=polling"
    opened = http.get(base, timeout=10).text
    assert opened.startswith("0")
    sid = json.loads(opened[1:])["sid"]
    assert http.post(f"{base}&sid={sid}", data="40", timeout=10).text == "OK"
    packet = http.get(f"{base}&sid={sid}", timeout=10).text
    assert packet.startswith("44"), packet  # Engine.IO message, Socket.IO CONNECT_ERROR
    assert json.loads(packet[2:]) == REFUSED


@pytest.mark.skipif(shutil.which("node") is None, reason="node is part of make install-test")
@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_the_official_javascript_client_reads_the_code_from_the_error_data(live_server, transport):
    script = """
    const { io } = require('socket.io-client')
    const socket = io(process.argv[1], { transports: [process.argv[2]], reconnection: false })
    socket.on('connect_error', (err) => {
      console.log(JSON.stringify({ message: err.message, data: err.data }))
      socket.close()
    })
    """
    done = subprocess.run(["node", "-e", script, live_server.url, transport], cwd=ROOT, capture_output=True, text=True,
                          timeout=30, check=True)
    assert json.loads(done.stdout) == REFUSED
