"""Incident components: the report form, the list, one incident with its trace and history,
the owners' update form, and the model card's short section.

User text (titles, descriptions, notes) is always drawn with st.text or markdown_literal.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta

import streamlit as st

from portal import clock
from portal.domain.incidents import (
    KINDS,
    LIMITS,
    MOVES,
    SEVERITIES,
    STATUSES,
    Incident,
    IncidentDraft,
    IncidentFilter,
    Trace,
)
from portal.errors import PortalError
from portal.runtime import current_runtime
from portal.services.identity import Identity
from portal.services.incidents import IncidentDetail, IncidentService
from portal.text.format import (
    format_date,
    format_datetime,
    markdown_code,
    markdown_literal,
    without_bidi_controls,
)
from portal.ui import inputs, navigation, paging
from portal.ui.forms import attempt, error_lines
from portal.ui.people import name_of, people_markdown
from portal.ui.session import language, t

_CONFIRMATION = "incidents.confirmation"
_FILTER = "incidents.filter."
_COLOURS = {"open": "red", "mitigated": "orange", "closed": "green"}


def incident_service() -> IncidentService:
    """The incident service over the process's store."""
    runtime = current_runtime()
    return IncidentService(runtime.store, runtime.settings)


def confirmation() -> None:
    """Show a confirmation left by a form before its rerun."""
    message = st.session_state.pop(_CONFIRMATION, None)
    if message:
        st.success(message, icon=":material/check_circle:")


# --- the report form ------------------------------------------------------------------------


def report_form(
    service: IncidentService, actor: Identity, models: list[str], preselected: str | None
) -> None:
    """Anyone signed in reports a malfunction; stored once per content, confirmed with its
    reference, and the reader is taken to it."""
    st.caption(t("incidents.form_intro"))
    with st.form("incidents.report", clear_on_submit=False):
        model = inputs.selectbox(
            st,
            t("incidents.model"),
            models,
            index=models.index(preselected) if preselected in models else None,
            format_func=without_bidi_controls,
        )
        day_column, time_column = st.columns(2)
        day = inputs.date_input(
            day_column,
            t("incidents.started_day"),
            value=_opened_at().date(),
            max_value=clock.today(),
            help=t("incidents.started_help"),
        )
        hour = time_column.time_input(
            t("incidents.started_time"), value=_opened_at().time(), step=timedelta(minutes=1)
        )
        kind_column, severity_column = st.columns(2)
        kind = inputs.selectbox(
            kind_column,
            t("incidents.kind"),
            KINDS,
            format_func=lambda k: t(f"incident_kind.{k}"),
        )
        severity = inputs.selectbox(
            severity_column,
            t("incidents.severity"),
            SEVERITIES,
            index=1,
            format_func=lambda s: t(f"incident_severity.{s}"),
            help=t("incidents.severity_help"),
        )
        title = st.text_input(t("incidents.title"), max_chars=LIMITS["title"])
        description = st.text_area(
            t("incidents.description"), height=120, max_chars=LIMITS["description"]
        )
        impact_column, cases_column = st.columns([3, 1])
        impact = impact_column.text_area(
            t("incidents.impact"), height=80, max_chars=LIMITS["impact"]
        )
        cases = cases_column.number_input(
            t("incidents.cases"), min_value=0, step=1, value=None, help=t("incidents.cases_help")
        )
        sent = st.form_submit_button(t("incidents.submit"), type="primary")
    if not sent:
        return
    started = datetime.combine(day, hour) if day and hour else None
    draft = IncidentDraft(
        model or "",
        started,
        kind,
        severity,
        title,
        description,
        impact,
        int(cases) if cases is not None else None,
    )
    done, result = attempt(
        lambda: service.report(actor, draft, submission_key(actor, draft)), "incident_field"
    )
    if not done:
        return
    key = "incidents.reported" if result.created else "incidents.already"
    st.session_state[_CONFIRMATION] = t(key, reference=result.reference)
    st.query_params.clear()
    st.query_params["incident"] = result.reference
    st.rerun()


def _opened_at() -> datetime:
    """When the reader first opened the form (to the minute): the default start, kept across
    reruns so that the widget keeps what the reader chose."""
    return st.session_state.setdefault(
        "incidents.opened_at", clock.utc_now().replace(second=0, microsecond=0)
    )


def submission_key(actor: Identity, draft: IncidentDraft) -> str:
    """The same person sending the same report (a double click, a resent form) gets the same
    key, so the service stores it once."""
    content = json.dumps(
        [
            actor.label,
            draft.model_name,
            draft.started_at.isoformat() if draft.started_at else "",
            draft.kind,
            draft.severity,
            draft.title.strip(),
            draft.description.strip(),
        ]
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


# --- the list -------------------------------------------------------------------------------


def list_filters(models: tuple[str, ...], requested_model: str | None) -> IncidentFilter:
    """Status, model and severity; an empty choice means any."""
    columns = st.columns(3)
    if requested_model in models and _FILTER + "models" not in st.session_state:
        st.session_state[_FILTER + "models"] = [requested_model]
    statuses = inputs.multiselect(
        columns[0],
        t("incidents.status"),
        list(STATUSES),
        format_func=lambda s: t(f"incident_status.{s}"),
        placeholder=t("incidents.any_status"),
        key=_FILTER + "statuses",
    )
    chosen_models = inputs.multiselect(
        columns[1],
        t("incidents.model"),
        list(models),
        format_func=without_bidi_controls,
        placeholder=t("incidents.any_model"),
        key=_FILTER + "models",
    )
    severities = inputs.multiselect(
        columns[2],
        t("incidents.severity"),
        list(SEVERITIES),
        format_func=lambda s: t(f"incident_severity.{s}"),
        placeholder=t("incidents.any_severity"),
        key=_FILTER + "severities",
    )
    return IncidentFilter(tuple(statuses), tuple(chosen_models), tuple(severities))


def paged_list(service: IncidentService, chosen: IncidentFilter) -> None:
    """One page of the filtered list, open first, with 'showing 21–40 of 734' and the page menu."""
    key = paging.page_key("incidents.list", chosen)
    page = service.page(chosen, paging.requested(key))
    if not page.total:
        st.caption(t("incidents.none_match" if chosen != IncidentFilter() else "incidents.none"))
        return
    summary, choice = st.columns([3, 2], vertical_alignment="bottom")
    paging.controls(page, key, summary, choice, "incidents_list")
    for incident in page.items:
        with st.container(border=True):
            line(incident, show_model=True)


def line(incident: Incident, show_model: bool) -> None:
    """One incident's line: status, reference (a link to it), model, severity, start, title."""
    lang = language()
    status = t(f"incident_status.{incident.status}")
    facts = [
        *([incident.model_name] if show_model else []),
        t(f"incident_severity.{incident.severity}"),
        t(f"incident_kind.{incident.kind}"),
        t("incidents.since", date=format_date(lang, incident.started_at)),
    ]
    badge, link = st.columns([1, 5], vertical_alignment="center")
    badge.markdown(f":{_COLOURS[incident.status]}-badge[{status}]")
    link.page_link(
        navigation.INCIDENTS.path,
        label=f"{incident.reference} · {without_bidi_controls(incident.title)}",
        query_params={"incident": incident.reference},
    )
    st.caption(markdown_literal(" · ".join(facts)) + _deadline_words(incident))


def _deadline_words(incident: Incident) -> str:
    if incident.deadline is None or incident.status == "closed":
        return ""
    return " · " + deadline_text(incident)


def deadline_text(incident: Incident) -> str:
    """'Report to the authority by 17 Dec 2026: 9 days left' (or overdue)."""
    deadline = incident.deadline
    due = format_date(language(), deadline.due)  # type: ignore[union-attr]
    if deadline.overdue:  # type: ignore[union-attr]
        return t("incidents.deadline_overdue", due=due, days=-deadline.days_left)  # type: ignore[union-attr]
    return t("incidents.deadline_left", due=due, days=deadline.days_left)  # type: ignore[union-attr]


# --- one incident -------------------------------------------------------------------------


def detail_page(service: IncidentService, actor: Identity, reference: str) -> None:
    """The incident an address names, or why it cannot be shown."""
    try:
        found = service.get(reference)
    except PortalError as error:
        for message in error_lines(error):
            st.error(message)
        st.page_link(
            navigation.INCIDENTS.path, label=t("incidents.back"), icon=":material/arrow_back:"
        )
        return
    detail(found, actor, service)


def detail(found: IncidentDetail, actor: Identity, service: IncidentService) -> None:
    """What happened, what was in production then, the deadline, the history, the update form."""
    incident = found.incident
    lang = language()
    st.page_link(navigation.INCIDENTS.path, label=t("incidents.back"), icon=":material/arrow_back:")
    st.subheader(f"{incident.reference}: {markdown_literal(incident.title)}")
    status = t(f"incident_status.{incident.status}")
    st.markdown(
        f":{_COLOURS[incident.status]}-badge[{status}] "
        + markdown_literal(
            " · ".join(
                (
                    incident.model_name,
                    t(f"incident_severity.{incident.severity}"),
                    t(f"incident_kind.{incident.kind}"),
                )
            )
        )
    )
    if incident.deadline is not None:
        message = deadline_text(incident) + " " + t("incidents.deadline_why")
        if incident.status == "closed":
            st.caption(message)
        elif incident.deadline.overdue or incident.deadline.days_left <= 5:
            st.error(message, icon=":material/gavel:")
        else:
            st.warning(message, icon=":material/gavel:")
    st.markdown("**" + t("incidents.what_happened") + "**")
    st.caption(
        markdown_literal(
            t(
                "incidents.reported_line",
                started=format_datetime(lang, incident.started_at),
                reported=format_datetime(lang, incident.reported_at),
                name=incident.reported_by_name or name_of(incident.reported_by),
            )
        )
    )
    st.text(without_bidi_controls(incident.description))
    if incident.impact or incident.cases is not None:
        st.markdown("**" + t("incidents.impact") + "**")
        if incident.cases is not None:
            st.caption(t("incidents.cases_line", cases=incident.cases))
        if incident.impact:
            st.text(without_bidi_controls(incident.impact))
    if incident.root_cause and incident.status == "closed":
        st.markdown("**" + t("incidents.root_cause") + "**")
        st.text(without_bidi_controls(incident.root_cause))
    st.markdown("**" + t("incidents.trace_title") + "**", help=t("incidents.trace_help"))
    trace_view(incident.model_name, incident.trace)
    history(found)
    if service.may_update(actor, incident.model_name):
        update_form(incident, actor, service)


def trace_view(model_name: str, trace: Trace) -> None:
    """The trace in plain words: version, run, data, code, owners, who else uses the data."""
    lang = language()
    when = format_datetime(lang, trace.at)
    name = markdown_literal(model_name)
    if trace.version is None:
        st.markdown(t("incidents.trace_nothing", date=when, model=name))
    else:
        sentence = t("incidents.trace_version", date=when, version=trace.version, model=name)
        if trace.run_id and trace.trained_at:
            run = markdown_code(trace.run_id)
            date_text = format_date(lang, trace.trained_at)
            sentence += " " + t("incidents.trace_run_on", run=run, date=date_text)
        elif trace.run_id:
            sentence += " " + t("incidents.trace_run", run=markdown_code(trace.run_id))
        st.markdown(sentence)
        st.markdown(
            t(
                "incidents.trace_data",
                sources=markdown_literal(", ".join(trace.sources)),
            )
            if trace.sources
            else t("incidents.trace_no_data")
        )
        if trace.git_commit:
            st.markdown(
                t(
                    "incidents.trace_code",
                    commit=markdown_code(trace.git_commit[:12]),
                    source=markdown_literal(trace.code_source or "—"),
                )
            )
    owners = [
        (t("incidents.technical_owner"), trace.technical_owners),
        (t("incidents.business_owner"), (trace.business_owner,) if trace.business_owner else ()),
        (
            t("incidents.accountable_executive"),
            (trace.accountable_executive,) if trace.accountable_executive else (),
        ),
    ]
    st.markdown(
        " · ".join(
            f"{label}: {people_markdown(list(people)) if people else t('incidents.nobody')}"
            for label, people in owners
        )
    )
    if trace.shared_models:
        st.markdown(
            t(
                "incidents.trace_shared",
                models=markdown_literal(", ".join(trace.shared_models)),
                processes=markdown_literal(", ".join(trace.shared_processes))
                or t("incidents.no_process"),
            )
        )
    elif trace.sources:
        st.markdown(t("incidents.trace_shared_none"))


def history(found: IncidentDetail) -> None:
    """Reported, then every move with who and the note."""
    lang = language()
    incident = found.incident
    st.markdown("**" + t("incidents.history") + "**")
    rows = [
        (
            incident.reported_at,
            t("incidents.history_reported"),
            incident.reported_by_name or name_of(incident.reported_by),
            "",
        )
    ]
    for move in found.history:
        rows.append(
            (
                move.updated_at,
                t(f"incident_status.{move.status}"),
                move.updated_by_name or name_of(move.updated_by),
                move.note,
            )
        )
    for at, what, who, note in rows:
        st.caption(markdown_literal(f"{format_datetime(lang, at)} · {what} · {who}"))
        if note:
            st.text(without_bidi_controls(note))


def update_form(incident: Incident, actor: Identity, service: IncidentService) -> None:
    """An owner moves the incident on: to mitigated or closed (with a root cause), or reopens."""
    moves = MOVES[incident.status]
    # Keyed by the last change: after a saved move the form starts empty; after a refused one
    # it keeps what was typed.
    with st.form(f"incidents.update.{incident.id}.{incident.updated_at.isoformat()}"):
        st.markdown("**" + t("incidents.update_title") + "**")
        status = inputs.selectbox(
            st,
            t("incidents.new_status"),
            moves,
            format_func=lambda s: t(f"incident_move.{s}"),
        )
        note = st.text_area(t("incidents.note"), height=80, max_chars=LIMITS["note"])
        root_cause = st.text_area(
            t("incidents.root_cause"),
            value=incident.root_cause,
            height=80,
            max_chars=LIMITS["root_cause"],
            help=t("incidents.root_cause_help"),
        )
        saved = st.form_submit_button(t("incidents.save_update"))
    if not saved:
        return
    done, _ = attempt(
        lambda: service.update(actor, incident.reference, status, note, root_cause),
        "incident_field",
    )
    if not done:
        return
    st.session_state[_CONFIRMATION] = t("incidents.updated", reference=incident.reference)
    st.rerun()


# --- the model card -----------------------------------------------------------------------


def model_section(model_name: str) -> None:
    """The model card's incidents: those not yet closed, and a link to report one."""
    st.subheader(t("incidents.card_title"), help=t("incidents.card_help"))
    unresolved = _unresolved(current_runtime().store.data_version(), clock.today(), model_name)
    if not unresolved:
        st.caption(t("incidents.card_none"))
    for incident in unresolved:
        line(incident, show_model=False)
    st.page_link(
        navigation.INCIDENTS.path,
        label=t("incidents.report_link"),
        icon=":material/report:",
        query_params={"model": model_name},
    )


@st.cache_data(max_entries=256, ttl=600, show_spinner=False)
def _unresolved(data_version: int, today: date, model_name: str) -> tuple[Incident, ...]:
    return incident_service().unresolved(model_name, today)
