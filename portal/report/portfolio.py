"""The portfolio report: headline figures, the models needing attention, what changed since the
previous report, the risk matrix and every model with its value, health and risk lights."""

from __future__ import annotations

from reportlab.platypus import Flowable

from portal.charts import HeatPoint, risk_heatmap
from portal.domain.report import Changes, ModelStatus, StatusChange, severity
from portal.domain.risk import (
    HIGH_FROM,
    MEDIUM_FROM,
    RISKS,
    SCALE,
    RiskPortfolio,
    risk_level,
    risk_score,
)
from portal.report import images
from portal.report.common import freshness, page_frame
from portal.report.facts import PortfolioFacts
from portal.report.layout import (
    BAD,
    CAUTION,
    GOOD,
    MUTED_HEX,
    NEUTRAL,
    STYLES,
    WIDTH,
    Words,
    breakable,
    build,
    cut,
    dot,
    esc,
    gap,
    glance,
    heading,
    light,
    person,
    rich,
    status_light,
    subheading,
    table,
    text,
)
from portal.text import wording
from portal.text.format import format_date, format_money, format_percent, format_period

PROCESS_CHARACTERS = 160  # a business process in the model list; the fact sheet has it whole
MISSING_NAMED = 15  # unplaced models named below the matrix; more are counted
# How serious each reason for attention is, for its dot (the words say what it is).
REASON_COLOURS = {
    "high_risk": BAD,
    "drifting": BAD,
    "value_off_track": BAD,
    "check_failed": BAD,
    "review_overdue": CAUTION,
    "no_executive": CAUTION,
    "watch": CAUTION,
    "value_at_risk": CAUTION,
    "not_assessed": CAUTION,
}


def render(facts: PortfolioFacts, language: str) -> tuple[bytes, int]:
    """The portfolio report as PDF bytes and its page count."""
    t = Words(language)
    title = t("report.portfolio_title")
    when = format_date(language, facts.generated_at)
    return build(
        story(facts, t),
        page_frame(t, f"{title} · {when}", facts.generated_by, facts.generated_at),
        language,
        title=f"{title} {when}",
        author=facts.generated_by,
        subject=t("report.portfolio_subject", count=len(facts.snapshot.models)),
    )


def story(facts: PortfolioFacts, t: Words) -> list[Flowable]:
    lang = t.language
    parts: list[Flowable] = [
        text(t("report.portfolio_title"), STYLES.kicker),
        text(t("report.portfolio_heading"), STYLES.title),
        text(
            t(
                "report.portfolio_subtitle",
                count=len(facts.snapshot.models),
                date=format_date(lang, facts.generated_at),
            ),
            STYLES.subtitle,
        ),
        gap(8),
        headline(facts, t),
    ]
    parts += attention(facts, t)
    parts += changes(facts, t)
    parts += models(facts, t)
    parts += matrix(facts, t)
    parts += freshness(
        t, facts.data, facts.generated_at, facts.generated_by, facts.overview.is_demo
    )
    return parts


# --- headline figures --------------------------------------------------------------------------


def headline(facts: PortfolioFacts, t: Words) -> Flowable:
    """Models, in production, value realized against promised, high risks, drifting, feedback."""
    lang = t.language
    value = facts.value
    currency = facts.settings.currency
    period = format_period(lang, value.first, value.last)
    if value.realized_money is not None and value.promised_money is not None:
        realized = format_money(lang, value.realized_money, currency)
        promised = t("value.tile_of", promised=format_money(lang, value.promised_money, currency))
        promised += f" · {period}"
    else:
        realized, promised = "–", period
    high = facts.risk.high_risks
    in_production = facts.overview.in_production
    return glance(
        t("report.at_a_glance"),
        [
            (t("overview.models"), str(facts.overview.models), ""),
            (t("overview.in_production"), str(in_production), ""),
            (t("value.realized_money"), realized, promised),
            (
                t("value.off_track"),
                str(len(value.off_track_models)),
                t(
                    "report.off_track_below",
                    share=format_percent(lang, facts.settings.value_off_track),
                ),
            ),
            (
                t("risk.tile_high"),
                str(len(high)),
                t("report.in_models", count=len({a.model_name for a in high})),
            ),
            (
                t("drift_light.drifting"),
                str(facts.drift.counts.get("drifting", 0)),
                t("report.of_production", count=in_production),
            ),
            (
                t("feedback.count_open"),
                str(facts.feedback.open),
                t("report.of_total", total=facts.feedback.total),
            ),
        ],
        weights=[0.12, 0.12, 0.24, 0.13, 0.13, 0.13, 0.13],
    )


# --- needs attention ---------------------------------------------------------------------------


def attention(facts: PortfolioFacts, t: Words) -> list[Flowable]:
    title = t("report.attention_title")
    if not facts.attention:
        return heading(title, text(t("report.attention_none")))
    nobody = rich(f'<font color="{NEUTRAL}">{esc(t("risk.nobody_named"))}</font>', STYLES.cell)
    rows = []
    for model, reasons in facts.attention:
        lines = [
            f"{dot(REASON_COLOURS.get(reason, NEUTRAL))}"
            + esc(reason_text(t, facts, model, reason))
            for reason in reasons
        ]
        executive = model.accountable_executive
        rows.append(
            [
                model.name,
                [rich(line, STYLES.cell_hang) for line in lines],
                person(executive, 0.25 * WIDTH) if executive else nobody,
            ]
        )
    return heading(
        title,
        text(t("report.attention_intro", count=len(facts.attention))),
        table(
            [t("risk.col_model"), t("report.col_why"), t("risk.col_executive")],
            rows,
            [0.27, 0.48, 0.25],
            bold_first=True,
        ),
    )


def reason_text(t: Words, facts: PortfolioFacts, model: ModelStatus, reason: str) -> str:
    """One reason a model needs attention, in words."""
    lang = t.language
    settings = facts.settings
    values = {
        "high_risk": {"risks": ", ".join(wording.risk_name(lang, r) for r in model.high_risks)},
        "review_overdue": {"count": model.overdue_reviews},
        "value_off_track": {"threshold": format_percent(lang, settings.value_off_track)},
        "value_at_risk": {"threshold": format_percent(lang, settings.value_on_track)},
    }.get(reason, {})
    return t(f"report_attention.{reason}", **values)


# --- what changed ------------------------------------------------------------------------------


def changes(facts: PortfolioFacts, t: Words) -> list[Flowable]:
    lang = t.language
    found = facts.changes
    parts: list[Flowable] = [*heading(t("report_change.title"))]
    if found is None:
        return [*parts, text(t("report_change.first"))]
    when = format_date(lang, found.previous_at)
    who = facts.previous_by or t("report_change.someone")
    if found.nothing:
        return [*parts, text(t("report_change.nothing", date=when, who=who))]
    parts.append(text(t("report_change.since", date=when, who=who)))
    parts += _name_list(t("report_change.new_models"), found.new_models)
    parts += _name_list(t("report_change.retired_models"), found.retired_models)
    parts += _versions(found, t)
    parts += _statuses(found, t)
    parts += _benchmarks(found, t)
    if found.new_high_risks:
        parts += subheading(t("report_change.new_high_risks", count=len(found.new_high_risks)))
        parts.append(
            table(
                [t("risk.col_model"), t("risk.col_risk")],
                [[name, wording.risk_name(lang, risk)] for name, risk in found.new_high_risks],
                [0.45, 0.55],
                bold_first=True,
            )
        )
    return parts


def _name_list(title: str, names: tuple[str, ...]) -> list[Flowable]:
    if not names:
        return []
    return [*subheading(f"{title} ({len(names)})"), text(", ".join(names))]


def _version_word(t: Words, version: int | None) -> str:
    if version is None:
        return t("report.not_in_production")
    return t("common.version", version=version)


def _versions(found: Changes, t: Words) -> list[Flowable]:
    if not found.version_changes:
        return []
    return [
        *subheading(t("report_change.versions", count=len(found.version_changes))),
        table(
            [t("risk.col_model"), t("report_change.before"), t("report_change.after")],
            [
                [c.model_name, _version_word(t, c.before), _version_word(t, c.after)]
                for c in found.version_changes
            ],
            [0.4, 0.3, 0.3],
            bold_first=True,
        ),
    ]


def _statuses(found: Changes, t: Words) -> list[Flowable]:
    if not found.status_changes:
        return []
    return [
        *subheading(t("report_change.statuses", count=len(found.status_changes))),
        table(
            [
                t("risk.col_model"),
                t("report_change.aspect"),
                t("report_change.before"),
                t("report_change.after"),
                t("report_change.direction"),
            ],
            [
                [
                    c.model_name,
                    t(f"report.{c.aspect}"),
                    status_light(t, c.aspect, c.before),
                    status_light(t, c.aspect, c.after),
                    _direction(t, c),
                ]
                for c in found.status_changes
            ],
            [0.28, 0.12, 0.2, 0.2, 0.2],
            bold_first=True,
        ),
    ]


def _direction(t: Words, change: StatusChange):
    if change.worse:
        return light(t("report_change.worse"), BAD)
    if severity(change.aspect, change.after) < severity(change.aspect, change.before):
        return light(t("report_change.better"), GOOD)
    return light(t("report_change.changed"), NEUTRAL)


def _benchmarks(found: Changes, t: Words) -> list[Flowable]:
    if not found.benchmark_revisions:
        return []
    rows = []
    for revision in found.benchmark_revisions:
        before = (
            t("common.version", version=revision.before)
            if revision.before is not None
            else t("report.no_benchmark")
        )
        rows.append(
            [
                revision.model_name,
                revision.kpi,
                before,
                t("common.version", version=revision.after),
            ]
        )
    return [
        *subheading(t("report_change.benchmarks", count=len(found.benchmark_revisions))),
        text(t("report_change.benchmarks_note"), STYLES.note),
        table(
            [
                t("risk.col_model"),
                t("value.col_kpi"),
                t("report_change.before"),
                t("report_change.after"),
            ],
            rows,
            [0.3, 0.3, 0.2, 0.2],
            bold_first=True,
        ),
    ]


# --- risk matrix -------------------------------------------------------------------------------


def heat_points(portfolio: RiskPortfolio, t: Words) -> list[HeatPoint]:
    """Each model where its most serious assessed risk sits, as the risk page places it."""
    points = []
    for model in portfolio.models:
        assessed = sorted(model.assessments.values(), key=lambda a: (-a.score, RISKS.index(a.risk)))
        if assessed:
            worst = assessed[0]
            label = f"{model.name} ({wording.risk_name(t.language, worst.risk)})"
            points.append(HeatPoint(label, worst.likelihood, worst.impact))
    return points


def matrix(facts: PortfolioFacts, t: Words) -> list[Flowable]:
    lang = t.language
    portfolio = facts.risk
    points = heat_points(portfolio, t)
    if not points:
        return [*heading(t("risk.matrix_title")), text(t("report.matrix_empty"))]
    figure = risk_heatmap(
        points,
        [wording.scale_word(lang, "likelihood", value) for value in SCALE],
        [wording.scale_word(lang, "impact", value) for value in SCALE],
        t("risk.axis_likelihood"),
        t("risk.axis_impact"),
        [[risk_level(risk_score(likelihood, impact)) for impact in SCALE] for likelihood in SCALE],
        {level: wording.level_word(lang, level) for level in ("high", "medium", "low")},
        t("risk.matrix_more"),
    )
    # The page's axis titles are long questions; on the smaller printed matrix they stay whole.
    figure.update_xaxes(title_font_size=12)
    figure.update_yaxes(title_font_size=12)
    parts: list[Flowable] = [
        *heading(
            t("risk.matrix_title"),
            text(t("risk.matrix_help")),
            images.chart(figure, WIDTH, 235),
            text(
                t(
                    "risk.matrix_legend",
                    medium=MEDIUM_FROM,
                    high=HIGH_FROM,
                    below=MEDIUM_FROM - 1,
                    top=HIGH_FROM - 1,
                ),
                STYLES.note,
            ),
        ),
    ]
    missing = [m.name for m in portfolio.models if not m.assessments]
    if len(missing) > MISSING_NAMED:
        parts.append(text(t("report.matrix_missing_count", count=len(missing)), STYLES.note))
    elif missing:
        parts.append(text(t("risk.matrix_missing", models=", ".join(missing)), STYLES.note))
    return parts


# --- every model -------------------------------------------------------------------------------


def models(facts: PortfolioFacts, t: Words) -> list[Flowable]:
    lang = t.language
    processes = {row.name: row.business_process for row in facts.inventory}
    value = facts.value
    rows = []
    for model in sorted(facts.snapshot.models, key=lambda m: m.name.casefold()):
        executive = model.accountable_executive
        version = (
            t("common.version", version=model.production_version)
            if model.production_version is not None
            else t("report.not_in_production")
        )
        rows.append(
            [
                rich(
                    f"<b>{breakable(model.name, 0.23 * WIDTH - 8, STYLES.cell_bold)}</b><br/>"
                    f'<font size="7.5" color="{MUTED_HEX}">{esc(version)}</font>',
                    STYLES.cell,
                ),
                cut(processes.get(model.name, ""), PROCESS_CHARACTERS) or "–",
                status_light(t, "value", model.value),
                status_light(t, "health", model.health),
                status_light(t, "risk", model.risk),
                person(executive, 0.2 * WIDTH) if executive else "–",
            ]
        )
    # Not kept together: the list splits across pages, its header row repeated.
    return [
        *heading(t("report.models_title", count=len(facts.snapshot.models))),
        text(
            t("report.models_note", period=format_period(lang, value.first, value.last)),
            STYLES.note,
        ),
        table(
            [
                t("risk.col_model"),
                t("tags.business_process"),
                t("report.value"),
                t("report.health"),
                t("report.risk"),
                t("risk.col_executive"),
            ],
            rows,
            [0.23, 0.18, 0.13, 0.14, 0.12, 0.20],
            bold_first=True,
        ),
    ]
