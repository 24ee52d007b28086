"""Fixtures shared by the page tests."""

from __future__ import annotations

import pytest

from portal.services.identity import Identity


@pytest.fixture
def signed_in(monkeypatch, app_runtime):
    """Sign in as a given person for the following AppTest runs."""

    def as_person(identity: Identity) -> None:
        # The router's gate holds its own reference: patch it before the function it copied.
        monkeypatch.setattr("portal.ui.signin.current_identity", lambda: identity)
        monkeypatch.setattr("portal.ui.session.current_identity", lambda: identity)

    return as_person
