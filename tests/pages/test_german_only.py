"""Every page in German, as an admin sees it over demo-like data, shows no English.

The text an AppTest exposes (Markdown, captions, titles, metrics, widget labels, options and
placeholders, table headers and cells, expanders, tabs, chart texts) is collected per page and
checked for (a) any English catalog text that German words differently, (b) Streamlit's own
English words, (c) raw enum keys. What users typed is German or neutral in the test data, so
whatever English is found comes from the interface.
"""

from __future__ import annotations

import json
import math
import re
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from portal import clock
from portal.domain.feedback import FeedbackDraft
from portal.domain.risk import AssessmentDraft, Governance
from portal.domain.value import months_between, period_months
from portal.runtime import close_runtime, open_runtime
from portal.services.audit import AuditFilter, audit_csv
from portal.services.identity import LOCAL_USER
from portal.store import open_store
from portal.text.i18n import catalog, translate
from portal.ui import audit_sections, data
from portal.ui.navigation import AUDIT, DRIFT, INVENTORY, MODEL_CARD, PAGES, RISK, PortalPage
from tests.conftest import load_settings_for, sync_fake
from tests.support.apptest import open_app
from tests.support.builders import ADMIN, OWNER, observe, promise
from tests.support.catalog_fixture import FULL_TAGS, T0, base_registry, move_alias
from tests.support.drift_fixtures import fill_drift_results

CHURN = "customer-churn"

# What model teams typed into MLflow, in German: it is data, not interface.
GERMAN_TAGS = FULL_TAGS | {
    "purpose": "Sagt voraus, welche Kundinnen und Kunden bald kündigen.",
    "business_process": "Kundenbindung",
    "business_unit": "Privatkunden",
    "team": "Analyse Kundenbindung",
    "intended_use": "Reihenfolge der Rückrufe im Kundenservice.",
    "limitations": "Nicht für Preisentscheidungen.",
}
GERMAN_TEXT = {
    "Values houses.": "Bewertet Häuser.",
    "Mortgage valuation": "Immobilienbewertung",
    "Customer retention": "Kundenbindung",
    "Business": "Geschäftskunden",
    "Not for customers under 18.": "Nicht für Kundschaft unter 18 Jahren.",
}

# (b) Streamlit's own words, and what the grid draws for a missing value.
STREAMLIT_ENGLISH = ("Choose an option", "Choose options", "No results", "No options to select")
MISSING_WORDS = ("None", "nan", "NaT")
GERMAN_DATE_FORMAT = "DD.MM.YYYY"
# (c) enum keys as stored: they must be shown in words.
RAW_KEYS = (
    "off_track",
    "on_track",
    "high_risk",
    "advisory",
    "automated",
    "real_time",
    "wrong_predictions",
    "knowledge_loss",
    "in_progress",
    "wont_fix",
    "wrong_prediction",
    "not_monitored",
    "medium",  # a criticality tag, shown in words
)


def german_registry():
    """The base registry with the tags a German model team would write."""
    source = base_registry()

    def german(tags: dict[str, str]) -> dict[str, str]:
        return {key: GERMAN_TEXT.get(value, value) for key, value in tags.items()}

    models = tuple(
        replace(
            m,
            tags=GERMAN_TAGS if m.name == CHURN else german(m.tags),
            description="Abwanderungsmodell" if m.description else "",
        )
        for m in source.snapshot.models
    )
    versions = tuple(replace(v, tags=german(v.tags)) for v in source.snapshot.versions)
    source.snapshot = replace(source.snapshot, models=models, versions=versions)
    return source


@pytest.fixture(scope="module")
def german_portal(tmp_path_factory):
    """A portal with German data: production history, promises and KPIs, drift results, risk
    assessments and accountability, feedback with an answer, and the audit entries of it all;
    built once for the module, signed in as an admin."""
    import streamlit as st

    folder = tmp_path_factory.mktemp("german")
    settings = load_settings_for(folder / "portal.duckdb", f"sqlite:///{folder / 'mlflow.db'}")
    store = open_store(settings.store_path)
    source = german_registry()
    move_alias(source, CHURN, "champion", 1)
    sync_fake(store, source, T0 + timedelta(days=20))
    move_alias(source, CHURN, "champion", 2)
    sync_fake(store, source, T0 + timedelta(days=40))
    fill_drift_results(store, settings)
    store.close()
    close_runtime()
    st.cache_data.clear()
    st.cache_resource.clear()
    open_runtime(settings, schedule=False)
    # As the signed_in fixture does (the router's gate holds its own reference).
    patch = pytest.MonkeyPatch()
    patch.setattr("portal.ui.signin.current_identity", lambda: ADMIN)
    patch.setattr("portal.ui.session.current_identity", lambda: ADMIN)

    first, last = period_months("quarter", clock.today(), None)
    months = months_between(first, last)
    value = data.value_service()
    value.set_benchmark(
        ADMIN,
        CHURN,
        promise(kpi="gehaltene Kunden", unit="Kunden", rationale="Pilot", valid_from=months[0]),
    )
    observe(
        value.store,
        [
            (CHURN, "gehaltene Kunden", months[0], "", 312.0),
            (CHURN, "gehaltene Kunden", months[2], "", 350.5),
        ],
    )
    risk = data.risk_service()
    today = clock.today()
    risk.assess(
        ADMIN,
        CHURN,
        AssessmentDraft("decay", 4, 4, "Monatlich neu trainieren.", today + timedelta(30)),
    )
    risk.assess(
        ADMIN,
        "house-prices",
        AssessmentDraft("outage", 2, 3, "Ersatzregeln.", today - timedelta(5)),
        now=clock.utc_now() - timedelta(days=200),  # its review is overdue
    )
    risk.set_governance(
        ADMIN, CHURN, Governance(OWNER.email, OWNER.email, "real_time", "high", "Rückruf prüft.")
    )
    risk.name_expert(ADMIN, CHURN, "erika@example.com")
    feedback = data.feedback_service()
    draft = FeedbackDraft(
        "wrong_prediction", "high", "K-17", "kündigt", "bleibt", "Kunde hat verlängert.", True
    )
    sent = feedback.submit(ADMIN, CHURN, draft, "german-only-1")
    # Without sign-in everything is written by the local user, whose name is shown translated.
    local = replace(draft, kind="data_quality", description="Alter fehlt.", show_name=True)
    feedback.submit(LOCAL_USER, "house-prices", local, "german-only-2")
    risk.assess(
        LOCAL_USER,
        "house-prices",
        AssessmentDraft(
            "knowledge_loss", 1, 2, "Zweite Person eingearbeitet.", today + timedelta(9)
        ),
    )
    feedback.triage(ADMIN, sent.feedback_id, "in_progress", "Wir prüfen das Merkmal.")
    st.cache_data.clear()
    yield
    patch.undo()
    close_runtime()
    st.cache_data.clear()


# --- what an AppTest exposes --------------------------------------------------------------------

_TEXT_FIELDS = {
    "body",
    "label",
    "placeholder",
    "help",
    "options",
    "value",
    "delta",
    "text",
    "title",
    "caption",
    "display_value",
}
_CHART_KEYS = {"name", "text", "hovertext", "ticktext", "hovertemplate", "title", "label"}


def shown_texts(app: AppTest) -> list[tuple[str, str]]:
    """(where, text) for every text the page shows, in the order of the page."""
    found: list[tuple[str, str]] = []
    for node in app._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", type(node).__name__)
        if kind in ("arrow_data_frame", "arrow_table", "dataframe", "table"):
            found += [(kind, text) for text in table_texts(node)]
            continue
        if kind in ("plotly_chart",):
            found += [(kind, text) for text in chart_texts(proto.spec)]
            continue
        found += [(kind, text) for text in proto_texts(proto)]
        found += [(kind, text) for text in browser_defaults(kind, proto)]
    return found


def browser_defaults(kind: str, proto) -> list[str]:
    """What the browser fills in where the page gave nothing: Streamlit's placeholders and
    the date format."""
    if kind == "selectbox" and not proto.placeholder:
        return ["Choose an option" if proto.options else "No options to select"]
    if kind == "multiselect" and not proto.placeholder:
        return ["Choose options" if proto.options else "No options to select"]
    if kind == "date_input":
        return [f"date format {proto.format}"]
    return []


def _repeated(field) -> bool:
    flag = getattr(field, "is_repeated", None)
    return flag if flag is not None else field.label == field.LABEL_REPEATED


def proto_texts(message) -> list[str]:
    texts: list[str] = []
    for field, value in message.ListFields():
        if field.type == field.TYPE_MESSAGE:
            items = value if _repeated(field) else [value]
            for item in items:
                texts += proto_texts(item)
        elif field.type == field.TYPE_STRING and field.name in _TEXT_FIELDS:
            items = value if _repeated(field) else [value]
            texts += [str(item) for item in items if str(item).strip()]
    return texts


def table_texts(node) -> list[str]:
    """Headers as shown (a configured label instead of the column's name) and text cells;
    a missing value as the word the grid draws for it."""
    frame = node.value
    columns = json.loads(getattr(node.proto, "columns", "") or "{}")
    texts = [str(label) for label in frame.index if isinstance(label, str)]
    for column in frame.columns:
        config = columns.get(str(column)) or {}
        if config.get("hidden"):
            continue
        texts.append(str(config.get("label") or column))
        texts += [str(config["help"])] if config.get("help") else []
        for cell in frame[column]:
            if cell is None or (isinstance(cell, float) and math.isnan(cell)):
                texts.append("None")
            elif type(cell).__name__ in {"NaTType", "NAType"}:
                texts.append("NaT")
            elif isinstance(cell, str):
                texts.append(cell)
    return texts


def chart_texts(spec: str) -> list[str]:
    texts: list[str] = []

    def walk(item, key: str | None = None) -> None:
        if isinstance(item, dict):
            for k, v in item.items():
                walk(v, k)
        elif isinstance(item, list):
            for v in item:
                walk(v, key)
        elif isinstance(item, str) and key in _CHART_KEYS:
            texts.append(item)

    figure = json.loads(spec)
    walk(figure)
    layout = figure.get("layout", {})
    # Plotly writes numbers with a decimal point and dates with English month names
    # unless the figure says otherwise.
    axes = {name: axis for name, axis in layout.items() if name[1:5] == "axis"}
    numbered = [a for a in axes.values() if a.get("visible", True) and "ticktext" not in a]
    if numbered and layout.get("separators") != ",.":
        texts.append("separators of English numbers")
    for name, axis in axes.items():
        formats = axis.get("tickformat", "%b") + axis.get("hoverformat", "%b")
        if axis.get("type") == "date" and "ticktext" not in axis and "%b" in formats:
            texts.append(f"English month names on {name}")
    return texts


# --- what counts as English --------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def english_phrases() -> list[tuple[str, str]]:
    """(key, phrase) for every English catalog text German words differently, cut at its
    placeholders; only phrases of two words or more (single words are often the same)."""
    english, german = catalog("en"), catalog("de")
    phrases = []
    for key, text in english.items():
        if german.get(key) == text:
            continue
        for part in _PLACEHOLDER.split(text):
            part = part.strip(" .,:;()–-")
            if len(part.split()) >= 2:
                phrases.append((key, part))
    return phrases


def english_in(texts: list[tuple[str, str]]) -> list[str]:
    """Every English finding, as 'where: what (in "text")'."""
    phrases = english_phrases()
    problems = []
    for where, text in texts:
        plain = text.replace("\\", "").replace("\u2060", "")
        for key, phrase in phrases:
            if phrase in plain:
                problems.append(f"{where}: catalog {key} {phrase!r} in {plain[:120]!r}")
        if plain.startswith(("separators ", "English month names")):
            problems.append(f"{where}: {plain}")
        if plain.startswith("date format ") and plain != f"date format {GERMAN_DATE_FORMAT}":
            problems.append(f"{where}: {plain}, not {GERMAN_DATE_FORMAT}")
        for words in STREAMLIT_ENGLISH:
            if words in plain:
                problems.append(f"{where}: Streamlit's {words!r} in {plain[:120]!r}")
        for word in (*MISSING_WORDS, *RAW_KEYS):
            if re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", plain):
                problems.append(f"{where}: {word!r} in {plain[:120]!r}")
    return sorted(set(problems))


@contextmanager
def patch_language(language: str):
    """The session language outside a script run, for helpers that translate."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("portal.ui.audit_sections.t", lambda key, **v: translate(language, key, **v))
        yield


# --- the pages ---------------------------------------------------------------------------------

DRILL_DOWNS: list[tuple[PortalPage, dict[str, str]]] = [
    *[(page, {}) for page in PAGES],
    (MODEL_CARD, {"model": CHURN}),
    (MODEL_CARD, {"model": "bare model"}),
    (DRIFT, {"model": CHURN}),
    (RISK, {"model": CHURN}),
    (RISK, {"model": "house-prices"}),
    (MODEL_CARD, {"model": "house-prices"}),
]


@pytest.mark.parametrize(
    ("page", "query"),
    DRILL_DOWNS,
    ids=[
        f"{page.url_path or 'overview'}-{'-'.join(query.values())}" for page, query in DRILL_DOWNS
    ],
)
def test_the_page_in_german_shows_no_english(german_portal, page, query):
    app = open_app(page, "de", **query)
    assert not app.exception, app.exception
    texts = shown_texts(app)
    assert len(texts) > 5, texts  # the page was drawn, not stopped at a gate
    assert english_in(texts) == []


def test_the_collector_finds_english(german_portal):
    # The check itself: the English interface of the same page fails it.
    app = open_app(MODEL_CARD, "en", model=CHURN)
    problems = english_in(shown_texts(app))
    assert any("catalog card." in problem for problem in problems), problems[:5]


def test_gaps_and_dates_in_tables_read_as_german(german_portal):
    app = open_app(INVENTORY, "de")
    table = app.dataframe[0].value.set_index("name")
    # Not in production: no date, a dash; in production: the date as Germans write it.
    assert table.loc["bare model", "since"] == "–"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d UTC", table.loc[CHURN, "since"])


def test_audit_entries_read_as_labelled_fields_and_the_export_stays_raw(german_portal):
    app = open_app(AUDIT, "de")
    table = app.dataframe[0].value
    answered = table[table["action"] == "Rückmeldung beantwortet"].iloc[0]
    assert answered["before"] == "Beantwortet von: – · Antwort: – · Status: neu"
    # The person by name where the directory knows it (the e-mail address otherwise).
    assert re.fullmatch(
        r"Beantwortet von: (Ada Admin|ada@example\.com) · Antwort: Wir prüfen das Merkmal\."
        r" · Status: in Bearbeitung",
        answered["after"],
    )
    local = table[table["action"] == "Rückmeldung gesendet"]
    assert "Lokale Nutzerin / lokaler Nutzer" in set(local["person"])
    entries = data.audit_service().entries(ADMIN, AuditFilter(action="feedback.triaged"))
    with patch_language("de"):
        exported = audit_csv(entries, audit_sections.csv_headers())
    header, first = exported.splitlines()[:2]
    assert header == "nummer,zeitpunkt_utc,person,name,aktion,art,eintrag,modell,vorher,nachher"
    assert "feedback.triaged" in first and '""status"": ""in_progress""' in first
