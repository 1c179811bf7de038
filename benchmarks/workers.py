"""The council-shaped load on 1, 2 and 4 live-board workers (PostgreSQL, Redis queue), as ratios to one.

Each worker count gets a fresh PostgreSQL database of its own and a Redis channel of its own,
and as many gunicorn gevent workers, each its own gunicorn on its own port as
docs/deployment.md runs them. The people of each session take the workers in turn, as in
load.py's two-worker load, so most deliveries cross Redis (`--placement spread`). With
`--placement together` each session's people are all on one worker, the sessions taking the
workers in turn, and with `--placement first` everyone is on the first worker and the others
only listen: every worker still receives every change through the channel, and what a
listening worker takes is what the shared channel costs it. The load is load.py's (same
clients, same `add_card`, same lost and duplicated checks), smaller by default so that four
workers, PostgreSQL, Redis and the clients fit on two cores: 20 sessions x 12 people, 1
change a second per session, 40 s.

For each worker count it reports: the latency until everyone has a change, and per delivery
that crossed workers; worker CPU per change summed over the workers, gross and net of what
the same workers take while everyone is connected and nobody changes anything (measured for
`--idle` seconds just before the window: pings and heartbeats); the run database's
PostgreSQL backends' CPU and Redis's CPU per change; PostgreSQL commits per change
(`xact_commit` of the run's database in `pg_stat_database`); Redis publishes and bytes sent
per change (INFO, the whole server); and each of these as a ratio to one worker in the same
run. On a 2-core machine absolute throughput with four workers says little; the ratios and
the costs per change are what docs/scaling.md builds on. Lost or duplicated deliveries exit 1.

Run: python -m benchmarks.workers [--workers 1,2,4] [--sessions 20] [--people 12] [--rate 1]
                                  [--duration 40] [--idle 10] [--procs 4] [--placement spread|together|first]
                                  [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from . import harness, load

APP = "benchmarks.app_under_test:app"
STATS_FLUSH_SECONDS = 1.2  # PostgreSQL backends report their counts to pg_stat_database within a second of idling


# ---------------------------------------------------------------- what PostgreSQL and Redis did

def _postgres(query: str, *params) -> float:
    import psycopg

    with psycopg.connect(harness.PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        return float(conn.execute(query, params).fetchone()[0] or 0)


def commits(database: str) -> float:
    return _postgres("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", database)


def wal() -> dict[str, float]:
    """What the whole PostgreSQL server wrote: transactions given an id (those that write), WAL flushes and bytes.

    Other databases on the same server count too; pg_stat_database has no per-database figure for these.
    """
    import psycopg

    with psycopg.connect(harness.PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        xids = conn.execute("SELECT txid_snapshot_xmax(txid_current_snapshot())").fetchone()[0]
        syncs, written = conn.execute("SELECT wal_sync, wal_bytes FROM pg_stat_wal").fetchone()
    return {"write_xacts": float(xids), "wal_syncs": float(syncs), "wal_bytes": float(written)}


def backends(database: str) -> int:
    """Connections open to the run's database (the workers' pools hold theirs between changes)."""
    return int(_postgres("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                         database))


@contextmanager
def peak_backends(database: str, every: float = 1.0):
    """Sample the connections to `database` while the block runs; the largest count is in the dict yielded."""
    peak = {"backends": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(every):
            try:
                peak["backends"] = max(peak["backends"], backends(database))
            except Exception:  # noqa: BLE001 (a missed sample is no failure)
                pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        stop.set()
        sampler.join(timeout=10)


def postgres_cpu(database: str) -> float:
    """CPU seconds of the PostgreSQL backends serving `database` (harness counts Redis alongside)."""
    redis = set(harness.backing_services_cpu(None))
    return sum(cpu for pid, cpu in harness.backing_services_cpu(database).items() if pid not in redis)


def redis_cpu() -> float:
    return sum(harness.backing_services_cpu(None).values())


def redis_stats() -> dict[str, float]:
    """Publishes and bytes through the whole Redis server (other users of it are counted too)."""
    import redis

    client = redis.Redis.from_url(harness.REDIS_URL, socket_connect_timeout=3)
    stats = client.info("stats")
    publish = client.info("commandstats").get("cmdstat_publish", {})
    return {"publishes": float(publish.get("calls", 0)), "bytes_out": float(stats["total_net_output_bytes"]),
            "bytes_in": float(stats["total_net_input_bytes"])}


def probes(database: str) -> dict:
    """What load.drive reads at the start and end of the measured window.

    Commits are read a little after the end, once the backends have reported them.
    """
    reads = {"commits": 0}

    def commits_after_flush() -> float:
        reads["commits"] += 1
        if reads["commits"] > 1:
            time.sleep(STATS_FLUSH_SECONDS)
        return commits(database)

    return {
        "postgres_cpu": lambda: postgres_cpu(database),
        "redis_cpu": redis_cpu,
        "commits": commits_after_flush,  # before the WAL figures, which are reported as late
        "write_xacts": lambda: wal()["write_xacts"],
        "wal_syncs": lambda: wal()["wal_syncs"],
        "wal_bytes": lambda: wal()["wal_bytes"],
        "publishes": lambda: redis_stats()["publishes"],
        "redis_bytes_out": lambda: redis_stats()["bytes_out"],
        "redis_bytes_in": lambda: redis_stats()["bytes_in"],
    }


def measure_idle(running: list[harness.Server], database: str, seconds: float) -> dict:
    """The workers, PostgreSQL and Redis while everyone is connected and nobody changes anything."""
    time.sleep(STATS_FLUSH_SECONDS)  # the joins' commits are reported before counting starts
    connections = backends(database)
    each = [s.cpu() for s in running]
    before = (postgres_cpu(database), redis_cpu(), commits(database))
    time.sleep(seconds)
    time.sleep(STATS_FLUSH_SECONDS)
    after = (postgres_cpu(database), redis_cpu(), commits(database))
    waited = seconds + STATS_FLUSH_SECONDS
    each = [(s.cpu() - was) / waited for s, was in zip(running, each)]
    postgres, redis, committed = (b - a for a, b in zip(before, after))
    return {"workers_cpu_s": sum(each), "each_cpu_s": each, "postgres_cpu_s": postgres / waited,
            "redis_cpu_s": redis / waited, "commits_s": committed / waited, "backends": connections}


# ---------------------------------------------------------------- one worker count

def run(workers: int, shape: load.Load, procs: int, idle_seconds: float, placement: str = "spread") -> dict:
    """The app on `workers` gevent workers, its own PostgreSQL database and Redis channel."""
    most_on_one_worker = shape.sessions * shape.people  # `first` puts nearly everyone on one worker
    measured = load.Load(f"workers-{workers}", f"{workers} workers", shape.sessions, shape.people, shape.rate,
                         shape.duration, workers=workers)
    with harness.workdir() as directory, harness.postgres_database() as url:
        database = harness.database_name(url)
        built = harness.build_sessions(url, directory, shape.sessions, shape.people)
        env = harness.app_env(url, directory, message_queue=harness.REDIS_URL)
        with harness.servers(workers, APP, mode="gevent", env=env, workdir=directory,
                             connections=most_on_one_worker) as running, peak_backends(database) as peak:
            idle: dict = {}
            try:
                result = load.drive(
                    measured, PLACEMENTS[placement](built, running), running, password=harness.PASSWORD,
                    start_session=True, procs=procs, database=database,
                    before_window=lambda: idle.update(measure_idle(running, database, idle_seconds)),
                    probes={**probes(database), **{f"worker {n}": s.cpu for n, s in enumerate(running)}})
            except Exception:
                for server in running:
                    print(f"--- server log ({server.url}):\n{server.log_tail()}", file=sys.stderr)
                raise
    return {**result, **per_change(result, idle), "workers": workers, "idle": idle,
            "backends": idle["backends"], "peak_backends": peak["backends"]}


def together(built: list[harness.BenchSession], running: list[harness.Server]) -> list[dict]:
    """Each session's people all on one worker, the sessions taking the workers in turn: nothing
    crosses workers, yet every worker still receives every change through the channel."""
    return [{"id": s.id, "usernames": s.usernames, "urls": [running[i % len(running)].url] * len(s.usernames)}
            for i, s in enumerate(built)]


def first(built: list[harness.BenchSession], running: list[harness.Server]) -> list[dict]:
    """Everyone on the first worker but one person of the first session on each other worker: those
    hear the whole channel while delivering only that session's changes, to one person, so what they
    take is what the channel costs a worker. (python-socketio subscribes a worker to the channel at
    its first connection, so a worker with nobody on it would hear nothing.)"""
    placed = [{"id": s.id, "usernames": s.usernames, "urls": [running[0].url] * len(s.usernames)} for s in built]
    for n, server in enumerate(running[1:len(built[0].usernames)], start=1):
        placed[0]["urls"][n] = server.url
    return placed


PLACEMENTS = {"spread": load.spread, "together": together, "first": first}


def per_change(result: dict, idle: dict) -> dict:
    changes = result["acked_ok"] or float("nan")
    probed = result["probes"]
    window = result["window_s"]
    return {
        "net_cpu_per_change_ms": 1000 * (result["server_cpu"] - idle["workers_cpu_s"] * window) / changes,
        "postgres_ms": 1000 * probed["postgres_cpu"] / changes,
        "redis_ms": 1000 * probed["redis_cpu"] / changes,
        "commits_per_change": probed["commits"] / changes,
        "net_commits_per_change": (probed["commits"] - idle["commits_s"] * window) / changes,
        "write_xacts_per_change": probed["write_xacts"] / changes,
        "wal_syncs_per_change": probed["wal_syncs"] / changes,
        "wal_kb": probed["wal_bytes"] / 1024 / changes,
        "publishes_per_change": probed["publishes"] / changes,
        "redis_kb_out": probed["redis_bytes_out"] / 1024 / changes,
        "redis_kb_in": probed["redis_bytes_in"] / 1024 / changes,
        "idle_pct": 100 * idle["workers_cpu_s"],
        "each_net_ms": [1000 * (probed[f"worker {n}"] - idle_cpu * window) / changes
                        for n, idle_cpu in enumerate(idle["each_cpu_s"])],
    }


# ---------------------------------------------------------------- printing

LATENCY = [
    ("p50 ms", "p50", "{:.1f}"), ("p99 ms", "p99", "{:.1f}"), ("max ms", "max", "{:.1f}"),
    ("delivery p50 ms", "delivery_p50", "{:.1f}"), ("delivery p99 ms", "delivery_p99", "{:.1f}"),
    ("changes/s", "changes_per_s", "{:.1f}"), ("lost", "lost", "{}"), ("dup", "duplicated", "{}"),
    ("peak MB", "peak_mb", "{:.0f}"),
]
WORKERS = [
    ("worker CPU ms/change", "cpu_per_change_ms", "{:.2f}"), ("net of idle", "net_cpu_per_change_ms", "{:.2f}"),
    ("workers' CPU % of a core", "server_cpu_pct", "{:.1f}"), ("idle % of a core", "idle_pct", "{:.1f}"),
]
SERVICES = [
    ("PostgreSQL ms", "postgres_ms", "{:.2f}"), ("commits", "commits_per_change", "{:.2f}"),
    ("net of idle", "net_commits_per_change", "{:.2f}"), ("write xacts", "write_xacts_per_change", "{:.2f}"),
    ("WAL syncs", "wal_syncs_per_change", "{:.2f}"), ("WAL KB", "wal_kb", "{:.1f}"),
    ("PG connections", "backends", "{}"), ("peak", "peak_backends", "{}"),
    ("Redis ms", "redis_ms", "{:.2f}"), ("publishes", "publishes_per_change", "{:.2f}"),
    ("Redis KB out", "redis_kb_out", "{:.1f}"),
]
NO_RATIO = {"lost", "duplicated", "backends", "peak_backends"}


def deliveries(result: dict) -> dict:
    """Per delivery: the ones that crossed workers, or all of them where none did (the baseline)."""
    crossed = result["cross_deliveries"] > 0
    return {"delivery_p50": result["cross_p50" if crossed else "each_p50"],
            "delivery_p99": result["cross_p99" if crossed else "each_p99"]}


def figures_table(results: list[dict], columns: list) -> str:
    base = results[0]
    rows = [[f"{r['workers']}"] + [fmt.format(r[key]) for _, key, fmt in columns] for r in results]
    for r in results[1:]:
        rows.append([f"{r['workers']} / {base['workers']}"]
                    + ["" if key in NO_RATIO else harness.ratio(r[key], base[key]) for _, key, _ in columns])
    return load._indent(harness.table(["workers"] + [c[0] for c in columns], rows))


PLACED = {"spread": "the people of a session take the workers in turn; delivery p50/p99 is per delivery that "
                     "crossed workers (all deliveries on one worker)",
          "together": "each session's people all on one worker, the sessions taking the workers in turn; delivery "
                      "p50/p99 is per delivery",
          "first": "everyone on the first worker, the others only listening to the channel; delivery p50/p99 is "
                   "per delivery"}


def report(shape: load.Load, results: list[dict], placement: str = "spread") -> str:
    results = [{**r, **deliveries(r)} for r in results]
    lines = [f"Council shape over workers: {shape.describe()}",
             f"  (gevent, one gunicorn per worker, PostgreSQL + Redis queue; {PLACED[placement]}; "
             "peak MB is the largest worker's)",
             figures_table(results, LATENCY),
             "  Worker CPU per acknowledged change, summed over the workers; net of idle takes off what the same "
             "workers used while everyone was connected and nobody changed anything",
             figures_table(results, WORKERS),
             "  PostgreSQL and Redis per acknowledged change (PostgreSQL CPU and commits: the run database's "
             "backends; write transactions, WAL and Redis: the whole server's; PG connections: open to the run's "
             "database once everyone had joined, and the most seen at any time)",
             figures_table(results, SERVICES)]
    for r in results:
        idle = r["idle"]
        lines.append(f"  {r['workers']} worker(s): {r['connected']} clients; {r['acked_ok']} of {r['offered']} changes "
                     f"acknowledged ({r['skipped']} skipped, {r['refused']} refused, {r['unacknowledged']} "
                     f"unacknowledged); {r['cross_deliveries']} deliveries crossed workers; everyone reached p99 "
                     f"{r['p99']:.1f} ms; ack p99 {r['ack_p99']:.1f} ms; workers {r['server_cpu_pct']:.0f}% of a core "
                     f"in all; idle: PostgreSQL {100 * idle['postgres_cpu_s']:.1f}%, Redis "
                     f"{100 * idle['redis_cpu_s']:.1f}% of a core, {idle['commits_s']:.1f} commits/s; Redis KB in per "
                     f"change {r['redis_kb_in']:.1f}; machine busy {r['machine_busy_pct']:.0f}%; generator lag p99 "
                     f"{r['lag_p99_ms']:.1f} ms; connecting took {r['setup_s']:.0f} s; each worker's CPU net of idle, "
                     f"ms/change: {', '.join(f'{ms:.2f}' for ms in r['each_net_ms'])}")
        lines.extend(load.faults(r))
    return "\n".join(lines)


# ---------------------------------------------------------------- entry point

def unavailable() -> str | None:
    if (reason := harness.redis_available()) is not None:
        return f"Redis at {harness.REDIS_URL} is unreachable: {reason}"
    try:
        _postgres("SELECT 1")
    except Exception as error:  # noqa: BLE001 (any failure to connect means: skip)
        return f"PostgreSQL at {harness.PG_ADMIN_URL} is unreachable: {error}"
    return None


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker counts; the first is the base")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--people", type=int, default=12)
    parser.add_argument("--rate", type=float, default=1.0, help="changes a second per session")
    parser.add_argument("--duration", type=float, default=40.0, help="seconds of the measured window")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measured before the window")
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument("--placement", default="spread", choices=sorted(PLACEMENTS),
                        help="spread: a session's people over every worker; together: each session on one worker; "
                             "first: everyone on the first worker, the others only listening")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args(argv if argv is not None else [])

    if (reason := unavailable()) is not None:
        print(f"Council shape over workers: skipped, {reason}")
        return []
    shape = load.Load("workers", "Council shape over workers", args.sessions, args.people, args.rate, args.duration)
    print(f"Machine: {harness.machine()}; {args.procs} client processes")
    results = []
    started = time.monotonic()
    for count in [int(n) for n in args.workers.split(",") if n]:
        results.append(run(count, shape, args.procs, args.idle, args.placement))
        print(f"  {count} worker(s) measured ({time.monotonic() - started:.0f} s)", flush=True)
    print(report(shape, results, args.placement))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    if any(r["lost"] or r["duplicated"] or r["reused_seqs"] for r in results):
        print("FAILED: deliveries were lost or duplicated")
        raise SystemExit(1)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
