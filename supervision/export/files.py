"""Where records are written, under names the server builds.

A name is made from the session date, the team's slug, the cleaned case
reference and the kind of record; nothing a person typed goes into a path uncleaned.
"""
from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Callable

from .docx_writer import write_document
from .record import RecordData
from .wording import local

SUFFIX = ".docx"
_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*\.docx$")
MAX_PART = 40
FILE_MODE = 0o600    # records are OFFICIAL-SENSITIVE: only the server's own user reads them
FOLDER_MODE = 0o700


def safe_part(value: str | None, fallback: str) -> str:
    """Letters, digits and single hyphens only, e.g. 'FS/1042 <b>' -> 'FS-1042-b'."""
    cleaned = _UNSAFE.sub("-", value or "").strip("-")[:MAX_PART].strip("-")
    return cleaned or fallback


def record_filename(starts_at: datetime, team_slug: str, case_reference: str | None = None,
                    kind: str = "group-supervision") -> str:
    """e.g. 2026-11-22_north_FS-1042_group-supervision.docx, or ..._group-supervision-minutes.docx;
    a letter to the family is ..._FS-1042_letter-to-family.docx."""
    parts = [local(starts_at).strftime("%Y-%m-%d"), safe_part(team_slug, "team").lower()]
    if case_reference is None:
        parts.append("group-supervision-minutes")
    else:
        parts += [safe_part(case_reference, "family"), kind]
    return "_".join(parts) + SUFFIX


def write_record(record: RecordData, directory: str | Path, filename: str,
                 name_taken: Callable[[str], bool] = lambda name: False) -> Path:
    """Write the record under a name no other file has (a counter is added if needed); return its path.

    `name_taken` lets the caller rule out names already logged, even for files written elsewhere.
    """
    return write_file(lambda handle: write_document(record, handle), directory, filename, name_taken)


def write_file(write: Callable[[BinaryIO], None], directory: str | Path, filename: str,
               name_taken: Callable[[str], bool] = lambda name: False) -> Path:
    """Write a document (`write` fills an open file) under a name no other file has; return its path."""
    directory = _make_private_folders(Path(directory))
    stem = filename[: -len(SUFFIX)]
    for counter in range(1, 10_000):
        path = directory / (filename if counter == 1 else f"{stem}-{counter}{SUFFIX}")
        if name_taken(path.name):
            continue
        try:
            # Exclusive, so two exports at once cannot take the same name; owner-only whatever the umask.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                                 FILE_MODE)
        except FileExistsError:
            continue
        os.fchmod(descriptor, FILE_MODE)
        handle = os.fdopen(descriptor, "wb")
        try:
            with handle:
                write(handle)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(f"Too many records named {filename} in {directory}")


def _make_private_folders(directory: Path) -> Path:
    """Create what is missing of `directory`, each new folder owner-only; folders already there are left as they are."""
    missing = []
    while not directory.exists() and directory != directory.parent:
        missing.append(directory)
        directory = directory.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        folder.chmod(FOLDER_MODE)
    return missing[0] if missing else directory


def find_record(directory: str | Path, filename: str) -> Path | None:
    """The file for a logged export, only if the name is one the server could have made and it exists."""
    if not _SAFE_NAME.match(filename or ""):
        return None
    path = Path(directory) / filename
    return path if os.path.isfile(path) else None
