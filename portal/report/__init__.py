"""PDF documents (bytes out): a model's fact sheet and the portfolio report.

reportlab is not thread-safe and kaleido is one shared subprocess, so every rendering holds
one lock. The same facts always give the same bytes: dates come from the facts, never the clock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.report.facts import FactSheetFacts, PortfolioFacts

_LOCK = threading.Lock()


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered document and its page count."""

    pdf: bytes
    pages: int


def render_fact_sheet(facts: FactSheetFacts, language: str) -> RenderedPdf:
    """One model's fact sheet in 'en' or 'de'."""
    from portal.report import fact_sheet, layout

    with _LOCK:
        layout.register_fonts()
        return RenderedPdf(*fact_sheet.render(facts, language))


def render_portfolio(facts: PortfolioFacts, language: str, appendix: bool = False) -> RenderedPdf:
    """The portfolio report in 'en' or 'de'; with `appendix`, every model's row at the end."""
    from portal.report import layout, portfolio

    with _LOCK:
        layout.register_fonts()
        return RenderedPdf(*portfolio.render(facts, language, appendix))
