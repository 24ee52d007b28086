"""The audit list, fifty entries to a page: 'showing 1–50 of N', the next page, filters."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from portal.runtime import current_runtime
from portal.services.audit import AuditFilter, write_audit
from portal.services.identity import LOCAL_USER
from portal.text.format import format_number
from portal.ui import data
from portal.ui.navigation import AUDIT
from tests.pages.test_pages import open_page, texts
from tests.support.builders import ADMIN

ADDED = 120
NEWEST = datetime(2030, 1, 1, 9, 0)


@pytest.fixture
def long_log(signed_in):
    """120 entries newer than anything else in the log: entity e119 is the newest."""
    signed_in(LOCAL_USER)
    with current_runtime().store.transaction() as tx:
        for n in range(ADDED):
            write_audit(
                tx,
                ADMIN,
                "feedback.triaged",
                ("feedback", f"e{n:03d}"),
                NEWEST - timedelta(minutes=9 * (ADDED - n)),  # from 2029-12-31 21:00
                after={"status": "in_progress"},
            )
    return data.audit_service().page(LOCAL_USER, AuditFilter()).total


def page_choice(app, label: str):
    [choice] = [box for box in app.selectbox if box.label == label]
    return choice


@pytest.mark.parametrize(
    ("language", "first_page", "second_page", "page_label", "filtered"),
    [
        ("en", "Showing 1–50 of {total} entries", "Showing 51–100 of {total}", "Page",
         "Showing 1–50 of 120 entries"),
        ("de", "1–50 von {total} Einträgen", "51–100 von {total}", "Seite",
         "1–50 von 120 Einträgen"),
    ],
)  # fmt: skip
def test_the_audit_list_is_paged(long_log, language, first_page, second_page, page_label, filtered):
    total = format_number(language, long_log)
    app = open_page(AUDIT, language)
    assert first_page.format(total=total) in texts(app)
    shown = list(app.dataframe[0].value["entity"])
    assert shown == [f"e{n:03d}" for n in range(119, 69, -1)]

    page_choice(app, page_label).set_value(2).run()
    assert not app.exception, app.exception
    assert second_page.format(total=total) in texts(app)
    assert list(app.dataframe[0].value["entity"]) == [f"e{n:03d}" for n in range(69, 19, -1)]

    # Another filter starts at its first page again.
    app.selectbox(key="audit.action").set_value("feedback.triaged").run()
    assert not app.exception, app.exception
    assert filtered in texts(app)
    assert list(app.dataframe[0].value["entity"]) == [f"e{n:03d}" for n in range(119, 69, -1)]


def test_the_last_page_shows_the_rest(long_log):
    app = open_page(AUDIT)
    app.selectbox(key="audit.action").set_value("feedback.triaged").run()
    app.date_input(key="audit.days").set_value((NEWEST.date(), NEWEST.date())).run()
    # Only the entries of 2030-01-01 (from midnight): e060 to e119, pages of 50 and 10.
    assert "Showing 1–50 of 60 entries" in texts(app)
    page_choice(app, "Page").set_value(2).run()
    assert "Showing 51–60 of 60 entries" in texts(app)
    assert len(app.dataframe[0].value) == 10
