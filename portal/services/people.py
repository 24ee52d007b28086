"""The people directory: names from sign-ins, the demo and an admin's upload; audited writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import PurePath

from portal.clock import utc_now
from portal.domain.people import (
    SOURCES,
    Directory,
    PeopleReject,
    Person,
    is_email,
    merged,
    normalized_email,
    read_people_csv,
)
from portal.runtime import Runtime
from portal.services.audit import write_audit
from portal.services.authorization import authorize, may
from portal.services.identity import Identity
from portal.store.database import Row, Transaction
from portal.store.people_repo import PeopleRepository

__all__ = ["PeopleService", "PeopleUpload"]

UPLOAD_FORMATS = (".csv", ".txt")
# Names the demo or a sync brings are recorded as the portal's own doing.
PORTAL = Identity("", "portal", frozenset())


@dataclass(frozen=True)
class PeopleUpload:
    """The result of one directory upload: stored (with counts) or rejected (every reason)."""

    loaded: bool
    rows_in_file: int
    added: int
    changed: int
    unchanged: int
    rejects: tuple[PeopleReject, ...]


class PeopleService:
    """Reads and writes of the people directory."""

    def __init__(self, runtime: Runtime) -> None:
        self.store = runtime.store
        self.people = PeopleRepository(runtime.store)

    def directory(self) -> Directory:
        """Every known person, for showing names (read whole: one query)."""
        return Directory(_person(row) for row in self.people.people())

    def may_upload(self, actor: Identity) -> bool:
        """For the interface: offer the directory upload or not (the upload checks again)."""
        return may(self.store, actor, "people.upload")

    def record_sign_in(self, identity: Identity, now: datetime | None = None) -> bool:
        """Remember the name a sign-in gave (OIDC `name` claim, proxy name header); True when
        it changed the directory. A sign-in without a name (none, the address or its first
        part), or over a name an upload set, changes nothing and writes nothing."""
        email = normalized_email(identity.email)
        name = identity.name.strip()
        # A proxy's 'preferred username' is often the address or its first part: no name.
        if identity.is_local or not is_email(email) or name.casefold() in (email, _handle(email)):
            return False
        return bool(self._add(identity, [Person(email, name, "sign_in")], now))

    def add_from_source(
        self, people: Iterable[Person], source: str, now: datetime | None = None
    ) -> int:
        """Names a sync or the demo knows (source 'mlflow' or 'demo'); stronger sources keep
        theirs. Returns how many people were added or changed."""
        if source not in SOURCES or source in ("upload", "sign_in"):
            raise ValueError(f"add_from_source takes 'mlflow' or 'demo', not {source!r}")
        found = [
            Person(normalized_email(p.email), p.name.strip(), source, p.team, p.manager)
            for p in people
            if is_email(p.email) and p.name.strip()
        ]
        return self._add(PORTAL, found, now)

    def upload(
        self, actor: Identity, data: bytes, file_name: str, now: datetime | None = None
    ) -> PeopleUpload:
        """An admin's CSV (e-mail, name, optional team, manager) loaded whole, or nothing
        stored and every reject reported; the upload's names win over every other source."""
        authorize(self.store, actor, "people.upload")
        suffix = PurePath(file_name).suffix.lower()
        if suffix not in UPLOAD_FORMATS:
            return PeopleUpload(False, 0, 0, 0, 0, (PeopleReject(0, "unknown_format", suffix),))
        checked = read_people_csv(data)
        if not checked.accepted:
            return PeopleUpload(False, checked.rows, 0, 0, 0, checked.rejects)
        at = now or utc_now()
        with self.store.transaction() as tx:
            stored = _people(PeopleRepository.people_in(tx, (p.email for p in checked.people)))
            changes = _changes(stored, checked.people, at)
            added = sum(1 for p in changes if p.email not in stored)
            summary = {
                "file_name": file_name,
                "rows": checked.rows,
                "added": added,
                "changed": len(changes) - added,
            }
            PeopleRepository.upsert(tx, _rows(changes))
            write_audit(tx, actor, "people.loaded", ("people", file_name), at, after=summary)
            if changes:
                tx.bump_data_version()
        return PeopleUpload(
            True, checked.rows, added, len(changes) - added, checked.rows - len(changes), ()
        )

    def _add(self, actor: Identity, people: list[Person], now: datetime | None) -> int:
        if not people:
            return 0
        at = now or utc_now()
        # Read first: the usual sign-in changes nothing and must not take the write lock.
        if not _changes(_people(self.people.named(p.email for p in people)), people, at):
            return 0
        with self.store.transaction() as tx:
            stored = _people(PeopleRepository.people_in(tx, (p.email for p in people)))
            changes = _changes(stored, people, at)
            if changes:
                _write(tx, actor, changes, at)
        return len(changes)


def _changes(stored: dict[str, Person], incoming: Iterable[Person], at: datetime) -> list[Person]:
    """The people whose row the incoming ones change, as they will be stored."""
    changes = {}
    for person in incoming:
        result = merged(changes.get(person.email) or stored.get(person.email), person)
        if result is not None:
            changes[person.email] = replace(result, updated_at=at)
    return list(changes.values())


def _write(tx: Transaction, actor: Identity, changes: list[Person], at: datetime) -> None:
    PeopleRepository.upsert(tx, _rows(changes))
    if len(changes) == 1:
        [person] = changes
        after = {"name": person.name, "source": person.source}
        write_audit(tx, actor, "people.named", ("person", person.email), at, after=after)
    else:
        # A sync or the demo names many people at once: one entry says how many, from where.
        sources = sorted({person.source for person in changes})
        after = {"source": ", ".join(sources), "people": len(changes)}
        write_audit(tx, actor, "people.named", ("people", after["source"]), at, after=after)
    tx.bump_data_version()


def _handle(email: str) -> str:
    return email.split("@", 1)[0]


def _person(row: Row) -> Person:
    return Person(
        row["email"], row["name"], row["source"], row["team"], row["manager"], row["updated_at"]
    )


def _people(rows: dict[str, Row]) -> dict[str, Person]:
    return {email: _person(row) for email, row in rows.items()}


def _rows(people: list[Person]) -> list[dict]:
    return [asdict(person) for person in people]
