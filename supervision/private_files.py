"""Files this service writes hold families' information: only the account running it may read them.

The process's umask is set so that everything it creates (the SQLite database and its
write-ahead log, the secret key, Word records) is owner-only, and folders and files left
by an earlier version with wider permissions are narrowed at start-up.
"""
from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077


def keep_private(*directories: str | Path) -> None:
    os.umask(PRIVATE_UMASK)
    for directory in map(Path, directories):
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o700)
        for path in directory.iterdir():
            if path.is_file() and not path.is_symlink() and path.name != ".gitkeep":
                path.chmod(0o600)
