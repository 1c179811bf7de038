"""A TCP proxy on loopback whose connections can be made to go dead, as a network does.

`cut()` stops every open connection without closing it: bytes sent either way are
swallowed, so both ends still think it is open (a half-open connection, a laptop on a
train), and new connections are refused. `heal()` brings the network back: the dead
connections are reset, as the far side does when it no longer knows them, and new ones
pass again.
"""
from __future__ import annotations

import socket
import struct
import threading

RESET_ON_CLOSE = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close with a reset


class _Link:
    def __init__(self, client: socket.socket, upstream: socket.socket):
        self.client, self.upstream = client, upstream
        self.dead = False

    def close(self) -> None:
        for sock in (self.client, self.upstream):
            for step in (lambda: sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_ON_CLOSE),
                         lambda: sock.shutdown(socket.SHUT_RDWR),  # wakes the pump blocked reading it
                         sock.close):
                try:
                    step()
                except OSError:
                    pass


class TcpProxy:
    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.links: list[_Link] = []
        self.refusing = False
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, name="tcp-proxy", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refusing:
                _Link(client, socket.socket()).close()
                continue
            link = _Link(client, socket.create_connection(("127.0.0.1", self.upstream_port)))
            with self.lock:
                self.links.append(link)
            for source, target in ((link.client, link.upstream), (link.upstream, link.client)):
                threading.Thread(target=self._pump, args=(link, source, target), daemon=True).start()

    def _pump(self, link: _Link, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if not link.dead:
                    target.sendall(data)
        except OSError:
            pass
        if not link.dead:
            link.close()

    def cut(self) -> None:
        with self.lock:
            self.refusing = True
            for link in self.links:
                link.dead = True

    def heal(self) -> None:
        with self.lock:
            dead = [link for link in self.links if link.dead]
            self.links = [link for link in self.links if not link.dead]
            self.refusing = False
        for link in dead:
            link.close()

    def close(self) -> None:
        self.listener.close()
        with self.lock:
            links, self.links = self.links, []
        for link in links:
            link.close()
