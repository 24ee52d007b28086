"""The demo names everyone it mentions by e-mail, and fills the directory as the demo source."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import portal.demo
from portal.demo.people import DEMO_PEOPLE, demo_people, seed_demo_people
from portal.domain.people import is_email
from portal.runtime import command_runtime
from portal.services.people import PeopleService

DEMO = Path(portal.demo.__file__).parent
AT = datetime(2026, 11, 2, 9, 30)


def test_every_address_the_demo_mentions_has_a_name():
    mentioned = {
        address
        for path in DEMO.glob("*.py")
        if path.name not in ("people.py", "scale.py")  # scale.py names its synthetic staff
        for address in re.findall(r"[a-z.]+@example\.com", path.read_text("utf-8"))
    }
    named = {email for email, *_ in DEMO_PEOPLE}
    assert mentioned <= named
    assert all(is_email(email) for email in named)
    managers = {manager for *_, manager in DEMO_PEOPLE if manager}
    assert managers <= named


def test_seeding_fills_the_directory_once(settings, store):
    assert seed_demo_people(store, settings, AT) == len(DEMO_PEOPLE)
    assert seed_demo_people(store, settings, AT) == 0
    directory = PeopleService(command_runtime(settings, store)).directory()
    assert directory.name_of("jonas.mueller@example.com") == "Jonas Müller"
    assert directory.person("anna.schmidt@example.com").manager == "markus.schneider@example.com"
    assert {p.source for p in directory.people.values()} == {"demo"}
    assert len(demo_people()) == len(directory)
