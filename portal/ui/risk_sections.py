"""Risk components: tiles, filters, the matrix, the high-risk table and one model's risks.

Model names, people, mitigations and descriptions come from users or MLflow: they are shown
as table cells, chart labels, st.text or through markdown_literal, never as HTML.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import streamlit as st

from portal import clock
from portal.charts import CELL_NAMES_SHOWN, HeatPoint
from portal.domain.risk import (
    AI_ACT_CATEGORIES,
    HIGH_FROM,
    MEDIUM_FROM,
    MITIGATION_MAX,
    RISKS,
    SCALE,
    SERVING_MODES,
    Assessment,
    AssessmentDraft,
    Governance,
    ModelRisk,
    RiskPortfolio,
    Signal,
    risk_level,
    risk_score,
)
from portal.services.identity import Identity
from portal.services.risk import GOVERNANCE_LIMIT, RiskService
from portal.text import wording
from portal.text.format import (
    DATE_COLUMN_FORMAT,
    format_date,
    format_number,
    markdown_literal,
    without_bidi_controls,
)
from portal.ui import data, inputs, navigation, tables
from portal.ui.forms import attempt
from portal.ui.people import name_of, people_line, people_markdown, person_markdown
from portal.ui.session import language, person_label, t

# Badge colour and icon per level: the word is always shown too, never colour alone.
LEVEL_BADGES = {
    "high": ("red", ":material/error:"),
    "medium": ("orange", ":material/warning:"),
    "low": ("green", ":material/check_circle:"),
    "unknown": ("gray", ":material/help:"),
}
LEVEL_ORDER = ("high", "medium", "low")
REVIEW_DEFAULT = timedelta(days=91)  # a quarterly review unless the owner says otherwise
_SAVED = "risk.saved_message"
MISSING_NAMED = 10  # unassessed models named under the matrix; beyond, a count
HIGH_TABLE_ROWS = 25  # high risks in a static table; beyond, a sortable, scrolling one
OVERDUE_LINES = 10  # overdue reviews written out; the tables below hold the rest


# --- words --------------------------------------------------------------------------------------


def level_badge(level: str, prefix: str = "") -> None:
    """A coloured badge with the level's word (and an optional lead-in)."""
    colour, icon = LEVEL_BADGES.get(level, LEVEL_BADGES["unknown"])
    st.badge(f"{prefix}{wording.level_word(language(), level)}", icon=icon, color=colour)


# --- the risk page: portfolio ------------------------------------------------------------------


def tiles(portfolio: RiskPortfolio) -> None:
    """High risks, overdue reviews, models nobody is accountable for, unassessed models."""
    columns = st.columns(4)
    figures = (
        ("risk.tile_high", len(portfolio.high_risks), "risk.tile_high_help"),
        ("risk.tile_overdue", len(portfolio.overdue), "risk.tile_overdue_help"),
        ("risk.tile_no_executive", len(portfolio.without_executive), "risk.tile_no_executive_help"),
        ("risk.tile_unassessed", len(portfolio.unassessed), "risk.tile_unassessed_help"),
    )
    for column, (label, value, explanation) in zip(columns, figures, strict=True):
        with column:
            st.metric(t(label), value, border=True)
            st.caption(t(explanation, high=HIGH_FROM))


def overview_tiles(portfolio: RiskPortfolio) -> None:
    """The overview's risk row: high risks, overdue reviews, models without an executive."""
    high, overdue, no_executive = st.columns(3)
    high.metric(
        t("risk.tile_high"),
        len(portfolio.high_risks),
        help=t("risk.tile_high_help", high=HIGH_FROM),
    )
    overdue.metric(t("risk.tile_overdue"), len(portfolio.overdue), help=t("risk.tile_overdue_help"))
    no_executive.metric(
        t("risk.tile_no_executive"),
        len(portfolio.without_executive),
        help=t("risk.tile_no_executive_help"),
    )


def filters(portfolio: RiskPortfolio) -> RiskPortfolio:
    """Business unit, process, decision mode and which risk the matrix shows."""
    models = portfolio.models
    unit_column, process_column, mode_column = st.columns(3)
    units = inputs.multiselect(
        unit_column,
        t("risk.filter_unit"),
        _choices(m.business_unit for m in models),
        format_func=_or_not_documented,
        placeholder=t("risk.filter_all"),
        key="risk.units",
    )
    processes = inputs.multiselect(
        process_column,
        t("risk.filter_process"),
        _choices(m.business_process for m in models),
        format_func=_or_not_documented,
        placeholder=t("risk.filter_all"),
        key="risk.processes",
    )
    modes = inputs.multiselect(
        mode_column,
        t("risk.filter_mode"),
        _choices(m.decision_mode for m in models),
        format_func=lambda mode: wording.mode_word(language(), mode),
        placeholder=t("risk.filter_all"),
        key="risk.modes",
    )
    shown = tuple(
        m
        for m in models
        if (not units or m.business_unit in units)
        and (not processes or m.business_process in processes)
        and (not modes or m.decision_mode in modes)
    )
    return RiskPortfolio(shown)


def risk_choice() -> str:
    """Which risk the matrix places models by: 'all' (each model's most serious) or one."""
    return (
        st.segmented_control(
            t("risk.matrix_show"),
            ("all", *RISKS),
            default="all",
            format_func=lambda r: (
                t("risk.matrix_all") if r == "all" else wording.risk_name(language(), r)
            ),
            key="risk.matrix_risk",
        )
        or "all"
    )


def placements(portfolio: RiskPortfolio, risk: str) -> list[tuple[str, Assessment]]:
    """Where each model sits: by the chosen risk, or by its most serious assessed risk."""
    placed = []
    for model in portfolio.models:
        if risk == "all":
            assessed = sorted(
                model.assessments.values(), key=lambda a: (-a.score, RISKS.index(a.risk))
            )
            if assessed:
                placed.append((model.name, assessed[0]))
        elif risk in model.assessments:
            placed.append((model.name, model.assessments[risk]))
    return placed


def heat_points(portfolio: RiskPortfolio, risk: str) -> list[HeatPoint]:
    """The placements as the chart draws them: the model, and with 'all' the risk."""
    lang = language()
    return [
        HeatPoint(
            f"{name} ({wording.risk_name(lang, a.risk)})" if risk == "all" else name,
            a.likelihood,
            a.impact,
        )
        for name, a in placements(portfolio, risk)
    ]


def cell_groups(portfolio: RiskPortfolio, risk: str) -> dict[tuple[int, int], list[str]]:
    """The models in each cell, by (likelihood, impact), highest score first."""
    cells: dict[tuple[int, int], list[str]] = {}
    for name, a in placements(portfolio, risk):
        cells.setdefault((a.likelihood, a.impact), []).append(name)
    return dict(sorted(cells.items(), key=lambda item: (-item[0][0] * item[0][1], item[0])))


def crowded(cells: dict[tuple[int, int], list[str]]) -> bool:
    """More models in a cell than its names fit: then every cell shows its count."""
    return any(len(names) > CELL_NAMES_SHOWN for names in cells.values())


def heatmap(portfolio: RiskPortfolio, risk: str) -> None:
    """The 5x5 matrix with the models placed in it (counts when crowded), and what it means
    below; a crowded matrix's cells open to the models behind them."""
    lang = language()
    cells = cell_groups(portfolio, risk)
    counted = crowded(cells)
    level_of = [
        [risk_level(risk_score(likelihood, impact)) for impact in SCALE] for likelihood in SCALE
    ]
    figure = data.risk_matrix_figure(
        [] if counted else heat_points(portfolio, risk),
        [wording.scale_word(lang, "likelihood", value) for value in SCALE],
        [wording.scale_word(lang, "impact", value) for value in SCALE],
        t("risk.axis_likelihood"),
        t("risk.axis_impact"),
        level_of,
        {level: wording.level_word(lang, level) for level in LEVEL_ORDER},
        t("risk.matrix_more"),
        cell_texts=(
            {cell: _count_words(len(names)) for cell, names in cells.items()} if counted else None
        ),
    )
    st.plotly_chart(figure, config={"displayModeBar": False}, key="risk.heatmap")
    st.caption(
        t(
            "risk.matrix_legend",
            medium=MEDIUM_FROM,
            high=HIGH_FROM,
            below=MEDIUM_FROM - 1,
            top=HIGH_FROM - 1,
        )
    )
    missing = [
        m.name
        for m in portfolio.models
        if not (m.assessments if risk == "all" else risk in m.assessments)
    ]
    if not cells:
        st.info(t("risk.matrix_empty"))
    if len(missing) > MISSING_NAMED:
        shown = ", ".join(missing[:MISSING_NAMED])
        st.caption(
            markdown_literal(
                t(
                    "risk_cells.missing_many",
                    count=format_number(lang, len(missing)),
                    models=shown,
                )
            )
        )
    elif missing:
        st.caption(markdown_literal(t("risk.matrix_missing", models=", ".join(missing))))
    if counted:
        cell_models(cells, level_of)


def _count_words(count: int) -> str:
    key = "risk_cells.count_one" if count == 1 else "risk_cells.count"
    return t(key, count=format_number(language(), count))


def cell_models(cells: dict[tuple[int, int], list[str]], level_of: list[list[str]]) -> None:
    """Open one cell of the matrix: the models in it, each opening its risks."""
    lang = language()

    def cell_word(cell: tuple[int, int]) -> str:
        likelihood, impact = cell
        return t(
            "risk_cells.cell",
            likelihood=wording.scale_word(lang, "likelihood", likelihood),
            impact=wording.scale_word(lang, "impact", impact),
            score=likelihood * impact,
            level=wording.level_word(lang, level_of[likelihood - 1][impact - 1]),
            count=_count_words(len(cells[cell])),
        )

    chosen = inputs.selectbox(
        st,
        t("risk_cells.choose"),
        list(cells),
        index=None,
        format_func=cell_word,
        placeholder=t("risk_cells.choose_placeholder"),
        help=t("risk_cells.choose_help"),
        key="risk.cell",
    )
    if chosen is None:
        return
    names = sorted(cells[chosen], key=str.casefold)
    selection = tables.dataframe(
        [{"model": name} for name in names],
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=f"risk.cell_models.{chosen[0]}.{chosen[1]}",
        column_config={"model": st.column_config.TextColumn(t("risk.col_model"))},
    )
    st.caption(t("risk_cells.open_hint"))
    if selection.selection.rows:
        st.switch_page(
            navigation.RISK.path, query_params={"model": names[selection.selection.rows[0]]}
        )


def high_risk_table(portfolio: RiskPortfolio) -> None:
    """Every high risk, largest score first, with owner, mitigation and review date."""
    models = {m.name: m for m in portfolio.models}
    risks = portfolio.high_risks
    if not risks:
        st.success(t("risk.high_none"), icon=":material/check_circle:")
        return
    if len(risks) > HIGH_TABLE_ROWS:
        many_high_risks(portfolio)
        return
    # A static table wraps long mitigations; its cells read Markdown, so user text is escaped.
    st.table(
        [
            {
                t("risk.col_model"): markdown_literal(a.model_name),
                t("risk.col_risk"): wording.risk_name(language(), a.risk),
                t("risk.col_score"): a.score,
                t("risk.col_review"): _flagged(wording.review_text(language(), a), a.overdue),
                t("risk.col_executive"): person_markdown(
                    models[a.model_name].governance.accountable_executive
                )
                or f"_{t('risk.nobody_named')}_",
                t("risk.col_owner"): people_markdown(_owners(models[a.model_name]))
                or f"_{t('common.not_documented')}_",
                t("risk.col_mitigation"): markdown_literal(a.mitigation)
                or f"_{t('risk.no_mitigation')}_",
            }
            for a in risks
        ],
        hide_index=True,
        border="horizontal",
    )


def many_high_risks(portfolio: RiskPortfolio) -> None:
    """Many high risks: one sortable, scrolling table, people by name."""
    lang = language()
    st.caption(t("risk_cells.high_count", count=format_number(lang, len(portfolio.high_risks))))

    def shaped() -> tables.Shaped:
        models = {m.name: m for m in portfolio.models}
        return tables.shaped(
            [
                {
                    "model": a.model_name,
                    "risk": wording.risk_name(lang, a.risk),
                    "score": a.score,
                    "review": wording.review_text(lang, a),
                    "executive": name_of(models[a.model_name].governance.accountable_executive)
                    or t("risk.nobody_named"),
                    "owner": ", ".join(name_of(p) for p in _owners(models[a.model_name]))
                    or t("common.not_documented"),
                    "mitigation": a.mitigation or t("risk.no_mitigation"),
                }
                for a in portfolio.high_risks
            ],
            column_config={
                "model": st.column_config.TextColumn(t("risk.col_model"), pinned=True),
                "risk": t("risk.col_risk"),
                "score": t("risk.col_score"),
                "review": t("risk.col_review"),
                "executive": t("risk.col_executive"),
                "owner": t("risk.col_owner"),
                "mitigation": st.column_config.TextColumn(t("risk.col_mitigation"), width="large"),
            },
        )

    # Some 1,500 rows at 1,000 models: shaped once per data version, language and filter.
    table = data.per_version("risk.high_table", (_shown_key(portfolio),), shaped)
    tables.show(table, hide_index=True, key="risk.high_table")


def _shown_key(portfolio: RiskPortfolio) -> str:
    """The filtered portfolio's models, as a short cache key."""
    names = "\n".join(m.name for m in portfolio.models)
    return hashlib.sha256(names.encode()).hexdigest()


def _flagged(text: str, overdue: bool) -> str:
    return f":red[:material/event_busy: {text}]" if overdue else text


def overdue_list(portfolio: RiskPortfolio) -> None:
    """Each overdue review as a warning line naming model, risk and due date."""
    if not portfolio.overdue:
        return
    st.subheader(t("risk.overdue_title"), help=t("risk.tile_overdue_help"))
    lang = language()
    for a in portfolio.overdue[:OVERDUE_LINES]:
        st.warning(
            markdown_literal(
                t(
                    "risk.overdue_line",
                    model=a.model_name,
                    risk=wording.risk_name(lang, a.risk),
                    date=format_date(lang, a.next_review),
                    person=person_label(a.assessed_by_name or a.assessed_by),
                )
            ),
            icon=":material/event_busy:",
        )
    if len(portfolio.overdue) > OVERDUE_LINES:
        more = format_number(lang, len(portfolio.overdue) - OVERDUE_LINES)
        st.caption(t("risk_cells.overdue_more", count=more))


def model_table(portfolio: RiskPortfolio) -> str | None:
    """One row per model: each risk assessed (or its signal); a selected row is returned."""
    # Shaped once per data version, language and filter; the names say which row is which.
    names, table = data.per_version(
        "risk.model_table", (_shown_key(portfolio),), lambda: _model_rows(portfolio)
    )
    selection = tables.show(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="risk.model_table",
    )
    if selection.selection.rows:
        return names[selection.selection.rows[0]]
    return None


def _model_rows(portfolio: RiskPortfolio) -> tuple[tuple[str, ...], tables.Shaped]:
    models = sorted(
        portfolio.models,
        key=lambda m: (
            LEVEL_ORDER.index(m.highest_level) if m.highest_level else len(LEVEL_ORDER),
            m.name.casefold(),
        ),
    )
    rows = []
    lang = language()
    # A thousand models share a few dozen distinct cells: each text is written once.
    written: dict[tuple, str] = {}
    for model in models:
        row = {"model": model.name, "worst": wording.level_word(lang, model.highest_level)}
        for risk in RISKS:
            assessment = model.assessments.get(risk)
            signal = model.signals.get(risk)
            shape = (
                (assessment.level, assessment.score, assessment.overdue)
                if assessment
                else (signal.level if signal else "unknown",)
            )
            if shape not in written:
                written[shape] = cell_text(model, risk)
            row[risk] = written[shape]
        rows.append(row)
    table = tables.shaped(
        rows,
        column_config={
            "model": t("risk.col_model"),
            "worst": st.column_config.TextColumn(
                t("risk.col_worst"), help=t("risk.col_worst_help")
            ),
            **{
                risk: st.column_config.TextColumn(wording.risk_name(language(), risk))
                for risk in RISKS
            },
        },
    )
    return tuple(model.name for model in models), table


def assessed_text(model: ModelRisk, risk: str) -> str:
    """'high (12)', 'high (12) · review overdue' or 'not assessed'."""
    assessment = model.assessments.get(risk)
    if assessment is None:
        return wording.level_word(language(), None)
    text = t(
        "risk.cell_assessed",
        level=wording.level_word(language(), assessment.level),
        score=assessment.score,
    )
    return text + (" · " + t("risk.cell_overdue") if assessment.overdue else "")


def cell_text(model: ModelRisk, risk: str) -> str:
    """The assessment as assessed_text, or without one the signal: 'signal: medium'."""
    if risk in model.assessments:
        return assessed_text(model, risk)
    signal = model.signals.get(risk)
    return t(
        "risk.cell_signal",
        level=wording.level_word(language(), signal.level if signal else "unknown"),
    )


# --- one model's risks -------------------------------------------------------------------------


def back_link() -> None:
    st.page_link(navigation.RISK.path, label=t("risk.back"), icon=":material/arrow_back:")


def unknown_model(name: str) -> None:
    st.title(t("risk.title"))
    st.error(markdown_literal(t("risk.unknown", name=name)))
    back_link()


def detail_header(model: ModelRisk) -> None:
    """Name, where it is used, how it decides, and a link to its card."""
    st.title(t("risk.detail_title", name=markdown_literal(model.name)))
    st.caption(t("risk.detail_intro"))
    facts = [
        (t("tags.business_process"), model.business_process),
        (t("tags.business_unit"), model.business_unit),
        (t("risk.in_production"), t("common.yes") if model.in_production else t("common.no")),
    ]
    for label, value in facts:
        _fact(label, value)
    st.page_link(
        navigation.MODEL_CARD.path,
        label=t("risk.open_card"),
        icon=":material/description:",
        query_params={"model": model.name},
    )


def saved_message() -> None:
    """The confirmation of the last save, shown once after the rerun."""
    saved = st.session_state.pop(_SAVED, None)
    if saved:
        st.success(saved, icon=":material/check_circle:")


def risk_block(
    model: ModelRisk,
    risk: str,
    history: tuple[Assessment, ...],
    actor: Identity,
    service: RiskService,
    may_assess: bool,
) -> None:
    """One risk: the assessment in force beside the data's signal; the form; the history."""
    with st.container(border=True):
        st.markdown(f"#### {wording.risk_name(language(), risk)}")
        st.caption(t(f"risk_about.{risk}"))
        assessed, suggested = st.columns(2, gap="large")
        with assessed:
            st.markdown(f"**{t('risk.assessment')}**", help=t("risk.assessment_help"))
            assessment_facts(model.assessments.get(risk))
        with suggested:
            st.markdown(f"**{t('risk.signal')}**", help=t("risk.signal_help"))
            signal_facts(model.signals.get(risk))
        if may_assess:
            with st.expander(t("risk.form_title"), icon=":material/edit_note:"):
                assessment_form(model, risk, actor, service)
        own = [a for a in history if a.risk == risk]
        if own:
            with st.expander(t("risk.history_title", count=len(own)), icon=":material/history:"):
                history_table(own)


def assessment_facts(assessment: Assessment | None) -> None:
    """Level, score in words, mitigation, next review (overdue flagged) and who assessed."""
    if assessment is None:
        st.caption(t("risk.not_assessed"))
        return
    lang = language()
    level_badge(assessment.level)
    st.markdown(markdown_literal(wording.score_text(lang, assessment)))
    st.markdown(f"**{t('risk.mitigation')}:**")
    if assessment.mitigation:
        st.text(without_bidi_controls(assessment.mitigation))
    else:
        st.caption(t("risk.no_mitigation"))
    when = format_date(lang, assessment.next_review)
    if assessment.overdue:
        st.error(t("risk.review_overdue_sentence", date=when), icon=":material/event_busy:")
    else:
        st.markdown(f"**{t('risk.next_review')}:** {when}")
    st.caption(
        markdown_literal(
            t(
                "risk.assessed_by",
                person=person_label(assessment.assessed_by_name or assessment.assessed_by),
                date=format_date(lang, assessment.assessed_at),
            )
        )
    )


def signal_facts(signal: Signal | None) -> None:
    """The signal's level and every reason behind it."""
    if signal is None:
        level_badge("unknown")
        return
    level_badge(signal.level)
    for reason in signal.reasons:
        st.markdown("- " + markdown_literal(wording.reason_text(language(), reason)))
    st.caption(t("risk.signal_note"))


def assessment_form(model: ModelRisk, risk: str, actor: Identity, service: RiskService) -> None:
    """Likelihood, impact, mitigation and next review; the values stay when a save is refused."""
    current = model.assessments.get(risk)
    prefix = f"risk.form.{model.name}.{risk}"
    st.caption(t("risk.form_intro"))
    with st.form(prefix):
        likelihood_column, impact_column = st.columns(2)
        likelihood = inputs.selectbox(
            likelihood_column,
            t("risk_field.likelihood"),
            list(SCALE),
            index=current.likelihood - 1 if current else None,
            format_func=lambda v: wording.scale_word(language(), "likelihood", v),
            placeholder=t("risk.choose"),
            help=t("risk.likelihood_help"),
            key=f"{prefix}.likelihood",
        )
        impact = inputs.selectbox(
            impact_column,
            t("risk_field.impact"),
            list(SCALE),
            index=current.impact - 1 if current else None,
            format_func=lambda v: wording.scale_word(language(), "impact", v),
            placeholder=t("risk.choose"),
            help=t("risk.impact_help"),
            key=f"{prefix}.impact",
        )
        mitigation = st.text_area(
            t("risk_field.mitigation"),
            value=current.mitigation if current else "",
            height=90,
            placeholder=t("risk.mitigation_placeholder"),
            max_chars=MITIGATION_MAX,
            key=f"{prefix}.mitigation",
        )
        review = inputs.date_input(
            st,
            t("risk_field.next_review"),
            value=clock.today() + REVIEW_DEFAULT,
            help=t("risk.next_review_help"),
            key=f"{prefix}.next_review",
        )
        submitted = st.form_submit_button(t("risk.save"), type="primary")
    if not submitted:
        return
    draft = AssessmentDraft(risk, likelihood, impact, mitigation or "", review)
    done, _ = attempt(lambda: service.assess(actor, model.name, draft), "risk_field")
    if done:
        st.session_state[_SAVED] = t("risk.saved", risk=wording.risk_name(language(), risk))
        st.rerun()


def history_table(history: list[Assessment]) -> None:
    """Every assessment of one risk, newest first."""
    lang = language()
    tables.dataframe(
        [
            {
                "assessed_at": a.assessed_at,
                "person": person_label(a.assessed_by_name or a.assessed_by),
                "likelihood": a.likelihood,
                "impact": a.impact,
                "score": a.score,
                "level": wording.level_word(lang, a.level),
                "mitigation": a.mitigation,
                "review": a.next_review,
            }
            for a in history
        ],
        hide_index=True,
        column_config={
            "assessed_at": st.column_config.DatetimeColumn(
                t("risk.col_assessed_at"), format=DATE_COLUMN_FORMAT[lang]
            ),
            "person": t("risk.col_person"),
            "likelihood": t("risk_field.likelihood"),
            "impact": t("risk_field.impact"),
            "score": t("risk.col_score"),
            "level": t("risk.col_level"),
            "mitigation": st.column_config.TextColumn(t("risk.col_mitigation"), width="large"),
            "review": st.column_config.DateColumn(
                t("risk.col_review"), format=DATE_COLUMN_FORMAT[lang]
            ),
        },
    )


# --- criticality, accountability, experts --------------------------------------------------------


def criticality(model: ModelRisk, actor: Identity, service: RiskService, may_govern: bool) -> None:
    """How critical the model is and who is accountable; owners and admins change it."""
    st.subheader(t("risk.criticality_title"), help=t("risk.criticality_help"))
    record = model.governance
    left, right = st.columns(2, gap="large")
    with left:
        _fact(t("risk_field.decision_mode"), wording.mode_word(language(), model.decision_mode))
        st.caption(t("risk.decision_mode_hint"))
        _fact(t("risk_field.serving_mode"), serving_word(record.serving_mode))
        _fact(t("risk_field.ai_act_category"), category_word(record.ai_act_category))
        _fact(t("risk_field.human_oversight"), record.human_oversight)
    with right:
        _fact(t("risk_field.accountable_executive"), record.accountable_executive, person=True)
        _fact(t("risk_field.business_owner"), record.business_owner, person=True)
        st.markdown(
            people_line(t("tags.owner"), model.technical_owners, t("common.not_documented"))
        )
        _fact(t("tags.team"), model.team)
        st.caption(t("risk.mlflow_hint"))
    if record.ai_act_category == "prohibited":
        st.error(t("risk.prohibited"), icon=":material/block:")
    if model.evidence:
        evidence(model)
    elif record.ai_act_category != "high":
        st.caption(t("risk.evidence_only_high"))
    if may_govern:
        with st.expander(t("risk.governance_form"), icon=":material/edit:"):
            governance_form(model, actor, service)


def evidence(model: ModelRisk) -> None:
    """For EU AI Act high-risk models: what the portal holds as evidence, gaps by name."""
    st.markdown(f"**{t('risk.evidence_title')}**", help=t("risk.evidence_help"))
    for item in model.evidence:
        if item.present:
            st.markdown(f":green[:material/check_circle:] {t(f'evidence.{item.code}_present')}")
        else:
            st.markdown(f":red[:material/cancel:] {t(f'evidence.{item.code}_missing')}")
    gaps = [t(f"evidence.{item.code}") for item in model.evidence if not item.present]
    if gaps:
        st.warning(t("risk.evidence_gaps", gaps=", ".join(gaps)), icon=":material/warning:")
    else:
        st.success(t("risk.evidence_complete"), icon=":material/verified:")


def governance_form(model: ModelRisk, actor: Identity, service: RiskService) -> None:
    """Accountable executive, business owner, serving mode, EU AI Act category, oversight."""
    record = model.governance
    prefix = f"risk.governance.{model.name}"
    st.caption(t("risk.governance_intro"))
    with st.form(prefix):
        executive_column, owner_column = st.columns(2)
        executive = executive_column.text_input(
            t("risk_field.accountable_executive"),
            value=record.accountable_executive,
            placeholder="name@example.com",
            help=t("risk.executive_help"),
            max_chars=GOVERNANCE_LIMIT,
            key=f"{prefix}.executive",
        )
        owner = owner_column.text_input(
            t("risk_field.business_owner"),
            value=record.business_owner,
            placeholder="name@example.com",
            help=t("risk.business_owner_help"),
            max_chars=GOVERNANCE_LIMIT,
            key=f"{prefix}.business_owner",
        )
        serving_column, category_column = st.columns(2)
        serving = inputs.selectbox(
            serving_column,
            t("risk_field.serving_mode"),
            ["", *SERVING_MODES],
            index=_index(["", *SERVING_MODES], record.serving_mode),
            format_func=serving_word,
            key=f"{prefix}.serving",
        )
        category = inputs.selectbox(
            category_column,
            t("risk_field.ai_act_category"),
            ["", *AI_ACT_CATEGORIES],
            index=_index(["", *AI_ACT_CATEGORIES], record.ai_act_category),
            format_func=category_word,
            help=t("risk.category_help"),
            key=f"{prefix}.category",
        )
        oversight = st.text_area(
            t("risk_field.human_oversight"),
            value=record.human_oversight,
            height=80,
            placeholder=t("risk.oversight_placeholder"),
            max_chars=GOVERNANCE_LIMIT * 10,  # the service allows oversight ten fields' length
            key=f"{prefix}.oversight",
        )
        submitted = st.form_submit_button(t("risk.save_governance"), type="primary")
    if not submitted:
        return
    values = Governance(executive, owner, serving, category, oversight)
    done, changed = attempt(lambda: service.set_governance(actor, model.name, values), "risk_field")
    if not done:
        return
    if not changed:
        st.info(t("risk.governance_unchanged"))
        return
    st.session_state[_SAVED] = t("risk.governance_saved")
    st.rerun()


def experts(model: ModelRisk, actor: Identity, service: RiskService, may_govern: bool) -> None:
    """The named domain experts; owners and admins add and remove them."""
    st.subheader(t("risk.experts_title"), help=t("risk.experts_help"))
    if not model.experts:
        st.caption(t("risk.experts_none"))
    for email in model.experts:
        name_column, remove_column = st.columns([4, 1])
        name_column.markdown(person_markdown(email))
        if may_govern and remove_column.button(
            t("risk.expert_remove"), key=f"risk.expert_remove.{model.name}.{email}"
        ):
            done, _ = attempt(
                lambda email=email: service.remove_expert(actor, model.name, email), "risk_field"
            )
            if done:
                st.session_state[_SAVED] = t("risk.expert_removed", email=markdown_literal(email))
                st.rerun()
    if not may_govern:
        return
    with st.form(f"risk.expert_add.{model.name}"):
        email = st.text_input(
            t("risk_field.email"),
            placeholder="name@example.com",
            max_chars=GOVERNANCE_LIMIT,
            key=f"risk.expert_email.{model.name}",
        )
        submitted = st.form_submit_button(t("risk.expert_add"))
    if not submitted:
        return
    done, added = attempt(lambda: service.name_expert(actor, model.name, email), "risk_field")
    if not done:
        return
    if not added:
        st.info(t("risk.expert_already"))
        return
    st.session_state[_SAVED] = t(
        "risk.expert_added", email=markdown_literal(email.strip().casefold())
    )
    st.rerun()


# --- helpers ------------------------------------------------------------------------------------


def _fact(label: str, value: str, person: bool = False) -> None:
    """A label and its value (a person by name); missing values read 'not documented' (or
    'nobody named')."""
    if value:
        st.markdown(f"**{label}:** {person_markdown(value) if person else markdown_literal(value)}")
    else:
        missing = t("risk.nobody_named") if person else t("common.not_documented")
        st.markdown(f"**{label}:** _{missing}_")


def _owners(model: ModelRisk) -> tuple[str, ...]:
    """Business owner and technical owners, each once."""
    people = (model.governance.business_owner, *model.technical_owners)
    return tuple(dict.fromkeys(p for p in people if p))


def serving_word(mode: str) -> str:
    return t(f"risk_serving.{mode}") if mode else t("risk.not_set")


def category_word(category: str) -> str:
    return t(f"risk_category.{category}") if category else t("risk.not_set")


def _index(options: list[str], value: str) -> int:
    return options.index(value) if value in options else 0


def _choices(values) -> list[str]:
    """Distinct values, sorted, the empty one ('not documented') last."""
    return sorted(set(values), key=lambda v: (v == "", v.casefold()))


def _or_not_documented(value: str) -> str:
    return without_bidi_controls(value) or t("common.not_documented")
