"""Configuration read from environment variables, with safe defaults for a laptop."""
from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one kept in instance/ so sign-ins survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def normalise_database_url(url: str) -> str:
    """postgresql:// URLs use psycopg 3 (SQLAlchemy would otherwise look for psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def sqlalchemy_engine_options(url: str) -> dict:
    # hide_parameters: a database error names the statement, never the values (family content) it carried.
    if url.startswith("sqlite"):
        # Several threads (one per socket) share the file; WAL is switched on per connection.
        return {"connect_args": {"check_same_thread": False, "timeout": 30}, "hide_parameters": True}
    # Each process keeps DATABASE_POOL_SIZE connections and opens up to DATABASE_MAX_OVERFLOW more at
    # a peak (people joining at nine o'clock): size PostgreSQL's max_connections for every process.
    return {"pool_pre_ping": True, "pool_size": _int("DATABASE_POOL_SIZE", 10),
            "max_overflow": _int("DATABASE_MAX_OVERFLOW", 20), "hide_parameters": True}


def default_async_mode() -> str:
    """gevent when the server has patched the standard library for it (`supervision run` and
    gunicorn's gevent worker, which docs/deployment.md runs the live boards on), threading
    otherwise (gthread workers, tests). docs/performance.md has the measurements.
    """
    monkey = sys.modules.get("gevent.monkey")
    return "gevent" if monkey is not None and monkey.is_module_patched("socket") else "threading"


def from_environment(instance_path: Path) -> dict:
    """Build the Flask config mapping from the process environment."""
    database_url = normalise_database_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'supervision.db'}"
    )
    idle_minutes = _int("SESSION_IDLE_MINUTES", 30)
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": sqlalchemy_engine_options(database_url),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL", "supervision"),
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE") or default_async_mode(),
        # The largest message a live board accepts (a long-polling body, a WebSocket frame); nginx
        # is set below it (docs/deployment.md). Business support's notes, at their longest, fit.
        "ENGINEIO_MAX_BUFFER": _int("ENGINEIO_MAX_BUFFER", 1024 * 1024),
        # The largest form post: the notes form at its longest, percent-encoded.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 4 * 1024 * 1024),
        "MAX_FORM_MEMORY_SIZE": _int("MAX_CONTENT_LENGTH", 4 * 1024 * 1024),
        # Whole seconds (Engine.IO's handshake): a browser notices a dead connection within
        # interval + timeout, the server within interval + 2 x timeout (docs/protocol.md).
        "SOCKETIO_PING_INTERVAL": _int("SOCKETIO_PING_INTERVAL", 5),
        "SOCKETIO_PING_TIMEOUT": _int("SOCKETIO_PING_TIMEOUT", 5),
        # Each process beats this often; presence held by one silent for the expiry is cleared.
        "PRESENCE_HEARTBEAT_SECONDS": _seconds("PRESENCE_HEARTBEAT_SECONDS", 5),
        "PRESENCE_EXPIRY_SECONDS": _seconds("PRESENCE_EXPIRY_SECONDS", 15),
        "EXPORT_DIR": os.environ.get("EXPORT_DIR") or str(PROJECT_ROOT / "exports"),
        "EXPORT_RETENTION_DAYS": _int("EXPORT_RETENTION_DAYS", 30),
        # The reading age a letter to a family is measured against (a guide shown beside it).
        "LETTER_READING_AGE_TARGET": _int("LETTER_READING_AGE_TARGET", 11),
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=idle_minutes),
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=idle_minutes),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGN_IN_LIMIT": os.environ.get("SIGN_IN_LIMIT", "10 per minute;50 per hour"),
        # Usernames and passwords kept here: for the embedded default and the demo. LOCAL_PASSWORDS=0
        # leaves only the council's single sign-on (OIDC_*).
        "LOCAL_PASSWORDS": os.environ.get("LOCAL_PASSWORDS", "1") != "0",
        # Single sign-on with the council's OpenID Connect provider: on when OIDC_ISSUER and
        # OIDC_CLIENT_ID are set (docs/deployment.md walks through Microsoft Entra ID).
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER") or None,
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID") or None,
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET") or None,
        # The ID token claim whose value is a person's sign-in identity here (set on the People page).
        "OIDC_PERSON_CLAIM": os.environ.get("OIDC_PERSON_CLAIM") or "sub",
        "OIDC_SCOPES": os.environ.get("OIDC_SCOPES") or "openid profile email",
        # Only if the address registered at the provider differs from what the server sees.
        "OIDC_REDIRECT_URI": os.environ.get("OIDC_REDIRECT_URI") or None,
        "OIDC_PROVIDER_NAME": os.environ.get("OIDC_PROVIDER_NAME") or "your council account",
        "OIDC_CLOCK_LEEWAY_SECONDS": _int("OIDC_CLOCK_LEEWAY_SECONDS", 60),
        "WTF_CSRF_TIME_LIMIT": None,
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        # Prometheus scrapes /metrics with this bearer token; without one, only from this machine.
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        # What one live-board connection may send (realtime/limits.py, docs/protocol.md).
        "SOCKET_LIMITS": {
            "change": os.environ.get("SOCKET_CHANGE_LIMIT", "20 per second;300 per minute"),
            "catch_up": os.environ.get("SOCKET_CATCH_UP_LIMIT", "10 per 10 seconds;60 per 10 minutes"),
            # "Is typing" signals: a browser sends one every few seconds while someone types.
            "typing": os.environ.get("SOCKET_TYPING_LIMIT", "2 per second;60 per minute"),
        },
        "SOCKET_CONNECTIONS_PER_PERSON": _int("SOCKET_CONNECTIONS_PER_PERSON", 10),
        # Benchmarks only (docs/performance.md): 0 leaves live board changes out of the audit trail.
        "AUDIT_BOARD_CHANGES": os.environ.get("AUDIT_BOARD_CHANGES", "1") != "0",
    }
