"""A board client written from docs/protocol.md alone: python-socketio over a real socket.

It keeps the board state the way the protocol says (apply each event's changes in
sequence order), counts duplicates and gaps, and waits on conditions rather than sleeping.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
import uuid

import requests
import socketio


def sign_in(base_url: str, username: str, password: str) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{base_url}/sign-in", timeout=10).text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    response = http.post(f"{base_url}/sign-in", data={"csrf_token": token, "username": username,
                                                      "password": password}, allow_redirects=False, timeout=10)
    assert response.status_code == 302, f"{username} could not sign in"
    return http


class BoardClient:
    def __init__(self, base_url: str, username: str, password: str):
        self.base_url = base_url
        self.username = username
        self.http = sign_in(base_url, username, password)
        self.sio = socketio.Client(reconnection=False)
        self.session_id: int | None = None
        self.state: dict | None = None
        self.last_seq = 0
        self.buffer: list[dict] = []
        self.seen: list[int] = []
        self.duplicates = 0  # events broadcast to this client more than once
        self.broadcast: set[int] = set()  # the seqs of the events broadcast to it
        self.presence: list[dict] = []
        self.summaries: list[str] = []
        self.events: list[dict] = []  # every board:event as it arrived, regions and all
        self.access_ended: list[dict] = []
        self.typing: list[dict] = []
        self.late: bool | None = None  # what the latest board:heartbeat said
        self.heartbeats: list[dict] = []  # every board:heartbeat for its board, as it arrived
        self.catch_ups = 0
        self.cond = threading.Condition()
        self.sio.on("board:event", self._on_event)
        self.sio.on("board:presence", self._on_presence)
        self.sio.on("board:access_ended", self._on_access_ended)
        self.sio.on("board:typing", self._on_typing)
        self.sio.on("board:heartbeat", self._on_heartbeat)

    # -- connection
    @property
    def cookie(self) -> str:
        """The sign-in cookie, as a Cookie header (for raw requests and other clients)."""
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def connect(self) -> BoardClient:
        self.sio.connect(self.base_url, headers={"Cookie": self.cookie}, transports=["websocket"], wait_timeout=10)
        return self

    def disconnect(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()

    def join(self, session_id: int) -> dict:
        self.session_id = session_id
        payload = {"session_id": session_id}
        if self.state is not None:
            payload["since"] = self.last_seq
        ack = self.sio.call("join", payload, timeout=15)
        if ack["ok"]:
            self._absorb(ack)
        return ack

    def _absorb(self, ack: dict) -> None:
        with self.cond:
            if "snapshot" in ack:
                snapshot = ack["snapshot"]
                self.state = snapshot["state"]
                self.last_seq = snapshot["last_seq"]
                self.context = snapshot.get("context")
                self.you = snapshot.get("you")
            for event in ack.get("events", []):
                self._apply(event)
            pending, self.buffer = self.buffer, []
            for event in sorted(pending, key=lambda e: e["seq"]):
                self._apply(event)
            self.cond.notify_all()

    # -- incoming
    def _apply(self, event: dict) -> None:
        seq = event["seq"]
        if seq in self.seen:  # the same event, once from a catch-up this client asked for and once live
            return
        if seq <= self.last_seq:
            return  # already inside the snapshot we were given
        if seq != self.last_seq + 1:
            self.buffer.append(event)  # out of order: wait for the gap to fill (or sync)
            return
        for change in event["changes"]:
            bucket = self.state.setdefault(change["kind"], {})
            if change["value"] is None:
                bucket.pop(change["id"], None)
            else:
                bucket[change["id"]] = change["value"]
        self.seen.append(seq)
        self.summaries.append(event["summary"])
        self.last_seq = seq
        waiting = sorted(self.buffer, key=lambda e: e["seq"])
        self.buffer = []
        for later in waiting:
            self._apply(later)

    def _on_event(self, event: dict) -> None:
        with self.cond:
            if event["seq"] in self.broadcast:  # the server sent the same event to this client twice
                self.duplicates += 1
                return
            self.broadcast.add(event["seq"])
            self.events.append(event)
            if self.state is None:
                self.buffer.append(event)
            else:
                self._apply(event)
            self.cond.notify_all()

    def _on_presence(self, message: dict) -> None:
        with self.cond:
            self.presence = message["people"]
            self.cond.notify_all()

    def _on_typing(self, message: dict) -> None:
        with self.cond:
            self.typing.append(message)
            self.cond.notify_all()

    def _on_heartbeat(self, message: dict) -> None:
        """The board's latest seq, as docs/protocol.md says: behind it, catch up with `sync`."""
        with self.cond:
            if message["session_id"] != self.session_id or self.state is None:
                return
            self.late = message["late"]
            self.heartbeats.append(message)
            behind = message["last_seq"] > self.last_seq
            self.cond.notify_all()
        if behind:
            self.sio.start_background_task(self._catch_up)

    def _catch_up(self) -> None:
        try:
            self.sync()
        except Exception:  # the connection went meanwhile: the next heartbeat asks again
            return
        with self.cond:
            self.catch_ups += 1
            self.cond.notify_all()

    def _on_access_ended(self, message: dict) -> None:
        with self.cond:
            self.access_ended.append(message)
            self.cond.notify_all()

    # -- outgoing
    def change(self, change_type: str, data: dict | None = None, client_change_id: str | None = None) -> dict:
        return self.sio.call("change", {"session_id": self.session_id, "type": change_type, "data": data or {},
                                        "client_change_id": client_change_id or uuid.uuid4().hex}, timeout=15)

    def ok(self, change_type: str, data: dict | None = None) -> dict:
        ack = self.change(change_type, data)
        assert ack["ok"], f"{self.username} {change_type}: {ack}"
        return ack["event"]

    def sync(self) -> None:
        ack = self.sio.call("sync", {"session_id": self.session_id, "since": self.last_seq}, timeout=15)
        assert ack["ok"], ack
        self._absorb(ack)

    # -- waiting and comparing
    def wait_for_seq(self, seq: int, timeout: float = 15) -> None:
        with self.cond:
            assert self.cond.wait_for(lambda: self.last_seq >= seq, timeout), \
                f"{self.username} stuck at {self.last_seq}, waiting for {seq}"

    def wait_for(self, predicate, timeout: float = 15) -> None:
        with self.cond:
            assert self.cond.wait_for(predicate, timeout), f"{self.username}: condition not met"

    def state_hash(self) -> str:
        canonical = json.dumps(self.state, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def cards(self, item_id: int) -> list[dict]:
        return [c for c in self.state["card"].values() if c["item_id"] == item_id]
