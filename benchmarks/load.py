"""Load benchmark of the live board against a bare Flask-SocketIO server, same load generator.

Loads (docs/performance.md explains each figure):
- council peak: 50 live sessions x 12 participants, 1 change a second per session, 60 s;
- burst: 20 sessions x 12 participants, 20 changes a second per session, 30 s;
- council peak again over two workers (PostgreSQL, Redis message queue).

Each load runs twice: against the app (one worker, SQLite, real sign-in; served by
`supervision run` as `make run` serves it, or with --server gunicorn by a gunicorn worker)
and against benchmarks/bare_server.py (a gunicorn worker of the same async mode, no auth,
no database). Several workers are always gunicorn's, as docs/deployment.md runs them. Clients are python-socketio AsyncClients in several processes. A change is
`add_card`; its latency is from the moment it is sent to the moment its `board:event` has
reached every other participant of the session. Lost = an acknowledged change's event
that some participant (its sender included) never received; duplicated = the same event
received twice by one participant. The run fails (exit 1) if either is not zero.

With --audit-cost the app also runs with AUDIT_BOARD_CHANGES=0 (board changes left out of
the audit trail, a setting only benchmarks use), and the report gives audit on / audit off.

Run: python -m benchmarks.load [--loads council,burst,two-workers] [--mode gevent|threading]
     python -m benchmarks.load --server gunicorn --loads council
     python -m benchmarks.load --compare-modes threading,gevent --loads council
     python -m benchmarks.load --loads council --audit-cost [--scale 0.25]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import harness
from .clients import load_process

GRACE_SECONDS = 20
QUIET_WAIT = float(os.environ.get("BENCH_QUIET_WAIT", "20"))  # seconds to wait for other work to finish
READY_TIMEOUT = 300


@dataclass(frozen=True)
class Load:
    key: str
    title: str
    sessions: int
    people: int
    rate: float  # changes a second per session
    duration: float  # seconds
    workers: int = 1

    @property
    def window(self) -> int:
        """Changes of one session that may wait for their acknowledgement at once (one second's worth, at least 5)."""
        return max(5, int(self.rate))

    def describe(self) -> str:
        return (f"{self.sessions} sessions x {self.people} participants, {self.rate:g} change/s per session, "
                f"{self.duration:g} s")


LOADS = {
    "council": Load("council", "Council peak", 50, 12, 1.0, 60.0),
    "burst": Load("burst", "Burst", 20, 12, 20.0, 30.0),
    "two-workers": Load("two-workers", "Council peak over two workers", 50, 12, 1.0, 60.0, workers=2),
}


def scaled(load: Load, factor: float) -> Load:
    return Load(load.key, load.title, load.sessions, load.people, load.rate, max(5.0, load.duration * factor),
                load.workers)


# ---------------------------------------------------------------- one measured run

def drive(load: Load, sessions: list[dict], servers: list[harness.Server], *, password: str | None,
          start_session: bool, procs: int, database: str | None = None,
          before_window: Callable[[], None] | None = None,
          probes: dict[str, Callable[[], float]] | None = None) -> dict:
    """Run the load generator's processes against running servers and gather every figure.

    `before_window` runs once everyone is connected and the machine is quiet, just before the
    measured window (benchmarks/workers.py measures idle CPU there); each of `probes` is read
    at the window's start and end, and its growth is in the result's "probes".
    """
    probes = probes or {}
    context = multiprocessing.get_context("spawn")
    procs = max(1, min(procs, len(sessions)))
    pipes, processes = [], []
    for n in range(procs):
        mine = sessions[n::procs]
        spec = {"sessions": mine, "rate": load.rate, "duration": load.duration, "window": load.window,
                "grace": GRACE_SECONDS, "password": password, "start_session": start_session, "seed": 1000 + n}
        parent, child = context.Pipe()
        process = context.Process(target=load_process, args=(child, spec), daemon=True)
        process.start()
        pipes.append(parent)
        processes.append(process)
    setup_started = time.monotonic()
    try:
        connected = 0
        for pipe in pipes:
            connected += _expect(pipe, "ready", READY_TIMEOUT)
        setup_seconds = time.monotonic() - setup_started
        for server in servers:
            server.setup_memory = server.memory()
        harness.wait_for_quiet(max_wait=QUIET_WAIT)
        if before_window is not None:
            before_window()
        start_at = time.monotonic() + 1.0
        for pipe in pipes:
            pipe.send(start_at)
        time.sleep(max(0.0, start_at - time.monotonic()))
        cpu_start = [server.cpu() for server in servers]
        services_start = harness.backing_services_cpu(database) if load.workers > 1 else {}
        busy_start = harness.cpu_busy_seconds()
        probes_start = {name: probe() for name, probe in probes.items()}
        results = [_expect(pipe, "result", load.duration + GRACE_SECONDS + 120) for pipe in pipes]
        cpu = sum(server.cpu() - before for server, before in zip(servers, cpu_start))
        busy = harness.cpu_busy_seconds() - busy_start
        services = sum(used - services_start.get(pid, 0.0) for pid, used in
                       (harness.backing_services_cpu(database) if load.workers > 1 else {}).items())
        memory = [server.memory() for server in servers]
        threads = sum(server.threads() for server in servers)
        probed = {name: probe() - probes_start[name] for name, probe in probes.items()}
    finally:
        harness.close_client_processes(pipes, processes, timeout=60)

    window = max(r["done_at"] for r in results) - start_at
    latency_all = sorted(x for r in results for x in r["latency_all"])
    latency_each = sorted(x for r in results for x in r["latency_each"])
    latency_cross = sorted(x for r in results for x in r["latency_cross"])
    ack_latency = sorted(x for r in results for x in r["ack_latency"])
    acked_ok = sum(r["acked_ok"] for r in results)
    last_ack = max(r["last_ack"] for r in results)
    span = max(load.duration, last_ack - start_at)
    return {
        "connected": connected,
        "offered": round(load.sessions * load.rate * load.duration),
        "sent": sum(r["sent"] for r in results),
        "skipped": sum(r["skipped"] for r in results),
        "acked_ok": acked_ok,
        "refused": sum(r["refused"] for r in results),
        "refusals": [x for r in results for x in r["refusals"]][:3],
        "unacknowledged": sum(r["unacknowledged"] for r in results),
        "changes_per_s": acked_ok / span,
        "deliveries_per_s": len(latency_each) / span,
        "lost": sum(r["lost"] for r in results),
        "duplicated": sum(r["duplicated"] for r in results),
        "reused_seqs": sum(r["reused_seqs"] for r in results),
        "services_cpu": services,
        "p50": harness.percentile(latency_all, 50) * 1000,
        "p99": harness.percentile(latency_all, 99) * 1000,
        "max": (latency_all[-1] if latency_all else float("nan")) * 1000,
        "each_p50": harness.percentile(latency_each, 50) * 1000,
        "each_p99": harness.percentile(latency_each, 99) * 1000,
        "ack_p50": harness.percentile(ack_latency, 50) * 1000,
        "ack_p99": harness.percentile(ack_latency, 99) * 1000,
        "cross_deliveries": len(latency_cross),
        "cross_p50": harness.percentile(latency_cross, 50) * 1000,
        "cross_p99": harness.percentile(latency_cross, 99) * 1000,
        "probes": probed,
        "server_cpu": cpu,
        "server_cpu_pct": 100 * cpu / window,
        "peak_mb": max(m["VmHWM"] for m in memory),
        "peak_mb_total": sum(m["VmHWM"] for m in memory),
        "rss_before_mb": sum(s.setup_memory["VmRSS"] for s in servers),
        "server_threads": threads,
        "clients_cpu": sum(r["cpu"] for r in results),
        "machine_busy_pct": 100 * busy / window / os.cpu_count(),
        "lag_max_ms": max(r["lag_max"] for r in results) * 1000,
        "lag_p99_ms": max(r["lag_sorted_p99"] for r in results) * 1000,
        "cpu_per_change_ms": 1000 * cpu / acked_ok if acked_ok else float("nan"),
        "window_s": window,
        "setup_s": setup_seconds,
        "others_cpu_pct": 100 * max(0.0, busy - cpu - services - sum(r["cpu"] for r in results))
        / window / os.cpu_count(),
    }


def _expect(pipe, kind: str, timeout: float):
    if not pipe.poll(timeout):
        raise RuntimeError(f"a client process sent no {kind!r} within {timeout:.0f} s")
    got, value = pipe.recv()
    if got == "error":
        raise RuntimeError(f"a client process failed:\n{value}")
    if got != kind:
        raise RuntimeError(f"expected {kind!r} from a client process, got {got!r}")
    return value


def spread(built: list[harness.BenchSession], running: list[harness.Server]) -> list[dict]:
    """The load generator's sessions, each session's people taking the workers in turn (so most
    deliveries cross the message queue when there are several), starting one further along each time."""
    return [{"id": s.id, "usernames": s.usernames,
             "urls": [running[(n + i) % len(running)].url for n in range(len(s.usernames))]}
            for i, s in enumerate(built)]


def run_app(load: Load, mode: str, procs: int, extra_env: dict | None = None, *, audit: bool = True,
            server: str = "gunicorn") -> dict:
    """The real app: fresh database, `supervision` gunicorn worker(s) or `supervision run`, everyone signs in.

    `server="embedded"` serves one worker with `supervision run`, what `make run` serves; several
    workers are always gunicorn's.
    `extra_env` sets variables for the app's workers (benchmarks/durability.py compares settings);
    audit=False leaves board changes out of the audit trail (AUDIT_BOARD_CHANGES=0), to measure its cost.
    """
    clients_per_worker = -(-load.sessions * load.people // load.workers)
    with harness.workdir() as directory:
        if load.workers == 1:
            database = harness.sqlite_database(directory)
            queue = None
        else:
            database = harness.postgres_database()
            queue = harness.REDIS_URL
        with database as url:
            built = harness.build_sessions(url, directory, load.sessions, load.people)
            env = {**harness.app_env(url, directory, message_queue=queue),
                   "AUDIT_BOARD_CHANGES": "1" if audit else "0", **(extra_env or {})}
            kind = server if load.workers == 1 else "gunicorn"
            with harness.servers(load.workers, "benchmarks.app_under_test:app", kind, mode=mode, env=env,
                                 workdir=directory, connections=clients_per_worker) as running:
                sessions = spread(built, running)
                try:
                    result = drive(load, sessions, running, password=harness.PASSWORD, start_session=True,
                                   procs=procs, database=harness.database_name(url))
                except Exception:
                    for each in running:
                        print(f"--- server log ({each.url}):\n{each.log_tail()}", file=sys.stderr)
                    raise
    return result


def run_bare(load: Load, mode: str, procs: int) -> dict:
    """The baseline: benchmarks/bare_server.py on the same gunicorn worker class and async mode."""
    clients_per_worker = -(-load.sessions * load.people // load.workers)
    queue = harness.REDIS_URL if load.workers > 1 else None
    with harness.workdir() as directory:
        env = harness.bare_env(message_queue=queue)
        try:
            with harness.servers(load.workers, "benchmarks.bare_server:app", mode=mode, env=env,
                                 workdir=directory, connections=clients_per_worker, ready_path="/ready") as running:
                sessions = [{"id": i + 1, "usernames": [None] * load.people,
                             "urls": [running[(n + i) % len(running)].url for n in range(load.people)]}
                            for i in range(load.sessions)]
                return drive(load, sessions, running, password=None, start_session=False, procs=procs)
        finally:
            if queue:
                harness.forget_redis_keys(env["BENCH_CHANNEL"])


# ---------------------------------------------------------------- printing

COLUMNS = [
    ("p50 ms", "p50", "{:.1f}"), ("p99 ms", "p99", "{:.1f}"), ("max ms", "max", "{:.1f}"),
    ("changes/s", "changes_per_s", "{:.1f}"), ("lost", "lost", "{}"), ("dup", "duplicated", "{}"),
    ("server CPU s", "server_cpu", "{:.1f}"), ("CPU ms/change", "cpu_per_change_ms", "{:.1f}"),
    ("CPU % of a core", "server_cpu_pct", "{:.0f}"),
    ("peak MB", "peak_mb", "{:.0f}"),
]
RATIO_KEYS = {"p50", "p99", "max", "changes_per_s", "server_cpu", "cpu_per_change_ms", "server_cpu_pct", "peak_mb"}


def report(load: Load, mode: str, bare: dict, app: dict) -> str:
    database = "SQLite" if load.workers == 1 else "PostgreSQL + Redis queue"
    served = "`supervision run`" if app.get("server") == "embedded" else "gunicorn"
    lines = [f"{load.title}: {load.describe()}",
             f"  ({mode}, the app served by {served}, the bare server by gunicorn; {load.workers} "
             f"worker{'s' if load.workers > 1 else ''}, {database}; peak MB is the largest worker's)"]
    rows = []
    for name, result in (("bare server", bare), ("app", app)):
        rows.append([name] + [fmt.format(result[key]) for _, key, fmt in COLUMNS])
    rows.append(["app / bare"] + [harness.ratio(app[key], bare[key]) if key in RATIO_KEYS else ""
                                  for _, key, _ in COLUMNS])
    lines.append(_indent(harness.table(["server"] + [c[0] for c in COLUMNS], rows)))
    for name, r in (("bare server", bare), ("app", app)):
        lines.append(f"  {name}: {r['connected']} clients; {r['acked_ok']} of {r['offered']} changes acknowledged "
                     f"({r['skipped']} skipped at the window of {load.window}, {r['refused']} refused, "
                     f"{r['unacknowledged']} unacknowledged); per delivery p50 {r['each_p50']:.1f} ms, "
                     f"p99 {r['each_p99']:.1f} ms; ack p99 {r['ack_p99']:.1f} ms; clients CPU {r['clients_cpu']:.1f} s; "
                     f"machine busy {r['machine_busy_pct']:.0f}%; generator lag p99 {r['lag_p99_ms']:.1f} ms, "
                     f"max {r['lag_max_ms']:.1f} ms; "
                     f"{r['server_threads']} server threads; connecting took {r['setup_s']:.0f} s")
        if load.workers > 1:
            lines.append(f"    PostgreSQL (this database's backends) and Redis CPU: {r['services_cpu']:.1f} s")
        lines.extend(faults(r))
    return "\n".join(lines)


def faults(r: dict) -> list[str]:
    """What a run's reader must not miss: numbering faults, a busy machine, refusals."""
    lines = []
    if r["reused_seqs"]:
        lines.append(f"    FAULT: {r['reused_seqs']} events arrived with a sequence number already used")
    if r["others_cpu_pct"] > 10:
        lines.append(f"    WARNING: other processes kept {r['others_cpu_pct']:.0f}% of the machine busy "
                     f"during this run; its figures are disturbed")
    if r["refusals"]:
        lines.append(f"    refusals: {r['refusals']}")
    return lines


def audit_report(load: Load, on: dict, off: dict) -> str:
    """What writing an audit row with every board change costs: the app with it against the app without."""
    rows = [[name] + [fmt.format(result[key]) for _, key, fmt in COLUMNS] for name, result in
            (("app, audit off", off), ("app, audit on", on))]
    rows.append(["audit on / off"] + [harness.ratio(on[key], off[key]) if key in RATIO_KEYS else ""
                                      for _, key, _ in COLUMNS])
    return (f"{load.title}, cost of the audit trail (AUDIT_BOARD_CHANGES=0 against 1)\n"
            + _indent(harness.table(["server"] + [c[0] for c in COLUMNS], rows)))


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def targets(results: dict) -> list[tuple[str, bool | None, str]]:
    checks = []
    council = next((v for (k, _), v in results.items() if k == "council"), None)
    if council:
        bare, app = council[:2]
        ok = app["p99"] <= 2 * bare["p99"] and app["p99"] < 50
        checks.append(("council peak p99 <= 2x bare and < 50 ms", ok,
                       f"{app['p99']:.1f} ms = {harness.ratio(app['p99'], bare['p99'])} bare"))
    burst = next((v for (k, _), v in results.items() if k == "burst"), None)
    if burst:
        bare, app = burst[:2]
        ok = app["changes_per_s"] >= 0.8 * bare["changes_per_s"]
        checks.append(("burst changes/s >= 0.8x bare", ok,
                       f"{app['changes_per_s']:.1f}/s = {harness.ratio(app['changes_per_s'], bare['changes_per_s'])} bare"))
        checks.append(("burst p99 <= 3x bare", app["p99"] <= 3 * bare["p99"],
                       f"{app['p99']:.1f} ms = {harness.ratio(app['p99'], bare['p99'])} bare"))
    audited = next((v for (k, _), v in results.items() if k == "council" and len(v) > 2), None)
    if audited:
        _bare, app, off = audited
        checks.append(("council peak p99 with the audit trail <= 1.10x without", app["p99"] <= 1.10 * off["p99"],
                       f"{app['p99']:.1f} against {off['p99']:.1f} ms = {harness.ratio(app['p99'], off['p99'])}"))
    bad = sum(r["lost"] + r["duplicated"] for pair in results.values() for r in pair)
    checks.append(("zero lost or duplicated deliveries", bad == 0, f"{bad} in all runs"))
    return checks


# ---------------------------------------------------------------- entry point

def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", default="council,burst,two-workers",
                        help="comma-separated: " + ", ".join(LOADS))
    parser.add_argument("--mode", default=harness.default_mode(),
                        choices=harness.ASYNC_MODES)
    parser.add_argument("--compare-modes", default="", help="e.g. threading,gevent: run each load in each mode")
    parser.add_argument("--server", default="embedded", choices=sorted(harness.SERVER_KINDS),
                        help="what serves the app on one worker: `supervision run` as `make run` serves it "
                             "(embedded, gevent only), or a gunicorn worker of --mode")
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every duration (quick tries)")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--audit-cost", action="store_true",
                        help="also run the app with board changes left out of the audit trail, and compare")
    args = parser.parse_args(argv if argv is not None else [])

    modes = [m for m in args.compare_modes.split(",") if m] or [args.mode]
    loads = [scaled(LOADS[name], args.scale) for name in args.loads.split(",") if name]
    print(f"Machine: {harness.machine()}; {args.procs} client processes")
    results: dict[tuple[str, str], tuple[dict, dict]] = {}
    for mode in modes:
        for load in loads:
            if load.workers > 1 and (reason := harness.redis_available()) is not None:
                print(f"{load.title}: skipped, Redis at {harness.REDIS_URL} is unreachable: {reason}")
                continue
            started = time.monotonic()
            bare = run_bare(load, mode, args.procs)
            off = run_app(load, mode, args.procs, audit=False, server=args.server if mode == "gevent" else "gunicorn") \
                if args.audit_cost else None
            server = args.server if mode == "gevent" else "gunicorn"
            app = run_app(load, mode, args.procs, server=server)
            app["server"] = server if load.workers == 1 else "gunicorn"
            results[(load.key, mode)] = (bare, app) if off is None else (bare, app, off)
            print(report(load, mode, bare, app))
            if off is not None:
                print(audit_report(load, app, off))
            print(f"  ({time.monotonic() - started:.0f} s)\n", flush=True)
    if len(modes) > 1:
        print(compare(results, modes))
    for mode in modes:
        print(f"Targets (one worker, SQLite, {mode}):")
        for name, ok, detail in targets({k: v for k, v in results.items() if k[1] == mode}):
            print(f"  {'MET    ' if ok else 'NOT MET'}  {name}: {detail}")
    if args.json:
        Path(args.json).write_text(json.dumps({f"{k}/{m}": dict(zip(("bare", "app", "app_audit_off"), runs))
                                               for (k, m), runs in results.items()}, indent=2))
    if any(r["lost"] or r["duplicated"] or r["reused_seqs"] for pair in results.values() for r in pair):
        print("FAILED: deliveries were lost or duplicated")
        raise SystemExit(1)
    return results


def compare(results: dict, modes: list[str]) -> str:
    rows = []
    for (key, mode), (bare, app, *_) in results.items():
        for name, r in (("bare", bare), ("app", app)):
            rows.append([f"{key} {name}", mode, f"{r['p50']:.1f}", f"{r['p99']:.1f}", f"{r['max']:.1f}",
                         f"{r['changes_per_s']:.1f}", f"{r['server_cpu']:.1f}", f"{r['cpu_per_change_ms']:.1f}",
                         f"{r['peak_mb']:.0f}", r["lost"] + r["duplicated"], f"{r['others_cpu_pct']:.0f}"])
    return "Async modes compared\n" + _indent(harness.table(
        ["run", "mode", "p50 ms", "p99 ms", "max ms", "changes/s", "server CPU s", "CPU ms/change", "peak MB",
         "lost+dup", "others' CPU %"], rows))


if __name__ == "__main__":
    main(sys.argv[1:])
