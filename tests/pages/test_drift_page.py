"""The drift page, its drill-down, and drift on the overview, card and data status page."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from portal import runtime as runtime_module
from portal.scheduler import JobRequest, Scheduler
from portal.services.audit import AuditFilter
from portal.services.identity import LOCAL_USER
from portal.store.database import Store
from portal.ui import data
from portal.ui.navigation import DATA_STATUS, DRIFT, MODEL_CARD
from tests.pages.test_pages import open_page, texts
from tests.support.builders import VIEWER
from tests.support.drift_store import drift_template, filled_store  # noqa: F401 (fixtures)

CHURN_SENTENCE = (
    "1 of 3 inputs changed noticeably in the last 7 days, most of all 'monthly_charges'."
)


@pytest.fixture
def recorded_checks(app_runtime) -> Iterator[tuple[Scheduler, list[JobRequest]]]:
    """The runtime's drift scheduler replaced by a real one whose job records each request and
    then stays busy until the test ends, so a later request has to wait."""
    requests: list[JobRequest] = []
    started, release = threading.Event(), threading.Event()

    def record(request: JobRequest) -> None:
        requests.append(request)
        started.set()
        release.wait(30)

    scheduler = Scheduler(record, 0, name="drift")
    scheduler.started = started  # type: ignore[attr-defined]
    runtime_module._runtime = replace(app_runtime, drift_scheduler=scheduler)
    yield scheduler, requests
    release.set()
    scheduler.stop()


def tiles(app) -> dict[str, str]:
    """Metric values by label (the first of a label), without the colour markup:
    ':red[Drifting]' -> 'Drifting'."""
    shown: dict[str, str] = {}
    for metric in app.metric:
        shown.setdefault(re.sub(r"^:\w+\[(.*)\]$", r"\1", metric.label), metric.value)
    return shown


def plain(app) -> str:
    """The page's texts without Markdown escapes."""
    return texts(app).replace("\\", "")


def test_portfolio_counts_lights_and_sentences(app_runtime):
    app = open_page(DRIFT)
    assert app.title[0].value == "Model health"
    shown = tiles(app)
    assert (shown["Stable"], shown["Watch"], shown["Drifting"], shown["Not monitored"]) == (
        "0",
        "0",
        "1",
        "2",
    )
    assert "No recent data" not in shown and "Check failed" not in shown
    page = plain(app)
    assert CHURN_SENTENCE in page
    # Not monitored, in words: no reference sample (house-prices), no logs (the German model).
    assert "the training run did not save a sample of its training data" in page
    assert "the model's predictions are not logged" in page
    # Every tile says what it means.
    captions = " ".join(caption.value for caption in app.caption)
    assert "At least 30 % of the inputs changed noticeably, or one input changed very" in captions
    # Problems first: the drifting model's row comes before the unmonitored ones.
    names = [
        m.value.replace("\\", "")
        for m in app.markdown
        if m.value.startswith("**") and m.value.endswith("**")
    ]
    assert names == ["**customer-churn**", "**house-prices**", "**Kündigung Geschäftskunden**"]
    assert "**Inputs changed (data drift):** 1 of 3 (33 %)" in page
    assert "**Outputs changed (prediction drift):** yes" in page
    assert "**Past 3 weeks:** Stable (2 wk) → Drifting (1 wk)" in page


def test_drill_down_shows_inputs_distribution_trend_quality_and_report(app_runtime):
    app = open_page(DRIFT, model="customer-churn")
    assert app.title[0].value == "customer\\-churn"  # names are shown literally
    page = plain(app)
    assert CHURN_SENTENCE in page
    # A single input this far past its limit decides the light on its own: the page says so.
    assert "Its drift score is 13 times the limit: a strong change." in page
    assert "compared 1,400 production rows with 2,000 training rows" in page
    table = app.dataframe[0].value
    first = table.iloc[0]
    assert (first["input"], first["changed"], first["state"]) == (
        "monthly_charges",
        "yes",
        "compared",
    )
    assert first["method"] == "Wasserstein distance (normed)"
    assert (first["score"], first["threshold"]) == ("1.31", "0.1")
    assert list(table["changed"]) == ["yes", "no", "no", "yes"]
    assert list(table["input"])[-1] == "prediction (the model's output)"
    # The distribution chart starts with the most changed input.
    assert app.selectbox(key="drift.feature.customer-churn").value == "monthly_charges"
    assert "'monthly_charges' changed noticeably." in page
    app.selectbox(key="drift.feature.customer-churn").set_value("contract").run()
    assert "'contract' did not change noticeably." in plain(app)
    # The histogram, the weekly share of changed inputs and how strongly the most changed ones
    # moved, and one chart per quality measure.
    charts = [chart.key for chart in app.get("plotly_chart")]
    assert charts == [
        "drift.dist.contract",
        "drift.trend_chart",
        "drift.strength_chart",
        "drift.quality.accuracy",
        "drift.quality.f1",
        "drift.quality.roc_auc",
    ]
    quality = app.table[0].value.set_index("Measure")
    assert quality.loc["accuracy", "In production (last 7 days)"] == "75.8 %"
    assert quality.loc["accuracy", "In training"] == "86.0 %"
    assert quality.loc["accuracy", "Verdict"] == "noticeably worse than in training"
    assert quality.loc["f1", "Verdict"] == "training did not record this measure"
    assert tiles(app)["Quality measures worse than in training"] == "2 of 2"
    assert "1,400 of the 1,400 predictions of the last 7 days have a known true outcome." in page
    # The full report: a download, and embedded only when asked for.
    assert [b.label for b in app.get("download_button")] == ["Download the report (HTML)"]
    assert not app.get("iframe")
    app.toggle(key=f"drift.report_show.{_check_id(app_runtime)}").set_value(True).run()
    assert not app.exception
    [frame] = app.get("iframe")
    assert len(frame.proto.srcdoc) > 1_000_000


def test_a_report_file_that_is_gone_is_not_offered_as_an_empty_download(app_runtime):
    for report in app_runtime.settings.drift_reports_dir.iterdir():
        report.unlink()
    app = open_page(DRIFT, model="customer-churn")
    assert not app.get("download_button")
    assert "The report file is no longer available; each new check replaces it." in plain(app)


def _check_id(runtime) -> int:
    from portal.services.drift import DriftService

    return DriftService(runtime).model("customer-churn").summary.check_id


def test_drill_down_of_an_unmonitored_model_says_why(app_runtime):
    app = open_page(DRIFT, model="house-prices")
    page = plain(app)
    assert "Not monitored: the training run did not save a sample" in page
    assert "save a sample of the training data with the training run" in page
    # The detail behind the reason is on the Data status page, linked for the admin.
    links = [link.proto.label for link in app.get("page_link")]
    assert "Technical detail (folder or error message) on the Data status page" in links
    assert "`reference`" not in page
    # Nothing was compared: no table, no empty trend or quality sections.
    assert not app.dataframe
    assert [s.value for s in app.subheader] == []


def test_unknown_model_and_viewer_sees_no_paths(signed_in):
    signed_in(VIEWER)
    app = open_page(DRIFT, model="<b>nope</b>")
    assert "No drift check is stored for a model named '<b>nope</b>'." in plain(app)
    app = open_page(DRIFT, model="Kündigung Geschäftskunden")
    assert "the model's predictions are not logged" in plain(app)
    assert "store the model's predictions together with their inputs" in plain(app)
    assert "Technical detail" not in str([link.proto.label for link in app.get("page_link")])
    assert str(data.drift_service().runtime.settings.inference_dir) not in plain(app)


def test_drift_page_in_german(app_runtime):
    app = open_page(DRIFT, language="de")
    assert app.title[0].value == "Modellzustand"
    shown = tiles(app)
    assert (shown["Drift"], shown["Nicht überwacht"], shown["Stabil"]) == ("1", "2", "0")
    assert (
        "1 von 3 Eingangsgrößen haben sich in den letzten 7 Tagen deutlich verändert, "
        "am stärksten 'monthly_charges'."
    ) in plain(app)
    app = open_page(DRIFT, language="de", model="customer-churn")
    assert list(app.dataframe[0].value["changed"])[:2] == ["ja", "nein"]
    assert "1.400 Zeilen aus dem Einsatz mit 2.000 Trainingszeilen verglichen" in plain(app)
    quality = app.table[0].value.set_index("Kennzahl")
    assert quality.loc["accuracy", "Bewertung"] == "deutlich schlechter als im Training"
    assert quality.loc["accuracy", "Im Einsatz (letzte 7 Tage)"] == "75,8 %"


def test_overview_tiles_and_card_health(app_runtime):
    app = open_page()
    shown = tiles(app)
    assert (shown["Stable"], shown["Watch"], shown["Drifting"], shown["Not monitored"]) == (
        "0",
        "0",
        "1",
        "2",
    )
    assert "Is it still healthy?" in [s.value for s in app.subheader]
    card = open_page(MODEL_CARD, model="customer-churn")
    assert "Is it still healthy?" in [s.value for s in card.subheader]
    page = plain(card)
    assert CHURN_SENTENCE in page
    assert "Last checked" in page and "(2 Mar 2026 06:00 UTC)" in page
    bare = open_page(MODEL_CARD, model="bare model")
    assert "Only models in production are checked for drift." in plain(bare)


def test_data_status_drift_section_queues_a_check(recorded_checks):
    scheduler, requests = recorded_checks
    app = open_page(DATA_STATUS)
    assert "Drift checks" in [s.value for s in app.subheader]
    models = app.dataframe[1].value
    assert list(models["model"]) == [
        "customer-churn",
        "house-prices",
        "Kündigung Geschäftskunden",
    ]
    assert list(models["outcome"]) == ["Drifting", "Not monitored", "Not monitored"]
    assert models.iloc[1]["detail"] == "reference"
    # The folder the template's check looked in, shown in full to admins only.
    assert models.iloc[2]["detail"].endswith("/inference/Kündigung Geschäftskunden")
    jobs = app.dataframe[2].value
    assert list(jobs["outcome"]) == ["succeeded"]
    assert list(jobs["checked"]) == [3]
    assert list(jobs["trigger"]) == ["command line"]

    app.selectbox(key="status.drift_scope").set_value("customer-churn").run()
    app.button(key="status.drift_now").click().run()
    assert "Drift check started." in texts(app)
    assert scheduler.started.wait(10)
    assert requests == [JobRequest("manual", LOCAL_USER.label, "customer-churn")]
    assert scheduler.is_busy

    # While that check runs, one more may wait; a third request is refused with a message.
    app.selectbox(key="status.drift_scope").set_value(None).run()
    app.button(key="status.drift_now").click().run()
    assert "Drift check started." in texts(app)
    app.button(key="status.drift_now").click().run()
    assert "A drift check is already waiting to run, so yours was not added." in texts(app)
    app.run()
    assert "A drift check is running or waiting to run." in texts(app)
    assert len(requests) == 1
    audit = data.audit_service().entries(LOCAL_USER, AuditFilter(action="drift.requested"))
    assert [entry.entity_id for entry in audit] == ["*", "customer-churn"]


def test_non_admins_see_no_data_status(signed_in):
    signed_in(VIEWER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(DATA_STATUS)
    app = open_page(DRIFT)
    assert tiles(app)["Drifting"] == "1"


@pytest.fixture
def older_check(filled_store: Store) -> None:  # noqa: F811 (the imported fixture)
    """The churn model's newest check was of version 1; version 2 is in production."""
    with filled_store.transaction() as tx:
        tx.execute("UPDATE drift_checks SET model_version = 1 WHERE model_name = 'customer-churn'")


def test_card_says_when_the_check_is_of_an_earlier_version(older_check, app_runtime):
    card = open_page(MODEL_CARD, model="customer-churn")
    assert (
        "This check was of version 1; version 2 is in production now and has not been checked"
        in texts(card)
    )


def test_drill_down_says_which_executor_ran_the_check_and_when_it_was_confirmed(app_runtime):
    app = open_page(DRIFT, model="customer-churn")
    header = app.caption[0].value
    assert "ran in the portal server" in header and "confirmed" not in header
    check_id = _check_id(app_runtime)
    with app_runtime.store.transaction() as tx:
        tx.execute(
            "UPDATE drift_checks SET executor = 'ray', confirmed_at = checked_at + INTERVAL 6 HOUR"
            " WHERE id = $id",
            {"id": check_id},
        )
        tx.bump_data_version()
    app = open_page(DRIFT, model="customer-churn")
    header = app.caption[0].value
    assert "ran on the Ray cluster" in header
    assert "logs unchanged since, confirmed 2 Mar 2026" in header
    german = open_page(DRIFT, "de", model="customer-churn")
    assert "auf dem Ray-Cluster gerechnet" in german.caption[0].value
