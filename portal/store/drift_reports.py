"""The full Evidently reports as files in the store's own folder, kept by name and SHA-256.

The store keeps a report's file name, never a path, and the hash of what was written. A file
is read or deleted only when its name is one the portal writes and the file in this store's
folder has that hash: a copied store (a backup, a staging copy) or an edited row can neither
serve nor delete another server's or anybody else's file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

REPORT_NAME = r"drift-[0-9a-f]{32}\.html"


@dataclass(frozen=True)
class StoredReport:
    """A report as the store records it; sha256 is None for reports stored before it was."""

    name: str
    sha256: str | None


class ReportFiles:
    """The report folder of one store (`<store name>.drift-reports/` beside the store file)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, html: str) -> StoredReport:
        """Write a new report under a fresh name, never over an existing file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = html.encode("utf-8")
        name = f"drift-{uuid.uuid4().hex}.html"
        with (self.folder / name).open("xb") as file:
            file.write(data)
        return StoredReport(name, hashlib.sha256(data).hexdigest())

    def read(self, report: StoredReport) -> bytes | None:
        """The report's bytes, or None unless the file is provably the one written."""
        data = self._contents(report)
        if data is None or hashlib.sha256(data).hexdigest() != report.sha256:
            return None
        return data

    def present(self, report: StoredReport) -> bool:
        """Cheap, before offering a download: a name the portal writes, a hash recorded, and a
        plain file of that name in this folder (read() still checks the bytes)."""
        if not report.sha256 or not re.fullmatch(REPORT_NAME, report.name):
            return False
        try:
            return stat.S_ISREG((self.folder / report.name).lstat().st_mode)
        except OSError:
            return False

    def delete(self, report: StoredReport) -> bool:
        """Delete a superseded report if it is provably the one written; True when deleted."""
        if self.read(report) is None:
            if report.name:
                log.info("drift report %r kept: not provably written by this store", report.name)
            return False
        (self.folder / report.name).unlink(missing_ok=True)
        return True

    def _contents(self, report: StoredReport) -> bytes | None:
        if not report.sha256 or not re.fullmatch(REPORT_NAME, report.name):
            return None
        try:
            # O_NOFOLLOW: a link planted under a report's name is not followed out of the folder.
            descriptor = os.open(self.folder / report.name, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(descriptor, "rb") as file:
                return file.read()
        except OSError:  # absent, a link, a folder
            return None
