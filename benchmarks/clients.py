"""The load generator's clients: python-socketio AsyncClients over real WebSockets.

One client process holds many clients on one asyncio loop (a threaded socketio.Client per
participant would cost three threads each), and speaks the protocol of docs/protocol.md:
sign in over HTTP with the CSRF token, connect with the session cookie, `join`, then
`change` with an acknowledgement. Several such processes run at once (see load.py), each
owning whole sessions, so a change's sender and all its receivers share one clock.

Times are time.monotonic(): CLOCK_MONOTONIC, the same clock in every process on Linux.
"""
from __future__ import annotations

import asyncio
import random
import time
import traceback
import uuid

import aiohttp
import socketio
from yarl import URL

from .harness import csrf_token

CONNECT_CONCURRENCY = 12


async def sign_in(base_url: str, username: str, password: str) -> str:
    """Sign in as the protocol says and return the Cookie header for the Socket.IO connection."""
    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: keep cookies from an IP address (127.0.0.1)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as http:
        async with http.get(f"{base_url}/sign-in") as response:
            page = await response.text()
        token = csrf_token(page)
        async with http.post(f"{base_url}/sign-in", allow_redirects=False,
                             data={"csrf_token": token, "username": username, "password": password}) as response:
            if response.status != 302:
                raise RuntimeError(f"{username} could not sign in: HTTP {response.status}")
        cookies = jar.filter_cookies(URL(base_url))
        return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())


class Participant:
    """One person's board connection. Records when each change's event arrives, and duplicates."""

    def __init__(self, url: str, session_id: int, username: str | None, watched: dict):
        self.url = url
        self.session_id = session_id
        self.username = username
        self.watched = watched  # client_change_id -> record, shared by the process: events we count
        self.arrivals: dict[str, float] = {}
        self.seqs: set[int] = set()
        self.duplicates = 0
        self.reused_seqs = 0
        self.received = 0
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("board:event", self._on_event)

    def _on_event(self, event: dict) -> None:
        now = time.monotonic()
        change_id = event.get("client_change_id")
        seq = event.get("seq")
        if change_id in self.arrivals:
            self.duplicates += 1
            return
        if seq in self.seqs:
            self.reused_seqs += 1  # two different events with one sequence number: a numbering fault
        self.seqs.add(seq)
        if change_id in self.watched:
            self.arrivals[change_id] = now
            self.received += 1

    async def connect(self, password: str | None) -> None:
        headers = {}
        if password is not None:
            headers["Cookie"] = await sign_in(self.url, self.username, password)
        await self.sio.connect(self.url, headers=headers, transports=["websocket"], wait_timeout=60)

    async def join(self) -> None:
        ack = await self.sio.call("join", {"session_id": self.session_id}, timeout=120)
        if not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack}")

    async def change(self, change_type: str, data: dict, change_id: str) -> dict:
        return await self.sio.call("change", {"session_id": self.session_id, "type": change_type, "data": data,
                                              "client_change_id": change_id}, timeout=120)

    async def disconnect(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


async def connect_all(sessions: list[dict], password: str | None, watched: dict) -> list[list[Participant]]:
    """Sign in, connect and join every participant, a few at a time; returns them per session."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    groups = [[Participant(url, s["id"], user, watched) for user, url in zip(s["usernames"], s["urls"])]
              for s in sessions]

    async def one(participant: Participant) -> None:
        async with gate:
            await participant.connect(password)
            await participant.join()

    await asyncio.gather(*(one(p) for group in groups for p in group))
    return groups


async def receive(conn):
    """A message from the parent process, without blocking this process's event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, conn.recv)


# ---------------------------------------------------------------- a measured load

class Change:
    __slots__ = ("session", "sender", "sent", "acked", "ok", "error")

    def __init__(self, session: int, sender: int, sent: float):
        self.session, self.sender, self.sent = session, sender, sent
        self.acked: float | None = None
        self.ok = False
        self.error = None


async def _write(index: int, group: list[Participant], spec: dict, start_at: float, rng: random.Random,
                 changes: dict, lags: list, counters: dict) -> None:
    """One session's writers: `rate` changes a second from a random phase, senders taking turns.

    At most `window` changes of a session wait for their acknowledgement at once; a change
    that would exceed it is skipped and counted (the server is not keeping up).
    """
    interval = 1.0 / spec["rate"]
    phase = rng.uniform(0, interval)
    end = start_at + spec["duration"]
    outstanding = [0]
    k = 0
    turn = rng.randrange(len(group))
    while True:
        due = start_at + phase + k * interval
        if due >= end:
            break
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        lags.append(time.monotonic() - due)
        k += 1
        if outstanding[0] >= spec["window"]:
            counters["skipped"] += 1
            continue
        sender = (turn + k) % len(group)
        change_id = f"{index}.{k}.{uuid.uuid4().hex[:12]}"
        record = Change(index, sender, time.monotonic())
        changes[change_id] = record
        outstanding[0] += 1

        def acknowledged(*args, record=record):
            record.acked = time.monotonic()
            ack = args[0] if args else None
            record.ok = isinstance(ack, dict) and bool(ack.get("ok"))
            if not record.ok:
                record.error = ack
            outstanding[0] -= 1

        data = {"stage": "situation", "text": f"Benchmark card {k}: {SENTENCE}"}
        await group[sender].sio.emit("change", {"session_id": group[sender].session_id, "type": "add_card",
                                                "data": data, "client_change_id": change_id},
                                     callback=acknowledged)


SENTENCE = ("School say attendance has improved to ninety per cent this half term, "
            "and the children told me they feel safer at home.")


def _delivered(changes: dict, groups: list[list[Participant]]) -> tuple[int, int]:
    expected = sum(len(groups[c.session]) for c in changes.values() if c.ok)
    received = sum(p.received for group in groups for p in group)
    return expected, received


async def _load(conn, spec: dict) -> dict:
    rng = random.Random(spec["seed"])
    changes: dict[str, Change] = {}
    groups = await connect_all(spec["sessions"], spec.get("password"), changes)
    if spec.get("start_session"):
        for group in groups:  # the chair starts each session before anything is measured
            ack = await group[0].change("start_session", {}, f"start-{uuid.uuid4().hex}")
            if not ack.get("ok"):
                raise RuntimeError(f"start_session refused: {ack}")
    await asyncio.sleep(0.5)
    conn.send(("ready", sum(len(g) for g in groups)))
    start_at = await receive(conn)
    cpu_start = time.process_time()
    lags: list[float] = []
    counters = {"skipped": 0}
    await asyncio.gather(*(_write(i, group, spec, start_at, random.Random(rng.random()), changes, lags, counters)
                           for i, group in enumerate(groups)))
    # Drain: wait for every acknowledgement and every delivery, for at most `grace` seconds.
    deadline = time.monotonic() + spec["grace"]
    while time.monotonic() < deadline:
        expected, received = _delivered(changes, groups)
        if all(c.acked is not None for c in changes.values()) and received >= expected:
            break
        await asyncio.sleep(0.05)
    done_at = time.monotonic()
    cpu = time.process_time() - cpu_start

    latency_all, latency_each, latency_cross, ack_latency = [], [], [], []
    lost = 0
    for change_id, c in changes.items():
        if c.acked is not None:
            ack_latency.append(c.acked - c.sent)
        if not c.ok:
            continue
        group = groups[c.session]
        arrivals = []
        for n, participant in enumerate(group):
            arrived = participant.arrivals.get(change_id)
            if arrived is None:
                lost += 1
            elif n != c.sender:
                arrivals.append(arrived - c.sent)
                if participant.url != group[c.sender].url:  # the event came through the message queue
                    latency_cross.append(arrived - c.sent)
        latency_each.extend(arrivals)
        if len(arrivals) == len(group) - 1:
            latency_all.append(max(arrivals))
    errors = [c.error for c in changes.values() if c.acked is not None and not c.ok]
    return {
        "sent": len(changes),
        "skipped": counters["skipped"],
        "acked_ok": sum(1 for c in changes.values() if c.ok),
        "refused": len(errors),
        "refusals": errors[:3],
        "unacknowledged": sum(1 for c in changes.values() if c.acked is None),
        "last_ack": max((c.acked for c in changes.values() if c.acked is not None), default=start_at),
        "lost": lost,
        "duplicated": sum(p.duplicates for group in groups for p in group),
        "reused_seqs": sum(p.reused_seqs for group in groups for p in group),
        "latency_all": latency_all,
        "latency_each": latency_each,
        "latency_cross": latency_cross,
        "ack_latency": ack_latency,
        "lag_max": max(lags, default=0.0),
        "lag_sorted_p99": sorted(lags)[int(len(lags) * 0.99)] if lags else 0.0,
        "cpu": cpu,
        "done_at": done_at,
        "groups": groups,
    }


async def _load_and_report(conn, spec: dict) -> None:
    groups = []
    try:
        result = await _load(conn, spec)
        groups = result.pop("groups")
        conn.send(("result", result))
    except Exception:  # noqa: BLE001 (the parent prints it and fails the run)
        conn.send(("error", traceback.format_exc()))
    try:
        await receive(conn)  # hold the connections until the parent has read the server's figures
    except EOFError:
        pass
    await asyncio.gather(*(p.disconnect() for group in groups for p in group), return_exceptions=True)


def load_process(conn, spec: dict) -> None:
    """Entry point of one client process for a measured load."""
    asyncio.run(_load_and_report(conn, spec))


# ---------------------------------------------------------------- idle connections

async def _idle(conn, spec: dict) -> None:
    groups = []
    try:
        groups = await connect_all(spec["sessions"], spec.get("password"), {})
        conn.send(("ready", sum(len(g) for g in groups)))
    except Exception:  # noqa: BLE001
        conn.send(("error", traceback.format_exc()))
    try:
        await receive(conn)
    except EOFError:
        pass
    connected = sum(1 for group in groups for p in group if p.sio.connected)
    await asyncio.gather(*(p.disconnect() for group in groups for p in group), return_exceptions=True)
    try:
        conn.send(("closed", connected))
    except (BrokenPipeError, OSError):
        pass


def idle_process(conn, spec: dict) -> None:
    """Entry point of one client process that connects, joins, and waits to be told to leave."""
    asyncio.run(_idle(conn, spec))
