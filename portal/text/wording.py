"""Sentences and words shared by the pages and the PDF reports, in a given language.

No Streamlit here: the pages pass the session's language, the reports the one asked for.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from portal.charts import TrendWeek
from portal.config import Settings
from portal.domain.drift import QUALITY_TOLERANCE, ModelDrift, QualityComparison, TrendPoint
from portal.domain.metrics import metric_meaning
from portal.domain.risk import DECISION_MODES, Assessment, ModelRisk, Reason
from portal.domain.value import KpiValue, is_rate_unit, rounded_together
from portal.text.format import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_period,
)
from portal.text.i18n import translate


def value_sentence(lang: str, row: KpiValue, first: date, last: date) -> str:
    """One plain sentence on a model's KPI over the period: how far better or worse than
    without the model, in percentage points for a rate, against the promise; realized and
    promised share their decimals."""
    summary = row.summary
    values = {
        "period": format_period(lang, first, last),
        "model": row.model_name,
        "kpi": row.kpi,
        "unit": row.unit,
    }
    if summary.status in ("no_data", "no_promise"):
        return translate(lang, f"value.sentence_{summary.status}", **values)
    realized, promised = rounded_together(summary.realized_uplift, summary.promised_uplift)
    realized = realized or 0.0  # a loss too small to show reads '0', never '-0'
    better = translate(lang, f"value_sentence.{row.direction}_better")
    if realized < 0:
        return translate(
            lang,
            "value_sentence.loss",
            loss=_amount(lang, -realized, row.unit, "change"),
            worse=translate(lang, f"value_sentence.{row.direction}_worse"),
            better=better,
            promised=_amount(lang, promised, row.unit, "promise"),
            **values,
        )
    return translate(
        lang,
        "value_sentence.gain",
        realized=_amount(lang, realized, row.unit, "change"),
        better=better,
        promised=_amount(lang, promised, row.unit, "promise"),
        # A share that rounds to zero reads '0 %', never '-0 %'.
        attainment=format_percent(lang, summary.attainment if round(summary.attainment, 2) else 0)
        if summary.attainment is not None
        else "–",
        **values,
    )


def uplift_texts(lang: str, row: KpiValue) -> tuple[str, str]:
    """A KPI's realized and promised improvement as the value sentences write them, sharing
    their decimals, a rate's in percentage points; '–' where nothing was measured."""
    summary = row.summary
    if summary.realized_uplift is None or summary.promised_uplift is None:
        return "–", "–"
    realized, promised = rounded_together(summary.realized_uplift, summary.promised_uplift)
    return (
        _amount(lang, realized or 0.0, row.unit, "change"),
        _amount(lang, promised, row.unit, "change"),
    )


def _amount(lang: str, value: float, unit: str, role: str) -> str:
    """'0.4 percentage points', '1 point', '662 customers': a rate's change in points."""
    number = format_number(lang, value)
    if is_rate_unit(unit):
        count = "one" if number == "1" else "many"
        return translate(lang, f"value_sentence.{role}_points_{count}", number=number)
    return f"{number} {unit.strip()}" if unit.strip() else number


def window_days(model: ModelDrift, settings: Settings) -> int:
    """Days of production data the check compared."""
    if model.window_start and model.window_end:
        return max(1, round((model.window_end - model.window_start).total_seconds() / 86400))
    return settings.drift_window_days


def times_text(lang: str, strength: float) -> str:
    """A multiple of a limit as a reader says it: '2.6', '13'."""
    return format_number(lang, round(strength) if strength >= 10 else round(strength, 1))


def drift_sentence(lang: str, model: ModelDrift, settings: Settings) -> str:
    """What the newest drift check found, or why there is none, in one plain sentence."""
    days = window_days(model, settings)
    if model.outcome == "checked":
        if not model.inputs_changed:
            return translate(
                lang, "drift.sentence_none_changed", total=model.inputs_total or 0, days=days
            )
        text = translate(
            lang,
            "drift.sentence_changed",
            changed=model.inputs_changed,
            total=model.inputs_total,
            days=days,
            top=model.top_changed_inputs[0] if model.top_changed_inputs else "?",
        )
        # One strongly changed input can decide the light on its own: say so, with its size.
        if (model.strongest_change or 0.0) >= settings.drift_alert_strength / 2:
            text += " " + translate(
                lang, "drift.sentence_strong", times=times_text(lang, model.strongest_change)
            )
        return text
    key = f"drift_reason.{model.reason}"
    text = translate(lang, key, rows=model.detail, days=days, min=settings.drift_min_rows)
    if text == key:
        return translate(lang, f"drift_light.{model.outcome}_sentence")
    return text


def outputs_sentence(lang: str, model: ModelDrift) -> str:
    """Whether the model's own outputs changed (prediction drift)."""
    if model.prediction_drifted is None:
        return translate(lang, "drift.outputs_not_logged")
    return translate(
        lang, "drift.outputs_changed" if model.prediction_drifted else "drift.outputs_same"
    )


def quality_value(lang: str, metric: str, value: float | None) -> str:
    """A quality measure as the reader writes it ('86.0 %', '23,150'); '–' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format_number(lang, value, metric_meaning(metric).is_share)


def signed_percent(lang: str, change: float | None) -> str:
    """'+3.0 %', '−12.5 %', '±0 %'; '–' without a comparison."""
    if change is None:
        return "–"
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return sign + format_percent(lang, abs(change))


def quality_verdict(lang: str, item: QualityComparison) -> str:
    """'noticeably worse', 'about the same', 'better' than training, or why not compared."""
    if item.change is None:
        return translate(lang, "drift.verdict_no_training")
    if item.worse:
        return translate(lang, "drift.verdict_worse")
    key = "drift.verdict_better" if item.change > QUALITY_TOLERANCE else "drift.verdict_same"
    return translate(lang, key)


def weeks_text(lang: str, weeks: tuple[TrendPoint, ...] | list[TrendPoint]) -> str:
    """Weekly statuses, oldest first, repeats counted: 'Stable (3 wk) → Drifting (1 wk)'."""
    runs: list[list] = []
    for week in weeks:
        light = week.status or week.outcome
        if runs and runs[-1][0] == light:
            runs[-1][1] += 1
        else:
            runs.append([light, 1])
    return " → ".join(
        translate(
            lang, "drift.weeks_run", status=translate(lang, f"drift_light.{light}"), count=count
        )
        for light, count in runs
    )


def short_date(lang: str, value: datetime) -> str:
    """'2 Nov' / '02.11.': a week on an axis."""
    if lang == "de":
        return value.strftime("%d.%m.")
    return format_date(lang, value).rsplit(" ", 1)[0]


def trend_weeks(lang: str, weeks: tuple[TrendPoint, ...] | list[TrendPoint]) -> list[TrendWeek]:
    """Weekly checks as points of the drift trend chart, with words for status, date and hover."""
    return [
        TrendWeek(
            week.window_start,
            week.share_changed,
            week.status,
            translate(lang, f"drift_light.{week.status or week.outcome}"),
            short_date(lang, week.window_start),
            _week_hover(lang, week),
        )
        for week in weeks
        if week.window_start is not None
    ]


def _week_hover(lang: str, week: TrendPoint) -> str:
    start = format_date(lang, week.window_start)
    if week.status is None:
        outcome = translate(lang, f"drift_light.{week.outcome}")
        return translate(lang, "drift.week_hover_unchecked", week=start, outcome=outcome)
    outputs = (
        "–"
        if week.prediction_drifted is None
        else translate(lang, "common.yes" if week.prediction_drifted else "common.no")
    )
    return translate(
        lang,
        "drift.week_hover",
        week=start,
        status=translate(lang, f"drift_light.{week.status}"),
        share=format_percent(lang, week.share_changed or 0.0),
        outputs=outputs,
        rows=format_number(lang, week.window_rows or 0),
    )


def risk_name(lang: str, risk: str) -> str:
    """'Outage', 'Wrong predictions', …"""
    return translate(lang, f"risk_name.{risk}")


def level_word(lang: str, level: str | None) -> str:
    """'high', 'medium', 'low', 'no signal yet'; 'not assessed' for None."""
    return translate(lang, f"risk_level.{level or 'none'}")


def scale_word(lang: str, kind: str, value: int) -> str:
    """'4 – likely', '3 – serious'."""
    return f"{value} – {translate(lang, f'risk_{kind}.v{value}')}"


def score_text(lang: str, assessment: Assessment) -> str:
    """'likelihood 4 (likely) × impact 3 (serious) = 12, high'."""
    return translate(
        lang,
        "risk.score_text",
        likelihood=scale_word(lang, "likelihood", assessment.likelihood),
        impact=scale_word(lang, "impact", assessment.impact),
        score=assessment.score,
        level=level_word(lang, assessment.level),
    )


def reason_text(lang: str, reason: Reason) -> str:
    """One reason of a signal as a plain sentence, its values in the reader's format."""
    params = dict(reason.params)
    key = f"risk_reason.{reason.code}"
    if reason.code == "decay.no_drift":
        light = params.get("light")
        params["light"] = (
            translate(lang, f"drift_light.{light}")
            if light
            else translate(lang, "risk.no_check_yet")
        )
    for name, value in list(params.items()):
        if isinstance(value, datetime):
            params[name] = format_datetime(lang, value)
        elif name == "share" and isinstance(value, float):
            params[name] = format_percent(lang, value)
    if any(value is None for value in params.values()):
        key += "_unknown"
    return translate(lang, key, **params)


def owners_text(lang: str, model: ModelRisk) -> str:
    """Business owner and technical owners, or 'not documented'."""
    people = [model.governance.business_owner, *model.technical_owners]
    return ", ".join(dict.fromkeys(p for p in people if p)) or translate(
        lang, "common.not_documented"
    )


def review_text(lang: str, assessment: Assessment) -> str:
    """'12 Mar 2026', or 'overdue since 12 Mar 2026'."""
    when = format_date(lang, assessment.next_review)
    return translate(lang, "risk.review_overdue", date=when) if assessment.overdue else when


def mode_word(lang: str, mode: str) -> str:
    """'advisory', 'automated' or 'not documented'."""
    return (
        translate(lang, f"risk_mode.{mode}")
        if mode in DECISION_MODES
        else translate(lang, "common.not_documented")
    )


CRITICALITY_LEVELS = ("low", "medium", "high", "critical")


def criticality_word(lang: str, value: str) -> str:
    """A criticality tag in words ('medium' -> 'mittel'); another value as the team wrote it."""
    cleaned = value.strip()
    key = cleaned.casefold()
    return translate(lang, f"criticality.{key}") if key in CRITICALITY_LEVELS else cleaned
