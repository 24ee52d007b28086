"""Sign-offs in the PDFs: the fact sheet's sign-off history and the portfolio report's
waiting sign-offs and production versions without go-live approval."""

from __future__ import annotations

from reportlab.platypus import Flowable

from portal.domain.signoffs import PendingSummary, SignOff
from portal.report.layout import STYLES, Words, cut, heading, subheading, text
from portal.text.format import format_date

SHOWN = 8  # records a fact sheet lists, newest first; the rest are counted
NOTE_CHARACTERS = 120
UNAPPROVED_SHOWN = 5


def fact_sheet_section(
    records: tuple[SignOff, ...], version: int | None, t: Words
) -> list[Flowable]:
    """The sign-offs of the version in production (else of the newest version signed), one
    line each: when, step, who in which role, the decision and its conditions. Earlier
    versions' records are counted; the model card lists them all."""
    title = t("signoffs_report.history")
    if not records:
        return heading(title, text(t("signoffs_report.history_empty")))
    if version is None:
        version = next((r.model_version for r in records if r.model_version is not None), None)
    shown = [r for r in records if r.model_version == version][:SHOWN]
    lines = [
        text(
            t(
                "signoffs_report.line",
                date=format_date(t.language, record.signed_at),
                step=_step(record, t),
                person=record.signed_by_name or record.signed_by,
                role=t(f"signoffs.role.{record.role}"),
                decision=t(f"signoffs.decided.{record.decision}"),
            )
            + _note(record),
            STYLES.note,
        )
        for record in shown
    ]
    if len(records) > len(shown):
        more = len(records) - len(shown)
        lines.append(text(t("signoffs_report.earlier", count=more), STYLES.note))
    return subheading(title, *lines)


def _note(record: SignOff) -> str:
    note = " · ".join(x for x in (record.conditions, record.comment) if x)
    return f" – {cut(note, NOTE_CHARACTERS)}" if note else ""


def portfolio_section(summary: PendingSummary, t: Words) -> list[Flowable]:
    """How many sign-offs wait, the oldest by name; production versions without approval."""
    lines = [
        text(
            t("signoffs_report.pending_one")
            if summary.waiting == 1
            else t("signoffs_report.pending_count", count=summary.waiting)
            if summary.waiting
            else t("signoffs_report.pending_none")
        )
    ]
    for waiting in summary.examples:
        step = t(f"signoffs.step.{waiting.step}")
        version = f" · {t('common.version', version=waiting.version)}" if waiting.version else ""
        lines.append(text(f"{waiting.subject}: {step}{version}", STYLES.note))
    parts = subheading(t("signoffs_report.pending"), *lines)
    gaps = [
        text(
            t(
                "signoffs_report.unapproved_line",
                model=gap.model_name,
                version=gap.version,
                since=format_date(t.language, gap.since),
            ),
            STYLES.note,
        )
        for gap in summary.unapproved[:UNAPPROVED_SHOWN]
    ]
    if len(summary.unapproved) > UNAPPROVED_SHOWN:
        more = len(summary.unapproved) - UNAPPROVED_SHOWN
        gaps.append(text(t("signoffs_report.more", count=more), STYLES.note))
    parts += subheading(
        t("signoffs_report.unapproved"),
        *(gaps or [text(t("signoffs_report.unapproved_none"))]),
    )
    return parts


def _step(record: SignOff, t: Words) -> str:
    step = t(f"signoffs.step.{record.step}")
    if record.model_version is None:
        return step
    return f"{step} · {t('common.version', version=record.model_version)}"
