"""Plotly figure builders: data and labels in, Figure out; shared by pages and PDF reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import plotly.graph_objects as go

# Colours chosen to stay distinguishable for the common colour-vision deficiencies.
IN_PRODUCTION_COLOUR = "#1f6f8b"
NOT_IN_PRODUCTION_COLOUR = "#b8c4cc"
FONT = dict(family="Source Sans Pro, sans-serif", size=14)


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
    bars: Sequence[GroupBar], in_production_label: str, not_in_production_label: str
) -> go.Figure:
    """Horizontal stacked bars: models per business process, split by production status."""
    labels = [bar.label for bar in bars]
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
        xaxis=dict(dtick=1, title=None, gridcolor="#e6e9ec"),
        yaxis=dict(autorange="reversed", title=None),
        plot_bgcolor="white",
        font=FONT,
    )
    return figure


def production_timeline_chart(bars: Sequence[TimelineBar]) -> go.Figure:
    """One row per version: when it was in production."""
    figure = go.Figure()
    for bar in bars:
        figure.add_trace(
            go.Scatter(
                x=[bar.start, bar.end],
                y=[bar.label, bar.label],
                mode="lines",
                line=dict(width=18, color=IN_PRODUCTION_COLOUR),
                hovertemplate=f"{bar.label}: %{{x|%Y-%m-%d}}<extra></extra>",
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
    return figure


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
        xaxis=dict(type="date", gridcolor="#e6e9ec", dtick="M1", tickformat="%b %Y"),
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
    return figure


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
