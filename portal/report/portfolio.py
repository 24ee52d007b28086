"""The portfolio report, a board document at any portfolio size: headline figures, what needs
attention (kinds aggregated, the most consequential models by name, who acts), the risk matrix,
what changed since the previous report (counts and the most consequential names) and value by
business process, on a few pages; every model's row only in the optional appendix."""

from __future__ import annotations

from dataclasses import replace

from reportlab.platypus import Flowable, PageBreak, Paragraph

from portal.charts import HeatPoint, risk_heatmap
from portal.domain.attention import AttentionItem
from portal.domain.report import Changes, ProcessValue, StatusChange, severity
from portal.domain.risk import (
    HIGH_FROM,
    MEDIUM_FROM,
    RISKS,
    SCALE,
    RiskPortfolio,
    risk_level,
    risk_score,
)
from portal.report import costs as cost_pdf
from portal.report import images, incidents, signoffs
from portal.report import use_cases as use_case_pdf
from portal.report.common import freshness, page_frame
from portal.report.facts import PortfolioFacts
from portal.report.layout import (
    BAD,
    CAUTION,
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
    person,
    rich,
    status_light,
    status_word,
    subheading,
    table,
    text,
)
from portal.text import attention_wording, wording
from portal.text.format import format_date, format_money, format_percent, format_period

PROCESS_CHARACTERS = 160  # a business process in the model list; the fact sheet has it whole
MISSING_NAMED = 15  # unplaced models named below the matrix; more are counted
CELL_NAMED = 2  # models named in a cell of the risk matrix; a fuller cell shows its count
GROUP_NAMED = 3  # models named per kind of attention, the most consequential first
CHANGES_NAMED = 5  # changes named per kind of change; the rest are counted
PROCESSES_SHOWN = 15  # business processes with a row of their own; the rest share one
NAME_CHARACTERS = 120  # a model name in the board pages' lists (the appendix has it whole)
# How serious each kind of attention is, for its dot (the words say what it is).
KIND_COLOURS = {
    "high_risk": BAD,
    "drifting": BAD,
    "value_off_track": BAD,
    "check_failed": BAD,
    "review_overdue": CAUTION,
    "no_executive": CAUTION,
    "evidence_missing": CAUTION,
    "watch": CAUTION,
    "value_at_risk": CAUTION,
    "not_assessed": CAUTION,
}


def render(facts: PortfolioFacts, language: str, appendix: bool = False) -> tuple[bytes, int]:
    """The portfolio report as PDF bytes and its page count; `appendix` adds every model's row."""
    t = Words(language)
    title = t("report.portfolio_title")
    when = format_date(language, facts.generated_at)
    return build(
        story(facts, t, appendix),
        page_frame(t, f"{title} · {when}", facts.generated_by, facts.generated_at),
        language,
        title=f"{title} {when}",
        author=facts.generated_by,
        subject=t("report.portfolio_subject", count=len(facts.snapshot.models)),
    )


def story(facts: PortfolioFacts, t: Words, appendix: bool = False) -> list[Flowable]:
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
    parts += incidents.portfolio_section(facts.incidents, t)
    parts += use_case_pdf.portfolio_section(facts.use_cases, t)
    parts += signoffs.portfolio_section(facts.signoffs, t)
    parts += matrix(facts, t)
    parts += changes(facts, t)
    parts += processes(facts, t)
    parts += cost_pdf.portfolio_section(facts.returns, t, facts.settings.currency)
    parts += freshness(
        t, facts.data, facts.generated_at, facts.generated_by, facts.overview.is_demo
    )
    if appendix:
        parts += [PageBreak(), *models(facts, t)]
    else:
        parts.append(text(t("report_pack.appendix_hint"), STYLES.note))
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
    """The overview's attention list: the most consequential items by name with who acts, then
    every kind aggregated, its most consequential models named."""
    found = facts.attention
    title = t("report.attention_title")
    if not found.groups:
        return heading(title, text(t("report_pack.attention_none")))
    rows = [[_what(t, item), _who(t, facts, item)] for item in found.top]
    parts = heading(
        title,
        text(
            t(
                "report_pack.attention_intro",
                affected=found.models_affected,
                models=found.models_considered,
                top=len(found.top),
            )
        ),
        table([t("report_pack.col_what"), t("report_pack.col_who")], rows, [0.7, 0.3]),
    )
    groups = []
    for group in found.groups:
        names = [cut(name, NAME_CHARACTERS) for name in group.model_names[:GROUP_NAMED]]
        more = group.count - len(names)
        named = ", ".join(names) + (" " + t("report_pack.and_more", count=more) if more else "")
        groups.append(
            [
                rich(
                    f"{dot(KIND_COLOURS.get(group.kind, NEUTRAL))}"
                    f"{esc(attention_wording.kind_label(t.language, group.kind))}",
                    STYLES.cell_hang,
                ),
                attention_wording.group_sentence(t.language, group),
                named,
            ]
        )
    parts += subheading(
        t("report_pack.groups_title"),
        table(
            [t("report_pack.col_kind"), t("report_pack.col_how_many"), t("report_pack.col_first")],
            groups,
            [0.22, 0.42, 0.36],
        ),
    )
    return parts


def _what(t: Words, item: AttentionItem) -> Paragraph:
    """What is wrong and since when, with what is at stake under it."""
    lang = t.language
    # A name of thousands of characters is shortened here; the appendix prints it whole.
    shortened = replace(item, model_name=_name(item.model_name))
    what = breakable(
        attention_wording.what_text(lang, shortened), 0.7 * WIDTH - 17, STYLES.cell_hang
    )
    markup = f"{dot(KIND_COLOURS.get(item.kind, NEUTRAL))}{what}"
    stake = attention_wording.stake_text(lang, item.stake)
    if stake:
        markup += f'<br/><font size="7.5" color="{MUTED_HEX}">{esc(stake)}</font>'
    return rich(markup, STYLES.cell_hang)


def _who(t: Words, facts: PortfolioFacts, item: AttentionItem) -> Paragraph:
    """The person who acts by name (their address under it) and their role."""
    if not item.acts:
        return rich(
            f'<font color="{NEUTRAL}">{esc(attention_wording.acts_text(t.language, item))}</font>',
            STYLES.cell,
        )
    width = 0.3 * WIDTH - 8
    name = facts.people.name_of(item.acts)
    lines = [breakable(_name(name), width)]
    if name.casefold() != item.acts.casefold():
        address = breakable(_name(item.acts), width)
        lines.append(f'<font size="7.5" color="{MUTED_HEX}">{address}</font>')
    role = t(f"ownership_role.{item.acts_role}")
    lines.append(f'<font size="7.5" color="{MUTED_HEX}">{esc(role)}</font>')
    return rich("<br/>".join(lines), STYLES.cell)


# --- what changed ------------------------------------------------------------------------------


def changes(facts: PortfolioFacts, t: Words) -> list[Flowable]:
    """Each kind of change counted, its most consequential changes named (the service ranks
    them by what is at stake), so a thousand changes take the same room as ten."""
    lang = t.language
    found = facts.changes
    title = t("report_change.title")
    if found is None:
        return heading(title, text(t("report_change.first")))
    when = format_date(lang, found.previous_at)
    who = facts.previous_by or t("report_change.someone")
    if found.nothing:
        return heading(title, text(t("report_change.nothing", date=when, who=who)))
    rows = [row for row in _change_rows(found, t) if row is not None]
    return heading(
        title,
        text(t("report_change.since", date=when, who=who)),
        table(
            [t("report_change.aspect"), t("report_pack.col_count"), t("report_pack.col_first")],
            rows,
            [0.3, 0.1, 0.6],
            bold_first=True,
        ),
        text(t("report_pack.changes_note", count=CHANGES_NAMED), STYLES.note),
    )


def _change_rows(found: Changes, t: Words) -> list[list | None]:
    worse = [c for c in found.status_changes if c.worse]
    better = [c for c in found.status_changes if _better(c)]
    other = [c for c in found.status_changes if not c.worse and not _better(c)]
    return [
        _change_row(t, "report_pack.change_new", [_name(n) for n in found.new_models]),
        _change_row(t, "report_pack.change_retired", [_name(n) for n in found.retired_models]),
        _change_row(
            t,
            "report_pack.change_versions",
            [
                f"{_name(c.model_name)}: {_version_word(t, c.before)} → {_version_word(t, c.after)}"
                for c in found.version_changes
            ],
        ),
        _change_row(t, "report_pack.change_worse", [_status(t, c) for c in worse], worse),
        _change_row(t, "report_pack.change_better", [_status(t, c) for c in better], better),
        _change_row(t, "report_pack.change_other", [_status(t, c) for c in other], other),
        _change_row(
            t,
            "report_pack.change_benchmarks",
            [
                f"{_name(r.model_name)}: {cut(r.kpi, NAME_CHARACTERS)} "
                + (
                    t("report_pack.benchmark_revised", version=r.after)
                    if r.before is not None
                    else t("report_pack.benchmark_first")
                )
                for r in found.benchmark_revisions
            ],
        ),
        _change_row(
            t,
            "report_pack.change_high_risks",
            [
                f"{_name(name)}: {wording.risk_name(t.language, risk)}"
                for name, risk in found.new_high_risks
            ],
        ),
    ]


def _change_row(
    t: Words, key: str, lines: list[str], statuses: list[StatusChange] | None = None
) -> list | None:
    """One kind of change: its label, how many, and the first few (under how many of a status
    change touched each aspect), with how many more there are."""
    if not lines:
        return None
    shown = [rich(breakable(line, 0.6 * WIDTH - 8), STYLES.cell) for line in lines[:CHANGES_NAMED]]
    if statuses:
        aspects = [
            t("report_pack.aspect_count", aspect=t(f"report.{aspect}"), count=count)
            for aspect in ("value", "health", "risk")
            if (count := sum(1 for c in statuses if c.aspect == aspect))
        ]
        breakdown = f'<font color="{MUTED_HEX}">{esc(" · ".join(aspects))}</font>'
        shown.insert(0, rich(breakdown, STYLES.cell))
    if len(lines) > CHANGES_NAMED:
        more = t("report_pack.and_more_changes", count=len(lines) - CHANGES_NAMED)
        shown.append(rich(f'<font color="{MUTED_HEX}">{esc(more)}</font>', STYLES.cell))
    return [t(key), str(len(lines)), shown]


def _name(value: str) -> str:
    """A model's or person's name as the board pages show it: very long ones shortened."""
    return cut(value, NAME_CHARACTERS)


def _better(change: StatusChange) -> bool:
    return severity(change.aspect, change.after) < severity(change.aspect, change.before)


def _status(t: Words, change: StatusChange) -> str:
    before = status_word(t, change.aspect, change.before)
    after = status_word(t, change.aspect, change.after)
    return f"{_name(change.model_name)}: {t(f'report.{change.aspect}')} {before} → {after}"


def _version_word(t: Words, version: int | None) -> str:
    if version is None:
        return t("report.not_in_production")
    return t("common.version", version=version)


# --- value by business process -----------------------------------------------------------------


def processes(facts: PortfolioFacts, t: Words) -> list[Flowable]:
    """What the models of each business process bring against what they promised."""
    lang = t.language
    value = facts.value
    title = t("report_pack.processes_title")
    found = facts.processes
    if not found:
        return heading(title, text(t("report_pack.processes_empty")))
    shown = list(found[:PROCESSES_SHOWN])
    rest = found[PROCESSES_SHOWN:]
    rows = [_process_row(t, facts, row.process or None, row) for row in shown]
    if rest:
        rows.append(
            _process_row(
                t,
                facts,
                t("report_pack.processes_rest", count=len(rest)),
                ProcessValue(
                    "",
                    sum(r.models for r in rest),
                    sum(r.in_production for r in rest),
                    _total(r.promised_money for r in rest),
                    _total(r.realized_money for r in rest),
                    sum(r.off_track for r in rest),
                ),
            )
        )
    return heading(
        title,
        text(
            t("report_pack.processes_note", period=format_period(lang, value.first, value.last)),
            STYLES.note,
        ),
        table(
            [
                t("tags.business_process"),
                t("report_pack.col_models"),
                t("report_pack.col_promised"),
                t("report_pack.col_realized"),
                t("report_pack.col_attainment"),
                t("value.off_track"),
            ],
            rows,
            [0.25, 0.15, 0.16, 0.16, 0.15, 0.13],
            bold_first=True,
        ),
    )


def _process_row(t: Words, facts: PortfolioFacts, label: str | None, row: ProcessValue) -> list:
    lang = t.language
    currency = facts.settings.currency

    def money(amount: float | None) -> str:
        return format_money(lang, amount, currency) if amount is not None else "–"

    attainment = row.attainment
    name = (
        cut(label, PROCESS_CHARACTERS)
        if label is not None
        else rich(f'<font color="{NEUTRAL}">{esc(t("common.not_documented"))}</font>', STYLES.cell)
    )
    return [
        name,
        t("report_pack.models_in_production", count=row.models, production=row.in_production),
        money(row.promised_money),
        money(row.realized_money),
        format_percent(lang, attainment) if attainment is not None else "–",
        str(row.off_track),
    ]


def _total(amounts) -> float | None:
    known = [amount for amount in amounts if amount is not None]
    return sum(known) if known else None


# --- risk matrix -------------------------------------------------------------------------------


def heat_points(portfolio: RiskPortfolio, t: Words) -> list[HeatPoint]:
    """Each model where its most serious assessed risk sits, as the risk page places it; a cell
    holding more than CELL_NAMED models shows how many instead of their names."""
    cells: dict[tuple[int, int], list[str]] = {}
    for model in portfolio.models:
        assessed = sorted(model.assessments.values(), key=lambda a: (-a.score, RISKS.index(a.risk)))
        if assessed:
            worst = assessed[0]
            label = f"{model.name} ({wording.risk_name(t.language, worst.risk)})"
            cells.setdefault((worst.likelihood, worst.impact), []).append(label)
    points = []
    for (likelihood, impact), labels in sorted(cells.items()):
        if len(labels) > CELL_NAMED:
            labels = [t("report_pack.cell_count", count=len(labels))]
        points += [HeatPoint(label, likelihood, impact) for label in labels]
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
        *heading(t("report_pack.appendix_title", count=len(facts.snapshot.models))),
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
