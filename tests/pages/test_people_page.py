"""The Accountability page shows people by name; admins load the people directory there."""

from __future__ import annotations

import pytest

from portal.domain.people import Person
from portal.services.identity import Identity
from portal.ui import data
from portal.ui.navigation import LINEAGE, OWNERSHIP
from tests.pages.test_pages import open_page, texts
from tests.pages.test_risk_pages import with_risks  # noqa: F401  (a fixture)
from tests.support.builders import ADMIN, OWNER

PEOPLE_CSV = (
    "\ufeffemail;name;team;manager\n"
    "ceo@example.com;Clara Executive;Board;\n"
    "bo@example.com;Bruno Owner;Retention;ceo@example.com\n"
).encode()
BAD_CSV = b"email,name\nceo@example.com,Clara Executive\nnot-an-address,Somebody\nbo@example.com,\n"


def upload(app, data_bytes: bytes, name: str = "people.csv"):
    app.get("file_uploader")[0].set_value((name, data_bytes, "text/csv"))
    submit = next(b for b in app.button if b.label in ("Load people", "Personen laden"))
    submit.click().run()
    assert not app.exception, app.exception
    return app


TABLES = {  # each table by its first columns (AppTest does not report a dataframe's key)
    "ownership.people": ("person", "email", "role"),
    "ownership.processes": ("group", "model", "mode"),
    "people.table": ("name", "email", "team", "manager", "source"),
    "people.rejects": ("line", "column", "problem"),
}


def table(app, key: str):
    columns = TABLES[key]
    return next(d.value for d in app.dataframe if tuple(d.value.columns[: len(columns)]) == columns)


def test_an_admin_loads_the_directory_and_the_page_shows_names(signed_in, with_risks):  # noqa: F811
    signed_in(ADMIN)
    app = open_page(OWNERSHIP)
    assert "People directory" in [tab.label for tab in app.tabs]
    people = table(app, "ownership.people")
    assert "ceo@example.com" in set(people["person"])  # not named yet: the address itself

    upload(app, PEOPLE_CSV)
    assert r"people\.csv loaded: 2 person(s), 2 added, 0 changed, 0 unchanged." in texts(app)
    people = table(app, "ownership.people")
    assert ("Clara Executive", "mailto:ceo@example.com", "accountable executive") in set(
        zip(people["person"], people["email"], people["role"], strict=True)
    )
    assert ("Bruno Owner", "business owner") in set(
        zip(people["person"], people["role"], strict=True)
    )
    processes = table(app, "ownership.processes")
    assert "Clara Executive" in set(processes["executive"])
    directory = table(app, "people.table")
    # The admin's own sign-in named her too.
    assert list(
        zip(
            directory["name"],
            directory["team"],
            directory["manager"],
            directory["source"],
            strict=True,
        )
    ) == [
        ("Ada Admin", "none", "none", "sign-in"),
        ("Bruno Owner", "Retention", "Clara Executive", "loaded file"),
        ("Clara Executive", "Board", "none", "loaded file"),
    ]

    app.text_input(key="people.search").set_value("retention").run()
    assert list(table(app, "people.table")["name"]) == ["Bruno Owner"]
    assert "1 of 3 people shown." in texts(app)


def test_a_bad_file_is_refused_row_by_row_in_german_and_nothing_changes(signed_in, with_risks):  # noqa: F811
    signed_in(ADMIN)
    app = open_page(OWNERSHIP, language="de")
    version = data.catalog_service().data_version()
    upload(app, BAD_CSV)
    shown = texts(app)
    assert r"Nichts wurde geladen: 2 Problem(e) in people\.csv." in shown
    rejects = table(app, "people.rejects")
    assert list(rejects.columns) == ["line", "column", "problem", "value"]
    assert list(zip(rejects["line"], rejects["problem"], strict=True)) == [
        (3, "Keine E-Mail-Adresse."),
        (4, "Der Name fehlt."),
    ]
    assert data.catalog_service().data_version() == version
    assert list(data.people_service().directory().people) == ["ada@example.com"]


def test_a_file_not_in_utf8_is_refused_with_a_reason(signed_in, with_risks):  # noqa: F811
    signed_in(ADMIN)
    app = open_page(OWNERSHIP)
    upload(app, "email,name\nj@example.com,Jörg\n".encode("cp1252"), "people.txt")
    rejects = table(app, "people.rejects")
    assert list(zip(rejects["line"], rejects["problem"], strict=True)) == [
        ("whole file", "The file is not saved as UTF-8. Save it again as “CSV UTF-8”.")
    ]


def test_only_admins_see_the_directory(signed_in, with_risks):  # noqa: F811
    signed_in(OWNER)
    app = open_page(OWNERSHIP)
    assert "People directory" not in [tab.label for tab in app.tabs]
    assert not app.get("file_uploader")


def test_a_sign_in_names_the_person_once_per_session(signed_in, with_risks, monkeypatch):  # noqa: F811
    ceo = Identity("Clara Executive", "ceo@example.com", frozenset({"viewer"}))
    signed_in(ceo)
    recorded = []
    original = data.PeopleService.record_sign_in
    monkeypatch.setattr(
        data.PeopleService,
        "record_sign_in",
        lambda self, identity, now=None: (
            recorded.append(identity.email) or original(self, identity, now)
        ),
    )
    app = open_page(OWNERSHIP)
    app.run()
    assert recorded == ["ceo@example.com"]
    assert data.people_service().directory().name_of("ceo@example.com") == "Clara Executive"
    app.run()
    people = table(app, "ownership.people")
    assert "Clara Executive" in set(people["person"])


def test_lineage_names_the_executive_with_a_mail_link(with_risks):  # noqa: F811
    data.people_service().add_from_source(
        [Person("ceo@example.com", "Clara Executive", "demo")], "demo"
    )
    app = open_page(LINEAGE)
    app.selectbox(key="lineage.source").set_value("billing.invoices").run()
    page = "\n".join(m.value for m in app.markdown)
    assert '- [Clara Executive](mailto:ceo@example.com "ceo@example.com")' in page


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_empty_directory_says_so(with_risks, language):  # noqa: F811
    app = open_page(OWNERSHIP, language=language)  # the local user: an admin, never recorded
    expected = {"en": "The directory is empty", "de": "Das Verzeichnis ist leer"}[language]
    assert expected in texts(app)


def test_person_markdown_escapes_names_and_links_only_plain_addresses(monkeypatch):
    from portal.domain.people import Directory
    from portal.ui import people

    directory = Directory(
        [
            Person("eve@example.com", "[Eve](javascript:alert(1)) *bold*", "upload"),
            Person("o'brien@example.com", "Dana O'Brien", "upload"),
        ]
    )
    monkeypatch.setattr(data, "people_directory", lambda: directory)
    assert people.person_markdown("eve@example.com") == (
        r'[\[Eve\]\(javascript\:alert\(1\)\) \*bold\*](mailto:eve@example.com "eve@example.com")'
    )
    assert people.person_markdown("o'brien@example.com") == (
        "[Dana O'Brien](mailto:o%27brien@example.com \"o'brien@example.com\")"
    )
    assert people.person_markdown("nobody@example.com") == r"nobody@example\.com"
    assert people.person_markdown("") == people.name_of("") == ""
    assert people.name_of("EVE@example.com") == "[Eve](javascript:alert(1)) *bold*"
