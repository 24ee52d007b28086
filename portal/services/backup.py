"""Consistent copies of the store: made by the server that holds it, or straight from the file."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from portal.runtime import Runtime
from portal.store.database import Store

log = logging.getLogger(__name__)
COPY_NAME = "portal-backup.duckdb"


def backup_beside_store(runtime: Runtime) -> Path:
    """Copy the open store into a new folder beside it (same disk); the caller removes it."""
    folder = Path(tempfile.mkdtemp(prefix=".backup-", dir=runtime.settings.store_path.parent))
    copy = folder / COPY_NAME
    try:
        runtime.store.backup_to(copy)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    log.info(
        "store %s copied for a backup (%d bytes)", runtime.settings.store_path, copy.stat().st_size
    )
    return copy


def backup_store_file(store_path: Path, target: Path) -> None:
    """Copy a store no process holds to a new file: read-only, checked whole first.

    Raises StoreLocked while a server holds it, StoreDamaged when it cannot be read.
    """
    store = Store(store_path, read_only=True)
    try:
        store.verify()
        store.backup_to(target)
    finally:
        store.close()


def check_copy(path: Path) -> None:
    """Open a copy read-only and read all of it: raises StoreDamaged if it did not arrive whole."""
    copy = Store(path, read_only=True)
    try:
        copy.verify()
    finally:
        copy.close()
