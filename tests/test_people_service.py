"""The people directory service: admin-only, audited uploads that load whole or not at all;
sign-ins and the demo add names under the upload's precedence."""

from __future__ import annotations

from datetime import datetime

import pytest

from portal.domain.people import PeopleReject, Person
from portal.domain.roles import RoleRules
from portal.errors import NotAllowed
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.audit import AuditFilter, AuditService
from portal.services.identity import LOCAL_USER, identity_from_claims
from portal.services.people import PeopleService
from tests.support.builders import ADMIN, OWNER, VIEWER

AT = datetime(2026, 11, 2, 9, 30)
GOOD = (
    b"email;name;team;manager\n"
    b"anna.schmidt@example.com;Dr. Anna Schmidt;Retention;markus.schneider@example.com\n"
    b"carla.rossi@example.com;Carla Rossi;;\n"
)


@pytest.fixture
def people(settings, store) -> PeopleService:
    return PeopleService(Runtime(settings, store, Scheduler(lambda request: None, 0)))


def audited(store, action):
    return [e for e in AuditService(store).entries(ADMIN, AuditFilter()) if e.action == action]


def test_an_admin_upload_loads_whole_and_is_audited(people, store):
    version = store.data_version()
    outcome = people.upload(ADMIN, GOOD, "people.csv", AT)
    assert (outcome.loaded, outcome.rows_in_file, outcome.added, outcome.changed) == (
        True,
        2,
        2,
        0,
    )
    directory = people.directory()
    assert directory.name_of("anna.schmidt@example.com") == "Dr. Anna Schmidt"
    assert directory.person("anna.schmidt@example.com").team == "Retention"
    assert store.data_version() == version + 1
    [entry] = audited(store, "people.loaded")
    assert (entry.actor, entry.entity_id) == (ADMIN.email, "people.csv")
    assert '"added": 2' in entry.after_json

    again = people.upload(ADMIN, GOOD, "people.csv", AT)
    assert (again.loaded, again.added, again.changed, again.unchanged) == (True, 0, 0, 2)
    assert store.data_version() == version + 1  # nothing changed: caches stay warm


def test_only_admins_may_upload_and_a_refusal_writes_nothing(people, store):
    for actor in (VIEWER, OWNER):
        assert not people.may_upload(actor)
        with pytest.raises(NotAllowed):
            people.upload(actor, GOOD, "people.csv", AT)
    assert people.may_upload(ADMIN)
    assert len(people.directory()) == 0
    assert audited(store, "people.loaded") == []


def test_a_file_with_one_bad_row_stores_nothing(people, store):
    version = store.data_version()
    bad = GOOD + b"not-an-address;Somebody;;\n"
    outcome = people.upload(ADMIN, bad, "people.csv", AT)
    assert not outcome.loaded
    assert outcome.rejects == (PeopleReject(4, "bad_email", "not-an-address", "email"),)
    assert len(people.directory()) == 0
    assert store.data_version() == version
    assert audited(store, "people.loaded") == []


def test_a_file_that_is_not_csv_is_refused(people):
    outcome = people.upload(ADMIN, b"PK\x03\x04", "people.xlsx", AT)
    assert outcome.rejects == (PeopleReject(0, "unknown_format", ".xlsx"),)


def test_a_sign_in_names_a_person_once_and_never_over_an_upload(people, store):
    rules = RoleRules()
    signed_in = identity_from_claims("Anna.Schmidt@example.com", "Anna Schmidt", (), rules)
    assert people.record_sign_in(signed_in, AT) is True
    [entry] = audited(store, "people.named")
    assert (entry.actor, entry.entity_type, entry.entity_id) == (
        "anna.schmidt@example.com",
        "person",
        "anna.schmidt@example.com",
    )
    version = store.data_version()
    assert people.record_sign_in(signed_in, AT) is False  # the same name again: no write
    assert store.data_version() == version

    people.upload(ADMIN, GOOD, "people.csv", AT)
    renamed = identity_from_claims("anna.schmidt@example.com", "Anna S.", (), rules)
    assert people.record_sign_in(renamed, AT) is False
    assert people.directory().name_of("anna.schmidt@example.com") == "Dr. Anna Schmidt"


def test_a_sign_in_without_a_name_or_the_local_user_records_nothing(people):
    nameless = identity_from_claims("vera@example.com", "", (), RoleRules())
    assert nameless.name == "vera@example.com"
    assert people.record_sign_in(nameless, AT) is False
    username = identity_from_claims("vera.viewer@example.com", "Vera.Viewer", (), RoleRules())
    assert people.record_sign_in(username, AT) is False  # a proxy's preferred username
    assert people.record_sign_in(LOCAL_USER, AT) is False
    assert len(people.directory()) == 0


def test_the_demo_adds_names_that_a_sign_in_and_an_upload_may_replace(people, store):
    demo = [
        Person("anna.schmidt@example.com", "Anna Schmidt", "demo", "Retention"),
        Person("not an address", "Nobody", "demo"),
    ]
    assert people.add_from_source(demo, "demo", AT) == 1
    assert people.add_from_source(demo, "demo", AT) == 0
    [entry] = audited(store, "people.named")
    assert entry.actor == "portal"
    signed_in = identity_from_claims("anna.schmidt@example.com", "Anna S.", (), RoleRules())
    assert people.record_sign_in(signed_in, AT) is True
    person = people.directory().person("anna.schmidt@example.com")
    assert (person.name, person.team, person.source) == ("Anna S.", "Retention", "sign_in")
    with pytest.raises(ValueError):
        people.add_from_source(demo, "upload", AT)


def test_many_names_from_one_source_are_audited_as_one_entry(people, store):
    staff = [Person(f"person{i}@example.com", f"Person {i}", "demo") for i in range(300)]
    assert people.add_from_source(staff, "demo", AT) == 300
    [entry] = audited(store, "people.named")
    assert (entry.actor, entry.entity_type, entry.entity_id) == ("portal", "people", "demo")
    assert '"people": 300' in entry.after_json
    assert people.directory().name_of("person7@example.com") == "Person 7"
