"""Memory and CPU per idle client: one thousand people signed in, connected and on a board, one worker.

Each client signs in, connects over a WebSocket, joins its session's board and then does
nothing. The server's resident memory (VmRSS of the gunicorn worker) is read when it is
ready, after the first 100 clients, and after all 1,000 (a few seconds after the last join,
so that the memory has settled). Memory per client is the growth from 100 to 1,000
clients divided by 900 (the first clients also pay for one-off caches), and from the
start. The bare Flask-SocketIO server (benchmarks/bare_server.py) is measured the same
way, as the baseline.

Idle CPU is the worker's CPU time over IDLE_WINDOW seconds once everyone is connected and
nobody does anything: answering Engine.IO pings (every SOCKETIO_PING_INTERVAL seconds, 5
by default, for the app and the bare server alike) and, in the app, its presence
heartbeat (one UPDATE and one read every PRESENCE_HEARTBEAT_SECONDS).

Run: python -m benchmarks.idle_clients [--clients N] [--mode gevent|threading]
"""
from __future__ import annotations

import argparse
import multiprocessing
import time

from . import harness
from .clients import idle_process

PEOPLE = 12
FIRST_BATCH = 100
SETTLE_SECONDS = 5
IDLE_WINDOW = 30
PROCS = 4


def _spawn(context, participants: list[dict], password: str | None, procs: int):
    pipes, processes = [], []
    for n in range(procs):
        mine = participants[n::procs]
        if not mine:
            continue
        parent, child = context.Pipe()
        process = context.Process(target=idle_process, args=(child, {"sessions": mine, "password": password}),
                                  daemon=True)
        process.start()
        pipes.append(parent)
        processes.append(process)
    return pipes, processes


def _ready(pipes) -> int:
    connected = 0
    for pipe in pipes:
        if not pipe.poll(600):
            raise RuntimeError("a client process did not connect its clients in 600 s")
        kind, value = pipe.recv()
        if kind == "error":
            raise RuntimeError(f"a client process failed:\n{value}")
        connected += value
    return connected


def measure(server: harness.Server, participants: list[dict], password: str | None) -> dict:
    context = multiprocessing.get_context("spawn")
    time.sleep(1)
    ready = server.memory()["VmRSS"]
    first, rest = participants[:FIRST_BATCH], participants[FIRST_BATCH:]
    pipes, processes = _spawn(context, first, password, 1)
    try:
        connected = _ready(pipes)
        time.sleep(SETTLE_SECONDS)
        after_first = server.memory()["VmRSS"]
        more_pipes, more_processes = _spawn(context, rest, password, PROCS)
        pipes += more_pipes
        processes += more_processes
        connected += _ready(more_pipes)
        time.sleep(SETTLE_SECONDS)
        memory = server.memory()
        threads = server.threads()
        cpu_before = server.cpu()
        time.sleep(IDLE_WINDOW)
        idle_cpu = (server.cpu() - cpu_before) / IDLE_WINDOW
    finally:
        harness.close_client_processes(pipes, processes, timeout=120)
    total = len(participants)
    return {
        "clients": connected,
        "ready_mb": ready,
        "first_mb": after_first,
        "all_mb": memory["VmRSS"],
        "peak_mb": memory["VmHWM"],
        "threads": threads,
        "per_client_kb": (memory["VmRSS"] - after_first) * 1024 / (total - len(first)),
        "per_client_from_start_kb": (memory["VmRSS"] - ready) * 1024 / total,
        "idle_cpu_percent": idle_cpu * 100,
    }


def run_app(clients: int, mode: str) -> dict:
    sessions = -(-clients // PEOPLE)
    with harness.workdir() as directory, harness.sqlite_database(directory) as url:
        built = harness.build_sessions(url, directory, sessions, PEOPLE)
        env = harness.app_env(url, directory)
        with harness.servers(1, "benchmarks.app_under_test:app", mode=mode, env=env, workdir=directory,
                             connections=clients) as (server,):
            participants = [{"id": s.id, "usernames": [user], "urls": [server.url]}
                            for s in built for user in s.usernames][:clients]
            return measure(server, participants, harness.PASSWORD)


def run_bare(clients: int, mode: str) -> dict:
    with harness.workdir() as directory:
        with harness.servers(1, "benchmarks.bare_server:app", mode=mode, env=harness.bare_env(),
                             workdir=directory, connections=clients, ready_path="/ready") as (server,):
            participants = [{"id": 1 + n // PEOPLE, "usernames": [None], "urls": [server.url]}
                            for n in range(clients)]
            return measure(server, participants, None)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--mode", default=harness.default_mode(),
                        choices=harness.ASYNC_MODES)
    args = parser.parse_args(argv if argv is not None else [])
    bare = run_bare(args.clients, args.mode)
    app = run_app(args.clients, args.mode)
    print(f"{args.clients} idle clients on one worker ({args.mode}, SQLite): signed in, connected, joined; "
          f"server resident memory (VmRSS); worker CPU while all are idle ({IDLE_WINDOW} s)")
    keys = [("ready MB", "ready_mb", "{:.0f}"), (f"{FIRST_BATCH} clients MB", "first_mb", "{:.0f}"),
            (f"{args.clients} clients MB", "all_mb", "{:.0f}"), ("KB per client", "per_client_kb", "{:.0f}"),
            ("KB per client from start", "per_client_from_start_kb", "{:.0f}"), ("threads", "threads", "{}"),
            ("idle CPU %", "idle_cpu_percent", "{:.1f}")]
    rows = [[name] + [fmt.format(r[key]) for _, key, fmt in keys] for name, r in (("bare server", bare), ("app", app))]
    rows.append(["app / bare"] + [harness.ratio(app[key], bare[key]) for _, key, _ in keys])
    print("\n".join("  " + line for line in harness.table(["server"] + [k[0] for k in keys], rows).splitlines()))
    for name, r in (("bare server", bare), ("app", app)):
        if r["clients"] != args.clients:
            print(f"  {name}: only {r['clients']} of {args.clients} clients connected")
    return {"bare": bare, "app": app}


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
