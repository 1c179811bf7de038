"""What the benchmarks share: servers in their own processes, their CPU and memory, and data.

A server is a real gunicorn with one worker process, started the way docs/deployment.md
starts it, or `supervision run` as `make run` starts it. Its CPU time and memory are read from /proc of the worker process (utime+stime,
VmRSS, VmHWM), so the figures are the server's alone, not the load generator's.
"""
from __future__ import annotations

import io
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "bench-password-not-real"
SECRET_KEY = "bench-secret-key-" + uuid.uuid4().hex
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ASYNC_MODES = ("threading", "gevent", "eventlet")


def default_mode() -> str:
    """The async mode to measure: BENCH_ASYNC_MODE or SOCKETIO_ASYNC_MODE, else gevent.

    gevent is the mode docs/deployment.md runs the live boards in, chosen by these
    benchmarks (docs/performance.md).
    """
    return os.environ.get("BENCH_ASYNC_MODE") or os.environ.get("SOCKETIO_ASYNC_MODE") or "gevent"


# ---------------------------------------------------------------- the machine

def machine() -> str:
    memory_kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                         if line.startswith("MemTotal")).split()[1])
    os_name = "Linux"
    release = Path("/etc/os-release")
    if release.exists():
        fields = dict(line.split("=", 1) for line in release.read_text().splitlines() if "=" in line)
        os_name = fields.get("PRETTY_NAME", os_name).strip('"')
    return (f"{os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GiB, {os_name}, "
            f"Python {platform.python_version()}")


def cpu_busy_seconds() -> float:
    """Seconds of CPU the whole machine spent busy since boot (all cores, from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLOCK_TICKS


def wait_for_quiet(max_wait: float = 120.0, busy_below: float = 0.15, sample: float = 2.0) -> float:
    """Wait (at most `max_wait` s) until the machine is nearly idle before a measured run.

    Returns the busy fraction of the last sample; a shared machine may never be quiet, and
    then the run goes ahead and load.py flags the disturbance it saw.
    """
    deadline = time.monotonic() + max_wait
    while True:
        before = cpu_busy_seconds()
        time.sleep(sample)
        busy = (cpu_busy_seconds() - before) / sample / os.cpu_count()
        if busy < busy_below or time.monotonic() >= deadline:
            return busy


# ---------------------------------------------------------------- processes

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, all its threads, in seconds."""
    data = Path(f"/proc/{pid}/stat").read_text()
    rest = data[data.rindex(")") + 2:].split()
    return (int(rest[11]) + int(rest[12])) / CLOCK_TICKS


def proc_memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (now) and VmHWM (the peak resident size since the process started), in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values


def backing_services_cpu(database_name: str | None) -> dict[int, float]:
    """CPU seconds, by pid, of the PostgreSQL backends serving `database_name` and of redis-server.

    PostgreSQL names each backend process after its database in the process title, so other
    databases on the same server (other people's tests) are not counted. Redis is counted whole.
    """
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            title = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            comm = Path(f"/proc/{entry}/comm").read_text().strip()
            if comm.startswith("redis-server") or (database_name and comm.startswith("postgres")
                                                   and f" {database_name} " in title):
                found[int(entry)] = proc_cpu_seconds(int(entry))
        except OSError:
            continue
    return found


def proc_threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            data = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(data[data.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(entry))
    return found


class Server:
    """One gunicorn with one worker process, on a free loopback port."""

    def __init__(self, app: str, *, mode: str, env: dict, workdir: Path, connections: int,
                 ready_path: str = "/sign-in"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready_path = ready_path
        self.log_path = workdir / f"server-{self.port}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            self.command(app, mode, connections), cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, **env, "BENCH_ASYNC_MODE": mode, "PYTHONPATH": str(ROOT)})
        self.worker_pid: int | None = None

    def command(self, app: str, mode: str, connections: int) -> list[str]:
        if mode == "threading":
            worker = ["--worker-class", "gthread", "--threads", str(connections + 50)]
        else:
            worker = ["--worker-class", mode]
        return [GUNICORN, *worker, "--workers", "1", "--worker-connections", str(connections + 100),
                "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "3", "--timeout", "120",
                "--log-level", "warning", "--chdir", str(ROOT), app]

    def wait_until_ready(self, seconds: float = 90) -> Server:
        wait_for_http(self.url + self.ready_path, self.process, self.log_path, seconds)
        workers = children_of(self.process.pid)
        if len(workers) != 1:
            raise RuntimeError(f"expected one worker process, found {workers}")
        self.worker_pid = workers[0]
        return self

    def cpu(self) -> float:
        return proc_cpu_seconds(self.worker_pid)

    def memory(self) -> dict[str, float]:
        return proc_memory_mb(self.worker_pid)

    def threads(self) -> int:
        return proc_threads(self.worker_pid)

    def log_tail(self, characters: int = 2000) -> str:
        self.log.flush()
        return self.log_path.read_text()[-characters:]

    def stop(self) -> None:
        stop_process(self.process)
        self.log.close()


class EmbeddedServer(Server):
    """`supervision run`, exactly as `make run` starts it: one process on gevent's WSGI server.

    The command replaces its own process with a gevent-patched one (supervision/serving.py),
    so the process started here is the one that serves, and its CPU is the server's. `app`
    and `mode` are ignored: it serves the production app in the mode it chooses (gevent).
    """

    def command(self, app: str, mode: str, connections: int) -> list[str]:
        return [str(Path(sys.executable).with_name("supervision")), "run", "--host", "127.0.0.1",
                "--port", str(self.port)]

    def wait_until_ready(self, seconds: float = 90) -> Server:
        wait_for_http(self.url + self.ready_path, self.process, self.log_path, seconds)
        self.worker_pid = self.process.pid
        return self


def wait_for_http(url: str, process: subprocess.Popen, log_path: Path, seconds: float = 90) -> None:
    """Wait until `url` answers 200; fail with the log's tail if the process exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log_path.read_text()[-3000:]}")
        try:
            with urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"server not ready:\n{log_path.read_text()[-3000:]}")


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a server process, killing it if it has not gone within 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


SERVER_KINDS = {"gunicorn": Server, "embedded": EmbeddedServer}


@contextmanager
def servers(count: int, app: str, kind: str = "gunicorn", **options):
    started = []
    try:
        for _ in range(count):
            started.append(SERVER_KINDS[kind](app, **options))
        for server in started:
            server.wait_until_ready()
        yield started
    finally:
        for server in started:
            server.stop()


def app_env(database_url: str, workdir: Path, message_queue: str | None = None,
            channel: str | None = None) -> dict:
    env = {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(workdir / "instance"),
        "SECRET_KEY": SECRET_KEY,
        "EXPORT_DIR": str(workdir / "exports"),
        "SESSION_IDLE_MINUTES": "120",
    }
    if message_queue:
        env["SOCKETIO_MESSAGE_QUEUE"] = message_queue
        env["SOCKETIO_CHANNEL"] = channel or f"bench-{uuid.uuid4().hex[:8]}"
    return env


def bare_env(message_queue: str | None = None, channel: str | None = None) -> dict:
    env = {}
    if message_queue:
        env["BENCH_MESSAGE_QUEUE"] = message_queue
        env["BENCH_CHANNEL"] = channel or f"bare-{uuid.uuid4().hex[:8]}"
    return env


@contextmanager
def workdir():
    path = Path(tempfile.mkdtemp(prefix="supervision-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- the app in-process

# Enough that no change made in-process is held back by the live board's rate limits.
QUICK_CHANGES = {"change": "1000000 per second", "catch_up": "1000 per second", "typing": "1 per second"}
CSRF_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(html: str) -> str:
    return CSRF_TOKEN.search(html).group(1)


def in_process_app(url: str, directory: Path, **config):
    """The app on this database, for the Flask and Socket.IO test clients (no network, no other process)."""
    from supervision import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "ARGON2_PROFILE": "CHEAPEST", "SECRET_KEY": SECRET_KEY,
                       "EXPORT_DIR": str(directory / "exports"), **config})


def signed_in(app, username: str, password: str = PASSWORD):
    """A Flask test client signed in through the sign-in form, as a person signs in."""
    web = app.test_client()
    page = web.get("/sign-in").get_data(as_text=True)
    response = web.post("/sign-in", data={"csrf_token": csrf_token(page), "username": username,
                                          "password": password})
    assert response.status_code == 302, f"{username} could not sign in"
    return web


class BoardConnection:
    """A signed-in person's Socket.IO test client on an in-process app, joined to one board."""

    def __init__(self, app, username: str, session_id: int):
        from supervision.extensions import socketio

        self.session_id = session_id
        self.client = socketio.test_client(app, flask_test_client=signed_in(app, username))
        assert self.client.is_connected(), f"{username}'s connection was refused"
        assert self.client.emit("join", {"session_id": session_id}, callback=True).get("ok")

    def send(self, change_type: str, data: dict, n: int = 0) -> dict:
        """Make one change (the n-th of its type) and return its acknowledgement, which must be ok."""
        answer = self.client.emit("change", {"session_id": self.session_id, "type": change_type, "data": data,
                                             "client_change_id": f"{change_type}-{n}"}, callback=True)
        assert answer.get("ok"), answer
        self.client.get_received()
        return answer


# ---------------------------------------------------------------- databases

@contextmanager
def sqlite_database(directory: Path):
    yield f"sqlite:///{directory / 'bench.db'}"


def database_name(url: str) -> str | None:
    return url.rsplit("/", 1)[1] if url.startswith("postgres") else None


@contextmanager
def postgres_database():
    """A PostgreSQL database of this run's own, dropped afterwards."""
    import psycopg

    name = f"sv_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def forget_redis_keys(channel: str) -> None:
    """Remove the counters the bare server kept in Redis under its run's channel."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    keys = list(client.scan_iter(match=f"{channel}:*", count=500))
    if keys:
        client.delete(*keys)


def redis_available() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        return None
    except redis.RedisError as error:
        return str(error)


# ---------------------------------------------------------------- the people and sessions

# The twelve people at one supervision: role key and specialism key. Index 0 chairs,
# index 1 takes the minutes.
TABLE = [
    ("team-manager", None),
    ("business-support", None),
    ("senior-social-worker", None),
    ("social-worker", None),
    ("social-worker", None),
    ("social-worker", None),
    ("family-practitioner", None),
    ("family-practitioner", None),
    ("recovery-worker", "recovery"),
    ("domestic-abuse-practitioner", "domestic-abuse-harmed"),
    ("domestic-abuse-officer", "domestic-abuse-risk"),
    ("mental-health-practitioner", "mental-health"),
]
FIRST = ["Alex", "Bea", "Cal", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kit", "Lena", "Max", "Nia",
         "Oli", "Pam", "Quin", "Rae", "Sam", "Tess", "Uma", "Vic", "Wyn", "Xan", "Yas", "Zed"]
LAST = ["Ashdown", "Birch", "Copse", "Dale", "Elm", "Fenn", "Glade", "Heath", "Ivy", "Juniper", "Knoll",
        "Larch", "Moss", "Nettle", "Oakes", "Pine", "Quarry", "Rowan", "Sedge", "Thorn", "Vale", "Willow"]
ADULTS = [("Mother", ["recovery", "domestic-abuse-harmed"]), ("Father", ["domestic-abuse-risk"]),
          ("Grandmother", ["mental-health"])]


@dataclass
class BenchSession:
    id: int
    usernames: list[str]
    item_ids: list[int] = field(default_factory=list)


def build_sessions(database_url: str, directory: Path, sessions: int, people: int = 12, families: int = 1,
                   cards_per_family: int = 0, status: str = "scheduled") -> list[BenchSession]:
    """Migrate an empty database and add `sessions` teams, each with its own people and one session.

    Every person attends (present). With `cards_per_family`, each agenda family already has
    that many cards spread over the three stages, and the session is live.
    """
    from flask_migrate import upgrade
    from sqlalchemy import select

    from supervision import create_app
    from supervision.extensions import db
    from supervision.services.accounts import hash_password
    from supervision.store.models import (
        Adult, AgendaItem, Attendance, Card, Child, Family, Membership, Role, Specialism, SupervisionSession, Team,
        User,
    )

    rng = random.Random(7)
    # This process builds apps too: keep its instance folder and key out of the working tree.
    os.environ["INSTANCE_PATH"] = str(directory / "instance")
    os.environ["SECRET_KEY"] = SECRET_KEY
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "ARGON2_PROFILE": "CHEAPEST"})
    built: list[BenchSession] = []
    with app.app_context():
        with redirect_stderr(io.StringIO()):  # Alembic's own log lines would drown the tables
            upgrade()
        roles = {r.key: r for r in db.session.scalars(select(Role))}
        specialisms = {s.key: s for s in db.session.scalars(select(Specialism))}
        password_hash = hash_password(PASSWORD)  # one hash for everyone: same password, set-up only
        now = datetime.now(timezone.utc)
        headings = ["working_well", "worries", "lived_experience", "hypotheses", "next_steps"]
        for s in range(sessions):
            team = Team(name=f"Benchmark team {s + 1:03d}", slug=f"bench-{s + 1:03d}")
            db.session.add(team)
            users, memberships = [], []
            for p in range(people):
                role_key, specialism_key = TABLE[p % len(TABLE)]
                user = User(username=f"bench-{s + 1:03d}-{p + 1:02d}",
                            display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", password_hash=password_hash)
                membership = Membership(team=team, user=user, role_id=roles[role_key].id,
                                        specialism_id=specialisms[specialism_key].id if specialism_key else None)
                db.session.add_all([user, membership])
                users.append(user)
                memberships.append(membership)
            db.session.flush()
            session = SupervisionSession(team_id=team.id, starts_at=now + timedelta(minutes=5),
                                         chair_id=users[0].id, minute_taker_id=users[1].id, status="scheduled")
            db.session.add(session)
            for user, membership in zip(users, memberships):
                session.attendance.append(Attendance(user_id=user.id, role_id=membership.role_id, status="present"))
            for f in range(families):
                family = Family(team_id=team.id, case_reference=f"BENCH-{s + 1:03d}-{f + 1}",
                                display_name=f"{rng.choice(LAST)} family", social_worker_id=users[3].id,
                                plan_level="child_in_need")
                family.children.append(Child(first_name=rng.choice(FIRST), age_description="7 years",
                                             plan_level="child_in_need"))
                for relationship, keys in ADULTS:
                    family.adults.append(Adult(first_name=rng.choice(FIRST), relationship_to_child=relationship,
                                               specialisms=[specialisms[k] for k in keys]))
                db.session.add(family)
                db.session.flush()
                item = AgendaItem(family_id=family.id, position=f + 1, minutes_allowed=30)
                session.agenda.append(item)
                db.session.flush()
                for c in range(cards_per_family):
                    author, membership = users[c % people], memberships[c % people]
                    stage = ("situation", "perspectives", "analysis")[c % 3]
                    adult = family.adults[c % len(family.adults)] if stage == "perspectives" else None
                    db.session.add(Card(
                        agenda_item_id=item.id, stage=stage, heading=rng.choice(headings) if stage == "analysis" else None,
                        author_id=author.id, author_role_label=roles[TABLE[c % people % len(TABLE)][0]].label,
                        author_specialism_label=membership.specialism.label if membership.specialism else None,
                        adult_id=adult.id if adult else None,
                        stage_of_change="contemplation" if adult else None,
                        text=card_text(rng, c)))
            if status == "live":
                session.status = "live"
                session.started_at = now
                session.current_item_id = session.agenda[0].id
                session.current_stage = "situation"
                session.agenda[0].started_at = now
            db.session.commit()
            built.append(BenchSession(id=session.id, usernames=[u.username for u in users],
                                      item_ids=[i.id for i in session.agenda]))
        db.session.remove()
        db.engine.dispose()
    return built


SENTENCES = [
    "Mum has kept every appointment with the health visitor since we last met.",
    "School say attendance has improved to ninety per cent this half term.",
    "Dad has not engaged with the domestic abuse programme and missed two sessions.",
    "The children told me they feel safer at home when grandmother stays over.",
    "Housing have offered a two-bedroom flat closer to the nursery.",
    "We are worried that the improvement depends on one adult holding everything together.",
    "What is a day like for the baby when mum is tired and alone?",
]


def card_text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(1 + n % 3))


# ---------------------------------------------------------------- figures

def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * q // 100))
    return sorted_values[int(rank) - 1]


def ratio(value: float, base: float) -> str:
    if base is None or value is None or base != base or value != value:
        return "n/a"
    if base == 0:
        return "n/a" if value else "1.00x"
    return f"{value / base:.2f}x"


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def close_client_processes(pipes, processes, *, timeout: float) -> None:
    """Tell each load-generating process to close its clients, then wait for it (bounded)."""
    for pipe in pipes:
        try:
            pipe.send("close")
        except (BrokenPipeError, OSError):
            pass
    for process in processes:
        process.join(timeout=timeout)
        if process.is_alive():
            process.terminate()
            process.join(timeout=10)
