"""The drift chart builders: data in, a figure with the right traces, lines and labels out."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.charts import (
    STATUS_COLOURS,
    GroupBar,
    InputStrengthSeries,
    QualityWeek,
    ShareBar,
    TrendWeek,
    distribution_chart,
    drift_sparkline,
    drift_trend_chart,
    input_strength_chart,
    models_by_group_chart,
    quality_over_time_chart,
)

MONDAY = datetime(2026, 2, 9)


def weeks(*statuses: str) -> list[TrendWeek]:
    shares = {"stable": 0.0, "watch": 0.2, "drifting": 0.5}
    return [
        TrendWeek(
            MONDAY + timedelta(weeks=i), shares[s], s, s.title(), f"{9 + 7 * i} Feb", f"week {i}"
        )
        for i, s in enumerate(statuses)
    ]


def test_distribution_puts_training_and_production_side_by_side():
    figure = distribution_chart(
        [ShareBar("a", 0.7, 0.2), ShareBar("0", 0.3, 0.8)], "Training", "Production", "Share"
    )
    training, production = figure.data
    assert (training.name, list(training.y)) == ("Training", [0.7, 0.3])
    assert list(production.y) == [0.2, 0.8]
    # Category codes such as "0" stay names on the axis, not numbers.
    assert figure.layout.xaxis.type == "category"


def test_trend_marks_each_week_in_colour_shape_and_words_with_both_thresholds():
    figure = drift_trend_chart(weeks("stable", "watch", "drifting"), 0.1, 0.3, "Inputs", "w", "d")
    [points] = figure.data
    assert list(points.marker.color) == [
        STATUS_COLOURS["stable"],
        STATUS_COLOURS["watch"],
        STATUS_COLOURS["drifting"],
    ]
    assert len(set(points.marker.symbol)) == 3
    assert list(points.text) == ["Stable", "Watch", "Drifting"]
    assert sorted(shape.y0 for shape in figure.layout.shapes) == [0.1, 0.3]
    assert list(figure.layout.xaxis.ticktext) == ["9 Feb", "16 Feb", "23 Feb"]
    assert drift_sparkline(weeks("stable"), 0.1, 0.3).layout.height == 70


def test_quality_shades_weeks_without_outcomes_instead_of_drawing_zero():
    points = [
        QualityWeek(MONDAY + timedelta(weeks=i), f"w{i}", value)
        for i, value in enumerate([0.8, 0.78, None, None])
    ]
    figure = quality_over_time_chart(points, 0.86, "Production", "Training", "pending", True)
    production, training = figure.data
    assert list(production.y) == [0.8, 0.78, None, None]
    assert list(training.y) == [0.86, 0.86]
    [band] = figure.layout.shapes
    assert band.x0 < MONDAY + timedelta(weeks=2) < MONDAY + timedelta(weeks=3) < band.x1
    assert figure.layout.annotations[0].text == "pending"
    assert figure.layout.yaxis.tickformat == ".0%"


def test_input_strength_lines_per_input_on_a_log_scale_with_the_levels():
    weeks_ = (MONDAY, MONDAY + timedelta(weeks=1))
    figure = input_strength_chart(
        [
            InputStrengthSeries("charges", weeks_, (0.4, 13.0)),
            InputStrengthSeries("tenure", weeks_, (0.2, None)),
        ],
        {weeks_[0]: "9 Feb", weeks_[1]: "16 Feb"},
        [(1.0, "limit", ""), (2.5, "watch", "watch"), (5.0, "drifting", "drifting")],
        "Times the limit",
    )
    charges, tenure = figure.data
    assert (charges.name, list(charges.y)) == ("charges", [0.4, 13.0])
    assert list(tenure.y) == [0.2, None]
    assert charges.line.dash != tenure.line.dash
    assert figure.layout.yaxis.type == "log"
    assert sorted(shape.y0 for shape in figure.layout.shapes) == [1.0, 2.5, 5.0]


def test_outside_names_in_charts_are_text_not_plotly_markup():
    figure = distribution_chart([ShareBar("<b>x</b> & y", 0.5, 0.5)], "T", "P", "Share")
    assert list(figure.data[0].x) == ["&lt;b&gt;x&lt;/b&gt; &amp; y"]
    groups = models_by_group_chart([GroupBar("<i>Retention</i>", 1, 2)], "in", "out")
    assert list(groups.data[0].y) == ["&lt;i&gt;Retention&lt;/i&gt;"]
    lines = input_strength_chart(
        [InputStrengthSeries("<b>income</b>", (MONDAY,), (2.0,))],
        {MONDAY: "9 Feb"},
        levels=(),
        axis_label="x",
    )
    assert lines.data[0].name == "&lt;b&gt;income&lt;/b&gt;"
