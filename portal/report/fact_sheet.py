"""One model's fact sheet: what it does, who answers for it, value, health, risks, feedback,
lineage and documentation, on one to three A4 pages."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable, Paragraph

from portal.charts import MoneyPoint, drift_trend_chart, value_over_time_chart
from portal.domain.feedback import FeedbackItem
from portal.domain.glance import ModelGlance, glance_of
from portal.domain.risk import HIGH_FROM, MEDIUM_FROM, RISKS, ModelRisk
from portal.report import costs as cost_pdf
from portal.report import estimation as estimation_pdf
from portal.report import fairness as fairness_pdf
from portal.report import images, incidents, reviews, signoffs
from portal.report import use_cases as use_case_pdf
from portal.report.common import freshness, page_frame
from portal.report.facts import FactSheetFacts
from portal.report.layout import (
    BAD,
    GOOD,
    MUTED_HEX,
    NEUTRAL,
    STYLES,
    WIDTH,
    Words,
    bold,
    build,
    cut,
    dot,
    esc,
    fact_rows,
    gap,
    glance,
    heading,
    keep,
    light,
    rich,
    status_colour,
    status_light,
    status_word,
    subheading,
    table,
    text,
)
from portal.text import wording
from portal.text.format import (
    format_date,
    format_datetime,
    format_marker,
    format_money,
    format_percent,
    format_period,
)

FEEDBACK_SHOWN = 12  # open reports listed; the rest are counted
DESCRIPTION_CHARACTERS = 220
MITIGATION_CHARACTERS = 260
PURPOSE_CHARACTERS = 300  # under the title; a longer purpose is printed whole under "What it does"
NAME_CHARACTERS = 80  # a submitter's name as the feedback table shows it
GLANCE_CHARACTERS = 90  # people in the glance block; the section below prints them whole


def render(facts: FactSheetFacts, language: str) -> tuple[bytes, int]:
    """The fact sheet as PDF bytes and its page count."""
    t = Words(language)
    name = facts.card.name
    title = t("report.fact_sheet_title")
    return build(
        story(facts, t),
        page_frame(t, f"{title} · {name}", facts.generated_by, facts.generated_at),
        language,
        title=f"{title}: {name}",
        author=facts.generated_by,
        subject=t("report.fact_sheet_subject", model=name),
    )


def story(facts: FactSheetFacts, t: Words) -> list[Flowable]:
    card = facts.card
    purpose = card.tags.get("purpose", "").strip()
    parts: list[Flowable] = [
        text(t("report.fact_sheet_title"), STYLES.kicker),
        text(card.name, STYLES.title),
        text(cut(purpose, PURPOSE_CHARACTERS) or t("card.no_purpose"), STYLES.subtitle),
        gap(8),
        *at_a_glance(facts, t),
    ]
    parts += what_and_who(facts, t)
    parts += use_case_pdf.fact_sheet_section(facts.use_case, t)
    parts += value(facts, t)
    parts += cost_pdf.fact_sheet_section(
        facts.model_return, facts.returns, t, facts.settings.currency
    )
    parts += health(facts, t)
    parts += estimation_pdf.fact_sheet_section(facts.estimate, facts.status.in_production, t)
    parts += fairness_pdf.fact_sheet_section(facts.fairness, facts.status.in_production, t)
    parts += risks(facts, t)
    parts += reviews.fact_sheet_section(facts.review, t)
    parts += feedback(facts, t)
    parts += incidents.fact_sheet_section(facts.incidents, t)
    parts += signoffs.fact_sheet_section(facts.signoffs, card.production_version, t)
    parts += lineage(facts, t)
    parts += documentation(facts, t)
    parts += freshness(t, facts.data, facts.generated_at, facts.generated_by, card.is_demo)
    return parts


# --- at a glance -------------------------------------------------------------------------------


def at_a_glance(facts: FactSheetFacts, t: Words) -> list[Flowable]:
    """The model card's glance block: production, money against the promise, health, worst
    risk and open feedback; then who answers for the model and its documentation score."""
    lang = t.language
    facts_glance = facts.glance or glance_of(
        facts.card,
        facts.risk,
        facts.drift,
        facts.value,
        len(facts.open_feedback),
        facts.feedback_total,
    )
    if facts_glance.production_version is None:
        production: tuple[str, object, str] = (
            t("card.production"),
            t("report.not_in_production"),
            "",
        )
    else:
        production = (
            t("card.production"),
            t("common.version", version=facts_glance.production_version),
            t("report.since", date=format_date(lang, facts_glance.production_since))
            if facts_glance.production_since
            else "",
        )
    health_note = ""
    if facts_glance.checked_at is not None:
        health_note = t("report.checked_on", date=format_date(lang, facts_glance.checked_at))
    worst = facts_glance.worst_risk
    first = glance(
        t("report.at_a_glance"),
        [
            production,
            _glance_value(facts_glance, facts.settings.currency, t),
            (
                t("report.health"),
                status_light(t, "health", facts_glance.health, STYLES.glance),
                health_note,
            ),
            (
                t("glance.worst_risk"),
                status_light(t, "risk", worst.level if worst else "", STYLES.glance),
                t(
                    "glance.risk_note_assessed" if worst.assessed else "glance.risk_note_signal",
                    risk=wording.risk_name(lang, worst.risk),
                )
                if worst
                else "",
            ),
            (
                t("report.open_feedback"),
                str(facts_glance.open_feedback),
                t("report.of_total", total=facts_glance.feedback_total),
            ),
        ],
        weights=[0.16, 0.28, 0.18, 0.2, 0.18],
    )
    people = glance(
        t("card.responsible"),
        [
            _glance_person(
                t("risk_field.accountable_executive"),
                facts_glance,
                (facts_glance.accountable_executive,),
                t,
            ),
            _glance_person(
                t("risk_field.business_owner"), facts_glance, (facts_glance.business_owner,), t
            ),
            _glance_person(
                t("report.technical_owners"), facts_glance, facts_glance.technical_owners, t
            ),
            (
                t("glance.documentation"),
                format_percent(lang, facts_glance.documentation_score),
                t("glance.documentation_gaps", count=facts_glance.documentation_gaps)
                if facts_glance.documentation_gaps
                else t("glance.documentation_complete"),
            ),
        ],
        weights=[0.28, 0.26, 0.28, 0.18],
    )
    return [first, people]


def _glance_value(facts_glance: ModelGlance, currency: str, t: Words) -> tuple[str, object, str]:
    """Money realized of promised over the quarter, its status and the money per month."""
    lang = t.language
    money = facts_glance.money
    period = format_period(lang, money.first, money.last)
    label = t("glance.value")
    if facts_glance.kpis == 0:
        return label, t("glance.no_promise"), period
    word = status_word(t, "value", facts_glance.value_status)
    if money.realized is None or money.promised is None:
        return label, status_light(t, "value", facts_glance.value_status, STYLES.glance), period
    shown = t(
        "glance.money",
        realized=format_money(lang, money.realized, currency),
        promised=format_money(lang, money.promised, currency),
    )
    per_month = t(
        "glance.per_month",
        realized=format_money(lang, money.realized_per_month or 0.0, currency),
        promised=format_money(lang, money.promised_per_month or 0.0, currency),
    )
    return (
        label,
        light(shown, status_colour("value", facts_glance.value_status), STYLES.glance),
        f"{word} · {period} · {per_month}",
    )


def _glance_person(
    label: str, facts_glance: ModelGlance, emails: tuple[str, ...], t: Words
) -> tuple[str, str, str]:
    """People by name, their e-mail addresses under them; 'nobody named' when none."""
    named = [email for email in emails if email]
    if not named:
        return label, t("risk.nobody_named"), ""
    names = ", ".join(facts_glance.name_of(email) for email in named)
    addresses = ", ".join(email for email in named if facts_glance.name_of(email) != email)
    # The block stays a block: what "Who is responsible" prints whole is cut here.
    return label, cut(names, GLANCE_CHARACTERS), cut(addresses, GLANCE_CHARACTERS)


# --- what it does and who answers for it -------------------------------------------------------


def what_and_who(facts: FactSheetFacts, t: Words) -> list[Flowable]:
    card, model = facts.card, facts.risk
    missing = t("common.not_documented")
    mode = card.tags.get("decision_mode", "").strip()
    described = [
        (t("tags.business_process"), card.tags.get("business_process", "").strip()),
        (t("tags.business_unit"), card.tags.get("business_unit", "").strip()),
        (
            t("tags.decision_mode"),
            t(f"decision_mode.{mode}") if mode in ("advisory", "automated") else mode,
        ),
        (t("tags.intended_use"), card.tags.get("intended_use", "").strip()),
        (t("tags.limitations"), card.tags.get("limitations", "").strip()),
    ]
    if card.description.strip():
        described.insert(0, (t("report.description"), card.description.strip()))
    purpose = card.tags.get("purpose", "").strip()
    if len(purpose) > PURPOSE_CHARACTERS:
        described.insert(0, (t("tags.purpose"), purpose))
    rows = [(label, value or _muted(missing)) for label, value in described]
    rows.append((t("card.production"), _production_sentence(facts, t)))
    parts: list[Flowable] = [*heading(t("card.what")), *fact_rows(rows)]
    parts += subheading(t("card.responsible"))
    nobody = _muted(t("risk.nobody_named"))
    owners = model.technical_owners if model else ()
    owners = owners or tuple(o for o in [card.tags.get("owner", "").strip()] if o)
    people = [
        (
            t("risk_field.accountable_executive"),
            model.governance.accountable_executive if model else "",
        ),
        (t("risk_field.business_owner"), model.governance.business_owner if model else ""),
        (t("report.technical_owners"), ", ".join(owners)),
        (t("card.team"), (model.team if model else "") or card.tags.get("team", "").strip()),
        (t("risk.experts_title"), ", ".join(model.experts) if model else ""),
    ]
    parts += fact_rows([(label, value or nobody) for label, value in people])
    return parts


def _muted(value: str) -> Paragraph:
    """A placeholder such as 'not documented', in grey."""
    return rich(f'<font color="{NEUTRAL}">{esc(value)}</font>', STYLES.cell)


def _production_sentence(facts: FactSheetFacts, t: Words) -> str:
    card = facts.card
    if card.production_version is None:
        return t("card.no_production")
    marker = format_marker(t.language, card.production_marker)
    if card.production_since:
        return t(
            "card.production_now",
            version=card.production_version,
            since=format_date(t.language, card.production_since),
            marker=marker,
        )
    return t("card.production_now_unknown_since", version=card.production_version, marker=marker)


# --- value -------------------------------------------------------------------------------------


def value(facts: FactSheetFacts, t: Words) -> list[Flowable]:
    lang = t.language
    portfolio = facts.value
    parts: list[Flowable] = [*heading(t("value.card_section"))]
    if not portfolio.rows:
        return [*parts, text(t("value.card_empty"))]
    for row in portfolio.rows:
        sentence = wording.value_sentence(lang, row, portfolio.first, portfolio.last)
        if row.summary.months_missing and row.summary.status != "no_data":
            sentence += " " + t("value.missing_months", count=row.summary.months_missing)
        status = row.summary.status
        parts.append(
            rich(
                f"{dot(status_colour('value', status))}"
                f"{bold(status_word(t, 'value', status))}: {esc(sentence)}",
                STYLES.body_hang,
            )
        )
    currency = facts.settings.currency
    title = t("report.value_chart", currency=currency)
    if portfolio.realized_money is not None and portfolio.promised_money is not None:
        parts.append(
            text(
                t(
                    "report.value_money",
                    period=format_period(lang, portfolio.first, portfolio.last),
                    realized=format_money(lang, portfolio.realized_money, currency),
                    promised=format_money(lang, portfolio.promised_money, currency),
                )
            )
        )
    if all(month.realized is None for month in facts.money):
        return [*parts, *subheading(title), text(t("report.value_chart_empty"))]
    figure = value_over_time_chart(
        [MoneyPoint(datetime(m.year, m.month, 1), r, p) for m, r, p in facts.money],
        t("value.chart_realized"),
        t("value.chart_promised"),
        False,
        currency,
        language=lang,
    )
    months = [datetime(m.month.year, m.month.month, 1) for m in facts.money]
    # The reader's month names, not plotly's English ones; the year under January and the first.
    figure.update_xaxes(
        tickvals=months,
        ticktext=[month_label(lang, m, m == months[0]) for m in months],
        tickangle=0,
    )
    parts += subheading(
        title,
        images.chart(figure, WIDTH, 125),
        text(t("report.value_chart_note"), STYLES.note),
    )
    return parts


def month_label(lang: str, month: datetime, first: bool) -> str:
    """'Nov<br>2025' for the first month and January, else 'Dec' (German: 'Dez')."""
    name, year = format_period(lang, month, month).split(" ")
    return f"{name[:3]}<br>{year}" if first or month.month == 1 else name[:3]


# --- health ------------------------------------------------------------------------------------


def health(facts: FactSheetFacts, t: Words) -> list[Flowable]:
    lang = t.language
    drift = facts.drift
    parts: list[Flowable] = [*heading(t("drift.card_section"))]
    if not facts.status.in_production:
        return [*parts, text(t("drift.card_not_production"))]
    if drift is None:
        return [*parts, text(t("drift.card_no_check"))]
    sentence = wording.drift_sentence(lang, drift, facts.settings)
    word = status_word(t, "health", drift.light)
    # Sentences without a verdict often start with the light's word already.
    lead = "" if sentence.casefold().startswith(word.casefold()) else f"{bold(word)}: "
    parts.append(
        rich(
            f"{dot(status_colour('health', drift.light))}{lead}{esc(sentence)}",
            STYLES.body_hang,
        )
    )
    if drift.outcome == "checked":
        parts.append(text(wording.outputs_sentence(lang, drift)))
    checked = t("report.last_checked", when=format_datetime(lang, drift.checked_at))
    if drift.model_version is not None and drift.model_version != facts.card.production_version:
        checked += " " + t(
            "drift.card_other_version",
            checked=drift.model_version,
            current=facts.card.production_version,
        )
    parts.append(text(checked))
    if facts.quality:
        days = wording.window_days(drift, facts.settings)
        parts.extend(
            subheading(
                t("report.quality_title"),
                table(
                    [
                        t("drift.col_measure"),
                        t("drift.col_production", days=days),
                        t("drift.col_training"),
                        t("drift.col_quality_change"),
                        t("drift.col_verdict"),
                    ],
                    [
                        [
                            item.metric,
                            wording.quality_value(lang, item.metric, item.value),
                            wording.quality_value(lang, item.metric, item.training_value),
                            wording.signed_percent(lang, item.change),
                            wording.quality_verdict(lang, item),
                        ]
                        for item in facts.quality
                    ],
                    [0.2, 0.2, 0.2, 0.2, 0.2],
                ),
            )
        )
        parts.append(gap(6))
    weeks = [week for week in facts.drift_weeks if week.window_start is not None]
    if not weeks:
        return parts
    runs = rich(
        f"{bold(t('drift.fact_weeks', count=len(weeks)))}: {esc(wording.weeks_text(lang, weeks))}"
    )
    settings = facts.settings
    watch = format_percent(lang, settings.drift_watch_share)
    alert = format_percent(lang, settings.drift_alert_share)
    figure = drift_trend_chart(
        wording.trend_weeks(lang, weeks),
        settings.drift_watch_share,
        settings.drift_alert_share,
        t("drift.trend_series"),
        t("drift.trend_watch_line", share=watch),
        t("drift.trend_alert_line", share=alert),
        language=lang,
    )
    # The axis title does not fit the low printed chart; the note under it says what is shown.
    figure.update_yaxes(title=None)
    parts.append(
        keep(
            runs,
            images.chart(figure, WIDTH, 125),
            text(t("report.trend_note", watch=watch, alert=alert), STYLES.note),
        )
    )
    return parts


# --- risks -------------------------------------------------------------------------------------


def risks(facts: FactSheetFacts, t: Words) -> list[Flowable]:
    lang = t.language
    model = facts.risk
    title = t("report.risks_title")
    if model is None:
        return heading(title, text(t("report.risks_none")))
    if not model.assessments:
        return [*heading(title, *signals_only(model, t)), *evidence(model, t)]
    rows = []
    not_assessed = _muted(t("risk_level.none"))
    for risk in RISKS:
        assessment = model.assessments.get(risk)
        signal = model.signals.get(risk)
        signal_level = signal.level if signal else "unknown"
        signal_cell = light(t(f"risk_level.{signal_level}"), status_colour("risk", signal_level))
        if assessment is None:
            rows.append([wording.risk_name(lang, risk), not_assessed, "–", "–", signal_cell])
            continue
        review = wording.review_text(lang, assessment)
        level = assessment.level
        rows.append(
            [
                wording.risk_name(lang, risk),
                rich(
                    f"{dot(status_colour('risk', level))}{bold(status_word(t, 'risk', level))}"
                    f'<br/><font size="7.5" color="{MUTED_HEX}">'
                    f"{esc(wording.score_text(lang, assessment))}</font>",
                    STYLES.cell,
                ),
                cut(assessment.mitigation, MITIGATION_CHARACTERS)
                if assessment.mitigation
                else _muted(t("risk.no_mitigation")),
                rich(f'<font color="{BAD}">{esc(review)}</font>', STYLES.cell)
                if assessment.overdue
                else review,
                signal_cell,
            ]
        )
    parts = heading(
        title,
        text(
            t("report.risk_note", medium=MEDIUM_FROM, high=HIGH_FROM, below=MEDIUM_FROM - 1)
            + " "
            + t("risk.signal_note"),
            STYLES.note,
        ),
        table(
            [
                t("risk.col_risk"),
                t("risk.assessment"),
                t("risk.mitigation"),
                t("risk.col_review"),
                t("risk.col_signal"),
            ],
            rows,
            [0.19, 0.25, 0.30, 0.14, 0.12],
            bold_first=True,
        ),
    )
    governance = model.governance
    extra = []
    if governance.ai_act_category:
        extra.append(
            (t("risk_field.ai_act_category"), t(f"risk_category.{governance.ai_act_category}"))
        )
    if governance.human_oversight:
        extra.append((t("risk_field.human_oversight"), governance.human_oversight))
    if extra:
        parts += fact_rows(extra)
    return [*parts, *evidence(model, t)]


def evidence(model: ModelRisk, t: Words) -> list[Flowable]:
    """For an EU AI Act high-risk model, as the risk page lists it: what is missing first, then
    each piece of evidence held or not."""
    if not model.evidence:
        return []
    gaps = [t(f"evidence.{item.code}") for item in model.evidence if not item.present]
    summary = (
        rich(f"{dot(BAD)}{bold(t('risk.evidence_gaps', gaps=', '.join(gaps)))}", STYLES.body_hang)
        if gaps
        else rich(f"{dot(GOOD)}{bold(t('risk.evidence_complete'))}", STYLES.body_hang)
    )
    lines = [
        rich(
            f"{dot(GOOD if item.present else BAD)}"
            + esc(t(f"evidence.{item.code}_{'present' if item.present else 'missing'}")),
            STYLES.body_hang,
        )
        for item in model.evidence
    ]
    return subheading(t("risk.evidence_title"), summary, *lines)


def signals_only(model: ModelRisk, t: Words) -> list[Flowable]:
    """Without any assessment: what the data suggests for each risk, and why."""
    lang = t.language
    rows = []
    for risk in RISKS:
        signal = model.signals.get(risk)
        level = signal.level if signal else "unknown"
        reasons = " ".join(wording.reason_text(lang, r) for r in signal.reasons) if signal else ""
        rows.append(
            [
                wording.risk_name(lang, risk),
                light(t(f"risk_level.{level}"), status_colour("risk", level)),
                reasons or "–",
            ]
        )
    return [
        text(t("report.risks_not_assessed")),
        table(
            [t("risk.col_risk"), t("risk.col_signal"), t("report.col_signal_why")],
            rows,
            [0.19, 0.17, 0.64],
            bold_first=True,
        ),
        text(t("risk.signal_note"), STYLES.note),
    ]


# --- feedback ----------------------------------------------------------------------------------


def feedback(facts: FactSheetFacts, t: Words) -> list[Flowable]:
    items = facts.open_feedback
    title = t("report.feedback_title")
    if facts.feedback_total == 0:
        return heading(title, text(t("feedback.feed_empty")))
    if not items:
        return heading(title, text(t("report.feedback_all_resolved", total=facts.feedback_total)))
    parts = heading(
        title,
        text(t("report.feedback_open", open=len(items), total=facts.feedback_total)),
        table(
            [
                t("report.col_reference"),
                t("feedback_field.kind"),
                t("feedback_field.severity"),
                t("report.col_submitted"),
                t("feedback_field.status"),
                t("feedback_field.description"),
            ],
            [_feedback_row(item, t) for item in items[:FEEDBACK_SHOWN]],
            [0.12, 0.15, 0.14, 0.13, 0.12, 0.34],
        ),
    )
    if len(items) > FEEDBACK_SHOWN:
        parts.append(text(t("report.feedback_more", count=len(items) - FEEDBACK_SHOWN)))
    return parts


def _feedback_row(item: FeedbackItem, t: Words) -> list:
    description = cut(item.description, DESCRIPTION_CHARACTERS)
    # The submitter is named only when they chose to be.
    if item.show_name and item.submitter_name:
        name = cut(item.submitter_name, NAME_CHARACTERS)
        description += " — " + t("feedback.submitted_by", name=name)
    return [
        item.reference,
        t(f"feedback_kind.{item.kind}"),
        t(f"feedback_severity.{item.severity}"),
        format_date(t.language, item.submitted_at),
        t(f"feedback_status.{item.status}"),
        description,
    ]


# --- lineage and documentation -----------------------------------------------------------------


def lineage(facts: FactSheetFacts, t: Words) -> list[Flowable]:
    lang = t.language
    card, run = facts.card, facts.card.lineage
    missing = _muted(t("common.not_documented"))
    sources = facts.lineage.data_sources if facts.lineage else card.data_sources
    declared = (t("lineage.declared_sources"), ", ".join(sources) or missing)
    if card.described_version is None or run is None:
        return heading(t("card.lineage"), text(t("card.lineage_missing")), *fact_rows([declared]))
    datasets = "; ".join(f"{d.name} ({d.context})" if d.context else d.name for d in run.datasets)
    trained = format_datetime(lang, run.ended_at or run.started_at)
    rows = [
        (t("card.run"), f"{run.run_name} · {run.run_id}" if run.run_name else run.run_id),
        (t("card.experiment"), run.experiment_name),
        (t("card.trained_by"), f"{run.trained_by}, {trained}" if trained else run.trained_by),
        (t("card.git_commit"), run.git_commit),
        (t("card.code_source"), run.code_source),
        (t("card.datasets"), datasets or t("card.datasets_empty")),
    ]
    return heading(
        t("card.lineage"),
        text(t("card.lineage_intro", version=card.described_version)),
        *fact_rows([*((label, value or missing) for label, value in rows), declared]),
    )


def documentation(facts: FactSheetFacts, t: Words) -> list[Flowable]:
    card = facts.card
    lang = t.language
    sentence = t("card.documentation_score", score=format_percent(lang, card.documentation_score))
    if card.documentation_gaps:
        gaps = ", ".join(t(f"tags.{key}") for key in card.documentation_gaps)
        sentence += " " + t("card.documentation_gaps", gaps=gaps)
    else:
        sentence += " " + t("card.documentation_complete")
    return [*heading(t("card.documentation")), text(sentence)]
