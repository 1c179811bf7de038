"""How long Word records stay on the server's disk, and the folder they are kept in.

A record file older than EXPORT_RETENTION_DAYS is removed; its row in the export log stays,
and a final record is rebuilt from the signed record when someone downloads it again
(services/records.export_file). Only files with names the server makes are touched.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from .files import FOLDER_MODE, find_record



def prune(directory: str | Path, days: int, now: float | None = None) -> list[Path]:
    """Remove record files last written more than `days` days ago; return what was removed."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    cutoff = (time.time() if now is None else now) - days * 86_400
    removed = []
    for entry in os.scandir(directory):
        path = find_record(directory, entry.name)
        if path is None or entry.is_symlink() or entry.stat().st_mtime >= cutoff:
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return sorted(removed)


def secure_folder(directory: str | Path) -> Path:
    """The export folder, created if missing, readable by the server's own user only."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    directory.chmod(FOLDER_MODE)
    return directory


def on_start_up(config) -> list[Path]:
    """What `supervision run` and the WSGI entry point do once before serving."""
    folder = secure_folder(config["EXPORT_DIR"])
    return prune(folder, int(config["EXPORT_RETENTION_DAYS"]))
