"""The pages' plotly figures as print-friendly PNG images for reportlab (kaleido 0.2.1, offline).

Callers hold the package's render lock: kaleido is one shared subprocess.
"""

from __future__ import annotations

import io

import plotly.graph_objects as go
from reportlab.platypus import Image

# Chart text comes out at about 8 pt in the PDF: the page's 13 px font drawn on a figure
# this many pixels wide per point of printed width.
PIXELS_PER_POINT = 1.625
PRINT_FONT = dict(family="DejaVu Sans, Verdana, sans-serif", size=13, color="#1b2a33")


def printable(figure: go.Figure) -> go.Figure:
    """A copy on white paper with the report's font; the page's figure stays untouched."""
    copy = go.Figure(figure)
    copy.update_layout(
        template="plotly_white",
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=PRINT_FONT,
        width=None,
        height=None,
    )
    return copy


def png(figure: go.Figure, width_px: int, height_px: int) -> bytes:
    """The figure as a PNG at twice the pixel size, for sharp print."""
    return printable(figure).to_image(format="png", width=width_px, height=height_px, scale=2)


def chart(figure: go.Figure, width: float, height: float) -> Image:
    """A figure as a reportlab image of the given size in points."""
    data = png(figure, round(width * PIXELS_PER_POINT), round(height * PIXELS_PER_POINT))
    return Image(io.BytesIO(data), width=width, height=height)
