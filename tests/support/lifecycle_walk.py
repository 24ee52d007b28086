"""The lifecycle walk's cast, its small MLflow registry, and screenshots of each step in English
and German (tests/browser/test_lifecycle_walk.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from playwright.sync_api import expect

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
MAIN = '[data-testid="stMain"]'
WIDTH = 1400
WAIT_MS = 60_000

MODEL = "retention-scorer"
OWNER_TAG = "anna.schmidt@example.com"
ROC_AUC = 0.8612
ACCURACY = 0.8347


@dataclass(frozen=True)
class Person:
    """Someone in the walk: how the proxy names them and the language they use the portal in."""

    email: str
    name: str
    language: str = "en"

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Forwarded-Email": self.email, "X-Forwarded-Preferred-Username": self.name}


@dataclass(frozen=True)
class WalkRegistry:
    """Where the walk's MLflow store is, and the run behind its one version."""

    tracking_uri: str
    run_id: str


def build_walk_registry(root: Path) -> WalkRegistry:
    """One model owned by Anna with one registered version whose run logged roc_auc and
    accuracy; no alias yet (it goes to production during the walk)."""
    from mlflow import MlflowClient
    from mlflow.entities import Metric

    tracking_uri = f"sqlite:///{root / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    experiment = client.create_experiment(
        "retention", artifact_location=(root / "artifacts").as_uri()
    )
    run = client.create_run(
        experiment, run_name="retention-train-1", tags={"mlflow.user": "anna.schmidt"}
    )
    run_id = run.info.run_id
    at = run.info.start_time
    client.log_batch(
        run_id, metrics=[Metric("roc_auc", ROC_AUC, at, 0), Metric("accuracy", ACCURACY, at, 0)]
    )
    client.log_param(run_id, "max_depth", "5")
    client.log_text(run_id, "tiny model\n", "model/MLmodel")
    client.set_terminated(run_id, status="FINISHED")
    client.create_registered_model(
        MODEL,
        tags={
            "owner": OWNER_TAG,
            "team": "Customer Analytics",
            "purpose": "Rank customers by their risk of cancelling within 90 days",
            "data_sources": "crm_contracts,billing_history",
            "criticality": "high",
        },
        description="Churn risk score for retention calls",
    )
    client.create_model_version(MODEL, source=f"runs:/{run_id}/model", run_id=run_id)
    return WalkRegistry(tracking_uri, run_id)


def go_live_in_mlflow(registry: WalkRegistry) -> None:
    """What a deployment does: MLflow, not the portal, moves the alias."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=registry.tracking_uri, registry_uri=registry.tracking_uri)
    client.set_registered_model_alias(MODEL, "champion", "1")


def with_language(url: str, language: str) -> str:
    """The address with lang=<language> (replacing one already there)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"] + [("lang", language)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def settle(tab) -> None:
    """The script run has finished and every placeholder is drawn (generous for `make test`)."""
    expect(tab.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=WAIT_MS)
    expect(tab.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=WAIT_MS)


def assert_clean(tab) -> None:
    """No exception and no error alert on the page."""
    settle(tab)
    errors = tab.locator(ERRORS)
    assert errors.count() == 0, errors.all_inner_texts()


class Walk:
    """The browser tabs of the walk's people, and the two screenshots after each step."""

    def __init__(self, browser, portal: str, shoot) -> None:
        self.browser = browser
        self.portal = portal
        self.shoot = shoot  # the conftest's screenshot(page, name)
        self.shots: list[Path] = []
        self._contexts: list = []

    def tab(self, person: Person, language: str | None = None):
        """A tab of its own (own cookies) for the person, in their language unless given."""
        language = language or person.language
        context = self.browser.new_context(
            viewport={"width": WIDTH, "height": 1000},
            extra_http_headers=person.headers,
            locale="de-DE" if language == "de" else "en-US",
        )
        self._contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(WAIT_MS)
        return tab

    def open(self, tab, path: str, language: str) -> None:
        """Go to a portal address in the given language and wait for the page."""
        tab.goto(with_language(f"{self.portal}{path}", language))
        # Every page has a title: until it shows, the script run may not even have started.
        tab.locator(f"{MAIN} h1").first.wait_for(timeout=WAIT_MS)
        settle(tab)

    def step(self, number: int, name: str, tab, person: Person) -> None:
        """Screenshot the page in the acting tab and the same page in the other language (same
        identity); then reopen the acting tab, so the person's own language is the one the
        portal records (notifications are written in it)."""
        assert_clean(tab)
        own = person.language
        other = "de" if own == "en" else "en"
        self._full_page(tab)
        self.shots.append(self.shoot(tab, f"walk-{number:02d}-{name}-{own}"))
        second = self.tab(person, other)
        try:
            self.open(second, _path(tab.url), other)
            assert_clean(second)
            self._full_page(second)
            self.shots.append(self.shoot(second, f"walk-{number:02d}-{name}-{other}"))
        finally:
            second.context.close()
            self._contexts.remove(second.context)
        tab.set_viewport_size({"width": WIDTH, "height": 1000})
        self.open(tab, _path(tab.url), own)

    def close(self) -> None:
        for context in self._contexts:
            context.close()
        self._contexts.clear()

    @staticmethod
    def _full_page(tab) -> None:
        """Streamlit scrolls inside its main block: make the window as tall as that block."""
        settle(tab)
        height, before = 0, -1
        while height != before:  # sections still being drawn make it grow
            before = height
            tab.wait_for_timeout(400)
            height = int(tab.evaluate(f"document.querySelector('{MAIN}').scrollHeight"))
        tab.set_viewport_size({"width": WIDTH, "height": max(1000, height)})
        tab.wait_for_timeout(300)
        settle(tab)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


@contextmanager
def walking(browser, portal: str, shoot) -> Iterator[Walk]:
    """A walk whose tabs are closed afterwards."""
    walk = Walk(browser, portal, shoot)
    try:
        yield walk
    finally:
        walk.close()
