"""`supervision run` sends each small write at once: a change's event and then its acknowledgement go
to the sender as two writes, and with Nagle's algorithm on the second waited for the first to be
acknowledged, which the other end may delay by 40 ms."""
from __future__ import annotations

import socket

from supervision.serving import listener


def test_every_connection_the_server_accepts_sends_small_writes_at_once():
    server = listener("127.0.0.1", 0)
    client = socket.create_connection(server.getsockname(), timeout=5)
    try:
        accepted, _ = server.accept()
        try:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        finally:
            accepted.close()
    finally:
        client.close()
        server.close()
