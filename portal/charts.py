"""Plotly figure builders: data and labels in, Figure out; shared by pages and PDF reports."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import plotly.graph_objects as go

# Colours chosen to stay distinguishable for the common colour-vision deficiencies.
IN_PRODUCTION_COLOUR = "#1f6f8b"
NOT_IN_PRODUCTION_COLOUR = "#b8c4cc"
FONT = dict(family="Source Sans Pro, sans-serif", size=14)

# Plotly's own locales need a script registered in the browser, which Streamlit does not do:
# separators and month names are set on each figure instead.
_SEPARATORS = {"en": ".,", "de": ",."}
_DAY_FORMAT = {"en": "%Y-%m-%d", "de": "%d.%m.%Y"}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
}


def localized(figure: go.Figure, language: str) -> go.Figure:
    """The figure with the language's decimal and thousands separators, and its date axes
    without plotly's English month names (dates as 31.12.2026 in German)."""
    figure.update_layout(separators=_SEPARATORS.get(language, _SEPARATORS["en"]))
    if language != "en":
        for axis in (figure.layout.xaxis, figure.layout.yaxis):
            if axis.type == "date" and axis.ticktext is None:
                axis.tickformat = _DAY_FORMAT[language]
            if axis.type == "date":
                axis.hoverformat = _DAY_FORMAT[language]
    return figure


def month_ticks(months: Sequence[datetime], language: str) -> dict:
    """Tick positions and words for a monthly axis: 'Mär 2026', at most about a dozen."""
    shown = sorted(set(months))
    step = max(1, math.ceil(len(shown) / 12))
    names = _MONTHS.get(language, _MONTHS["en"])
    return dict(
        tickvals=shown[::step],
        ticktext=[f"{names[month.month - 1]} {month.year}" for month in shown[::step]],
    )


def _decimal(text: str, language: str) -> str:
    """A number already written with a decimal point, in the language's way."""
    return text.replace(".", ",") if language == "de" else text


@dataclass(frozen=True)
class GroupBar:
    """One bar of a group chart: a label and how many models are and are not in production."""

    label: str
    in_production: int
    not_in_production: int


@dataclass(frozen=True)
class TimelineBar:
    """One period on a production timeline."""

    label: str
    start: datetime
    end: datetime


def models_by_group_chart(
    bars: Sequence[GroupBar],
    in_production_label: str,
    not_in_production_label: str,
    *,
    language: str = "en",
) -> go.Figure:
    """Horizontal stacked bars: models per business process, split by production status."""
    labels = [_plain_label(bar.label) for bar in bars]
    figure = go.Figure(
        [
            go.Bar(
                y=labels,
                x=[bar.in_production for bar in bars],
                name=in_production_label,
                orientation="h",
                marker_color=IN_PRODUCTION_COLOUR,
                hovertemplate="%{y}: %{x}<extra>" + in_production_label + "</extra>",
            ),
            go.Bar(
                y=labels,
                x=[bar.not_in_production for bar in bars],
                name=not_in_production_label,
                orientation="h",
                marker_color=NOT_IN_PRODUCTION_COLOUR,
                hovertemplate="%{y}: %{x}<extra>" + not_in_production_label + "</extra>",
            ),
        ]
    )
    figure.update_layout(
        barmode="stack",
        height=max(180, 48 * len(bars) + 90),
        margin=dict(l=8, r=8, t=8, b=8),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        # Whole models: one tick per model while that stays readable, plotly's own beyond.
        xaxis=dict(
            dtick=1
            if max((b.in_production + b.not_in_production for b in bars), default=0) <= 10
            else None,
            title=None,
            gridcolor="#e6e9ec",
        ),
        yaxis=dict(autorange="reversed", title=None),
        plot_bgcolor="white",
        font=FONT,
    )
    return localized(figure, language)


def production_timeline_chart(bars: Sequence[TimelineBar], *, language: str = "en") -> go.Figure:
    """One row per version: when it was in production."""
    figure = go.Figure()
    for bar in bars:
        figure.add_trace(
            go.Scatter(
                x=[bar.start, bar.end],
                y=[bar.label, bar.label],
                mode="lines",
                line=dict(width=18, color=IN_PRODUCTION_COLOUR),
                hovertemplate=f"{bar.label}: %{{x|{_DAY_FORMAT.get(language, '%Y-%m-%d')}}}"
                "<extra></extra>",
                showlegend=False,
            )
        )
    figure.update_layout(
        height=max(140, 44 * len({bar.label for bar in bars}) + 70),
        margin=dict(l=8, r=8, t=8, b=8),
        xaxis=dict(type="date", gridcolor="#e6e9ec"),
        yaxis=dict(title=None, categoryorder="category descending"),
        plot_bgcolor="white",
        font=FONT,
    )
    return localized(figure, language)


@dataclass(frozen=True)
class MoneyPoint:
    """Realized and promised value of one month (None: no observation that month)."""

    month: datetime
    realized: float | None
    promised: float | None


def value_over_time_chart(
    points: Sequence[MoneyPoint],
    realized_label: str,
    promised_label: str,
    cumulative: bool,
    currency: str,
    *,
    language: str = "en",
) -> go.Figure:
    """Realized against promised value per month, or added up; missing months stay gaps."""
    months = [point.month for point in points]
    realized = [point.realized for point in points]
    promised = [point.promised for point in points]
    if cumulative:
        realized, promised = _running_total(realized), _running_total(promised)
    figure = go.Figure(
        [
            go.Scatter(
                x=months,
                y=promised,
                name=promised_label,
                mode="lines",
                line=dict(color=NOT_IN_PRODUCTION_COLOUR, width=3, dash="dash"),
            ),
            go.Scatter(
                x=months,
                y=realized,
                name=realized_label,
                mode="lines+markers",
                line=dict(color=IN_PRODUCTION_COLOUR, width=3),
                connectgaps=False,
            ),
        ]
    )
    figure.update_layout(
        height=320,
        margin=dict(l=8, r=8, t=8, b=8),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        xaxis=dict(type="date", gridcolor="#e6e9ec", **month_ticks(months, language)),
        # From zero, so the gap between promise and reality is not exaggerated.
        yaxis=dict(
            title=currency,
            gridcolor="#e6e9ec",
            zeroline=True,
            zerolinecolor="#8a959e",
            rangemode="tozero",
        ),
        plot_bgcolor="white",
        font=FONT,
    )
    return localized(figure, language)


def _running_total(values: Sequence[float | None]) -> list[float | None]:
    """Cumulative sums; a missing month keeps the total so far and shows as a gap."""
    total, result = 0.0, []
    for value in values:
        if value is None:
            result.append(None)
        else:
            total += value
            result.append(total)
    return result


# Traffic-light colours (Okabe-Ito: bluish green, orange, vermillion), distinguishable for the
# common colour-vision deficiencies; the charts also give each status its own marker shape.
STATUS_COLOURS = {"stable": "#009e73", "watch": "#e69f00", "drifting": "#d55e00"}
STATUS_SYMBOLS = {"stable": "circle", "watch": "diamond", "drifting": "x"}
NEUTRAL_COLOUR = "#8a959e"
GRID_COLOUR = "#e6e9ec"
_HALF_WEEK = timedelta(days=3.5)


@dataclass(frozen=True)
class ShareBar:
    """One histogram bin or category: the share of training and of production rows in it."""

    label: str
    reference: float
    production: float


def distribution_chart(
    bars: Sequence[ShareBar],
    reference_label: str,
    production_label: str,
    share_label: str,
    *,
    language: str = "en",
) -> go.Figure:
    """Training against production, side by side per bin or category, as shares of rows."""
    labels = [_plain_label(bar.label) for bar in bars]
    figure = go.Figure(
        [
            go.Bar(
                x=labels,
                y=[bar.reference for bar in bars],
                name=reference_label,
                marker_color=NOT_IN_PRODUCTION_COLOUR,
                hovertemplate="%{x}: %{y:.1%}<extra>" + reference_label + "</extra>",
            ),
            go.Bar(
                x=labels,
                y=[bar.production for bar in bars],
                name=production_label,
                marker_color=IN_PRODUCTION_COLOUR,
                hovertemplate="%{x}: %{y:.1%}<extra>" + production_label + "</extra>",
            ),
        ]
    )
    figure.update_layout(
        barmode="group",
        bargap=0.15,
        height=340,
        margin=dict(l=8, r=8, t=8, b=8),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        # Category axis: bin labels and category codes such as "0" are names, not numbers.
        xaxis=dict(type="category", title=None),
        yaxis=dict(title=share_label, tickformat=".0%", gridcolor=GRID_COLOUR, rangemode="tozero"),
        plot_bgcolor="white",
        font=FONT,
    )
    return localized(figure, language)


@dataclass(frozen=True)
class TrendWeek:
    """One calendar week of a drift trend: its share of changed inputs and traffic light."""

    week_start: datetime
    share_changed: float | None  # None: the week could not be compared
    status: str | None  # stable, watch or drifting
    status_label: str  # the status in words, written next to the point
    week_label: str  # the week's date as the reader writes it, for the axis
    hover: str  # what the week's point says in words


def drift_trend_chart(
    weeks: Sequence[TrendWeek],
    watch_share: float,
    alert_share: float,
    series_label: str,
    watch_label: str,
    alert_label: str,
    *,
    language: str = "en",
) -> go.Figure:
    """Share of changed inputs per week, against the shares from which a model is watched or
    drifting; each point's colour and shape say its status."""
    figure = go.Figure(_status_points(weeks, series_label, size=13, labelled=True))
    for share, label, status in (
        (watch_share, watch_label, "watch"),
        (alert_share, alert_label, "drifting"),
    ):
        figure.add_hline(
            y=share,
            line=dict(color=STATUS_COLOURS[status], dash="dash", width=2),
            annotation=dict(text=label, font=dict(color=STATUS_COLOURS[status])),
            annotation_position="top left",
        )
    figure.update_layout(
        height=320,
        margin=dict(l=8, r=8, t=24, b=8),
        xaxis=_week_axis(weeks),
        yaxis=dict(
            title=series_label,
            tickformat=".0%",
            gridcolor=GRID_COLOUR,
            range=_share_range(weeks, alert_share, room=1.3),
        ),
        plot_bgcolor="white",
        font=FONT,
    )
    return localized(figure, language)


def drift_sparkline(
    weeks: Sequence[TrendWeek], watch_share: float, alert_share: float
) -> go.Figure:
    """A small version of the drift trend for a list row: points by status, the thresholds
    as faint lines, no axes."""
    figure = go.Figure(_status_points(weeks, "", size=9, labelled=False))
    for share, status in ((watch_share, "watch"), (alert_share, "drifting")):
        figure.add_hline(y=share, line=dict(color=STATUS_COLOURS[status], dash="dot", width=1))
    figure.update_layout(
        height=70,
        margin=dict(l=4, r=4, t=4, b=4),
        xaxis=dict(visible=False),
        yaxis=dict(visible=False, range=_share_range(weeks, alert_share, room=1.15)),
        plot_bgcolor="white",
        showlegend=False,
    )
    return figure


def _status_points(weeks: Sequence[TrendWeek], name: str, size: int, labelled: bool) -> go.Scatter:
    """Weekly shares joined by a grey line; each point's colour, shape and word give its status."""
    return go.Scatter(
        x=[week.week_start for week in weeks],
        y=[week.share_changed for week in weeks],
        name=name,
        mode="lines+markers+text" if labelled else "lines+markers",
        line=dict(color=NEUTRAL_COLOUR, width=2),
        marker=dict(
            size=size,
            color=[STATUS_COLOURS.get(week.status or "", NEUTRAL_COLOUR) for week in weeks],
            symbol=[STATUS_SYMBOLS.get(week.status or "", "circle-open") for week in weeks],
            line=dict(width=1, color="white"),
        ),
        text=[week.status_label for week in weeks] if labelled else None,
        textposition="top center",
        textfont=dict(size=12, color="#4a5560"),
        hovertext=[week.hover for week in weeks],
        hovertemplate="%{hovertext}<extra></extra>",
        connectgaps=False,
        showlegend=False,
    )


def _share_range(weeks: Sequence[TrendWeek], alert_share: float, room: float) -> list[float]:
    """From just below zero (points on zero stay whole) to above the highest point or line."""
    highest = max((week.share_changed or 0.0 for week in weeks), default=0.0)
    return [-0.04, min(1.1, max(highest, alert_share) * room + 0.03)]


def _week_axis(weeks: Sequence[TrendWeek | QualityWeek]) -> dict:
    """A date axis with one tick per week, labelled as the reader writes dates; it spans every
    week, also those without a value."""
    starts = [week.week_start for week in weeks]
    return dict(
        type="date",
        gridcolor=GRID_COLOUR,
        tickvals=starts,
        ticktext=[week.week_label for week in weeks],
        range=[min(starts) - _HALF_WEEK, max(starts) + _HALF_WEEK] if starts else None,
    )


@dataclass(frozen=True)
class QualityWeek:
    """One calendar week's production quality; None while its true outcomes are unknown."""

    week_start: datetime
    week_label: str  # the week's date as the reader writes it, for the axis
    value: float | None


def quality_over_time_chart(
    weeks: Sequence[QualityWeek],
    training_value: float | None,
    production_label: str,
    training_label: str,
    pending_label: str,
    as_percent: bool,
    *,
    language: str = "en",
) -> go.Figure:
    """A quality measure per week against its training value; weeks without known outcomes are
    shaded and labelled instead of drawn as zero."""
    dates = [week.week_start for week in weeks]
    figure = go.Figure(
        go.Scatter(
            x=dates,
            y=[week.value for week in weeks],
            name=production_label,
            mode="lines+markers",
            line=dict(color=IN_PRODUCTION_COLOUR, width=3),
            connectgaps=False,
            showlegend=True,
        )
    )
    if training_value is not None and dates:
        figure.add_trace(
            go.Scatter(
                x=[min(dates), max(dates)],
                y=[training_value, training_value],
                name=training_label,
                mode="lines",
                line=dict(color=NEUTRAL_COLOUR, width=2, dash="dash"),
            )
        )
    for start, end in _runs_without_value(weeks):
        figure.add_vrect(
            x0=start,
            x1=end,
            fillcolor=NOT_IN_PRODUCTION_COLOUR,
            opacity=0.25,
            line_width=0,
            annotation=dict(text=pending_label, font=dict(color="#4a5560", size=12)),
            # At the bottom: the training line runs along the top.
            annotation_position="bottom left",
        )
    figure.update_layout(
        height=280,
        margin=dict(l=8, r=8, t=28, b=8),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        xaxis=_week_axis(weeks),
        # From zero, so a small dip does not look like a collapse.
        yaxis=dict(
            tickformat=".0%" if as_percent else None, gridcolor=GRID_COLOUR, rangemode="tozero"
        ),
        plot_bgcolor="white",
        font=FONT,
    )
    return localized(figure, language)


def _runs_without_value(weeks: Sequence[QualityWeek]) -> list[tuple[datetime, datetime]]:
    """Stretches of consecutive weeks without a value, half a week either side of their points."""
    runs: list[tuple[datetime, datetime]] = []
    start: datetime | None = None
    for index, week in enumerate(weeks):
        if week.value is None and start is None:
            start = week.week_start
        if week.value is not None and start is not None:
            runs.append((start - _HALF_WEEK, weeks[index - 1].week_start + _HALF_WEEK))
            start = None
    if start is not None:
        runs.append((start - _HALF_WEEK, weeks[-1].week_start + _HALF_WEEK))
    return runs


# Okabe-Ito blue, sky blue and reddish purple, each with its own dash: one per input line.
INPUT_STYLES = (("#0072b2", "solid"), ("#56b4e9", "dash"), ("#cc79a7", "dot"))
_STRENGTH_TICKS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100)


@dataclass(frozen=True)
class InputStrengthSeries:
    """How far past its limit one input was, week by week (1 = at the limit)."""

    label: str
    weeks: tuple[datetime, ...]
    strengths: tuple[float | None, ...]


def input_strength_chart(
    series: Sequence[InputStrengthSeries],
    week_labels: dict[datetime, str],
    levels: Sequence[tuple[float, str, str]],
    axis_label: str,
    *,
    language: str = "en",
) -> go.Figure:
    """One line per input: its drift score as a multiple of its limit, on a log scale so that
    'at the limit' and '20 times the limit' both read; levels are (value, label, status) lines."""
    figure = go.Figure()
    for (colour, dash), line in zip(INPUT_STYLES, series, strict=False):
        figure.add_trace(
            go.Scatter(
                x=list(line.weeks),
                y=[None if s is None else max(s, _STRENGTH_TICKS[0]) for s in line.strengths],
                name=_plain_label(line.label),
                mode="lines+markers",
                line=dict(color=colour, dash=dash, width=3),
                hovertemplate="%{y:.1f}×<extra>" + _plain_label(line.label) + "</extra>",
                connectgaps=False,
                showlegend=True,
            )
        )
    for value, label, status in levels:
        colour = STATUS_COLOURS.get(status, NEUTRAL_COLOUR)
        figure.add_hline(y=value, line=dict(color=colour, dash="dash", width=1.5))
        # On a log axis Plotly places annotations by the logarithm of the value.
        figure.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=math.log10(value),
            yanchor="bottom",
            text=label,
            showarrow=False,
            font=dict(color=colour),
        )
    weeks = sorted(week_labels)
    highest = max((s or 0.0 for line in series for s in line.strengths), default=1.0)
    top = max(highest, max((value for value, _, _ in levels), default=1.0)) * 1.6
    figure.update_layout(
        height=320,
        margin=dict(l=8, r=8, t=24, b=8),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        xaxis=dict(
            type="date",
            gridcolor=GRID_COLOUR,
            tickvals=weeks,
            ticktext=[week_labels[week] for week in weeks],
        ),
        yaxis=dict(
            type="log",
            title=axis_label,
            range=[-1.05, math.log10(max(top, 2.0))],
            tickvals=list(_STRENGTH_TICKS),
            ticktext=[_decimal(f"{tick:g}", language) + "×" for tick in _STRENGTH_TICKS],
            gridcolor=GRID_COLOUR,
        ),
        plot_bgcolor="white",
        font=FONT,
    )
    return localized(figure, language)


# --- risk matrix and lineage -------------------------------------------------------------------

# Pale cell colours per risk level (the level is also written in the hover and the legend).
LEVEL_COLOURS = {"low": "#d4ecdf", "medium": "#fbe3b0", "high": "#f6c2b0"}
CELL_NAMES_SHOWN = 3  # model names written into one cell before "+ n more"
CELL_LINE_CHARACTERS = 20


@dataclass(frozen=True)
class HeatPoint:
    """One model placed on the risk matrix (at likelihood and impact 1 to 5)."""

    label: str  # the model, e.g. 'customer-churn · Outage'
    likelihood: int
    impact: int


def risk_heatmap(
    points: Sequence[HeatPoint],
    likelihood_ticks: Sequence[str],
    impact_ticks: Sequence[str],
    likelihood_title: str,
    impact_title: str,
    level_of: Sequence[Sequence[str]],
    level_words: dict[str, str],
    more: str,
    cell_texts: Mapping[tuple[int, int], str] | None = None,
) -> go.Figure:
    """A 5x5 matrix (impact across, likelihood up), cells coloured by level, each cell naming
    the models placed in it; level_of[likelihood-1][impact-1] is a cell's level.

    cell_texts, keyed by (likelihood, impact), replaces the names (a crowded matrix: counts)."""
    levels = list(LEVEL_COLOURS)
    z = [[levels.index(level_of[row][column]) for column in range(5)] for row in range(5)]
    hover = [
        [
            f"{likelihood_ticks[row]} × {impact_ticks[column]} = {(row + 1) * (column + 1)}"
            f" ({level_words[level_of[row][column]]})"
            for column in range(5)
        ]
        for row in range(5)
    ]
    scale = []
    for index, level in enumerate(levels):
        scale += [(index / len(levels), LEVEL_COLOURS[level])]
        scale += [((index + 1) / len(levels), LEVEL_COLOURS[level])]
    figure = go.Figure(
        go.Heatmap(
            x=list(range(1, 6)),
            y=list(range(1, 6)),
            z=z,
            zmin=0,
            zmax=len(levels) - 1,
            colorscale=[(min(position, 1.0), colour) for position, colour in scale],
            showscale=False,
            xgap=3,
            ygap=3,
            text=hover,
            hovertemplate="%{text}<extra></extra>",
        )
    )
    cells: dict[tuple[int, int], list[str]] = {}
    for point in points:
        cells.setdefault((point.likelihood, point.impact), []).append(point.label)
    if cell_texts is not None:
        for (likelihood, impact), text in sorted(cell_texts.items()):
            figure.add_annotation(
                x=impact,
                y=likelihood,
                text=_cell_label(text),
                showarrow=False,
                font=dict(size=15, color="#1b2a33"),
            )
        cells = {}
    for (likelihood, impact), labels in sorted(cells.items()):
        shown = [_cell_label(label) for label in labels[:CELL_NAMES_SHOWN]]
        if len(labels) > CELL_NAMES_SHOWN:
            shown.append(more.format(count=len(labels) - CELL_NAMES_SHOWN))
        figure.add_annotation(
            x=impact,
            y=likelihood,
            text="<br>".join(shown),
            showarrow=False,
            font=dict(size=12, color="#1b2a33"),
            hovertext="<br>".join(_plain_label(label) for label in labels),
        )
    figure.update_layout(
        height=520,
        margin=dict(l=8, r=8, t=8, b=8),
        xaxis=dict(
            title=impact_title,
            tickvals=list(range(1, 6)),
            ticktext=list(impact_ticks),
            showgrid=False,
            zeroline=False,
        ),
        yaxis=dict(
            title=likelihood_title,
            tickvals=list(range(1, 6)),
            ticktext=list(likelihood_ticks),
            showgrid=False,
            zeroline=False,
        ),
        plot_bgcolor="white",
        font=FONT,
    )
    return figure


def _cell_label(label: str) -> str:
    """A label wrapped to the width of a matrix cell (names break at spaces and hyphens)."""
    return "<br>".join(_plain_label(line) for line in textwrap.wrap(label, CELL_LINE_CHARACTERS))


def _plain_label(label: str) -> str:
    """Names from outside as text: Plotly reads a few HTML tags in labels."""
    return label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# One colour per layer of a lineage diagram, left to right.
LAYER_COLOURS = ("#56b4e9", "#1f6f8b", "#009e73", "#e69f00", "#cc79a7", "#8a959e")


@dataclass(frozen=True)
class LineageNode:
    """One box of a lineage diagram: a unique key, its label and its column (0 = left)."""

    key: str
    label: str
    layer: int


def lineage_sankey(
    nodes: Sequence[LineageNode], links: Sequence[tuple[str, str]], layer_titles: Sequence[str]
) -> go.Figure:
    """Columns of boxes (e.g. data source → model → business process → executive) joined by
    equal-width bands; every link is (from key, to key)."""
    index = {node.key: position for position, node in enumerate(nodes)}
    layers = max(len(layer_titles), 2)
    per_layer: dict[int, list[LineageNode]] = {}
    for node in nodes:
        per_layer.setdefault(node.layer, []).append(node)
    x, y = [], []
    for node in nodes:
        column = per_layer[node.layer]
        x.append(0.001 + 0.998 * node.layer / (layers - 1))
        y.append(0.001 + 0.998 * (column.index(node) + 0.5) / len(column))
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node=dict(
                label=[_plain_label(node.label) for node in nodes],
                x=x,
                y=y,
                pad=18,
                thickness=16,
                color=[LAYER_COLOURS[node.layer % len(LAYER_COLOURS)] for node in nodes],
                hovertemplate="%{label}<extra></extra>",
            ),
            textfont=dict(color="#1b2a33", size=13),
            link=dict(
                source=[index[start] for start, _ in links],
                target=[index[end] for _, end in links],
                value=[1] * len(links),
                color="rgba(138, 149, 158, 0.3)",
                hovertemplate="%{source.label} → %{target.label}<extra></extra>",
            ),
        )
    )
    for layer, title in enumerate(layer_titles):
        figure.add_annotation(
            x=layer / (len(layer_titles) - 1) if len(layer_titles) > 1 else 0,
            y=1.0,
            xref="paper",
            yref="paper",
            yanchor="bottom",
            xanchor="left" if layer == 0 else "right" if layer == layers - 1 else "center",
            text=f"<b>{_plain_label(title)}</b>",
            showarrow=False,
        )
    tallest = max((len(column) for column in per_layer.values()), default=1)
    figure.update_layout(
        height=max(260, 60 * tallest + 80),
        margin=dict(l=8, r=8, t=36, b=8),
        font=FONT,
    )
    return figure


def fairness_gap_chart(
    weeks: Sequence[datetime],
    gaps: Sequence[float | None],
    reference_gap: float | None,
    margin: float,
    series_label: str,
    reference_label: str,
    limit_label: str,
    *,
    language: str = "en",
) -> go.Figure:
    """The largest gap in selection rate between groups per week, against the training
    sample's gap and the gap from which it counts as widening; weeks without one are left out."""
    shown = [(week, gap) for week, gap in zip(weeks, gaps, strict=True) if gap is not None]
    figure = go.Figure(
        go.Scatter(
            x=[week for week, _ in shown],
            y=[gap for _, gap in shown],
            mode="lines+markers",
            name=series_label,
            line=dict(color=IN_PRODUCTION_COLOUR, width=2),
            marker=dict(size=10),
            hovertemplate="%{x}: %{y:.0%}<extra></extra>",
        )
    )
    if reference_gap is not None:
        for value, label, colour, dash in (
            (reference_gap, reference_label, NEUTRAL_COLOUR, "dot"),
            (reference_gap + margin, limit_label, STATUS_COLOURS["drifting"], "dash"),
        ):
            figure.add_hline(
                y=value,
                line=dict(color=colour, dash=dash, width=2),
                annotation=dict(text=label, font=dict(color=colour)),
                annotation_position="top left",
            )
    highest = max([gap for _, gap in shown] + [(reference_gap or 0.0) + margin, 0.1])
    figure.update_layout(
        height=300,
        margin=dict(l=8, r=8, t=24, b=8),
        xaxis=dict(type="date", gridcolor=GRID_COLOUR, dtick=7 * 86_400_000),
        yaxis=dict(
            title=series_label,
            tickformat=".0%",
            gridcolor=GRID_COLOUR,
            range=[0, min(1.0, highest * 1.25)],
        ),
        showlegend=False,
        plot_bgcolor="white",
        font=FONT,
    )
    return localized(figure, language)


@dataclass(frozen=True)
class EstimateWeek:
    """One calendar week's estimated quality with its band, and the measured value once known."""

    week_start: datetime
    week_label: str  # the week's date as the reader writes it, for the axis
    estimated: float | None
    lower: float | None
    upper: float | None
    realized: float | None


ESTIMATE_COLOUR = "#e69f00"  # Okabe-Ito orange: apart from the measured line's blue


def performance_estimate_chart(
    weeks: Sequence[EstimateWeek],
    reference_value: float | None,
    estimate_label: str,
    band_label: str,
    realized_label: str,
    reference_label: str,
    as_percent: bool,
    *,
    language: str = "en",
) -> go.Figure:
    """Estimated quality per week as a dashed line in its shaded band, the measured quality as a
    solid line where outcomes arrived, and the reference (training) value as a dotted line."""
    banded = [w for w in weeks if w.lower is not None and w.upper is not None]
    figure = go.Figure()
    if banded:
        figure.add_trace(
            go.Scatter(
                x=[w.week_start for w in banded] + [w.week_start for w in reversed(banded)],
                y=[w.upper for w in banded] + [w.lower for w in reversed(banded)],
                fill="toself",
                fillcolor="rgba(230, 159, 0, 0.25)",
                line=dict(width=0),
                name=band_label,
                hoverinfo="skip",
            )
        )
    hover = "%{x|%Y-%m-%d}: %{y:.1%}<extra></extra>" if as_percent else None
    figure.add_trace(
        go.Scatter(
            x=[w.week_start for w in weeks],
            y=[w.estimated for w in weeks],
            name=estimate_label,
            mode="lines+markers",
            line=dict(color=ESTIMATE_COLOUR, width=3, dash="dash"),
            marker=dict(symbol="circle-open", size=9),
            connectgaps=False,
            hovertemplate=hover,
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[w.week_start for w in weeks],
            y=[w.realized for w in weeks],
            name=realized_label,
            mode="lines+markers",
            line=dict(color=IN_PRODUCTION_COLOUR, width=3),
            connectgaps=False,
            hovertemplate=hover,
        )
    )
    if reference_value is not None and weeks:
        figure.add_trace(
            go.Scatter(
                x=[weeks[0].week_start - _HALF_WEEK, weeks[-1].week_start + _HALF_WEEK],
                y=[reference_value, reference_value],
                name=reference_label,
                mode="lines",
                line=dict(color=NEUTRAL_COLOUR, width=2, dash="dot"),
            )
        )
    figure.update_layout(
        height=300,
        margin=dict(l=8, r=8, t=28, b=8),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        xaxis=_week_axis(weeks),  # type: ignore[arg-type]
        yaxis=dict(
            tickformat=".0%" if as_percent else None, gridcolor=GRID_COLOUR, rangemode="tozero"
        ),
        plot_bgcolor="white",
        font=FONT,
    )
    return localized(figure, language)
