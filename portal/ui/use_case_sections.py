"""Use case components: the pipeline, the list, a use case's detail, and the owners' forms."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from portal.domain.use_cases import (
    COMPARISONS,
    KEY_MAX,
    METRIC_KINDS,
    QUESTION_MAX,
    STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    MetricDraft,
    ModelLink,
    Pipeline,
    UseCase,
    UseCaseDraft,
    allowed_moves,
    pipeline_of,
)
from portal.runtime import current_runtime
from portal.services.identity import Identity
from portal.services.use_cases import UseCaseService
from portal.text.format import format_money, format_number, markdown_literal
from portal.ui import data, inputs, navigation, tables, value_sections
from portal.ui.forms import attempt
from portal.ui.people import name_of, people_line
from portal.ui.session import language, t

_SAVED = "use_cases.saved_message"
_VALUE_SAVED = "value.saved_message"  # what value_sections.benchmark_form leaves after a save
_FORM = "use_case_form"


@dataclass(frozen=True)
class Catalog:
    """Everything the use case pages show, read once per data version."""

    use_cases: tuple[UseCase, ...]
    serving: dict[str, tuple[ModelLink, ...]]
    expected: dict[str, float]
    pipeline: Pipeline


def service() -> UseCaseService:
    """The use case service over the process's store."""
    runtime = current_runtime()
    return UseCaseService(runtime.store, runtime.settings)


def catalog() -> Catalog:
    """The use cases, their models, promised money and pipeline (cached per data version)."""
    return _catalog(data.catalog_service().data_version())


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _catalog(data_version: int) -> Catalog:
    read = service()
    cases = read.all()
    serving = read.serving()
    return Catalog(cases, serving, read.expected_values(), pipeline_of(cases, set(serving)))


def find(key: str) -> UseCase | None:
    """A use case by its key, case not minding."""
    wanted = key.strip().casefold()
    return next((u for u in catalog().use_cases if u.key.casefold() == wanted), None)


def status_word(status: str) -> str:
    """A status in the reader's words."""
    return t(f"use_case_status.{status}")


# --- the pipeline on the overview and inventory ----------------------------------------------


def pipeline_section() -> None:
    """How many use cases are in each status (each linking to them), and how many approved
    ones have no model yet."""
    pipeline = catalog().pipeline
    if not pipeline.total:
        return
    st.subheader(t("use_cases.pipeline"), help=t("use_cases.pipeline_help"))
    columns = st.columns(len(pipeline.counts))
    for column, (status, count) in zip(columns, pipeline.counts, strict=True):
        column.page_link(
            navigation.USE_CASES.path,
            label=f"{status_word(status)}: {format_number(language(), count)}",
            query_params={"status": status},
        )
    waiting = len(pipeline.approved_without_model)
    if waiting:
        st.page_link(
            navigation.USE_CASES.path,
            label=t("use_cases.pipeline_no_model", count=waiting),
            icon=":material/pending_actions:",
            query_params={"status": "approved", "no_model": "1"},
        )


def card_line(model_name: str) -> None:
    """The model card's line naming the use case the model serves, linking to it."""
    found = _use_case_of(model_name)
    if found is None:
        st.caption(t("use_cases.card_none"))
        return
    st.page_link(
        navigation.USE_CASES.path,
        label=t("use_cases.card_serves", title=markdown_literal(found.title)),
        icon=":material/lightbulb:",
        query_params={"use_case": found.key},
    )


def _use_case_of(model_name: str) -> UseCase | None:
    known = catalog()
    key = next(
        (
            key
            for key, links in known.serving.items()
            for link in links
            if link.model_name == model_name
        ),
        None,
    )
    return next((u for u in known.use_cases if u.key == key), None) if key else None


# --- the list ------------------------------------------------------------------------------


def pipeline_tiles(pipeline: Pipeline) -> None:
    """One figure per status, each with a line saying what it means."""
    for column, (status, count) in zip(
        st.columns(len(pipeline.counts)), pipeline.counts, strict=True
    ):
        column.metric(status_word(status), count, help=t(f"use_case_status_help.{status}"))


def waiting_for_model(pipeline: Pipeline) -> None:
    """The approved use cases no model serves yet, each linking to its detail."""
    st.subheader(t("use_cases.no_model"), help=t("use_cases.no_model_help"))
    if not pipeline.approved_without_model:
        st.caption(t("use_cases.no_model_none"))
        return
    for case in pipeline.approved_without_model:
        st.page_link(
            navigation.USE_CASES.path,
            label=markdown_literal(case.title),
            icon=":material/pending_actions:",
            query_params={"use_case": case.key},
        )


def table(known: Catalog, currency: str) -> None:
    """Every use case, found by a search and a status filter; a chosen row opens it."""
    search_column, status_column = st.columns([2, 1])
    search = search_column.text_input(t("use_cases.search"), key="use_cases.search")
    words = {status_word(s): s for s in STATUSES}
    asked = st.query_params.get("status")
    statuses = inputs.multiselect(
        status_column,
        t("use_cases.filter_status"),
        list(words),
        default=[status_word(asked)] if asked in STATUSES else None,
        key="use_cases.statuses",
    )
    chosen = {words[word] for word in statuses}
    without_model = st.query_params.get("no_model") == "1"
    needle = search.strip().casefold()
    rows = [
        case
        for case in known.use_cases
        if (not chosen or case.status in chosen)
        and (not without_model or case.key not in known.serving)
        and (not needle or needle in _searchable(case, known))
    ]
    st.caption(t("use_cases.showing", shown=len(rows), total=len(known.use_cases)))
    if not rows:
        st.info(t("use_cases.none_match"))
        return
    picked = tables.dataframe(
        [
            {
                "title": case.title,
                "status": status_word(case.status),
                "process": case.business_process,
                "executive": name_of(case.accountable_executive),
                "owner": name_of(case.business_owner),
                "models": ", ".join(link.model_name for link in known.serving.get(case.key, ())),
                "expected": _whole(known.expected.get(case.key)),
            }
            for case in rows
        ],
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="use_cases.table",
        column_config={
            # Widths in pixels that fit the main column of a 1400-pixel screen.
            "title": st.column_config.TextColumn(t("use_cases.col_title"), width=190),
            "status": st.column_config.TextColumn(t("use_cases.col_status"), width=100),
            "process": st.column_config.TextColumn(t("use_cases.col_process"), width=120),
            "executive": st.column_config.TextColumn(t("use_cases.col_executive"), width=115),
            "owner": st.column_config.TextColumn(t("use_cases.col_owner"), width=110),
            "models": st.column_config.TextColumn(t("use_cases.col_models"), width=140),
            "expected": st.column_config.NumberColumn(
                t("use_cases.col_expected"),
                help=t("use_cases.col_expected_help", currency=currency),
                format="localized",
                width=90,
            ),
        },
    )
    selected = getattr(getattr(picked, "selection", None), "rows", None) or []
    if selected:
        st.query_params["use_case"] = rows[selected[0]].key
        st.rerun()
    st.caption(t("use_cases.pick_hint"))


def _searchable(case: UseCase, known: Catalog) -> str:
    models = " ".join(link.model_name for link in known.serving.get(case.key, ()))
    people = f"{name_of(case.accountable_executive)} {name_of(case.business_owner)}"
    words = (case.key, case.title, case.business_process, case.business_unit, people, models)
    return " ".join(words).casefold()


def _whole(amount: float | None) -> int | None:
    return None if amount is None else round(amount)


# --- the forms -----------------------------------------------------------------------------


def propose_form(actor: Identity) -> None:
    """Experts, owners and admins propose a use case; it then waits for its design approval."""
    st.caption(t("use_case_form.intro"))
    draft = _form("use_case_form.new", None)
    if draft is None:
        return
    done, key = attempt(lambda: service().propose(actor, draft), _FORM)
    if done:
        _forget("use_case_form.new")
        st.session_state[_SAVED] = t("use_case_form.proposed", title=draft.title.strip())
        st.query_params["use_case"] = key
        st.rerun()


def edit_form(case: UseCase, actor: Identity) -> None:
    """The owners change a use case's texts, people and key metrics (its key stays)."""
    prefix = f"use_case_form.{case.key}"
    draft = _form(prefix, case)
    if draft is None:
        return
    done, _ = attempt(lambda: service().edit(actor, case.key, draft), _FORM)
    if done:
        _forget(prefix)
        st.session_state[_SAVED] = t("use_case_form.saved")
        st.rerun()


def _form(prefix: str, case: UseCase | None) -> UseCaseDraft | None:
    """The use case form (empty, or holding a use case); the draft once sent."""
    kinds = {t(f"use_case_kind.{k}"): k for k in METRIC_KINDS}
    comparisons = {t(f"use_case_comparison.{c}"): c for c in COMPARISONS}
    with st.form(prefix, clear_on_submit=False):
        key = (
            st.text_input(
                t("use_case_form.key"),
                max_chars=KEY_MAX,
                help=t("use_case_form.key_help"),
                key=f"{prefix}.key",
            )
            if case is None
            else case.key
        )
        texts = {}
        texts["title"] = st.text_input(
            t("use_case_form.title"),
            value=_value(case, "title"),
            max_chars=TITLE_MAX,
            key=f"{prefix}.title",
        )
        texts["question"] = st.text_area(
            t("use_case_form.question"),
            value=_value(case, "question"),
            max_chars=QUESTION_MAX,
            height=90,
            key=f"{prefix}.question",
        )
        left, right = st.columns(2)
        for column, name in (
            (left, "business_process"),
            (right, "business_unit"),
            (left, "accountable_executive"),
            (right, "business_owner"),
            (left, "users"),
            (right, "regulation"),
            (left, "staff"),
        ):
            texts[name] = column.text_input(
                t(f"use_case_form.{name}"),
                value=_value(case, name),
                max_chars=TEXT_MAX,
                key=f"{prefix}.{name}",
            )
        budget = right.number_input(
            t("use_case_form.budget"),
            help=t("use_case_form.budget_help", currency=data.catalog_service().settings.currency),
            value=case.budget if case else None,
            min_value=0.0,
            format="%g",
            key=f"{prefix}.budget",
        )
        st.markdown(f"**{t('use_case_form.metrics')}**")
        st.caption(t("use_case_form.metrics_help"))
        words = {v: k for k, v in kinds.items()}, {v: k for k, v in comparisons.items()}
        edited = st.data_editor(
            pd.DataFrame(
                [
                    {
                        "metric": m.metric,
                        "kind": words[0][m.kind],
                        "comparison": words[1][m.comparison],
                        "target": m.target,
                        "unit": m.unit,
                    }
                    for m in (case.metrics if case else ())
                ],
                columns=["metric", "kind", "comparison", "target", "unit"],
            ).astype(
                {
                    "metric": "string",
                    "kind": "string",
                    "comparison": "string",
                    "target": "float",
                    "unit": "string",
                }
            ),
            num_rows="dynamic",
            key=f"{prefix}.metrics",
            # The typed columns are not 'required': the editor would drop a row missing one
            # without a word; the service's checks name what is missing instead.
            column_config={
                "metric": st.column_config.TextColumn(t("use_case_form.metric")),
                "kind": st.column_config.SelectboxColumn(
                    t("use_case_form.kind"), options=list(kinds), required=True
                ),
                "comparison": st.column_config.SelectboxColumn(
                    t("use_case_form.comparison"), options=list(comparisons), required=True
                ),
                "target": st.column_config.NumberColumn(t("use_case_form.target")),
                "unit": st.column_config.TextColumn(t("use_case_form.unit")),
            },
            width="stretch",
        )
        sent = st.form_submit_button(
            t("use_case_form.propose" if case is None else "use_case_form.save"), type="primary"
        )
    if not sent:
        return None
    metrics = tuple(
        MetricDraft(
            str(row.get("metric") or ""),
            kinds.get(row.get("kind") or "", ""),
            comparisons.get(row.get("comparison") or "", ""),
            _number(row.get("target")),
            str(row.get("unit") or ""),
        )
        for row in _rows(edited)
        if any(row.get(column) not in (None, "") for column in ("metric", "target", "kind"))
    )
    return UseCaseDraft(key=key, budget=budget, metrics=metrics, **texts)


def _value(case: UseCase | None, name: str) -> str:
    return getattr(case, name) if case else ""


def _rows(edited: pd.DataFrame) -> list[dict]:
    # The editor's gaps arrive as pandas' missing values: shown as None from here on.
    return [
        {name: (None if pd.isna(value) else value) for name, value in row.items()}
        for row in edited.to_dict("records")
    ]


def _number(value) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def _forget(prefix: str) -> None:
    for name in [k for k in st.session_state if str(k).startswith(f"{prefix}.")]:
        del st.session_state[name]


# --- the detail ----------------------------------------------------------------------------


def saved_message() -> None:
    """The note a form left before the page reran."""
    for key in (_SAVED, _VALUE_SAVED):
        saved = st.session_state.pop(key, None)
        if saved:
            st.success(saved, icon=":material/check_circle:")


def header(case: UseCase) -> None:
    """The title, status and question."""
    st.title(markdown_literal(case.title))
    st.markdown(
        f"**{t('use_cases.status')}:** {status_word(case.status)} · "
        f"{t('use_cases.key')}: `{case.key}`"
    )
    st.caption(t(f"use_case_status_help.{case.status}"))
    st.markdown(f"**{t('use_cases.question')}**")
    st.markdown(markdown_literal(case.question))


def requirements(case: UseCase, currency: str) -> None:
    """Who is accountable, who uses it, what rules apply, the budget and staff."""
    missing = t("common.not_documented")
    st.subheader(t("use_cases.people_and_requirements"))
    left, right = st.columns(2)
    left.markdown(people_line(t("use_cases.executive"), (case.accountable_executive,), missing))
    left.markdown(people_line(t("use_cases.business_owner"), (case.business_owner,), missing))
    left.markdown(people_line(t("use_cases.proposed_by"), (case.proposed_by,), missing))
    for label, text in (
        ("use_cases.process", case.business_process),
        ("use_cases.unit", case.business_unit),
    ):
        left.markdown(f"**{t(label)}:** {markdown_literal(text) if text else '_' + missing + '_'}")
    for label, text in (
        ("use_cases.users", case.users),
        ("use_cases.regulation", case.regulation),
        ("use_cases.staff", case.staff),
    ):
        right.markdown(f"**{t(label)}:** {markdown_literal(text) if text else '_' + missing + '_'}")
    budget = format_money(language(), case.budget, currency) if case.budget is not None else None
    right.markdown(f"**{t('use_cases.budget')}:** {budget or '_' + missing + '_'}")


def key_metrics(case: UseCase) -> None:
    """The key metrics with their targets."""
    st.subheader(t("use_cases.metrics"), help=t("use_cases.metrics_help"))
    if not case.metrics:
        st.caption(t("use_cases.metrics_none"))
        return
    lang = language()
    for metric in case.metrics:
        st.markdown(
            "- "
            + markdown_literal(
                t(
                    f"use_case_target.{metric.comparison}",
                    metric=metric.metric,
                    target=format_number(lang, metric.target),
                    unit=f" {metric.unit}" if metric.unit else "",
                    kind=t(f"use_case_kind.{metric.kind}"),
                )
            )
        )


def status_moves(case: UseCase, actor: Identity, may_edit: bool) -> None:
    """The moves the owners may make from the status the use case is in."""
    moves = allowed_moves(case.status)
    if not may_edit or not moves:
        return
    if case.status == "proposed":
        st.caption(t("use_cases.waiting_design"))
    columns = st.columns(len(moves) + 1)
    for column, status in zip(columns, moves, strict=False):
        if column.button(
            t("use_cases.move_to", status=status_word(status)), key=f"use_cases.move.{status}"
        ):
            done, _ = attempt(lambda s=status: service().set_status(actor, case.key, s), _FORM)
            if done:
                st.session_state[_SAVED] = t("use_cases.moved", status=status_word(status))
                st.rerun()


def models(case: UseCase, actor: Identity, may_edit: bool, known: Catalog) -> None:
    """The models serving the use case, how each is linked, and the owners' link form."""
    st.subheader(t("use_cases.models"), help=t("use_cases.models_help"))
    links = known.serving.get(case.key, ())
    if not links:
        st.caption(t("use_cases.models_none"))
    for link in links:
        left, right = st.columns([4, 1])
        left.page_link(
            navigation.MODEL_CARD.path,
            label=t(f"use_cases.linked_{link.via}", model=markdown_literal(link.model_name)),
            icon=":material/description:",
            query_params={"model": link.model_name},
        )
        if (
            may_edit
            and link.via == "portal"
            and right.button(t("use_cases.unlink"), key=f"use_cases.unlink.{link.model_name}")
        ):
            done, _ = attempt(
                lambda m=link.model_name: service().unlink_model(actor, case.key, m), _FORM
            )
            if done:
                st.session_state[_SAVED] = t("use_cases.unlinked", model=link.model_name)
                st.rerun()
    if not may_edit:
        return
    linked = {link.model_name for link in links}
    names = [row.name for row in data.inventory() if row.name not in linked]
    with st.form(f"use_cases.link.{case.key}"):
        chosen = inputs.selectbox(st, t("use_cases.link_model"), names, index=None)
        sent = st.form_submit_button(t("use_cases.link"))
    if sent and chosen is None:
        st.error(t("problem.required", field=t("use_cases.link_model")))
    elif sent:
        done, _ = attempt(lambda: service().link_model(actor, case.key, chosen), _FORM)
        if done:
            st.session_state[_SAVED] = t("use_cases.linked", model=chosen)
            st.rerun()


def expected_value(case: UseCase, actor: Identity, may_edit: bool, known: Catalog) -> None:
    """The design-time promise with its history, the owners' form, and taking it over for a
    linked model that has no benchmark yet."""
    value = data.value_service()
    currency = value.settings.currency
    st.subheader(t("use_cases.value"), help=t("use_cases.value_help"))
    history = service().benchmark_history(case.key)
    expected = known.expected.get(case.key)
    if expected is not None:
        st.metric(
            t("use_cases.expected"),
            format_money(language(), expected, currency),
            help=t("use_cases.expected_help"),
        )
    if history:
        value_sections.benchmark_history(history)
    else:
        st.caption(t("use_cases.value_none"))
    if may_edit:
        with st.expander(t("use_cases.value_form"), icon=":material/flag:"):
            value_sections.benchmark_form(
                f"use_case.{case.key}",
                actor,
                value,
                save=lambda draft: service().set_benchmark(actor, case.key, draft),
            )
    kpis = list(dict.fromkeys(row["kpi"] for row in history))
    for link in known.serving.get(case.key, ()) if kpis else ():
        if value.benchmark_history(link.model_name) or not value.may_set_benchmark(
            actor, link.model_name
        ):
            continue
        for kpi in kpis:
            if st.button(
                t(
                    "use_cases.adopt",
                    model=markdown_literal(link.model_name),
                    kpi=markdown_literal(kpi),
                ),
                key=f"use_cases.adopt.{link.model_name}.{kpi}",
                icon=":material/call_made:",
            ):
                done, _ = attempt(
                    lambda m=link.model_name, k=kpi: service().adopt_benchmark(
                        actor, case.key, m, k
                    ),
                    _FORM,
                )
                if done:
                    st.session_state[_SAVED] = t("use_cases.adopted", model=link.model_name)
                    st.rerun()
