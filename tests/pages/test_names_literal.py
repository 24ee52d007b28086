"""Names, tags, people and feedback with Markdown, HTML and LaTeX syntax, shown literally on
every page; bidirectional controls made visible; length limits known to the browser."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import (
    AlertBase,
    Block,
    HeadingBase,
    Markdown,
    Metric,
    PageLink,
    Radio,
    Table,
    Text,
    Widget,
)

from portal.domain.feedback import LIMITS, FeedbackDraft
from portal.domain.risk import AssessmentDraft
from portal.sources.mlflow_records import RegistrySnapshot, SourceDataset, SourceModel
from portal.store.database import Store
from portal.text.format import BIDI_CONTROLS, markdown_literal
from portal.ui import data
from portal.ui.navigation import (
    AUDIT,
    DATA_STATUS,
    DRIFT,
    FEEDBACK,
    INVENTORY,
    LINEAGE,
    MODEL_CARD,
    OVERVIEW,
    OWNERSHIP,
    RISK,
    VALUE,
    PortalPage,
)
from tests.conftest import sync_fake
from tests.pages.test_feedback_pages import field, send
from tests.pages.test_pages import open_page
from tests.support.builders import ADMIN, EXPERT, OWNER, person, promise
from tests.support.catalog_fixture import T0, FakeSource, run, version

DROP = "x'; DROP TABLE runs; --"
HOSTILE = (
    "**bold**",
    "_x_",
    "$x$",
    "<b>x</b>",
    "[link](http://e.com)",
    ":red[x]",
    "# h",
    "`tick`",
    DROP,
    ":smile:",
    "report \u202eexe.live",
)
RLO_REPORT = "Attachment \u202eexe.live was flagged, yet the model said it is safe."


def hostile_registry() -> FakeSource:
    """One model per hostile name, in production, every tag and lineage fact hostile too."""
    models, versions, runs = [], [], {}
    for index, name in enumerate(HOSTILE):
        tags = {
            key: name
            for key in (
                "purpose",
                "business_process",
                "business_unit",
                "team",
                "intended_use",
                "limitations",
                "data_sources",
                "criticality",
            )
        }
        # customer-churn's owner owns the DROP model: the owners' forms are on its pages.
        tags["owner"] = OWNER.email if name == DROP else name
        tags["decision_mode"] = "advisory"
        models.append(SourceModel(name, name, T0, T0, tags, {"champion": 1}))
        run_id = f"r{index}"
        versions.append(version(name, 1, run_id))
        runs[run_id] = replace(
            run(run_id, T0, **{name: 0.5, "accuracy": 0.8}),
            experiment_name=name,
            run_name=name,
            user=name,
            code_source=name,
            params={name: name},
            datasets=(SourceDataset(name, "d1", "local", name, "training"),),
        )
    return FakeSource(RegistrySnapshot(tuple(models), tuple(versions)), runs)


@pytest.fixture
def filled_store(store: Store) -> Store:
    """The hostile registry synced (replaces the base registry for this module)."""
    sync_fake(store, hostile_registry(), T0 + timedelta(days=20))
    return store


@pytest.fixture
def governed(app_runtime):
    """The DROP model with a hostile promise, risk assessment and feedback (through services)."""
    data.value_service().set_benchmark(
        OWNER, DROP, promise(kpi=DROP, unit="$x$", rationale="**bold** <b>x</b>")
    )
    data.risk_service().assess(
        OWNER,
        DROP,
        AssessmentDraft("outage", 4, 4, f"{DROP} :smile: [link](http://e.com)", date(2099, 1, 1)),
    )
    draft = FeedbackDraft(
        "wrong_prediction", "high", DROP, "**bold**", "<b>x</b>", f"{RLO_REPORT} :smile:", True
    )
    data.feedback_service().submit(EXPERT, DROP, draft, "hostile-1")
    return app_runtime


# An administrator whose name (from a proxy header or an identity provider) is hostile too.
HOSTILE_ADMIN = person(DROP, "ada@example.com", "admin")


def markdown_strings(app: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown: bodies, labels, options, table cells."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, Block):
            if node.type in ("expander", "tab"):
                found.append(node.label)
            for child in node.children.values():
                walk(child)
            return
        if isinstance(node, Markdown | HeadingBase | AlertBase | PageLink):
            found.append(str(node.value))
        elif isinstance(node, Metric):
            found.append(node.label)
        elif isinstance(node, Table):
            table = node.value
            found.extend(str(cell) for cell in [*table.columns, *table.to_numpy().ravel()])
        elif isinstance(node, Widget):
            found.append(node.label)
            if isinstance(node, Radio):
                found.extend(str(option) for option in node.options)
        help_text = getattr(getattr(node, "proto", None), "help", "")
        if isinstance(help_text, str) and help_text:
            found.append(help_text)

    walk(app._tree)
    return found


CODE_SPAN = re.compile(r"(`+) .*? \1(?!`)")


def raw_markup(app: AppTest) -> list[tuple[str, str]]:
    """(name, string) for each hostile name Markdown would read as markup on the page."""
    hits = []
    for text in markdown_strings(app):
        text = CODE_SPAN.sub("", text)  # a code span shows its text as it is
        for name in HOSTILE:
            if name == "# h":
                if any(line.lstrip().startswith("# h") for line in text.splitlines()):
                    hits.append((name, text))
            elif name in text:
                hits.append((name, text))
        if BIDI_CONTROLS & set(text):
            hits.append(("bidi control", text))
    return hits


PAGES: list[tuple[PortalPage, dict[str, str]]] = [
    (OVERVIEW, {}),
    (INVENTORY, {}),
    *[(MODEL_CARD, {"model": name}) for name in HOSTILE],
    (MODEL_CARD, {"model": "**bold** missing"}),
    (VALUE, {}),
    (DRIFT, {}),
    (DRIFT, {"model": DROP}),
    (RISK, {}),
    (RISK, {"model": DROP}),
    (RISK, {"model": "_x_ missing"}),
    (DRIFT, {"model": "$x$ missing"}),
    (OWNERSHIP, {}),
    (LINEAGE, {}),
    (FEEDBACK, {}),
    (DATA_STATUS, {}),
    (AUDIT, {}),
]


@pytest.mark.parametrize(
    ("page", "query"), PAGES, ids=[f"{p.url_path or 'overview'}-{q}" for p, q in PAGES]
)
def test_no_page_reads_a_name_tag_or_person_as_markup(signed_in, governed, page, query):
    signed_in(HOSTILE_ADMIN)
    app = open_page(page, **query)
    assert raw_markup(app) == []


def test_the_card_title_is_the_name_escaped_for_markdown(signed_in, app_runtime):
    signed_in(ADMIN)
    app = open_page(MODEL_CARD, model=DROP)
    # Escaped, and a word joiner between the dashes: Streamlit would draw ' -- ' as an em dash.
    assert app.title[0].value == markdown_literal(DROP) == "x'; DROP TABLE runs; \\-\u2060\\-"
    shown = [element.value for element in app.markdown]
    assert f"### {markdown_literal(DROP)}" in shown  # the purpose
    assert f"**Training code:** ` {DROP} `" in shown  # a code span shows its text as it is


def test_feedback_with_a_right_to_left_override_is_stored_exactly_and_shown_in_order(
    signed_in, app_runtime
):
    signed_in(EXPERT)
    send(open_page(MODEL_CARD, model=DROP), RLO_REPORT)
    [item] = data.feedback_service().for_model(DROP)
    assert item.description == RLO_REPORT
    signed_in(OWNER)
    app = open_page(FEEDBACK)
    shown = [element.value for element in app.get("text") if isinstance(element, Text)]
    assert "Attachment <U+202E>exe.live was flagged, yet the model said it is safe." in shown
    assert not [text for text in shown if BIDI_CONTROLS & set(text)]
    assert raw_markup(app) == []


def test_tables_show_bidirectional_controls_as_code_points(signed_in, governed):
    signed_in(ADMIN)
    names = list(open_page(INVENTORY).dataframe[0].value["name"])
    assert "report <U+202E>exe.live" in names
    assert not [name for name in names if BIDI_CONTROLS & set(name)]


def test_text_fields_tell_the_browser_their_limits(signed_in, app_runtime):
    signed_in(OWNER)
    app = open_page(MODEL_CARD, model=DROP)
    limits = {area.label: area.max_chars for area in [*app.text_area, *app.text_input]}
    assert limits["Describe what happened"] == LIMITS["description"]
    assert limits["What the model said"] == LIMITS["model_output"]
    assert limits["What you expected"] == LIMITS["expected_output"]
    assert limits["Case reference (e.g. customer or application number)"] == 100
    assert limits["Why this promise? (source, study, assumption)"] == 2000
    app = open_page(RISK, model=DROP)
    mitigation = [area for area in app.text_area if area.label == "Mitigation"]
    assert mitigation and {area.max_chars for area in mitigation} == {2000}
    oversight = next(area for area in app.text_area if area.label == "Human oversight")
    assert oversight.max_chars == 2000
    executive = next(box for box in app.text_input if box.label == "Accountable executive")
    assert executive.max_chars == 200


def test_a_nine_character_chinese_report_is_accepted_and_stored_exactly(signed_in, app_runtime):
    signed_in(EXPERT)
    app = open_page(MODEL_CARD, model=DROP)
    send(app, "中文反馈：预测错误")
    assert not app.error, [e.value for e in app.error]
    [item] = data.feedback_service().for_model(DROP)
    assert item.description == "中文反馈：预测错误"
    assert "中文反馈：预测错误" in [element.value for element in app.text]


def test_punctuation_alone_is_refused_with_a_message(signed_in, app_runtime):
    signed_in(EXPERT)
    app = open_page(MODEL_CARD, model=DROP)
    send(app, "!!!!!!!!!!!!!!")
    assert "Description: please fill this in." in [e.value for e in app.error]
    assert data.feedback_service().for_model(DROP) == []
    assert field(app, "text_area", "Describe what happened").value == "!!!!!!!!!!!!!!"
