"""The sections of a model card, each drawing one part of a ModelCard."""

from __future__ import annotations

import streamlit as st

from portal import clock
from portal.charts import TimelineBar, production_timeline_chart
from portal.config import Settings
from portal.domain.catalog import ModelCard
from portal.domain.documentation import split_list_tag
from portal.domain.drift import ModelDrift
from portal.domain.glance import ModelGlance
from portal.domain.risk import ModelRisk
from portal.services.risk import RISKS
from portal.text import wording
from portal.text.format import (
    DATE_COLUMN_FORMAT,
    format_date,
    format_datetime,
    format_marker,
    format_money,
    format_number,
    format_percent,
    format_period,
    markdown_code,
    markdown_literal,
    without_bidi_controls,
)
from portal.ui import drift_sections, navigation, risk_sections, signoff_sections, tables
from portal.ui.people import name_of, people_line, person_markdown
from portal.ui.session import language, t

_DESCRIBED_TAGS = (
    "business_process",
    "business_unit",
    "decision_mode",
    "criticality",
    "intended_use",
    "limitations",
    "data_sources",
)


def header(card: ModelCard) -> None:
    """Name, demo label and the plain-language purpose."""
    st.title(markdown_literal(card.name))
    if card.is_demo:
        st.badge(t("common.demo_badge"), icon=":material/science:", color="violet")
    purpose = card.tags.get("purpose", "").strip()
    if purpose:
        st.markdown(f"### {markdown_literal(purpose)}")
    else:
        st.warning(t("card.no_purpose"))


def description(card: ModelCard) -> None:
    """The registry's description, below the glance block."""
    if card.description.strip():
        st.text(without_bidi_controls(card.description))


_VALUE_ICONS = {
    "on_track": ":material/check_circle:",
    "at_risk": ":material/warning:",
    "off_track": ":material/error:",
}
_LEVEL_COLOURS = {"high": "red", "medium": "orange", "low": "green"}


def glance(facts: ModelGlance, currency: str) -> None:
    """The block a card opens with: production, money against the promise, health, worst risk,
    the people who answer for the model, open feedback and the documentation score."""
    lang = language()
    with st.container(border=True, key="card_glance"):
        st.markdown(f"**{t('glance.title')}**")
        production, value, health, risk = st.columns([1, 1.6, 1, 1.2])
        with production:
            if facts.production_version is None:
                _glance_fact(t("glance.production"), t("glance.not_in_production"))
            else:
                since = (
                    t("glance.since", date=format_date(lang, facts.production_since))
                    if facts.production_since
                    else t("glance.since_unknown")
                )
                _glance_fact(
                    t("glance.production"),
                    t("common.version", version=facts.production_version),
                    since,
                )
        with value:
            _glance_money(facts, currency)
        with health:
            st.caption(t("glance.health"))
            if not facts.in_production:
                st.markdown(t("glance.health_not_in_production"))
            else:
                drift_sections.light_badge(facts.health)
                if facts.checked_at is not None:
                    st.caption(t("glance.checked", date=format_date(lang, facts.checked_at)))
        with risk:
            st.caption(t("glance.worst_risk"))
            worst = facts.worst_risk
            if worst is None:
                st.markdown(t("glance.no_risk"))
            else:
                word = t(
                    "glance.risk_level",
                    risk=wording.risk_name(lang, worst.risk),
                    level=wording.level_word(lang, worst.level),
                )
                st.badge(word, color=_LEVEL_COLOURS.get(worst.level, "gray"))
                st.caption(t("glance.assessed" if worst.assessed else "glance.signal_only"))
        executive, business, technical, feedback, documentation = st.columns(5)
        with executive:
            _glance_person(t("risk_field.accountable_executive"), (facts.accountable_executive,))
        with business:
            _glance_person(t("risk_field.business_owner"), (facts.business_owner,))
        with technical:
            _glance_person(t("tags.owner"), facts.technical_owners)
        with feedback:
            _glance_fact(
                t("glance.open_feedback"),
                format_number(lang, facts.open_feedback),
                t("glance.feedback_total", total=format_number(lang, facts.feedback_total)),
            )
        with documentation:
            _glance_fact(
                t("glance.documentation"),
                format_percent(lang, facts.documentation_score),
                t("glance.documentation_gaps", count=facts.documentation_gaps)
                if facts.documentation_gaps
                else t("glance.documentation_complete"),
            )


def _glance_money(facts: ModelGlance, currency: str) -> None:
    lang = language()
    money = facts.money
    period = format_period(lang, money.first, money.last)
    label = t("glance.value")
    status = " · " + t(f"status_value.{facts.value_status}") if facts.value_status else ""
    if facts.kpis == 0:
        _glance_fact(label, t("glance.no_promise"), period)
    elif money.realized is None or money.promised is None:
        _glance_fact(label, t("glance.no_money") + status, period)
    else:
        icon = _VALUE_ICONS.get(facts.value_status, ":material/info:")
        realized = format_money(lang, money.realized, currency)
        promised = format_money(lang, money.promised, currency)
        per_month = t(
            "glance.per_month",
            realized=format_money(lang, money.realized_per_month or 0.0, currency),
            promised=format_money(lang, money.promised_per_month or 0.0, currency),
        )
        st.caption(label)
        st.markdown(f"{icon} **{t('glance.money', realized=realized, promised=promised)}**")
        st.caption(f"{period}{status} · {per_month}")


def _glance_fact(label: str, value: str, note: str = "") -> None:
    st.caption(label)
    st.markdown(f"**{value}**")
    if note:
        st.caption(note)


def _glance_person(label: str, emails: tuple[str, ...]) -> None:
    st.caption(label)
    named = [person_markdown(email) for email in emails if email]
    st.markdown(", ".join(named) if named else f"_{t('risk.nobody_named')}_")


def what_and_who(card: ModelCard) -> None:
    """Purpose fields, then the responsible people, each 'not documented' when missing."""
    what, who = st.columns([2, 1])
    with what:
        st.subheader(t("card.what"))
        for key in _DESCRIBED_TAGS:
            _fact(t(f"tags.{key}"), _tag_text(card, key))
    with who:
        st.subheader(t("card.responsible"))
        owners = split_list_tag(_tag_text(card, "owner"))
        st.markdown(people_line(t("card.technical_owner"), owners, t("common.not_documented")))
        _fact(t("card.team"), _tag_text(card, "team"))


def production(card: ModelCard) -> None:
    """Which version is in production now, and the recorded history."""
    lang = language()
    st.subheader(t("card.production"))
    marker = markdown_literal(format_marker(lang, card.production_marker))
    if card.production_version is None:
        st.info(t("card.no_production"))
    elif card.production_since:
        st.success(
            t(
                "card.production_now",
                version=card.production_version,
                since=format_date(lang, card.production_since),
                marker=marker,
            )
        )
    else:
        st.success(
            t("card.production_now_unknown_since", version=card.production_version, marker=marker)
        )
    first_seen = format_date(lang, card.first_seen_at)
    if not card.history:
        st.caption(t("card.history_empty", first_seen=first_seen))
        return
    st.markdown(f"**{t('card.history')}**")
    approvals = signoff_sections.ledger_words(card.name)  # approved at go-live, per period
    now = clock.utc_now()
    bars = [
        TimelineBar(t("common.version", version=p.version), p.start, p.end or now)
        for p in card.history
    ]
    st.plotly_chart(
        production_timeline_chart(bars, language=lang), config={"displayModeBar": False}
    )
    st.table(
        [
            {
                t("card.col_version"): t("common.version", version=period.version),
                t("card.history_from"): format_date(lang, period.start),
                t("card.history_until"): format_date(lang, period.end) or t("common.today"),
                t("card.history_marker"): markdown_literal(format_marker(lang, period.marker)),
                t("signoffs.ledger_column"): approvals.get(
                    (period.version, period.start), t("signoffs.ledger_not_approved")
                ),
            }
            for period in card.history
        ],
        hide_index=True,
        border="horizontal",
    )
    st.caption(t("card.history_note", first_seen=first_seen))


def versions(card: ModelCard) -> None:
    """All versions, deleted ones marked."""
    lang = language()
    st.subheader(t("card.versions"), help=t("card.versions_help"))
    tables.dataframe(
        [
            {
                "version": fact.version,
                "aliases": ", ".join(fact.aliases),
                "stage": "" if fact.stage == "None" else fact.stage,
                "registered": fact.registered_at,
                "trained": fact.trained_at,
                "trained_by": name_of(fact.trained_by),
                "deleted": format_date(lang, fact.deleted_at),
            }
            for fact in card.versions
        ],
        hide_index=True,
        column_config={
            "version": t("card.col_version"),
            "aliases": t("card.col_aliases"),
            "stage": t("card.col_stage"),
            "registered": st.column_config.DatetimeColumn(
                t("card.col_registered"), format=DATE_COLUMN_FORMAT[lang]
            ),
            "trained": st.column_config.DatetimeColumn(
                t("card.col_trained"), format=DATE_COLUMN_FORMAT[lang]
            ),
            "trained_by": t("card.col_trained_by"),
            "deleted": t("card.col_deleted"),
        },
    )


def health(card: ModelCard, drift: ModelDrift | None, settings: Settings) -> None:
    """Is it still healthy: the newest drift check's traffic light, sentence and a link."""
    st.subheader(t("drift.card_section"), help=t("drift.card_section_help"))
    if card.production_version is None:
        st.caption(t("drift.card_not_production"))
        return
    if drift is None:
        st.caption(t("drift.card_no_check"))
        return
    drift_sections.light_badge(drift.light)
    st.markdown(markdown_literal(wording.drift_sentence(language(), drift, settings)))
    if drift.outcome == "checked":
        st.markdown(markdown_literal(wording.outputs_sentence(language(), drift)))
    st.caption(
        t(
            "drift.card_checked",
            age=drift_sections.checked_age(drift),
            when=format_datetime(language(), drift.checked_at),
        )
    )
    if drift.model_version is not None and drift.model_version != card.production_version:
        st.warning(
            t(
                "drift.card_other_version",
                checked=drift.model_version,
                current=card.production_version,
            )
        )
    st.page_link(
        navigation.DRIFT.path,
        label=t("drift.card_details"),
        icon=":material/monitor_heart:",
        query_params={"model": drift.model_name},
    )


def training_metrics(card: ModelCard) -> None:
    """Training metrics of the described version with one-line explanations."""
    lang = language()
    st.subheader(t("card.metrics"))
    if card.described_version is None:
        return
    st.caption(t("card.metrics_intro", version=card.described_version))
    if not card.metrics:
        st.info(t("card.metrics_empty"))
        return
    st.table(
        [
            {
                t("card.col_metric"): markdown_literal(fact.name),
                t("card.col_value"): (
                    format_number(lang, fact.value, fact.meaning.is_share)
                    if fact.value is not None
                    else t("card.not_a_number")
                ),
                t("card.col_meaning"): t(f"metrics.{fact.meaning.code or 'unknown'}"),
            }
            for fact in card.metrics
        ],
        hide_index=True,
        border="horizontal",
    )


def lineage(card: ModelCard) -> None:
    """Run, experiment, person, code commit and data behind the described version."""
    lang = language()
    st.subheader(t("card.lineage"))
    if card.lineage is None:
        if card.described_version is not None:
            st.info(t("card.lineage_missing"))
        return
    run = card.lineage
    st.caption(t("card.lineage_intro", version=card.described_version))
    left, right = st.columns(2)
    with left:
        _fact(t("card.run"), f"{run.run_name} ({run.run_id})" if run.run_name else run.run_id)
        _fact(t("card.experiment"), run.experiment_name)
        st.markdown(
            people_line(t("card.trained_by"), (run.trained_by,), t("common.not_documented"))
        )
        _fact(t("card.trained_at"), format_date(lang, run.ended_at or run.started_at))
    with right:
        _fact(t("card.git_commit"), run.git_commit, code=True)
        _fact(t("card.code_source"), run.code_source, code=True)
    st.markdown(f"**{t('card.datasets')}**")
    if run.datasets:
        tables.dataframe(
            [
                {"name": d.name, "context": d.context, "source": d.source, "digest": d.digest}
                for d in run.datasets
            ],
            hide_index=True,
            column_config={
                "name": t("card.col_dataset"),
                "context": t("card.col_context"),
                "source": t("card.col_source"),
                "digest": t("card.col_digest"),
            },
        )
    else:
        st.caption(t("card.datasets_empty"))
    if run.params:
        with st.expander(t("card.params")):
            tables.dataframe(dict(run.params), column_config={"value": ""})


def risks_and_people(model: ModelRisk | None) -> None:
    """Who answers for the model, how critical it is, and its four risks at a glance."""
    st.subheader(t("risk.card_section"), help=t("risk.card_section_help"))
    if model is None:
        return
    record = model.governance
    people, risks = st.columns([1, 2], gap="large")
    with people:
        nobody = t("risk.nobody_named")
        executive, business = (record.accountable_executive,), (record.business_owner,)
        st.markdown(people_line(t("risk_field.accountable_executive"), executive, nobody))
        st.markdown(people_line(t("risk_field.business_owner"), business, nobody))
        missing = t("common.not_documented")
        st.markdown(people_line(t("tags.owner"), model.technical_owners, missing))
        st.markdown(people_line(t("risk.experts_title"), model.experts, missing))
        _fact(t("risk_field.ai_act_category"), risk_sections.category_word(record.ai_act_category))
        _fact(t("risk_field.serving_mode"), risk_sections.serving_word(record.serving_mode))
    with risks:
        st.table(
            [
                {
                    t("risk.col_risk"): wording.risk_name(language(), risk),
                    t("risk.col_assessed"): risk_sections.assessed_text(model, risk),
                    t("risk.col_signal"): wording.level_word(language(), model.signals[risk].level)
                    if risk in model.signals
                    else wording.level_word(language(), "unknown"),
                }
                for risk in RISKS
            ],
            hide_index=True,
            border="horizontal",
        )
        if model.overdue:
            st.warning(
                t("risk.card_overdue", count=len(model.overdue)), icon=":material/event_busy:"
            )
        gaps = [t(f"evidence.{item.code}") for item in model.evidence if not item.present]
        if gaps:
            st.warning(t("risk.evidence_gaps", gaps=", ".join(gaps)), icon=":material/warning:")
    st.page_link(
        navigation.RISK.path,
        label=t("risk.card_open"),
        icon=":material/gpp_maybe:",
        query_params={"model": model.name},
    )


def documentation(card: ModelCard) -> None:
    """Documentation score and the missing fields by name."""
    lang = language()
    st.subheader(t("card.documentation"), help=t("card.documentation_help"))
    st.progress(
        card.documentation_score,
        text=t("card.documentation_score", score=format_percent(lang, card.documentation_score)),
    )
    if card.documentation_gaps:
        gaps = ", ".join(t(f"tags.{key}") for key in card.documentation_gaps)
        st.warning(t("card.documentation_gaps", gaps=gaps))
    else:
        st.success(t("card.documentation_complete"))
    if card.is_demo:
        st.caption(t("card.demo_note"))


def _tag_text(card: ModelCard, key: str) -> str:
    if key == "data_sources":
        return ", ".join(card.data_sources)
    value = card.tags.get(key, "").strip()
    if key == "decision_mode" and value in ("advisory", "automated"):
        return t(f"decision_mode.{value}")
    if key == "criticality" and value:
        return wording.criticality_word(language(), value)
    return value


def _fact(label: str, value: str, code: bool = False) -> None:
    """A label and its value; missing values read 'not documented', never blank."""
    if not value:
        st.markdown(f"**{label}:** _{t('common.not_documented')}_")
    elif code:
        st.markdown(f"**{label}:** {markdown_code(value)}")
    else:
        st.markdown(f"**{label}:** {markdown_literal(value)}")
