"""The people directory: display names by e-mail, which source wins, the CSV an admin uploads."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

# Who told the portal a person's name, strongest first: an admin's upload is what the company
# says, a sign-in is what the identity provider says, the demo and MLflow only what they hold.
SOURCES: tuple[str, ...] = ("upload", "sign_in", "demo", "mlflow")
_RANK = {source: len(SOURCES) - position for position, source in enumerate(SOURCES)}

COLUMNS = ("email", "name", "team", "manager")
REQUIRED = ("email", "name")
# Header spellings a spreadsheet commonly has for the e-mail column.
_HEADER_ALIASES = {"e-mail": "email", "mail": "email", "e_mail": "email"}
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_CHARS = 200  # per cell
_VALUE_CHARS = 100  # of a rejected cell, shown back
_EMAIL = re.compile(r"[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\"]+\.[^@\s,;<>()\[\]\".]+")


@dataclass(frozen=True)
class Person:
    """One person the portal can name: e-mail (lower case), display name, team and manager."""

    email: str
    name: str
    source: str
    team: str = ""
    manager: str = ""  # the manager's e-mail address
    updated_at: datetime | None = None


def is_email(text: str) -> bool:
    """Whether the text is one plausible e-mail address (something@domain.tld)."""
    return bool(_EMAIL.fullmatch(text.strip()))


def normalized_email(text: str) -> str:
    """E-mail addresses compare without case and surrounding spaces."""
    return text.strip().casefold()


def merged(existing: Person | None, incoming: Person) -> Person | None:
    """What the directory holds after `incoming` arrives; None when nothing changes.

    A weaker source never replaces a stronger one; an equal or stronger one replaces the name
    and keeps a team and manager it does not know (a sign-in carries no team).
    """
    if existing is None:
        return incoming
    if _RANK[incoming.source] < _RANK[existing.source]:
        return None
    result = replace(
        incoming,
        team=incoming.team or ("" if incoming.source == "upload" else existing.team),
        manager=incoming.manager or ("" if incoming.source == "upload" else existing.manager),
    )
    unchanged = (result.name, result.team, result.manager, result.source) == (
        existing.name,
        existing.team,
        existing.manager,
        existing.source,
    )
    return None if unchanged else result


class Directory:
    """Every known person by e-mail, read once; names looked up in one dict access."""

    def __init__(self, people: Iterable[Person] = ()) -> None:
        self.people: dict[str, Person] = {p.email: p for p in people}
        # MLflow often names people by the local part of their address ('anna.schmidt'): it
        # resolves to a person when exactly one known address starts that way.
        handles: dict[str, str | None] = {}
        for email in self.people:
            handle = email.split("@", 1)[0]
            handles[handle] = None if handle in handles else email
        self._handles = {handle: email for handle, email in handles.items() if email}

    def __len__(self) -> int:
        return len(self.people)

    def person(self, identifier: str) -> Person | None:
        """The person an e-mail address (or an MLflow user name) stands for, if known."""
        key = normalized_email(identifier)
        found = self.people.get(key)
        if found is None and "@" not in key:
            email = self._handles.get(key)
            found = self.people.get(email) if email else None
        return found

    def name_of(self, identifier: str) -> str:
        """The display name; the identifier itself when unknown, '' for ''."""
        if not identifier:
            return ""
        found = self.person(identifier)
        return found.name if found else identifier

    def email_of(self, identifier: str) -> str:
        """The e-mail address an identifier stands for; '' when it is none and nobody known."""
        found = self.person(identifier)
        if found is not None:
            return found.email
        return normalized_email(identifier) if is_email(identifier) else ""


# --- the upload ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleReject:
    """Why the file or one of its rows cannot be loaded."""

    line: int  # as a text editor shows it (header = 1); 0 for the whole file
    code: str  # a key of the catalog section `people_reject`
    value: str = ""  # the offending cell, shortened
    column: str = ""


@dataclass(frozen=True)
class PeopleFile:
    """A directory upload checked whole: its people when every row passed, else every reject."""

    people: tuple[Person, ...]
    rejects: tuple[PeopleReject, ...]
    rows: int  # data rows read, blank rows not counted

    @property
    def accepted(self) -> bool:
        """True when the file loads: rows and no reject."""
        return bool(self.people) and not self.rejects


def read_people_csv(data: bytes) -> PeopleFile:
    """Check an uploaded CSV (comma or semicolon, UTF-8 with or without BOM) row by row."""
    if len(data) > MAX_FILE_BYTES:
        return _file_reject("too_large", f"{len(data) // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _file_reject("not_utf8")
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_at is None:
        return _file_reject("empty_file")
    delimiter = ";" if lines[header_at].count(";") > lines[header_at].count(",") else ","
    records = _records(text, delimiter)
    if records is None:
        return _file_reject("unreadable")
    header_line, header_cells = records[0]
    header = [_column(cell) for cell in header_cells]
    problems = [
        PeopleReject(header_line, "unknown_column", _short(raw))
        for raw, name in zip(header_cells, header, strict=True)
        if name and name not in COLUMNS
    ]
    problems += [
        PeopleReject(header_line, "duplicate_column", name)
        for position, name in enumerate(header)
        if name in COLUMNS and name in header[:position]
    ]
    problems += [
        PeopleReject(header_line, "missing_column", name) for name in REQUIRED if name not in header
    ]
    if problems:
        return PeopleFile((), tuple(problems), 0)
    return _check_rows(records[1:], header)


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]] | None:
    """The non-blank records with the line each starts on; None when the CSV cannot be read."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    records = []
    start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                records.append((start, row))
            start = reader.line_num + 1  # a quoted cell may span lines
    except csv.Error:
        return None
    return records


def _check_rows(records: list[tuple[int, list[str]]], header: list[str]) -> PeopleFile:
    people: list[Person] = []
    rejects: list[PeopleReject] = []
    seen: set[str] = set()
    for line, row in records:
        if len(row) > len(header):
            rejects.append(PeopleReject(line, "too_many_cells", _short(row[len(header)])))
            continue
        values = [cell.strip() for cell in row]
        # A column without a heading (a trailing delimiter) may stay, if empty.
        unnamed = [value for name, value in zip(header, values, strict=False) if not name and value]
        if unnamed:
            rejects.append(PeopleReject(line, "unnamed_cell", _short(unnamed[0])))
            continue
        cells = {name: value for name, value in zip(header, values, strict=False) if name}
        row_rejects = _row_rejects(line, cells)
        email = normalized_email(cells.get("email", ""))
        if not row_rejects and email in seen:
            row_rejects.append(PeopleReject(line, "duplicate_email", _short(email), "email"))
        if row_rejects:
            rejects += row_rejects
            continue
        seen.add(email)
        people.append(
            Person(
                email,
                cells["name"],
                "upload",
                cells.get("team", ""),
                normalized_email(cells.get("manager", "")),
            )
        )
    if not records:
        return _file_reject("no_rows")
    return PeopleFile(() if rejects else tuple(people), tuple(rejects), len(records))


def _row_rejects(line: int, cells: Mapping[str, str]) -> list[PeopleReject]:
    found = []
    email, name, manager = cells.get("email", ""), cells.get("name", ""), cells.get("manager", "")
    if not email:
        found.append(PeopleReject(line, "missing_email", "", "email"))
    elif not is_email(email):
        found.append(PeopleReject(line, "bad_email", _short(email), "email"))
    if not name:
        found.append(PeopleReject(line, "missing_name", "", "name"))
    if manager and not is_email(manager):
        found.append(PeopleReject(line, "bad_manager", _short(manager), "manager"))
    elif manager and email and normalized_email(manager) == normalized_email(email):
        found.append(PeopleReject(line, "own_manager", _short(manager), "manager"))
    for column, value in cells.items():
        if len(value) > MAX_CHARS:
            found.append(PeopleReject(line, "too_long", _short(value), column))
    return found


def _column(cell: str) -> str:
    name = cell.strip().casefold()
    return _HEADER_ALIASES.get(name, name)


def _short(text: str) -> str:
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


def _file_reject(code: str, value: str = "") -> PeopleFile:
    return PeopleFile((), (PeopleReject(0, code, value),), 0)
