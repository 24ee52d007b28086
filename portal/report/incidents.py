"""Incidents in the PDFs: the fact sheet's open incidents (with the EU AI Act deadline) and
the portfolio report's count with the most serious ones by name."""

from __future__ import annotations

from reportlab.platypus import Flowable

from portal.domain.incidents import Incident, IncidentCounts
from portal.report.layout import STYLES, Words, cut, heading, subheading, table, text
from portal.text.format import format_date

TITLE_CHARACTERS = 90
SHOWN = 5  # incidents a fact sheet lists; the rest are counted


def fact_sheet_section(incidents: tuple[Incident, ...], t: Words) -> list[Flowable]:
    """Incidents not yet closed: reference, severity, status, start and title with deadline."""
    title = t("incident_report.section")
    if not incidents:
        return heading(title, text(t("incident_report.none")))
    rows = [
        [
            incident.reference,
            t(f"incident_severity.{incident.severity}"),
            t(f"incident_status.{incident.status}"),
            format_date(t.language, incident.started_at),
            _title(incident, t),
        ]
        for incident in incidents[:SHOWN]
    ]
    parts = heading(
        title,
        table(
            [
                t("report.col_reference"),
                t("incident_field.severity"),
                t("incidents.status"),
                t("incident_field.started_at"),
                t("incident_field.title"),
            ],
            rows,
            [0.1, 0.17, 0.12, 0.13, 0.48],
        ),
    )
    if len(incidents) > SHOWN:
        parts.append(text(t("incident_report.more", count=len(incidents) - SHOWN), STYLES.note))
    return parts


def portfolio_section(counts: IncidentCounts, t: Words) -> list[Flowable]:
    """How many incidents are not yet closed, and the most serious by name."""
    title = t("incident_report.section")
    if not counts.open:
        return subheading(title, text(t("incident_report.portfolio_none")))
    lines = [text(t("incident_report.portfolio", count=counts.open))]
    for incident in counts.most_serious:
        lines.append(text(f"{incident.model_name}: {_line(incident, t)}", STYLES.note))
    return subheading(title, *lines)


def _line(incident: Incident, t: Words) -> str:
    return t(
        "incident_report.line",
        reference=incident.reference,
        status=t(f"incident_status.{incident.status}"),
        severity=t(f"incident_severity.{incident.severity}"),
        title=_title(incident, t),
        date=format_date(t.language, incident.started_at),
    )


def _title(incident: Incident, t: Words) -> str:
    words = cut(incident.title, TITLE_CHARACTERS)
    if incident.deadline is not None:
        words += " — " + t(
            "incident_report.deadline", due=format_date(t.language, incident.deadline.due)
        )
    return words
